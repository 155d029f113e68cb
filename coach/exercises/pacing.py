"""How long each key pose of an exercise picture stays on screen.

The picture should move the way the body does: a breath takes seconds and the
out-breath is the longer half (about six breaths a minute), a stretch is held still
and changes only when the side changes, repetitions go at a calm two to three
seconds each, and a walk steps along. `pose_plan` turns an exercise and its dose into
one pass of (frame, seconds) steps; the break window repeats it until the break ends.
Pure: no Qt and no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coach.exercises.catalog import Exercise

BREATH_IN_S = 4.0
BREATH_OUT_S = 6.0  # 4 + 6 s: six calm breaths a minute
MOVE_S = 5.0  # one pose of a slow, timed mobility movement (cat-cow): a breath each way
REP_S = 3.0  # one repetition, all its poses together (and back), unless the dose says
MIN_POSE_S = 0.75  # no pose flickers by faster than this (walking aside)
STEP_S = 0.6  # one walking step, about a hundred steps a minute
LEAD_IN_S = 3.0  # getting into a stretch, per lead-in pose
BEFORE_S = 3.0  # the pose to avoid (a posture reset's first picture)
AFTER_S = 12.0  # the good posture that follows it


class Dose(Protocol):
    """All the timing needs of a dose (the planned dose of a break has more)."""

    @property
    def reps(self) -> int: ...  # 0: a timed item

    @property
    def hold_s(self) -> int: ...  # seconds each rep (or stretch) is held still

    @property
    def rep_s(self) -> int: ...  # seconds one rep moves (0: a calm REP_S)


@dataclass(frozen=True)
class PoseStep:
    frame: int  # index into the exercise's pictures
    seconds: float


def pose_plan(exercise: Exercise, dose: Dose) -> tuple[PoseStep, ...]:
    """One pass of the picture's poses for this exercise at this dose."""
    frames = len(exercise.illustration)
    if frames == 0:
        return ()
    last = frames - 1
    if frames == 1:
        return (PoseStep(0, 1.0),)  # one picture: nothing changes
    if exercise.kind == "breathing":
        return (PoseStep(0, BREATH_IN_S), PoseStep(last, BREATH_OUT_S))
    if exercise.kind == "walk":
        return tuple(PoseStep(f, STEP_S) for f in range(frames))
    if exercise.kind == "posture":
        return _merged([*(PoseStep(f, BEFORE_S) for f in range(last)), PoseStep(last, AFTER_S)])
    if exercise.kind == "stretch":
        # Into the stretch, then still for every hold of this side; again for the other.
        hold = max(dose.reps, 1) * max(dose.hold_s, 1)
        side = [*(PoseStep(f, LEAD_IN_S) for f in range(last)), PoseStep(last, hold)]
        return _merged(side * (2 if exercise.per_side else 1))
    if dose.reps:
        # There and back: sit, lean, stand, lean (the way down) for three poses.
        order = [*range(frames), *range(last - 1, 0, -1)]
        per_pose = max(_rep_s(dose) / len(order), MIN_POSE_S)
        return tuple(
            PoseStep(f, max(per_pose, dose.hold_s) if f == last else per_pose) for f in order
        )
    return tuple(PoseStep(f, MOVE_S) for f in range(frames))


def _rep_s(dose: Dose) -> float:
    """Seconds one rep moves: the dose's own `rep_s` where it sets one (a lift from a
    shelf takes longer than a squeeze), else a calm REP_S."""
    return float(dose.rep_s) if dose.rep_s else REP_S


def _merged(steps: list[PoseStep]) -> tuple[PoseStep, ...]:
    """Neighbouring steps on the same frame as one (a still pose never reloads)."""
    out: list[PoseStep] = []
    for s in steps:
        if out and out[-1].frame == s.frame:
            out[-1] = PoseStep(s.frame, out[-1].seconds + s.seconds)
        else:
            out.append(s)
    return tuple(out)
