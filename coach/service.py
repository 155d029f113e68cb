"""The running coach without Qt: engine + clock + store.

The UI calls `tick(sample)` on a timer and `answer(...)` when the user clicks; this
class turns the engine's monotonic times into wall-clock records and writes each one
in its own transaction before returning, so what the UI acknowledges is on disk.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Protocol

from coach import events as ev
from coach import work_hours
from coach.clock import Clock
from coach.engine import Engine, Status
from coach.events import Event
from coach.exercises import progression
from coach.sample import Sample
from coach.exercises.catalog import Exercise
from coach.settings import Settings
from coach.store import Store

log = logging.getLogger(__name__)

PAIN_WINDOW = timedelta(days=14)
PAIN_REPORTS_FOR_GUIDANCE = 3


class ExercisePicker(Protocol):
    def __call__(self, tier: str) -> str: ...

    def exclude(self, exercise: str) -> None: ...

    def include(self, exercise: str) -> None: ...


class CoachService:
    def __init__(self, settings: Settings, store: Store, clock: Clock,
                 picker: ExercisePicker) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.picker = picker
        for exercise in store.painful_exercises():
            picker.exclude(exercise)
        self.engine = Engine(settings, picker)
        self.notices: list[str] = []  # problems to tell the user once
        try:
            self.work_hours = work_hours.parse(settings.work_hours)
        except ValueError as exc:
            self.work_hours = None
            self.notices.append(f"work_hours: {exc}; breaks are offered at any hour")
            log.warning("work_hours: %s", exc)
        self._uids: dict[int, str] = {}  # engine break id -> store uid
        store.close_open_breaks(clock.wall())
        self.run_id = store.start_run(clock.wall())

    def _wall(self, at: float) -> datetime:
        """The wall-clock time of monotonic reading `at`."""
        return self.clock.wall() - timedelta(seconds=self.clock.mono() - at)

    def in_work_hours(self) -> bool:
        return self.work_hours is None or self.work_hours.contains(self.clock.wall())

    def update_settings(self, settings: Settings) -> None:
        """Use new settings from now on; the sitting so far counts on (settings dialog)."""
        self.settings = self.engine.settings = self.engine.tracker.settings = settings
        self.picker.settings = settings  # type: ignore[attr-defined]
        try:
            self.work_hours = work_hours.parse(settings.work_hours)
        except ValueError as exc:  # the dialog checks the form; parse has the last word
            log.warning("work_hours: %s", exc)
            self.work_hours = None

    def tick(self, sample: Sample) -> list[Event]:
        events = self.engine.tick(self.clock.mono(), sample, quiet=not self.in_work_hours())
        self._record(events)
        return events

    def answer(self, break_id: int, outcome: str, reason: str | None = None) -> list[Event]:
        """Done, snooze, skip or hurt; recorded before this returns."""
        events = self.engine.answer(self.clock.mono(), break_id, outcome, reason)
        self._record(events)
        for hurt in [e for e in events if e.event == ev.BREAK_HURT]:
            events += self._pain_reported(hurt)
        return events

    def _pain_reported(self, hurt: Event) -> list[Event]:
        """Stop offering the exercise; after repeated reports, point to care once."""
        exercise = hurt.data["exercise"]
        wall = self.clock.wall()
        self.store.report_pain(exercise, wall)
        self.picker.exclude(exercise)
        recent = self.store.pain_reports_since(wall - PAIN_WINDOW)
        shown = self.store.last_notice(ev.PAIN_GUIDANCE)
        if len(recent) >= PAIN_REPORTS_FOR_GUIDANCE and (
                shown is None or shown < (wall - PAIN_WINDOW).timestamp()):
            self.store.mark_notice_shown(ev.PAIN_GUIDANCE, wall)
            return [Event(hurt.at, ev.PAIN_GUIDANCE, {"reports": len(recent)})]
        return []

    def switch_back_on(self, exercise: str) -> None:
        """Offer an exercise again that the user had marked painful."""
        self.store.switch_back_on(exercise, self.clock.wall())
        self.picker.include(exercise)

    def dose(self, exercise: Exercise) -> progression.Dose:
        """The exercise's dose at the user's current progression level."""
        wall = self.clock.wall()
        weeks = self.store.done_exercise_breaks_per_week(wall, progression.MAX_LEVEL)
        recent_pain = bool(self.store.pain_reports_since(wall - PAIN_WINDOW))
        return progression.dose(exercise, progression.level(weeks, recent_pain))

    def take_break_now(self) -> list[Event]:
        events = self.engine.take_break_now(self.clock.mono())
        self._record(events)
        return events

    def pause(self, seconds: float) -> list[Event]:
        now = self.clock.mono()
        events = self.engine.pause(now, now + seconds)
        self._record(events)
        return events

    def pause_until_tomorrow(self) -> list[Event]:
        wall = self.clock.wall()
        tomorrow = datetime.combine(wall.date() + timedelta(days=1), time(0), wall.tzinfo)
        return self.pause((tomorrow - wall).total_seconds())

    def resume(self) -> None:
        self.engine.resume()

    def status(self) -> Status:
        return self.engine.status(self.clock.mono())

    def finish(self) -> None:
        """Record the open bout and the end of this run (quit)."""
        self._record(self.engine.finish(self.clock.mono()))
        self.store.end_run(self.run_id, self.clock.wall())

    def _record(self, events: list[Event]) -> None:
        for e in events:
            d = e.data
            if e.event == ev.BREAK_DUE:
                uid = self._uids.get(d["break_id"])
                if uid is None:
                    self._uids[d["break_id"]] = self.store.offer_break(
                        d["kind"], d["exercise"], self._wall(e.at))
                else:  # re-shown after a snooze, or merged into an exercise break
                    self.store.update_break(uid, outcome="open", when=self._wall(e.at),
                                            kind=d["kind"], exercise=d["exercise"])
            elif e.event in _OUTCOME:
                uid = self._uids[d["break_id"]]
                if e.event != ev.BREAK_SNOOZED:
                    del self._uids[d["break_id"]]
                self.store.update_break(uid, outcome=_OUTCOME[e.event],
                                        when=self._wall(e.at), reason=d.get("reason"))
            elif e.event == ev.SITTING_BOUT:
                self.store.add_bout(self._wall(d["start"]), self._wall(d["end"]), d["sat_s"])
            elif e.event == ev.NATURAL_BREAK:
                self.store.add_away(self._wall(d["start"]), self._wall(d["end"]), d["cause"])


_OUTCOME = {ev.BREAK_DONE: "done", ev.BREAK_SNOOZED: "snoozed",
            ev.BREAK_SKIPPED: "skipped", ev.BREAK_MISSED: "missed", ev.BREAK_HURT: "hurt"}
