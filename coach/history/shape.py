"""The shape of the day: standing and moving against a daily goal that grows, and how
the sitting was broken up (bouts over 30 minutes, the average bout). Pure, no Qt, no
clock: the caller says which days.

- Standing: the clock time of the standing spans (a sit-stand desk) on each local day.
- Moving: away spans of at most MOVING_MAX_S that were not sleep (a walk, a coffee, a
  locked screen while away from the desk). Longer absences are lunch, meetings or home
  and are not counted: the number errs low.
- The goal (with a sit-stand desk; Buckley et al. 2015: build up to 2, then 4 hours of
  standing and light activity in work hours): [standing_goal_min] a day, and
  [standing_goal_next_min] in a week after one with GROW_DAYS days that met the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from coach.config.settings import Settings
from coach.history import stats as st
from coach.history.store import History

MOVING_MAX_S = 30 * 60
GROW_DAYS = 3  # days in a week that met the first goal: the next week has the next goal


@dataclass(frozen=True)
class DayShape:
    day: date
    standing_s: float
    moving_s: float
    goal_s: float | None  # standing + moving to aim for (None: no sit-stand desk)
    sitting_s: float
    bouts: int
    bouts_over_30: int

    @property
    def up_s(self) -> float:
        """Standing and moving: what counts towards the goal."""
        return self.standing_s + self.moving_s

    @property
    def average_bout_s(self) -> float | None:
        return self.sitting_s / self.bouts if self.bouts else None

    @property
    def meets_goal(self) -> bool | None:
        return None if self.goal_s is None else self.goal_s > 0 and self.up_s >= self.goal_s

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "day": self.day.isoformat(),
            "up_s": self.up_s,
            "average_bout_s": self.average_bout_s,
            "meets_goal": self.meets_goal,
        }


def shapes(store: History, first: date, last: date, settings: Settings) -> list[DayShape]:
    """Days first..last (inclusive), each with its goal (read from the week before)."""
    monday = st.week_of(first)[0] - timedelta(weeks=1)  # the week before decides the goal
    standing = st.time_per_day(store.standing, monday, last)
    moving = st.time_per_day(partial(_moving, store), monday, last)
    first_goal = settings.standing_goal_min * 60
    met_in_week: dict[date, int] = {}
    out: list[DayShape] = []
    for d in st.period_stats(store, "days", monday, last).days:
        week = st.week_of(d.day)[0]
        grown = met_in_week.get(week - timedelta(weeks=1), 0) >= GROW_DAYS
        up = standing[d.day] + moving[d.day]
        if first_goal and up >= first_goal:
            met_in_week[week] = met_in_week.get(week, 0) + 1
        goal = settings.standing_goal_next_min * 60 if grown else first_goal
        if d.day >= first:
            out.append(
                DayShape(
                    day=d.day,
                    standing_s=standing[d.day],
                    moving_s=moving[d.day],
                    goal_s=goal if settings.has_sit_stand_desk else None,
                    sitting_s=d.sitting_s,
                    bouts=d.bouts,
                    bouts_over_30=d.bouts_over_30,
                )
            )
    return out


def _moving(store: History, lo: float, hi: float) -> Iterator[tuple[float, float, str, int]]:
    """Away spans that count as moving: at most MOVING_MAX_S, not sleep."""
    for row in store.away(lo, hi):
        start, end, cause, _off = row
        if cause != "asleep" and end - start <= MOVING_MAX_S:
            yield row


def summary(days: list[DayShape]) -> dict[str, Any]:
    """The days' shape in one JSON object: totals, goal days and each day."""
    bouts = sum(d.bouts for d in days)
    sitting = sum(d.sitting_s for d in days)
    return {
        "standing_s": sum(d.standing_s for d in days),
        "moving_s": sum(d.moving_s for d in days),
        "goal_days": sum(bool(d.meets_goal) for d in days),
        "bouts_over_30": sum(d.bouts_over_30 for d in days),
        "average_bout_s": sitting / bouts if bouts else None,
        "days": [d.as_dict() for d in days],
    }


def standing_spans(store: History, day: date) -> list[st.Span]:
    """The standing spans of one local day, in local hours (for the timeline)."""
    return st.spans_of_day(store.standing, day)
