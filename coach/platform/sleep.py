"""Notice that the machine slept (suspend or hibernate) between two ticks.

Two clocks are read at each check: one that keeps counting while the machine
sleeps (`total`) and one that does not (`awake`). When `total` advanced more
than `awake` by more than a threshold, the difference is time asleep.

- Linux: CLOCK_BOOTTIME (counts suspend) vs CLOCK_MONOTONIC (does not).
- macOS: CLOCK_MONOTONIC (counts sleep there) vs CLOCK_UPTIME_RAW (does not).
- Windows: GetTickCount64 (counts sleep) vs QueryUnbiasedInterruptTime (does not).
- Elsewhere: wall-clock time vs time.monotonic; a manual clock change of more
  than the threshold reads as sleep there.

These clock readings are the only place the platform layer reads a clock;
tests pass a `ClockPair` of fakes.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD_S = 30.0


@dataclass(frozen=True)
class ClockPair:
    """Two readings in seconds: `total` counts time asleep, `awake` does not."""

    name: str
    total: Callable[[], float]
    awake: Callable[[], float]


def _clock(clock_id: int) -> Callable[[], float]:
    return lambda: time.clock_gettime(clock_id)


def system_clocks(platform: str = sys.platform) -> ClockPair:
    """The best clock pair for this OS."""
    if platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME"):
        return ClockPair(
            "CLOCK_BOOTTIME vs CLOCK_MONOTONIC",
            _clock(time.CLOCK_BOOTTIME),
            _clock(time.CLOCK_MONOTONIC),
        )
    if platform == "darwin" and hasattr(time, "CLOCK_UPTIME_RAW"):
        return ClockPair(
            "CLOCK_MONOTONIC vs CLOCK_UPTIME_RAW",
            _clock(time.CLOCK_MONOTONIC),
            _clock(time.CLOCK_UPTIME_RAW),
        )
    if platform == "win32":
        from coach.platform.windows import windows_clocks

        pair = windows_clocks()
        if pair is not None:
            return pair
    return ClockPair("wall clock vs time.monotonic", time.time, time.monotonic)


class SleepDetector:
    """`check()` returns the seconds slept since the previous check (0 if none)."""

    def __init__(self, clocks: ClockPair, threshold_s: float = DEFAULT_THRESHOLD_S) -> None:
        self.clocks = clocks
        self.threshold_s = threshold_s
        self._gap = self._read_gap()

    def _read_gap(self) -> float:
        return self.clocks.total() - self.clocks.awake()

    def check(self) -> float:
        """Seconds slept since the previous check; 0.0 below the threshold."""
        gap = self._read_gap()
        slept = gap - self._gap
        self._gap = gap
        if slept > self.threshold_s:
            log.info("the machine slept for about %.0f s", slept)
            return slept
        return 0.0
