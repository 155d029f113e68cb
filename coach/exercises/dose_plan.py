"""The dose plan: how much of an exercise one break holds, at each level of practice.

Each exercise says what practice adds to (`grows`: reps for strength and activation
work, the hold for stretches, nothing for walks, breathing, posture and mobility) and
its ceiling (`max_reps`, `max_hold_s`). A level adds one step of that, never speed
(EXERCISES.md, "Dose principles"; documents 000 and 001: strength built up step by
step). After pain the plan goes back to level 0, the starting dose (progression.py).

The dose always fits the break it is shown in, both sides and the pauses between reps
included. When the grown dose does not fit it is cut back: fewer reps (for a stretch,
fewer holds, never a shorter hold first), then a shorter hold down to its floor; a
timed item shrinks to the break down to half its time. When even that does not fit,
the exercise is not offered in that break: `plan` returns None.

Seconds of a dose with reps:

    sides * (reps * (rep_s + hold_s) + (reps - 1) * rest_s) + (sides - 1) * SWITCH_S
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from coach.config.settings import Settings
from coach.exercises.catalog import Exercise

MAX_LEVEL = 3
HOLD_STEP_S = 5  # a level adds this much to a hold
SWITCH_S = 3  # changing sides
REST_S = 2  # letting go between two held reps
MIN_STRETCH_HOLD_S = 15  # a stretch held shorter than this is not worth offering
MIN_REPS = 3  # fewer reps than this (or than the starting dose) is not offered


@dataclass(frozen=True)
class PlannedDose:
    """What one break asks of an exercise; `reps` and `hold_s` are per side."""

    level: int
    kind: str  # the exercise's kind (mobility, stretch, ...), for the pose timing
    reps: int  # 0: a timed item (walk, breathing, posture, flowing mobility)
    hold_s: int  # seconds each rep is held still (0: a moving rep)
    per_side: bool
    rep_s: int  # seconds one rep moves, besides its hold
    rest_s: int  # pause between two reps
    seconds: int  # the whole dose: both sides, pauses and the change of side

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    def as_dict(self) -> dict[str, Any]:
        """The fields `coach exercises --json` shows for a physiotherapist to review."""
        return {
            "level": self.level,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "seconds": self.seconds,
        }


def break_seconds(settings: Settings, tier: str) -> int:
    """How long a break of this tier lasts with these settings."""
    return settings.micro_duration_s if tier == "micro" else settings.exercise_duration_s


def seconds(exercise: Exercise, reps: int, hold_s: int) -> int:
    """The time `reps` reps held `hold_s` s take, both sides and pauses included."""
    sides = 2 if exercise.per_side else 1
    rest = REST_S if hold_s else 0
    one_side = reps * (exercise.rep_s + hold_s) + (reps - 1) * rest
    return sides * one_side + (sides - 1) * SWITCH_S


def grown(exercise: Exercise, level: int) -> tuple[int, int]:
    """(reps, hold_s) at a level, before fitting it into a break."""
    level = max(0, min(level, MAX_LEVEL))
    reps, hold = exercise.reps, exercise.hold_s
    if exercise.grows == "reps":
        step = max(1, math.ceil((exercise.max_reps - reps) / MAX_LEVEL))
        reps = min(reps + step * level, exercise.max_reps)
    elif exercise.grows == "hold":
        hold = min(hold + HOLD_STEP_S * level, exercise.max_hold_s)
    return reps, hold


def plan(exercise: Exercise, level: int, break_s: int) -> PlannedDose | None:
    """The dose at `level` that fits a break of `break_s` seconds, or None."""
    level = max(0, min(level, MAX_LEVEL))
    if not exercise.reps:  # a timed item: it shrinks to the break, down to half
        planned = min(exercise.duration_s, break_s)
        if planned * 2 < exercise.duration_s:
            return None
        return PlannedDose(level, exercise.kind, 0, 0, exercise.per_side, 0, 0, planned)
    reps, hold = grown(exercise, level)
    fewest = 1 if exercise.grows == "hold" else min(MIN_REPS, exercise.reps)
    while reps > fewest and seconds(exercise, reps, hold) > break_s:
        reps -= 1
    if exercise.grows == "hold":
        shortest = min(MIN_STRETCH_HOLD_S, exercise.hold_s)
        while hold > shortest and seconds(exercise, reps, hold) > break_s:
            hold = max(hold - HOLD_STEP_S, shortest)
    total = seconds(exercise, reps, hold)
    if total > break_s:
        return None
    rest = REST_S if hold else 0
    return PlannedDose(
        level, exercise.kind, reps, hold, exercise.per_side, exercise.rep_s, rest, total
    )


def review(exercise: Exercise, settings: Settings) -> dict[str, list[dict[str, Any] | None]]:
    """The plan at every level for each tier the exercise is offered in (None: does not
    fit that break), for `coach exercises --json`."""
    out: dict[str, list[dict[str, Any] | None]] = {}
    for tier in exercise.tiers:
        doses = (plan(exercise, lvl, break_seconds(settings, tier)) for lvl in levels())
        out[tier] = [d.as_dict() if d else None for d in doses]
    return out


def levels() -> range:
    return range(MAX_LEVEL + 1)
