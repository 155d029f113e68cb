"""Screen lock state over D-Bus: the desktop's screensaver, or systemd-logind."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from coach.i18n import _
from coach.platform.base import Unavailable, guarded
from coach.platform.dbus_call import BusAdapter, BusCaller

log = logging.getLogger(__name__)


class ScreenSaverLock(BusAdapter):
    """`GetActive()` on a screensaver service (true while the screen is locked).

    KDE, Xfce and others answer on org.freedesktop.ScreenSaver; GNOME Shell on
    org.gnome.ScreenSaver (GNOME's org.freedesktop.ScreenSaver only handles
    inhibition and does not answer GetActive, so its probe fails cleanly).
    """

    what = "screen lock state"

    def __init__(
        self, bus: BusCaller, name: str, bus_name: str, path: str, owns_bus: bool = False
    ) -> None:
        super().__init__(bus, owns_bus)
        self.name = name
        self._bus_name = bus_name
        self._path = path

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _("Coach sees when the screen is locked through {service}.").format(
            service=self._bus_name
        )

    @classmethod
    def freedesktop(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> ScreenSaverLock:
        """org.freedesktop.ScreenSaver, or raise Unavailable."""
        return cls._probe(bus, env, "freedesktop-screensaver", "org.freedesktop.ScreenSaver")

    @classmethod
    def gnome(
        cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ
    ) -> ScreenSaverLock:
        """org.gnome.ScreenSaver (GNOME Shell), or raise Unavailable."""
        return cls._probe(bus, env, "gnome-screensaver", "org.gnome.ScreenSaver")

    @classmethod
    def _probe(
        cls, bus: BusCaller | None, env: Mapping[str, str], name: str, bus_name: str
    ) -> ScreenSaverLock:
        path = "/" + bus_name.replace(".", "/")
        adapter = cls(bus or BusCaller.session(env), name, bus_name, path, owns_bus=bus is None)
        adapter._check()
        return adapter

    def _read(self) -> bool:
        (active,) = self._bus.call(self._bus_name, self._path, self._bus_name, "GetActive")
        return bool(active)

    def is_locked(self) -> bool:
        """True while locked; False while the service does not answer."""
        return guarded(self._health, self._read, False)


class LogindLock(BusAdapter):
    """The LockedHint property of our login session on systemd-logind (system bus).

    Only as good as the desktop: GNOME and KDE keep LockedHint up to date,
    some lockers never set it, and then it always reads "unlocked".
    """

    name = "logind"
    what = "logind lock state"
    BUS_NAME = "org.freedesktop.login1"
    INTERFACE = "org.freedesktop.login1.Session"
    AUTO_PATH = "/org/freedesktop/login1/session/auto"

    def __init__(self, bus: BusCaller, path: str, owns_bus: bool = False) -> None:
        super().__init__(bus, owns_bus)
        self.path = path

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "Coach sees when the screen is locked through {service} "
            "(if your desktop or screen locker reports locks there)."
        ).format(service="systemd-logind")

    @classmethod
    def probe(cls, bus: BusCaller | None = None, env: Mapping[str, str] = os.environ) -> LogindLock:
        """Find our session (XDG_SESSION_ID, else logind's "auto") and read LockedHint."""
        caller = bus or BusCaller.system(env)
        adapter = cls(caller, cls.AUTO_PATH, owns_bus=bus is None)
        session_id = env.get("XDG_SESSION_ID")
        if session_id:
            try:
                (adapter.path,) = caller.call(
                    cls.BUS_NAME, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                    "GetSession", "s", (session_id,),
                )  # fmt: skip
            except Exception as e:
                adapter.close()
                raise Unavailable(getattr(e, "reason", None) or repr(e)) from None
        adapter._check()
        return adapter

    def _read(self) -> bool:
        return bool(self._bus.get_property(self.BUS_NAME, self.path, self.INTERFACE, "LockedHint"))

    def is_locked(self) -> bool:
        """True while logind says the session is locked; False when unknown."""
        return guarded(self._health, self._read, False)
