"""Every window fits the screen it opens on, at any scale factor.

`fit_to_screen` sizes a window to what it would like (its own `resize`, else its size
hint) within the available area of the screen with the mouse pointer (panels left
out, room kept for the window manager's frame), and centres it there. A window with a
`reflow(width)` method first lays itself out for that width. When even the window's
minimum does not fit (wrapped text counted at the width it gets), its content goes into
a scroll area: it scrolls, it is never cut off, squeezed or placed off-screen.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

FRAME = QMargins(6, 32, 6, 6)  # a title bar and borders, until the window manager says
SCROLLED = "fitScroll"


def available_area(window: QWidget) -> QRect:
    """The free area (panels left out) of the screen the window opens on."""
    screen = QGuiApplication.screenAt(QCursor.pos()) or window.screen()
    return (screen or QGuiApplication.primaryScreen()).availableGeometry()


def fit_to_screen(window: QWidget) -> None:
    """Size and place `window` (before showing it) inside the screen's free area."""
    from PySide6.QtCore import Qt  # its namespace costs a MiB: not in the idle app

    area = available_area(window)
    room = area.marginsRemoved(FRAME).size()
    reflow = getattr(window, "reflow", None)  # a window that can lay itself out narrower
    if reflow is not None:
        reflow(room.width())
    window.ensurePolished()  # its style sheet's fonts and margins count
    layout = window.layout()
    if layout is not None:
        layout.invalidate()
    hint = window.minimumSizeHint()
    wanted = window.size() if window.testAttribute(Qt.WidgetAttribute.WA_Resized) else QSize()
    size = wanted.expandedTo(window.sizeHint()).boundedTo(room)
    if layout is not None and layout.hasHeightForWidth() and window.findChild(QScrollArea) is None:
        # wrapped text needs its lines (a window with a scroll area of its own scrolls them)
        hint.setHeight(max(hint.height(), layout.totalHeightForWidth(size.width())))
    if (hint.width() > room.width() or hint.height() > room.height()) and not _scrolls(window):
        _scroll(window)
        size = wanted.expandedTo(window.sizeHint()).boundedTo(room)
    window.setMinimumSize(window.minimumSize().boundedTo(room))
    window.resize(size)
    frame = size.grownBy(FRAME)
    window.move(  # move() places the frame's corner
        area.x() + max((area.width() - frame.width()) // 2, 0),
        area.y() + max((area.height() - frame.height()) // 2, 0),
    )


def _scrolls(window: QWidget) -> bool:
    return window.findChild(QScrollArea, SCROLLED) is not None


def _scroll(window: QWidget) -> None:
    """Put the window's layout, with its widgets, into a scroll area."""
    layout = window.layout()
    if layout is None:
        return
    inner = QWidget()
    inner.setLayout(layout)  # Qt hands the layout and its widgets over
    scroll = QScrollArea()
    scroll.setObjectName(SCROLLED)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(inner)
    outer = QVBoxLayout(window)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
