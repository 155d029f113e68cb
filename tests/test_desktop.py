"""The installed `coach run` on a real X desktop: Xvfb, fluxbox's tray, dunst, xdotool.

Short intervals come from a settings file; xdotool moves the mouse as the user would,
waits for the break window, clicks Done, and the store must have recorded it.
Screenshots go to artifacts/.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop_session import DesktopSession, missing_tools, wait_for

pytestmark = pytest.mark.desktop
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
COACH = Path(sys.executable).with_name("coach")
WINDOW_TITLE = "Coach: time to move"


def _require_tools() -> None:
    missing = missing_tools()
    if missing and not os.environ.get("CI"):
        pytest.skip(f"desktop tools missing: {', '.join(missing)} (scripts/setup.sh --test)")
    assert not missing, f"CI must have the desktop tools: {missing}"
    assert COACH.exists(), f"the installed coach command is missing at {COACH}"


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[DesktopSession]:
    _require_tools()
    session = DesktopSession(tmp_path / "desktop").start()
    yield session
    session.stop()


class RunningCoach:
    def __init__(self, desktop: DesktopSession, home: Path) -> None:
        self.desktop = desktop
        self.home = home
        self.log = home / "stdout.log"
        self.env = dict(desktop.env, COACH_HOME=str(home))
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([str(COACH), "-v", "run"], env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT)
        self._moves = 0

    def wiggle(self) -> None:
        """User input: a small mouse move (resets the X idle counter)."""
        self._moves += 1
        self.desktop.xdotool("mousemove", str(200 + self._moves % 50), "200")

    def window(self) -> str:
        return self.desktop.xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE,
                                   check=False)

    def wait_for_break(self, timeout: float) -> str:
        def poll() -> str:
            self.wiggle()
            return self.window()
        return str(wait_for(poll, timeout, "the break window", step=0.5))

    def breaks(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.home / "coach.sqlite3") as db:
            return db.execute("SELECT kind, outcome FROM breaks ORDER BY id").fetchall()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=20)


def test_break_loop_on_a_real_desktop(desktop: DesktopSession, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.25\nexercise_every_min = 30\nidle_after_s = 30\n"
        "micro_duration_s = 20\n")
    coach = RunningCoach(desktop, home)
    try:
        wait_for(lambda: b"tray icon shown" in coach.log.read_bytes(), 20, "the tray icon")
        time.sleep(1.5)  # let the tray embed and paint the icon before the screenshot
        desktop.screenshot(ARTIFACTS / "desktop-tray.png")

        window = coach.wait_for_break(60)
        time.sleep(1.5)  # let the window finish mapping before the screenshot
        desktop.screenshot(ARTIFACTS / "desktop-break-window.png")
        assert coach.breaks() == [("micro", "open")]

        # A second `coach run` asks the first to show itself and exits 0.
        second = subprocess.run([str(COACH), "run"], env=coach.env, capture_output=True,
                                text=True, timeout=20)
        assert second.returncode == 0
        assert "already running" in second.stdout

        # Click Done: the primary button sits in the bottom-right corner of the window.
        geometry = dict(line.split("=") for line in desktop.xdotool(
            "getwindowgeometry", "--shell", window).splitlines())
        x = int(geometry["X"]) + int(geometry["WIDTH"]) - 60
        y = int(geometry["Y"]) + int(geometry["HEIGHT"]) - 66
        desktop.xdotool("mousemove", str(x), str(y))
        desktop.xdotool("click", "1")
        wait_for(lambda: coach.breaks() == [("micro", "done")], 10, "Done to be recorded")
        wait_for(lambda: not coach.window(), 10, "the break window to close")
    finally:
        code = coach.stop()
        print(coach.log.read_text(errors="replace"))
    assert code == 0
    with sqlite3.connect(home / "coach.sqlite3") as db:
        bouts = db.execute("SELECT sat_s FROM bouts").fetchall()
        ended = db.execute("SELECT ended FROM runs").fetchall()
    assert bouts and all(sat > 0 for (sat,) in bouts)
    assert ended[0][0] is not None  # the run was closed cleanly
