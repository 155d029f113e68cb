"""The dose plan: it grows as each exercise declares and always fits its break."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.config.settings import SETTING_FIELDS, Settings
from coach.exercises import dose_plan
from coach.exercises.catalog import load_library

LIBRARY, _PROBLEMS = load_library()
BY_ID = {e.id: e for e in LIBRARY}
RANGES = {  # every break length a user or a policy can set
    tier: range(
        int(SETTING_FIELDS[key].metadata["lo"]), int(SETTING_FIELDS[key].metadata["hi"]) + 1
    )
    for tier, key in (("micro", "micro_duration_s"), ("exercise", "exercise_duration_s"))
}


def test_every_dose_fits_every_break_length_at_every_level() -> None:
    """Exhaustive over exercise x level x tier x every allowed length (about 70 000)."""
    checked = 0
    for exercise in LIBRARY:
        for tier in exercise.tiers:
            for break_s in RANGES[tier]:
                start = dose_plan.plan(exercise, 0, break_s)
                for level in dose_plan.levels():
                    planned = dose_plan.plan(exercise, level, break_s)
                    # Offered at the start dose means offered at every level (the picker
                    # checks level 0), and what is planned fits, sides and pauses included.
                    assert (planned is None) == (start is None), (exercise.id, level, break_s)
                    if planned is not None:
                        assert planned.seconds <= break_s, (exercise.id, level, break_s)
                        assert planned.seconds == _seconds(planned), exercise.id
                        checked += 1
    assert checked > 40_000


def _seconds(d: dose_plan.PlannedDose) -> int:
    if not d.reps:
        return d.seconds
    one_side = d.reps * (d.rep_s + d.hold_s) + (d.reps - 1) * d.rest_s
    return d.sides * one_side + (d.sides - 1) * dose_plan.SWITCH_S


def test_every_exercise_fits_its_breaks_at_the_default_lengths() -> None:
    s = Settings()
    for exercise in LIBRARY:
        for tier in exercise.tiers:
            for level in dose_plan.levels():
                planned = dose_plan.plan(exercise, level, dose_plan.break_seconds(s, tier))
                assert planned is not None, (exercise.id, tier, level)


@pytest.mark.parametrize("exercise", LIBRARY, ids=lambda e: e.id)
def test_practice_grows_only_what_the_exercise_declares(exercise) -> None:  # type: ignore[no-untyped-def]
    long_break = 10_000  # nothing is cut to fit
    doses = [dose_plan.plan(exercise, level, long_break) for level in dose_plan.levels()]
    assert all(d is not None for d in doses)
    reps = [d.reps for d in doses if d]
    holds = [d.hold_s for d in doses if d]
    assert (reps[0], holds[0]) == (exercise.reps, exercise.hold_s)  # level 0: the start
    if exercise.grows == "reps":
        assert reps == sorted(reps) and reps[-1] == exercise.max_reps > reps[0]
        assert len(set(holds)) == 1  # never a longer hold, never speed
    elif exercise.grows == "hold":
        assert holds == sorted(holds) and holds[-1] <= exercise.max_hold_s
        assert holds[-1] > holds[0] and len(set(reps)) == 1  # never more stretches
    else:
        assert len(set(reps)) == len(set(holds)) == 1


def test_dose_principles_of_the_brief() -> None:
    """Stretches held 20-45 s without growing in number; strength 6-15 calm reps;
    walks in minutes; every level's hold or reps within the ceiling."""
    for e in LIBRARY:
        if e.kind == "stretch":
            assert e.grows == "hold" and 20 <= e.hold_s <= e.max_hold_s <= 45, e.id
            assert e.reps <= 2, e.id
        if e.kind in ("glute", "core") and e.grows == "reps":
            assert 5 <= e.reps <= e.max_reps <= 15 and e.rep_s >= 2, e.id
        if e.kind == "walk":
            assert e.grows == "none" and not e.reps and e.duration_s >= 45, e.id


def test_a_short_break_cuts_a_stretch_to_one_hold_not_a_bounce() -> None:
    stretch = BY_ID["standing-hip-flexor-stretch"]
    micro = dose_plan.plan(stretch, 3, 45)
    assert micro is not None and (micro.reps, micro.hold_s, micro.seconds) == (1, 20, 45)
    assert dose_plan.plan(stretch, 0, 30) is None  # 2 x 15 s + a change of side: too long
    squeeze = BY_ID["standing-glute-squeeze"]
    planned = dose_plan.plan(squeeze, 0, 45)
    assert planned is not None and planned.seconds == 6 * (2 + 3) + 5 * 2


def test_cli_json_shows_the_plan_and_the_setup_tags(tmp_path: Path) -> None:
    from tests.ui.test_exercises import cli_json

    listed = {item["id"]: item for item in cli_json(tmp_path)}
    bridge = listed["floor-glute-bridge"]
    assert [d["level"] for d in bridge["plan"]["exercise"]] == [0, 1, 2, 3]
    assert set(bridge["plan"]["exercise"][0]) == {"level", "reps", "hold_s", "seconds"}
    assert bridge["plan"]["exercise"][0]["reps"] == BY_ID["floor-glute-bridge"].reps
    assert "micro" not in bridge["plan"]  # a floor exercise is never a short break
    assert listed["seated-figure-four"]["avoid"] == ["hip-replacement", "irritated-hip"]
    assert "hollow-back" in listed["standing-hip-flexor-stretch"]["suits"]
    assert "flat-back" in listed["seated-hamstring-stretch"]["suits"]


@settings(max_examples=300, deadline=None)
@given(
    reps=st.integers(0, 100),
    hold_s=st.integers(0, 120),
    duration_s=st.integers(1, 900),
    rep_s=st.integers(0, 20),
    per_side=st.booleans(),
    grows=st.sampled_from(("reps", "hold", "none")),
    extra=st.integers(0, 30),
    level=st.integers(0, dose_plan.MAX_LEVEL),
    break_s=st.integers(15, 600),
)
def test_any_pack_exercise_fits_or_is_not_offered(
    reps: int,
    hold_s: int,
    duration_s: int,
    rep_s: int,
    per_side: bool,
    grows: str,
    extra: int,
    level: int,
    break_s: int,
) -> None:
    """An employer pack may declare any dose the format allows: the plan still never
    asks for more than the break holds."""
    if grows == "reps" and not reps or grows == "hold" and not hold_s:
        grows = "none"
    exercise = replace(
        BY_ID["standing-glute-squeeze"],
        duration_s=0 if reps else duration_s,
        reps=reps,
        hold_s=hold_s,
        rep_s=rep_s,
        per_side=per_side,
        grows=grows,
        max_reps=reps + (extra if grows == "reps" else 0),
        max_hold_s=hold_s + (extra if grows == "hold" else 0),
    )
    planned = dose_plan.plan(exercise, level, break_s)
    if planned is not None:
        assert planned.seconds <= break_s
        assert planned.reps <= exercise.max_reps and planned.hold_s <= exercise.max_hold_s
    assert (planned is None) == (dose_plan.plan(exercise, 0, break_s) is None)
