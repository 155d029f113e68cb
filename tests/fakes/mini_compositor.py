"""The smallest Wayland compositor that offers ext_idle_notifier_v1 version 2.

No compositor in Debian 12 offers version 2 (KWin 5.27 has version 1; sway 1.7,
weston 10 and cage 0.1 none), so the version-2 path of Coach's client is run
against this one: pywayland's server side on libwayland-server, the real wire
protocol, Coach's real client on the other end. It has a seat and the idle
notifier and nothing else (no outputs, no surfaces). Its clock is virtual and the
test is the user; commands on stdin, one per line, each answered "ok" once the
resulting events are flushed to the clients:

  input          the user touched the keyboard or mouse
  advance MS     MS milliseconds pass
  inhibit on|off an idle inhibitor is held / released (a video, a presentation)

Usage: python mini_compositor.py SOCKET_PATH [--no-idle-notify]
(prints "ready" when listening; --no-idle-notify: offer the seat only, as GNOME's
Mutter and older compositors do)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

from pywayland._ffi import lib
from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotificationV1, ExtIdleNotifierV1
from pywayland.protocol.wayland import WlSeat
from pywayland.server import Display, EventLoop


def _server_arguments(c_args: Any) -> list[Any]:
    """(new_id, timeout, seat) as the server receives them: pywayland 0.4 reads a new_id
    argument as a client proxy, so the id is taken from the C union here."""
    return [c_args[0].n, c_args[1].u, None]


def _dispatching(resource: Any) -> Any:
    """pywayland 0.4 registers a resource's handle where libwayland passes the
    implementation (NULL), so its requests would reach no handler: register it there."""
    lib.wl_resource_set_dispatcher(
        resource._ptr, lib.dispatcher_func, resource._handle, resource._handle,
        lib.resource_destroy_func,
    )  # fmt: skip
    return resource


for _request in ExtIdleNotifierV1.requests[1:]:  # get_idle_notification, get_input_...
    _request.c_to_arguments = _server_arguments  # type: ignore[method-assign]


@dataclass
class Notification:
    resource: Any
    timeout_ms: int
    honours_inhibitors: bool
    since_ms: int
    idle: bool = False


class Compositor:
    def __init__(self, socket_path: str, idle_notify: bool = True) -> None:
        self.display = Display()
        self.display.add_socket(socket_path)
        self.now_ms = 0
        self.inhibited = False
        self.notifications: list[Notification] = []
        self.seat = WlSeat.global_class(self.display, 1)
        if idle_notify:
            self.notifier = ExtIdleNotifierV1.global_class(self.display, 2)
            self.notifier.bind_func = self._bind

    def _bind(self, notifier: Any) -> None:
        _dispatching(notifier)
        notifier.dispatcher["get_idle_notification"] = self._subscribe(True)
        notifier.dispatcher["get_input_idle_notification"] = self._subscribe(False)
        notifier.dispatcher["destroy"] = lambda resource: resource.destroy()

    def _subscribe(self, honours: bool) -> Any:
        def subscribe(notifier: Any, new_id: int, timeout: int, _seat: Any) -> None:
            client = lib.wl_resource_get_client(notifier._ptr)
            resource = _dispatching(
                ExtIdleNotificationV1.resource_class(client, notifier.version, new_id)
            )
            n = Notification(resource, timeout, honours, self.now_ms)
            self.notifications.append(n)
            resource.dispatcher["destroy"] = lambda r: self._forget(n, r)

        return subscribe

    def _forget(self, n: Notification, resource: Any) -> None:
        self.notifications.remove(n)
        resource.destroy()

    def command(self, line: str) -> None:
        word, *rest = line.split()
        if word == "input":
            for n in self.notifications:
                if n.idle:
                    n.resource.resumed()
                n.idle, n.since_ms = False, self.now_ms
        elif word == "advance":
            self.now_ms += int(rest[0])
        elif word == "inhibit":
            self.inhibited = rest[0] == "on"
            for n in self.notifications:
                if n.honours_inhibitors:
                    if self.inhibited and n.idle:
                        n.resource.resumed()
                        n.idle = False
                    n.since_ms = self.now_ms
        for n in self.notifications:
            held = n.honours_inhibitors and self.inhibited
            if not n.idle and not held and self.now_ms - n.since_ms >= n.timeout_ms:
                n.resource.idled()
                n.idle = True
        self.display.flush_clients()


def main() -> None:
    compositor = Compositor(sys.argv[1], idle_notify="--no-idle-notify" not in sys.argv)
    loop: EventLoop = compositor.display.get_event_loop()
    stdin = sys.stdin.fileno()
    buffer = b""

    def on_stdin(fd: int, _mask: int, _data: Any) -> int:
        nonlocal buffer
        chunk = os.read(fd, 4096)
        if not chunk:
            compositor.display.terminate()
            return 0
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            compositor.command(line.decode())
            print("ok", flush=True)
        return 0

    loop.add_fd(stdin, on_stdin, EventLoop.FdMask.WL_EVENT_READABLE, None)
    print("ready", flush=True)
    compositor.display.run()
    compositor.display.destroy()


if __name__ == "__main__":
    main()
