"""Idle time kept from two events, "idle for a while" and "input again", without polling.

Event-driven idle sources (Wayland's ext-idle-notify, GNOME's idle watches) are
told by the desktop when the user has been idle for `threshold_s` and when input
comes back. Between the two the idle time grows with the clock; while active it
is below the threshold and reads 0.0 (the engine treats that as "at the desk").
"""

from __future__ import annotations

import os
from collections.abc import Callable


class IdleEvents:
    """The idle state one watch reports; `mono` is the monotonic clock the app ticks on."""

    def __init__(self, threshold_s: float, mono: Callable[[], float]) -> None:
        self.threshold_s = threshold_s
        self._mono = mono
        self.idle_since: float | None = None  # on the `mono` clock; None while active
        self.returns = 0  # times input came back after an idle span, not yet taken

    @property
    def idle(self) -> bool:
        """True from the idle event until input comes back."""
        return self.idle_since is not None

    def idled(self, idle_s: float | None = None) -> None:
        """The desktop says the user has been idle `idle_s` (default: the threshold)."""
        if self.idle_since is None:
            self.idle_since = self._mono() - (self.threshold_s if idle_s is None else idle_s)

    def resumed(self) -> None:
        """Input came back at this very moment."""
        if self.idle_since is not None:
            self.returns += 1
        self.idle_since = None

    def forget(self) -> None:
        """The source went away: read as active, without counting a return."""
        self.idle_since = None

    def seconds(self) -> float:
        """Seconds without input: 0.0 while active (below the threshold)."""
        if self.idle_since is None:
            return 0.0
        return max(self._mono() - self.idle_since, 0.0)

    def take_returns(self) -> int:
        """How often input came back since the last call."""
        n, self.returns = self.returns, 0
        return n


def silence(fd: int) -> int:
    """Put a pipe that never becomes readable in place of a lost connection's `fd`.

    The UI keeps watching that descriptor number; a hung-up socket would read as
    readable for ever and spin the event loop. Returns the pipe's write end, to
    close when the adapter closes.
    """
    quiet_r, quiet_w = os.pipe()
    os.dup2(quiet_r, fd)
    os.close(quiet_r)
    return quiet_w
