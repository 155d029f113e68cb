"""The platform layer: what the OS can tell about the user, as `coach.core.sample.Sample`.

Call `detect()` once at start-up; it picks, for each adapter family, the first
candidate that works here. Then call `Platform.sample(now_mono)` at each tick
and `Platform.report()` (or `report_lines()` / `as_dict()`) for `coach doctor`.
Call `Platform.close()` at exit. Nothing here imports Qt.
"""

from __future__ import annotations

from coach.platform.base import (
    Choice,
    IdleSource,
    LockSource,
    PresenceSignal,
    Tried,
    Unavailable,
)
from coach.platform.candidates import detect
from coach.platform.sampler import Platform
from coach.platform.sleep import ClockPair, SleepDetector

__all__ = [
    "Choice",
    "ClockPair",
    "IdleSource",
    "LockSource",
    "Platform",
    "PresenceSignal",
    "SleepDetector",
    "Tried",
    "Unavailable",
    "detect",
]
