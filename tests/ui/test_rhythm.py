"""The end-of-day summary and the weekly check-in: scheduling, texts, answers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from apscheduler.executors.debug import DebugExecutor
from PySide6.QtCore import QTimer

from coach.config.settings import Settings
from coach.core.clock import FakeClock
from coach.history.store import Store
from coach.service import CoachService
from coach.ui.rhythm import CHECKIN_GRACE_S, MAX_WAIT_S, SUMMARY_GRACE_S, Rhythm
from tests.apps import folder_paths
from tests.fakes.picker import TierPicker

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

CET = timezone(timedelta(hours=1))
FRIDAY = datetime(2026, 11, 20, 17, 30, tzinfo=CET)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "coach.sqlite3")
    yield s
    s.close()


class Notes:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def __call__(self, title: str, body: str) -> None:
        self.shown.append((title, body))


def make(store: Store, **settings: object) -> tuple[Rhythm, Notes, FakeClock]:
    notes, clock = Notes(), FakeClock(FRIDAY)
    s = Settings(**settings)  # type: ignore[arg-type]
    r = Rhythm(s, CoachService(s, store, clock, TierPicker()), notes, {})
    return r, notes, clock


def test_both_jobs_are_cron_jobs_in_the_qt_thread_with_deliberate_grace(
    qtbot, store: Store
) -> None:
    r, _, _ = make(store, workday_end="16:45")
    r.start()
    try:
        jobs = {j.id: j for j in r.scheduler.get_jobs()}
        assert set(jobs) == {"summary", "checkin"}
        fields = {name: {f.name: str(f) for f in job.trigger.fields} for name, job in jobs.items()}
        assert (fields["summary"]["hour"], fields["summary"]["minute"]) == ("16", "45")
        assert fields["summary"]["day_of_week"] == "*"
        assert (fields["checkin"]["day_of_week"], fields["checkin"]["hour"]) == ("fri", "16")
        assert jobs["summary"].misfire_grace_time == SUMMARY_GRACE_S == 3600
        assert jobs["checkin"].misfire_grace_time == CHECKIN_GRACE_S
        assert isinstance(r.scheduler._lookup_executor("default"), DebugExecutor)
        assert r.scheduler.running
    finally:
        r.stop()
    assert not r.scheduler.running


def test_switched_off_nothing_is_scheduled(qtbot, store: Store) -> None:
    r, _, _ = make(store, end_of_day_summary=False, weekly_checkin=False)
    r.start()
    assert not r.scheduler.running and r.scheduler.get_jobs() == []
    r.stop()
    r, _, _ = make(store, end_of_day_summary=False)
    r.start()
    assert [j.id for j in r.scheduler.get_jobs()] == ["checkin"]
    r.stop()


def test_one_wake_up_timer_and_never_longer_than_a_few_minutes(qtbot, store: Store) -> None:
    """APScheduler's QtScheduler would start another timer chain on every wake-up."""
    r, _, _ = make(store)
    r.start()
    try:
        for _ in range(5):
            r.scheduler.wakeup()
        timers = r.findChildren(QTimer)
        assert len(timers) == 1
        qtbot.waitUntil(lambda: timers[0].interval() > 0)  # back to waiting for a job
        assert timers[0].isActive() and timers[0].interval() <= MAX_WAIT_S * 1000
    finally:
        r.stop()
    assert not timers[0].isActive()


def test_a_due_job_runs_in_the_qt_thread(
    qtbot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran_in: list[threading.Thread] = []
    monkeypatch.setattr(Rhythm, "summarize", lambda self: ran_in.append(threading.current_thread()))
    r, _, _ = make(store, weekly_checkin=False)
    r.start()
    try:
        r.scheduler.get_job("summary").modify(next_run_time=datetime.now(UTC))
        qtbot.waitUntil(lambda: bool(ran_in))
    finally:
        r.stop()
    assert ran_in == [threading.main_thread()]


# -- the summary -------------------------------------------------------------------------
def test_no_summary_on_a_day_without_records(store: Store) -> None:
    r, notes, _ = make(store)
    r.summarize()
    assert notes.shown == []


def test_summary_of_a_good_day_mentions_the_streak(store: Store) -> None:
    r, notes, _ = make(store)
    for days_ago in (1, 0):
        start = FRIDAY.replace(hour=9) - timedelta(days=days_ago)
        store.add_bout(start, start + timedelta(minutes=50), 50 * 60)
    uid = store.offer_break("micro", "seated-cat-cow", FRIDAY.replace(hour=9, minute=30))
    store.update_break(uid, outcome="done", when=FRIDAY.replace(hour=9, minute=31))
    store.offer_break("micro", "seated-cat-cow", FRIDAY.replace(hour=11))
    r.summarize()
    assert notes.shown == [
        ("Today: 50 min of sitting", "1 of 2 breaks taken. No bout over 60 min: 2 days in a row.")
    ]


def test_summary_of_a_day_with_long_bouts_is_kind(store: Store) -> None:
    r, notes, _ = make(store, goal_max_bout_min=45)
    start = FRIDAY.replace(hour=9)
    store.add_bout(start, start + timedelta(minutes=50), 50 * 60)
    r.summarize()
    assert notes.shown[0][1] == (
        "0 of 0 breaks taken. 1 bout over 45 min today; tomorrow is a new day."
    )


# -- the check-in ------------------------------------------------------------------------
def test_checkin_records_the_score_once_a_week(qtbot, store: Store) -> None:
    r, _, clock = make(store)
    r.ask_checkin()
    window = r.checkin_window
    assert window is not None and window.isVisible()
    qtbot.addWidget(window)
    assert [b.text() for b in window.buttons] == [str(n) for n in range(11)]
    artifacts = Path(__file__).resolve().parents[2] / "artifacts"
    artifacts.mkdir(exist_ok=True)
    assert window.grab().save(str(artifacts / "checkin-window.png"))
    window.buttons[7].click()
    assert not window.isVisible()
    assert list(store.history_rows("checkins")) == [(FRIDAY.timestamp(), 60, 7)]
    clock.advance(3600)
    r.ask_checkin()  # the same week: already answered
    assert not window.isVisible()
    clock.advance(7 * 86_400)
    r.ask_checkin()
    assert window.isVisible()
    window.skip_button.click()
    assert not window.isVisible() and len(list(store.history_rows("checkins"))) == 1


def test_closing_the_checkin_is_skipping(qtbot, store: Store) -> None:
    r, _, _ = make(store)
    r.ask_checkin()
    window = r.checkin_window
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.skipped):
        window.close()
    assert list(store.history_rows("checkins")) == []
    r.stop()


def test_the_app_starts_its_rhythm_only_when_switched_on(
    tmp_path: Path, make_app: Callable[..., CoachApp]
) -> None:
    off = make_app({"end_of_day_summary": False, "weekly_checkin": False}, clock=FakeClock(FRIDAY))
    off.start_rhythm()
    assert off._rhythm is None
    on = make_app(
        {"workday_end": "18:05"}, paths=folder_paths(tmp_path / "on"), clock=FakeClock(FRIDAY)
    )
    on.start_rhythm()
    assert on._rhythm is not None and on._rhythm.scheduler.running
    assert {
        str(f)
        for f in on._rhythm.scheduler.get_job("summary").trigger.fields
        if f.name in ("hour", "minute")
    } == {"18", "5"}
