"""The running coach without Qt: engine + clock + store.

The UI calls `tick(sample)` on a timer and `answer(...)` when the user clicks; this
class turns the engine's monotonic times into wall-clock records and writes each one
in its own transaction before returning, so what the UI acknowledges is on disk.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from coach import events as ev
from coach.clock import Clock
from coach.engine import Engine, Picker, Status
from coach.events import Event
from coach.sample import Sample
from coach.settings import Settings
from coach.store import Store

log = logging.getLogger(__name__)


class CoachService:
    def __init__(self, settings: Settings, store: Store, clock: Clock, pick: Picker) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.engine = Engine(settings, pick)
        self._uids: dict[int, str] = {}  # engine break id -> store uid
        store.close_open_breaks(clock.wall())
        self.run_id = store.start_run(clock.wall())

    def _wall(self, at: float) -> datetime:
        """The wall-clock time of monotonic reading `at`."""
        return self.clock.wall() - timedelta(seconds=self.clock.mono() - at)

    def tick(self, sample: Sample) -> list[Event]:
        events = self.engine.tick(self.clock.mono(), sample)
        self._record(events)
        return events

    def answer(self, break_id: int, outcome: str, reason: str | None = None) -> list[Event]:
        """Done, snooze or skip; recorded before this returns."""
        events = self.engine.answer(self.clock.mono(), break_id, outcome, reason)
        self._record(events)
        return events

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
            ev.BREAK_SKIPPED: "skipped", ev.BREAK_MISSED: "missed"}
