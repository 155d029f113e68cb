"""macOS idle time via ctypes on CoreGraphics.

CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateHIDSystemState,
kCGAnyInputEventType) returns seconds since the last hardware input. Written
against Apple's documentation; it does not run on the Linux build machine and
is tested with a fake of the ctypes layer. Needs no Accessibility permission.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable, guarded

log = logging.getLogger(__name__)

FRAMEWORKS = (
    "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics",
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices",
)
HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType (~0)


def load_quartz(load: Callable[[str], Any] = ctypes.CDLL, platform: str = sys.platform) -> Any:
    """The CGEventSourceSecondsSinceLastEventType function, or raise Unavailable."""
    if platform != "darwin":
        raise Unavailable(_("not macOS"))
    for path in FRAMEWORKS:
        try:
            lib = load(path)
        except OSError:
            continue
        fn = getattr(lib, "CGEventSourceSecondsSinceLastEventType", None)
        if fn is not None:
            fn.argtypes = [ctypes.c_int32, ctypes.c_uint32]
            fn.restype = ctypes.c_double
            return fn
    raise Unavailable(
        _("{framework} not found, or it lacks {call}").format(
            framework="CoreGraphics", call="CGEventSourceSecondsSinceLastEventType"
        )
    )


class MacIdle:
    """Seconds since the last keyboard, mouse or trackpad input."""

    name = "macos-quartz"

    def __init__(self, seconds_since: Any) -> None:
        self._fn = seconds_since
        self._health = OnceLog(log, "macOS idle time")

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees keyboard and mouse activity through macOS ({framework}).").format(
            framework="CoreGraphics"
        )

    @classmethod
    def probe(cls, quartz: Callable[[], Any] = load_quartz) -> MacIdle:
        """Works when CoreGraphics loads and answers once."""
        adapter = cls(quartz())
        try:
            adapter._read()
        except (ValueError, OSError) as e:
            raise Unavailable(str(e)) from None
        return adapter

    def _read(self) -> float:
        value = float(self._fn(HID_SYSTEM_STATE, ANY_INPUT_EVENT))
        if value != value or value < 0:  # NaN or negative: not a usable reading
            raise ValueError(
                _("{framework} returned {value}").format(framework="CoreGraphics", value=value)
            )
        return value

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 if the call misbehaves."""
        return guarded(self._health, self._read, 0.0)

    def close(self) -> None:
        """Nothing to release."""
