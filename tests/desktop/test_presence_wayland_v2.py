"""ext-idle-notify-v1 version 2 (input-only idle plus the inhibitor-aware one), against
the smallest compositor that offers it (tests/fakes/mini_compositor.py: pywayland's
server side on libwayland-server, the real wire protocol), since no compositor in
Debian 12 offers version 2. The compositor's clock is virtual and moves with the test's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.core.clock import FakeClock
from coach.platform import detect
from coach.platform.sleep import ClockPair
from coach.platform.wayland import ExtIdleNotify, ScreenKeptAwake
from tests.core.test_presence_busy import BUSY_UNTIL, assert_waited_then_shown, run_day
from tests.fakes.platform_procs import read_line, stop

MINI = Path(__file__).parents[1] / "fakes" / "mini_compositor.py"
AFTER_S = 55.0


class Mini:
    """The mini compositor as a child process; the test is its user and its clock."""

    def __init__(self, socket: Path, clock: FakeClock, *options: str) -> None:
        self.socket = socket
        self.clock = clock
        self.proc = subprocess.Popen(
            [sys.executable, str(MINI), str(socket), *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert read_line(self.proc) == "ready"

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        assert read_line(self.proc) == "ok"

    def advance(self, seconds: float) -> None:
        """Move both clocks, the test's and the compositor's."""
        self.clock.advance(seconds)
        self.send(f"advance {int(seconds * 1000)}")

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        stop(self.proc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))


@pytest.fixture
def mini(tmp_path: Path, clock: FakeClock) -> Iterator[Mini]:
    m = Mini(tmp_path / "wayland-mini", clock)
    yield m
    m.stop()


def test_version_2_tells_input_idle_from_a_screen_kept_awake(mini: Mini, clock: FakeClock) -> None:
    env = {"WAYLAND_DISPLAY": str(mini.socket)}
    watch = ExtIdleNotify.probe(env, after_s=AFTER_S, mono=clock.mono)
    kept = ScreenKeptAwake.probe(watch)
    try:
        assert watch.version == 2
        mini.advance(AFTER_S)  # nobody types: both notifications go idle
        assert watch.idle_seconds() == AFTER_S and not kept.active()
        mini.send("input")
        assert watch.drain() == 1 and watch.idle_seconds() == 0.0
        mini.send("inhibit on")  # a presentation starts; the user stops typing
        mini.advance(AFTER_S)
        assert watch.idle_seconds() == AFTER_S  # input-only: idle despite the inhibitor
        assert kept.active()  # the screen is kept awake: watching or presenting
        mini.advance(100)
        assert watch.idle_seconds() == AFTER_S + 100 and kept.active()
        mini.send("inhibit off")
        mini.advance(AFTER_S)  # the screen's own idle timer runs out in turn
        assert not kept.active()
        mini.send("input")
        assert watch.drain() == 1 and watch.idle_seconds() == 0.0 and not kept.active()
    finally:
        watch.close()


def test_a_presentation_without_typing_holds_the_break(
    mini: Mini, clock: FakeClock, tmp_path: Path
) -> None:
    """The user watches a presentation (screen inhibited, no input) from the start until
    BUSY_UNTIL, then types again: that time is sitting, and busy once the compositor
    has said input is idle (AFTER_S after the last input; until then it cannot tell)."""
    env = {
        "WAYLAND_DISPLAY": str(mini.socket),
        "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus",
    }
    pair = ClockPair("fake", clock.mono, clock.mono)
    platform = detect(env, "linux", clocks=pair, proc_root=str(tmp_path), return_after_s=AFTER_S)

    def before_tick(t: float) -> None:
        if t == BUSY_UNTIL:
            mini.send("inhibit off")
        if t >= BUSY_UNTIL:
            mini.send("input")

    try:
        assert platform.idle.name == "wayland-ext-idle-notify"
        assert platform.signals["idle inhibitor"].name == "wayland-idle-inhibited"
        mini.send("inhibit on")
        events = run_day(tmp_path, clock, platform, before_tick, advance=mini.advance)
    finally:
        platform.close()
    # nothing while it holds (from AFTER_S: until then the compositor cannot tell)
    assert_waited_then_shown(events, holds_from=AFTER_S)
