"""Progression: the level of the dose plan grows with weeks of practice, and pain and
bad weeks hold it or send it back to the start.

- Documents 000 and 001 call for strength built up step by step, and 001 says most
  people notice a difference within one to three weeks. So each of the last three
  7-day spans in a row with at least WEEKLY_GOAL completed exercise breaks raises the
  level by one (0-3).
- A pain report sends every exercise on the same body region (its `focus`: low back,
  hip) back to the starting dose (level 0) and holds it there for PAIN_HOLD: every
  report starts its own 14 days. An exercise switched back on after a report starts
  at the starting dose too, for the same time (EXERCISES.md, "After pain").
- A weekly check-in that is worse than the one before, or shows high complaints,
  holds the level where it was a week earlier (document 004: listen to your body).
- Complaints recorded for more than six weeks in a row point to a physiotherapist
  (document 003: back pain lasting longer than 6 weeks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from coach.exercises.catalog import Exercise
from coach.exercises.dose_plan import MAX_LEVEL

WEEKLY_GOAL = 5  # completed exercise breaks that make a week "consistent"
PAIN_HOLD = timedelta(days=14)
COMPLAINT_SCORE = 4  # a check-in of 4 or less (0 very bad - 10 very good): complaints
CHECKIN_WEEKS = 6  # how many past check-ins can hold the level
COMPLAINT_DAYS = 42  # document 003: see a physiotherapist after 6 weeks
WEEK_DAYS = 7


def level(done_per_week: Sequence[int], held_weeks: int = 0) -> int:
    """`done_per_week`: completed exercise breaks per past 7-day span, most recent
    first. `held_weeks`: recent weeks whose check-in held the level, which is then the
    level it had that many weeks ago."""
    streak = 0
    for done in done_per_week[held_weeks : held_weeks + MAX_LEVEL]:
        if done < WEEKLY_GOAL:
            break
        streak += 1
    return streak


def checkin_hold_weeks(scores: Sequence[int]) -> int:
    """How many of the latest weekly check-ins in a row hold the level: a score worse
    than the one before it, or at COMPLAINT_SCORE or below. Most recent first."""
    held = 0
    for index, score in enumerate(scores):
        before = scores[index + 1] if index + 1 < len(scores) else None
        if score > COMPLAINT_SCORE and (before is None or score >= before):
            break
        held += 1
    return held


def held_regions(painful: Iterable[Exercise]) -> set[str]:
    """The body regions of exercises reported painful recently: held at the start."""
    return {region for exercise in painful for region in exercise.focus}


def exercise_level(
    exercise: Exercise, base: int, held: set[str], restarted: Iterable[str] = ()
) -> int:
    """The level of one exercise: 0 on a held region or just switched back on."""
    if exercise.id in set(restarted) or held & set(exercise.focus):
        return 0
    return base


def complaint_days(checkins: Iterable[tuple[float, int]], pain: Iterable[float]) -> float:
    """How long complaints have been recorded without a break, in days.

    `checkins`: (days ago, score); `pain`: days ago of each pain report. A 7-day span
    counts as a week of complaints when it holds a pain report or a check-in at
    COMPLAINT_SCORE or below, and no better check-in; the first span without one ends
    the run. Returns the age of the oldest complaint in the run (0: none this week).
    """
    scores = list(checkins)
    complaints = [days for days, score in scores if score <= COMPLAINT_SCORE] + list(pain)
    good = [days for days, score in scores if score > COMPLAINT_SCORE]
    oldest = 0.0
    start = 0.0
    while True:
        in_span = [d for d in complaints if start <= d < start + WEEK_DAYS]
        if not in_span or any(start <= d < start + WEEK_DAYS for d in good):
            return oldest
        oldest = max(in_span)
        start += WEEK_DAYS
