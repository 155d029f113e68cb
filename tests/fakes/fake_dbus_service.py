"""A scriptable fake D-Bus service (jeepney), run as a child process by the platform tests.

Usage: python fake_dbus_service.py BUS_ADDRESS SPEC_JSON

SPEC_JSON:
  {"names": ["org.gnome.Mutter.IdleMonitor", ...],
   "methods": {"PATH|INTERFACE|MEMBER": {"sig": "t", "value": [1234]}
                                       | {"error": "org.x.Error.Name", "message": "..."}},
   "properties": {"PATH|INTERFACE|PROP": {"sig": "b", "value": false}}}

It prints "ready" once it owns all names. Control interface on the first
name, path /org/coach/Fake, interface org.coach.Fake:
  Set(s kind, s key, s entry_json)  kind is "methods" or "properties"
  Calls() -> s                      JSON list of [member, args] received
"""

from __future__ import annotations

import json
import sys
from typing import Any

from jeepney import (
    HeaderFields,
    MessageType,
    new_error,
    new_method_return,
)
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import Array, Struct, parse_signature

CONTROL_PATH = "/org/coach/Fake"
CONTROL_IFACE = "org.coach.Fake"


def shaped(sig: str, values: list[Any]) -> tuple[Any, ...]:
    """JSON lists as jeepney wants them: structs (and variants) as tuples."""
    types = []
    chars = list(sig)
    while chars:
        types.append(parse_signature(chars))
    return tuple(_shape(t, v) for t, v in zip(types, values, strict=True))


def _shape(t: Any, v: Any) -> Any:
    if isinstance(t, Struct):
        return tuple(_shape(f, x) for f, x in zip(t.fields, v, strict=True))
    if isinstance(t, Array) and isinstance(v, list):
        return [_shape(t.elt_type, x) for x in v]
    if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str):  # a variant
        return (v[0], v[1])
    return v


def main() -> None:
    address, spec_json = sys.argv[1], sys.argv[2]
    spec: dict[str, Any] = json.loads(spec_json)
    methods: dict[str, Any] = spec.get("methods", {})
    props: dict[str, Any] = spec.get("properties", {})
    calls: list[list[Any]] = []
    conn = open_dbus_connection(bus=address)
    for name in spec.get("names", []):
        reply = conn.send_and_get_reply(message_bus.RequestName(name, 4))  # DO_NOT_QUEUE
        if reply.body[0] != 1:
            raise SystemExit(f"could not own {name}: {reply.body}")
    print("ready", flush=True)

    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        f = msg.header.fields
        path, iface, member = (
            f.get(HeaderFields.path),
            f.get(HeaderFields.interface),
            f.get(HeaderFields.member),
        )
        calls.append([member, list(msg.body)])
        if path == CONTROL_PATH and iface == CONTROL_IFACE:
            if member == "Set":
                kind, key, entry = msg.body
                (methods if kind == "methods" else props)[key] = json.loads(entry)
                conn.send(new_method_return(msg))
            elif member == "Calls":
                conn.send(new_method_return(msg, "s", (json.dumps(calls),)))
            continue
        if iface == "org.freedesktop.DBus.Properties" and member == "Get":
            prop_iface, prop = msg.body
            entry = props.get(f"{path}|{prop_iface}|{prop}")
            if entry is None:
                conn.send(
                    new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", "s", (prop,))
                )
            else:
                conn.send(new_method_return(msg, "v", ((entry["sig"], entry["value"]),)))
            continue
        entry = methods.get(f"{path}|{iface}|{member}")
        if entry is None:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (member,)))
        elif "error" in entry:
            conn.send(new_error(msg, entry["error"], "s", (entry.get("message", ""),)))
        elif "hang" in entry:
            pass  # never answer: the caller must time out
        else:
            conn.send(new_method_return(msg, entry["sig"], shaped(entry["sig"], entry["value"])))


if __name__ == "__main__":
    main()
