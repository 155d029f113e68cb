"""Export and import of the whole history: round trips, no duplicates, refused files."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import cli
from coach.history.history_io import (
    HistoryFileError,
    export_history,
    export_to_file,
    import_history,
    read_history,
)
from coach.history.store import Store

CET = timezone(timedelta(hours=1))
CEST = timezone(timedelta(hours=2))
NYC = timezone(timedelta(hours=-5))


def everything(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(store.history_rows(t), key=repr) for t in Store.HISTORY}


@pytest.fixture
def original(tmp_path: Path) -> Iterator[Store]:
    """A history with every table, empty optional fields and awkward text."""
    s = Store.open(tmp_path / "original" / "coach.sqlite3")
    start = datetime(2026, 3, 28, 8, 59, 59, 123456, tzinfo=CET)
    run = s.start_run(start)
    s.end_run(run, start + timedelta(hours=9, seconds=0.1))
    s.start_run(datetime(2026, 3, 30, 8, 0, tzinfo=CEST))  # never ended (a crash)
    for i, tz in enumerate((CET, CEST, NYC)):
        t = datetime(2026, 3, 28 + i, 9, 0, 0, 1000 * i + 7, tzinfo=tz)
        s.add_bout(t, t + timedelta(minutes=47, seconds=1 / 3), 47 * 60 + 1 / 3)
        s.add_away(t + timedelta(hours=1), t + timedelta(hours=1, minutes=12), "locked")
        s.add_standing(t + timedelta(hours=2), t + timedelta(hours=2, minutes=40), 38 * 60 + 0.5)
        uid = s.offer_break("micro", "seated-cat-cow", t + timedelta(minutes=30))
        s.update_break(uid, outcome="snoozed", when=t + timedelta(minutes=31))
        s.update_break(
            uid,
            outcome="skipped",
            when=t + timedelta(minutes=37),
            reason='in a meeting, "busy"\nsecond line; café',
        )
        s.offer_break("exercise", "floor-glute-bridge", t + timedelta(hours=3))  # open
        done = s.offer_break("exercise", "floor-glute-bridge", t + timedelta(hours=5))
        s.update_break(done, outcome="done", when=t + timedelta(hours=5, minutes=3))
        s.report_pain("floor-glute-bridge", t + timedelta(hours=5, minutes=1))
        s.add_checkin(i * 4 + 1, t + timedelta(hours=8))
    s.switch_back_on("floor-glute-bridge", datetime(2026, 3, 30, 18, 0, tzinfo=CEST))
    s.report_pain("floor-glute-bridge", datetime(2026, 3, 31, 9, 0, tzinfo=CEST))  # again
    s.mark_notice_shown("first_run_safety", start)
    yield s
    s.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "new-laptop" / "coach.sqlite3")
    yield s
    s.close()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_home_is_the_same_history(
    tmp_path: Path, original: Store, empty: Store, fmt: str
) -> None:
    path = tmp_path / f"history.{fmt}"
    counts = export_to_file(original, fmt, path)
    assert counts == {
        "runs": 2,
        "bouts": 3,
        "away": 3,
        "breaks": 9,
        "pain_reports": 4,
        "checkins": 3,
        "notices": 1,
        "standing": 3,
    }
    result = import_history(empty, path)
    assert result.added == counts and result.already_there == 0
    assert everything(empty) == everything(original)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_twice_or_into_the_original_adds_nothing(
    tmp_path: Path, original: Store, empty: Store, fmt: str
) -> None:
    path = tmp_path / f"history.{fmt}"
    export_to_file(original, fmt, path)
    import_history(empty, path)
    again = import_history(empty, path)
    assert sum(again.added.values()) == 0 and again.already_there == 28
    assert sum(import_history(original, path).added.values()) == 0
    assert everything(empty) == everything(original)


def test_import_merges_what_is_new(tmp_path: Path, original: Store, empty: Store) -> None:
    """A new laptop that already recorded a day keeps it and gains the old history."""
    t = datetime(2026, 11, 16, 9, 0, tzinfo=CET)
    empty.add_bout(t, t + timedelta(minutes=20), 1200)
    path = tmp_path / "history.json"
    export_to_file(original, "json", path)
    result = import_history(empty, path)
    assert result.added["bouts"] == 3
    assert len(list(empty.history_rows("bouts"))) == 4


def test_export_never_overwrites_a_file(tmp_path: Path, original: Store) -> None:
    path = tmp_path / "mine.json"
    path.write_text("keep me")
    with pytest.raises(FileExistsError, match="already exists"):
        export_to_file(original, "json", path)
    assert path.read_text() == "keep me"


def test_the_csv_has_one_record_column_and_readable_rows(original: Store) -> None:
    out = io.StringIO()
    export_history(original, "csv", out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("record,")
    assert {line.split(",")[0] for line in lines[1:] if line[:1].isalpha()} >= {
        "runs",
        "bouts",
        "away",
        "breaks",
        "pain_reports",
        "checkins",
    }


# -- refused files ---------------------------------------------------------------------
def good_json(original: Store) -> dict[str, object]:
    out = io.StringIO()
    export_history(original, "json", out)
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def good_csv(original: Store) -> str:
    out = io.StringIO()
    export_history(original, "csv", out)
    return out.getvalue()


BAD_FILES = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8 text"),
    "truncated json": (
        b'{"format": "coach-history", "version": 1, "tables": {"runs": [',
        "not valid JSON (line 1",
    ),
    "foreign json": (b'{"name": "something else", "items": []}', "not a Coach history"),
    "newer json": (b'{"format": "coach-history", "version": 9, "tables": {}}', "version 9"),
    "foreign csv": (b"date,steps\n2026-11-16,4000\n", "first column is not 'record'"),
    "empty": (b"", "first column is not 'record'"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_foreign_or_corrupt_file_is_refused_and_nothing_is_written(
    tmp_path: Path, empty: Store, name: str
) -> None:
    content, expected = BAD_FILES[name]
    path = tmp_path / "import-me.dat"
    path.write_bytes(content)
    with pytest.raises(HistoryFileError) as exc:
        import_history(empty, path)
    assert str(path) in str(exc.value) and expected in str(exc.value)
    assert "nothing was imported" in str(exc.value)
    assert everything(empty) == {t: [] for t in Store.HISTORY}


def test_a_bad_value_late_in_a_json_file_names_the_record_and_writes_nothing(
    tmp_path: Path, original: Store, empty: Store
) -> None:
    data = good_json(original)
    tables = data["tables"]
    assert isinstance(tables, dict)
    tables["checkins"][2]["score"] = 11
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    with pytest.raises(
        HistoryFileError,
        match=r"tables\.checkins\[2\]: column 'score': "
        r"11 is outside 0 to 10",
    ):
        import_history(empty, path)
    assert everything(empty) == {t: [] for t in Store.HISTORY}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda line: line.replace(",locked,", ",napping,"), "'napping' is not one of"),
        (lambda line: line.replace(",locked,", ",locked,,,,"), "more values than columns"),
        (lambda line: "sleeps" + line[4:], "'sleeps' is not one of: runs"),
    ],
)
def test_a_bad_csv_line_is_named_and_nothing_is_written(
    tmp_path: Path, original: Store, empty: Store, edit, expected: str
) -> None:
    lines = good_csv(original).splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("away,"))
    lines[n] = edit(lines[n])
    path = tmp_path / "edited.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(HistoryFileError) as exc:
        import_history(empty, path)
    assert f"{path}: line {n + 1}: " in str(exc.value) and expected in str(exc.value)
    assert everything(empty) == {t: [] for t in Store.HISTORY}


def test_a_span_that_ends_before_it_starts_is_refused(tmp_path: Path, original: Store) -> None:
    data = good_json(original)
    bout = data["tables"]["bouts"][0]  # type: ignore[index]
    bout["end"] = bout["start"] - 1
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    with pytest.raises(HistoryFileError, match=r"bouts\[0\]: 'end' is before 'start'"):
        read_history(path)


# -- the commands ------------------------------------------------------------------------
def test_cli_export_and_import(
    tmp_path: Path,
    original: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COACH_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("COACH_HOME", str(original.path.parent))
    out = tmp_path / "out.csv"
    assert cli.main(["export", "--format", "csv", "--out", str(out)]) == 0
    assert cli.main(["export", "--format", "csv", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["export"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "coach-history"

    home = tmp_path / "fresh-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    assert cli.main(["import", str(out)]) == 0
    assert "added 28 records" in capsys.readouterr().out
    assert cli.main(["import", str(out)]) == 0
    assert (
        "added 0 records (nothing new); brought 0 up to date; 28 were already there"
        in capsys.readouterr().out
    )
    restored = Store.open(home / "coach.sqlite3")
    assert everything(restored) == everything(original)
    restored.close()
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    assert cli.main(["import", str(bad)]) == 2
    assert f"{bad}: is not a Coach history export" in capsys.readouterr().err
