"""Busy from GNOME's idle inhibitors (a call, a presentation or a video keeping the screen on)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import guarded
from coach.platform.dbus_call import BusAdapter, BusCaller

log = logging.getLogger(__name__)

INHIBIT_IDLE = 8  # GsmInhibitorFlag: inhibit the session being marked as idle


class GnomeIdleInhibitor(BusAdapter):
    """org.gnome.SessionManager.IsInhibited(8): some app asked GNOME not to go idle."""

    name = "gnome-inhibitor"
    what = "GNOME idle inhibitors"
    kind = "busy"
    interval_s = 5.0
    BUS_NAME = "org.gnome.SessionManager"
    PATH = "/org/gnome/SessionManager"
    INTERFACE = "org.gnome.SessionManager"

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "While an app keeps GNOME from going idle (a call, a presentation, a video), "
            "Coach counts you as seated and break popups wait."
        )

    @classmethod
    def probe(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> GnomeIdleInhibitor:
        """Works when gnome-session answers IsInhibited on the session bus."""
        return cls._probed(bus, BusCaller.session, env)

    def _read(self) -> bool:
        (inhibited,) = self._bus.call(
            self.BUS_NAME, self.PATH, self.INTERFACE, "IsInhibited", "u", (INHIBIT_IDLE,)
        )
        return bool(inhibited)

    def active(self) -> bool:
        """True while an idle inhibitor is held; False when unknown."""
        return guarded(self._health, self._read, False)
