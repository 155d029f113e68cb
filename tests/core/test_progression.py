"""Progression and pain rules, in virtual time: practice raises the level; pain, bad
check-ins and six weeks of complaints change the plan (a real SQLite file, a fake clock)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.config.settings import Settings
from coach.core.clock import FakeClock
from coach.core.events import Answer, BreakDue, Event, PainGuidance, PhysioAdvice, Tier
from coach.exercises import progression as p
from coach.exercises.catalog import load_library
from coach.history.store import Store
from coach.service import CoachService

CET = timezone(timedelta(hours=1))
LIBRARY = {e.id: e for e in load_library()[0]}
BRIDGE = LIBRARY["floor-glute-bridge"]  # low back and hip
CORE = LIBRARY["seated-core-brace"]  # low back only
FIGURE_FOUR = LIBRARY["seated-figure-four"]  # hip only


@pytest.mark.parametrize(
    "weeks, held, expected",
    [
        ([], 0, 0),
        ([5, 5, 5, 5], 0, 3),
        ([5, 5, 2], 0, 2),
        ([4, 9, 9], 0, 0),  # the most recent week broke the streak
        ([9, 5, 5, 0], 1, 2),  # held one week: the level of a week ago
        ([9, 9, 5, 0, 5], 2, 1),
    ],
)
def test_level(weeks: list[int], held: int, expected: int) -> None:
    assert p.level(weeks, held) == expected


@pytest.mark.parametrize(
    "scores, held",
    [
        ([], 0),
        ([8, 7], 0),  # better: nothing held
        ([6, 8], 1),  # worse than the week before
        ([3], 1),  # high complaints
        ([4, 4, 4, 9], 3),  # complaints stay high for three weeks
        ([9, 3, 3], 0),  # a good week ends the hold
    ],
)
def test_checkins_that_get_worse_or_stay_high_hold(scores: list[int], held: int) -> None:
    assert p.checkin_hold_weeks(scores) == held


def test_complaint_days_count_unbroken_weeks_of_complaints() -> None:
    weekly_bad = [(1.0 + 7 * week, 3) for week in range(7)]
    assert p.complaint_days(weekly_bad, []) == 43.0
    assert p.complaint_days(weekly_bad[:3] + weekly_bad[4:], []) == 15.0  # a week missing
    assert p.complaint_days(weekly_bad[:3] + [(22.0, 8)] + weekly_bad[4:], []) == 15.0
    pain_only = [0.5 + 7 * week for week in range(6)]
    assert p.complaint_days([], pain_only) == 35.5


# -- the service over a real store ----------------------------------------------------
class Picker:
    """Always the bridge; knows the library (the regions of painful exercises)."""

    def __init__(self) -> None:
        self.excluded: set[str] = set()
        self.exercises = list(LIBRARY.values())

    def __call__(self, tier: Tier) -> str:
        return "floor-glute-bridge"

    def exclude(self, exercise: str) -> None:
        self.excluded.add(exercise)

    def include(self, exercise: str) -> None:
        self.excluded.discard(exercise)


@pytest.fixture
def coach(tmp_path: Path) -> tuple[CoachService, Store, FakeClock]:
    store = Store.open(tmp_path / "coach.sqlite3")
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = CoachService(Settings(), store, clock, Picker())  # type: ignore[arg-type]
    return svc, store, clock


def practise(store: Store, clock: FakeClock, days: int) -> None:
    """An exercise break done every day for `days` days, up to now."""
    for day in range(days, 0, -1):
        when = clock.wall() - timedelta(days=day) + timedelta(hours=1)
        uid = store.offer_break("exercise", "walk-a-lap", when)
        store.update_break(uid, outcome="done", when=when)


def days_later(store: Store, clock: FakeClock, days: int) -> None:
    """Let `days` days pass, practising every day."""
    for _day in range(days):
        clock.advance(86400)
        practise(store, clock, 1)


def hurt(svc: CoachService) -> list[Event]:
    [due] = [e for e in svc.take_break_now() if isinstance(e, BreakDue)]
    return svc.answer(due.break_id, Answer.HURT)


def test_practice_raises_the_dose_of_each_exercise(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    assert svc.level(BRIDGE) == 0
    practise(store, clock, 21)
    assert svc.level(BRIDGE) == 3
    dose = svc.dose(BRIDGE, Tier.EXERCISE)
    assert dose is not None and dose.reps > BRIDGE.reps and dose.hold_s == BRIDGE.hold_s


def test_a_pain_report_steps_the_region_back_and_holds_it_14_days(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    practise(store, clock, 21)
    store.report_pain("seated-core-brace", clock.wall())  # a low-back exercise
    assert svc.level(BRIDGE) == 0  # low back and hip: held at the start
    assert svc.level(CORE) == 0
    assert svc.level(FIGURE_FOUR) == 3  # a hip-only exercise keeps its level
    days_later(store, clock, 13)
    assert svc.level(BRIDGE) == 0  # no growth while the report is recent
    days_later(store, clock, 1)
    assert svc.level(BRIDGE) == 0  # 14 days to the second
    clock.advance(60)
    assert svc.level(BRIDGE) == 3


def test_three_reports_count_three_times(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    practise(store, clock, 21)
    answers = []
    for _n in range(3):
        answers.append([e for e in hurt(svc) if isinstance(e, PainGuidance)])
        svc.switch_back_on("floor-glute-bridge")
        days_later(store, clock, 10)
    # Every report shows the calm advice at once; ten days apart, never three in 14 days.
    assert [a[0].reports for a in answers] == [1, 2, 2]
    assert [a[0].repeated for a in answers] == [False, False, False]
    # Each report holds the region for its own 14 days: 4 days after the third, held.
    assert svc.level(FIGURE_FOUR) == 0
    days_later(store, clock, 4)
    assert svc.level(FIGURE_FOUR) == 0
    clock.advance(60)
    assert svc.level(FIGURE_FOUR) == 3


def test_the_third_report_in_two_weeks_adds_see_a_physiotherapist(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    repeated = []
    for _n in range(3):
        repeated += [e.repeated for e in hurt(svc) if isinstance(e, PainGuidance)]
        svc.switch_back_on("floor-glute-bridge")
        clock.advance(3600)
    assert repeated == [False, False, True]
    assert len(store.pain_reports_since(clock.wall() - p.PAIN_HOLD)) == 3


def test_an_exercise_switched_back_on_starts_at_the_starting_dose(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    practise(store, clock, 21)
    store.report_pain("floor-glute-bridge", clock.wall() - timedelta(days=20))
    assert svc.level(BRIDGE) == 3  # the report is old: no hold
    svc.switch_back_on("floor-glute-bridge")
    assert svc.level(BRIDGE) == 0
    dose = svc.dose(BRIDGE, Tier.EXERCISE)
    assert dose is not None and (dose.reps, dose.hold_s) == (BRIDGE.reps, BRIDGE.hold_s)
    days_later(store, clock, 14)
    clock.advance(60)
    assert svc.level(BRIDGE) == 3


def test_a_worse_checkin_holds_progression(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    practise(store, clock, 14)  # two good weeks: level 2
    store.add_checkin(8, clock.wall() - timedelta(days=8))
    assert svc.level(BRIDGE) == 2
    days_later(store, clock, 7)  # a third good week would make it 3 ...
    store.add_checkin(6, clock.wall() - timedelta(hours=1))  # ... but it felt worse
    assert svc.level(BRIDGE) == 2
    days_later(store, clock, 7)
    store.add_checkin(7, clock.wall() - timedelta(hours=1))  # better again
    assert svc.level(BRIDGE) == 3


def test_six_weeks_of_complaints_point_to_a_physiotherapist_once(coach) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = coach
    for week in range(6):
        store.add_checkin(3, clock.wall())
        assert not svc.physio_advice_due(), week  # not yet six weeks
        clock.advance(7 * 86400)
    store.add_checkin(4, clock.wall())
    assert svc.physio_advice_due()  # complaints since 42 days
    clock.advance(7 * 86400)
    store.add_checkin(2, clock.wall())
    assert not svc.physio_advice_due()  # once
    assert not [e for e in hurt(svc) if isinstance(e, PhysioAdvice)]
