"""Windows: "not now" from SHQueryUserNotificationState (shell32), via ctypes.

Windows says when notifications should hold back: a presentation (presentation
mode, or PowerPoint showing a slide show), a fullscreen program or game, or a
fullscreen Store app. Focus Assist (quiet hours) is not reported by this call
(its "quiet time" is only the first hour after installing Windows), so Coach
does not see it. Written against the Win32 documentation; tested with a fake
shell32 on Linux.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable, guarded

log = logging.getLogger(__name__)

S_OK = 0


class Quns(IntEnum):
    """QUERY_USER_NOTIFICATION_STATE."""

    NOT_PRESENT = 1  # a screen saver, a locked machine or fast user switching
    BUSY = 2  # a fullscreen program (not Direct3D)
    RUNNING_D3D_FULL_SCREEN = 3  # a fullscreen Direct3D program (a game)
    PRESENTATION_MODE = 4  # presentation settings, or a slide show
    ACCEPTS_NOTIFICATIONS = 5
    QUIET_TIME = 6  # the first hour after installing Windows
    APP = 7  # a Windows Store app is fullscreen


BUSY_STATES = {Quns.BUSY, Quns.RUNNING_D3D_FULL_SCREEN, Quns.PRESENTATION_MODE, Quns.APP}


def load_shell32() -> Any:
    """shell32 with SHQueryUserNotificationState declared, or raise Unavailable."""
    if sys.platform != "win32":
        raise Unavailable(_("not Windows"))
    shell32 = ctypes.WinDLL("shell32")  # type: ignore[attr-defined,unused-ignore]  # Windows only
    declare(shell32)
    return shell32


def declare(shell32: Any) -> None:
    """Declare the ctypes signature: HRESULT SHQueryUserNotificationState(int *)."""
    shell32.SHQueryUserNotificationState.argtypes = [ctypes.POINTER(ctypes.c_int)]
    shell32.SHQueryUserNotificationState.restype = ctypes.c_long


class WindowsNotificationState:
    """Busy while Windows holds notifications back for a presentation or fullscreen program."""

    name = "windows-notification-state"
    kind = "busy"
    interval_s = 5.0

    def __init__(self, shell32: Any) -> None:
        self._shell32 = shell32
        self._health = OnceLog(log, "Windows notification state")
        self.state: Quns | None = None

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "While Windows holds notifications back for a presentation or a fullscreen "
            "program, break popups wait."
        )

    @classmethod
    def probe(cls, shell32: Callable[[], Any] = load_shell32) -> WindowsNotificationState:
        """Works where shell32 answers the query."""
        adapter = cls(shell32())
        adapter._read()
        return adapter

    def _read(self) -> bool:
        value = ctypes.c_int(0)
        result = self._shell32.SHQueryUserNotificationState(ctypes.byref(value))
        if result != S_OK:
            raise Unavailable(
                _("{function} failed ({code})").format(
                    function="SHQueryUserNotificationState", code=f"0x{result & 0xFFFFFFFF:08x}"
                )
            )
        try:
            self.state = Quns(value.value)
        except ValueError:
            self.state = None  # a state newer than this code: not busy
            return False
        return self.state in BUSY_STATES

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def active(self) -> bool:
        """True during a presentation or while a program is fullscreen."""
        return guarded(self._health, self._read, False)

    def close(self) -> None:
        """Nothing to release."""
