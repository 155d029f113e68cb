"""Progression: reps and holds grow over weeks of consistent practice, and step back
after a pain report.

The documents call for progressive strength training built up step by step, and say
most people notice a difference within one to three weeks. So: each of the last
three 7-day spans in a row with at least WEEKLY_GOAL completed exercise breaks raises
the level by one (0-3); a pain report in the last two weeks lowers it by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.exercises.catalog import Exercise

WEEKLY_GOAL = 5  # completed exercise breaks that make a week "consistent"
MAX_LEVEL = 3
REPS_PER_LEVEL = 2
HOLD_PER_LEVEL_S = 5


@dataclass(frozen=True)
class Dose:
    reps: int
    hold_s: int
    duration_s: int


def level(done_per_week: Sequence[int], recent_pain: bool) -> int:
    """`done_per_week`: completed exercise breaks per past 7-day span, most recent first."""
    streak = 0
    for done in done_per_week[:MAX_LEVEL]:
        if done < WEEKLY_GOAL:
            break
        streak += 1
    return max(streak - (1 if recent_pain else 0), 0)


def dose(exercise: Exercise, at_level: int) -> Dose:
    """The exercise's dose at a level; timed items (no reps) keep their duration."""
    if not exercise.reps:
        return Dose(0, exercise.hold_s, exercise.duration_s)
    reps = exercise.reps + (REPS_PER_LEVEL * at_level if exercise.reps > 1 else 0)
    hold = exercise.hold_s + (HOLD_PER_LEVEL_S * at_level if exercise.hold_s else 0)
    return Dose(reps, hold, exercise.duration_s)
