"""Notice the moment the user comes back, from the X server's SYNC extension (libXext).

The server keeps an IDLETIME system counter (milliseconds since the last input).
An alarm on its negative transition through `after_s` fires at the first input
after at least `after_s` without any: the user is back. The alarm's event
arrives on the adapter's X connection, so the UI can watch `fileno()` and tick
at once instead of losing the sitting time up to its next poll. Nothing here
blocks or starts threads; `drain()` reads only what is already there.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import Unavailable
from coach.platform.x11 import wayland_reason
from coach.platform.xlib import Loader, XDisplay, XEvent, load_library

log = logging.getLogger(__name__)

LIBXEXT = "libXext.so.6"
IDLETIME = b"IDLETIME"
ALARM_NOTIFY = 1  # XSyncAlarmNotify, relative to the extension's event base
QUEUED_ALREADY = 0  # XEventsQueued mode: look at Xlib's queue only, no I/O
_ABSOLUTE = 0  # XSyncAbsolute
_NEGATIVE_TRANSITION = 1  # XSyncNegativeTransition
# XSyncCACounter | XSyncCAValueType | XSyncCAValue | XSyncCATestType | XSyncCADelta | XSyncCAEvents
_ALARM_MASK = 0x3F


class XSyncValue(ctypes.Structure):
    """A 64-bit counter value as two halves."""

    _fields_ = [("hi", ctypes.c_int), ("lo", ctypes.c_uint)]

    @classmethod
    def of(cls, value: int) -> XSyncValue:
        return cls(value >> 32, value & 0xFFFFFFFF)


class XSyncSystemCounter(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("counter", ctypes.c_ulong), ("resolution", XSyncValue)]


class XSyncTrigger(ctypes.Structure):
    _fields_ = [
        ("counter", ctypes.c_ulong),
        ("value_type", ctypes.c_int),
        ("wait_value", XSyncValue),
        ("test_type", ctypes.c_int),
    ]


class XSyncAlarmAttributes(ctypes.Structure):
    _fields_ = [
        ("trigger", XSyncTrigger),
        ("delta", XSyncValue),
        ("events", ctypes.c_int),
        ("state", ctypes.c_int),
    ]


class XSyncAlarmNotifyEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("alarm", ctypes.c_ulong),
        ("counter_value", XSyncValue),
        ("alarm_value", XSyncValue),
        ("time", ctypes.c_ulong),
        ("state", ctypes.c_int),
    ]


def _bind(ext: ctypes.CDLL, x11: ctypes.CDLL) -> None:
    vp, ip, ul = ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.c_ulong
    ext.XSyncQueryExtension.argtypes = [vp, ip, ip]
    ext.XSyncQueryExtension.restype = ctypes.c_int
    ext.XSyncInitialize.argtypes = [vp, ip, ip]
    ext.XSyncInitialize.restype = ctypes.c_int
    ext.XSyncListSystemCounters.argtypes = [vp, ip]
    ext.XSyncListSystemCounters.restype = ctypes.POINTER(XSyncSystemCounter)
    ext.XSyncFreeSystemCounterList.argtypes = [ctypes.POINTER(XSyncSystemCounter)]
    ext.XSyncFreeSystemCounterList.restype = None
    ext.XSyncCreateAlarm.argtypes = [vp, ul, ctypes.POINTER(XSyncAlarmAttributes)]
    ext.XSyncCreateAlarm.restype = ul
    ext.XSyncDestroyAlarm.argtypes = [vp, ul]
    ext.XSyncDestroyAlarm.restype = ctypes.c_int
    x11.XEventsQueued.argtypes = [vp, ctypes.c_int]
    x11.XEventsQueued.restype = ctypes.c_int
    x11.XConnectionNumber.argtypes = [vp]
    x11.XConnectionNumber.restype = ctypes.c_int


def _idletime_counter(ext: ctypes.CDLL, dpy: XDisplay) -> int:
    count = ctypes.c_int()
    counters = ext.XSyncListSystemCounters(dpy.ptr, ctypes.byref(count))
    if not counters:
        raise Unavailable(
            _("the X server on {display} lists no {extension} system counters").format(
                display=dpy.name, extension="SYNC"
            )
        )
    try:
        for k in range(count.value):
            if counters[k].name == IDLETIME:
                return int(counters[k].counter)
    finally:
        ext.XSyncFreeSystemCounterList(counters)
    raise Unavailable(
        _("the X server on {display} has no {counter} counter").format(
            display=dpy.name, counter="IDLETIME"
        )
    )


class XSyncReturnWatch:
    """An IDLETIME alarm that fires at the first input after `after_s` without any."""

    name = "x11-sync-idletime"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "Coach notices the moment you come back to the keyboard or mouse, "
            "so no sitting time is lost between its checks."
        )

    def __init__(
        self,
        display: XDisplay,
        ext: ctypes.CDLL,
        event_base: int,
        alarm: int,
        after_s: float,
        owns_display: bool,
    ) -> None:
        self.after_s = after_s
        self._display = display
        self._ext = ext
        self._alarm_event = event_base + ALARM_NOTIFY
        self._alarm = alarm
        self._owns_display = owns_display
        self._event = XEvent()

    @classmethod
    def probe(
        cls,
        env: Mapping[str, str] = os.environ,
        display: XDisplay | None = None,
        load: Loader = ctypes.CDLL,
        after_s: float = 60.0,
    ) -> XSyncReturnWatch:
        """Set the alarm on the display (opened unless given), or raise Unavailable."""
        reason = wayland_reason(env)
        if reason:
            raise Unavailable(reason)
        ext = load_library(LIBXEXT, "libxext6", load)
        owns = display is None
        dpy = XDisplay.open(env, load) if display is None else display
        try:
            _bind(ext, dpy.lib)
            base, err = ctypes.c_int(), ctypes.c_int()
            if not ext.XSyncQueryExtension(dpy.ptr, ctypes.byref(base), ctypes.byref(err)):
                raise Unavailable(
                    _("the X server on {display} has no {extension} extension").format(
                        display=dpy.name, extension="SYNC"
                    )
                )
            major, minor = ctypes.c_int(), ctypes.c_int()
            if not ext.XSyncInitialize(dpy.ptr, ctypes.byref(major), ctypes.byref(minor)):
                raise Unavailable(
                    _("the {extension} extension on {display} did not initialise").format(
                        display=dpy.name, extension="SYNC"
                    )
                )
            attrs = XSyncAlarmAttributes()
            attrs.trigger.counter = _idletime_counter(ext, dpy)
            attrs.trigger.value_type = _ABSOLUTE
            attrs.trigger.wait_value = XSyncValue.of(max(int(after_s * 1000), 1))
            attrs.trigger.test_type = _NEGATIVE_TRANSITION
            attrs.delta = XSyncValue.of(0)
            attrs.events = 1
            with dpy.trap_errors() as errors:
                alarm = int(ext.XSyncCreateAlarm(dpy.ptr, _ALARM_MASK, ctypes.byref(attrs)))
            if errors or not alarm:
                raise Unavailable(
                    _("the X server on {display} refused an {counter} alarm").format(
                        display=dpy.name, counter="IDLETIME"
                    )
                )
            return cls(dpy, ext, base.value, alarm, after_s, owns)
        except BaseException:
            if owns:
                dpy.close()
            raise

    def fileno(self) -> int:
        """The X connection's socket: readable when an event (a return) may be waiting."""
        return int(self._display.lib.XConnectionNumber(self._display.ptr))

    def queued(self) -> bool:
        """Events already read into Xlib's queue (the socket no longer shows them)."""
        if not self._display.ptr:
            return False
        return bool(self._display.lib.XEventsQueued(self._display.ptr, QUEUED_ALREADY))

    def drain(self) -> int:
        """Take every event that is waiting, without blocking; how often the user came back."""
        lib, ptr = self._display.lib, self._display.ptr
        if not ptr:
            return 0
        returns = 0
        while lib.XPending(ptr) > 0:
            lib.XNextEvent(ptr, ctypes.byref(self._event))
            notify = ctypes.cast(self._event, ctypes.POINTER(XSyncAlarmNotifyEvent)).contents
            if (notify.type & 0x7F) == self._alarm_event and notify.alarm == self._alarm:
                returns += 1
        if returns:
            log.debug("the user is back after a pause")
        return returns

    def close(self) -> None:
        """Destroy the alarm and close the display if this watch opened it. Idempotent."""
        if self._alarm and self._display.ptr:
            with self._display.trap_errors():
                self._ext.XSyncDestroyAlarm(self._display.ptr, self._alarm)
        self._alarm = 0
        if self._owns_display:
            self._display.close()
