"""Desktop notifications through an ordered fallback chain.

Where there is a session bus (Linux), a direct D-Bus call to org.freedesktop.Notifications
first: it can tell a failure and escapes markup for servers that would render it; then
plyer (native on Windows and macOS; notify-send on Linux); then whatever the UI adds
(the tray balloon, then the tray icon alone). A failing backend never raises out of
the chain: the next one is tried, and one that failed three times in a row is skipped
from then on.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import Protocol

from coach.platform.base import Unavailable
from coach.platform.dbus_call import BusCaller, BusError

log = logging.getLogger(__name__)

APP_NAME = "Coach"
TIMEOUT_MS = 8000
GIVE_UP_AFTER = 3  # consecutive failures


def escape_markup(text: str) -> str:
    """`text` as literal characters in a notification body (markup is a subset of HTML:
    only &, < and > are special). The same as html.escape(text, quote=False), without
    the html module's 2,000-entry entity table in memory all day."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Notifier(Protocol):
    name: str

    def notify(self, title: str, body: str) -> None:
        """Show a notification, or raise."""


class PlyerNotifier:
    name = "plyer"

    def __init__(self, env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> None:
        # On Linux plyer shells out to notify-send and cannot tell a failure: only use
        # it where that can work at all.
        if platform.startswith("linux") and not (
            shutil.which("notify-send") and env.get("DBUS_SESSION_BUS_ADDRESS")
        ):
            raise Unavailable("notify-send or a session bus is missing")

    def notify(self, title: str, body: str) -> None:
        from plyer import notification  # type: ignore[import-untyped]  # plyer has no hints

        with warnings.catch_warnings():  # plyer warns on Linux about dbus-python it lacks
            warnings.simplefilter("ignore")
            notification.notify(
                title=title, message=body, app_name=APP_NAME, timeout=TIMEOUT_MS // 1000
            )


class DBusNotifier:
    """org.freedesktop.Notifications.Notify on the session bus, via jeepney."""

    name = "dbus"
    SERVICE = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"

    def __init__(self, bus: BusCaller) -> None:
        self.bus = bus
        self._markup: bool | None = None  # does the server render markup in the body?

    def close(self) -> None:
        self.bus.close()

    def notify(self, title: str, body: str) -> None:
        if self._markup is None:
            try:
                caps = self.bus.call(self.SERVICE, self.PATH, self.SERVICE, "GetCapabilities")
                self._markup = "body-markup" in caps[0]
            except BusError:  # required by the spec; if it fails, escape to be safe
                self._markup = True
        if self._markup:  # texts from packs and policies are shown as text, never markup
            body = escape_markup(body)
        self.bus.call(
            self.SERVICE,
            self.PATH,
            self.SERVICE,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, 0, "", title, body, [], {}, TIMEOUT_MS),
        )


class NotifierChain:
    """Tries each backend in order until one works."""

    def __init__(self, backends: Sequence[Notifier]) -> None:
        self.backends = list(backends)
        self._failures = {b.name: 0 for b in self.backends}

    def add(self, backend: Notifier) -> None:
        self.backends.append(backend)
        self._failures[backend.name] = 0

    def close(self) -> None:
        for backend in self.backends:
            close = getattr(backend, "close", None)
            if close is not None:
                close()

    def notify(self, title: str, body: str) -> str | None:
        """Show it with the first backend that works; returns its name (None: none did)."""
        for backend in self.backends:
            if self._failures[backend.name] >= GIVE_UP_AFTER:
                continue
            try:
                backend.notify(title, body)
            except Exception as exc:  # noqa: BLE001 - any backend failure means: next one
                self._failures[backend.name] += 1
                log.warning(
                    "notification via %s failed (%s); trying the next way", backend.name, exc
                )
                continue
            self._failures[backend.name] = 0
            return backend.name
        return None


def system_notifiers(env: Mapping[str, str] = os.environ) -> list[Notifier]:
    """The OS-level backends that can work here, in order."""
    out: list[Notifier] = []
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        out.append(DBusNotifier(BusCaller.session(env, timeout_s=1.0)))
    try:
        out.append(PlyerNotifier(env))
    except Unavailable as exc:
        log.info("plyer notifications not used: %s", exc.reason)
    return out
