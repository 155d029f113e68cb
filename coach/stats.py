"""Statistics: pure queries over the store, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from coach.store import Store

_LOCAL_DAY = "date({col} + utc_offset * 60, 'unixepoch')"


@dataclass(frozen=True)
class DayStats:
    day: date
    sitting_s: float
    bouts: int
    longest_bout_s: float
    offered: int
    done: int
    snoozed: int
    skipped: int
    missed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"day": self.day.isoformat()}


def day_stats(store: Store, day: date) -> DayStats:
    """One local day: a bout or break counts on the local day it started."""
    d = day.isoformat()
    sitting, bouts, longest = store.conn.execute(
        f"SELECT COALESCE(SUM(sat_s), 0), COUNT(*), COALESCE(MAX(sat_s), 0) FROM bouts "
        f"WHERE {_LOCAL_DAY.format(col='start')} = ?", (d,)).fetchone()
    offered, done, snoozed, skipped, missed = store.conn.execute(
        "SELECT COUNT(*), "
        "COALESCE(SUM(outcome = 'done'), 0), COALESCE(SUM(snoozes), 0), "
        "COALESCE(SUM(outcome = 'skipped'), 0), COALESCE(SUM(outcome = 'missed'), 0) "
        f"FROM breaks WHERE {_LOCAL_DAY.format(col='due')} = ?", (d,)).fetchone()
    return DayStats(day=day, sitting_s=sitting, bouts=bouts, longest_bout_s=longest,
                    offered=offered, done=done, snoozed=snoozed, skipped=skipped,
                    missed=missed)


def format_duration(seconds: float) -> str:
    """'1 h 05 min', '12 min', '40 s' (minutes rounded to the nearest)."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    hours, minutes = divmod(int(round(whole / 60)), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
