"""The installed `coach run` on a real X desktop: Xvfb, fluxbox's tray, dunst, xdotool.

Short intervals come from a settings file; xdotool moves the mouse as the user would,
waits for the break window, clicks Done, and the store must have recorded it.
Screenshots go to artifacts/.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop_session import DesktopSession, missing_tools, wait_for
from tests.tools import tool_missing

pytestmark = pytest.mark.desktop
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
COACH = Path(sys.executable).with_name("coach")
WINDOW_TITLE = "Coach: time to move"


def _require_tools() -> None:
    missing = missing_tools()
    if missing:
        tool_missing(f"desktop tools missing: {', '.join(missing)}")
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
            self.proc = subprocess.Popen(
                [str(COACH), "-v", "run"], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self._moves = 0

    def wiggle(self) -> None:
        """User input: a small mouse move (resets the X idle counter)."""
        self._moves += 1
        self.desktop.xdotool("mousemove", str(200 + self._moves % 50), "200")

    def window(self) -> str:
        return self.desktop.xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE, check=False)

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
        "micro_duration_s = 20\n"
    )
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
        second = subprocess.run(
            [str(COACH), "run"], env=coach.env, capture_output=True, text=True, timeout=20
        )
        assert second.returncode == 0
        assert "already running" in second.stdout

        # Click Done: the primary button sits in the bottom-right corner of the window.
        geometry = dict(
            line.split("=")
            for line in desktop.xdotool("getwindowgeometry", "--shell", window).splitlines()
        )
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


def test_a_break_taken_away_from_the_desk_is_recorded_done(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    """The person gets up when the break appears and stays away past the countdown, the
    missed timeout and a natural break's length: the record says done, and so does the
    notification they find on their return."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.25\nexercise_every_min = 30\nidle_after_s = 8\n"
        "micro_duration_s = 15\nmissed_after_min = 0.5\nmicro_reset_min = 0.25\n"
    )
    coach = RunningCoach(desktop, home)
    try:
        wait_for(lambda: b"tray icon shown" in coach.log.read_bytes(), 20, "the tray icon")
        coach.wait_for_break(60)
        assert coach.breaks() == [("micro", "open")]
        # No input from here on: away for the whole countdown and the missed timeout.
        wait_for(lambda: not coach.window(), 40, "the window to close by itself", step=1)
        time.sleep(40 - 15)  # away past the missed timeout (30 s) and back
        coach.wiggle()
        time.sleep(6)  # the next tick sees the return
        assert coach.breaks() == [("micro", "done")]
        subprocess.run(["dunstctl", "close-all"], env=desktop.env, check=True)
        history = subprocess.run(
            ["dunstctl", "history"], env=desktop.env, capture_output=True, text=True
        )
        assert "counts as done" in history.stdout
    finally:
        code = coach.stop()
        print(coach.log.read_text(errors="replace"))
    assert code == 0


