"""The history cannot be swapped out: journals left beside it, a clean close, read-only
opening, implausible records, a history that claims a schema it lacks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.history import stats as st
from coach.history.store import SCHEMA_VERSION, Store, StoreError, open_history

CET = timezone(timedelta(hours=1))
DAY = datetime(2026, 11, 16, 9, 0, tzinfo=CET)


def history(path: Path, breaks: int = 3, start: datetime = DAY) -> list[str]:
    """A closed history with `breaks` answered breaks and a bout each; their uids."""
    store = Store.open(path)
    uids = []
    for n in range(breaks):
        t = start + timedelta(hours=n)
        store.add_bout(t, t + timedelta(minutes=40), 40 * 60)
        uid = store.offer_break("micro", "posture-reset", t + timedelta(minutes=30))
        store.update_break(uid, outcome="done", when=t + timedelta(minutes=31))
        uids.append(uid)
    store.close()
    return uids


def uids(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT uid FROM breaks")}


def crashed_copy(source: Path, target: Path, writes: int, start: datetime) -> list[str]:
    """`target` (and its WAL) as `source` looks after `writes` more breaks and a kill
    -9: the files are copied while the writer still has them open, unchecked."""
    store = Store.open(source)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    added = [
        store.offer_break("micro", "posture-reset", start + timedelta(minutes=n))
        for n in range(writes)
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    shutil.copyfile(f"{source}-wal", f"{target}-wal")
    store.close()
    return added


def test_a_clean_close_leaves_no_journal(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    history(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coach.sqlite3"]


def test_a_foreign_wal_is_set_aside_with_a_copy_and_never_replaces_the_history(
    tmp_path: Path,
) -> None:
    """The repro of the issue: another database's WAL (a restored backup, a copied
    folder) next to the history. SQLite would replay it; Coach keeps both apart."""
    path = tmp_path / "home" / "coach.sqlite3"
    mine = history(path, breaks=3)
    theirs = tmp_path / "other2" / "coach.sqlite3"
    history(theirs, breaks=5, start=DAY + timedelta(days=30))
    crashed_copy(theirs, tmp_path / "y" / "coach.sqlite3", 40, DAY + timedelta(days=31))
    foreign_wal = (tmp_path / "y" / "coach.sqlite3-wal").read_bytes()
    Path(f"{path}-wal").write_bytes(foreign_wal)
    before = path.read_bytes()

    store, notes = open_history(path, recover=True)
    assert uids(store) == set(mine)  # the user's history, and only theirs
    store.close()
    assert len(notes) == 1 and f"{path}-wal" in notes[0] and "set-aside-1" in notes[0]
    kept = path.with_name("coach.sqlite3.set-aside-1")
    assert kept.read_bytes() == before
    assert Path(f"{kept}-wal").read_bytes() == foreign_wal  # both kept, as a pair
    again, notes = open_history(path, recover=True)  # said once
    assert notes == [] and uids(again) == set(mine)
    again.close()


def test_a_foreign_wal_is_not_applied_by_a_read_only_command(tmp_path: Path) -> None:
    path = tmp_path / "home" / "coach.sqlite3"
    mine = history(path, breaks=2)
    theirs = tmp_path / "other" / "coach.sqlite3"
    history(theirs, breaks=4, start=DAY + timedelta(days=30))
    crashed_copy(theirs, tmp_path / "y" / "coach.sqlite3", 30, DAY + timedelta(days=31))
    shutil.copyfile(tmp_path / "y" / "coach.sqlite3-wal", f"{path}-wal")
    files = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    store, notes = open_history(path, write=False)
    assert uids(store) == set(mine) and "does not belong" in notes[0]
    store.close()
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == files


def test_its_own_wal_after_an_unclean_stop_is_applied(tmp_path: Path) -> None:
    source = tmp_path / "live" / "coach.sqlite3"
    mine = history(source, breaks=2)
    path = tmp_path / "home" / "coach.sqlite3"
    added = crashed_copy(source, path, 25, DAY + timedelta(days=1))
    files = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    reader, notes = open_history(path, write=False)  # read-only: applied in memory
    assert notes == [] and uids(reader) == {*mine, *added}
    reader.close()
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == files
    store, notes = open_history(path, recover=True)
    assert notes == [] and uids(store) == {*mine, *added}
    store.close()
    assert sorted(p.name for p in path.parent.iterdir()) == ["coach.sqlite3"]


def test_a_wal_in_use_by_a_running_coach_is_left_alone(tmp_path: Path) -> None:
    """`coach stats` while the app runs: the app's WAL is live, not left over."""
    path = tmp_path / "coach.sqlite3"
    mine = history(path, breaks=1)
    code = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        'c.execute("INSERT INTO checkins (at, utc_offset, score) VALUES (1.8e9, 60, 7)")\n'
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        store, notes = open_history(path, write=False)
        assert notes == [] and uids(store) == set(mine)
        assert list(store.checkins(0, 4e9)) == [(1.8e9, 60, 7)]  # the live WAL is read
        store.close()
        assert not any(p.name.startswith("coach.sqlite3.set-aside") for p in tmp_path.iterdir())
    finally:
        writer.communicate("\n", timeout=10)


