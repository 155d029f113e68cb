"""`detect()`: the ordered candidates per OS and desktop, chosen once.

Linux and other Unix desktops:
  idle source  GNOME Shell (Mutter) > KDE (in a KDE session) > X11 XScreenSaver > fallback
  screen lock  org.freedesktop.ScreenSaver > org.gnome.ScreenSaver > logind LockedHint > none
  presence     fullscreen window (X11), camera and microphone in use (Linux /proc),
               GNOME idle inhibitors; each optional
  return watch X11 SYNC IDLETIME alarm > none (the UI then notices at its next tick)
Windows: GetLastInputInfo > fallback; OpenInputDesktop lock > none.
macOS:   CoreGraphics idle > fallback; no lock source yet.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from coach.i18n import _
from coach.platform.base import (
    Candidate,
    Choice,
    PresenceSignal,
    Tried,
    Unavailable,
    choose,
    choose_optional,
)
from coach.platform.fallback import FallbackIdle, NoLock
from coach.platform.sampler import (
    CAMERA,
    FULLSCREEN,
    IDLE,
    INHIBITOR,
    LOCK,
    MICROPHONE,
    RETURN,
    SLEEP,
    WITHOUT,
    Platform,
)
from coach.platform.sleep import ClockPair, SleepDetector, system_clocks

log = logging.getLogger(__name__)

Probe = Callable[[], Any]


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
        meaning = _(WITHOUT[family]) if family in WITHOUT else _("not available here")
        return None, Choice(family, "none", meaning, tried)
    return adapter, Choice(family, adapter.name, adapter.meaning, tried)


def _unix_candidates(
    env: Mapping[str, str],
    platform: str,
    proc_root: str,
    camera_globs: Sequence[str] | None,
    microphone_globs: Sequence[str] | None,
    load: Callable[[str], Any],
    return_after_s: float,
) -> tuple[list[Probe], list[Probe], list[tuple[str, list[Probe]]], list[Probe], list[Any]]:
    """Idle, lock, presence and return-watch candidates for Linux and other X11/D-Bus
    desktops, and the shared connections to close last."""
    from coach.platform.dbus_call import BusCaller
    from coach.platform.dbus_idle import KdeIdle, MutterIdle
    from coach.platform.inhibit import GnomeIdleInhibitor
    from coach.platform.lock import LogindLock, ScreenSaverLock
    from coach.platform.presence import CAMERA_GLOBS, MICROPHONE_GLOBS, DeviceInUse, FullscreenX11
    from coach.platform.x11 import XScreenSaverIdle, wayland_reason
    from coach.platform.xsync import XSyncReturnWatch

    session, system = BusCaller.session(env), BusCaller.system(env)
    display = _LazyDisplay(env, load)

    def x11(make: Callable[..., Any]) -> Probe:
        def probe() -> Any:
            reason = wayland_reason(env)
            if reason:
                raise Unavailable(reason)
            return make(env, display=display.get(), load=load)

        return probe

    idle: list[Probe] = [
        Candidate(MutterIdle.name, lambda: MutterIdle.probe(session, env)),
        Candidate(KdeIdle.name, lambda: KdeIdle.probe(session, env)),
        Candidate(XScreenSaverIdle.name, x11(XScreenSaverIdle.probe)),
    ]
    lock: list[Probe] = [
        Candidate("freedesktop-screensaver", lambda: ScreenSaverLock.freedesktop(session, env)),
        Candidate("gnome-screensaver", lambda: ScreenSaverLock.gnome(session, env)),
        Candidate(LogindLock.name, lambda: LogindLock.probe(system, env)),
    ]
    cams = camera_globs or CAMERA_GLOBS
    mics = microphone_globs or MICROPHONE_GLOBS

    def fullscreen(env: Mapping[str, str], display: Any, load: Callable[[str], Any]) -> Any:
        return FullscreenX11.probe(env, load=load)  # on a connection of its own

    presence: list[tuple[str, list[Probe]]] = [
        (FULLSCREEN, [Candidate(FullscreenX11.name, x11(fullscreen))]),
    ]
    if platform.startswith("linux"):
        camera = Candidate(DeviceInUse.NAME, lambda: DeviceInUse.camera(cams, proc_root))
        mic = Candidate(DeviceInUse.NAME, lambda: DeviceInUse.microphone(mics, proc_root))
        presence += [(CAMERA, [camera]), (MICROPHONE, [mic])]
    inhibitor = Candidate(GnomeIdleInhibitor.name, lambda: GnomeIdleInhibitor.probe(session, env))
    presence.append((INHIBITOR, [inhibitor]))

    def xsync(env: Mapping[str, str], display: Any, load: Callable[[str], Any]) -> Any:
        return XSyncReturnWatch.probe(env, display=display, load=load, after_s=return_after_s)

    watch: list[Probe] = [Candidate(XSyncReturnWatch.name, x11(xsync))]
    # Closed by Platform.close() after the adapters; the display last, as they share it.
    return idle, lock, presence, watch, [session, system, display]


def detect(
    env: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    *,
    clocks: ClockPair | None = None,
    proc_root: str = "/proc",
    camera_globs: Sequence[str] | None = None,
    microphone_globs: Sequence[str] | None = None,
    load: Callable[[str], Any] = ctypes.CDLL,
    return_after_s: float = 60.0,
) -> Platform:
    """Pick, once, the idle source, lock source, presence signals and return watch.

    `env` and `platform` decide what is tried (tests pass their own); the
    keyword arguments replace the sleep clocks, /proc and device globs, and
    the shared-library loader. The return watch fires at the first input after
    `return_after_s` without any (the app derives it from `idle_after_s`).
    """
    idle_c: list[Probe] = []
    lock_c: list[Probe] = []
    presence: list[tuple[str, list[Probe]]] = []
    watch_c: list[Probe] = []
    resources: list[Any] = []
    if platform == "win32":
        from coach.platform.windows import WindowsIdle, WindowsLock

        idle_c, lock_c = [WindowsIdle.probe], [WindowsLock.probe]
    elif platform == "darwin":
        from coach.platform.macos import MacIdle

        idle_c = [MacIdle.probe]
    else:
        idle_c, lock_c, presence, watch_c, resources = _unix_candidates(
            env, platform, proc_root, camera_globs, microphone_globs, load, return_after_s
        )

    idle, idle_choice = _pick(IDLE, [*idle_c, FallbackIdle.probe])
    lock, lock_choice = _pick(LOCK, [*lock_c, NoLock.probe])
    choices = [idle_choice, lock_choice]
    signals: list[tuple[str, PresenceSignal]] = []
    for family, candidates in presence:
        signal, choice = _pick(family, candidates, optional=True)
        choices.append(choice)
        if signal is not None:
            signals.append((family, signal))
    watch = None
    if watch_c:
        watch, watch_choice = _pick(RETURN, watch_c, optional=True)
        choices.append(watch_choice)
    for family in (FULLSCREEN, CAMERA, MICROPHONE, INHIBITOR, RETURN):
        if not any(c.family == family for c in choices):
            not_yet = [Tried(platform, _("not written for this OS yet"))]
            choices.append(Choice(family, "none", _(WITHOUT[family]), not_yet))

    clock_pair = clocks or system_clocks(platform)
    meaning = _("Coach notices when the computer slept and counts that time as away.")
    choices.append(Choice(SLEEP, clock_pair.name, meaning))
    return Platform(idle, lock, signals, SleepDetector(clock_pair), choices, resources, watch)
