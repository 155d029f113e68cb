"""Sitting tracker: a pure state machine from activity samples to sitting time.

Rules (the settings named in brackets):
- Time between two pieces of evidence that the user is seated (an input, or a
  presence signal) counts as sitting when the gap is shorter than [idle_after_s].
- A longer gap, or any locked screen or sleep in between, is an away span that
  started at the last evidence of presence ("away from their last input onward").
- An away span of [micro_reset_min] resets the micro counter and ends the sitting
  bout; one of [exercise_reset_min] also resets the exercise counter.
- Sitting time since the last reset is kept per break tier.

Standing (a sit-stand desk; the user says so): active input counts as standing, not
sitting, so no bout grows and no break counter fills. Standing for [micro_reset_min]
or [exercise_reset_min] resets those counters as an away span would. An away span of
[exercise_reset_min], a locked screen or sleep ends standing at the last input (the
person may come back and sit); back within [exercise_reset_min] of a lock or sleep that
ended it, the person is asked whether they still stand. A shorter away span of
[micro_reset_min] was a walk, a change of position, and starts a new stretch of standing.

Time that is only provisionally sitting (the user has been idle for less than
[idle_after_s]) is not counted until the next input confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.config.settings import Settings
from coach.core.events import (
    AwayCause,
    Event,
    NaturalBreak,
    SittingBout,
    StandingSpan,
    StillStanding,
    Tier,
)
from coach.core.sample import Sample

_CAUSE_RANK = {cause: rank for rank, cause in enumerate(AwayCause)}
_INPUT_NOW = Sample(idle_s=0.0)  # a click in the tray: the user is here now


@dataclass
class Bout:
    """The open sitting bout."""

    start: float
    sat_s: float = 0.0


@dataclass
class Stand:
    """The user is standing since `start`; the current stretch without a change of
    position began at `stretch_from`."""

    start: float
    stretch_from: float
    stood_s: float = 0.0
    resets: set[Tier] = field(default_factory=set)


class SittingTracker:
    """Turns samples into sitting time, away spans and sitting bouts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.present_until: float | None = None  # last moment known to be seated
        self.bout: Bout | None = None
        self.standing: Stand | None = None
        self._ask_from: float | None = None  # a lock or sleep ended standing then
        self.since_reset = dict.fromkeys(Tier, 0.0)  # sitting seconds per tier
        self.total_sat = 0.0  # all sitting ever counted, for marks
        self._away_cause: AwayCause | None = None  # lock/sleep seen since present_until
        self._reset_this_away: set[Tier] = set()

    def reconfigure(self, settings: Settings) -> None:
        self.settings = settings

    # -- queries ---------------------------------------------------------------
    def away_for(self, now: float) -> float:
        """Seconds of the current away span (0 while seated or provisionally so)."""
        if self.present_until is None:
            return 0.0
        gap = now - self.present_until
        if self._away_cause or gap >= self.settings.idle_after_s:
            return max(gap, 0.0)
        return 0.0

    # -- updates ---------------------------------------------------------------
    def observe(self, now: float, sample: Sample) -> list[Event]:
        """Account for the time up to `now` given the latest sample."""
        out: list[Event] = []
        if sample.locked or sample.asleep:
            cause = AwayCause.ASLEEP if sample.asleep else AwayCause.LOCKED
            if self._away_cause is None or _CAUSE_RANK[cause] > _CAUSE_RANK[self._away_cause]:
                self._away_cause = cause
            evidence = None
            if self.standing is not None:
                self._ask_from = self.present_until
            out += self._end_standing(now)
        elif sample.presence:
            evidence = now
        else:
            evidence = now - max(sample.idle_s, 0.0)

        if self.present_until is None:
            if evidence is not None:
                self.present_until = evidence
                self._away_cause = None
            return out

        if evidence is not None and evidence > self.present_until:
            out += self._ask(now, evidence)
            gap = evidence - self.present_until
            if self._away_cause or gap >= self.settings.idle_after_s:
                out += self._apply_resets(now, gap)
                out += self._end_away(now, evidence, gap)
            elif self.standing is not None:
                self._stand(gap)
            else:
                self._sit(self.present_until, gap)
            self.present_until = evidence
            self._away_cause = None
        else:
            out += self._apply_resets(now, self.away_for(now))
        return out

    def stand(self, now: float) -> list[Event]:
        """The user stands from `now` (they said so): the sitting bout ends."""
        if self.standing is not None:
            return []
        self._ask_from = None  # they said so: nothing to ask
        out = self.observe(now, _INPUT_NOW)
        if self.bout is not None:
            out += self._close_bout(now, now)
        self.standing = Stand(start=now, stretch_from=now)
        return out

    def sit(self, now: float) -> list[Event]:
        """The user sits again from `now` (they said so)."""
        if self.standing is None:
            return []
        out = self.observe(now, _INPUT_NOW)
        return out + self._end_standing(now, now)

    def break_taken(
        self, now: float, started: float, mark: float, tier: Tier, *, away: bool = False
    ) -> list[Event]:
        """A break of `tier` was completed: the bout ends at `started`.

        Any break resets the micro counter; an exercise break resets both.

        `mark` is `total_sat` when the break started; sitting counted since then
        was the break, not sitting. `away`: done while the person is still away (no
        answer): the away span goes on and is recorded as usual on their return.
        """
        out: list[Event] = []
        if self.bout is not None:
            self.bout.sat_s -= max(self.total_sat - mark, 0.0)
            out += self._close_bout(now, started)
        self.reset(Tier.MICRO)
        if tier == Tier.EXERCISE:
            self.reset(Tier.EXERCISE)
        if not away:  # the person answered: present now
            self.present_until = now
            self._away_cause = None
        return out

    def reset(self, tier: Tier) -> None:
        self.since_reset[tier] = 0.0

    def open_bout(self, now: float) -> SittingBout | None:
        """The bout in progress as it stands (a SITTING_BOUT event), or None."""
        if self.bout is None or self.present_until is None or self.bout.sat_s <= 0:
            return None
        return self._bout_event(now, self.bout, self.present_until)

    def open_standing(self, now: float) -> StandingSpan | None:
        """The standing span in progress up to the last input, or None."""
        standing, last = self.standing, self.present_until
        if standing is None or last is None or last <= standing.start:
            return None
        return StandingSpan(now, standing.start, last, standing.stood_s)

    def finish(self, now: float) -> list[Event]:
        """Close the open bout or standing span (the app quits or the trace ends)."""
        if self.present_until is None:
            return []
        if self.standing is not None:
            return self._end_standing(now)
        if self.bout is None:
            return []
        return self._close_bout(now, self.present_until)

    def stretch_s(self, now: float) -> float:
        """How long the user has stood without a change of position (0: not standing)."""
        if self.standing is None or self.away_for(now) > 0:
            return 0.0
        return max(now - self.standing.stretch_from, 0.0)

    # -- internals -------------------------------------------------------------
    def _sit(self, start: float, seconds: float) -> None:
        if self.bout is None:
            self.bout = Bout(start=start)
        self.bout.sat_s += seconds
        self.total_sat += seconds
        for tier in Tier:
            self.since_reset[tier] += seconds

    def _stand(self, seconds: float) -> None:
        """Standing at the desk: resets as an away span of the same length would."""
        standing = self.standing
        assert standing is not None
        standing.stood_s += seconds
        for tier, reset_min in (
            (Tier.MICRO, self.settings.micro_reset_min),
            (Tier.EXERCISE, self.settings.exercise_reset_min),
        ):
            if standing.stood_s >= reset_min * 60 and tier not in standing.resets:
                standing.resets.add(tier)
                self.reset(tier)

    def _ask(self, now: float, returned: float) -> list[Event]:
        """Back soon after a lock or sleep ended standing: ask whether they still stand."""
        since, self._ask_from = self._ask_from, None
        if since is None or returned - since > self.settings.exercise_reset_min * 60:
            return []
        return [StillStanding(now)]

    def _end_standing(self, now: float, end: float | None = None) -> list[Event]:
        """Standing ends at `end` (default: the last input)."""
        standing, self.standing = self.standing, None
        if standing is None:
            return []
        end = self.present_until if end is None else end
        end = max(end if end is not None else now, standing.start)
        return [StandingSpan(now, standing.start, end, standing.stood_s)]

    def _apply_resets(self, now: float, away_s: float) -> list[Event]:
        """Resets due to an away span that has lasted `away_s` so far."""
        out: list[Event] = []
        s = self.settings
        if away_s >= s.micro_reset_min * 60 and Tier.MICRO not in self._reset_this_away:
            self._reset_this_away.add(Tier.MICRO)
            self.reset(Tier.MICRO)
            if self.bout is not None and self.present_until is not None:
                out += self._close_bout(now, self.present_until)
        if away_s >= s.exercise_reset_min * 60 and Tier.EXERCISE not in self._reset_this_away:
            self._reset_this_away.add(Tier.EXERCISE)
            self.reset(Tier.EXERCISE)
            out += self._end_standing(now)  # a long absence: they may come back and sit
        return out

    def _end_away(self, now: float, returned: float, away_s: float) -> list[Event]:
        resets = tuple(sorted(self._reset_this_away))
        self._reset_this_away = set()
        if not resets:
            return []  # a short away span: neither sitting nor a break
        if self.standing is not None:
            self.standing.stretch_from = returned  # a short walk: a change of position
        assert self.present_until is not None
        cause = self._away_cause or AwayCause.IDLE
        return [NaturalBreak(now, self.present_until, returned, away_s, cause, resets)]

    def _close_bout(self, now: float, end: float) -> list[Event]:
        bout, self.bout = self.bout, None
        assert bout is not None
        if bout.sat_s <= 0:
            return []
        return [self._bout_event(now, bout, end)]

    @staticmethod
    def _bout_event(now: float, bout: Bout, end: float) -> SittingBout:
        return SittingBout(now, bout.start, max(end, bout.start), bout.sat_s)
