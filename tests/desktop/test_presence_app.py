"""The app's side of presence: when no idle source works, the tray tooltip and `coach
doctor` say that Coach counts all unlocked time as sitting (on X11 they name XScreenSaver
and say nothing of the kind); the app ticks at once when the user comes back; it closes
the platform's connections when it quits."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from coach.config.paths import Paths
from coach.core.clock import FakeClock
from coach.platform import Platform, detect
from coach.platform.sleep import ClockPair
from coach.platform.x11 import XScreenSaverIdle
from coach.ui import startup
from coach.ui.app import CoachApp
from coach.ui.startup import platform_limitations
from tests.apps import build_app, preferences
from tests.fakes.platform_procs import poll_until, xvfb
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
SAYS = "counts all unlocked time as sitting"


def no_desktop(tmp_path: Path) -> dict[str, str]:
    """No display, no session bus, and a system bus socket that does not exist."""
    return {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-system-bus"}


def make_platform(env: dict[str, str], tmp_path: Path) -> Platform:
    return detect(
        env,
        "linux",
        clocks=ClockPair("fake", lambda: 0.0, lambda: 0.0),
        camera_globs=[str(tmp_path / "video*")],
        microphone_globs=[str(tmp_path / "pcm*c")],
    )


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb() as name:
        yield name


def start_app(qtbot: Any, tmp_path: Path, platform: Platform) -> CoachApp:
    """The app on `platform`, as run_app wires it; close it with stop_app."""
    app = build_app(
        tmp_path,
        sampler=platform,
        clock=FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC)),
        limitations=platform_limitations(platform),
        wake_fd=platform.wake_fd,
    )
    app.tick()
    return app


def stop_app(app: CoachApp) -> None:
    app.close()


def test_the_tooltip_says_all_unlocked_time_counts_on_the_fallback(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = make_platform(no_desktop(tmp_path), tmp_path)
    app = start_app(qtbot, tmp_path, platform)
    try:
        assert platform.idle_fallback and platform.wake_fd is None
        tip = app.tray.icon.toolTip()
        assert tip.startswith("Coach\nSitting now:")
        assert (
            "Coach cannot see keyboard or mouse activity here, so it counts all unlocked "
            "time as sitting."
        ) in tip.splitlines()
        shown: list[tuple[str, str]] = []
        monkeypatch.setattr(app, "notify", lambda title, body: shown.append((title, body)))
        app.tray.show_status()  # "where is Coach?" says it too
        [(title, body)] = shown
        assert title == "Coach" and SAYS in body
    finally:
        stop_app(app)
        platform.close()


def test_on_x11_the_tooltip_has_no_such_line(qtbot: Any, tmp_path: Path, display: str) -> None:
    platform = make_platform({**no_desktop(tmp_path), "DISPLAY": display}, tmp_path)
    app = start_app(qtbot, tmp_path, platform)
    try:
        assert not platform.idle_fallback and platform.wake_fd is not None
        assert SAYS not in "\n".join(platform_limitations(platform))
        assert SAYS not in app.tray.icon.toolTip()
    finally:
        stop_app(app)
        platform.close()


def doctor(tmp_path: Path, *args: str, **env: str) -> str:
    run_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COACH_HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        **no_desktop(tmp_path),
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-m", "coach", "doctor", *args],
        cwd=ROOT,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_doctor_says_so_on_the_fallback(tmp_path: Path) -> None:
    text = doctor(tmp_path)
    assert text.startswith(
        "idle source: fallback\n  Coach cannot see keyboard or mouse "
        "activity here, so it counts all unlocked time as sitting.\n"
    )
    assert "  not x11-xscreensaver: no X display (DISPLAY unset)" in text
    data = json.loads(doctor(tmp_path, "--json"))
    idle = data["adapters"][0]
    assert idle["family"] == "idle source" and idle["active"] == "fallback"
    assert SAYS in idle["meaning"]


def test_doctor_under_xvfb_names_xscreensaver(tmp_path: Path, display: str) -> None:
    text = doctor(tmp_path, DISPLAY=display)
    assert text.startswith(
        "idle source: x11-xscreensaver\n  Coach sees keyboard and mouse "
        "activity through the X server.\n"
    )
    assert SAYS not in text
    assert "return watch: x11-sync-idletime" in text


class CountingPlatform:
    """The real platform, counting the samples the app takes."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.samples = 0

    def sample(self, now: float) -> Any:
        self.samples += 1
        return self.platform.sample(now)


def test_the_app_ticks_at_once_when_the_user_comes_back(
    qtbot: Any, tmp_path: Path, display: str
) -> None:
    require("xdotool")
    env = {**no_desktop(tmp_path), "DISPLAY": display}
    platform = detect(
        env,
        "linux",
        clocks=ClockPair("fake", lambda: 0.0, lambda: 0.0),
        camera_globs=[str(tmp_path / "video*")],
        microphone_globs=[str(tmp_path / "pcm*c")],
        return_after_s=0.2,
    )
    counting = CountingPlatform(platform)
    app = build_app(
        tmp_path,
        sampler=counting,
        clock=FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC)),
        wake_fd=platform.wake_fd,
    )
    observer = XScreenSaverIdle.probe({"DISPLAY": display})
    try:
        app.tick()
        assert counting.samples == 1
        assert poll_until(lambda: observer.idle_seconds() >= 0.3)  # a pause on the real server
        subprocess.run(
            ["xdotool", "mousemove", "33", "44"], env={**os.environ, **env}, check=True, timeout=10
        )
        qtbot.waitUntil(lambda: counting.samples == 2, timeout=5000)  # no timer involved
        assert not select.select([platform.wake_fd], [], [], 0)[0]  # taken: no spinning
    finally:
        observer.close()
        stop_app(app)
        platform.close()


def test_quitting_closes_the_platform(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_app shows the tray icon first, then hands the platform to the app (from the
    event loop) and closes it once the event loop ends."""
    closed: list[bool] = []
    platform = make_platform(no_desktop(tmp_path), tmp_path)
    monkeypatch.setattr(platform, "close", lambda: closed.append(True))
    monkeypatch.setattr("coach.platform.detect", lambda **kw: platform)
    started: list[CoachApp] = []

    def run_loop_once(qapp: QApplication) -> int:  # then the user quits
        assert [app.sampler for app in started] == [None]  # the tray icon came first
        qapp.processEvents()
        return 0

    monkeypatch.setattr(startup.QApplication, "exec", run_loop_once)
    monkeypatch.setattr(CoachApp, "start", lambda self: started.append(self))
    monkeypatch.setattr(startup.Tray, "available", staticmethod(lambda: True))
    monkeypatch.setattr(startup.signal, "signal", lambda *args: None)
    monkeypatch.setattr(startup, "setup_logging", lambda paths: None)
    monkeypatch.setattr(startup, "sync_autostart", lambda *args: None)
    paths = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "policy.toml")
    try:
        assert startup.run_app(preferences(paths), []) == 0
        assert closed == [True]
        [app] = started
        assert app.sampler is platform
    finally:
        for app in started:
            app.close()
