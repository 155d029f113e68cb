"""GNOME idle watches (AddIdleWatch / AddUserActiveWatch) against a fake Mutter on a
private bus with the real interface: idle and return are told, never polled."""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.core.clock import FakeClock
from coach.platform.base import Unavailable
from coach.platform.mutter_watch import MutterWatches
from tests.fakes.platform_procs import PrivateBus, poll_until, read_line, stop

FAKE_MUTTER = Path(__file__).parents[1] / "fakes" / "fake_mutter.py"
AFTER_S = 55.0


class FakeMutter:
    """tests/fakes/fake_mutter.py on the bus; the test plays the user through it."""

    def __init__(self, address: str, idle_ms: int = 0) -> None:
        self.address = address
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE_MUTTER), address, str(idle_ms)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert read_line(self.proc) == "ready"

    def control(self, member: str, sig: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        target = DBusAddress(
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
            "org.coach.FakeMutter",
        )
        with open_dbus_connection(bus=self.address) as conn:
            return unwrap_msg(
                conn.send_and_get_reply(new_method_call(target, member, sig, body), timeout=5)
            )

    def idle(self, seconds: float) -> None:
        self.control("Idle", "t", (int(seconds * 1000),))

    def input(self) -> None:
        self.control("Input")

    def calls(self) -> list[str]:
        import json

        (text,) = self.control("Calls")
        return list(json.loads(text))

    def quit(self) -> None:
        self.control("Quit")
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        stop(self.proc)


@pytest.fixture
def bus() -> Iterator[PrivateBus]:
    b = PrivateBus()
    yield b
    b.stop()


@pytest.fixture
def mutters(bus: PrivateBus) -> Iterator[list[FakeMutter]]:
    started: list[FakeMutter] = []
    yield started
    for m in started:
        m.stop()


def readable(fd: int, timeout_s: float = 5.0) -> bool:
    """Wait (for the fake's message to cross the bus) until `fd` is readable."""
    return bool(select.select([fd], [], [], timeout_s)[0])


def test_idle_and_return_are_told_not_polled(bus: PrivateBus, mutters: list[FakeMutter]) -> None:
    mutter = FakeMutter(bus.address)
    mutters.append(mutter)
    clock = FakeClock()
    watch = MutterWatches.probe(bus.env(), after_s=AFTER_S, mono=clock.mono)
    try:
        assert mutter.calls() == ["GetIdletime", "AddIdleWatch"]
        assert not readable(watch.fileno(), 0.2)  # active: nothing arrives
        assert watch.idle_seconds() == 0.0
        clock.advance(AFTER_S)
        mutter.idle(AFTER_S)  # Mutter's watch fires after 55 s without input
        assert readable(watch.fileno())
        assert watch.drain() == 0
        assert watch.idle_seconds() == AFTER_S
        clock.advance(100)
        assert watch.idle_seconds() == AFTER_S + 100  # counted on, no call to Mutter
        mutter.input()  # the user is back: the user-active watch fires
        assert readable(watch.fileno())
        assert watch.drain() == 1
        assert watch.idle_seconds() == 0.0
        # one GetIdletime at start; after that only watches were set
        assert mutter.calls() == ["GetIdletime", "AddIdleWatch", "AddUserActiveWatch"]
    finally:
        watch.close()


def test_already_idle_at_start(bus: PrivateBus, mutters: list[FakeMutter]) -> None:
    mutters.append(mutter := FakeMutter(bus.address, idle_ms=300_000))
    clock = FakeClock()
    watch = MutterWatches.probe(bus.env(), after_s=AFTER_S, mono=clock.mono)
    try:
        assert watch.idle_seconds() == 300.0
        mutter.input()
        assert readable(watch.fileno())
        assert watch.drain() == 1 and watch.idle_seconds() == 0.0
    finally:
        watch.close()


def test_gnome_shell_leaving_and_coming_back(bus: PrivateBus, mutters: list[FakeMutter]) -> None:
    mutters.append(mutter := FakeMutter(bus.address))
    clock = FakeClock()
    watch = MutterWatches.probe(bus.env(), after_s=AFTER_S, mono=clock.mono)
    try:
        mutter.idle(AFTER_S)
        assert readable(watch.fileno())
        assert watch.idle_seconds() == AFTER_S
        mutter.quit()  # GNOME Shell crashed
        assert readable(watch.fileno())
        assert watch.idle_seconds() == 0.0
        assert watch.problem == "org.gnome.Mutter.IdleMonitor left the session bus"
        mutters.append(again := FakeMutter(bus.address, idle_ms=70_000))  # restarted
        assert readable(watch.fileno())
        assert watch.idle_seconds() == 70.0  # read once, watches set again
        assert watch.problem is None
        assert again.calls() == ["GetIdletime", "AddIdleWatch", "AddUserActiveWatch"]
        again.input()
        assert poll_until(lambda: watch.drain() == 1)
    finally:
        watch.close()


def test_after_sleep_the_idle_time_is_read_once_more(
    bus: PrivateBus, mutters: list[FakeMutter]
) -> None:
    mutters.append(mutter := FakeMutter(bus.address))
    clock = FakeClock()
    watch = MutterWatches.probe(bus.env(), after_s=AFTER_S, mono=clock.mono)
    try:
        mutter.idle(3600)  # the machine slept an hour without input
        clock.advance(3600)
        watch.resync()  # before the watch's signal was read
        assert watch.idle_seconds() == 3600.0
        assert mutter.calls().count("GetIdletime") == 2
        mutter.input()
        assert readable(watch.fileno())
        assert watch.drain() == 1 and watch.idle_seconds() == 0.0
    finally:
        watch.close()


def test_rejected_when_mutter_is_not_there(bus: PrivateBus) -> None:
    with pytest.raises(Unavailable, match="org.gnome.Mutter.IdleMonitor refused GetIdletime"):
        MutterWatches.probe(bus.env(), after_s=AFTER_S)


def test_the_bus_going_away_silences_the_descriptor(
    bus: PrivateBus, mutters: list[FakeMutter]
) -> None:
    mutters.append(FakeMutter(bus.address))
    watch = MutterWatches.probe(bus.env(), after_s=AFTER_S, mono=FakeClock().mono)
    try:
        bus.stop()
        assert readable(watch.fileno())  # the hang-up
        assert watch.idle_seconds() == 0.0
        assert watch.problem is not None and "lost the session bus" in watch.problem
        assert not readable(watch.fileno(), 0.2)  # no busy loop in the UI
    finally:
        watch.close()
