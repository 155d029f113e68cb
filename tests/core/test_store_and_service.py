"""The SQLite log and the Qt-free service that records every answer."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.config.settings import Settings
from coach.core.clock import FakeClock
from coach.core.events import Answer, BreakDue, PainGuidance
from coach.core.modes import Mode
from coach.core.sample import Sample
from coach.history.stats import day_stats
from coach.history.store import SCHEMA_VERSION, Store, StoreError, set_aside
from coach.service import CoachService

CET = timezone(timedelta(hours=1))
ACTIVE = Sample(idle_s=0.0)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data" / "coach.sqlite3")


class FakePicker:
    exercises = ()  # no library: breaks show as "stand up and move"

    def __init__(self) -> None:
        self.excluded: set[str] = set()
        self.count = 0

    def __call__(self, tier: str) -> str:
        self.count += 1
        return f"ex-{tier}" if tier == "micro" else f"ex-{tier}-{self.count}"

    def exclude(self, exercise: str) -> None:
        self.excluded.add(exercise)

    def include(self, exercise: str) -> None:
        self.excluded.discard(exercise)

    def reconfigure(self, settings: Settings) -> None:
        """Nothing here depends on the settings."""


def service(store: Store, clock: FakeClock, **settings: object) -> CoachService:
    return CoachService(
        Settings(**settings),
        store,
        clock,  # type: ignore[arg-type]
        FakePicker(),
    )


def sit(svc: CoachService, clock: FakeClock, seconds: float) -> list[str]:
    names = []
    for _ in range(int(seconds // 5)):
        clock.advance(5)
        names += [e.name for e in svc.tick(ACTIVE)]
    return names


def test_new_database_is_versioned_wal_and_private(tmp_path: Path, store: Store) -> None:
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.path.parent).st_mode) == 0o700


def test_future_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer Coach"):
        Store.open(path)
    assert path.read_bytes() == before


def test_garbage_file_is_reported_and_can_be_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=str(path)):
        Store.open(path)
    moved = set_aside(path)
    assert moved.read_bytes().startswith(b"this is not")
    assert Store.open(path).conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_every_answer_is_recorded(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    assert "break_due" in sit(svc, clock, 30 * 60 + 5)
    prompt = svc.engine.prompt
    assert prompt is not None
    svc.answer(prompt.id, "snooze")
    sit(svc, clock, 5 * 60 + 5)
    prompt = svc.engine.prompt
    assert prompt is not None and prompt.snoozes == 1
    clock.advance(45)
    svc.answer(prompt.id, "done")
    rows = store.conn.execute(
        "SELECT kind, exercise, outcome, snoozes, utc_offset FROM breaks"
    ).fetchall()
    assert rows == [("micro", "ex-micro", "done", 1, 60)]
    stats = day_stats(store, date(2026, 11, 16))
    assert (stats.offered, stats.done, stats.snoozed, stats.bouts) == (1, 1, 1, 1)
    assert stats.sitting_s == pytest.approx(35 * 60 + 10, abs=10)


def test_skip_and_missed_are_recorded(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    sit(svc, clock, 30 * 60 + 5)
    prompt = svc.engine.prompt
    assert prompt is not None
    svc.answer(prompt.id, "skip")
    sit(svc, clock, 31 * 60)  # the next one is ignored for ten minutes
    sit(svc, clock, 11 * 60)
    outcomes = [r[0] for r in store.conn.execute("SELECT outcome FROM breaks ORDER BY id")]
    assert outcomes[:2] == ["skipped", "missed"]


def test_breaks_left_open_by_a_crash_count_as_missed(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    first = Store.open(path)
    sit(service(first, clock), clock, 30 * 60 + 5)
    first.close()  # no finish(): as after a crash
    second = Store.open(path)
    service(second, clock)
    assert [r[0] for r in second.conn.execute("SELECT outcome FROM breaks")] == ["missed"]


def test_bouts_carry_wall_clock_times(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    sit(svc, clock, 20 * 60)
    svc.finish()
    start, end, sat, offset = store.conn.execute(
        "SELECT start, end, sat_s, utc_offset FROM bouts"
    ).fetchone()
    assert datetime.fromtimestamp(start, CET) == pytest.approx(
        datetime(2026, 11, 16, 9, 0, 5, tzinfo=CET), abs=timedelta(seconds=6)
    )
    assert end - start == pytest.approx(sat, abs=1)
    assert offset == 60
    assert store.conn.execute("SELECT ended FROM runs").fetchone()[0] is not None


def test_pause_until_tomorrow_reaches_local_midnight(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 16, 30, tzinfo=CET))
    svc = service(store, clock)
    svc.pause_until_tomorrow()
    status = svc.status()
    assert status.mode == Mode.PAUSED
    assert status.until == datetime(2026, 11, 17, 0, 0, tzinfo=CET)


def test_migration_from_schema_1_keeps_every_record(tmp_path: Path) -> None:
    from coach.history.store import MIGRATIONS

    path = tmp_path / "coach.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO breaks (uid, kind, exercise, due, utc_offset, outcome, "
            "snoozes) VALUES ('u1', 'micro', 'posture-reset', 1e9, 60, 'done', 1)"
        )
    store = Store.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.conn.execute("SELECT uid, outcome, snoozes FROM breaks").fetchall() == [
        ("u1", "done", 1)
    ]
    store.update_break("u1", outcome="hurt", when=datetime(2026, 1, 1, tzinfo=CET))
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_it_hurts_stops_offering_and_advises_at_once(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    guidance = []
    for _n in range(4):
        svc.take_break_now()
        prompt = svc.engine.prompt
        assert prompt is not None
        events = svc.answer(prompt.id, Answer.HURT)
        guidance += [e for e in events if isinstance(e, PainGuidance)]
        assert prompt.exercise in svc.picker.excluded  # type: ignore[attr-defined]
        clock.advance(3600)
    assert [g.reports for g in guidance] == [1, 2, 3, 4]  # every report counts
    assert [g.repeated for g in guidance] == [False, False, True, True]
    assert store.painful_exercises() == {f"ex-exercise-{n}" for n in range(1, 5)}
    assert [r[0] for r in store.conn.execute("SELECT outcome FROM breaks")] == ["hurt"] * 4
    # Restarting keeps them excluded; switching one back on offers it again.
    again = service(store, clock)
    assert again.picker.excluded == store.painful_exercises()  # type: ignore[attr-defined]
    again.switch_back_on("ex-exercise-1")
    assert "ex-exercise-1" not in again.picker.excluded  # type: ignore[attr-defined]
    assert "ex-exercise-1" not in store.painful_exercises()


def test_a_due_break_arrives_ready_to_show(store: Store) -> None:
    """The exercise and its dose at the user's level come with the break: the UI never
    asks back."""
    from coach.exercises.catalog import load_library
    from coach.exercises.picker import Picker

    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    settings = Settings(strictness="strict")
    svc = CoachService(settings, store, clock, Picker(load_library()[0], settings))
    [due] = [e for e in svc.take_break_now() if isinstance(e, BreakDue)]
    assert due.planned is not None and due.planned.exercise.id == due.exercise
    assert due.planned.dose == svc.dose(due.planned.exercise, due.tier)
    assert due.answers == {Answer.DONE, Answer.SNOOZE, Answer.HURT}  # strict: no skip


def test_work_hours_hold_breaks_but_count_sitting(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 7, 30, tzinfo=CET))  # a Monday, early
    svc = service(store, clock, work_hours="Mon-Fri 08:30-17:30")
    names = sit(svc, clock, 55 * 60)  # 07:30 - 08:25: sitting but no break
    status = svc.status()
    assert "break_due" not in names and status.sitting_s > 50 * 60
    assert status.mode == Mode.OFF_HOURS
    assert status.until == datetime(2026, 11, 16, 8, 30, tzinfo=CET)
    assert "break_due" in sit(svc, clock, 10 * 60)  # after 08:30 the break comes
    assert svc.status().mode == Mode.ON


def test_not_now_is_one_mode_with_the_users_choice_first(store: Store) -> None:
    """Busy while the desktop says so; a meeting the user starts outranks it and ends
    by itself after two hours."""
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    svc.tick(Sample(idle_s=0.0, presence=True, busy=True))
    assert (svc.status().mode, svc.status().until) == (Mode.BUSY, None)
    svc.start_meeting()
    assert svc.status().mode == Mode.MEETING and svc.status().paused
    clock.advance(2 * 3600)
    svc.tick(ACTIVE)
    assert svc.status().mode == Mode.ON


def test_impossible_work_hours_are_reported_and_ignored(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 7, 30, tzinfo=CET))
    svc = service(store, clock, work_hours="Mon-Fri 17:00-08:00")
    assert svc.work_hours is None and "not after the start" in svc.notices[0]


def test_escalation_is_offered_once(store: Store) -> None:
    clock = FakeClock(datetime(2026, 11, 20, 16, 0, tzinfo=CET))
    for day in range(4):
        when = datetime(2026, 11, 16 + day, 11, 5, tzinfo=CET)
        uid = store.offer_break("micro", "x", when)
        store.update_break(uid, outcome="skipped", when=when)
    svc = service(store, clock)
    offer = svc.escalation_offer()
    assert offer is not None and offer.hour == 11
    assert svc.escalation_offer() is None  # never nagging


# -- the bout in progress ------------------------------------------------------------
def test_the_bout_in_progress_counts_in_the_statistics(store: Store) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    sit(svc, clock, 4 * 60)  # the tray says "Sitting now: 4 min"
    today = day_stats(store, clock.wall().date())
    assert today.sitting_s == pytest.approx(4 * 60, abs=35)
    assert today.bouts == 1 and today.ongoing
    sit(svc, clock, 60)
    svc.finish()
    closed = day_stats(store, clock.wall().date())
    assert closed.bouts == 1 and not closed.ongoing  # the same row, closed
    assert closed.sitting_s == pytest.approx(5 * 60, abs=5)


def test_an_unclean_stop_loses_at_most_the_write_ahead_interval(tmp_path: Path) -> None:
    """A run that is never finished (kill -9) keeps its bout as last written ahead; the
    next run settles it as a plain bout."""
    path = tmp_path / "coach.sqlite3"
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=CET))
    for minutes in (7, 13, 2):
        svc = service(Store.open(path), clock)
        sit(svc, clock, minutes * 60 + 25)
        svc.store.close()  # no finish: the process died
        clock.advance(3600)
    service(Store.open(path), clock)
    rows = sqlite3.connect(path).execute("SELECT sat_s, ongoing FROM bouts").fetchall()
    assert [ongoing for _, ongoing in rows] == [0, 0, 0]
    for (sat_s, _), minutes in zip(rows, (7, 13, 2), strict=True):
        assert minutes * 60 + 25 - sat_s <= 30  # lost at most the write-ahead interval


def test_nothing_is_written_ahead_while_away(store: Store) -> None:
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=CET))
    svc = service(store, clock)
    sit(svc, clock, 60)
    changes = store.conn.total_changes
    for _ in range(40):  # 10 minutes away, ticking every 15 s
        clock.advance(15)
        svc.tick(Sample(idle_s=clock.mono()))
    assert store.conn.total_changes - changes <= 2  # the bout closed once, the away span
