"""`detect()`: the ordered candidates per OS and desktop, chosen once.

Linux and other Unix desktops (each probe asks the session what it offers):
  idle source  Wayland ext-idle-notify > GNOME Shell idle watches > GNOME Shell polled >
               KDE (in a KDE session) > X11 XScreenSaver > fallback
  screen lock  org.freedesktop.ScreenSaver > org.gnome.ScreenSaver > logind LockedHint > none
  presence     fullscreen window (X11), camera and microphone in use (Linux /proc),
               idle inhibitors (Wayland kept-awake screen > GNOME session > logind),
               do-not-disturb (notification server Inhibited > GNOME banners off),
               a new, unknown screen (Linux /sys/class/drm);
               each optional, each "busy" (the break waits)
  return watch the event-driven idle source in use (ext-idle-notify, GNOME idle watches) >
               X11 SYNC IDLETIME alarm > none (the UI then notices at its next tick)
Windows: GetLastInputInfo > fallback; OpenInputDesktop lock > none;
         SHQueryUserNotificationState (presentation, fullscreen) as "fullscreen".
macOS:   CoreGraphics idle > fallback; no lock source yet.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
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
    DND,
    FULLSCREEN,
    IDLE,
    INHIBITOR,
    LOCK,
    MICROPHONE,
    RETURN,
    SCREEN,
    SLEEP,
    WITHOUT,
    Platform,
)
from coach.platform.screens import DRM
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


class _Shared:
    """One probe whose adapter serves two families (idle source and return watch)."""

    def __init__(self, name: str, probe: Probe) -> None:
        self.name = name
        self._probe = probe
        self._result: Any = None
        self._error: Unavailable | None = None

    def __call__(self) -> Any:
        if self._result is None and self._error is None:
            try:
                self._result = self._probe()
            except Unavailable as e:
                self._error = e
        if self._error is not None:
            raise self._error
        return self._result


def _unix_candidates(
    env: Mapping[str, str],
    platform: str,
    proc_root: str,
    camera_globs: Sequence[str] | None,
    microphone_globs: Sequence[str] | None,
    load: Callable[[str], Any],
    return_after_s: float,
    mono: Callable[[], float],
    known_screens: Path | None,
    drm: str,
) -> tuple[list[Probe], list[Probe], list[tuple[str, list[Probe]]], list[Probe], list[Any]]:
    """Idle, lock, presence and return-watch candidates for Linux and other X11/D-Bus
    desktops, and the shared connections to close last."""
    from coach.platform.busy import GnomeDoNotDisturb, LogindIdleInhibitors, NotificationsInhibited
    from coach.platform.dbus_call import BusCaller
    from coach.platform.dbus_idle import KdeIdle, MutterIdle
    from coach.platform.inhibit import GnomeIdleInhibitor
    from coach.platform.lock import LogindLock, ScreenSaverLock
    from coach.platform.mutter_watch import MutterWatches
    from coach.platform.presence import CAMERA_GLOBS, MICROPHONE_GLOBS, DeviceInUse, FullscreenX11
    from coach.platform.screens import NewScreen
    from coach.platform.wayland import ExtIdleNotify, ScreenKeptAwake
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

    wayland = _Shared(
        ExtIdleNotify.name, lambda: ExtIdleNotify.probe(env, after_s=return_after_s, mono=mono)
    )
    mutter = _Shared(
        MutterWatches.name, lambda: MutterWatches.probe(env, after_s=return_after_s, mono=mono)
    )
    idle: list[Probe] = [
        wayland,
        mutter,
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
    kept_awake = Candidate(ScreenKeptAwake.name, lambda: ScreenKeptAwake.probe(wayland()))
    inhibitor = Candidate(GnomeIdleInhibitor.name, lambda: GnomeIdleInhibitor.probe(session, env))
    logind = Candidate(LogindIdleInhibitors.name, lambda: LogindIdleInhibitors.probe(system, env))
    presence.append((INHIBITOR, [kept_awake, inhibitor, logind]))
    dnd_fdo = Candidate(
        NotificationsInhibited.name, lambda: NotificationsInhibited.probe(session, env)
    )
    dnd_gnome = Candidate(GnomeDoNotDisturb.name, lambda: GnomeDoNotDisturb.probe(session, env))
    presence.append((DND, [dnd_fdo, dnd_gnome]))
    if platform.startswith("linux"):
        screen = Candidate(NewScreen.name, lambda: NewScreen.probe(known_screens, drm))
        presence.append((SCREEN, [screen]))

    def xsync(env: Mapping[str, str], display: Any, load: Callable[[str], Any]) -> Any:
        return XSyncReturnWatch.probe(env, display=display, load=load, after_s=return_after_s)

    watch: list[Probe] = [wayland, mutter, Candidate(XSyncReturnWatch.name, x11(xsync))]
    # Closed by Platform.close() after the adapters; the display last, as they share it.
    return idle, lock, presence, watch, [session, system, display]


def _inhibitor_v1(choice: Choice) -> Choice:
    """ext-idle-notify version 1 honours idle inhibitors: say what that means."""
    meaning = _(
        "An app that keeps the screen awake (a video, a presentation) counts as sitting, "
        "since the compositor does not report you idle then; break popups do not wait "
        "for it."
    )
    return replace(choice, meaning=meaning)


def _instead_of_fullscreen(choice: Choice, signals: Sequence[tuple[str, Any]]) -> Choice:
    """No fullscreen detection: say so, and name the busy signals used instead."""
    busy = [_(family) for family, signal in signals if signal.kind == "busy"]
    if not busy:
        return choice
    instead = _("Instead, break popups wait while Coach sees: {signals}.").format(
        signals=", ".join(busy)
    )
    return replace(choice, meaning=f"{choice.meaning}\n{instead}")


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
    known_screens: Path | None = None,
    drm: str = DRM,
) -> Platform:
    """Pick, once, the idle source, lock source, presence signals and return watch.

    `env` and `platform` decide what is tried (tests pass their own); the
    keyword arguments replace the sleep clocks, /proc and device globs, and
    the shared-library loader. The return watch fires at the first input after
    `return_after_s` without any (the app derives it from `idle_after_s`).
    `known_screens` is the file of the user's own screens (none: no new-screen
    signal), `drm` where the kernel lists screens.
    """
    idle_c: list[Probe] = []
    lock_c: list[Probe] = []
    presence: list[tuple[str, list[Probe]]] = []
    watch_c: list[Probe] = []
    resources: list[Any] = []
    clock_pair = clocks or system_clocks(platform)
    if platform == "win32":
        from coach.platform.windows import WindowsIdle, WindowsLock
        from coach.platform.windows_busy import WindowsNotificationState

        idle_c, lock_c = [WindowsIdle.probe], [WindowsLock.probe]
        presence = [(FULLSCREEN, [WindowsNotificationState.probe])]
    elif platform == "darwin":
        from coach.platform.macos import MacIdle

        idle_c = [MacIdle.probe]
    else:
        idle_c, lock_c, presence, watch_c, resources = _unix_candidates(
            env,
            platform,
            proc_root,
            camera_globs,
            microphone_globs,
            load,
            return_after_s,
            clock_pair.total,
            known_screens,
            drm,
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
    for family in (FULLSCREEN, CAMERA, MICROPHONE, INHIBITOR, DND, SCREEN, RETURN):
        if not any(c.family == family for c in choices):
            not_yet = [Tried(platform, _("not written for this OS yet"))]
            choices.append(Choice(family, "none", _(WITHOUT[family]), not_yet))

    if getattr(idle, "version", None) == 1 and INHIBITOR not in (f for f, _s in signals):
        choices = [_inhibitor_v1(c) if c.family == INHIBITOR else c for c in choices]
    if platform != "darwin" and not any(f == FULLSCREEN for f, _s in signals):
        choices = [
            _instead_of_fullscreen(c, signals) if c.family == FULLSCREEN else c for c in choices
        ]
    meaning = _("Coach notices when the computer slept and counts that time as away.")
    choices.append(Choice(SLEEP, clock_pair.name, meaning))
    return Platform(idle, lock, signals, SleepDetector(clock_pair), choices, resources, watch)
