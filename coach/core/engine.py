"""The passive core: `Engine.tick(now, sample) -> events`, answers in, events out.

The engine never reads a clock, sleeps or starts threads. `now` is a monotonic reading
in seconds from a clock that keeps counting while the machine sleeps (the caller's
choice); wall-clock times are the caller's business.

Break planning rules (settings in brackets):
- A micro break falls due after [micro_every_min] of sitting, an exercise break after
  [exercise_every_min]. When the micro break falls due within 5 minutes of the exercise
  break, one exercise break is shown instead.
- A heads-up goes out [heads_up_s] before a break would fall due.
- No break is shown while "not now" holds (coach/core/modes.py): paused or in a meeting
  (the user's choice, until its end), outside work hours, or busy (fullscreen, a call);
  it is shown at the first tick after that ends.
- With [wait_for_pause], a due break waits for a pause in typing (at most 5 minutes).
- Strictness: gentle (snooze [max_snoozes] times, skip freely), firm (one snooze; skip
  needs a reason), strict (one snooze; no skip). "It hurts" is always possible.
- Snooze waits [snooze_min], at most [max_snoozes] times per break. Skip is always
  possible. A prompt unanswered for [missed_after_min] is recorded missed and closed.
- Done ends the sitting bout and resets the micro counter (an exercise break: both);
  skip, missed and a pause over an open prompt reset the counters of the break's tiers
  so it does not come straight back.
- A due micro break that an exercise break overtakes while it is open merges into it.
- Standing (coach/core/sitting.py): no break falls due and a snoozed one is dropped; after
  [standing_reminder_min] of standing without a change, one kind suggestion to sit for
  a while or walk, then again after each further [standing_reminder_min].
  "I'll stand for a while" (with [has_sit_stand_desk]) closes a short break as done
  (standing up is what it asks) and an exercise break as skipped ("standing").
- Done while away: a break counts as done, without a click, when its countdown ran out
  while the person was away: no input from AWAY_GRACE_S after it appeared until the
  countdown's end, and away by the tracker's own measure ([idle_after_s] without input,
  or a locked screen). It is recorded at the first tick that sees this, before the
  missed timeout or the natural break of the same away span could claim it; input
  during the countdown leaves the answer to the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from coach.config.settings import Settings
from coach.core.events import (
    Answer,
    BreakClosed,
    BreakDone,
    BreakDue,
    BreakHurt,
    BreakMissed,
    BreakOutcome,
    BreakSkipped,
    BreakSnoozed,
    Event,
    HeadsUp,
    NaturalBreak,
    SittingBout,
    StandingLong,
    StandingSpan,
    Tier,
)
from coach.core.modes import Mode, NotNow
from coach.core.sample import Sample
from coach.core.sitting import SittingTracker

MERGE_WINDOW_S = 5 * 60
HEADS_UP_S = 45
PAUSE_S = 3  # [wait_for_pause]: this long without input is a natural pause
PAUSE_WAIT_S = 5 * 60  # ... waited for at most this long
STANDING_REASON = "standing"  # an exercise break skipped by "I'll stand for a while"
AWAY_GRACE_S = 15  # input this soon after a break appears is the person getting up

Picker = Callable[[Tier], str]
"""Chooses an exercise id for a break tier."""


class AnswerRejected(ValueError):
    """The answer does not apply (no such prompt, or no snoozes left)."""


@dataclass(frozen=True)
class Prompt:
    """A break on screen, waiting for the user's answer."""

    id: int
    tier: Tier
    exercise: str
    shown_at: float  # when this showing started (after a snooze: the re-show)
    snoozes: int
    mark: float  # tracker.total_sat when shown
    sat_s: float  # sitting time that made it due


@dataclass(frozen=True)
class Status:
    """A snapshot for the tray tooltip and icon."""

    sitting_s: float  # the open bout's sitting time
    away_s: float
    micro_in_s: float  # sitting seconds until the next micro break
    exercise_in_s: float
    not_now: NotNow | None  # why no break comes now
    prompt: Prompt | None
    snoozed_until: float | None
    standing: bool = False


