"""The one place that reads the system clocks; everything else is given a Clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def mono(self) -> float:
        """Seconds on a clock that never jumps and keeps counting during sleep."""

    def wall(self) -> datetime:
        """The current local time, timezone-aware."""


_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)  # Linux only; Windows lacks clock_gettime


class SystemClock:
    """CLOCK_BOOTTIME where the OS has it (counts suspend), else the monotonic clock."""

    def mono(self) -> float:
        return time.clock_gettime(_BOOTTIME) if _BOOTTIME is not None else time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told; for tests and the simulator."""

    def __init__(self, start: datetime | None = None, mono: float = 1000.0) -> None:
        self._wall = start or datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
        self._mono = mono

    def mono(self) -> float:
        return self._mono

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def set_wall(self, wall: datetime) -> None:
        """Jump the wall clock (a clock change); the monotonic clock does not move."""
        self._wall = wall
