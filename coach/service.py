"""The running coach without Qt: engine + clock + store.

The UI calls `tick(sample)` on a timer and `answer(...)` when the user clicks; this
class turns the engine's monotonic times into wall-clock records and writes each one
in its own transaction before returning, so what the UI acknowledges is on disk. When
the disk refuses (full, read-only), the records wait in memory, in order, and are
written at the next tick that can; `write_problem` says why meanwhile.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Protocol

from coach import i18n
from coach.config.settings import Settings
from coach.core import escalation, work_hours
from coach.core.clock import Clock
from coach.core.engine import Engine
from coach.core.events import (
    Answer,
    BreakDue,
    BreakHurt,
    BreakOutcome,
    BreakSkipped,
    BreakSnoozed,
    Event,
    NaturalBreak,
    PainGuidance,
    PhysioAdvice,
    Planned,
    SittingBout,
    StandingSpan,
    Tier,
)
from coach.core.modes import Mode, NotNow
from coach.core.sample import Sample
from coach.core.status import CoachStatus
from coach.exercises import catalog, dose_plan, progression
from coach.exercises.catalog import Exercise
from coach.exercises.dose_plan import PlannedDose
from coach.exercises.picker import Picker
from coach.history.store import History, Store, WriteError
from coach.i18n import _

log = logging.getLogger(__name__)

MEETING_MAX_S = 2 * 3600  # "in a meeting" ends by itself after this long
URGENT_AFTER_S = 60  # a break left waiting this long makes the tray icon look urgent
WRITE_AHEAD_S = 30  # the bout in progress is written this often: an unclean stop loses less
PAIN_WINDOW = progression.PAIN_HOLD
PAIN_REPORTS_FOR_GUIDANCE = 3  # reports in PAIN_WINDOW that add "see a physiotherapist"
PHYSIO_NOTICE = "physio_six_weeks"  # the store's notice key: six-week advice shown


class ExercisePicker(Protocol):
    @property
    def exercises(self) -> Sequence[Exercise]: ...

    def __call__(self, tier: Tier) -> str: ...

    def exclude(self, exercise: str) -> None: ...

    def include(self, exercise: str) -> None: ...

    def reconfigure(self, settings: Settings) -> None: ...


class CoachService:
    def __init__(
        self, settings: Settings, store: Store, clock: Clock, picker: ExercisePicker
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.picker = picker
        self._painful = store.painful_exercises()
        for exercise in self._painful:
            picker.exclude(exercise)
        self.library = {e.id: e for e in picker.exercises}  # what breaks can show
        self.engine = Engine(settings, picker)
        self.notices: list[str] = []  # problems to tell the user once
        try:
            self.work_hours = work_hours.parse(settings.work_hours)
        except ValueError as exc:
            self.work_hours = None
            self.notices.append(
                _("work_hours: {problem}; breaks are offered at any hour").format(problem=exc)
            )
            log.warning("work_hours: %s", exc)
        self._uids: dict[int, str] = {}  # engine break id -> store uid
        self._offsets: list[tuple[float, timedelta]] = []  # (mono, UTC offset from then)
        self._ahead_at = float("-inf")  # when it was written last (monotonic)
        self._ahead: tuple[float, float] | None = None  # (start, sat_s) written last
        self._stood_ahead: tuple[float, float] | None = None  # (start, end) written last
        self._pending: list[Callable[[], object]] = []  # writes the disk refused, in order
        self.write_problem: str | None = None  # why records wait in memory, for the UI
        self._shown: set[str] = set()  # notices marked shown in this run
        self._write(partial(store.close_open_breaks, clock.wall()))
        self.run_id: int | None = None
        try:
            self.run_id = store.start_run(clock.wall())
        except WriteError as exc:
            self.write_problem = str(exc)

    @classmethod
    def with_library(cls, settings: Settings, store: Store, clock: Clock) -> CoachService:
        """The service picking from the exercise library the settings choose (a pack, if
        set), varied against what was offered lately; what was wrong in the pack is
        among the `notices`."""
        pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
        exercises, problems = catalog.load_library(pack)
        picker = Picker(exercises, settings, recent=store.recent_exercises())
        service = cls(settings, store, clock, picker)
        service.notices[:0] = [str(problem) for problem in problems]
        language = i18n.resolve(settings.language)
        untranslated = sorted(e.id for e in exercises if not e.speaks(language))
        if untranslated:
            service.notices.append(
                _(
                    "Not translated into {language}, so left out while Coach speaks it: {exercises}"
                ).format(language=i18n.name(language), exercises=", ".join(untranslated))
            )
        return service

    def _wall(self, at: float) -> datetime:
        """The wall-clock time of monotonic reading `at`, in the UTC offset of that
        moment (a bout begun before a DST change or a flight keeps its local day)."""
        wall = self.clock.wall() - timedelta(seconds=self.clock.mono() - at)
        then = [offset for since, offset in self._offsets if since <= at]
        return wall.astimezone(timezone(then[-1])) if then else wall

    def _note_offset(self) -> None:
        """Remember the last few moments the UTC offset changed, for `_wall`."""
        offset = self.clock.wall().utcoffset()
        if offset is not None and (not self._offsets or self._offsets[-1][1] != offset):
            self._offsets = [*self._offsets[-3:], (self.clock.mono(), offset)]

    def _off_hours(self) -> NotNow | None:
        """Outside work hours: until they begin again (monotonic)."""
        wall = self.clock.wall()
        if self.work_hours is None or self.work_hours.contains(wall):
            return None
        start = self.work_hours.next_start(wall)
        until = None if start is None else self.clock.mono() + (start - wall).total_seconds()
        return NotNow(Mode.OFF_HOURS, until)

    def reconfigure(self, settings: Settings) -> None:
        """Use new settings from now on; the sitting so far counts on (settings dialog)."""
        self.settings = settings
        self.engine.reconfigure(settings)
        self.picker.reconfigure(settings)
        try:
            self.work_hours = work_hours.parse(settings.work_hours)
        except ValueError as exc:  # the dialog checks the form; parse has the last word
            log.warning("work_hours: %s", exc)
            self.work_hours = None

    def tick(self, sample: Sample) -> list[Event]:
        self._note_offset()
        if self._pending:
            self.flush()
        events = self.engine.tick(self.clock.mono(), sample, self._off_hours())
        events = self._record(events)
        if self.clock.mono() - self._ahead_at >= WRITE_AHEAD_S:
            self.write_ahead()
        return events

    def write_ahead(self) -> None:
        """Write the bout or standing span in progress as it stands, in one small
        transaction, so that the statistics include it and an unclean stop keeps it
        (marked ongoing)."""
        mono = self.clock.mono()
        bout = self.engine.open_bout(mono)
        if bout is not None and (bout.start, bout.sat_s) != self._ahead:  # not while away
            self._ahead, self._ahead_at = (bout.start, bout.sat_s), mono
            self._write_bout(bout, ongoing=True)
        span = self.engine.open_standing(mono)
        if span is not None and (span.start, span.end) != self._stood_ahead:
            self._stood_ahead, self._ahead_at = (span.start, span.end), mono
            self._write_standing(span, ongoing=True)

    def answer(self, break_id: int, answer: Answer, reason: str | None = None) -> list[Event]:
        """Done, snooze, skip or hurt; recorded before this returns."""
        events = self._record(self.engine.answer(self.clock.mono(), break_id, answer, reason))
        for hurt in [e for e in events if isinstance(e, BreakHurt)]:
            events += self._pain_reported(hurt)
        return events

    def _pain_reported(self, hurt: BreakHurt) -> list[Event]:
        """Stop offering the exercise and show the documents' advice at once; every
        report counts (the dose plan's hold, the count, the six-week rule)."""
        wall = self.clock.wall()
        self._write(partial(self.store.report_pain, hurt.exercise, wall))
        self._painful.add(hurt.exercise)
        self.picker.exclude(hurt.exercise)
        reports = len(self.store.pain_reports_since(wall - PAIN_WINDOW))
        events: list[Event] = [PainGuidance(hurt.at, reports, reports >= PAIN_REPORTS_FOR_GUIDANCE)]
        if self.physio_advice_due():
            events.append(PhysioAdvice(hurt.at))
        return events

    def physio_advice_due(self) -> bool:
        """True once: when the records show complaints for more than six weeks (003)."""
        if self._shown_before(PHYSIO_NOTICE):
            return False
        wall = self.clock.wall()
        since = wall - timedelta(days=progression.COMPLAINT_DAYS * 2)
        now = wall.timestamp()
        days = progression.complaint_days(
            [((now - at) / 86400, score) for at, score in self.store.checkins_since(since)],
            [(now - at) / 86400 for at in self.store.pain_times_since(since)],
        )
        if days < progression.COMPLAINT_DAYS:
            return False
        self._mark_shown(PHYSIO_NOTICE)
        return True

    def escalation_offer(self) -> escalation.Pattern | None:
        """A time of day whose breaks keep being put off, if not offered before."""
        if self._shown_before(escalation.OFFER_KEY):
            return None
        wall = self.clock.wall()
        pattern = escalation.find_pattern(self.store.break_answers_since(wall - escalation.WINDOW))
        if pattern is not None:
            self._mark_shown(escalation.OFFER_KEY)
        return pattern

    def first_time(self, notice: str) -> bool:
        """True the first time `notice` (a screen shown once, e.g. the first-run safety
        advice) is asked for; it counts as shown from then on."""
        if self._shown_before(notice):
            return False
        self._mark_shown(notice)
        return True

    def _shown_before(self, notice: str) -> bool:
        return notice in self._shown or self.store.last_notice(notice) is not None

    def _mark_shown(self, notice: str) -> None:
        """Through the write buffer; remembered for this run while the disk refuses."""
        self._shown.add(notice)
        self._write(partial(self.store.mark_notice_shown, notice, self.clock.wall()))

    def add_checkin(self, score: int) -> None:
        """The weekly check-in's answer (0-10: how the back and hips felt this week)."""
        self._write(partial(self.store.add_checkin, score, self.clock.wall()))

    @property
    def history(self) -> History:
        """The history, read-only: for statistics and team files."""
        return self.store

    def today(self) -> date:
        """The user's local date."""
        return self.clock.wall().date()

    def mono(self) -> float:
        """The monotonic reading a sample for `tick` is taken at."""
        return self.clock.mono()

    def switch_back_on(self, exercise: str) -> None:
        """Offer an exercise again that the user had marked painful."""
        self._write(partial(self.store.switch_back_on, exercise, self.clock.wall()))
        self._painful.discard(exercise)
        self.picker.include(exercise)

    def level(self, exercise: Exercise) -> int:
        """The exercise's progression level from the records (progression.py)."""
        wall = self.clock.wall()
        since = wall - PAIN_WINDOW
        scores = [score for _at, score in self.store.checkins_since(wall - timedelta(weeks=6))]
        held_weeks = progression.checkin_hold_weeks(scores)
        weeks = self.store.done_exercise_breaks_per_week(wall, dose_plan.MAX_LEVEL + held_weeks)
        painful = self.store.pain_reports_since(since)
        library = {e.id: e for e in self.picker.exercises}
        regions = progression.held_regions(library[i] for i in painful if i in library)
        return progression.exercise_level(
            exercise,
            progression.level(weeks, held_weeks),
            regions,
            self.store.switched_on_since(since) | set(painful),
        )

    def dose(self, exercise: Exercise, tier: Tier) -> PlannedDose | None:
        """The exercise's planned dose for a break of this tier (None: does not fit)."""
        return dose_plan.plan(
            exercise, self.level(exercise), dose_plan.break_seconds(self.settings, tier)
        )

    def take_break_now(self) -> list[Event]:
        return self._record(self.engine.take_break_now(self.clock.mono()))

    def pause(self, seconds: float) -> list[Event]:
        now = self.clock.mono()
        return self._record(self.engine.pause(now, now + seconds))

    def start_meeting(self) -> list[Event]:
        """'In a meeting': no breaks until the user ends it, at most MEETING_MAX_S."""
        now = self.clock.mono()
        return self._record(self.engine.pause(now, now + MEETING_MAX_S, Mode.MEETING))

    def pause_until_tomorrow(self) -> list[Event]:
        wall = self.clock.wall()
        tomorrow = datetime.combine(wall.date() + timedelta(days=1), time(0), wall.tzinfo)
        return self.pause((tomorrow - wall).total_seconds())

    def resume(self) -> None:
        self.engine.resume()

    def stand(self) -> list[Event]:
        """ "I'm standing" (a break on screen closes as "I'll stand for a while")."""
        return self._record(self.engine.stand(self.clock.mono()))

    def sit(self) -> list[Event]:
        """ "I'm sitting again"."""
        return self._record(self.engine.sit(self.clock.mono()))

    def status(self) -> CoachStatus:
        """What the tray shows: the mode and its end, sitting, the next break, whether
        one waits (urgently), exercises marked painful, and a write problem."""
        mono, wall = self.clock.mono(), self.clock.wall()
        s = self.engine.status(mono)
        not_now = s.not_now or NotNow(Mode.ON)
        every = self.settings.micro_every_min * 60
        return CoachStatus(
            mode=not_now.mode,
            until=None if not_now.until is None else wall + timedelta(seconds=not_now.until - mono),
            sitting_s=s.sitting_s,
            away_s=s.away_s,
            next_break_in_s=min(s.micro_in_s, s.exercise_in_s),
            progress=1 - s.micro_in_s / every if every else 0.0,
            break_id=None if s.prompt is None else s.prompt.id,
            urgent=s.prompt is not None and mono - s.prompt.shown_at >= URGENT_AFTER_S,
            painful=tuple(sorted(self._painful)),
            write_problem=self.write_problem,
            standing=s.standing,
            has_sit_stand_desk=self.settings.has_sit_stand_desk,
            snoozed_for_s=None if s.snoozed_until is None else max(s.snoozed_until - mono, 0.0),
        )

    def finish(self) -> None:
        """Record the open bout and the end of this run (quit)."""
        self._record(self.engine.finish(self.clock.mono()))
        if self.run_id is not None:
            self._write(partial(self.store.end_run, self.run_id, self.clock.wall()))
        if self._pending:
            log.error("%d records could not be written: %s", len(self._pending), self.write_problem)

    def close(self) -> None:
        """Finish this run and close the history (the app quits)."""
        self.finish()
        self.store.close()

    def _write(self, write: Callable[[], object]) -> None:
        """Run a store write now; while the disk refuses writes, keep it (in order)."""
        self._pending.append(write)
        self.flush()

    def flush(self) -> bool:
        """Write the records that wait, oldest first; False while the disk refuses."""
        while self._pending:
            try:
                self._pending[0]()
            except WriteError as exc:
                if self.write_problem is None:
                    log.error("%s; the records wait in memory", exc)
                self.write_problem = str(exc)
                return False
            self._pending.pop(0)
        if self.write_problem is not None:
            log.warning("the history is written again")
            self.write_problem = None
        return True

    def _record(self, events: list[Event]) -> list[Event]:
        """Write what the events mean to the history; return them, a due break made
        ready to show."""
        return [self._record_one(e) for e in events]

    def _record_one(self, e: Event) -> Event:
        match e:
            case BreakDue():
                uid = self._uids.get(e.break_id)
                if uid is None:
                    uid = self._uids[e.break_id] = uuid.uuid4().hex
                    self._write(
                        partial(self.store.offer_break, e.tier, e.exercise, self._wall(e.at), uid)
                    )
                else:  # re-shown after a snooze, or merged into an exercise break
                    self._write(
                        partial(
                            self.store.update_break,
                            uid,
                            outcome="open",
                            when=self._wall(e.at),
                            kind=e.tier,
                            exercise=e.exercise,
                        )
                    )
                return self._ready(e)
            case BreakOutcome():
                uid = self._uids[e.break_id]
                if not isinstance(e, BreakSnoozed):
                    del self._uids[e.break_id]
                reason = e.reason if isinstance(e, BreakSkipped) else None
                self._write(
                    partial(
                        self.store.update_break,
                        uid,
                        outcome=e.outcome,
                        when=self._wall(e.at),
                        reason=reason,
                    )
                )
            case SittingBout():
                self._write_bout(e, ongoing=False)
            case StandingSpan():
                self._write_standing(e, ongoing=False)
            case NaturalBreak():
                self._write(
                    partial(self.store.add_away, self._wall(e.start), self._wall(e.end), e.cause)
                )
        return e

    def _write_bout(self, bout: SittingBout, ongoing: bool) -> None:
        """A bout, closed or in progress (the store replaces the one written ahead)."""
        write = partial(self.store.add_bout, self._wall(bout.start), self._wall(bout.end))
        self._write(partial(write, bout.sat_s, ongoing=ongoing))

    def _write_standing(self, span: StandingSpan, ongoing: bool) -> None:
        """A standing span, ended or in progress (as `_write_bout`)."""
        write = partial(self.store.add_standing, self._wall(span.start), self._wall(span.end))
        self._write(partial(write, span.stood_s, ongoing=ongoing))

    def _ready(self, due: BreakDue) -> BreakDue:
        """The due break with its exercise and the dose at the user's level."""
        exercise = self.library.get(due.exercise)
        dose = None if exercise is None else self.dose(exercise, due.tier)
        if exercise is None or dose is None:  # "stand up and move": nothing fits
            return due
        return replace(due, planned=Planned(exercise, dose))
