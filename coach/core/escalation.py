"""Escalation with kindness: notice when breaks keep being put off at the same time of
day, so the coach can offer (once) to wait for natural pauses or to shorten breaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WINDOW = timedelta(days=14)
MIN_DECLINED = 4  # snoozed, skipped or missed breaks in that hour...
MIN_DAYS = 3  # ... on at least this many different days ...
MIN_SHARE = 0.6  # ... and most of the breaks offered in that hour
OFFER_KEY = "escalation_offer"


@dataclass(frozen=True)
class Pattern:
    """Breaks around `hour` (local time) are mostly put off."""

    hour: int
    declined: int
    offered: int
    days: int


def find_pattern(rows: Iterable[tuple[float, int, str, int]]) -> Pattern | None:
    """`rows`: (due epoch seconds, UTC offset minutes, outcome, snoozes) of recent breaks.

    Returns the hour whose breaks are put off most, if it clearly stands out.
    """
    offered: dict[int, int] = defaultdict(int)
    declined: dict[int, int] = defaultdict(int)
    days: dict[int, set[str]] = defaultdict(set)
    for due, offset, outcome, snoozes in rows:
        local = datetime.fromtimestamp(due, timezone(timedelta(minutes=offset)))
        offered[local.hour] += 1
        if outcome in ("skipped", "missed") or snoozes > 0:
            declined[local.hour] += 1
            days[local.hour].add(local.date().isoformat())
    candidates = [
        Pattern(hour, declined[hour], offered[hour], len(days[hour]))
        for hour in declined
        if declined[hour] >= MIN_DECLINED
        and len(days[hour]) >= MIN_DAYS
        and declined[hour] / offered[hour] >= MIN_SHARE
    ]
    return max(candidates, key=lambda p: (p.declined, p.declined / p.offered), default=None)
