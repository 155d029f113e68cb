"""Windows adapters via ctypes: idle time, screen lock and the sleep clock pair.

Written against the Win32 documentation; they do not run on the Linux build
machine. Their logic is tested with fakes of user32/kernel32.

- Idle: GetLastInputInfo gives the 32-bit tick count of the last input in
  this session; GetTickCount64 gives now. Subtracting modulo 2**32 is right
  across the 49.7-day wrap of the 32-bit count.
- Lock: OpenInputDesktop fails while the secure desktop (lock screen, or
  briefly a UAC prompt) has the input.
- Sleep: GetTickCount64 counts time asleep; QueryUnbiasedInterruptTime does not.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any

from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable, guarded
from coach.platform.sleep import ClockPair

log = logging.getLogger(__name__)

DESKTOP_SWITCHDESKTOP = 0x0100
WRAP = 2**32


class LASTINPUTINFO(ctypes.Structure):
    """Win32 LASTINPUTINFO: cbSize must be set before the call."""

    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


Libs = tuple[Any, Any]  # (user32, kernel32)


def load_libs() -> Libs:
    """user32 and kernel32 with argument types declared, or raise Unavailable."""
    if sys.platform != "win32":
        raise Unavailable(_("not Windows"))
    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]  # Windows only
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]  # Windows only
    declare(user32, kernel32)
    return user32, kernel32


def declare(user32: Any, kernel32: Any) -> None:
    """Declare the ctypes signatures of the calls used here."""
    user32.GetLastInputInfo.argtypes = [ctypes.POINTER(LASTINPUTINFO)]
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.OpenInputDesktop.argtypes = [ctypes.c_uint32, ctypes.c_int, ctypes.c_uint32]
    user32.OpenInputDesktop.restype = ctypes.c_void_p
    user32.CloseDesktop.argtypes = [ctypes.c_void_p]
    user32.CloseDesktop.restype = ctypes.c_int
    kernel32.GetTickCount64.argtypes = []
    kernel32.GetTickCount64.restype = ctypes.c_uint64
    kernel32.QueryUnbiasedInterruptTime.argtypes = [ctypes.POINTER(ctypes.c_uint64)]
    kernel32.QueryUnbiasedInterruptTime.restype = ctypes.c_int


def idle_ms(last_input_tick: int, now_tick64: int) -> int:
    """Milliseconds between the 32-bit last-input tick and the 64-bit current tick."""
    return (now_tick64 - last_input_tick) % WRAP


class WindowsIdle:
    """Seconds since the last input in this Windows session."""

    name = "windows-lastinput"

    def __init__(self, user32: Any, kernel32: Any) -> None:
        self._user32 = user32
        self._kernel32 = kernel32
        self._health = OnceLog(log, "Windows idle time")

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees keyboard and mouse activity through Windows ({call}).").format(
            call="GetLastInputInfo"
        )

    @classmethod
    def probe(cls, libs: Callable[[], Libs] = load_libs) -> WindowsIdle:
        """Works when GetLastInputInfo succeeds (an interactive session)."""
        adapter = cls(*libs())
        try:
            adapter._read()
        except OSError as e:
            raise Unavailable(
                _("{call} failed ({error}); not an interactive session?").format(
                    call="GetLastInputInfo", error=e
                )
            ) from None
        return adapter

    def _read(self) -> float:
        info = LASTINPUTINFO()
        info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise OSError("GetLastInputInfo returned 0")
        return idle_ms(info.dwTime, int(self._kernel32.GetTickCount64())) / 1000.0

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 if the call fails."""
        return guarded(self._health, self._read, 0.0)

    def close(self) -> None:
        """Nothing to release."""


class WindowsLock:
    """Locked while the input desktop cannot be opened (the secure desktop has it)."""

    name = "windows-inputdesktop"

    def __init__(self, user32: Any) -> None:
        self._user32 = user32
        self._health = OnceLog(log, "Windows lock state")

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "Coach sees when the screen is locked through Windows "
            "(a UAC prompt also reads as locked while it shows)."
        )

    @classmethod
    def probe(cls, libs: Callable[[], Libs] = load_libs) -> WindowsLock:
        """Works on Windows; the first reading is taken to check the call exists."""
        user32, _kernel32 = libs()
        adapter = cls(user32)
        adapter._read()
        return adapter

    def _read(self) -> bool:
        desk = self._user32.OpenInputDesktop(0, 0, DESKTOP_SWITCHDESKTOP)
        if not desk:
            return True
        self._user32.CloseDesktop(desk)
        return False

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def is_locked(self) -> bool:
        """True while the lock screen has the input; False if the call fails."""
        return guarded(self._health, self._read, False)

    def close(self) -> None:
        """Nothing to release."""


def windows_clocks(libs: Callable[[], Libs] = load_libs) -> ClockPair | None:
    """GetTickCount64 (counts sleep) vs QueryUnbiasedInterruptTime (does not)."""
    try:
        _user32, kernel32 = libs()
    except (Unavailable, OSError):
        return None

    def total() -> float:
        return int(kernel32.GetTickCount64()) / 1000.0

    def awake() -> float:
        value = ctypes.c_uint64()
        kernel32.QueryUnbiasedInterruptTime(ctypes.byref(value))
        return value.value / 1e7  # 100-ns units

    return ClockPair("GetTickCount64 vs QueryUnbiasedInterruptTime", total, awake)
