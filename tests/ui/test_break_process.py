"""The break window in a process of its own (coach/ui/break_process.py), as `coach run`
shows it: a real child process on the test's X display, answered with real key presses
(xdotool); when that process cannot start or dies, the break shows in Coach's own."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coach import i18n
from coach.i18n import _
from coach.ui import break_link as link
from coach.ui import break_process
from coach.ui.break_process import BreakProcess
from coach.ui.break_window import BreakWindow
from tests.tools import require

TITLE = "Coach: time to move"
SHOW_MS = 60_000  # a cold start of Python and Qt on a loaded machine


def _xdotool(*args: str) -> str:
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _shown(qtbot: Any, app: Any) -> BreakProcess:
    """Take a break now and wait until its process has it on the screen."""
    app.take_break_now()
    process = app._view
    assert isinstance(process, BreakProcess)
    with qtbot.waitSignal(process.shown, timeout=SHOW_MS) as shown:
        pass
    assert shown.args == [app.status().break_id]
    return process


def test_a_break_shows_in_its_own_process_and_its_answer_is_recorded(
    make_app: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("xdotool", "xprop")
    monkeypatch.setenv("SESSION_MANAGER", "local/test:@/tmp/.ICE-unix/1")
    app = make_app(break_process=True)
    process = _shown(qtbot, app)
    pid = process._process.processId()
    assert pid not in (0, os.getpid())
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert not any(v.startswith(b"SESSION_MANAGER=") for v in environ)  # no session client
    assert any(v.startswith(b"DISPLAY=") for v in environ)  # the rest is inherited
    window = _xdotool("search", "--onlyvisible", "--pid", str(pid), "--name", TITLE)
    assert window, "no break window of the child process on the display"
    wm_class = subprocess.run(["xprop", "-id", window, "WM_CLASS"], capture_output=True, text=True)
    assert wm_class.stdout.split("=")[1].split(",")[0].strip() == '"coach"'  # as the tray app

    app.focus_break()  # the tray's "Go to the break": the keyboard goes there
    qtbot.waitUntil(lambda: _xdotool("getwindowfocus") == window, timeout=10_000)
    _xdotool("key", "d")  # Done
    qtbot.waitUntil(lambda: app.status().break_id is None, timeout=10_000)
    rows = app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall()
    assert rows == [("done",)]
    assert app._view is None  # the break is over: its process ends
    qtbot.waitUntil(lambda: not Path(f"/proc/{pid}").exists(), timeout=10_000)


def test_the_window_process_runs_coach_s_own_code_whatever_the_folder(
    make_app: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A folder named coach where Coach was started, or another Coach on PYTHONPATH, is
    not what the break window's process imports."""
    for root in (tmp_path / "here", tmp_path / "path"):
        (root / "coach").mkdir(parents=True)
        (root / "coach" / "__init__.py").write_text("raise SystemExit('not this coach')\n")
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "path"))
    app = make_app(break_process=True)
    _shown(qtbot, app)  # in the process, not handed back


def test_a_language_switch_reaches_the_window_in_its_process(make_app: Any, qtbot: Any) -> None:
    require("xdotool")
    app = make_app(break_process=True)
    pid = str(_shown(qtbot, app)._process.processId())
    assert _xdotool("search", "--pid", pid, "--name", TITLE)
    app.apply_settings(dataclasses.replace(app.settings, language="nl"))
    dutch = _(TITLE)
    assert dutch != TITLE
    qtbot.waitUntil(lambda: bool(_xdotool("search", "--pid", pid, "--name", dutch)), timeout=10_000)


def test_a_break_whose_process_dies_shows_at_once_in_coach(make_app: Any, qtbot: Any) -> None:
    app = make_app(break_process=True)
    process = _shown(qtbot, app)
    break_id = app.status().break_id
    os.kill(process._process.processId(), signal.SIGKILL)
    qtbot.waitUntil(lambda: isinstance(app._view, BreakWindow), timeout=10_000)
    assert app.window.isVisible() and app.window.break_id == break_id
    assert app.break_process  # one failure: the next break tries a process again
    app.window.done_button.click()
    assert app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall() == [("done",)]


