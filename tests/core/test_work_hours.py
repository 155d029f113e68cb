"""Work hours: parsing and the rule "no breaks outside them"."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from coach.core.work_hours import WorkHours, parse

CET = timezone(timedelta(hours=1))


def test_parse_range_and_dutch_and_german_days() -> None:
    assert parse("Mon-Fri 08:30-17:30") == WorkHours(frozenset(range(5)), time(8, 30), time(17, 30))
    assert parse("ma,wo,vr 9:00-13:00") == WorkHours(frozenset({0, 2, 4}), time(9), time(13))
    assert parse("Sat-Mon 10:00-24:00").days == frozenset({5, 6, 0})
    assert parse("Mo-Fr 08:30-17:30") == parse("Mon-Fri 08:30-17:30")
    assert parse("Mi,Sa,So 9:00-13:00").days == frozenset({2, 5, 6})
    assert parse("Montag-Mittwoch 9:00-13:00").days == frozenset({0, 1, 2})
    assert parse("  ") is None


def test_parse_french_days_next_to_dutch() -> None:
    """'lun-ven' (the French example in the settings) parses; 'mar' is Tuesday, not 'ma'."""
    assert parse("lun-ven 08:30-17:30") == parse("Mon-Fri 08:30-17:30")
    for text, days in (
        ("mar,jeu 9:00-12:00", {1, 3}),
        ("mardi-dimanche 9:00-12:00", set(range(1, 7))),
        ("maandag,dinsdag 9:00-12:00", {0, 1}),
    ):
        hours = parse(text)
        assert hours is not None and hours.days == frozenset(days), text


@pytest.mark.parametrize(
    "text, words",
    [
        ("weekdays 9-5", "not like"),
        ("Mon-Fxy 08:00-17:00", "'Fxy' is not a day"),
        ("Mon-Fri 17:00-08:00", "not after the start"),
        ("Mon-Fri 08:00-25:00", "not a time of day"),
    ],
)
def test_parse_errors_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse(text)


def test_contains() -> None:
    hours = parse("Mon-Fri 08:30-17:30")
    assert hours is not None
    monday = datetime(2026, 11, 16, 8, 29, tzinfo=CET)
    assert not hours.contains(monday)
    assert hours.contains(monday.replace(minute=30))
    assert not hours.contains(monday.replace(hour=17, minute=30))
    assert not hours.contains(datetime(2026, 11, 21, 10, 0, tzinfo=CET))  # Saturday


def test_next_start_skips_to_the_next_work_day() -> None:
    hours = parse("Mon-Fri 08:30-17:30")
    assert hours is not None
    friday_evening = datetime(2026, 11, 20, 18, 0, tzinfo=CET)
    assert hours.next_start(friday_evening) == datetime(2026, 11, 23, 8, 30, tzinfo=CET)
    monday_early = datetime(2026, 11, 16, 7, 0, tzinfo=CET)
    assert hours.next_start(monday_early) == monday_early.replace(hour=8, minute=30)
