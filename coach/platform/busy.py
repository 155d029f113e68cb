"""Busy signals from the desktop over D-Bus: "not now", the break waits.

- `NotificationsInhibited`: the notification server's do-not-disturb, the
  `Inhibited` property of org.freedesktop.Notifications (KDE Plasma, and other
  servers that implement it).
- `GnomeDoNotDisturb`: GNOME's notification banners switched off
  (org.gnome.desktop.notifications show-banners), read through the settings
  portal (org.freedesktop.portal.Settings), since GNOME Shell's notification
  server has no `Inhibited` property.
- `LogindIdleInhibitors`: some program holds a logind inhibitor lock on
  "idle" in block mode (a call, a presentation, a video player).

Each is polled at the tick's pace (`interval_s`); a reading is one short D-Bus call.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import guarded
from coach.platform.dbus_call import BusAdapter, BusCaller, BusError

log = logging.getLogger(__name__)

UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"


class NotificationsInhibited(BusAdapter):
    """The notification server says do-not-disturb (org.freedesktop.Notifications.Inhibited)."""

    name = "notifications-inhibited"
    what = "do-not-disturb (notification server)"
    kind = "busy"
    interval_s = 5.0
    BUS_NAME = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"
    INTERFACE = "org.freedesktop.Notifications"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("While the desktop's do-not-disturb is on, break popups wait.")

    @classmethod
    def probe(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> NotificationsInhibited:
        """Works when the notification server has the Inhibited property."""
        return cls._probed(bus, BusCaller.session, env)

    def _read(self) -> bool:
        return bool(self._bus.get_property(self.BUS_NAME, self.PATH, self.INTERFACE, "Inhibited"))

    def active(self) -> bool:
        """True while do-not-disturb is on; False when unknown."""
        return guarded(self._health, self._read, False)


class GnomeDoNotDisturb(BusAdapter):
    """GNOME: notification banners off (show-banners false), through the settings portal."""

    name = "gnome-do-not-disturb"
    what = "do-not-disturb (GNOME)"
    kind = "busy"
    interval_s = 5.0
    BUS_NAME = "org.freedesktop.portal.Desktop"
    PATH = "/org/freedesktop/portal/desktop"
    INTERFACE = "org.freedesktop.portal.Settings"
    NAMESPACE = "org.gnome.desktop.notifications"
    KEY = "show-banners"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("While GNOME's do-not-disturb is on, break popups wait.")

    @classmethod
    def probe(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> GnomeDoNotDisturb:
        """Works when the settings portal answers for GNOME's notification settings."""
        return cls._probed(bus, BusCaller.session, env)

    def _read(self) -> bool:
        key = (self.NAMESPACE, self.KEY)
        try:
            (value,) = self._bus.call(
                self.BUS_NAME, self.PATH, self.INTERFACE, "ReadOne", "ss", key
            )
        except BusError as e:
            if e.name != UNKNOWN_METHOD:
                raise
            # portals before settings version 2 (Debian 12) have Read, a variant in a variant
            (value,) = self._bus.call(self.BUS_NAME, self.PATH, self.INTERFACE, "Read", "ss", key)
            if value[0] == "v":
                value = value[1]
        _signature, show_banners = value
        return not bool(show_banners)

    def active(self) -> bool:
        """True while banners are off; False when unknown."""
        return guarded(self._health, self._read, False)


class LogindIdleInhibitors(BusAdapter):
    """logind ListInhibitors: a lock on "idle" in block mode held by another program."""

    name = "logind-inhibitors"
    what = "idle inhibitors (logind)"
    kind = "busy"
    interval_s = 5.0
    BUS_NAME = "org.freedesktop.login1"
    PATH = "/org/freedesktop/login1"
    INTERFACE = "org.freedesktop.login1.Manager"

    def __init__(self, bus: BusCaller, owns_bus: bool = False, uid: int | None = None) -> None:
        super().__init__(bus, owns_bus)
        self.uid = os.getuid() if uid is None else uid
        self.holders: list[str] = []

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "While a program keeps the session from going idle (a call, a presentation, "
            "a video), Coach counts you as seated and break popups wait."
        )

    @classmethod
    def probe(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> LogindIdleInhibitors:
        """Works when logind answers ListInhibitors on the system bus."""
        return cls._probed(bus, BusCaller.system, env)

    def _read(self) -> bool:
        (inhibitors,) = self._bus.call(self.BUS_NAME, self.PATH, self.INTERFACE, "ListInhibitors")
        # (what, who, why, mode, uid, pid); "what" is a colon-separated list
        self.holders = [
            f"{who} ({why})"
            for what, who, why, mode, uid, _pid in inhibitors
            if "idle" in what.split(":") and mode == "block" and uid == self.uid
        ]
        return bool(self.holders)

    def active(self) -> bool:
        """True while one of our user's programs holds an idle inhibitor."""
        return guarded(self._health, self._read, False)
