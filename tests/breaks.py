"""Due breaks as the service hands them to the UI, for tests that show a break window."""

from __future__ import annotations

from coach.core.events import Answer, BreakDue, Planned, Tier
from coach.exercises import dose_plan
from coach.exercises.catalog import Exercise


def due_break(
    exercise: Exercise | None,
    tier: Tier = Tier.EXERCISE,
    duration_s: int = 150,
    *,
    break_id: int = 1,
    answers: frozenset[Answer] = frozenset(Answer) - {Answer.STAND},  # STAND: a desk
    skip_needs_reason: bool = False,
    level: int = 0,
) -> BreakDue:
    """A break ready to show: `exercise` at the planned dose of `level` that fits the
    break (None, or an exercise that does not fit: "stand up")."""
    dose = dose_plan.plan(exercise, level, duration_s) if exercise else None
    planned = Planned(exercise, dose) if exercise and dose else None
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
