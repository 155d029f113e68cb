"""The exercise library: content, schema, pictures, picker and packs."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.config.settings import Settings
from coach.exercises import catalog, dose_plan
from coach.exercises.catalog import load_folder, load_library
from coach.exercises.picker import STAND_UP, Picker, group
from tests.breaks import due_break

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
LIBRARY, PROBLEMS = load_library()
BY_ID = {e.id: e for e in LIBRARY}
FLOOR_MOVEMENTS = {"cat-cow", "glute-bridge", "bird-dog", "hip-flexor-stretch", "figure-four"}


def test_every_shipped_file_loads() -> None:
    assert PROBLEMS == []
    assert len(LIBRARY) == len(list(catalog.LIBRARY_DIR.glob("*.toml"))) >= 20


def test_every_movement_in_an_office_form_and_floor_form_where_the_source_has_one() -> None:
    forms: dict[str, set[str]] = {}
    for e in LIBRARY:
        forms.setdefault(e.movement, set()).add(e.position)
    assert set(forms) == set(catalog.MOVEMENTS)
    for movement, positions in forms.items():
        assert positions & {"seated", "standing"}, movement
        if movement in FLOOR_MOVEMENTS:
            assert "floor" in positions, movement


def test_both_languages_complete_and_short_enough() -> None:
    for e in LIBRARY:
        en, nl = e.texts["en"], e.texts["nl"]
        assert en.title != nl.title or e.id == "posture-reset", e.id
        assert 3 <= len(en.steps) == len(nl.steps) <= 6, e.id
        assert len(en.cautions) == len(nl.cautions) >= 1, e.id
        assert all(len(step) <= 120 for step in en.steps + nl.steps), e.id


def test_every_source_is_a_seed_document() -> None:
    seeds = set(catalog.SEED_FILES)
    if SEEDS.is_dir():
        assert seeds == {p.name for p in SEEDS.glob("*.txt")}
    for e in LIBRARY:
        assert e.sources and set(e.sources) <= seeds, e.id


def test_every_illustration_renders(qtbot: object) -> None:
    from PySide6.QtSvg import QSvgRenderer

    for e in LIBRARY:
        assert len(e.illustration) >= 2, e.id  # at least a start and an end pose
        for picture in e.illustration:
            text = picture.read_text(encoding="utf-8")
            assert "<script" not in text and 'href="http' not in text
            assert QSvgRenderer(str(picture)).isValid(), picture.name


def test_micro_tier_items_fit_a_short_break() -> None:
    for e in LIBRARY:
        if "micro" in e.tiers:
            assert e.position != "floor", e.id
            assert dose_plan.plan(e, 0, Settings().micro_duration_s) is not None, e.id


# -- the picker -----------------------------------------------------------------------
POSITION_SETS = st.sets(st.sampled_from(("seated", "standing", "floor")), min_size=1)


@settings(max_examples=60, deadline=None)
@given(
    positions=POSITION_SETS,
    focus=st.sampled_from(("both", "low-back", "hip")),
    painful=st.sets(st.sampled_from(sorted(BY_ID)), max_size=10),
    tiers=st.lists(st.sampled_from(("micro", "exercise")), min_size=2, max_size=30),
    seed=st.integers(0, 10_000),
)
def test_picker_properties(
    positions: set[str], focus: str, painful: set[str], tiers: list[str], seed: int
) -> None:
    s = replace(Settings(), positions=tuple(sorted(positions)), focus=focus)
    picker = Picker(LIBRARY, s, rng=random.Random(seed), excluded=painful)
    picks = [picker(tier) for tier in tiers]
    for before, after in zip(picks, picks[1:], strict=False):
        assert before != after or before == STAND_UP  # no exercise twice in a row
    for pick in picks:
        if pick != STAND_UP:  # nothing fits: "stand up and move" instead
            assert pick not in painful
            assert BY_ID[pick].position in positions


def _week(settings: Settings, seed: int = 11) -> dict[str, Counter[str]]:
    """A simulated work week as the engine offers it: 5 days of 8 hours, a short break
    every half hour between the hourly exercise breaks. Tier -> picks."""
    picker = Picker(LIBRARY, settings, rng=random.Random(seed))
    picks: dict[str, Counter[str]] = {"micro": Counter(), "exercise": Counter()}
    for _day in range(5):
        for _hour in range(8):
            for tier in ("micro", "exercise"):
                picks[tier][picker(tier)] += 1
    return picks


def _weeks(settings: Settings, tier: str, people: int = 10) -> Counter[str]:
    """The picks of one tier over a simulated week for each of `people` users."""
    return sum((_week(settings, seed)[tier] for seed in range(people)), Counter[str]())


def _shares(picks: Counter[str], key: Callable[[str], str]) -> dict[str, float]:
    total = sum(picks.values())
    out: Counter[str] = Counter()
    for pick, n in picks.items():
        out[key(pick)] += n
    return {k: n / total for k, n in out.items()}


def test_a_week_of_breaks_gets_people_out_of_the_chair() -> None:
    """The default mix over a simulated week (written to artifacts/picker-week.txt), and
    the shares over many."""
    week = _week(Settings())
    lines = []
    for tier, picks in week.items():
        positions = _shares(picks, lambda i: BY_ID[i].position)
        groups = _shares(picks, lambda i: group(BY_ID[i]))
        lines.append(f"{tier}: {sum(picks.values())} breaks; positions {positions}; {groups}")
        lines += [f"  {n:3} {i}" for i, n in picks.most_common()]
    artifacts = Path(__file__).resolve().parents[2] / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "picker-week.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(week["exercise"]) >= 15  # variety within the week
    assert week["exercise"]["walk-a-lap"] >= 2 and week["micro"]["walk-short-lap"] >= 4
    # The shares over twenty such weeks (twenty people), so chance does not decide.
    weeks = [_week(Settings(), seed) for seed in range(20)]
    micro = sum((w["micro"] for w in weeks), Counter[str]())
    exercise = sum((w["exercise"] for w in weeks), Counter[str]())
    assert STAND_UP not in micro and STAND_UP not in exercise
    assert _shares(micro, lambda i: BY_ID[i].position) == {"standing": 1.0}  # out of the chair
    assert 0.25 <= _shares(micro, _group)["walk"] <= 0.35
    exercise_groups = _shares(exercise, _group)
    assert 0.15 <= exercise_groups["walk"] <= 0.25  # about one exercise break in five
    assert 0.06 <= exercise_groups["reset"] <= 0.14  # posture or breathing
    assert exercise_groups["work"] >= 0.6
    assert "floor" not in _shares(exercise, lambda i: BY_ID[i].position)  # off by default


def test_short_breaks_are_seated_only_for_people_who_chose_seated() -> None:
    week = _week(replace(Settings(), positions=("seated",)))
    assert _shares(week["micro"], lambda i: BY_ID[i].position) == {"seated": 1.0}


def test_floor_space_brings_floor_exercises_into_exercise_breaks() -> None:
    floor_space = replace(Settings(), positions=("seated", "standing", "floor"))
    exercise = _shares(_weeks(floor_space, "exercise"), lambda i: BY_ID[i].position)
    assert 0.1 <= exercise.get("floor", 0) <= 0.35
    assert "floor" not in _shares(_weeks(floor_space, "micro"), lambda i: BY_ID[i].position)


def test_a_sit_stand_desk_leans_short_breaks_to_a_walk() -> None:
    walk = _shares(_weeks(replace(Settings(), has_sit_stand_desk=True), "micro"), _group)["walk"]
    assert walk > _shares(_weeks(Settings(), "micro"), _group)["walk"] + 0.1


def _group(exercise_id: str) -> str:
    return group(BY_ID[exercise_id])


@pytest.mark.parametrize(
    "answer, ruled_out",
    [
        ({"hip_condition": "replacement"}, {"seated-figure-four", "standing-hip-circles"}),
        ({"hip_condition": "irritated"}, {"seated-figure-four", "standing-side-leg-raise"}),
        ({"back_type": "hollow"}, {"standing-back-extension"}),
    ],
)
def test_the_setup_rules_out_what_it_should(answer: dict[str, str], ruled_out: set[str]) -> None:
    week = _week(replace(Settings(), **answer))
    offered = set(week["micro"]) | set(week["exercise"])
    assert not offered & ruled_out
    assert ruled_out <= set(_week(Settings())["micro"]) | set(_week(Settings())["exercise"])


def test_the_back_type_steers_what_comes_more_often() -> None:
    def share(back_type: str, suits: str) -> float:
        picks = _weeks(replace(Settings(), back_type=back_type), "exercise")
        return _shares(picks, lambda i: str(suits in BY_ID[i].suits))["True"]

    assert share("hollow", "hollow-back") > share("unknown", "hollow-back") * 1.5
    assert share("flat", "flat-back") > share("unknown", "flat-back") * 1.5


def test_picker_varies_across_a_week() -> None:
    picker = Picker(LIBRARY, Settings(), rng=random.Random(7))
    week = Counter(picker("exercise") for _ in range(5 * 8))
    pool = len(picker.candidates("exercise"))
    assert len(week) >= pool * 0.8  # most of the pool is seen in a week
    assert max(n for i, n in week.items() if BY_ID[i].kind != "walk") <= 5


def test_switched_off_exercises_are_never_offered() -> None:
    off = tuple(e.id for e in LIBRARY if e.movement == "cat-cow")
    picker = Picker(LIBRARY, replace(Settings(), disabled_exercises=off), rng=random.Random(3))
    assert not {picker("exercise") for _ in range(100)} & set(off)


# -- packs ------------------------------------------------------------------------------
def _pack(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    good = (catalog.LIBRARY_DIR / "seated-cat-cow.toml").read_text(encoding="utf-8")
    for svg in BY_ID["seated-cat-cow"].illustration:
        (tmp_path / svg.name).write_bytes(svg.read_bytes())
    (tmp_path / "seated-cat-cow.toml").write_text(good, encoding="utf-8")
    html = good.replace('id = "seated-cat-cow"', 'id = "html-title"').replace(
        'title = "Seated cat-cow"', 'title = "<b>Bold</b><script>alert(1)</script>"'
    )
    (tmp_path / "html-title.toml").write_text(html, encoding="utf-8")
    (tmp_path / "no-steps.toml").write_text(
        good.replace('id = "seated-cat-cow"', 'id = "no-steps"').replace("steps =", "stepz ="),
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text("id = [unclosed\n", encoding="utf-8")
    (tmp_path / "bad-position.toml").write_text(
        good.replace('id = "seated-cat-cow"', 'id = "bad-position"').replace(
            'position = "seated"', 'position = "hanging"'
        ),
        encoding="utf-8",
    )
    return tmp_path


def test_pack_problems_name_file_and_field(tmp_path: Path) -> None:
    exercises, problems = load_folder(_pack(tmp_path))
    assert {e.id for e in exercises} == {"seated-cat-cow", "html-title"}
    by_file = {p.path.name: p for p in problems}
    assert by_file["no-steps.toml"].field == "en.steps"
    assert by_file["bad-position.toml"].field == "position"
    assert "not valid TOML" in by_file["broken.toml"].message


def test_html_in_a_pack_is_shown_literally(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from coach.ui.break_window import BreakWindow

    exercise = {e.id: e for e in load_folder(_pack(tmp_path))[0]}["html-title"]
    window = BreakWindow("en", "footer")
    qtbot.addWidget(window)
    window.show_break(due_break(exercise, duration_s=60))
    assert window.title.text() == "<b>Bold</b><script>alert(1)</script>"
    assert window.title.textFormat() == Qt.TextFormat.PlainText
    window.close_break()


def cli_json(tmp_path: Path) -> list[dict[str, Any]]:
    """What `coach exercises --json` prints, parsed."""
    env = {"COACH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "coach", "exercises", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    listed: list[dict[str, Any]] = json.loads(out.stdout)
    return listed


def test_cli_lists_json_and_checks_packs(tmp_path: Path) -> None:
    env = {"COACH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    listed = cli_json(tmp_path)
    assert len(listed) >= 20
    assert {"id", "title"} <= set(listed[0]) | set(listed[0]["en"])
    assert all(item["sources"] and item["illustration"] and item["nl"]["steps"] for item in listed)
    check = subprocess.run(
        [sys.executable, "-m", "coach", "exercises", "check", str(_pack(tmp_path / "pack"))],
        capture_output=True,
        text=True,
        env=env,
    )
    assert check.returncode == 1
    assert "no-steps.toml, field 'en.steps'" in check.stdout


SCREENSHOTS = [
    "seated-cat-cow",
    "seated-hamstring-stretch",
    "seated-pelvic-floor-core",
    "standing-hip-flexor-stretch",
    "hinge-and-lift",
    "step-ups",
    "standing-back-extension",
    "floor-glute-bridge",
]


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("exercise_id", SCREENSHOTS)
def test_break_window_screenshots(qtbot, exercise_id: str, lang: str) -> None:
    """Seated, standing, floor and the new exercises, with their planned dose, all in
    one language (artifacts/break-ID-LANG.png: look at them)."""
    from coach import i18n
    from coach.exercises import safety
    from coach.ui.break_window import BreakWindow

    artifacts = Path(__file__).resolve().parents[2] / "artifacts"
    artifacts.mkdir(exist_ok=True)
    due = due_break(BY_ID[exercise_id], level=1)
    assert due.planned is not None
    i18n.use(lang)
    try:
        window = BreakWindow(lang, safety.load(lang).break_footer)
        qtbot.addWidget(window)
        window.show_break(due)
        qtbot.waitExposed(window)
        minutes, seconds = divmod(due.planned.dose.seconds, 60)
        assert window.countdown.text() == f"{minutes}:{seconds:02d}"  # the plan, not 2:30
        assert window.title.text() == due.planned.exercise.text(lang).title
        assert window.done_button.text() == ("&Done" if lang == "en" else "&Klaar")
        assert window.cautions.text().split("\n")[0] == due.planned.exercise.text(lang).cautions[0]
        image = window.grab()
        assert image.save(str(artifacts / f"break-{exercise_id}-{lang}.png"))
        window.close_break()
    finally:
        i18n.use("en")


def test_every_caution_agrees_with_stop_if_it_hurts() -> None:
    """No caution says to carry on through pain (document 004: pain is a signal to
    stop); pain into a leg always means stop and see a physiotherapist (document 003)."""
    carry_on = ("do fewer", "more gently", "keep it small if", "squeeze less", "lift less")
    door = ("doe er minder", "minder hard", "klein of sla", "til dan minder")
    for e in LIBRARY:
        en, nl = " ".join(e.texts["en"].cautions).lower(), " ".join(e.texts["nl"].cautions).lower()
        assert not [p for p in carry_on if p in en], e.id
        assert not [p for p in door if p in nl], e.id
        if "leg" in en and ("pain" in en and ("into a leg" in en or "down the leg" in en)):
            assert "physiotherapist" in en, e.id
        if "naar je been" in nl or "door je been" in nl or "naar een been" in nl:
            assert "fysiotherapeut" in nl, e.id


def test_natural_dutch() -> None:
    """No word-for-word English: an animal's hind legs, calques of 'gentle stretch',
    'in its place', 'reset'."""
    for e in LIBRARY:
        t = e.texts["nl"]
        words = " ".join([t.title, t.why, *t.steps, *t.cautions]).lower()
        for slip in ("achterbenen", "zachte rek", "in zijn plaats", "resetten", "pijnt"):
            assert slip not in words, (e.id, slip)


@pytest.mark.parametrize("reduce_motion", [False, True])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_break_window_fits_a_720_pixel_screen(qtbot, lang: str, reduce_motion: bool) -> None:
    """Steps, dose and cautions of every exercise, animated or with still poses, at the
    level with the longest text (the tests' screen is 1280x800, so nothing is cut here)."""
    from coach import i18n
    from coach.exercises import safety
    from coach.ui.break_window import BreakWindow

    i18n.use(lang)
    try:
        window = BreakWindow(lang, safety.load(lang).break_footer, reduce_motion=reduce_motion)
        qtbot.addWidget(window)
        tallest = (0, "")
        for exercise in LIBRARY:
            window.show_break(due_break(exercise))
            tallest = max(tallest, (window.height(), exercise.id))
            assert window.width() <= 1280, exercise.id
        assert tallest[0] <= 720, tallest
        window.close_break()
    finally:
        i18n.use("en")
