"""Every scheduling rule of the engine, driven by a fake clock (plain numbers)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import pytest

from coach.config.settings import Settings
from coach.core.engine import AnswerRejected, Engine
from coach.core.events import (
    Answer,
    AwayCause,
    BreakClosed,
    BreakDone,
    BreakDue,
    BreakMissed,
    BreakSnoozed,
    Event,
    HeadsUp,
    NaturalBreak,
    SittingBout,
    Tier,
)
from coach.core.modes import Mode, NotNow
from coach.core.sample import Sample

E = TypeVar("E", bound=Event)
MIN = 60.0
ACTIVE = Sample(idle_s=0.0)


def make(**overrides: int) -> Engine:
    return Engine(replace(Settings(), **overrides), pick=lambda tier: f"ex-{tier}")


class Driver:
    """Ticks an engine every `step` seconds of virtual time."""

    def __init__(self, engine: Engine, step: float = 5.0) -> None:
        self.engine = engine
        self.step = step
        self.now = 0.0
        self.last_input = 0.0
        self.events: list[Event] = []

    def run(
        self,
        seconds: float,
        state: str = "active",
        answer: Callable[[BreakDue], Answer | None] | None = None,
    ) -> list[Event]:
        """Advance `seconds` in `state`; `answer` may reply to each break_due."""
        new: list[Event] = []
        end = self.now + seconds
        while self.now < end:
            self.now = min(self.now + self.step, end)
            if state == "active":
                self.last_input = self.now
            sample = Sample(
                idle_s=self.now - self.last_input,
                presence=state in ("passive", "meeting"),
                busy=state in ("passive", "meeting"),
                locked=state == "locked",
                asleep=state == "asleep",
            )
            for e in self.engine.tick(self.now, sample):
                new.append(e)
                if isinstance(e, BreakDue) and answer and (reply := answer(e)):
                    new += self.engine.answer(self.now, e.break_id, reply)
        self.events += new
        return new


def names(events: list[Event]) -> list[str]:
    return [e.name for e in events if not isinstance(e, HeadsUp | BreakClosed)]


def first(events: list[Event], kind: type[E]) -> E:
    return next(e for e in events if isinstance(e, kind))


# -- the sitting tracker -----------------------------------------------------------
def test_sitting_accumulates_while_active() -> None:
    d = Driver(make())
    d.run(10 * MIN)
    assert d.engine.status(d.now).sitting_s == pytest.approx(10 * MIN, abs=5)


def test_idle_shorter_than_idle_after_counts_as_sitting() -> None:
    d = Driver(make())
    d.run(5 * MIN)
    d.run(50, "idle")
    d.run(5 * MIN)
    assert d.engine.status(d.now).sitting_s == pytest.approx(10 * MIN + 50, abs=5)


def test_idle_longer_than_idle_after_is_away_from_last_input() -> None:
    d = Driver(make())
    d.run(5 * MIN)
    d.run(90, "idle")  # away, but shorter than micro_reset: no reset, not sitting
    d.run(5 * MIN)
    status = d.engine.status(d.now)  # within one tick: the return is seen at a tick
    assert status.sitting_s == pytest.approx(10 * MIN, abs=10)
    assert status.micro_in_s == pytest.approx(20 * MIN, abs=10)


def test_presence_without_input_counts_as_sitting() -> None:
    d = Driver(make())
    d.run(20 * MIN, "passive")
    assert d.engine.status(d.now).sitting_s == pytest.approx(20 * MIN, abs=5)


def test_short_lock_counts_as_away() -> None:
    d = Driver(make())
    d.run(5 * MIN)
    d.run(30, "locked")
    d.run(5 * MIN)
    assert d.engine.status(d.now).sitting_s == pytest.approx(10 * MIN, abs=10)


def test_away_of_micro_reset_ends_bout_and_resets_micro_only() -> None:
    d = Driver(make())
    d.run(20 * MIN)
    events = d.run(3 * MIN, "idle")
    bout = first(events, SittingBout)
    assert bout.start == pytest.approx(0, abs=5)
    assert bout.sat_s == pytest.approx(20 * MIN, abs=5)
    events = d.run(1 * MIN)
    natural = first(events, NaturalBreak)
    assert natural.resets == (Tier.MICRO,)
    assert natural.away_s == pytest.approx(3 * MIN, abs=5)
    status = d.engine.status(d.now)
    assert status.micro_in_s == pytest.approx(29 * MIN, abs=10)
    assert status.exercise_in_s == pytest.approx(39 * MIN, abs=10)


def test_away_of_exercise_reset_resets_both() -> None:
    d = Driver(make())
    d.run(25 * MIN)
    d.run(11 * MIN, "idle")
    d.run(1 * MIN)
    assert first(d.events, NaturalBreak).resets == (Tier.EXERCISE, Tier.MICRO)
    assert d.engine.status(d.now).exercise_in_s == pytest.approx(59 * MIN, abs=5)


def test_natural_break_reports_lock_as_cause() -> None:
    d = Driver(make())
    d.run(10 * MIN)
    d.run(5 * MIN, "locked")
    d.run(1 * MIN)
    assert first(d.events, NaturalBreak).cause == AwayCause.LOCKED


# -- break planning ----------------------------------------------------------------
def test_micro_break_due_after_micro_every() -> None:
    d = Driver(make())
    events = d.run(31 * MIN)
    due = first(events, BreakDue)
    assert due.tier == Tier.MICRO
    assert due.at == pytest.approx(30 * MIN, abs=5)
    assert due.exercise == "ex-micro"


def test_heads_up_before_the_break() -> None:
    d = Driver(make())
    events = d.run(31 * MIN)
    heads_up = first(events, HeadsUp)
    assert heads_up.tier == Tier.MICRO
    assert 30 * MIN - 60 <= heads_up.at < 30 * MIN
    assert sum(isinstance(e, HeadsUp) for e in events) == 1


def test_done_micro_resets_micro_not_exercise_and_ends_bout() -> None:
    d = Driver(make())
    d.run(31 * MIN, answer=lambda e: Answer.DONE)
    assert names(d.events) == ["break_due", "break_done", "sitting_bout"]
    status = d.engine.status(d.now)
    assert status.micro_in_s > 29 * MIN
    assert status.exercise_in_s == pytest.approx(29 * MIN, abs=10)


def test_exercise_break_when_micro_and_exercise_fall_due_together() -> None:
    d = Driver(make())
    d.run(31 * MIN, answer=lambda e: Answer.DONE)
    events = d.run(31 * MIN, answer=lambda e: Answer.DONE)
    dues = [e for e in events if isinstance(e, BreakDue)]
    assert [e.tier for e in dues] == [Tier.EXERCISE]


def test_micro_due_within_five_minutes_of_exercise_becomes_exercise() -> None:
    d = Driver(make(micro_every_min=28, exercise_every_min=32))
    events = d.run(29 * MIN)
    due = first(events, BreakDue)
    assert due.tier == Tier.EXERCISE
    assert due.at == pytest.approx(28 * MIN, abs=5)


def test_open_micro_prompt_merges_into_exercise() -> None:
    d = Driver(make(micro_every_min=20, exercise_every_min=26))
    d.run(21 * MIN)  # micro shown, ignored
    events = d.run(6 * MIN)
    merged = first(events, BreakDue)
    assert merged.tier == Tier.EXERCISE and merged.merged
    assert merged.break_id == first(d.events, BreakDue).break_id


def test_done_exercise_resets_both() -> None:
    d = Driver(make())
    d.run(61 * MIN, answer=lambda e: Answer.SKIP if e.tier == Tier.MICRO else Answer.DONE)
    status = d.engine.status(d.now)
    assert status.exercise_in_s > 58 * MIN and status.micro_in_s > 28 * MIN


def test_busy_defers_break_until_it_ends() -> None:
    d = Driver(make())
    d.run(25 * MIN)
    assert names(d.run(20 * MIN, "meeting")) == []
    events = d.run(1 * MIN)
    due = first(events, BreakDue)
    assert due.at == pytest.approx(45 * MIN + 5, abs=5)
    # 45 minutes of sitting: the micro break is due; the exercise one is 15 min away
    assert due.tier == Tier.MICRO
    assert due.sat_s >= 45 * MIN - 10


def test_snooze_brings_break_back_after_snooze_min() -> None:
    d = Driver(make())
    d.run(31 * MIN, answer=lambda e: Answer.SNOOZE)
    snoozed = first(d.events, BreakSnoozed)
    events = d.run(6 * MIN)
    again = first(events, BreakDue)
    assert again.at - snoozed.at == pytest.approx(5 * MIN, abs=5)
    assert again.break_id == snoozed.break_id
    assert again.snoozes == 1


def test_max_snoozes_then_snooze_is_rejected() -> None:
    d = Driver(make())
    d.run(31 * MIN, answer=lambda e: Answer.SNOOZE if d.engine.can_snooze() else None)
    d.run(11 * MIN, answer=lambda e: Answer.SNOOZE if d.engine.can_snooze() else None)
    assert sum(isinstance(e, BreakSnoozed) for e in d.events) == 2
    prompt = d.engine.prompt
    assert prompt is not None and not d.engine.can_snooze()
    with pytest.raises(AnswerRejected):
        d.engine.answer(d.now, prompt.id, Answer.SNOOZE)
    skipped = d.engine.answer(d.now, prompt.id, Answer.SKIP)  # skip is always possible
    assert names(skipped) == ["break_skipped"]


def test_unanswered_prompt_is_missed_after_ten_minutes() -> None:
    d = Driver(make())
    d.run(31 * MIN)
    due = first(d.events, BreakDue)
    events = d.run(10 * MIN)
    missed = first(events, BreakMissed)
    assert missed.at - due.at == pytest.approx(10 * MIN, abs=5)
    assert d.engine.prompt is None


def test_skip_does_not_bring_the_break_straight_back() -> None:
    d = Driver(make())
    d.run(31 * MIN, answer=lambda e: Answer.SKIP)
    events = d.run(5 * MIN)
    assert names(events) == []


def test_answer_to_unknown_break_is_rejected() -> None:
    engine = make()
    with pytest.raises(AnswerRejected):
        engine.answer(0.0, 99, Answer.DONE)


def test_pause_holds_breaks_then_one_break_after() -> None:
    d = Driver(make())
    d.run(10 * MIN)
    d.engine.pause(d.now, d.now + 60 * MIN)
    assert [e for e in d.run(59 * MIN) if isinstance(e, BreakDue)] == []
    events = d.run(2 * MIN)
    assert [e.tier for e in events if isinstance(e, BreakDue)] == [Tier.EXERCISE]


def test_pause_over_open_prompt_skips_it() -> None:
    d = Driver(make())
    d.run(31 * MIN)
    events = d.engine.pause(d.now, d.now + 30 * MIN)
    assert names(events) == ["break_skipped"]
    assert events[0].reason == "paused"


def test_sleep_starts_fresh_bout_without_break_storm() -> None:
    d = Driver(make())
    d.run(55 * MIN, answer=lambda e: Answer.SNOOZE if d.engine.can_snooze() else None)
    d.run(8 * 3600, "asleep")
    events = d.run(20 * MIN)
    assert names(events)[0] == "natural_break"
    assert first(events, NaturalBreak).cause == AwayCause.ASLEEP
    assert "break_due" not in names(events)


def test_finish_closes_the_open_bout() -> None:
    d = Driver(make())
    d.run(12 * MIN)
    events = d.engine.finish(d.now)
    assert names(events) == ["sitting_bout"]
    assert events[0].sat_s == pytest.approx(12 * MIN, abs=5)


def test_take_break_now_opens_an_exercise_break_and_done_resets() -> None:
    d = Driver(make())
    d.run(10 * MIN)
    events = d.engine.take_break_now(d.now)
    assert [e.tier for e in events] == [Tier.EXERCISE]
    again = d.engine.take_break_now(d.now)  # the same break, shown again
    assert again[0].break_id == events[0].break_id
    d.engine.answer(d.now + 60, events[0].break_id, Answer.DONE)
    assert d.engine.status(d.now + 60).exercise_in_s == pytest.approx(60 * MIN)


def test_it_hurts_closes_the_break_like_a_skip() -> None:
    d = Driver(make())
    d.run(31 * MIN)
    prompt = d.engine.prompt
    assert prompt is not None
    events = d.engine.answer(d.now, prompt.id, Answer.HURT)
    assert names(events) == ["break_hurt"]
    assert events[0].exercise == "ex-micro"
    assert names(d.run(5 * MIN)) == []  # not straight back


def test_outside_work_hours_no_break_but_sitting_counts() -> None:
    engine = make()
    now, events = 0.0, []
    while now < 40 * MIN:
        now += 5
        events += engine.tick(now, ACTIVE, NotNow(Mode.OFF_HOURS))
    assert names(events) == []
    assert engine.status(now).sitting_s == pytest.approx(40 * MIN, abs=10)
    assert names(engine.tick(now + 5, ACTIVE)) == ["break_due"]  # work hours began


def test_heads_up_can_be_switched_off() -> None:
    d = Driver(make(heads_up=False))  # type: ignore[arg-type]
    assert "heads_up" not in names(d.run(31 * MIN))


@pytest.mark.parametrize(
    "strictness, snoozes, skip_ok, reason_needed",
    [("gentle", 2, True, False), ("firm", 1, True, True), ("strict", 1, False, False)],
)
def test_strictness(strictness: str, snoozes: int, skip_ok: bool, reason_needed: bool) -> None:
    d = Driver(make(strictness=strictness))  # type: ignore[arg-type]
    due = first(d.run(31 * MIN), BreakDue)
    assert (Answer.SKIP in due.answers, due.skip_needs_reason) == (skip_ok, reason_needed)
    assert d.engine.snooze_limit() == snoozes
    prompt = d.engine.prompt
    assert prompt is not None
    if not skip_ok:
        with pytest.raises(AnswerRejected):
            d.engine.answer(d.now, prompt.id, Answer.SKIP, "busy")
        assert names(d.engine.answer(d.now, prompt.id, Answer.HURT)) == ["break_hurt"]
        return
    if reason_needed:
        with pytest.raises(AnswerRejected):
            d.engine.answer(d.now, prompt.id, Answer.SKIP)
    skipped = d.engine.answer(d.now, prompt.id, Answer.SKIP, "busy" if reason_needed else None)
    assert names(skipped) == ["break_skipped"]


def test_wait_for_pause_holds_the_break_until_typing_pauses() -> None:
    engine = make(wait_for_pause=True)  # type: ignore[arg-type]
    now = 0.0
    while now < 31 * MIN:  # typing without pause: the break waits
        now += 5
        assert names(engine.tick(now, Sample(idle_s=0.5))) in ([], ["heads_up"])
    due = engine.tick(now + 5, Sample(idle_s=4.0))  # a pause: now it comes
    assert names(due) == ["break_due"]


def test_wait_for_pause_waits_five_minutes_at_most() -> None:
    engine = make(wait_for_pause=True)  # type: ignore[arg-type]
    now, events = 0.0, []
    while now < 36 * MIN:
        now += 5
        events += engine.tick(now, Sample(idle_s=0.5))
    due = first(events, BreakDue)
    assert due.at == pytest.approx(35 * MIN, abs=10)


# -- done while away ---------------------------------------------------------------
def test_break_done_away_from_the_desk_is_done_not_missed() -> None:
    """The person gets up when the break appears and comes back long after its
    countdown (past the missed timeout): the break is done, not missed."""
    d = Driver(make(missed_after_min=3, micro_reset_min=2))
    d.run(10 * MIN)
    due = d.engine.take_break_now(d.now)[0]
    events = d.run(6 * MIN, "away")
    done = first(events, BreakDone)
    assert done.away is True
    countdown = d.engine.duration(Tier.EXERCISE)
    assert done.at - due.at == pytest.approx(countdown, abs=5)  # when it ran out
    assert "break_missed" not in names(events)
    back = d.run(5 * MIN)
    assert "break_missed" not in names(back)
    assert d.engine.tracker.since_reset == {
        Tier.MICRO: pytest.approx(5 * MIN, abs=6),
        Tier.EXERCISE: pytest.approx(5 * MIN, abs=6),
    }


def test_away_break_ends_the_bout_when_the_break_began() -> None:
    d = Driver(make())
    d.run(10 * MIN)
    d.engine.take_break_now(d.now)
    events = d.run(4 * MIN, "away")
    bout = first(events, SittingBout)
    assert bout.sat_s == pytest.approx(10 * MIN, abs=5)


def test_input_during_the_countdown_leaves_the_answer_to_the_person() -> None:
    d = Driver(make(missed_after_min=10))
    d.run(31 * MIN)
    d.run(40)  # still at the keyboard after the break appeared
    events = d.run(9 * MIN, "away")
    assert "break_done" not in names(events)
    assert "break_missed" in names(events)


def test_a_short_countdown_is_done_only_once_away_by_idle_after() -> None:
    """A still reader is not away: no input for the countdown alone is not enough."""
    d = Driver(make(micro_duration_s=20, idle_after_s=60), step=1.0)
    d.run(30 * MIN + 1)
    due = first(d.events, BreakDue)
    assert due.tier == Tier.MICRO
    events = d.run(60, "away")
    done = first(events, BreakDone)
    assert done.at - d.last_input == pytest.approx(60, abs=1)
