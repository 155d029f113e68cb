"""PySide6 6.12.0 drops a reference to None on every call of a void method
(setToolTip, QAction.setText, ...). On Python 3.11, where None is not immortal, the
tray app's tick would bring None's count to zero and abort the process within the
hour. pyproject.toml keeps PySide6 below 6.12; this test fails if a version with the
bug comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


def test_void_calls_keep_none_alive(qtbot: object) -> None:
    icon, menu, timer = QSystemTrayIcon(), QMenu(), QTimer()
    action = menu.addAction("x")
    before = sys.getrefcount(None)
    for _ in range(300):  # what the tray does in about a minute of ticks, many times over
        icon.setToolTip("Coach")
        action.setText("Sitting now: 10 min")
        action.setVisible(True)
        timer.setInterval(5000)
    assert sys.getrefcount(None) >= before - 10
