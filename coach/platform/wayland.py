"""Idle time and the return moment on Wayland, from the compositor's ext-idle-notify-v1.

The compositor tells its clients when the seat has been idle for a timeout
(`idled`) and the moment input comes back (`resumed`). Coach asks for one
notification at `after_s` (the pause after which the exact return moment
matters), so while the user is active nothing arrives and nothing wakes up.

Version 2 of the protocol has two kinds of notification, and Coach uses both:
- `get_input_idle_notification`: real input only (idle inhibitors ignored);
- `get_idle_notification`: honours idle inhibitors (a video or presentation
  keeping the screen on).
Input idle while the screen is kept awake is someone watching or presenting:
`ScreenKeptAwake` reports it as busy (the break waits). With version 1 only the
inhibitor-aware one exists: a kept-awake screen then reads as activity.

The client is pywayland (libwayland-client). The UI watches the display's file
descriptor (`fileno()`) and ticks when it is readable; `drain()` and
`idle_seconds()` read only what is already there, never block, start no thread.
"""

from __future__ import annotations

import logging
import os
import select
from collections.abc import Callable, Mapping
from typing import Any

from coach.core.clock import SystemClock
from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable
from coach.platform.idle_events import IdleEvents, silence

log = logging.getLogger(__name__)

Clock = Callable[[], float]
NOTIFIER = "ext_idle_notifier_v1"
SEAT = "wl_seat"
CLIENT_VERSION = 2  # the highest version this client knows
MAX_READS = 8  # reads per pump: what arrived meanwhile, without spinning on a flood


def socket_path(env: Mapping[str, str]) -> str:
    """The compositor's socket named by WAYLAND_DISPLAY, or raise Unavailable."""
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        raise Unavailable(
            _("not a Wayland session ({variable} unset)").format(variable="WAYLAND_DISPLAY")
        )
    if os.path.isabs(name):
        return name
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if not runtime:
        raise Unavailable(
            _("{variable} is unset, so the Wayland socket cannot be found").format(
                variable="XDG_RUNTIME_DIR"
            )
        )
    return os.path.join(runtime, name)


