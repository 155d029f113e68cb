"""Presence signals that mean "in a meeting or presentation": each its own optional adapter.

- `FullscreenX11`: the active window is fullscreen (EWMH properties via ctypes Xlib).
- `DeviceInUse`: another process holds a camera (/dev/video*) or a capture
  sound device (/dev/snd/pcmC*D*c) open, found by scanning /proc/*/fd. Only
  processes of our own user are scanned (others' fds are not readable anyway).
  The scan (about two system calls per open file of every process) runs only
  when inotify reports that a device was opened or closed, or the devices
  changed; where inotify cannot watch them, at every poll.
  A sound server that keeps the microphone open while nobody records would
  read as always busy; `holders()` names the process so `coach doctor` can say so.
"""

from __future__ import annotations

import ctypes
import glob
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.i18n import N_, _
from coach.platform.base import OnceLog, Unavailable, guarded
from coach.platform.devwatch import OpenCloseWatch
from coach.platform.x11 import wayland_reason
from coach.platform.xlib import Loader, XDisplay

log = logging.getLogger(__name__)

CAMERA_GLOBS = ("/dev/video*",)
MICROPHONE_GLOBS = ("/dev/snd/pcmC*D*c",)
DEVICE_MEANINGS = {
    "camera": N_("While another app uses the camera (a call), break popups wait."),
    "microphone": N_("While another app uses the microphone (a call), break popups wait."),
}


class FullscreenX11:
    """True while the active window (_NET_ACTIVE_WINDOW) is _NET_WM_STATE_FULLSCREEN.

    The server reports changes of the root window's and the active window's
    properties on the adapter's own connection; a poll reads the properties again
    only after such a change, so a poll costs no round trip to the X server while
    nothing changed. The connection is its own (never the one the UI watches for the
    user's return), so those reports neither wake the app nor get eaten by another
    adapter's event loop.
    """

    name = "x11-fullscreen"
    kind = "busy"
    interval_s = 2.0

    def __init__(self, display: XDisplay) -> None:
        self._display = display
        self._active = display.atom("_NET_ACTIVE_WINDOW")
        self._state = display.atom("_NET_WM_STATE")
        self._fullscreen = display.atom("_NET_WM_STATE_FULLSCREEN")
        self._health = OnceLog(log, "fullscreen detection")
        self._window = 0  # the active window whose properties are watched
        self._value = False
        self._stale = True  # read at the first poll
        self._reported = display.watch_properties(display.root)  # else read at every poll

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("While a window is fullscreen (a presentation, a video), break popups wait.")

    @classmethod
    def probe(
        cls, env: Mapping[str, str] = os.environ, load: Loader = ctypes.CDLL
    ) -> FullscreenX11:
        """Works with an EWMH window manager that publishes _NET_ACTIVE_WINDOW."""
        reason = wayland_reason(env)
        if reason:
            raise Unavailable(reason)
        dpy = XDisplay.open(env, load)
        try:
            supported = dpy.get_cardinals(dpy.root, dpy.atom("_NET_SUPPORTED"), 4096) or []
            if dpy.atom("_NET_ACTIVE_WINDOW") not in supported:
                raise Unavailable(
                    _(
                        "the window manager does not publish {atom} "
                        "(no EWMH window manager running)"
                    ).format(atom="_NET_ACTIVE_WINDOW")
                )
            return cls(dpy)
        except BaseException:
            dpy.close()
            raise

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def _read(self) -> bool:
        root = self._display.root
        for window, atom in self._display.property_events():
            if (window, atom) in ((root, self._active), (self._window, self._state)):
                self._stale = True
        if self._stale or not self._reported:
            self._stale = False
            self._value = self._fresh()
        return self._value

    def _fresh(self) -> bool:
        """Read both properties again, watching the (new) active window first so that
        no change after the read goes unreported."""
        active = self._display.get_cardinals(self._display.root, self._active, 1)
        window = active[0] if active else 0
        if window != self._window:
            if self._window:
                self._display.watch_properties(self._window, on=False)
            self._window = window if window and self._display.watch_properties(window) else 0
        if not self._window:
            return False
        states = self._display.get_cardinals(self._window, self._state) or []
        return self._fullscreen in states

    def active(self) -> bool:
        """True while the focused window is fullscreen."""
        return guarded(self._health, self._read, False)

    def close(self) -> None:
        """Close the adapter's connection."""
        self._display.close()


@dataclass(frozen=True)
class Holder:
    """A process holding a device open."""

    pid: int
    command: str
    device: str


