"""Daily and weekly rhythm: the end-of-day summary and the weekly check-in.

Both are APScheduler cron jobs on a Qt scheduler whose jobs run in the Qt thread (the
`debug` executor). Deliberate choices:

- All jobs are added before the scheduler starts, and the scheduler's wake-up is one
  restartable QTimer (APScheduler's own QtScheduler starts a new single-shot timer on
  every wake-up without cancelling the old one, so timer chains pile up).
- A QTimer does not count time the machine sleeps, so the timer never waits longer
  than MAX_WAIT_S: after a resume the scheduler looks at the wall clock within minutes.
- misfire_grace_time: a summary more than an hour late is about a day that is over and
  is dropped; the check-in may come up to two days late (Friday evening to Sunday), so
  it stays in the week it asks about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Protocol

from apscheduler.executors.debug import DebugExecutor  # type: ignore[import-untyped]  # APScheduler 3 has no type hints
from apscheduler.schedulers.qt import QtScheduler  # type: ignore[import-untyped]  # APScheduler 3 has no type hints
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]  # APScheduler 3 has no type hints
from PySide6.QtCore import QObject, QTimer, Signal

from coach.config.settings import Settings
from coach.core.durations import format_duration
from coach.history.store import History
from coach.i18n import _, ngettext

if TYPE_CHECKING:  # loaded when a job runs: the tray carries neither all day
    from coach.ui.checkin_window import CheckinWindow

log = logging.getLogger(__name__)


class Diary(Protocol):
    """What the rhythm reads and writes (the service provides it)."""

    @property
    def history(self) -> History: ...

    def today(self) -> date: ...

    def add_checkin(self, score: int) -> None: ...


MAX_WAIT_S = 300
SUMMARY_GRACE_S = 3600
CHECKIN_GRACE_S = 2 * 86_400
CHECKIN_DAY = "fri"


class _Scheduler(QtScheduler):  # type: ignore[misc]  # its base is untyped (Any)
    """APScheduler's Qt scheduler with one QTimer that is restarted, never duplicated."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(executors={"default": DebugExecutor()})
        self._wake = QTimer(parent)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self._process_jobs)

    def _start_timer(self, wait_seconds: float | None) -> None:
        self._wake.stop()
        if wait_seconds is not None:
            self._wake.start(int(min(wait_seconds, MAX_WAIT_S) * 1000))

    def _stop_timer(self) -> None:
        self._wake.stop()


class Rhythm(QObject):
    """The scheduled jobs of one running app; `start()` once, `stop()` on quit.
    Emits `checked_in()` after a weekly check-in is recorded."""

    checked_in = Signal()

    def __init__(
        self,
        settings: Settings,
        diary: Diary,
        notify: Callable[[str, str], None],
        kinds: Mapping[str, str],
    ) -> None:
        super().__init__()
        self.settings = settings
        self.diary = diary
        self.notify = notify
        self.kinds = dict(kinds)
        self.checkin_window: CheckinWindow | None = None
        self.scheduler = _Scheduler(self)

    def start(self) -> None:
        """Schedule what the settings switch on (all jobs before the scheduler starts)."""
        s = self.settings
        hour, minute = (int(part) for part in s.workday_end.split(":"))
        if s.end_of_day_summary:
            self.scheduler.add_job(
                self.summarize,
                CronTrigger(hour=hour, minute=minute),
                id="summary",
                misfire_grace_time=SUMMARY_GRACE_S,
                coalesce=True,
            )
        if s.weekly_checkin:
            self.scheduler.add_job(
                self.ask_checkin,
                CronTrigger(day_of_week=CHECKIN_DAY, hour=hour, minute=minute),
                id="checkin",
                misfire_grace_time=CHECKIN_GRACE_S,
                coalesce=True,
            )
        if self.scheduler.get_jobs():
            self.scheduler.start()
            for job in self.scheduler.get_jobs():
                log.info("scheduled %s, next at %s", job.id, job.next_run_time)

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.remove_all_jobs()
            self.scheduler.shutdown(wait=False)
        if self.checkin_window is not None:
            self.checkin_window.hide()

    # -- the jobs ----------------------------------------------------------------------
    def summary_text(self, day: date) -> tuple[str, str] | None:
        """The notification for `day`, or None when nothing was recorded that day."""
        from coach.history import stats as st

        goal_s = self.settings.goal_max_bout_min * 60
        from coach.history import shape

        d = st.day_stats(self.diary.history, day, self.kinds, goal_s)
        up = shape.shapes(self.diary.history, day, day, self.settings)[0]
        if not d.bouts and not d.offered and not up.standing_s:
            return None
        title = _("Today: {sitting} of sitting").format(sitting=format_duration(d.sitting_s))
        lines = [
            ngettext(
                "{done} of {offered} break taken.", "{done} of {offered} breaks taken.", d.offered
            ).format(done=d.done, offered=d.offered)
        ]
        goal = self.settings.goal_max_bout_min
        if d.meets_goal:
            streak = st.streak(self.diary.history, day, goal_s)
            lines.append(
                ngettext(
                    "No bout over {goal} min: {n} day in a row.",
                    "No bout over {goal} min: {n} days in a row.",
                    streak,
                ).format(goal=goal, n=streak)
            )
        elif d.bouts_over_goal:
            lines.append(
                ngettext(
                    "{n} bout over {goal} min today; tomorrow is a new day.",
                    "{n} bouts over {goal} min today; tomorrow is a new day.",
                    d.bouts_over_goal,
                ).format(n=d.bouts_over_goal, goal=goal)
            )
        if up.standing_s:
            lines.append(
                _("You stood for {standing}.").format(standing=format_duration(up.standing_s))
            )
        if up.goal_s:
            lines.append(
                _("Standing and moving: {up} of your {goal} goal.").format(
                    up=format_duration(up.up_s), goal=format_duration(up.goal_s)
                )
            )
        return title, " ".join(lines)

    def summarize(self) -> None:
        text = self.summary_text(self.diary.today())
        if text is None:
            log.info("end-of-day summary skipped: nothing recorded today")
            return
        self.notify(*text)

    def ask_checkin(self) -> None:
        """Show the weekly check-in, unless this week's is already answered."""
        from coach.history.stats import checked_in_this_week
        from coach.ui.checkin_window import CheckinWindow
        from coach.ui.fit import fit_to_screen

        if checked_in_this_week(self.diary.history, self.diary.today()):
            log.info("weekly check-in skipped: already answered this week")
            return
        if self.checkin_window is None:
            self.checkin_window = CheckinWindow()
            self.checkin_window.answered.connect(self.record_checkin)
            self.checkin_window.skipped.connect(lambda: log.info("weekly check-in skipped"))
        fit_to_screen(self.checkin_window)
        self.checkin_window.show()
        self.checkin_window.raise_()

    def record_checkin(self, score: int) -> None:
        self.diary.add_checkin(score)
        log.info("weekly check-in recorded: %d", score)
        self.checked_in.emit()
