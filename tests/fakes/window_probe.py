"""Open every Coach window in turn on the current display, fitted as the app fits it,
and print one JSON line per window: its frame, the screen's available area, and the
rectangles of the widgets that must be reachable (buttons). Saves a screenshot of the
whole screen per window when a folder is given.

    python tests/fakes/window_probe.py LANG [SCREENSHOT_PREFIX]

Run under Xvfb with a window manager (tests/desktop/test_window_fit.py); COACH_HOME is a
throw-away folder.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QEventLoop, QRect, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

from coach import i18n
from coach.config.paths import resolve
from coach.config.preferences import Preferences
from coach.config.settings import Settings
from coach.core.escalation import Pattern
from coach.exercises import catalog, safety
from coach.history.store import Store
from coach.ui.fit import fit_to_screen
from tests.breaks import due_break

SETTLE_MS = 1500  # the window manager frames and places the window


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _scrolled(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _history(store: Store, today: date) -> None:
    """Three months of sitting, so the charts have something to draw."""
    cet = timezone(timedelta(hours=1))
    for n in range(90):
        day = today - timedelta(days=n)
        start = datetime(day.year, day.month, day.day, 9, tzinfo=cet)
        store.add_bout(start, start + timedelta(minutes=40 + n % 30), (40 + n % 30) * 60)


def windows(lang: str, home: Path) -> list[tuple[str, Callable[[], QWidget]]]:
    from coach.ui.break_window import BreakWindow
    from coach.ui.checkin_window import CheckinWindow
    from coach.ui.escalation_dialog import EscalationDialog, options
    from coach.ui.safety_dialog import SafetyDialog, pain_advice
    from coach.ui.settings_dialog import SettingsDialog
    from coach.ui.setup_window import SetupWindow
    from coach.ui.stats_window import StatsWindow

    texts = safety.load(lang)
    exercises = catalog.load_library(None)[0]
    today = date(2026, 12, 1)
    store = Store.open(home / "coach.sqlite3")
    _history(store, today)

    def break_window() -> QWidget:
        window = BreakWindow(lang, texts.break_footer)
        exercise = max(exercises, key=lambda e: len(e.text(lang).steps))
        window.show_break(due_break(exercise))
        return window

    def settings() -> QWidget:
        titles = {e.id: e.text(lang).title for e in exercises}
        return SettingsDialog(Preferences(resolve()), titles, lambda: None)

    def stats() -> QWidget:
        return StatsWindow(store, today, catalog.kinds(exercises), 3600, lang)

    return [
        ("break", break_window),
        ("settings", settings),
        ("statistics", stats),
        ("safety", lambda: SafetyDialog(texts)),
        ("checkin", CheckinWindow),
        ("escalation", lambda: EscalationDialog(Pattern(14, 6, 8, 5), options())),
        ("setup", lambda: SetupWindow(Settings(), lambda key: None)),
        ("advice", lambda: pain_advice(texts, repeated=True)),
    ]


def main() -> None:
    lang, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    app = QApplication(sys.argv[:1])
    i18n.use(lang)
    QCursor.setPos(10, 10)
    for name, build in windows(lang, Path(os.environ["COACH_HOME"])):
        window = build()
        if name != "break":  # the break window fits itself in show_break
            fit_to_screen(window)
            window.show()
        loop = QEventLoop()
        QTimer.singleShot(SETTLE_MS, loop.quit)
        loop.exec()
        screen = window.screen()
        if prefix:
            screen.grabWindow(0).save(f"{prefix}-{name}.png")
        buttons = [  # those outside any scroll area: these must be on screen as they are
            _rect(QRect(b.mapToGlobal(b.rect().topLeft()), b.size()))
            for b in window.findChildren(QAbstractButton)
            if b.isVisibleTo(window) and b.text() and not _scrolled(b)
        ]
        print(
            json.dumps(
                {
                    "window": name,
                    "frame": _rect(window.frameGeometry()),
                    "available": _rect(screen.availableGeometry()),
                    "scale": screen.devicePixelRatio(),
                    "buttons": buttons,
                }
            ),
            flush=True,
        )
        window.close()
    app.quit()


if __name__ == "__main__":
    main()
