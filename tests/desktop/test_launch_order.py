"""`coach run` in fluxbox's tray: the tray icon's picture is painted before Coach does
what can wait (detecting the platform, collecting start-up's garbage): between the
icon's window showing and its first paint the tray shows an empty square."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop_session import DesktopSession

pytestmark = pytest.mark.desktop
ROOT = Path(__file__).resolve().parents[2]

ORDER = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
import coach.platform
from coach.ui.tray import Tray

seen = []

class Paints(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            seen.append("painted")
        return False

paints = Paints()
show = Tray.show

def show_and_look(self):
    show(self)
    window = self.icon_window()
    print("the icon has a window:", window is not None)
    window.installEventFilter(paints)

detect = coach.platform.detect

def detect_and_look(*args, **kwargs):
    print("painted before the platform:", seen[:1] == ["painted"])
    QApplication.instance().quit()
    return detect(*args, **kwargs)

Tray.show = show_and_look
coach.platform.detect = detect_and_look
from coach.__main__ import main
sys.argv = ["coach", "run"]
print("quit:", main())
"""


def test_the_icon_is_painted_before_the_platform_is_detected(
    desktop: DesktopSession, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(
        desktop.env,
        COACH_HOME=str(home),
        COACH_POLICY=str(home / "none"),
        PYTHONPATH=str(ROOT),
    )
    out = subprocess.run(
        [sys.executable, "-c", ORDER], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.splitlines() == [
        "the icon has a window: True",
        "painted before the platform: True",
        "quit: 0",
    ], out.stderr
