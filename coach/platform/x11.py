"""Idle time from the X server's MIT-SCREEN-SAVER extension (libXss via ctypes).

The display stays open for the life of the adapter; `close()` releases it.
Works under Xvfb when libxss1 is installed; `xdotool mousemove` resets it.
Not used in a Wayland session: Xwayland only sees input to X11 windows there.
If the X server itself goes away, Xlib ends the process (as it does the Qt UI
on the same display); protocol errors are trapped (see `xlib.trap_errors`).
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable
from coach.platform.xlib import Loader, XDisplay, load_library

log = logging.getLogger(__name__)

LIBXSS = "libXss.so.1"


class XScreenSaverInfo(ctypes.Structure):
    """The extension's XScreenSaverInfo; `idle` is milliseconds since input."""

    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


def wayland_reason(env: Mapping[str, str]) -> str | None:
    """Why an X11 adapter would mislead in this session, or None if it is X11."""
    if env.get("XDG_SESSION_TYPE") == "wayland" or env.get("WAYLAND_DISPLAY"):
        return _("Wayland session: Xwayland only sees input to X11 windows")
    return None


def _bind_xss(lib: ctypes.CDLL) -> None:
    vp, ip = ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)
    lib.XScreenSaverQueryExtension.argtypes = [vp, ip, ip]
    lib.XScreenSaverQueryExtension.restype = ctypes.c_int
    lib.XScreenSaverAllocInfo.argtypes = []
    lib.XScreenSaverAllocInfo.restype = ctypes.POINTER(XScreenSaverInfo)
    lib.XScreenSaverQueryInfo.argtypes = [vp, ctypes.c_ulong, ctypes.POINTER(XScreenSaverInfo)]
    lib.XScreenSaverQueryInfo.restype = ctypes.c_int


class XScreenSaverIdle:
    """Seconds since the last keyboard or mouse input, as the X server counts it."""

    name = "x11-xscreensaver"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees keyboard and mouse activity through the X server.")

    def __init__(self, display: XDisplay, xss: ctypes.CDLL, owns_display: bool = True) -> None:
        self._display = display
        self._xss = xss
        self._owns_display = owns_display
        self._info = xss.XScreenSaverAllocInfo()
        if not self._info:
            raise Unavailable(_("{call} returned no memory").format(call="XScreenSaverAllocInfo"))
        self._health = OnceLog(log, "X11 idle time")

    @classmethod
    def probe(
        cls,
        env: Mapping[str, str] = os.environ,
        display: XDisplay | None = None,
        load: Loader = ctypes.CDLL,
    ) -> XScreenSaverIdle:
        """Open the display (unless given one) and check the extension answers."""
        reason = wayland_reason(env)
        if reason:
            raise Unavailable(reason)
        xss = load_library(LIBXSS, "libxss1", load)
        _bind_xss(xss)
        owns = display is None
        dpy = XDisplay.open(env, load) if display is None else display
        try:
            base, err = ctypes.c_int(), ctypes.c_int()
            if not xss.XScreenSaverQueryExtension(dpy.ptr, ctypes.byref(base), ctypes.byref(err)):
                raise Unavailable(
                    _("the X server on {display} has no {extension} extension").format(
                        display=dpy.name, extension="MIT-SCREEN-SAVER"
                    )
                )
            adapter = cls(dpy, xss, owns_display=owns)
            if adapter._query() is None:
                adapter.close()
                raise Unavailable(_("{call} failed").format(call="XScreenSaverQueryInfo"))
            return adapter
        except BaseException:
            if owns:
                dpy.close()
            raise

    def _query(self) -> float | None:
        if not self._display.ptr or not self._info:
            return None
        ok = self._xss.XScreenSaverQueryInfo(self._display.ptr, self._display.root, self._info)
        if not ok:
            return None
        return float(self._info.contents.idle) / 1000.0

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 if the query fails."""
        value = self._query()
        if value is None:
            self._health.failed(_("{call} failed").format(call="XScreenSaverQueryInfo"))
            return 0.0
        self._health.ok()
        return value

    def close(self) -> None:
        """Free the info block and close the display if this adapter opened it."""
        if self._info:
            self._display.lib.XFree(self._info)
            self._info = ctypes.POINTER(XScreenSaverInfo)()
        if self._owns_display:
            self._display.close()
