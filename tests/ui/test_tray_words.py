"""The tray's status line says why no break comes: outside work hours until when, busy."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from coach.core.modes import Mode
from coach.core.status import CoachStatus
from coach.ui.tray import Tray

MONDAY = datetime(2026, 11, 16, 7, 30)
ON = CoachStatus(
    mode=Mode.ON,
    until=None,
    sitting_s=25 * 60,
    away_s=0,
    next_break_in_s=5 * 60,
    progress=0.8,
    break_id=None,
    urgent=False,
    painful=(),
    write_problem=None,
)


def test_until_names_the_day_when_it_is_not_today() -> None:
    at = MONDAY.replace(hour=8, minute=30)
    assert Tray.until_day(at, MONDAY) == "until 08:30"
    assert Tray.until_day(at + timedelta(days=1), MONDAY) == "until tomorrow at 08:30"
    assert Tray.until_day(at + timedelta(days=7), MONDAY) == "until Monday at 08:30"
    assert Tray.until_day(None, MONDAY) == "until your work hours begin"


def test_off_hours_and_busy_do_not_promise_a_break() -> None:
    later = datetime.now() + timedelta(hours=1)
    off = Tray.describe(replace(ON, mode=Mode.OFF_HOURS, until=later))
    assert off.startswith("Outside your work hours: no breaks until ")
    assert later.strftime("%H:%M") in off and "next break" not in off
    busy = Tray.describe(replace(ON, mode=Mode.BUSY))
    assert busy.startswith("Busy") and "next break after" not in busy
    assert "next break after 5 min more sitting" in Tray.describe(ON)
