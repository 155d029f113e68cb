"""Due breaks as the service hands them to the UI, for tests that show a break window."""

from __future__ import annotations

from coach.events import Answer, BreakDue, Planned, Tier
from coach.exercises import progression
from coach.exercises.catalog import Exercise


def due_break(
    exercise: Exercise | None,
    tier: Tier = Tier.EXERCISE,
    duration_s: int = 150,
    *,
    break_id: int = 1,
    answers: frozenset[Answer] = frozenset(Answer) - {Answer.STAND},  # STAND: a desk
    skip_needs_reason: bool = False,
) -> BreakDue:
    """A break ready to show: `exercise` at the first level's dose (None: "stand up")."""
    planned = Planned(exercise, progression.dose(exercise, 0)) if exercise else None
    return BreakDue(
        0.0,
        break_id=break_id,
        tier=tier,
        exercise=exercise.id if exercise else "stand-up",
        sat_s=0.0,
        duration_s=duration_s,
        snoozes=0,
        answers=answers,
        skip_needs_reason=skip_needs_reason,
        planned=planned,
    )
