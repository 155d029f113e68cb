"""The platform layer: what the OS can tell about the user, as `coach.sample.Sample`.

Call `detect()` once at start-up; it picks, for each adapter family, the first
candidate that works here. Then call `Platform.sample(now_mono)` at each tick
and `Platform.report()` (or `report_lines()` / `as_dict()`) for `coach doctor`.
Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.platform.base import (
    Candidate,
    Choice,
    IdleSource,
    LockSource,
    OnceLog,
    PresenceSignal,
    Tried,
    Unavailable,
    choose,
    choose_optional,
)
from coach.platform.sleep import ClockPair, SleepDetector, system_clocks
from coach.sample import Sample

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

log = logging.getLogger(__name__)

IDLE = "idle source"
LOCK = "screen lock"
SLEEP = "sleep detection"
FULLSCREEN = "fullscreen"
CAMERA = "camera"
MICROPHONE = "microphone"
INHIBITOR = "idle inhibitor"

WITHOUT = {
    FULLSCREEN: "Coach cannot see fullscreen windows here; a break popup may cover a presentation.",
    CAMERA: "Coach cannot see the camera here; a break popup may show during a video call.",
    MICROPHONE: "Coach cannot see the microphone here; a break popup may show during a call.",
    INHIBITOR: "Coach cannot see apps that keep the screen awake; "
    "watching a video without typing may count as a break.",
}


@dataclass
class _Polled:
    """A presence signal read at most every `interval_s`, remembered in between."""

    family: str
    signal: PresenceSignal
    next_at: float = -math.inf
    value: bool = False

    def read(self, now_mono: float, health: OnceLog) -> bool:
        if now_mono >= self.next_at:
            try:
                self.value = bool(self.signal.active())
                health.ok()
            except Exception as e:  # adapters should not raise; never let one break the tick
                health.failed(repr(e))
                self.value = False
            self.next_at = now_mono + self.signal.interval_s
        return self.value


class Platform:
    """The adapters chosen for this machine, combined into one `Sample` per tick."""

    def __init__(
        self,
        idle: IdleSource,
        lock: LockSource,
        signals: Sequence[tuple[str, PresenceSignal]],
        sleep: SleepDetector,
        choices: Sequence[Choice],
        resources: Sequence[Any] = (),
    ) -> None:
        self.idle = idle
        self.lock = lock
        self.sleep = sleep
        self._polled = [_Polled(family, s) for family, s in signals]
        self._choices = list(choices)
        self._resources = list(resources)
        self._health = {
            name: OnceLog(log, name) for name in [IDLE, LOCK, SLEEP, *(f for f, _ in signals)]
        }

    @property
    def signals(self) -> dict[str, PresenceSignal]:
        """The working presence signals by family."""
        return {p.family: p.signal for p in self._polled}

    def _safe(self, family: str, read: Callable[[], Any], safe: Any) -> Any:
        try:
            value = read()
        except Exception as e:  # adapters should not raise; never let one break the tick
            self._health[family].failed(repr(e))
            return safe
        self._health[family].ok()
        return value

    def sample(self, now_mono: float) -> Sample:
        """One reading for the engine. `now_mono` paces the slower presence checks."""
        asleep = self._safe(SLEEP, self.sleep.check, 0.0) > 0
        idle_s = float(self._safe(IDLE, self.idle.idle_seconds, 0.0))
        locked = bool(self._safe(LOCK, self.lock.is_locked, False))
        on = {p.family: p.read(now_mono, self._health[p.family]) for p in self._polled}
        busy = any(on[p.family] for p in self._polled if p.signal.kind == "busy")
        presence = busy or any(on.values())
        return Sample(idle_s=idle_s, presence=presence, busy=busy, locked=locked, asleep=asleep)

    def report(self) -> list[Choice]:
        """One `Choice` per family, with the current reading and any current problem."""
        adapters: dict[str, Any] = {IDLE: self.idle, LOCK: self.lock, **self.signals}
        out = []
        for choice in self._choices:
            adapter = adapters.get(choice.family)
            if adapter is None:
                out.append(choice)
                continue
            out.append(
                replace(choice, now=_reading(choice.family, adapter), problem=adapter.problem)
            )
        return out

    def report_lines(self) -> list[str]:
        """Plain-text lines for `coach doctor`."""
        return [line for choice in self.report() for line in choice.lines()]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description for `coach doctor --json`."""
        return {"families": [c.as_dict() for c in self.report()]}

    def close(self) -> None:
        """Release displays and bus connections. Idempotent."""
        for adapter in [self.idle, self.lock, *(p.signal for p in self._polled)]:
            try:
                adapter.close()
            except Exception:
                log.warning("closing %s failed", adapter.name, exc_info=True)
        for resource in self._resources:
            resource.close()


def _reading(family: str, adapter: Any) -> str:
    """The adapter's current reading in plain words (for the report only)."""
    try:
        if family == IDLE:
            return f"last input {adapter.idle_seconds():.0f} s ago"
        if family == LOCK:
            return "screen locked" if adapter.is_locked() else "screen unlocked"
        holders = getattr(adapter, "holders", None)
        if holders is not None:
            found = holders()
            return (
                "in use by " + ", ".join(f"{h.command} (pid {h.pid})" for h in found)
                if found
                else "not in use"
            )
        return "on" if adapter.active() else "off"
    except Exception as e:
        return f"reading failed: {e!r}"


