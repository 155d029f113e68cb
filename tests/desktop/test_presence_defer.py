"""Meetings and fullscreen defer breaks, end to end: a real fullscreen window under a
real window manager (Xvfb + fluxbox), or a camera held open by another process, read by
the real platform layer; the service runs on a FakeClock while the user keeps typing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.config.settings import Settings
from coach.core import events as ev
from coach.core.clock import FakeClock
from coach.core.events import Event
from coach.history.store import Store
from coach.platform import Platform, detect
from coach.platform.sleep import ClockPair
from coach.service import CoachService
from coach.ui.app import ACTIVE_TICK_MS
from tests.desktop_session import DesktopSession, missing_tools
from tests.fakes.picker import TierPicker
from tests.fakes.platform_procs import DeviceHolder, poll_until, read_line, stop
from tests.tools import tool_missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
TICK_S = ACTIVE_TICK_MS / 1000
SETTINGS = Settings(micro_every_min=1, exercise_every_min=30)  # a short break after 60 s
BUSY_FROM, BUSY_UNTIL, END = 25.0, 200.0, 260.0

# A presentation: a Qt window that asks the window manager for fullscreen, and leaves
# it when told so on stdin.
PRESENTATION = r"""
import sys
from PySide6.QtCore import QSocketNotifier, Qt
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv)
slide = QLabel("Quarterly figures")
slide.setAlignment(Qt.AlignmentFlag.AlignCenter)
slide.setStyleSheet("font-size: 64px; background: #1d3557; color: white;")
slide.showFullScreen()
print("shown", flush=True)


def command() -> None:
    line = sys.stdin.readline().strip()
    if line == "normal":
        slide.showNormal()
        slide.resize(720, 405)
        print("normal", flush=True)
    else:
        app.quit()


notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
notifier.activated.connect(command)
app.exec()
"""


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    missing = missing_tools()
    if missing:
        tool_missing(f"desktop tools missing: {', '.join(missing)}")
    session = DesktopSession(tmp_path_factory.mktemp("desktop")).start()
    yield session
    session.stop()


def platform_for(desktop: DesktopSession, tmp_path: Path, clock: FakeClock) -> Platform:
    env = {**desktop.env, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-system-bus"}
    return detect(
        env,
        "linux",
        clocks=ClockPair("fake", clock.mono, clock.mono),
        camera_globs=[str(tmp_path / "video*")],
        microphone_globs=[str(tmp_path / "pcmC*D*c")],
    )


def run_day(
    desktop: DesktopSession,
    tmp_path: Path,
    clock: FakeClock,
    platform: Platform,
    begin: Callable[[], None],
    end: Callable[[], None],
) -> list[Event]:
    """Type all along (an input before every 5 s tick); `begin()` the meeting or
    presentation at BUSY_FROM and `end()` it at BUSY_UNTIL. Returns the events."""
    store = Store.open(tmp_path / "coach.sqlite3")
    service = CoachService(SETTINGS, store, clock, TierPicker())
    origin = clock.mono()
    events: list[Event] = []
    t, x = 0.0, 0
    try:
        while t <= END:
            if t == BUSY_FROM:
                begin()
            if t == BUSY_UNTIL:
                end()
            x = 1 - x
            desktop.xdotool("mousemove", str(100 + x), "100")  # even while typing
            events += service.tick(platform.sample(clock.mono()))
            clock.advance(TICK_S)
            t += TICK_S
    finally:
        service.finish()
        store.close()
    return [replace(e, at=e.at - origin) for e in events]


def assert_deferred_then_shown(events: list[Event]) -> None:
    due = [e for e in events if isinstance(e, ev.BreakDue)]
    heads_up = [e for e in events if isinstance(e, ev.HeadsUp)]
    # Due after 60 s of sitting, which falls in the busy span: nothing shows during it.
    assert all(not BUSY_FROM <= e.at < BUSY_UNTIL for e in due + heads_up)
    assert [e.tier for e in due] == [ev.Tier.MICRO]
    [shown] = due
    assert shown.at - BUSY_UNTIL <= 60  # within a minute after it ended
    assert shown.at == BUSY_UNTIL  # in fact at the first tick after it ended
    assert shown.sat_s >= BUSY_UNTIL - 5  # the sitting went on being counted


def test_a_fullscreen_presentation_defers_the_break_until_it_ends(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    platform = platform_for(desktop, tmp_path, clock)
    fullscreen = platform.signals.get("fullscreen")
    assert fullscreen is not None, platform.report_lines()
    assert fullscreen.name == "x11-fullscreen"
    env = {**desktop.env, "PYTHONPATH": str(ROOT)}
    app: list[subprocess.Popen[str]] = []

    def begin() -> None:
        proc = subprocess.Popen(
            [sys.executable, "-c", PRESENTATION],
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        app.append(proc)
        assert read_line(proc) == "shown"
        assert poll_until(fullscreen.active), "fluxbox did not make the window fullscreen"
        desktop.screenshot(ARTIFACTS / "presence-fullscreen.png")
        assert platform.sample(clock.mono()).busy

    def end() -> None:
        proc = app[0]
        assert proc.stdin is not None
        proc.stdin.write("normal\n")
        proc.stdin.flush()
        assert read_line(proc) == "normal"
        assert poll_until(lambda: not fullscreen.active()), "still fullscreen"
        desktop.screenshot(ARTIFACTS / "presence-after-fullscreen.png")

    try:
        events = run_day(desktop, tmp_path, clock, platform, begin, end)
    finally:
        for proc in app:
            if proc.stdin is not None:
                proc.stdin.close()  # the presentation quits
            stop(proc)
        platform.close()
    assert_deferred_then_shown(events)


def test_a_call_holding_the_camera_defers_the_break_until_it_ends(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    (tmp_path / "video0").write_bytes(b"")  # stands in for /dev/video0
    platform = platform_for(desktop, tmp_path, clock)
    assert "camera" in platform.signals
    calls: list[DeviceHolder] = []

    def begin() -> None:
        calls.append(DeviceHolder(tmp_path / "video0"))

    def end() -> None:
        calls[0].stop()

    try:
        events = run_day(desktop, tmp_path, clock, platform, begin, end)
    finally:
        for call in calls:
            call.stop()
        platform.close()
    assert_deferred_then_shown(events)
