"""What the tray shows, as the service sees it: one snapshot, no Qt, no clock reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coach.core.modes import Mode


@dataclass(frozen=True)
class CoachStatus:
    mode: Mode  # Mode.ON, or why no break comes now
    until: datetime | None  # when that mode ends, if known
    sitting_s: float  # the open bout's sitting time
    away_s: float  # the current away span (0 while seated)
    next_break_in_s: float  # sitting time until the next break falls due
    progress: float  # share of the short-break interval sat so far (0..1): the tray ring
    break_id: int | None  # the break on screen, waiting for an answer
    urgent: bool  # ... and it has been waiting a while
    painful: tuple[str, ...]  # exercises the user marked painful (ids, sorted)
    write_problem: str | None  # why the history cannot be written now
    standing: bool = False  # the user said they stand (a sit-stand desk)
    has_sit_stand_desk: bool = False  # the tray offers "I'm standing" / "I'm sitting again"
    snoozed_for_s: float | None = None  # a snoozed break comes back after this long

    @property
    def paused(self) -> bool:
        """Paused or in a meeting: the user's own "not now", which they can end."""
        return self.mode.chosen