class _LazyDisplay:
    """Opens the X display once, on first use, for the adapters that share it."""

    def __init__(self, env: Mapping[str, str], load: Callable[[str], Any]) -> None:
        self.env = env
        self.load = load
        self.display: Any = None
        self.error: Unavailable | None = None

    def get(self) -> Any:
        from coach.platform.xlib import XDisplay

        if self.display is None and self.error is None:
            try:
                self.display = XDisplay.open(self.env, self.load)
            except Unavailable as e:
                self.error = e
        if self.error is not None:
            raise self.error
        return self.display

    def close(self) -> None:
        if self.display is not None:
            self.display.close()


def _pick(
    family: str, candidates: Sequence[Callable[[], Any]], optional: bool = False
) -> tuple[Any, Choice]:
    if optional:
        adapter, tried = choose_optional(candidates)
    else:
        adapter, tried = choose(candidates)
    if adapter is None:
        return None, Choice(family, "none", WITHOUT.get(family, "not available here"), tried)
    return adapter, Choice(family, adapter.name, adapter.meaning, tried)


def detect(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    *,
    clocks: ClockPair | None = None,
    proc_root: str = "/proc",
    camera_globs: Sequence[str] | None = None,
    microphone_globs: Sequence[str] | None = None,
    load: Callable[[str], Any] = ctypes.CDLL,
) -> Platform:
    """Pick, once, the idle source, lock source and presence signals for this machine.

    Linux and other Unix desktops: idle from GNOME Shell, KDE, the X server,
    else the fallback; lock from the desktop's screensaver or logind; presence
    from fullscreen windows, camera and microphone use, GNOME inhibitors.
    Windows and macOS: their native idle call, else the fallback.
    """
    from coach.platform.fallback import FallbackIdle, NoLock

    clock_pair = clocks or system_clocks(platform)
    sleep = SleepDetector(clock_pair)
    sleep_choice = Choice(
        SLEEP, clock_pair.name, "Coach notices when the computer slept and counts it as away."
    )
    resources: list[Any] = []
    idle_c: list[Callable[[], Any]]
    lock_c: list[Callable[[], Any]]
    presence: list[tuple[str, list[Callable[[], Any]]]] = []

    if platform == "win32":
        from coach.platform.windows import WindowsIdle, WindowsLock

        idle_c = [WindowsIdle.probe]
        lock_c = [WindowsLock.probe]
    elif platform == "darwin":
        from coach.platform.macos import MacIdle

        idle_c = [MacIdle.probe]
        lock_c = []
    else:
        from coach.platform.dbus_call import BusCaller
        from coach.platform.dbus_idle import KdeIdle, MutterIdle
        from coach.platform.inhibit import GnomeIdleInhibitor
        from coach.platform.lock import LogindLock, ScreenSaverLock
        from coach.platform.presence import (
            CAMERA_GLOBS,
            MICROPHONE_GLOBS,
            DeviceInUse,
            FullscreenX11,
        )
        from coach.platform.x11 import XScreenSaverIdle, wayland_reason

        session, system = BusCaller.session(env), BusCaller.system(env)
        resources += [session, system]
        display = _LazyDisplay(env, load)

        def x11(make: Callable[..., Any]) -> Callable[[], Any]:
            def probe() -> Any:
                reason = wayland_reason(env)
                if reason:
                    raise Unavailable(reason)
                return make(env, display=display.get(), load=load)

            return probe

        idle_c = [
            Candidate(MutterIdle.name, lambda: MutterIdle.probe(session, env)),
            Candidate(KdeIdle.name, lambda: KdeIdle.probe(session, env)),
            Candidate(XScreenSaverIdle.name, x11(XScreenSaverIdle.probe)),
        ]
        lock_c = [
            Candidate("freedesktop-screensaver", lambda: ScreenSaverLock.freedesktop(session, env)),
            Candidate("gnome-screensaver", lambda: ScreenSaverLock.gnome(session, env)),
            Candidate(LogindLock.name, lambda: LogindLock.probe(system, env)),
        ]
        presence.append((FULLSCREEN, [Candidate(FullscreenX11.name, x11(FullscreenX11.probe))]))
        if platform.startswith("linux"):
            cams = camera_globs or CAMERA_GLOBS
            mics = microphone_globs or MICROPHONE_GLOBS
            presence.append(
                (CAMERA, [Candidate("camera", lambda: DeviceInUse.camera(cams, proc_root))])
            )
            presence.append(
                (
                    MICROPHONE,
                    [Candidate("microphone", lambda: DeviceInUse.microphone(mics, proc_root))],
                )
            )
        presence.append(
            (
                INHIBITOR,
                [
                    Candidate(
                        GnomeIdleInhibitor.name, lambda: GnomeIdleInhibitor.probe(session, env)
                    )
                ],
            )
        )
        resources.append(display)  # closed last, after the adapters sharing it

    idle, idle_choice = _pick(IDLE, [*idle_c, FallbackIdle.probe])
    lock, lock_choice = _pick(LOCK, [*lock_c, NoLock.probe])
    choices = [idle_choice, lock_choice]
    signals: list[tuple[str, PresenceSignal]] = []
    for family, cands in presence:
        signal, choice = _pick(family, cands, optional=True)
        choices.append(choice)
        if signal is not None:
            signals.append((family, signal))
    for family in (FULLSCREEN, CAMERA, MICROPHONE, INHIBITOR):
        if not any(c.family == family for c in choices):
            choices.append(
                Choice(
                    family,
                    "none",
                    WITHOUT[family],
                    [Tried(platform, "not written for this OS yet")],
                )
            )
    choices.append(sleep_choice)
    return Platform(idle, lock, signals, sleep, choices, [r for r in resources if r is not None])
