"""Accessibility helpers shared by Coach's windows: announcements to screen readers,
the reduced-motion choice and the high-contrast check, and keyboard focus moves.

An announcement reaches a screen reader (over AT-SPI on Linux, UIA on Windows, NSAccessibility
on macOS) without moving the keyboard focus: the break window uses it when it appears.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QWidget

from coach.platform import a11y_prefs
from coach.ui import palette

log = logging.getLogger(__name__)


def announce(widget: QWidget, text: str) -> None:
    """Have screen readers say `text` now, politely, without taking focus."""
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


@functools.cache
def desktop_reduces_motion() -> bool:
    """The desktop's own preference, read once per run."""
    return a11y_prefs.desktop_reduces_motion()


def reduce_motion(setting: str) -> bool:
    """The `reduced_motion` setting: "on", "off", or "system" (the desktop decides)."""
    if setting == "system":
        return desktop_reduces_motion()
    return setting == "on"


@functools.cache
def _gnome_high_contrast() -> bool:
    return a11y_prefs.gnome_high_contrast()


def high_contrast() -> bool:
    """A high-contrast theme is active: Qt's own hint (Windows, macOS, the settings
    portal), or GNOME's setting where Qt cannot see it (X11)."""
    style_hints = QGuiApplication.styleHints()  # kept: the accessibility hints are its child
    hints = style_hints.accessibility()
    qt_says = hints.contrastPreference() == Qt.ContrastPreference.HighContrast
    return bool(qt_says) or _gnome_high_contrast()


def colours(widget: QWidget | None = None) -> palette.Colours:
    """Coach's colours for `widget`'s palette, or the system's in high contrast."""
    return palette.colours(widget, high_contrast())


def move_focus_with_arrows(key: Qt.Key, buttons: Sequence[QAbstractButton]) -> bool:
    """Left/Up and Right/Down move the focus along `buttons` (visible and enabled
    ones, wrapping round). True when the key was used."""
    step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}
    if key not in step:
        return False
    usable = [b for b in buttons if b.isVisible() and b.isEnabled()]
    if not usable:
        return False
    current = next((i for i, b in enumerate(usable) if b.hasFocus()), -1)
    target = usable[(current + step[key]) % len(usable)] if current >= 0 else usable[0]
    target.setFocus(Qt.FocusReason.TabFocusReason)
    return True
