"""A fake GNOME Shell idle monitor on a private bus, with Mutter's real interface.

Usage: python fake_mutter.py BUS_ADDRESS IDLE_MS

org.gnome.Mutter.IdleMonitor at /org/gnome/Mutter/IdleMonitor/Core: GetIdletime,
AddIdleWatch, AddUserActiveWatch, RemoveWatch, and the WatchFired signal sent to
the watch's owner, as Mutter does. The test plays the user through
org.coach.FakeMutter at the same path:
  Idle(t ms)   the user has now been idle this long: idle watches up to it fire
  Input()      the user typed: user-active watches fire (and are removed)
  Calls() -> s JSON list of the IdleMonitor methods called so far
  Quit()       leave the bus (GNOME Shell went away)
Prints "ready" once it owns the name.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from jeepney import HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import DBusAddress

NAME = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IFACE = "org.gnome.Mutter.IdleMonitor"
CONTROL = "org.coach.FakeMutter"


@dataclass
class Watch:
    owner: str
    interval_ms: int  # 0: a user-active watch
    fired: bool = False


def main() -> None:
    address, idle_ms = sys.argv[1], int(sys.argv[2])
    conn = open_dbus_connection(bus=address)
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, 4))
    if reply.body[0] != 1:
        raise SystemExit(f"could not own {NAME}: {reply.body}")
    print("ready", flush=True)
    watches: dict[int, Watch] = {}
    calls: list[str] = []
    next_id = 1

    def fire(watch_id: int) -> None:
        signal = new_signal(DBusAddress(PATH, interface=IFACE), "WatchFired", "u", (watch_id,))
        signal.header.fields[HeaderFields.destination] = watches[watch_id].owner
        conn.send(signal)

    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        f = msg.header.fields
        iface, member, sender = (
            f.get(HeaderFields.interface),
            f.get(HeaderFields.member),
            f.get(HeaderFields.sender),
        )
        if iface == IFACE:
            calls.append(member)
            if member == "GetIdletime":
                conn.send(new_method_return(msg, "t", (idle_ms,)))
            elif member in ("AddIdleWatch", "AddUserActiveWatch"):
                interval = msg.body[0] if member == "AddIdleWatch" else 0
                watches[next_id] = Watch(sender, interval)
                conn.send(new_method_return(msg, "u", (next_id,)))
                next_id += 1
            elif member == "RemoveWatch":
                watches.pop(msg.body[0], None)
                conn.send(new_method_return(msg))
            else:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))
        elif iface == CONTROL:
            if member == "Idle":
                idle_ms = msg.body[0]
                for wid, w in list(watches.items()):
                    if w.interval_ms and not w.fired and w.interval_ms <= idle_ms:
                        w.fired = True
                        fire(wid)
            elif member == "Input":
                idle_ms = 0
                for wid, w in list(watches.items()):
                    w.fired = False
                    if not w.interval_ms:
                        fire(wid)
                        del watches[wid]
            elif member == "Calls":
                conn.send(new_method_return(msg, "s", (json.dumps(calls),)))
                continue
            elif member == "Quit":
                conn.send(new_method_return(msg))
                conn.close()
                return
            conn.send(new_method_return(msg))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod"))


if __name__ == "__main__":
    main()
