"""Idle time from the desktop over D-Bus: GNOME Shell (Mutter) and KDE Plasma."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import Unavailable, guarded
from coach.platform.dbus_call import BusAdapter, BusCaller, BusError

log = logging.getLogger(__name__)


class MutterIdle(BusAdapter):
    """GNOME: org.gnome.Mutter.IdleMonitor.GetIdletime (milliseconds, uint64).

    Works on GNOME under both X11 and Wayland.
    """

    name = "gnome-mutter"
    what = "GNOME idle monitor"
    BUS_NAME = "org.gnome.Mutter.IdleMonitor"
    PATH = "/org/gnome/Mutter/IdleMonitor/Core"
    INTERFACE = "org.gnome.Mutter.IdleMonitor"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees keyboard and mouse activity through GNOME Shell.")

    @classmethod
    def probe(cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ) -> MutterIdle:
        """Works when Mutter answers GetIdletime on the session bus."""
        return cls._probed(bus, BusCaller.session, env)

    def _read(self) -> float:
        (ms,) = self._bus.call(self.BUS_NAME, self.PATH, self.INTERFACE, "GetIdletime")
        return int(ms) / 1000.0

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 while GNOME Shell does not answer."""
        return guarded(self._health, self._read, 0.0)


class KdeIdle(BusAdapter):
    """KDE Plasma: org.freedesktop.ScreenSaver.GetSessionIdleTime.

    The freedesktop idle-inhibition draft says seconds, but KDE's
    kscreenlocker returns KIdleTime::idleTime(), which is milliseconds; other
    implementations disagree on units or count from when the screensaver
    started, so this adapter is used only in a KDE session. On Wayland KDE
    answers NotSupported, and the probe rejects it.
    """

    name = "kde-screensaver"
    what = "KDE idle time"
    BUS_NAME = "org.freedesktop.ScreenSaver"
    PATH = "/org/freedesktop/ScreenSaver"
    INTERFACE = "org.freedesktop.ScreenSaver"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees keyboard and mouse activity through KDE Plasma.")

    @classmethod
    def probe(cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ) -> KdeIdle:
        """Works in a KDE X11 session whose screen locker answers on the session bus."""
        desktop = env.get("XDG_CURRENT_DESKTOP", "")
        if "KDE" not in desktop.upper().split(":"):
            raise Unavailable(
                _(
                    "not a KDE session ({variable}={value}); "
                    "elsewhere {method} differs in units or meaning"
                ).format(
                    variable="XDG_CURRENT_DESKTOP",
                    value=desktop or _("unset"),
                    method="GetSessionIdleTime",
                )
            )
        return cls._probed(bus, BusCaller.session, env)

    def _unavailable_reason(self, e: BusError) -> str:
        if e.name and e.name.endswith(".NotSupported"):
            return _("KDE does not report idle time on Wayland ({method}: {error})").format(
                method="GetSessionIdleTime", error="NotSupported"
            )
        return e.reason

    def _read(self) -> float:
        (ms,) = self._bus.call(self.BUS_NAME, self.PATH, self.INTERFACE, "GetSessionIdleTime")
        return int(ms) / 1000.0

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 while KDE does not answer."""
        return guarded(self._health, self._read, 0.0)
