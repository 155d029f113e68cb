"""The launch of `coach run` up to its tray icon (issue 19, target 4; figures in
bench/README.md): what waits until the icon is shown is still done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COLLECTION_AFTER_THE_ICON = """
import gc, sys
from PySide6.QtWidgets import QApplication
import coach.ui.startup as startup
from coach.ui.tray import Tray

Tray.available = staticmethod(lambda: True)  # offscreen has none: no message box
show = Tray.show

LATER = ("apscheduler", "configparser", "ctypes", "jeepney", "json")  # all used after the icon

def show_and_look(self):
    show(self)
    print("icon shown, collecting:", gc.isenabled())
    print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & set(LATER)))

collect_again = startup.collect_again

def collect_and_look():
    frozen = gc.get_freeze_count()
    collect_again()
    print("then collecting:", gc.isenabled(), "start-up set aside:", gc.get_freeze_count() > frozen)
    QApplication.instance().quit()

Tray.show = show_and_look
startup.collect_again = collect_and_look
from coach.__main__ import main
sys.argv = ["coach", "run"]
print("quit:", main())
"""


def test_garbage_is_collected_again_once_the_tray_icon_is_shown(tmp_path: Path) -> None:
    """`coach run` starts without cyclic garbage collection (coach/__main__.py); the first
    turn of the event loop after the icon turns it back on, with what start-up built set
    aside for good (`gc.freeze`). Modules only needed later are not loaded before the
    icon (D-Bus, JSON, ctypes, the evening summary's scheduler)."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        COACH_HOME=str(tmp_path),
        COACH_POLICY=str(tmp_path / "none"),
    )
    out = subprocess.run(
        [sys.executable, "-c", COLLECTION_AFTER_THE_ICON],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert out == [
        "icon shown, collecting: False",
        "loaded: []",
        "then collecting: True start-up set aside: True",
        "quit: 0",
    ]