def test_a_hot_rollback_journal_is_set_aside(tmp_path: Path) -> None:
    """Coach never writes a rollback journal: one beside the history is not its own."""
    path = tmp_path / "home" / "coach.sqlite3"
    mine = history(path, breaks=2)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(os.urandom(900),) for _ in range(60)])
    conn.execute("BEGIN")
    conn.execute("UPDATE t SET x = zeroblob(900)")
    conn.execute("PRAGMA cache_spill = 1")
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("UPDATE t SET x = zeroblob(800)")  # spills: the journal holds pages
    journal = Path(f"{other}-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    assert len(journal) > 512
    Path(f"{path}-journal").write_bytes(journal)
    store, notes = open_history(path, recover=True)
    assert uids(store) == set(mine) and f"{path}-journal" in notes[0]
    store.close()
    assert Path(f"{path}.set-aside-1-journal").read_bytes() == journal


def test_read_only_folder_reads_stats_and_leaves_every_byte(tmp_path: Path) -> None:
    from tests.disks import read_only

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "coach.sqlite3"
    mine = history(path, breaks=3)
    before = path.read_bytes()
    with read_only(folder) as set_read_only:
        set_read_only(True)
        store, notes = open_history(path, write=False)
        assert notes == [] and uids(store) == set(mine)
        assert st.day_stats(store, DAY.date()).done == 3
        store.close()
    assert sorted(p.name for p in folder.iterdir()) == ["coach.sqlite3"]
    assert path.read_bytes() == before


def test_an_older_schema_is_read_without_being_migrated_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    history(path, breaks=1)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX runs_started")
        conn.execute("ALTER TABLE bouts DROP COLUMN ongoing")
        conn.execute("DROP TABLE standing")  # schema 6
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    store, _notes = open_history(path, write=False)
    assert len(uids(store)) == 1
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert SCHEMA_VERSION > 3


def test_a_schema_claimed_but_not_there_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE unrelated (x)")
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    for write in (False, True):
        with pytest.raises(StoreError, match="not a Coach history"):
            open_history(path, write=write)
    store, notes = open_history(path, recover=True)  # the app: set aside, start anew
    assert "not a Coach history" in notes[0] and path.with_name("coach.sqlite3.broken-1").exists()
    store.close()


def test_one_implausible_record_costs_nothing(tmp_path: Path) -> None:
    """The repro: a bout ending at 1e15 made `coach stats` loop once per day of it.
    Text in a number column made it raise TypeError."""
    path = tmp_path / "coach.sqlite3"
    history(path, breaks=2)
    with sqlite3.connect(path) as conn:
        start = DAY.timestamp()
        conn.execute(
            "INSERT INTO bouts (start, end, sat_s, utc_offset) VALUES (?, 1e15, 3600, 60)",
            (start - 7200,),
        )
        conn.execute(
            "INSERT INTO bouts (start, end, sat_s, utc_offset) VALUES (?, ?, 'lots', 60)",
            (start - 9000, start),
        )
        away = (start - 90, start + 2e7)
        conn.execute("INSERT INTO away VALUES (NULL, ?, ?, 'asleep', 60)", away)
        conn.execute(
            "INSERT INTO breaks (uid, kind, exercise, due, utc_offset, outcome, snoozes) "
            "VALUES ('x', 'micro', 'a', 'soon', 60, 'done', 0)"
        )
    conn.close()
    store, _notes = open_history(path, write=False)
    today = DAY.date()  # before the fix, this never returned
    overview = st.overview(store, today)
    assert st.streak(store, date(2099, 12, 31)) == 1
    assert overview.today.bouts == 2 and overview.today.done == 2
    assert overview.timeline.away[0].end_h == 24.0  # 200 days away: cut to the day
    store.close()


def test_a_wal_that_cannot_be_tried_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No room for the trial copy: nothing is set aside, applied or lost."""
    source = tmp_path / "live" / "coach.sqlite3"
    mine = history(source, breaks=2)
    path = tmp_path / "home" / "coach.sqlite3"
    added = crashed_copy(source, path, 5, DAY + timedelta(days=1))
    files = {p.name: p.read_bytes() for p in path.parent.iterdir()}

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    store, notes = open_history(path, recover=True)
    assert "cannot be checked" in notes[0] and uids(store) == set()  # this session in memory
    store.close()
    reader, notes = open_history(path, write=False)
    assert "shown without it" in notes[0] and uids(reader) == set(mine)
    reader.close()
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == files
    monkeypatch.undo()
    store, notes = open_history(path, recover=True)
    assert notes == [] and uids(store) == {*mine, *added}
    store.close()


def test_a_foreign_wal_in_a_read_only_folder_is_left_and_the_app_runs(tmp_path: Path) -> None:
    from tests.disks import read_only

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "coach.sqlite3"
    mine = history(path, breaks=2)
    theirs = tmp_path / "other" / "coach.sqlite3"
    history(theirs, breaks=4, start=DAY + timedelta(days=30))
    crashed_copy(theirs, tmp_path / "y" / "coach.sqlite3", 30, DAY + timedelta(days=31))
    shutil.copyfile(tmp_path / "y" / "coach.sqlite3-wal", f"{path}-wal")
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    with read_only(folder) as set_read_only:
        set_read_only(True)
        if os.access(folder, os.W_OK):
            pytest.skip("root writes a chmod 0500 folder; the read-only mount needs root")
        store, notes = open_history(path, recover=True)
        assert "cannot be set aside" in notes[0] and uids(store) == set()
        store.close()
        reader, _notes = open_history(path, write=False)
        assert uids(reader) == set(mine)
        reader.close()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
