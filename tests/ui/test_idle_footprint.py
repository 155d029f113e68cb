"""What the idle tray app keeps out of memory (bench/bench_idle.py has the figures)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_pyside6_keeps_no_module_source_in_memory() -> None:
    """PySide6 reads every imported module's source to look for "PySide6"; through
    inspect that would keep all of it in linecache (megabytes, all day). coach.ui gives
    it the same answer from a plain file read."""
    code = (
        "import linecache, sys, coach.ui.app, coach.core.engine\n"
        "seen = sys.modules['shibokensupport.feature'].pyside_feature_dict\n"
        "print(sorted(f for f in linecache.cache if '/coach/' in f))\n"
        "print(seen['coach.ui.tray'], seen['coach.core.engine'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "0 -1"]  # nothing kept; a PySide6 user, and a module without


IDLE_APP = """
import enum, sys
from datetime import datetime, timezone
from pathlib import Path
from PySide6.QtCore import QTimer
import coach.ui.app as app_mod
from coach.history.store import Store

store = Store.open(Path(sys.argv[1]) / "coach.sqlite3")  # the first-run notice was shown
store.mark_notice_shown(app_mod.FIRST_RUN, datetime.now(timezone.utc))
store.mark_notice_shown(app_mod.FIRST_SETUP, datetime.now(timezone.utc))
store.close()
app_mod.Tray.available = staticmethod(lambda: True)  # offscreen has none: no message box
start = app_mod.CoachApp.start

def start_then_report(self):
    start(self)
    def report():
        names = set()
        def walk(cls):
            for sub in cls.__subclasses__():
                walk(sub)
                names.add(f"{sub.__module__}.{sub.__qualname__}")
        walk(enum.Enum)
        print(sorted(n for n in names if n.startswith("PySide6.QtCore.Qt.")))
        print(sorted(m for m in sys.modules if m.startswith("PySide6.Qt")))
        self.quit()
    self._rhythm_later.stop()
    self._start_rhythm_later()  # what the delayed timer does; no waiting for it
    QTimer.singleShot(0, report)

app_mod.CoachApp.start = start_then_report
from coach.cli import main
main(["run"])
"""


def test_the_idle_tray_app_leaves_heavy_qt_parts_unloaded(tmp_path: Path) -> None:
    """Until the first break: no QtNetwork (2.6 MiB; Windows only needs it), no QtSvg or
    QtCharts, and not Qt's namespace of enums (over a MiB and 20 ms of start-up)."""
    env = dict(
        os.environ,
        COACH_HOME=str(tmp_path),
        COACH_POLICY=str(tmp_path / "none"),
        QT_QPA_PLATFORM="offscreen",
    )
    out = subprocess.run(
        [sys.executable, "-c", IDLE_APP, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    enums, modules = out.stdout.splitlines()[-2:]
    assert enums == "[]"
    assert modules == str(["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"])


def thread_counts(code: str, home: Path) -> tuple[int, int]:
    """Run `code` in a fresh offscreen process; it prints its thread count before and
    after the work."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COACH_HOME=str(home), PYTHONPATH=str(root))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    before, after = map(int, out)
    return before, after


RING_STEPS = """
import os
import coach.ui
from PySide6.QtWidgets import QApplication
from coach.ui import tray_icon

app = QApplication([])
before = sorted(os.listdir("/proc/self/task"))
for state in ("normal", "due", "urgent", "paused"):
    for step in range(25):
        tray_icon.icon(step / 24, state)
print(len(before), len(os.listdir("/proc/self/task")))
"""


def test_painting_the_tray_ring_starts_no_thread(tmp_path: Path) -> None:
    """Every step of the ring in every state, painted in a fresh process: the thread count
    stays where it was (a gradient brush made Qt fill the ring in its thread pool, two
    threads at every step of a working day, each living 30 s)."""
    before, after = thread_counts(RING_STEPS, tmp_path)
    assert after == before


A_BREAK = """
import os, sys
import coach.ui
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from coach.core.events import Tier
from coach.exercises import catalog
from tests.breaks import due_break

app = QApplication([])

def settle(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

from coach.ui.break_window import BreakWindow  # loaded and built ahead, as the app does

window = BreakWindow("en", "footer")
settle(50)
before = len(os.listdir("/proc/self/task"))
counts = []
for exercise in [None, *catalog.load_library()[0]]:
    window.show_break(due_break(exercise, Tier.EXERCISE, 150))
    settle(100)  # shown and painted
    for _ in range(3):
        window._count_down()
        settle(20)
    window.close_break()
    window.deleteLater()
    settle(20)
    counts.append(len(os.listdir("/proc/self/task")))
    window = BreakWindow("en", "footer")
print(before, max(counts))
"""


def test_showing_breaks_starts_no_thread(tmp_path: Path) -> None:
    """Every break of the library (and the plain stand-up) shown, counted down and
    closed, each in a window built ahead as the app builds it: no thread starts (the
    window sized for no steps scrolled, and Qt fills the scroll bar's gradients in its
    thread pool: two threads at every break, each living 30 s)."""
    before, after = thread_counts(A_BREAK, tmp_path)
    assert after == before


BREAKS_IN_THEIR_PROCESS = """
import os, tempfile
from pathlib import Path
import coach.ui
import coach.notify
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from tests.apps import build_app

coach.notify.system_notifiers = lambda *args, **kw: []
qapp = QApplication([])
app = build_app(Path(tempfile.mkdtemp()), break_process=True)
app.tick()
before = len(os.listdir("/proc/self/task"))
counts = []
for _ in range(3):
    app.take_break_now()
    shown = []
    app._view.shown.connect(shown.append)
    while not shown:
        qapp.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    app.answer(shown[0], "done")
    qapp.processEvents()
    counts.append(len(os.listdir("/proc/self/task")))
app.close()
print(before, max(counts))
"""


def test_breaks_in_their_own_process_start_no_thread_in_coach(tmp_path: Path) -> None:
    """Three breaks, each in a window process started, answered and ended as `coach run`
    does it: the tray app's thread count stays where it was."""
    before, after = thread_counts(BREAKS_IN_THEIR_PROCESS, tmp_path)
    assert after == before


GRADIENT = """
import os, sys
import coach.ui
from PySide6.QtGui import QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QApplication

if sys.argv[1] == "app":
    from coach.ui.startup import keep_painting_in_one_thread

    keep_painting_in_one_thread()
app = QApplication([])
before = len(os.listdir("/proc/self/task"))
image = QImage(400, 400, QImage.Format.Format_ARGB32_Premultiplied)
painter = QPainter(image)
painter.fillRect(image.rect(), QLinearGradient(0, 0, 400, 0))
painter.end()
print(before, len(os.listdir("/proc/self/task")))
"""


def test_the_app_paints_large_gradients_without_qt_s_thread_pool(tmp_path: Path) -> None:
    """A gradient as tall as a scroll bar on a small screen: Qt fills it in its thread
    pool (two threads, 30 s each), but not in the app, which `run_app` sets up with
    Qt's switch for that (if a Qt release drops the switch, this fails)."""
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env.update(QT_QPA_PLATFORM="offscreen", COACH_HOME=str(tmp_path))
    counts = {}
    for mode in ("qt", "app"):
        out = subprocess.run(
            [sys.executable, "-c", GRADIENT, mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        counts[mode] = tuple(map(int, out.stdout.split()))
    qt_before, qt_after = counts["qt"]
    assert qt_after > qt_before  # Qt's own way: the pool starts
    app_before, app_after = counts["app"]
    assert app_after == app_before
