"""The Wayland watch driven by the Qt event loop: the app's socket notifier on the
compositor connection ticks at the idle event and at the moment input comes back, and
not at all while the user is active (no thread, no polling). The compositor is the
mini compositor with ext-idle-notify version 2 (tests/fakes/mini_compositor.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from coach.core.clock import FakeClock
from coach.platform import detect
from coach.platform.sleep import ClockPair
from coach.ui.app import CoachApp
from coach.ui.startup import platform_limitations
from tests.desktop.test_presence_app import start_app, stop_app
from tests.desktop.test_presence_wayland_v2 import AFTER_S, Mini


@pytest.fixture
def mini(tmp_path: Path) -> Iterator[Mini]:
    m = Mini(tmp_path / "wayland-mini", FakeClock())
    yield m
    m.stop()


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def test_the_socket_notifier_ticks_at_idle_and_at_return_only(
    qtbot: Any, tmp_path: Path, mini: Mini, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "WAYLAND_DISPLAY": str(mini.socket),
        "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus",
    }
    clock = mini.clock
    platform = detect(
        env,
        "linux",
        clocks=ClockPair("fake", clock.mono, clock.mono),
        proc_root=str(tmp_path),
        return_after_s=AFTER_S,
    )
    app: CoachApp = start_app(qtbot, tmp_path, platform)
    app.timer.stop()  # only the notifier may tick now
    ticks: list[float] = []
    tick = app.tick
    monkeypatch.setattr(app, "tick", lambda: (ticks.append(clock.mono()), tick()))
    try:
        assert platform.wake_fd == platform.idle.fileno()
        for _ in range(10):  # typing, 5 s apart: never idle for AFTER_S
            mini.advance(5)
            mini.send("input")
        settle()
        assert ticks == []
        mini.advance(AFTER_S)  # a pause: the compositor says idle
        qtbot.waitUntil(lambda: len(ticks) == 1, timeout=5000)
        clock.advance(300)
        mini.send("input")  # back: the tick comes at this very input
        qtbot.waitUntil(lambda: len(ticks) == 2, timeout=5000)
        assert ticks[1] == clock.mono()
        assert platform.idle.idle_seconds() == 0.0
        settle()
        assert len(ticks) == 2  # the descriptor went quiet again
        tip = app.tray.icon.toolTip()
        cannot, instead = platform_limitations(platform)
        assert cannot.startswith("Coach cannot see fullscreen windows here")
        assert instead == "Instead, break popups wait while Coach sees: idle inhibitor."
        assert cannot in tip.splitlines() and instead in tip.splitlines()
    finally:
        stop_app(app)
        platform.close()
