"""Every file Coach reads is bounded, and moves carry everything.

Each test reproduces a case of issue 14: a nesting bomb, a FIFO, a huge file, numbers
no week can hold, pictures outside the pack, an export that cannot be read back."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import bounded
from coach.config import policy, settings
from coach.exercises import catalog
from coach.history import team
from coach.history.history_io import (
    HistoryFileError,
    export_history,
    export_to_file,
    import_history,
    read_export,
    read_history,
)
from coach.history.store import Store
from coach.simulate import TraceError, read_trace

CET = timezone(timedelta(hours=1))
T = datetime(2026, 11, 16, 9, 0, tzinfo=CET)
NESTED_TOML = b"x = " + b"[" * 600 + b"]" * 600 + b"\n"  # 1.2 KB: RecursionError before
NESTED_JSON = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# -- the shared reader ------------------------------------------------------------------
def test_read_bytes_refuses_fifo_device_directory_and_oversize(tmp_path: Path) -> None:
    for bad in (fifo(tmp_path / "pipe"), Path("/dev/zero"), tmp_path):
        with pytest.raises(bounded.BoundsError, match="not a regular file"):
            bounded.read_bytes(bad, bounded.Cap.SETTINGS)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (bounded.Cap.SETTINGS + 1))
    with pytest.raises(bounded.BoundsError, match="256 KiB"):
        bounded.read_bytes(big, bounded.Cap.SETTINGS)


def test_nesting_counts_brackets_outside_strings_and_comments_only() -> None:
    bounded.check_nesting('a = "[[[[[[[[[[[[[[[[[[[[" # [[[[[[[[[[[[[[[[[[[[\n', toml=True)
    bounded.check_nesting("a = '''" + "[" * 40 + "'''\n", toml=True)
    with pytest.raises(bounded.BoundsError, match="16 levels"):
        bounded.check_nesting("a = " + "[" * 17 + "]" * 17, toml=True)


# -- settings, policy, traces --------------------------------------------------------------
@pytest.mark.parametrize("kind", ["nested", "fifo", "huge"])
def test_a_hostile_settings_or_policy_file_is_named_and_defaults_apply(
    tmp_path: Path, kind: str
) -> None:
    for name in ("settings.toml", "policy.toml"):
        path = tmp_path / name
        if kind == "fifo":
            fifo(path)
        else:
            path.write_bytes(NESTED_TOML if kind == "nested" else b"#" * (1 << 20))
        before = None if kind == "fifo" else path.read_bytes()
        user = tmp_path / "settings.toml" if name == "policy.toml" else path
        layers = policy.load(path if name == "policy.toml" else tmp_path / "none", user, False)
        assert layers.settings == settings.Settings()
        assert any(str(path) in str(p) for p in layers.problems)
        assert before is None or path.read_bytes() == before
        path.unlink()


def test_a_trace_that_is_a_fifo_or_claims_centuries_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="not a regular file"):
        read_trace(fifo(tmp_path / "trace.csv"))
    long = tmp_path / "long.csv"
    long.write_text("offset_s,state\n0,active\n1e15,end\n")
    with pytest.raises(TraceError, match="line 3"):
        read_trace(long)


# -- exercise packs --------------------------------------------------------------------------
def pack_with_good_exercise(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    text = (catalog.LIBRARY_DIR / "posture-reset.toml").read_text()
    (folder / "pack-reset.toml").write_text(text.replace('"posture-reset"', '"pack-reset"', 1))
    for svg in catalog.PICTURES_DIR.glob("posture-reset-*.svg"):
        shutil.copy(svg, folder / svg.name)
    return folder


def test_a_nested_pack_file_is_left_out_never_the_app(tmp_path: Path) -> None:
    """The repro: 1 KB of nested arrays raised RecursionError out of every command."""
    pack = pack_with_good_exercise(tmp_path / "pack")
    (pack / "bomb.toml").write_bytes(NESTED_TOML)
    fifo(pack / "pipe.toml")
    exercises, problems = catalog.load_library(pack)
    assert "pack-reset" in {e.id for e in exercises}
    named = {p.path.name: p.message for p in problems}
    assert "levels" in named["bomb.toml"] and "regular" in named["pipe.toml"]


@pytest.mark.parametrize(
    "picture",
    [
        "outside",  # a link out of the pack
        "huge",
        "doctype",  # entity expansion
        "external-link",
        "not-svg",
    ],
)
def test_pack_pictures_only_inside_the_pack_capped_and_checked_at_load(
    tmp_path: Path, picture: str
) -> None:
    pack = pack_with_good_exercise(tmp_path / "pack")
    target = pack / "posture-reset-1.svg"
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    if picture == "outside":
        target.unlink()
        target.symlink_to(secret)
    elif picture == "huge":
        target.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + " " * (1 << 20) + "</svg>")
    elif picture == "doctype":
        target.write_text(
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>'
        )
    elif picture == "external-link":
        target.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="file:///etc/passwd"/></svg>'
        )
    else:
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    exercises, problems = catalog.load_folder(pack)
    assert exercises == [] and len(problems) == 1
    assert problems[0].field == "illustration"


# -- team files ----------------------------------------------------------------------------------
def person(n: int, week: str = "2026-W46") -> bytes:
    return team.TeamWeek(week, 5, 600 + 60 * n, 1, 40, 20 + n).to_bytes()


def test_hostile_team_files_are_refused_by_name_and_the_report_goes_on(tmp_path: Path) -> None:
    """The repro: 10**400 (OverflowError) or deep nesting (RecursionError) ended the
    report for everyone; a huge count outweighed everyone else."""
    for n in range(5):
        (tmp_path / f"p{n}.json").write_bytes(person(n))
    body = json.loads(person(9))
    (tmp_path / "overflow.json").write_text(json.dumps(body | {"bouts_over_60_min": 10**400}))
    (tmp_path / "nested.json").write_bytes(b"[" * 2000 + b"]" * 2000)
    (tmp_path / "dominant.json").write_text(json.dumps(body | {"breaks_offered": 10**9}))
    (tmp_path / "long-bouts.json").write_text(json.dumps(body | {"bouts_over_60_min": 50}))
    fifo(tmp_path / "pipe.json")
    report = team.read_folder(tmp_path)
    refused = "\n".join(report.refused)
    for name in ("overflow", "nested", "dominant", "long-bouts", "pipe"):
        assert f"{name}.json" in refused
    assert [r.people for r in report.rows] == [5]
    assert report.rows[0].breaks_offered == 200


def test_no_figure_in_a_team_report_is_one_persons_number(tmp_path: Path) -> None:
    hours = [10.0, 12.0, 20.0, 31.0, 40.0]
    people = [team.TeamWeek("2026-W46", 5, int(h * 60), 0, 10, 5) for h in hours]
    row = team.build(people).rows[0]
    shown = {row.sitting_h_per_day, row.sitting_h_per_week}
    shown |= {row.sitting_h_per_week_low, row.sitting_h_per_week_high}
    assert not shown & {*hours, *(h / 5 for h in hours)}
    assert (row.sitting_h_per_week_low, row.sitting_h_per_week_high) == (14.0, 30.5)
    csv_text = team.to_csv(team.build(people))
    assert "median" not in csv_text and "20.0" not in csv_text.splitlines()[1].split(",")


# -- imports -----------------------------------------------------------------------------------
def export_file(tmp_path: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"format": "coach-history", "version": 1, "tables": tables}))
    return path


BOUT = {"start": T.timestamp(), "end": T.timestamp() + 1200, "sat_s": 1200.0, "utc_offset": 60}


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (BOUT | {"end": 1e15}, "outside"),  # the repro that hung statistics
        (BOUT | {"start": 1.0, "end": 2.0}, "outside"),  # 1970
        (BOUT | {"end": T.timestamp() + 90_000}, "at most a day"),
        (BOUT | {"sat_s": 1e9}, "outside"),
    ],
)
def test_implausible_records_are_refused_at_import(
    tmp_path: Path, record: dict[str, object], reason: str
) -> None:
    with pytest.raises(HistoryFileError, match=reason):
        read_history(export_file(tmp_path, {"bouts": [record]}))


def test_a_nested_or_fifo_import_is_refused_by_name(tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_bytes(NESTED_JSON)
    with pytest.raises(HistoryFileError, match="nested.json: nests too deeply"):
        read_history(nested)
    with pytest.raises(HistoryFileError, match="pipe.json: is not a regular file"):
        read_history(fifo(tmp_path / "pipe.json"))


def test_an_empty_exercise_is_refused_so_every_export_reads_back(tmp_path: Path) -> None:
    """The repro: accepted from JSON, it made the CSV export impossible to import."""
    brk = {"uid": "u1", "kind": "micro", "exercise": "", "due": T.timestamp(), "utc_offset": 60}
    brk |= {"outcome": "open", "answered": None, "snoozes": 0, "reason": None}
    with pytest.raises(HistoryFileError, match="exercise"):
        read_history(export_file(tmp_path, {"breaks": [brk]}))


def lived(store: Store) -> tuple[str, int]:
    """A morning: a run still going, a break still open, a pain report, a check-in."""
    run = store.start_run(T)
    store.add_bout(T, T + timedelta(minutes=40), 2400)
    uid = store.offer_break("exercise", "floor-glute-bridge", T + timedelta(minutes=40))
    store.report_pain("floor-glute-bridge", T + timedelta(minutes=41))
    store.add_checkin(6, T + timedelta(minutes=50))
    return uid, run


def snapshot(store: Store, fmt: str) -> str:
    out = io.StringIO()
    export_history(store, fmt, out)
    return out.getvalue()


def test_a_newer_export_updates_what_it_supersedes_never_the_other_way(tmp_path: Path) -> None:
    """The repro: a break stayed open and a run never ended after moving; an exercise
    switched back on after a pain report was painful again."""
    old_laptop = Store.open(tmp_path / "old" / "coach.sqlite3")
    uid, run = lived(old_laptop)
    morning = tmp_path / "morning.json"
    export_to_file(old_laptop, "json", morning)
    old_laptop.update_break(uid, outcome="done", when=T + timedelta(minutes=43))
    old_laptop.end_run(run, T + timedelta(hours=8))
    old_laptop.switch_back_on("floor-glute-bridge", T + timedelta(hours=2))
    evening = tmp_path / "evening.json"
    export_to_file(old_laptop, "json", evening)

    new_laptop = Store.open(tmp_path / "new" / "coach.sqlite3")
    import_history(new_laptop, morning)
    assert new_laptop.painful_exercises() == {"floor-glute-bridge"}
    result = import_history(new_laptop, evening)
    assert result.updated == {
        **dict.fromkeys(Store.HISTORY, 0),
        "runs": 1,
        "breaks": 1,
        "pain_reports": 1,
    }
    assert new_laptop.painful_exercises() == set()
    assert snapshot(new_laptop, "json") == snapshot(old_laptop, "json")
    again = import_history(new_laptop, morning)  # the older one changes nothing
    assert sum(again.updated.values()) == sum(again.added.values()) == 0
    assert snapshot(new_laptop, "json") == snapshot(old_laptop, "json")


@pytest.mark.parametrize("first", ["json", "csv"])
def test_whatever_coach_exports_it_imports_exactly(tmp_path: Path, first: str) -> None:
    source = Store.open(tmp_path / "a" / "coach.sqlite3")
    uid, _run = lived(source)
    source.update_break(uid, outcome="skipped", when=T + timedelta(hours=1), reason="")
    source.update_break(
        source.offer_break("micro", "posture-reset", T + timedelta(hours=2)),
        outcome="skipped",
        when=T + timedelta(hours=2, seconds=1 / 3),
        reason='a "quote", a comma\nand a line',
    )
    source.switch_back_on("floor-glute-bridge", T + timedelta(hours=3, microseconds=7))
    source.mark_notice_shown("first_run_safety", T)
    second = "csv" if first == "json" else "json"
    hop = Store.open(tmp_path / "b" / "coach.sqlite3")
    path = tmp_path / f"one.{first}"
    export_to_file(source, first, path)
    import_history(hop, path)
    back = Store.open(tmp_path / "c" / "coach.sqlite3")
    path2 = tmp_path / f"two.{second}"
    export_to_file(hop, second, path2)
    import_history(back, path2)
    for fmt in ("json", "csv"):
        assert snapshot(back, fmt) == snapshot(source, fmt)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_move_carries_switched_off_exercises_and_keeps_the_new_computers_choices(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach import cli

    old, new = tmp_path / "old", tmp_path / "new"
    monkeypatch.setenv("COACH_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("COACH_HOME", str(old))
    store = Store.open(old / "coach.sqlite3")
    lived(store)
    store.close()
    (old / "settings.toml").write_text(
        'disabled_exercises = ["floor-glute-bridge", "seated-cat-cow"]\nsnooze_min = 7\n'
    )
    out = tmp_path / f"move.{fmt}"
    assert cli.main(["export", "--format", fmt, "--out", str(out)]) == 0
    new.mkdir()
    (new / "settings.toml").write_text("snooze_min = 3\n")
    monkeypatch.setenv("COACH_HOME", str(new))
    assert cli.main(["import", str(out)]) == 0
    assert "took 1 setting (disabled_exercises); 1 of yours stay" in capsys.readouterr().out
    taken = settings.load(new / "settings.toml")[0]
    assert taken.disabled_exercises == ("floor-glute-bridge", "seated-cat-cow")
    assert taken.snooze_min == 3
    moved = read_export(out)
    assert moved.settings == {
        "disabled_exercises": ("floor-glute-bridge", "seated-cat-cow"),
        "snooze_min": 7,
    }


def test_settings_in_an_export_are_checked_like_the_settings_file(tmp_path: Path) -> None:
    path = export_file(tmp_path, {})
    data = json.loads(path.read_text()) | {"settings": {"snooze_min": 10**9}}
    path.write_text(json.dumps(data))
    with pytest.raises(HistoryFileError, match="snooze_min"):
        read_export(path)
