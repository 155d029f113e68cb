"""The order of idle sources is decided by what the session offers, not by the desktop's
name: the same environment (a Wayland socket and GNOME Shell's idle monitor on the bus)
gets ext-idle-notify where the compositor offers it, and GNOME's idle watches where it
does not (as on GNOME, whose Mutter has no ext_idle_notifier_v1). The app's socket
notifier then ticks on Mutter's signals as it does on the compositor's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.core.clock import FakeClock
from coach.platform import Platform, detect
from coach.platform.sleep import ClockPair
from tests.core.test_presence_gnome_watch import FakeMutter
from tests.desktop.test_presence_app import start_app, stop_app
from tests.desktop.test_presence_wayland_v2 import AFTER_S, Mini
from tests.fakes.platform_procs import PrivateBus


@pytest.fixture
def bus() -> Iterator[PrivateBus]:
    b = PrivateBus()
    yield b
    b.stop()


@pytest.fixture
def mutter(bus: PrivateBus) -> Iterator[FakeMutter]:
    m = FakeMutter(bus.address)
    yield m
    m.stop()


def session(bus: PrivateBus, mini: Mini, tmp_path: Path, clock: FakeClock) -> Platform:
    env = bus.env(WAYLAND_DISPLAY=str(mini.socket), XDG_CURRENT_DESKTOP="GNOME")
    pair = ClockPair("fake", clock.mono, clock.mono)
    return detect(env, "linux", clocks=pair, proc_root=str(tmp_path), return_after_s=AFTER_S)


def test_the_compositor_offering_the_protocol_comes_first(
    bus: PrivateBus, mutter: FakeMutter, tmp_path: Path
) -> None:
    clock = FakeClock()
    mini = Mini(tmp_path / "wayland-0", clock)
    platform = session(bus, mini, tmp_path, clock)
    try:
        assert platform.idle.name == "wayland-ext-idle-notify"
        assert platform.watch is platform.idle
        assert mutter.calls() == []  # not even asked
    finally:
        platform.close()
        mini.stop()


def test_without_the_protocol_gnome_watches_are_used_and_tick_the_app(
    qtbot: Any, bus: PrivateBus, mutter: FakeMutter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    mini = Mini(tmp_path / "wayland-0", clock, "--no-idle-notify")
    platform = session(bus, mini, tmp_path, clock)
    app = start_app(qtbot, tmp_path, platform)
    app.timer.stop()  # only the notifier may tick now
    ticks: list[float] = []
    tick = app.tick
    monkeypatch.setattr(app, "tick", lambda: (ticks.append(clock.mono()), tick()))
    try:
        report = {c.family: c for c in platform.report()}
        assert platform.idle.name == "gnome-mutter-watches"
        assert [(t.name, t.reason) for t in report["idle source"].tried] == [
            ("wayland-ext-idle-notify", "the compositor does not offer ext_idle_notifier_v1")
        ]
        assert platform.watch is platform.idle
        clock.advance(AFTER_S)
        mutter.idle(AFTER_S)
        qtbot.waitUntil(lambda: len(ticks) == 1, timeout=5000)
        assert platform.idle.idle_seconds() == AFTER_S
        clock.advance(120)
        mutter.input()
        qtbot.waitUntil(lambda: len(ticks) == 2, timeout=5000)
        assert platform.idle.idle_seconds() == 0.0
    finally:
        stop_app(app)
        platform.close()
        mini.stop()
