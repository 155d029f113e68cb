"""Show a window without taking the keyboard from what the user is typing into.

Qt's WA_ShowWithoutActivating is a request that some window managers ignore (fluxbox
focuses new windows), so the window also refuses focus (X11: WM_HINTS input false)
until the user clicks into it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class _FocusOnClick(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget):
            allow_focus(watched.window())
        return False


def allow_focus(window: QWidget) -> None:
    """The user clicked into `window`: let it have the keyboard."""
    handle = window.windowHandle()
    if handle is not None and handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus:
        handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
    window.activateWindow()


def refusing_focus(window: QWidget) -> bool:
    """Whether `window` still waits for the user to click into it (or ask for it)."""
    handle = window.windowHandle()
    flags = handle.flags() if handle is not None else window.windowFlags()
    return bool(flags & Qt.WindowType.WindowDoesNotAcceptFocus)


def refuse_focus(window: QWidget) -> None:
    """Before (re)showing: do not take the keyboard by yourself."""
    window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    handle = window.windowHandle()
    if handle is None:
        window.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
    else:
        handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)


def show_quietly(window: QWidget) -> None:
    """Show `window` without focus; any click into it (or its children) lifts that."""
    refuse_focus(window)
    if not hasattr(window, "_focus_on_click"):
        window._focus_on_click = _FocusOnClick(window)  # type: ignore[attr-defined]  # kept on the widget it serves
        for widget in (window, *window.findChildren(QWidget)):
            widget.installEventFilter(window._focus_on_click)  # type: ignore[attr-defined]  # set just above
    window.show()
