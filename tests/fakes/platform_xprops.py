"""Play the window manager's part in tests: create windows and set EWMH properties.

Uses its own X connection (windows live as long as it stays open).
"""

from __future__ import annotations

import ctypes

from coach.platform.xlib import XDisplay

XA_ATOM = 4
XA_WINDOW = 33
PROP_MODE_REPLACE = 0


class XProps:
    """An X client that owns test windows and writes their properties."""

    def __init__(self, display: str) -> None:
        self.dpy = XDisplay.open({"DISPLAY": display})
        lib = self.dpy.lib
        ul, vp, i = ctypes.c_ulong, ctypes.c_void_p, ctypes.c_int
        lib.XCreateSimpleWindow.argtypes = [
            vp,
            ul,
            i,
            i,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_uint,
            ul,
            ul,
        ]
        lib.XCreateSimpleWindow.restype = ul
        lib.XChangeProperty.argtypes = [vp, ul, ul, ul, i, i, ctypes.c_void_p, i]
        lib.XChangeProperty.restype = i
        lib.XDestroyWindow.argtypes = [vp, ul]
        lib.XDestroyWindow.restype = i
        self.lib = lib

    def window(self) -> int:
        win = int(self.lib.XCreateSimpleWindow(self.dpy.ptr, self.dpy.root, 0, 0, 10, 10, 0, 0, 0))
        self.lib.XSync(self.dpy.ptr, 0)
        return win

    def _set(self, window: int, prop: str, type_: int, values: list[int]) -> None:
        data = (ctypes.c_long * max(len(values), 1))(*values)
        self.lib.XChangeProperty(
            self.dpy.ptr,
            window,
            self.dpy.atom(prop),
            type_,
            32,
            PROP_MODE_REPLACE,
            data,
            len(values),
        )
        self.lib.XSync(self.dpy.ptr, 0)

    def set_atoms(self, window: int, prop: str, names: list[str]) -> None:
        self._set(window, prop, XA_ATOM, [self.dpy.atom(n) for n in names])

    def set_window(self, window: int, prop: str, value: int) -> None:
        self._set(window, prop, XA_WINDOW, [value])

    def close(self) -> None:
        self.dpy.close()
