"""Escalation with kindness: the pattern, and that the offer comes only once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from coach.core.escalation import find_pattern

CET = timezone(timedelta(hours=1))


def rows(day_hour_outcomes: list[tuple[int, int, str, int]]) -> list[tuple[float, int, str, int]]:
    return [
        (datetime(2026, 11, day, hour, 10, tzinfo=CET).timestamp(), 60, outcome, snoozes)
        for day, hour, outcome, snoozes in day_hour_outcomes
    ]


def test_breaks_put_off_at_eleven_on_several_days() -> None:
    data = rows(
        [(d, 11, "skipped", 0) for d in (9, 10, 11)]
        + [(12, 11, "done", 2)]
        + [(d, 14, "done", 0) for d in range(9, 14)]
    )
    pattern = find_pattern(data)
    assert pattern is not None
    assert (pattern.hour, pattern.declined, pattern.days) == (11, 4, 4)


def test_one_bad_day_is_no_pattern() -> None:
    assert find_pattern(rows([(9, 11, "skipped", 0)] * 6)) is None


def test_mostly_taken_is_no_pattern() -> None:
    data = rows(
        [(d, 11, "skipped", 0) for d in (9, 10, 11, 12)]
        + [(d, 11, "done", 0) for d in range(9, 13)] * 2
    )
    assert find_pattern(data) is None
