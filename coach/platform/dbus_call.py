"""Blocking D-Bus method calls with a short timeout, via jeepney (pure Python).

One `BusCaller` per bus, shared by the adapters on that bus. It connects
lazily, reconnects after the bus went away, never auto-starts services, and
turns every failure into `BusError` with a reason in plain words. jeepney itself is
imported at the first call (some 6 ms: not before `coach run` shows its tray icon).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self

from coach.i18n import N_, _
from coach.platform.base import OnceLog, Unavailable

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection  # type: ignore[import-untyped]  # jeepney has no type hints
    from jeepney.wrappers import DBusErrorResponse  # type: ignore[import-untyped]  # jeepney has no type hints

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 0.5
SYSTEM_BUS_DEFAULT = "unix:path=/var/run/dbus/system_bus_socket"
BUSES = {"session": N_("the session bus"), "system": N_("the system bus")}  # by label

_NOT_THERE = {
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
}
_NOT_ANSWERED = {
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownInterface",
    "org.freedesktop.DBus.Error.UnknownProperty",
    "org.freedesktop.DBus.Error.InvalidArgs",
}

Connector = Callable[[str], "DBusConnection"]


class BusError(Exception):
    """A D-Bus call failed; `reason` says why in plain words, `name` is the D-Bus error."""

    def __init__(self, reason: str, name: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.name = name


def _connect(address: str) -> DBusConnection:
    from jeepney.io.blocking import open_dbus_connection

    return open_dbus_connection(bus=address, auth_timeout=1.0)


class BusCaller:
    """Method calls and property reads on one bus (`label`: "session" or "system")."""

    def __init__(
        self,
        address: str | None,
        label: str,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        connect: Connector = _connect,
    ) -> None:
        self.address = address
        self.label = label
        self.timeout_s = timeout_s
        self._connect = connect
        self._conn: DBusConnection | None = None

    @classmethod
    def session(cls, env: Mapping[str, str], **kw: Any) -> BusCaller:
        """The session bus named by env (no bus when DBUS_SESSION_BUS_ADDRESS is unset)."""
        return cls(env.get("DBUS_SESSION_BUS_ADDRESS") or None, "session", **kw)

    @classmethod
    def system(cls, env: Mapping[str, str], **kw: Any) -> BusCaller:
        """The system bus (DBUS_SYSTEM_BUS_ADDRESS or the standard socket)."""
        return cls(env.get("DBUS_SYSTEM_BUS_ADDRESS") or SYSTEM_BUS_DEFAULT, "system", **kw)

    def _connection(self) -> DBusConnection:
        if self._conn is not None:
            return self._conn
        if not self.address:
            raise BusError(
                _("no session bus ({variable} unset)").format(variable="DBUS_SESSION_BUS_ADDRESS")
            )
        try:
            self._conn = self._connect(self.address)
        except (OSError, RuntimeError, ValueError, TimeoutError) as e:
            raise BusError(
                _("cannot connect to {bus} ({error})").format(bus=self._bus(), error=e)
            ) from None
        return self._conn

    def _bus(self) -> str:
        """This bus in words ("the session bus"), translated."""
        return _(BUSES[self.label])

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
            self._conn = None

    def call(
        self,
        bus_name: str,
        path: str,
        interface: str,
        method: str,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        """Call a method and return its reply body, or raise BusError."""
        from jeepney import DBusAddress, MessageFlag, new_method_call  # type: ignore[import-untyped]  # jeepney has no type hints
        from jeepney.wrappers import DBusErrorResponse, unwrap_msg

        conn = self._connection()
        msg = new_method_call(DBusAddress(path, bus_name, interface), method, signature, body)
        msg.header.flags |= MessageFlag.no_auto_start
        try:
            reply = conn.send_and_get_reply(msg, timeout=self.timeout_s)
            return tuple(unwrap_msg(reply))
        except DBusErrorResponse as e:
            raise BusError(self._explain(e, bus_name, f"{interface}.{method}"), e.name) from None
        except TimeoutError:
            raise BusError(
                _("{service} did not answer within {seconds:g} s").format(
                    service=bus_name, seconds=self.timeout_s
                )
            ) from None
        except (OSError, ValueError) as e:  # the bus itself went away, or garbage arrived
            self._drop()
            raise BusError(_("lost {bus} ({error})").format(bus=self._bus(), error=e)) from None

    def get_property(self, bus_name: str, path: str, interface: str, prop: str) -> Any:
        """Read one property's value, or raise BusError."""
        try:
            (variant,) = self.call(
                bus_name, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, prop)
            )
        except BusError as e:
            if e.name in _NOT_ANSWERED:
                raise BusError(
                    _("{service} has no property {property}").format(
                        service=bus_name, property=f"{interface}.{prop}"
                    ),
                    e.name,
                ) from None
            raise
        _signature, value = variant
        return value

    def _explain(self, e: DBusErrorResponse, bus_name: str, member: str) -> str:
        detail = e.data[0] if e.data and isinstance(e.data[0], str) else ""
        if e.name in _NOT_THERE:
            return _("{service} not on {bus}").format(service=bus_name, bus=self._bus())
        if e.name in _NOT_ANSWERED:
            return _("{service} on {bus} does not answer {method}").format(
                service=bus_name, bus=self._bus(), method=member
            )
        short = (e.name or "error").rsplit(".", 1)[-1]
        refused = _("{service} refused {method}: {error}").format(
            service=bus_name, method=member, error=short
        )
        return refused + (f" ({detail})" if detail else "")

    def close(self) -> None:
        """Close the connection. Idempotent; a later call reconnects."""
        self._drop()


class BusAdapter:
    """Shared plumbing for adapters that read one value over D-Bus.

    Subclasses set `what` (for log lines) and implement `_read()`; probing
    calls `_read()` once and turns a BusError into Unavailable.
    """

    what = "D-Bus adapter"

    def __init__(self, bus: BusCaller, owns_bus: bool = False) -> None:
        self._bus = bus
        self._owns_bus = owns_bus
        self._health = OnceLog(logging.getLogger(type(self).__module__), self.what)

    @classmethod
    def _probed(
        cls, bus: BusCaller | None, connect: Callable[..., BusCaller], env: Mapping[str, str]
    ) -> Self:
        """An adapter on `bus`, or on its own connection from `connect(env)`, read once."""
        adapter = cls(bus or connect(env), owns_bus=bus is None)
        adapter._check()
        return adapter

    def _check(self) -> None:
        """Read once; raise Unavailable (closing an owned bus) if that fails."""
        try:
            self._read()
        except BusError as e:
            self.close()
            raise Unavailable(self._unavailable_reason(e)) from None

    def _unavailable_reason(self, e: BusError) -> str:
        return e.reason

    def _read(self) -> Any:
        raise NotImplementedError

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem

    def close(self) -> None:
        """Close the bus connection if this adapter opened it."""
        if self._owns_bus:
            self._bus.close()
