"""The platform layer: what the OS can tell about the user, as `coach.core.sample.Sample`.

Call `detect()` once at start-up; it picks, for each adapter family, the first
candidate that works here. Then call `Platform.sample(now_mono)` at each tick
and `Platform.report()` (or `report_lines()` / `as_dict()`) for `coach doctor`.
Call `Platform.close()` at exit. Nothing here imports Qt.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {  # loaded when first asked for: the tray app imports the package before it
    "Choice": "base",  # detects anything, and the icon should not wait for the probes
    "IdleSource": "base",
    "LockSource": "base",
    "PresenceSignal": "base",
    "Tried": "base",
    "Unavailable": "base",
    "detect": "candidates",
    "Platform": "sampler",
    "ClockPair": "sleep",
    "SleepDetector": "sleep",
}

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


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
