"""Durations as people read them, in the user's language."""

from __future__ import annotations

from coach.i18n import _


def format_duration(seconds: float) -> str:
    """'1 h 05 min', '12 min', '40 s' (minutes rounded to the nearest)."""
    whole = int(round(seconds))
    if whole < 60:
        return _("{s} s").format(s=whole)
    hours, minutes = divmod(int(round(whole / 60)), 60)
    if hours:
        return _("{h} h {m:02d} min").format(h=hours, m=minutes)
    return _("{m} min").format(m=minutes)