class Engine:
    """Sitting tracker plus break planner, driven by ticks and answers."""

    def __init__(self, settings: Settings, pick: Picker) -> None:
        self.settings = settings
        self.pick = pick
        self.tracker = SittingTracker(settings)
        self.prompt: Prompt | None = None
        self._snoozed: Prompt | None = None  # a snoozed break, waiting
        self._snoozed_until: float | None = None
        self._hold: NotNow | None = None  # the user's pause or meeting
        self._outside: NotNow | None = None  # off hours or busy, as of the last tick
        self._heads_up_sent: Tier | None = None
        self._due_since: float | None = None  # a due break waiting for a pause in typing
        self._next_id = 1
        # (the stretch of standing, how many suggestions of a change it had)
        self._standing_told: tuple[float | None, int] = (None, 0)

    def reconfigure(self, settings: Settings) -> None:
        """Use new settings from now on; the sitting counted so far stays."""
        self.settings = settings
        self.tracker.reconfigure(settings)

    # -- the tick ----------------------------------------------------------------
    def tick(self, now: float, sample: Sample, off_hours: NotNow | None = None) -> list[Event]:
        """Account for time up to `now` and return what happened.

        `off_hours`: outside work hours (and until when): sitting counts, but no break
        is offered.
        """
        out = self._done_while_away(now, sample)
        out += self.tracker.observe(now, sample)
        for natural in [e for e in out if isinstance(e, NaturalBreak)]:
            out += self._natural_break(now, natural.resets)
        if self._hold is not None and self._hold.until is not None and now >= self._hold.until:
            self._hold = None
        self._outside = off_hours or (NotNow(Mode.BUSY) if sample.busy else None)
        if self.prompt is not None:
            out += self._check_prompt(now)
        elif self.tracker.standing is not None:
            out += self._check_standing(now)
        elif self.not_now is None:
            out += self._check_due(now, sample)
        return out

    def _check_standing(self, now: float) -> list[Event]:
        """After each [standing_reminder_min] of standing without a change: suggest one."""
        standing = self.tracker.standing
        assert standing is not None
        stretch = self.tracker.stretch_s(now)
        since, told = self._standing_told
        if since != standing.stretch_from:  # a new stretch (a walk in between)
            since, told = standing.stretch_from, 0
        due = int(stretch // (self.settings.standing_reminder_min * 60))
        if due <= told or self.not_now is not None:
            self._standing_told = (since, told)
            return []
        self._standing_told = (since, due)
        return [StandingLong(now, stretch)]

    # -- posture -------------------------------------------------------------------
    def stand(self, now: float) -> list[Event]:
        """The user stands: an open break closes as "I'll stand" where that answer is
        allowed (else it stays open), a snoozed one is dropped."""
        if self.prompt is not None and self.can_stand():
            return self.answer(now, self.prompt.id, Answer.STAND)
        self._snoozed = self._snoozed_until = None
        self._heads_up_sent = None
        return self.tracker.stand(now)

    def sit(self, now: float) -> list[Event]:
        """The user sits again."""
        return self.tracker.sit(now)

    @property
    def not_now(self) -> NotNow | None:
        """Why no break is offered now: the user's pause or meeting first."""
        return self._hold or self._outside

    def _check_prompt(self, now: float) -> list[Event]:
        prompt = self.prompt
        assert prompt is not None
        if now - prompt.shown_at >= self.settings.missed_after_min * 60:
            return self._close(now, BreakMissed)
        if prompt.tier == Tier.MICRO and self._exercise_in(0) <= 0:
            self.prompt = replace(prompt, tier=Tier.EXERCISE, exercise=self.pick(Tier.EXERCISE))
            return [self._due_event(now, self.prompt, merged=True)]
        return []

    def _done_while_away(self, now: float, sample: Sample) -> list[Event]:
        """The open break's countdown ran out while the person was away: done."""
        prompt, last = self.prompt, self.tracker.present_until
        if prompt is None or last is None or last > prompt.shown_at + AWAY_GRACE_S:
            return []
        locked = sample.locked or sample.asleep
        latest = now if sample.presence else now - max(sample.idle_s, 0.0)
        back = now if locked or latest <= last else latest  # end of the span without input
        away_long_enough = locked or back - last >= self.settings.idle_after_s
        if not away_long_enough or back < prompt.shown_at + self.duration(prompt.tier):
            return []
        out = self._close(now, partial(BreakDone, away=True))
        return out + self.tracker.break_taken(
            now, prompt.shown_at, prompt.mark, prompt.tier, away=True
        )

    def _check_due(self, now: float, sample: Sample) -> list[Event]:
        if self._snoozed is not None:
            assert self._snoozed_until is not None
            if now < self._snoozed_until or self._waiting_for_pause(now, sample):
                return []
            return self._reshow_snoozed(now)
        tier = self._due_tier()
        if tier is None:
            return self._heads_up(now)
        if self._waiting_for_pause(now, sample):
            return []
        return self._new_prompt(now, tier)

    def _waiting_for_pause(self, now: float, sample: Sample) -> bool:
        """With [wait_for_pause]: hold a due break while the user is typing, until a
        pause of PAUSE_S in the input, for at most PAUSE_WAIT_S."""
        if not self.settings.wait_for_pause or sample.idle_s >= PAUSE_S:
            return False
        if self._due_since is None:
            self._due_since = now
        return now - self._due_since < PAUSE_WAIT_S

    def _reshow_snoozed(self, now: float) -> list[Event]:
        snoozed, self._snoozed, self._snoozed_until = self._snoozed, None, None
        assert snoozed is not None
        tier = Tier.EXERCISE if self._exercise_in(MERGE_WINDOW_S) <= 0 else snoozed.tier
        exercise = snoozed.exercise if tier == snoozed.tier else self.pick(tier)
        self.prompt = replace(
            snoozed, tier=tier, exercise=exercise, shown_at=now, mark=self.tracker.total_sat
        )
        self._due_since = None
        return [self._due_event(now, self.prompt)]

    def _new_prompt(self, now: float, tier: Tier) -> list[Event]:
        self.prompt = Prompt(
            id=self._next_id,
            tier=tier,
            exercise=self.pick(tier),
            shown_at=now,
            snoozes=0,
            mark=self.tracker.total_sat,
            sat_s=self.tracker.since_reset[tier],
        )
        self._next_id += 1
        self._heads_up_sent = None
        self._due_since = None
        return [self._due_event(now, self.prompt)]

    def take_break_now(self, now: float) -> list[Event]:
        """The user asked for a break: the open or snoozed one, else an exercise break."""
        if self.prompt is not None:
            return [self._due_event(now, self.prompt)]
        if self._snoozed is not None:
            return self._reshow_snoozed(now)
        return self._new_prompt(now, Tier.EXERCISE)

    def _heads_up(self, now: float) -> list[Event]:
        """One heads-up per cycle, shortly before a break would fall due."""
        micro_in, exercise_in = self._micro_in(0), self._exercise_in(0)
        tier = Tier.EXERCISE if exercise_in - micro_in <= MERGE_WINDOW_S else Tier.MICRO
        in_s = min(micro_in, exercise_in)
        if not self.settings.heads_up or in_s > HEADS_UP_S or self._heads_up_sent == tier:
            return []
        self._heads_up_sent = tier
        return [HeadsUp(now, tier, max(in_s, 0.0), self.duration(tier))]

    def _due_tier(self) -> Tier | None:
        if self._exercise_in(0) <= 0:
            return Tier.EXERCISE
        if self._micro_in(0) <= 0:
            return Tier.EXERCISE if self._exercise_in(MERGE_WINDOW_S) <= 0 else Tier.MICRO
        return None

    def _micro_in(self, slack: float) -> float:
        return self.settings.micro_every_min * 60 - self.tracker.since_reset[Tier.MICRO] - slack

    def _exercise_in(self, slack: float) -> float:
        s = self.settings
        return s.exercise_every_min * 60 - self.tracker.since_reset[Tier.EXERCISE] - slack

    def _natural_break(self, now: float, resets: tuple[Tier, ...]) -> list[Event]:
        """An away span reset these tiers: cancel breaks they cover."""

        def covered(tier: Tier) -> bool:
            return tier in resets or Tier.EXERCISE in resets

        out: list[Event] = []
        if self._snoozed is not None and covered(self._snoozed.tier):
            self._snoozed = self._snoozed_until = None
        if self.prompt is not None and covered(self.prompt.tier):
            out += self._close(now, partial(BreakMissed, natural_break=True))
        self._heads_up_sent = None
        return out

    def duration(self, tier: Tier) -> int:
        s = self.settings
        return s.micro_duration_s if tier == Tier.MICRO else s.exercise_duration_s

    def answers(self) -> frozenset[Answer]:
        """The answers the open prompt allows (strictness and snoozes left)."""
        allowed = {Answer.DONE, Answer.HURT}
        if self.can_snooze():
            allowed.add(Answer.SNOOZE)
        if self.can_skip():
            allowed.add(Answer.SKIP)
        if self.can_stand():
            allowed.add(Answer.STAND)
        return frozenset(allowed)

    def _due_event(self, now: float, prompt: Prompt, merged: bool = False) -> BreakDue:
        return BreakDue(
            now,
            break_id=prompt.id,
            tier=prompt.tier,
            exercise=prompt.exercise,
            sat_s=prompt.sat_s,
            duration_s=self.duration(prompt.tier),
            snoozes=prompt.snoozes,
            answers=self.answers(),
            skip_needs_reason=self.settings.strictness == "firm",
            merged=merged,
        )

    # -- answers -----------------------------------------------------------------
    def snooze_limit(self) -> int:
        """Gentle: max_snoozes; firm and strict: at most one."""
        s = self.settings
        return s.max_snoozes if s.strictness == "gentle" else min(s.max_snoozes, 1)

    def can_snooze(self) -> bool:
        return self.prompt is not None and self.prompt.snoozes < self.snooze_limit()

    def can_skip(self) -> bool:
        return self.settings.strictness != "strict"

    def can_stand(self) -> bool:
        """With a sit-stand desk: a short break, or one the user may skip."""
        prompt = self.prompt
        return (
            self.settings.has_sit_stand_desk
            and prompt is not None
            and (prompt.tier == Tier.MICRO or self.can_skip())
        )

    def answer(
        self, now: float, break_id: int, answer: Answer, reason: str | None = None
    ) -> list[Event]:
        """The user's answer to the open prompt: done, snooze, skip or hurt."""
        prompt = self.prompt
        if prompt is None or prompt.id != break_id:
            raise AnswerRejected(f"break {break_id} is not open")
        if answer == Answer.DONE:
            out = self._close(now, BreakDone)
            out += self.tracker.break_taken(now, prompt.shown_at, prompt.mark, prompt.tier)
            return out
        if answer == Answer.SNOOZE:
            if not self.can_snooze():
                raise AnswerRejected("no snoozes left for this break")
            snoozed = self._snoozed = replace(prompt, snoozes=prompt.snoozes + 1)
            until = self._snoozed_until = now + self.settings.snooze_min * 60
            self.prompt = None
            return [
                BreakSnoozed(
                    now, snoozed.id, snoozed.tier, snoozed.exercise, snoozed.snoozes, until
                ),
                BreakClosed(now, prompt.id),
            ]
        if answer == Answer.SKIP:
            if not self.can_skip():
                raise AnswerRejected("strict: this break cannot be skipped")
            if self.settings.strictness == "firm" and not reason:
                raise AnswerRejected("firm: skipping needs a reason")
            return self._close(now, partial(BreakSkipped, reason=reason or None))
        if answer == Answer.HURT:  # closes like a skip; the caller stops offering the exercise
            return self._close(now, BreakHurt)
        if answer == Answer.STAND:
            if not self.can_stand():
                raise AnswerRejected("standing is not an answer to this break")
            if prompt.tier == Tier.MICRO:
                out = self._close(now, BreakDone)
                out += self.tracker.break_taken(now, prompt.shown_at, prompt.mark, prompt.tier)
            else:
                out = self._close(now, partial(BreakSkipped, reason=STANDING_REASON))
            return out + self.stand(now)
        raise AnswerRejected(f"unknown answer {answer!r}")

    def _close(self, now: float, outcome: Callable[..., BreakOutcome]) -> list[Event]:
        """Record an outcome (a BreakOutcome class) for the open prompt and close it."""
        prompt = self.prompt
        assert prompt is not None
        self.prompt = None
        if outcome is not BreakDone:
            self.tracker.reset(Tier.MICRO)
            if prompt.tier == Tier.EXERCISE:
                self.tracker.reset(Tier.EXERCISE)
        return [
            outcome(now, prompt.id, prompt.tier, prompt.exercise, prompt.snoozes),
            BreakClosed(now, prompt.id),
        ]

    # -- pause -------------------------------------------------------------------
    def pause(self, now: float, until: float, mode: Mode = Mode.PAUSED) -> list[Event]:
        """No breaks until `until` (paused, or in a meeting); an open prompt is skipped,
        a snooze dropped."""
        self._hold = NotNow(mode, until)
        self._snoozed = self._snoozed_until = None
        if self.prompt is not None:
            return self._close(now, partial(BreakSkipped, reason="paused"))
        return []

    def resume(self) -> None:
        self._hold = None

    # -- lifecycle and status ----------------------------------------------------
    def open_bout(self, now: float) -> SittingBout | None:
        """The sitting bout in progress so far (to write ahead), or None."""
        return self.tracker.open_bout(now)

    def open_standing(self, now: float) -> StandingSpan | None:
        """The standing span in progress so far (to write ahead), or None."""
        return self.tracker.open_standing(now)

    def finish(self, now: float) -> list[Event]:
        """Close the open bout (quit, end of trace)."""
        return self.tracker.finish(now)

    def status(self, now: float) -> Status:
        t = self.tracker
        return Status(
            sitting_s=t.bout.sat_s if t.bout else 0.0,
            away_s=t.away_for(now),
            micro_in_s=max(self._micro_in(0), 0.0),
            exercise_in_s=max(self._exercise_in(0), 0.0),
            not_now=self.not_now,
            prompt=self.prompt,
            snoozed_until=self._snoozed_until,
            standing=t.standing is not None,
        )
