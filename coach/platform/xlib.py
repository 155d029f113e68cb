"""A minimal ctypes binding to libX11: one display connection and window properties.

Used by the XScreenSaver idle source and the fullscreen presence signal. Only
the calls those need are bound. X protocol errors (a window that vanished
between two calls) would make Xlib's default handler exit the process, so
every request that can fail runs inside `trap_errors`, which installs a
non-fatal handler for the duration of the call only.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from coach.i18n import _
from coach.platform.base import Unavailable

log = logging.getLogger(__name__)

LIBX11 = "libX11.so.6"
ANY_PROPERTY_TYPE = 0
SUCCESS = 0
PROPERTY_NOTIFY = 28  # the PropertyNotify event type
PROPERTY_CHANGE_MASK = 1 << 22  # PropertyChangeMask
NO_EVENT_MASK = 0

Loader = Callable[[str], ctypes.CDLL]


class XErrorEvent(ctypes.Structure):
    """Xlib's XErrorEvent, enough to log which error happened."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong),
        ("error_code", ctypes.c_ubyte),
        ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    ]


class XPropertyEvent(ctypes.Structure):
    """Xlib's XPropertyEvent: which property of which window changed."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("atom", ctypes.c_ulong),
        ("time", ctypes.c_ulong),
        ("state", ctypes.c_int),
    ]


XEvent = ctypes.c_long * 24  # Xlib's XEvent union: 24 longs

ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(XErrorEvent))


def load_library(name: str, package: str, load: Loader = ctypes.CDLL) -> ctypes.CDLL:
    """Load a shared library or raise Unavailable naming the missing file and package."""
    try:
        return load(name)
    except OSError:
        raise Unavailable(
            _("{library} not found (install {package})").format(library=name, package=package)
        ) from None


def _bind_x11(lib: ctypes.CDLL) -> None:
    """Declare the argument and result types of the libX11 calls we use."""
    vp, ul, i = ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XOpenDisplay.restype = vp
    lib.XCloseDisplay.argtypes = [vp]
    lib.XCloseDisplay.restype = i
    lib.XDefaultRootWindow.argtypes = [vp]
    lib.XDefaultRootWindow.restype = ul
    lib.XInternAtom.argtypes = [vp, ctypes.c_char_p, i]
    lib.XInternAtom.restype = ul
    lib.XGetWindowProperty.argtypes = [
        vp, ul, ul, ctypes.c_long, ctypes.c_long, i, ul,
        ctypes.POINTER(ul), ctypes.POINTER(i), ctypes.POINTER(ul), ctypes.POINTER(ul),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
    ]  # fmt: skip
    lib.XGetWindowProperty.restype = i
    lib.XFree.argtypes = [vp]
    lib.XFree.restype = i
    lib.XSync.argtypes = [vp, i]
    lib.XSync.restype = i
    lib.XSetErrorHandler.argtypes = [ERROR_HANDLER]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    lib.XSelectInput.argtypes = [vp, ul, ctypes.c_long]
    lib.XSelectInput.restype = i
    lib.XPending.argtypes = [vp]
    lib.XPending.restype = i
    lib.XNextEvent.argtypes = [vp, ctypes.POINTER(XEvent)]
    lib.XNextEvent.restype = i


class XDisplay:
    """One connection to an X server, open until `close()`."""

    def __init__(self, lib: ctypes.CDLL, ptr: int, name: str) -> None:
        self.lib = lib
        self.ptr: int | None = ptr
        self.name = name
        self.root: int = lib.XDefaultRootWindow(ptr)
        self._errors: list[int] = []
        self._handler = ERROR_HANDLER(self._on_error)  # keep a reference alive

    @classmethod
    def open(cls, env: Mapping[str, str], load: Loader = ctypes.CDLL) -> XDisplay:
        """Connect to the display named by env["DISPLAY"], or raise Unavailable."""
        name = env.get("DISPLAY", "")
        if not name:
            raise Unavailable(_("no X display ({variable} unset)").format(variable="DISPLAY"))
        lib = load_library(LIBX11, "libx11-6", load)
        _bind_x11(lib)
        ptr = lib.XOpenDisplay(name.encode())
        if not ptr:
            raise Unavailable(
                _("cannot open X display {display} (no server there, or access denied)").format(
                    display=name
                )
            )
        return cls(lib, ptr, name)

    def _on_error(self, _display: int, event: ctypes._Pointer[XErrorEvent]) -> int:
        self._errors.append(int(event.contents.error_code))
        return 0

    @contextmanager
    def trap_errors(self, sync: bool = True) -> Iterator[list[int]]:
        """Collect X errors raised by requests in the block instead of exiting.

        The list yielded holds the error codes once the block ends. `sync=False` when
        the block's requests wait for their replies: an error then arrives in place of
        the reply, and a closing XSync would only add a round trip.
        """
        errors: list[int] = []
        self._errors = errors
        previous = self.lib.XSetErrorHandler(self._handler)
        try:
            yield errors
            if sync and self.ptr:
                self.lib.XSync(self.ptr, 0)
        finally:
            self.lib.XSetErrorHandler(ctypes.cast(previous, ERROR_HANDLER))

    def atom(self, name: str, only_if_exists: bool = False) -> int:
        """The atom for `name` (0 if `only_if_exists` and nobody interned it)."""
        return int(self.lib.XInternAtom(self.ptr, name.encode(), int(only_if_exists)))

    def get_cardinals(self, window: int, prop: int, max_items: int = 256) -> list[int] | None:
        """A 32-bit-format property (atoms, windows, cardinals) as a list of ints.

        None when the property is missing or the window does not exist.
        """
        if not self.ptr:
            return None
        actual_type = ctypes.c_ulong()
        actual_format = ctypes.c_int()
        nitems = ctypes.c_ulong()
        after = ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        with self.trap_errors(sync=False) as errors:  # one round trip: the reply
            status = self.lib.XGetWindowProperty(
                self.ptr, window, prop, 0, max_items, 0, ANY_PROPERTY_TYPE,
                ctypes.byref(actual_type), ctypes.byref(actual_format),
                ctypes.byref(nitems), ctypes.byref(after), ctypes.byref(data),
            )  # fmt: skip
        try:
            if errors or status != SUCCESS or actual_format.value != 32 or not data:
                return None
            # Xlib returns format-32 data as an array of C longs, even on 64-bit.
            items = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))
            return [int(items[k]) for k in range(nitems.value)]
        finally:
            if data:
                self.lib.XFree(data)

    def watch_properties(self, window: int, on: bool = True) -> bool:
        """Have the server report changes of `window`'s properties on this connection
        (`property_events`); False if the window is gone. One round trip."""
        if not self.ptr:
            return False
        mask = PROPERTY_CHANGE_MASK if on else NO_EVENT_MASK
        with self.trap_errors() as errors:
            self.lib.XSelectInput(self.ptr, window, mask)
        return not errors

    def property_events(self) -> list[tuple[int, int]]:
        """(window, atom) of every property change already received; reads only what is
        there (no round trip) and drops other events."""
        if not self.ptr:
            return []
        event = XEvent()
        changes = []
        while self.lib.XPending(self.ptr) > 0:
            self.lib.XNextEvent(self.ptr, ctypes.byref(event))
            if event[0] & 0x7F == PROPERTY_NOTIFY:
                prop = ctypes.cast(event, ctypes.POINTER(XPropertyEvent)).contents
                changes.append((int(prop.window), int(prop.atom)))
        return changes

    def close(self) -> None:
        """Close the connection. Idempotent."""
        if self.ptr:
            self.lib.XCloseDisplay(self.ptr)
            self.ptr = None