class ExtIdleNotify:
    """An idle source and return watch on the compositor's ext_idle_notifier_v1."""

    name = "wayland-ext-idle-notify"

    def __init__(
        self, display: Any, notifier: Any, seat: Any, version: int, after_s: float, mono: Clock
    ) -> None:
        self.version = version
        self.after_s = after_s
        self._display = display
        self._notifier = notifier
        self._seat = seat
        self._health = OnceLog(log, "Wayland idle notifications")
        self._quiet: int | None = None  # a silent pipe over a lost connection
        timeout = max(int(after_s * 1000), 1)
        # input-only where it exists; else the only kind there is (honours inhibitors)
        self.input = IdleEvents(after_s, mono)
        self.screen: IdleEvents | None = None
        self._notifications = []
        if version >= 2:
            self._notifications.append(
                self._watch(notifier.get_input_idle_notification(timeout, seat), self.input)
            )
            self.screen = IdleEvents(after_s, mono)
            self._notifications.append(
                self._watch(notifier.get_idle_notification(timeout, seat), self.screen)
            )
        else:
            self._notifications.append(
                self._watch(notifier.get_idle_notification(timeout, seat), self.input)
            )
        display.flush()

    @staticmethod
    def _watch(notification: Any, state: IdleEvents) -> Any:
        notification.dispatcher["idled"] = lambda *_a: state.idled()
        notification.dispatcher["resumed"] = lambda *_a: state.resumed()
        return notification

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "The Wayland compositor tells Coach when you stop using the keyboard and mouse "
            "and the moment you come back ({protocol} version {version})."
        ).format(protocol=NOTIFIER, version=self.version)

    @classmethod
    def probe(
        cls,
        env: Mapping[str, str] = os.environ,
        after_s: float = 60.0,
        mono: Clock | None = None,
    ) -> ExtIdleNotify:
        """Connect and subscribe, or raise Unavailable saying why not."""
        path = socket_path(env)
        try:
            from pywayland.client.display import Display
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1
            from pywayland.protocol.wayland import WlSeat
        except ImportError as e:
            raise Unavailable(
                _("the {module} module is missing ({error})").format(module="pywayland", error=e)
            ) from None
        display = Display(path)
        try:
            display.connect()
        except ValueError:
            raise Unavailable(
                _("cannot connect to the Wayland compositor at {path}").format(path=path)
            ) from None
        try:
            registry, offered = offered_globals(display)
            if NOTIFIER not in offered:
                raise Unavailable(
                    _("the compositor does not offer {protocol}").format(protocol=NOTIFIER)
                )
            if SEAT not in offered:
                raise Unavailable(
                    _("the compositor offers no seat ({interface})").format(interface=SEAT)
                )
            n_name, n_version = offered[NOTIFIER]
            s_name, s_version = offered[SEAT]
            version = min(n_version, CLIENT_VERSION)
            notifier = registry.bind(n_name, ExtIdleNotifierV1, version)
            seat = registry.bind(s_name, WlSeat, min(s_version, 1))
            adapter = cls(display, notifier, seat, version, after_s, mono or SystemClock().mono)
            display.roundtrip()
            return adapter
        except BaseException:
            display.disconnect()
            raise

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    # -- reading events, never blocking ---------------------------------------------
    def _pump(self) -> None:
        if self._quiet is not None:
            return
        try:
            self._display.dispatch(block=False)
            fd = self._display.get_fd()
            for _ in range(MAX_READS):  # a hang-up stays readable: the next read fails
                if not select.select([fd], [], [], 0)[0]:
                    break
                self._display.read()
                self._display.dispatch(block=False)
            self._display.flush()
        except Exception as e:  # the compositor went away or sent garbage
            self._lost(repr(e))
            return
        self._health.ok()

    def _lost(self, reason: str) -> None:
        """The connection is gone: its descriptor goes silent, idle reads 0.0."""
        self._health.failed(reason)
        try:
            self._quiet = silence(self._display.get_fd())
        except Exception:
            log.warning("could not silence the lost Wayland connection", exc_info=True)
        self.input.forget()
        if self.screen is not None:
            self.screen.forget()

    # -- IdleSource -----------------------------------------------------------------
    def idle_seconds(self) -> float:
        """Seconds without input: 0.0 while below `after_s` or the compositor is gone."""
        self._pump()
        return self.input.seconds()

    # -- ReturnWatch ----------------------------------------------------------------
    def fileno(self) -> int:
        """The display connection: readable when the compositor sent an event."""
        return int(self._display.get_fd())

    def queued(self) -> bool:
        """Events are dispatched as soon as they are read, so none wait unseen."""
        return False

    def drain(self) -> int:
        """Read what the compositor sent; how often input came back since the last call."""
        self._pump()
        return self.input.take_returns()

    def kept_awake(self) -> bool:
        """Input idle while an inhibitor keeps the screen awake (version 2 only)."""
        self._pump()
        return self.screen is not None and self.input.idle and not self.screen.idle

    def close(self) -> None:
        """Destroy the notifications and disconnect. Idempotent."""
        if self._display is None:
            return
        display, self._display = self._display, None
        try:
            if self._quiet is None:
                for n in self._notifications:
                    n.destroy()
                self._notifier.destroy()
                display.flush()
            display.disconnect()
        except Exception:
            log.debug("closing the Wayland connection failed", exc_info=True)
        if self._quiet is not None:
            os.close(self._quiet)


class ScreenKeptAwake:
    """Busy: no input for a while, yet an app keeps the screen awake (watching, presenting)."""

    name = "wayland-idle-inhibited"
    kind = "busy"
    interval_s = 1.0  # reading is free: the state arrives as events

    def __init__(self, source: ExtIdleNotify) -> None:
        self._source = source

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "While an app keeps the screen awake (a video, a presentation) and you do not "
            "type, Coach counts you as seated and break popups wait."
        )

    @classmethod
    def probe(cls, source: Any) -> ScreenKeptAwake:
        """Works on top of ext-idle-notify version 2."""
        if not isinstance(source, ExtIdleNotify):
            raise Unavailable(_("needs {protocol}, which is not in use").format(protocol=NOTIFIER))
        if source.version < 2:
            raise Unavailable(
                _(
                    "the compositor offers {protocol} version {version} only, which cannot "
                    "tell a kept-awake screen from typing"
                ).format(protocol=NOTIFIER, version=source.version)
            )
        return cls(source)

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._source.problem

    def active(self) -> bool:
        """True while input is idle but the screen is kept awake."""
        return self._source.kept_awake()

    def close(self) -> None:
        """The source owns the connection."""


def offered_globals(display: Any) -> tuple[Any, dict[str, tuple[int, int]]]:
    """The registry, and the compositor's globals by interface: (name, version)."""
    registry = display.get_registry()
    found: dict[str, tuple[int, int]] = {}

    def on_global(_registry: Any, name: int, interface: str, version: int) -> None:
        found.setdefault(interface, (name, version))

    registry.dispatcher["global"] = on_global
    display.roundtrip()
    return registry, found
