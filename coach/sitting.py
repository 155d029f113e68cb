"""Sitting tracker: a pure state machine from activity samples to sitting time.

Rules (the settings named in brackets):
- Time between two pieces of evidence that the user is seated (an input, or a
  presence signal) counts as sitting when the gap is shorter than [idle_after_s].
- A longer gap, or any locked screen or sleep in between, is an away span that
  started at the last evidence of presence ("away from their last input onward").
- An away span of [micro_reset_min] resets the micro counter and ends the sitting
  bout; one of [exercise_reset_min] also resets the exercise counter.
- Sitting time since the last reset is kept per break tier.

Time that is only provisionally sitting (the user has been idle for less than
[idle_after_s]) is not counted until the next input confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.events import AwayCause, Event, NaturalBreak, SittingBout, Tier
from coach.sample import Sample
from coach.settings import Settings

_CAUSE_RANK = {cause: rank for rank, cause in enumerate(AwayCause)}


@dataclass
class Bout:
    """The open sitting bout."""

    start: float
    sat_s: float = 0.0


class SittingTracker:
    """Turns samples into sitting time, away spans and sitting bouts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.present_until: float | None = None  # last moment known to be seated
        self.bout: Bout | None = None
        self.since_reset = dict.fromkeys(Tier, 0.0)  # sitting seconds per tier
        self.total_sat = 0.0  # all sitting ever counted, for marks
        self._away_cause: AwayCause | None = None  # lock/sleep seen since present_until
        self._reset_this_away: set[Tier] = set()

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
            gap = evidence - self.present_until
            if self._away_cause or gap >= self.settings.idle_after_s:
                out += self._apply_resets(now, gap)
                out += self._end_away(now, evidence, gap)
            else:
                self._sit(self.present_until, gap)
            self.present_until = evidence
            self._away_cause = None
        else:
            out += self._apply_resets(now, self.away_for(now))
        return out

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

    def finish(self, now: float) -> list[Event]:
        """Close the open bout (the app quits or the trace ends)."""
        if self.bout is None or self.present_until is None:
            return []
        return self._close_bout(now, self.present_until)

    # -- internals -------------------------------------------------------------
    def _sit(self, start: float, seconds: float) -> None:
        if self.bout is None:
            self.bout = Bout(start=start)
        self.bout.sat_s += seconds
        self.total_sat += seconds
        for tier in Tier:
            self.since_reset[tier] += seconds

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
        return out

    def _end_away(self, now: float, returned: float, away_s: float) -> list[Event]:
        resets = tuple(sorted(self._reset_this_away))
        self._reset_this_away = set()
        if not resets:
            return []  # a short away span: neither sitting nor a break
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
