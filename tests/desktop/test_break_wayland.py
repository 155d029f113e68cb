"""The installed `coach run` on a real Wayland compositor (Debian 12's KWin, headless):
the break window, in a process of its own, shows while the user types into another
window; what the user types on answers nothing (KWin gives a new window the keyboard,
and Wayland has no way to refuse it); when the user asks for the break (starting Coach
again), D records it as done. Input comes through KWin's fake-input protocol, as a
user's would."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.test_desktop import COACH
from tests.desktop_session import wait_for
from tests.fakes.kwin_session import FakeInput, KWin, missing
from tests.tools import tool_missing

pytestmark = pytest.mark.desktop
TARGET = Path(__file__).resolve().parents[1] / "fakes" / "typing_target.py"
KEY = {"a": 30, "d": 32, "k": 37, "s": 31, "x": 45, "enter": 28}


@pytest.fixture
def kwin(tmp_path: Path) -> Iterator[KWin]:
    gone = missing()
    if gone:
        tool_missing(f"missing for the Wayland tests: {', '.join(gone)}")
    (tmp_path / "kwin").mkdir()
    session = KWin(tmp_path / "kwin").start()
    yield session
    session.stop()


def test_a_break_on_wayland_answers_nothing_typed_before_the_user_comes(
    kwin: KWin, tmp_path: Path
) -> None:
    user = FakeInput(kwin)
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.1\nexercise_every_min = 240\nidle_after_s = 30\n"
        "micro_duration_s = 20\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(kwin.env, COACH_HOME=str(home), QT_QPA_PLATFORM="wayland")
    log = home / "stdout.log"
    typed = tmp_path / "typed.txt"
    with open(log, "wb") as out:
        coach = subprocess.Popen(
            ["dbus-run-session", "--", str(COACH), "-v", "run"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    target = None
    try:
        # no tray on a bare compositor: Coach says so in a message box; Enter closes it,
        # and Coach logs that it runs without one

        def close_notice() -> bool:
            user.key(KEY["enter"])
            return b"no system tray here" in log.read_bytes()

        wait_for(close_notice, 60, "the no-tray notice to be closed", step=1.0)
        target = subprocess.Popen([sys.executable, str(TARGET), str(typed)], env=env)

        def type_a() -> bool:
            user.key(KEY["a"])
            return typed.exists() and "a" in typed.read_text()

        wait_for(type_a, 30, "the typing target to have the keyboard", step=0.5)

        def working() -> bool:
            user.move()
            return b"on the screen" in log.read_bytes()

        wait_for(working, 60, "the break window on the screen", step=0.5)
        assert b"breaks show in Coach's own" not in log.read_bytes()  # in its own process
        db = home / "coach.sqlite3"

        def outcome() -> list[tuple[str]]:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                return conn.execute("SELECT outcome FROM breaks").fetchall()

        # The user types on. KWin gives a new window the keyboard (Wayland has no way for
        # a window to refuse it), so these letters may land in the break window: none of
        # them is an answer until the user comes to it.
        for letter in ("d", "s", "k", "x", "enter"):
            user.key(KEY[letter])
        time.sleep(1)  # what the keys could have done, done
        assert outcome() == [("open",)]

        again = subprocess.run(
            ["dbus-run-session", "--", str(COACH), "run"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        assert again.returncode == 0
        time.sleep(1)  # the request travels: second start -> Coach -> the window's process

        def done() -> bool:
            if outcome() != [("done",)]:
                user.key(KEY["d"])
            return outcome() == [("done",)]

        wait_for(done, 15, "D to record the break as done", step=1.0)
    finally:
        if target is not None:
            target.terminate()
            target.wait(timeout=20)
        coach.terminate()
        coach.wait(timeout=20)
        user.close()
        print(log.read_text(errors="replace"))
