"""Show every Coach window in one language, as the app fits it, and say what text does
not fit: one JSON line per view (window, page) with its frame, the screen's free area
and the widgets whose text is cut, elided or wider than their room. Saves a screenshot
of the screen per view.

    python tests/fakes/text_probe.py LANG SCREENSHOT_PREFIX

The views: the break window with a seated, a standing and a floor exercise (the one
with the longest steps of each), the tray menu, every settings page, the statistics
(week and month), the first-run screens (safety, setup questions), the weekly
check-in, the escalation and the pain advice. Run under Xvfb with a window manager
(tests/desktop/test_text_fits.py); COACH_HOME is a throw-away folder.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QCursor, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QMenu,
    QTabBar,
    QWidget,
)

from coach import i18n
from tests.fakes.window_probe import _rect, windows

SETTLE_MS = 700  # the window manager frames and places the window


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 0


def _text_width(label: QLabel) -> float:
    """How wide the label's text is drawn (rich text as a document, plain text by its
    lines)."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and "<" in text
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        return doc.idealWidth()
    return label.fontMetrics().boundingRect(QRect(0, 0, 100_000, 100_000), 0, text).width()


def cut_texts(window: QWidget) -> list[str]:
    """What of the window's text does not fit the room it was given."""
    out = []
    for label in window.findChildren(QLabel):
        if not _shown(label, window) or not label.text() or label.pixmap().width():
            continue
        if label.wordWrap():
            cut = label.height() + 1 < label.heightForWidth(label.width())
        else:
            cut = _text_width(label) > label.contentsRect().width() + 1
        if cut:
            out.append(f"label: {label.text()[:60]!r}")
    for button in window.findChildren(QAbstractButton):
        if _shown(button, window) and button.text():
            if button.hasHeightForWidth():  # its text wraps: are its lines all there?
                cut = button.heightForWidth(button.width()) > button.height() + 1
            else:
                cut = button.sizeHint().width() > button.width() + 1
            if cut:
                out.append(f"button: {button.text()!r}")
    for box in window.findChildren(QComboBox):
        if _shown(box, window) and box.minimumSizeHint().width() > box.width() + 1:
            out.append(f"combo box: {box.currentText()!r}")
    for tabs in window.findChildren(QTabBar):
        if _shown(tabs, window) and tabs.sizeHint().width() > tabs.width():
            out.append(f"tabs: {[tabs.tabText(i) for i in range(tabs.count())]}")
    for items in window.findChildren(QListWidget):
        if not _shown(items, window):
            continue
        room = items.viewport().width()
        for i in range(items.count()):
            item = items.item(i)
            wanted = items.sizeHintForIndex(items.indexFromItem(item)).width()  # with padding
            if wanted > room or items.horizontalScrollBar().isVisible():
                out.append(f"list item: {item.text()!r}")
    for area in window.findChildren(QAbstractScrollArea):
        if _shown(area, window) and area.horizontalScrollBar().isVisible():
            out.append(f"scrolls sideways: {type(area).__name__} {area.objectName()!r}")
    if isinstance(window, QMenu):
        for action in window.actions():
            if action.isVisible() and action.text():
                wanted = window.fontMetrics().horizontalAdvance(action.text().replace("&", ""))
                if wanted > window.actionGeometry(action).width():
                    out.append(f"menu item: {action.text()!r}")
    return out


def views(
    lang: str, home: Path
) -> Iterator[tuple[str, Callable[[], QWidget], Callable[[QWidget], None]]]:
    """(name, build the window, step before the screenshot) for every view."""
    from coach.exercises import catalog, safety
    from coach.ui.break_window import BreakWindow
    from tests.apps import build_app
    from tests.breaks import due_break

    built = dict(windows(lang, home))
    exercises = catalog.load_library(None)[0]
    footer = safety.load(lang).break_footer
    for position in catalog.POSITIONS:
        exercise = max(
            (e for e in exercises if e.position == position),
            key=lambda e: sum(len(step) for step in e.text(lang).steps),
        )

        def show_break(exercise: catalog.Exercise = exercise) -> QWidget:
            window = BreakWindow(lang, footer)
            window.show_break(due_break(exercise))
            return window

        yield f"break-{position}", show_break, lambda w: None

    settings = built["settings"]()
    pages = settings.findChild(QListWidget, "groups")
    assert pages is not None
    for row in range(pages.count()):
        group = settings.stack.widget(row).widget().objectName().removeprefix("page-")  # type: ignore[attr-defined]
        yield f"settings-{group}", lambda: settings, lambda w, row=row: pages.setCurrentRow(row)
    yield "statistics-week", built["statistics"], lambda w: None
    yield "statistics-month", built["statistics"], lambda w: w.month_button.click()  # type: ignore[attr-defined]
    for name in ("safety", "setup", "checkin", "escalation", "advice"):
        yield name, built[name], lambda w: None

    def tray() -> QWidget:
        coach = build_app(home / "tray", {"language": lang})
        coach.tray.update_status(coach.status())
        menu = coach.tray.menu
        menu.setProperty("coach", coach)  # kept alive with its menu
        return menu

    yield "tray", tray, lambda menu: menu.popup(QPoint(200, 150))  # type: ignore[attr-defined]


def settle(ms: int = SETTLE_MS) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    from coach.ui import local_dates
    from coach.ui.fit import fit_to_screen

    lang, prefix = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    i18n.use(lang)
    local_dates.use(lang)
    QCursor.setPos(10, 10)
    window: QWidget | None = None
    for name, build, step in views(lang, Path(os.environ["COACH_HOME"])):
        again = build()
        if again is not window:
            if window is not None:
                window.close()
            window = again
            if not isinstance(window, QMenu) and not name.startswith("break"):
                fit_to_screen(window)  # the break window fits itself in show_break
                window.show()
        step(window)
        settle()
        screen = window.screen()
        screen.grabWindow(0).save(f"{prefix}-{name}.png")
        print(
            json.dumps(
                {
                    "view": name,
                    "frame": _rect(window.frameGeometry()),
                    "available": _rect(screen.availableGeometry()),
                    "cut": cut_texts(window),
                }
            ),
            flush=True,
        )
    if window is not None:
        window.close()
    app.quit()


if __name__ == "__main__":
    main()
