"""GNOME: idle time and the return moment from Mutter's idle watches, without polling.

Mutter (org.gnome.Mutter.IdleMonitor) sends `WatchFired(id)` to the connection
that added a watch: `AddIdleWatch(ms)` fires each time the user has been idle
that long, `AddUserActiveWatch()` once, at the next input. Coach asks
`GetIdletime` once when it starts (and after the machine slept, `resync()`), then
only listens: while the user is active nothing arrives and nothing wakes up.

The watches belong to this adapter's own bus connection, whose descriptor the UI
watches (`fileno()`). When GNOME Shell leaves the bus (a crash, a restart)
idle reads 0.0 and `problem` says why; when it is back the watches are set again.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from jeepney import (  # type: ignore[import-untyped]  # jeepney has no type hints
    DBusAddress,
    HeaderFields,
    MatchRule,
    MessageType,
    new_method_call,
)
from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]  # jeepney has no type hints
from jeepney.io.blocking import DBusConnection  # type: ignore[import-untyped]  # jeepney has no type hints
from jeepney.wrappers import DBusErrorResponse, unwrap_msg  # type: ignore[import-untyped]  # jeepney has no type hints

from coach.core.clock import SystemClock
from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable
from coach.platform.dbus_call import DEFAULT_TIMEOUT_S, _connect
from coach.platform.idle_events import IdleEvents, silence

log = logging.getLogger(__name__)

BUS_NAME = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
INTERFACE = "org.gnome.Mutter.IdleMonitor"
MONITOR = DBusAddress(PATH, BUS_NAME, INTERFACE)


class MutterWatches:
    """An idle source and return watch on Mutter's AddIdleWatch / AddUserActiveWatch."""

    name = "gnome-mutter-watches"

    def __init__(self, conn: DBusConnection, after_s: float, mono: Callable[[], float]) -> None:
        self.after_s = after_s
        self.state = IdleEvents(after_s, mono)
        self._conn: DBusConnection | None = conn
        self._inbox: deque[Any] = deque()
        self._filter = conn.filter(MatchRule(), queue=self._inbox)  # whatever arrives meanwhile
        self._idle_id: int | None = None
        self._active_id: int | None = None
        self._quiet: int | None = None
        self._health = OnceLog(log, "GNOME idle watches")
        owner = MatchRule(
            type="signal", interface="org.freedesktop.DBus", member="NameOwnerChanged"
        )
        owner.add_arg_condition(0, BUS_NAME)
        self._call_bus(message_bus.AddMatch(owner))

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "GNOME Shell tells Coach when you stop using the keyboard and mouse "
            "and the moment you come back."
        )

    @classmethod
    def probe(
        cls,
        env: Mapping[str, str] = os.environ,
        after_s: float = 60.0,
        mono: Callable[[], float] | None = None,
        connect: Callable[[str], DBusConnection] = _connect,
    ) -> MutterWatches:
        """Connect and set the watches, or raise Unavailable saying why not."""
        address = env.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            raise Unavailable(
                _("no session bus ({variable} unset)").format(variable="DBUS_SESSION_BUS_ADDRESS")
            )
        try:
            conn = connect(address)
        except (OSError, RuntimeError, ValueError, TimeoutError) as e:
            raise Unavailable(
                _("cannot connect to the session bus ({error})").format(error=e)
            ) from None
        try:
            adapter = cls(conn, after_s, mono or SystemClock().mono)
        except Unavailable:
            conn.close()
            raise
        try:
            adapter._arm()
        except Unavailable:
            adapter.close()
            raise
        return adapter

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    # -- talking to Mutter -------------------------------------------------------------
    def _call_bus(self, msg: Any) -> tuple[Any, ...]:
        assert self._conn is not None
        try:
            reply = self._conn.send_and_get_reply(msg, timeout=DEFAULT_TIMEOUT_S)
            return tuple(unwrap_msg(reply))
        except DBusErrorResponse as e:
            raise Unavailable(
                _("{service} refused {method}: {error}").format(
                    service=BUS_NAME,
                    method=msg.header.fields.get(HeaderFields.member, "?"),
                    error=e.name,
                )
            ) from None
        except TimeoutError:
            raise Unavailable(
                _("{service} did not answer within {seconds:g} s").format(
                    service=BUS_NAME, seconds=DEFAULT_TIMEOUT_S
                )
            ) from None

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        (value,) = self._call_bus(new_method_call(MONITOR, method, signature, body))
        return value

    def _arm(self) -> None:
        """Read the idle time once and set the watches (at start, and when Mutter is back)."""
        idle_ms = int(self._call("GetIdletime"))
        self._idle_id = int(self._call("AddIdleWatch", "t", (int(self.after_s * 1000),)))
        self._active_id = None
        if idle_ms >= self.after_s * 1000:
            self.state.idled(idle_ms / 1000)
            self._active_id = int(self._call("AddUserActiveWatch"))
        else:
            self.state.resumed()
        self._health.ok()

    def resync(self) -> None:
        """After the machine slept: read the idle time once more."""
        if self._conn is None or self._quiet is not None:
            return
        try:
            idle_ms = int(self._call("GetIdletime"))
            if idle_ms >= self.after_s * 1000 and not self.state.idle:
                self.state.idled(idle_ms / 1000)
                self._active_id = int(self._call("AddUserActiveWatch"))
        except Unavailable as e:
            self._health.failed(e.reason)

    def _handle(self, msg: Any) -> None:
        if msg.header.message_type != MessageType.signal:
            return
        member = msg.header.fields.get(HeaderFields.member)
        if member == "WatchFired":
            (watch,) = msg.body
            if watch == self._idle_id and not self.state.idle:
                self.state.idled()
                self._active_id = int(self._call("AddUserActiveWatch"))
            elif watch == self._active_id:
                self.state.resumed()
                self._active_id = None
        elif member == "NameOwnerChanged":
            _name, _old, new = msg.body
            if new:
                self._arm()
            else:
                self._idle_id = self._active_id = None
                self.state.forget()
                self._health.failed(_("{service} left the session bus").format(service=BUS_NAME))

    def _pump(self) -> None:
        """Handle every message already there, never waiting."""
        if self._conn is None or self._quiet is not None:
            return
        try:
            while True:
                while self._inbox:
                    self._handle(self._inbox.popleft())
                try:
                    self._inbox.append(self._conn.receive(timeout=0))
                except TimeoutError:
                    if not self._inbox:
                        return
        except Unavailable as e:
            self._health.failed(e.reason)
        except (OSError, ValueError, RuntimeError) as e:  # the bus itself went away
            self._health.failed(_("lost the session bus ({error})").format(error=e))
            self.state.forget()
            try:
                self._quiet = silence(self._conn.sock.fileno())
            except OSError:
                log.warning("could not silence the lost bus connection", exc_info=True)

    # -- IdleSource -----------------------------------------------------------------
    def idle_seconds(self) -> float:
        """Seconds without input: 0.0 while below `after_s` or GNOME Shell is away."""
        self._pump()
        return self.state.seconds()

    # -- ReturnWatch ----------------------------------------------------------------
    def fileno(self) -> int:
        """The bus connection: readable when Mutter sent something."""
        assert self._conn is not None
        return int(self._conn.sock.fileno())

    def queued(self) -> bool:
        """Messages read off the socket (while waiting for a reply) and not handled yet."""
        if self._conn is None:
            return False
        msg = self._conn.parser.get_next_message()
        if msg is not None:
            self._inbox.append(msg)
        return bool(self._inbox)

    def drain(self) -> int:
        """Handle what Mutter sent; how often input came back since the last call."""
        self._pump()
        return self.state.take_returns()

    def close(self) -> None:
        """Close the connection (Mutter drops its watches). Idempotent."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        self._filter.close()
        conn.close()
        if self._quiet is not None:
            os.close(self._quiet)