@pytest.mark.parametrize("ending", ["SIGHUP", "lost display"])
def test_closing_the_terminal_or_losing_the_display_ends_the_run_cleanly(
    desktop: DesktopSession, tmp_path: Path, ending: str
) -> None:
    """Like SIGTERM: the bout sat so far is recorded whole and the run is ended."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text("idle_after_s = 30\n")
    coach = RunningCoach(desktop, home)
    try:
        wait_for(lambda: b"tray icon shown" in coach.log.read_bytes(), 20, "the tray icon")
        started = time.monotonic()
        while time.monotonic() - started < 12:  # sits 12 s: less than the write-ahead
            coach.wiggle()
            time.sleep(0.5)
        if ending == "SIGHUP":
            coach.proc.send_signal(signal.SIGHUP)
        else:
            desktop.procs[0].kill()  # Xvfb: the X connection breaks
        coach.proc.wait(timeout=20)
    finally:
        coach.stop()
        print(coach.log.read_text(errors="replace"))
    with sqlite3.connect(home / "coach.sqlite3") as db:
        sat = db.execute("SELECT SUM(sat_s) FROM bouts").fetchone()[0]
        ended = db.execute("SELECT ended FROM runs").fetchall()
    assert sat is not None and sat >= 8  # the bout, though shorter than the write-ahead
    assert ended[0][0] is not None


TARGET = Path(__file__).resolve().parents[1] / "fakes" / "typing_target.py"


def _start_target(
    desktop: DesktopSession, out: Path, *extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    proc = subprocess.Popen(
        [sys.executable, str(TARGET), str(out), *extra],
        env=desktop.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    window = str(
        wait_for(
            lambda: desktop.xdotool(
                "search", "--onlyvisible", "--name", "Typing target", check=False
            ),
            20,
            "the typing target",
        )
    )
    desktop.xdotool("windowactivate", "--sync", window)
    return proc, window


def test_typing_is_never_interrupted_and_snooze_comes_back(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.3\nexercise_every_min = 30\nidle_after_s = 30\n"
        "snooze_min = 0.1\nmicro_duration_s = 20\n"
    )
    typed_file = tmp_path / "typed.txt"
    target, target_window = _start_target(desktop, typed_file)
    coach = RunningCoach(desktop, home)
    typed = ""
    try:
        wait_for(lambda: b"tray icon shown" in coach.log.read_bytes(), 20, "the tray icon")
        deadline = time.monotonic() + 60
        words = iter(f"word{n} " for n in range(10_000))
        while not coach.window() and time.monotonic() < deadline:
            chunk = next(words)
            desktop.xdotool("type", "--delay", "40", chunk)  # the user keeps writing
            typed += chunk
        assert coach.window(), "no break within a minute of typing"
        for _ in range(8):  # and goes on writing while the break is on screen
            chunk = next(words)
            desktop.xdotool("type", "--delay", "40", chunk)
            typed += chunk
        try:  # a loaded machine delays the target's writes: wait, then say what is missing
            wait_for(
                lambda: typed_file.exists() and typed_file.read_text() == typed,
                30,
                "every keystroke to land in the typing target",
            )
        except TimeoutError:
            got = typed_file.read_text() if typed_file.exists() else ""
            desktop.screenshot(ARTIFACTS / "desktop-typing-failed.png")
            missing = [word for word in typed.split() if word not in got.split()]
            raise AssertionError(f"keystrokes did not land: missing {missing[:20]}") from None
        assert desktop.xdotool("getactivewindow") == target_window
        desktop.screenshot(ARTIFACTS / "desktop-break-while-typing.png")

        # The heads-up reached the notification daemon (closing moves it to history).
        subprocess.run(["dunstctl", "close-all"], env=desktop.env, check=True)
        history = subprocess.run(
            ["dunstctl", "history"], env=desktop.env, capture_output=True, text=True
        )
        assert "A break is coming" in history.stdout

        # Snooze from the keyboard once the user clicks into the window.
        break_window = coach.window()
        desktop.xdotool("mousemove", "--window", break_window, "60", "30")
        desktop.xdotool("click", "1")
        wait_for(
            lambda: desktop.xdotool("getactivewindow") == break_window,
            5,
            "the click to give the break window the keyboard",
        )
        desktop.xdotool("key", "s")
        wait_for(lambda: ("micro", "snoozed") in coach.breaks(), 10, "the snooze")
        wait_for(lambda: not coach.window(), 10, "the window to go")
        wait_for(lambda: coach.window(), 30, "the snoozed break to come back", step=0.5)
        assert coach.breaks() == [("micro", "open")]
    finally:
        coach.stop()
        target.terminate()
        target.wait(10)


def test_fullscreen_defers_the_break_until_it_closes(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.2\nexercise_every_min = 30\nidle_after_s = 30\n"
    )
    target, _window = _start_target(desktop, tmp_path / "typed.txt", "--fullscreen")
    coach = RunningCoach(desktop, home)
    try:
        wait_for(lambda: b"tray icon shown" in coach.log.read_bytes(), 20, "the tray icon")
        deadline = time.monotonic() + 25  # the break falls due after 12 s of input
        while time.monotonic() < deadline:
            coach.wiggle()
            assert not coach.window(), "a break popped up over a fullscreen window"
            time.sleep(0.5)
        desktop.screenshot(ARTIFACTS / "desktop-fullscreen-no-break.png")
        target.terminate()
        target.wait(10)
        coach.wait_for_break(30)
    finally:
        coach.stop()
        if target.poll() is None:
            target.terminate()
            target.wait(10)
