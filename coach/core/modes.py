""" "Not now": the one place that says why no break is offered at the moment.

Paused and in a meeting are the user's own choice (with an end); outside work hours
and busy (a fullscreen window, a call, do-not-disturb) come from the settings and the
desktop. The engine holds them as one `NotNow`; the tray shows it through the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    ON = "on"  # breaks come when they fall due
    PAUSED = "paused"  # the user paused breaks
    MEETING = "meeting"  # the user is in a meeting (until they end it, at most 2 h)
    OFF_HOURS = "off_hours"  # outside the work hours in the settings
    BUSY = "busy"  # fullscreen, a call, do-not-disturb: while it lasts

    @property
    def chosen(self) -> bool:
        """The user's own "not now" (pause, meeting), which the user can end."""
        return self in (Mode.PAUSED, Mode.MEETING)


@dataclass(frozen=True)
class NotNow:
    """No break now because of `mode`, until monotonic time `until` (None: while the
    reason lasts)."""

    mode: Mode
    until: float | None = None
