"""Pose timing follows the movement (coach.exercises.pacing): pure, explicit seconds."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from coach.core.events import Tier
from coach.exercises import catalog, pacing
from coach.exercises.pacing import PoseStep, pose_plan
from tests.breaks import due_break

LIBRARY = {e.id: e for e in catalog.load_library()[0]}


@dataclass(frozen=True)
class Dose:
    """The part of a dose the timing reads: reps (0: timed), the hold, and (planned
    doses) how long one rep moves."""

    reps: int
    hold_s: int
    rep_s: int = 0


def total(plan: tuple[PoseStep, ...]) -> float:
    return sum(s.seconds for s in plan)


def test_a_breath_takes_seconds_and_breathing_out_is_longer() -> None:
    ex = LIBRARY["belly-breathing"]
    plan = pose_plan(ex, Dose(0, 0))
    breath_in, breath_out = plan
    assert (breath_in.frame, breath_out.frame) == (0, 1)
    assert breath_out.seconds > breath_in.seconds >= 3
    assert 5 <= 60 / total(plan) <= 6  # breaths a minute


@pytest.mark.parametrize("per_side", [False, True])
@pytest.mark.parametrize("reps, hold", [(1, 20), (2, 30)])
def test_a_stretch_is_held_still_and_changes_only_at_a_side_change(
    per_side: bool, reps: int, hold: int
) -> None:
    ex = replace(LIBRARY["seated-figure-four"], per_side=per_side)
    plan = pose_plan(ex, Dose(reps, hold))
    holds = [s for s in plan if s.frame == len(ex.illustration) - 1]
    assert len(holds) == (2 if per_side else 1)  # one still hold per side
    assert all(s.seconds == reps * hold for s in holds)
    assert len(plan) == 2 * len(holds)  # a short lead-in before each side, no alternation
    assert all(s.seconds <= 5 for s in plan if s not in holds)


def test_a_three_pose_stretch_leads_in_through_every_pose() -> None:
    ex = replace(
        LIBRARY["seated-figure-four"],
        illustration=LIBRARY["chair-sit-to-stand"].illustration,
        per_side=False,
    )
    assert pose_plan(ex, Dose(1, 25)) == (
        PoseStep(0, pacing.LEAD_IN_S),
        PoseStep(1, pacing.LEAD_IN_S),
        PoseStep(2, 25),
    )


@pytest.mark.parametrize(
    "exercise_id, order",
    [("standing-hip-hinge", [0, 1]), ("chair-sit-to-stand", [0, 1, 2, 1])],
)
def test_reps_go_there_and_back_at_a_calm_two_to_three_seconds(
    exercise_id: str, order: list[int]
) -> None:
    ex = LIBRARY[exercise_id]
    plan = pose_plan(ex, Dose(ex.reps, 0))
    assert [s.frame for s in plan] == order  # sit, lean, stand, lean (down), sit ...
    assert 2 <= total(plan) <= 3
    assert min(s.seconds for s in plan) >= pacing.MIN_POSE_S


def test_a_slow_rep_is_shown_slowly() -> None:
    """A dose that says how long a rep moves sets the pace (lifting a box takes longer)."""
    ex = LIBRARY["chair-sit-to-stand"]
    plan = pose_plan(ex, Dose(5, 0, rep_s=8))
    assert [s.frame for s in plan] == [0, 1, 2, 1]
    assert total(plan) == 8


def test_a_rep_with_a_hold_stays_in_the_working_pose_for_the_hold() -> None:
    ex = LIBRARY["standing-glute-squeeze"]
    start, squeeze = pose_plan(ex, Dose(6, 5))
    assert (start.frame, squeeze.frame) == (0, 1)
    assert squeeze.seconds == 5 and 1 <= start.seconds <= 2


def test_a_posture_reset_shows_the_pose_to_avoid_briefly_and_the_good_one_long() -> None:
    ex = LIBRARY["posture-reset"]
    wrong, good = pose_plan(ex, Dose(0, 0))
    assert (wrong.frame, good.frame) == (0, 1)
    assert good.seconds >= 3 * wrong.seconds


def test_a_walk_steps_along() -> None:
    ex = LIBRARY["walk-a-lap"]
    plan = pose_plan(ex, Dose(0, 0))
    assert [s.frame for s in plan] == [0, 1]
    assert 80 <= 60 / plan[0].seconds <= 120  # steps a minute


def test_a_timed_mobility_movement_takes_a_breath_each_way() -> None:
    ex = LIBRARY["seated-cat-cow"]
    plan = pose_plan(ex, Dose(0, 0))
    assert [s.frame for s in plan] == [0, 1]
    assert 5 <= 60 / total(plan) <= 7


@pytest.mark.parametrize("exercise_id", sorted(LIBRARY))
def test_every_exercise_gets_a_plan_that_moves_the_way_it_should(exercise_id: str) -> None:
    ex = LIBRARY[exercise_id]
    planned = due_break(ex, Tier.EXERCISE, 150).planned
    assert planned is not None
    d = planned.dose  # the dose a break hands the window
    plan = pose_plan(ex, d)
    frames = len(ex.illustration)
    assert {s.frame for s in plan} == set(range(frames))
    assert all(s.seconds > 0 for s in plan)
    if ex.kind != "walk":
        assert min(s.seconds for s in plan) >= pacing.MIN_POSE_S  # nothing flickers
    if ex.kind == "stretch":
        assert max(s.seconds for s in plan) >= d.hold_s  # held, not bounced
    if ex.kind not in ("walk", "breathing", "stretch", "posture") and d.reps:
        working = [s for s in plan if s.frame == frames - 1]
        assert [s.seconds >= d.hold_s for s in working] == [True]  # the hold, once a rep
        moving = total(plan) - working[0].seconds
        assert 2 <= moving + min(working[0].seconds, 1.5) <= 10  # calm, never a flicker


def test_no_pictures_no_plan() -> None:
    ex = replace(LIBRARY["seated-cat-cow"], illustration=())
    assert pose_plan(ex, Dose(0, 0)) == ()