@pytest.mark.parametrize(
    "child",
    [
        ["-c", "import sys; sys.exit(3)"],  # starts, then ends before the window
        ["-c", "import time; time.sleep(60)"],  # starts, never shows the break
        None,  # cannot start at all
    ],
    ids=["ends", "hangs", "cannot-start"],
)
def test_a_process_that_fails_twice_leaves_breaks_to_coach(
    make_app: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, child: Any
) -> None:
    if child is None:
        monkeypatch.setattr(break_process.sys, "executable", str(tmp_path / "no-python"))
    else:
        monkeypatch.setattr(break_process, "CHILD", child)
    monkeypatch.setattr(break_process, "SHOW_WAIT_MS", 300)  # not 20 s for a hung one
    app = make_app(break_process=True)
    for answered in (1, 2):
        app.take_break_now()
        qtbot.waitUntil(lambda: isinstance(app._view, BreakWindow), timeout=SHOW_MS)
        assert app.window.isVisible()
        app.window.done_button.click()
        done = app.service.store.conn.execute("SELECT count(*) FROM breaks").fetchone()
        assert done == (answered,)
    assert not app.break_process  # no third try: the breaks stay in Coach's process


def test_the_window_process_ends_when_coach_is_gone(qtbot: Any) -> None:
    """A killed Coach closes the child's stdin: the child ends by itself, no window is
    left (here the pipe is closed without a word, as Coach's end closes it)."""
    from PySide6.QtCore import QObject

    owner = QObject()
    process = BreakProcess("en", "footer", "off", owner)
    process.start()
    qtbot.waitUntil(lambda: process.ready, timeout=SHOW_MS)
    with qtbot.waitSignal(process.failed, timeout=30_000) as ended:
        process._process.closeWriteChannel()
    assert ended.args == [None]  # no break was showing
    assert process._process.exitCode() == 0


def test_the_window_process_does_what_it_is_told(qtbot: Any) -> None:
    """The child's side, in this process: Open builds the window in the language and with
    the motion asked for, Show shows the break and says Shown, an answer goes back,
    Relabel switches the language, Close ends it (a closed pipe: the test above)."""
    from coach.core.events import Answer, Tier
    from coach.exercises import catalog
    from coach.ui.break_child import BreakChild
    from tests.breaks import due_break

    to_child, to_us = os.pipe(), os.pipe()
    ended: list[int] = []
    child = BreakChild(to_child[0], to_us[1], ended.append)
    reader = link.Reader()
    heard: list[object] = []

    def say(message: link.ToWindow) -> None:
        os.write(to_child[1], link.encode(message))

    def hear(count: int) -> list[object]:
        os.set_blocking(to_us[0], False)

        def more() -> bool:
            try:
                heard.extend(reader.feed(os.read(to_us[0], 65536)))
            except BlockingIOError:
                pass
            return len(heard) >= count

        qtbot.waitUntil(more, timeout=10_000)
        return heard[:count]

    say(link.Open("nl", "Stop bij pijn.", "on"))
    assert hear(1) == [link.Ready()]
    window = child.window
    assert window is not None and window.lang == "nl" and window.reduce_motion
    assert window.footer.text() == "Stop bij pijn."
    exercise = catalog.load_library(None)[0][0]
    say(link.Show(due_break(exercise, Tier.EXERCISE, 150, break_id=7)))
    assert hear(2)[1] == link.Shown(7)
    assert window.isVisible() and window.title.text() == exercise.text("nl").title
    window.done_button.click()
    assert hear(3)[2] == link.Answered(7, Answer.DONE, "")
    say(link.Relabel("en", "Stop if it hurts."))
    qtbot.waitUntil(lambda: window.title.text() == exercise.text("en").title, timeout=10_000)
    assert window.footer.text() == "Stop if it hurts." and window.windowTitle() == TITLE
    say(link.Close())
    qtbot.waitUntil(lambda: ended == [0], timeout=10_000)
    assert not window.isVisible() and not child.notifier.isEnabled()  # it reads no more
    for fd in (to_child[0], *to_us):
        os.close(fd)
    i18n.use("en")  # the child switched this process's catalogs


def test_the_window_process_ends_on_what_it_does_not_understand(qtbot: Any) -> None:
    """A break before the window exists (another version of Coach, a window that could not
    be built): the process ends at once, and Coach shows the break itself."""
    from coach.ui.break_child import BreakChild

    to_child, to_us = os.pipe(), os.pipe()
    ended: list[int] = []
    child = BreakChild(to_child[0], to_us[1], ended.append)
    os.write(to_child[1], link.encode(link.Focus()))
    qtbot.waitUntil(lambda: ended == [2], timeout=10_000)
    assert child.window is None
    for fd in (*to_child, *to_us):
        os.close(fd)