class DeviceInUse:
    """True while another process of ours holds one of the devices open.

    `device_word` is "camera" or "microphone" (a key of `DEVICE_MEANINGS`).
    """

    NAME = "proc-fd-scan"
    kind = "busy"
    interval_s = 5.0

    def __init__(
        self,
        device_word: str,
        globs: Sequence[str],
        proc_root: str = "/proc",
        own_pid: int | None = None,
        uid: int | None = None,
    ) -> None:
        self.name = self.NAME
        self.device_word = device_word
        self.globs = tuple(globs)
        self.proc_root = proc_root
        self.own_pid = os.getpid() if own_pid is None else own_pid
        self.uid = os.getuid() if uid is None else uid
        self.scans = 0  # walks through /proc so far (they are the cost of this signal)
        self._health = OnceLog(log, f"{device_word} use detection")
        self._devices: set[str] | None = None  # what the watch and the last scan covered
        self._watch: OpenCloseWatch | None = None
        self._value: bool | None = None  # the last scan's answer, None: scan again

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(DEVICE_MEANINGS[self.device_word])

    @classmethod
    def camera(cls, globs: Sequence[str] = CAMERA_GLOBS, proc_root: str = "/proc") -> DeviceInUse:
        """Camera in use (Linux), or raise Unavailable."""
        return cls("camera", globs, proc_root)._checked()

    @classmethod
    def microphone(
        cls, globs: Sequence[str] = MICROPHONE_GLOBS, proc_root: str = "/proc"
    ) -> DeviceInUse:
        """Microphone in use (Linux), or raise Unavailable."""
        return cls("microphone", globs, proc_root)._checked()

    def _checked(self) -> DeviceInUse:
        try:
            with os.scandir(self.proc_root) as entries:
                has_pids = any(e.name.isdigit() for e in entries)
        except OSError:
            has_pids = False
        if not has_pids:
            raise Unavailable(
                _("{folder} is not readable (no {proc} file system)").format(
                    folder=self.proc_root, proc="/proc"
                )
            )
        return self

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def devices(self) -> set[str]:
        """The device paths that exist right now (hot-plugged ones included)."""
        return {os.path.realpath(p) for g in self.globs for p in glob.glob(g)}

    def holders(self, first_only: bool = False) -> list[Holder]:
        """Processes (ours, not this one) holding a device open."""
        return self._holders(self.devices(), first_only)

    def _holders(self, devices: set[str], first_only: bool) -> list[Holder]:
        found: list[Holder] = []
        if not devices:
            return found
        self.scans += 1
        with os.scandir(self.proc_root) as entries:
            for entry in entries:
                if not entry.name.isdigit() or int(entry.name) == self.own_pid:
                    continue
                for target in self._open_files(entry):
                    if target in devices:
                        found.append(Holder(int(entry.name), _command(entry.path), target))
                        if first_only:
                            return found
        return found

    def _open_files(self, entry: os.DirEntry[str]) -> list[str]:
        """What a process of ours has open ([] if it ended or is not ours)."""
        try:
            if entry.stat().st_uid != self.uid:
                return []
            with os.scandir(os.path.join(entry.path, "fd")) as fds:
                names = [fd.path for fd in fds]
        except OSError:
            return []
        targets = []
        for name in names:
            try:
                targets.append(os.readlink(name))
            except OSError:  # closed meanwhile
                continue
        return targets

    def active(self) -> bool:
        """True while another process holds a device open."""
        return guarded(self._health, self._in_use, False)

    def _in_use(self) -> bool:
        devices = self.devices()
        if (
            devices == self._devices
            and self._value is not None
            and self._watch is not None
            and not self._watch.changed()
        ):
            return self._value  # nobody opened or closed a device since the last scan
        self._rewatch(devices)  # armed before the scan: what happens during it shows next time
        self._value = None  # if the scan fails, scan again next time
        self._value = bool(self._holders(devices, first_only=True))
        return self._value

    def _rewatch(self, devices: set[str]) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._devices = devices
        if devices:
            try:
                self._watch = OpenCloseWatch(sorted(devices))
            except OSError as e:
                log.debug("no open/close events for %s (%s): scanning at every poll", devices, e)

    def close(self) -> None:
        """Release the inotify watch. Idempotent."""
        if self._watch is not None:
            self._watch.close()
            self._watch = None


def _command(proc_dir: str) -> str:
    try:
        with open(os.path.join(proc_dir, "comm"), encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return "?"
