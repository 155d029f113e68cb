"""Helpers for the platform tests: a private D-Bus bus, fake services, Xvfb, device holders.

Everything started here is a child process stopped by its own handle; waits
are bounded polls on pipes, never fixed sleeps.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.tools import require

HERE = Path(__file__).resolve().parent
FAKE_SERVICE = HERE / "fake_dbus_service.py"
WAIT_S = 10.0


def read_line(proc: subprocess.Popen[str], timeout_s: float = WAIT_S) -> str:
    """The child's next stdout line, waiting at most `timeout_s`."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout_s):
            raise TimeoutError(f"{proc.args!r} printed nothing within {timeout_s} s")
    return proc.stdout.readline().strip()


def stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate a child we started and reap it (bounded)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


class PrivateBus:
    """A dbus-daemon of our own; its address is never put in os.environ."""

    def __init__(self) -> None:
        require("dbus-daemon")
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.address = read_line(self.proc)
        assert self.address.startswith("unix:"), self.address

    def env(self, **extra: str) -> dict[str, str]:
        """An environment naming this bus as both session and system bus."""
        return {
            "DBUS_SESSION_BUS_ADDRESS": self.address,
            "DBUS_SYSTEM_BUS_ADDRESS": self.address,
            **extra,
        }

    def stop(self) -> None:
        stop(self.proc)


class FakeService:
    """tests/fakes/fake_dbus_service.py running on a bus with a given spec."""

    def __init__(self, address: str, spec: dict[str, Any]) -> None:
        self.address = address
        self.spec = spec
        self.names: list[str] = spec["names"]
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE_SERVICE), address, json.dumps(spec)],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = read_line(self.proc)
        assert line == "ready", line

    def _control(self, member: str, sig: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        target = DBusAddress("/org/coach/Fake", self.names[0], "org.coach.Fake")
        with open_dbus_connection(bus=self.address) as conn:
            reply = conn.send_and_get_reply(new_method_call(target, member, sig, body), timeout=5)
            return unwrap_msg(reply)

    def set(self, kind: str, key: str, entry: dict[str, Any]) -> None:
        """Change what a method returns ("methods") or a property's value ("properties")."""
        self._control("Set", "sss", (kind, key, json.dumps(entry)))

    def calls(self) -> list[list[Any]]:
        """The [member, args] pairs the fake received so far."""
        (text,) = self._control("Calls")
        return list(json.loads(text))

    def stop(self) -> None:
        stop(self.proc)


@contextmanager
def xvfb(*extra_args: str) -> Iterator[str]:
    """Start Xvfb on a free display (-displayfd); yield its DISPLAY name."""
    require("Xvfb")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        # -noreset: without it Xvfb resets when its last client leaves, and a
        # connection made during the reset is refused.
        ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset", *extra_args],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe, selectors.DefaultSelector() as sel:
            sel.register(pipe, selectors.EVENT_READ)
            if not sel.select(WAIT_S):
                raise TimeoutError("Xvfb did not report a display number")
            number = pipe.readline().strip()
        assert number.isdigit(), number
        yield f":{number}"
    finally:
        stop(proc)


def poll_until(predicate: Any, timeout_s: float = WAIT_S, step_s: float = 0.02) -> bool:
    """Poll `predicate()` until true or `timeout_s` passes (for external processes only)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return bool(predicate())


class DeviceHolder:
    """A child process that holds `path` open until stopped."""

    CODE = "import sys; f = open(sys.argv[1], 'rb'); print('open', flush=True); sys.stdin.read()"

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self.CODE, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert read_line(self.proc) == "open"
        self.pid = self.proc.pid

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        stop(self.proc)
