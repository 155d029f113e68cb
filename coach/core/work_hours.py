"""Optional work hours, e.g. "Mon-Fri 08:30-17:30": no breaks are offered outside them.

Days are English, Dutch, German or French three- or two-letter names (mon/ma/mo/lun ...
sun/zo/so/dim), as a range ("Mon-Fri") or a list ("Mon,Wed,Fri"); times are 24-hour
HH:MM. Empty means always.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from coach.i18n import _

DAYS = {
    "mon": 0,
    "tue": 1,
    "wed": 2,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
    "ma": 0,
    "di": 1,
    "wo": 2,
    "do": 3,
    "vr": 4,
    "za": 5,
    "zo": 6,
    "mo": 0,  # German; di and do are the same as in Dutch
    "mi": 2,
    "fr": 4,
    "sa": 5,
    "so": 6,
    "lun": 0,
    "mar": 1,  # before Dutch "ma": the three letters are looked up first
    "mer": 2,
    "jeu": 3,
    "ven": 4,
    "sam": 5,
    "dim": 6,
}
_PATTERN = re.compile(
    r"^\s*(?P<days>[A-Za-z, -]+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*"
    r"(?P<end>\d{1,2}:\d{2})\s*$"
)


@dataclass(frozen=True)
class WorkHours:
    days: frozenset[int]  # Monday = 0
    start: time
    end: time

    def contains(self, wall: datetime) -> bool:
        """Whether local time `wall` is within work hours."""
        return wall.weekday() in self.days and self.start <= wall.time() < self.end

    def next_start(self, wall: datetime) -> datetime | None:
        """When work hours next begin after local time `wall` (None: no work days)."""
        for ahead in range(8):
            day = wall.date() + timedelta(days=ahead)
            start = datetime.combine(day, self.start, wall.tzinfo)
            if day.weekday() in self.days and start > wall:
                return start
        return None


def _day(name: str) -> int:
    word = name.strip().lower()
    # three letters first: "monday"/"Montag" -> mon, "mardi" -> mar, "maandag" -> ma
    key = word[:3] if word[:3] in DAYS else word[:2]
    if key not in DAYS:
        raise ValueError(
            _("'{name}' is not a day (Mon, Tue, ... or ma, di, ...)").format(name=name.strip())
        )
    return DAYS[key]


def _time(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(_("'{text}' is not a time of day").format(text=text))
    return time.max if hours == 24 else time(hours, minutes)


def parse(text: str) -> WorkHours | None:
    """Parse the setting; None when empty. Raises ValueError saying what is wrong."""
    if not text.strip():
        return None
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(_("'{text}' is not like 'Mon-Fri 08:30-17:30'").format(text=text))
    days: set[int] = set()
    for part in match["days"].split(","):
        if "-" in part:
            first, last = (_day(d) for d in part.split("-", 1))
            days |= {d % 7 for d in range(first, last + (7 if last < first else 0) + 1)}
        elif part.strip():
            days.add(_day(part))
    start, end = _time(match["start"]), _time(match["end"])
    if end <= start:
        raise ValueError(
            _("the end {end} is not after the start {start}").format(
                end=match["end"], start=match["start"]
            )
        )
    return WorkHours(frozenset(days), start, end)
