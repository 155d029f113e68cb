"""Radio buttons and check boxes whose text wraps onto more lines when the window is
narrower than the text (a long German or French answer on a small or scaled screen):
Qt's own draw their text on one line and cut it off.

They are ordinary QRadioButton / QCheckBox (groups, signals, accessible name = the whole
text); only their size and the drawing of the text change. The style (and style sheet)
draws the indicator, border and focus frame; the text goes where it would have gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
)

_FLAGS = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
_BIG = 100_000


def _policy() -> QSizePolicy:
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    return policy


def _chrome(button: QAbstractButton, one_line: QSize) -> QSize:
    """The button's size around its text (indicator, spacing, border, padding), from
    its size on one line."""
    text = button.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, button.text())
    return QSize(one_line.width() - text.width(), one_line.height() - text.height())


def _height_for_width(button: QAbstractButton, one_line: QSize, width: int) -> int:
    chrome = _chrome(button, one_line)
    room = QRect(0, 0, max(width - chrome.width(), 1), _BIG)
    return button.fontMetrics().boundingRect(room, _FLAGS, button.text()).height() + (
        chrome.height()
    )


def _minimum(button: QAbstractButton, one_line: QSize) -> QSize:
    """As narrow as the longest word."""
    words = button.text().split() or [""]
    widest = max(button.fontMetrics().horizontalAdvance(word) for word in words)
    return QSize(widest + _chrome(button, one_line).width(), one_line.height())


def _paint(
    button: QAbstractButton, element: QStyle.ControlElement, contents: QStyle.SubElement
) -> None:
    """The style draws the button without its text; the text goes, wrapped, where the
    style would have put it."""
    option = QStyleOptionButton()
    button.initStyleOption(option)  # type: ignore[attr-defined]
    text, option.text = option.text, ""
    painter = QStylePainter(button)
    painter.drawControl(element, option)
    option.rect = button.rect()
    where = button.style().subElementRect(contents, option, button)
    painter.setPen(button.palette().color(QPalette.ColorRole.WindowText))
    painter.drawText(where, _FLAGS | Qt.AlignmentFlag.AlignVCenter, text)


# Typed as a button for mypy; at run time a plain mixin (shiboken crashes when a Python
# class puts a second Qt base class into the hierarchy).
if TYPE_CHECKING:
    _Button = QAbstractButton
else:
    _Button = object


class _Wraps(_Button):
    """What both wrapping buttons share; a subclass names its style element."""

    _element: QStyle.ControlElement
    _contents: QStyle.SubElement

    def __init__(self, text: str) -> None:
        super().__init__(text)  # type: ignore[arg-type]  # the button's own __init__ takes text
        self.setSizePolicy(_policy())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return _height_for_width(self, super().sizeHint(), width)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return _minimum(self, super().sizeHint())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        _paint(self, self._element, self._contents)


class WrappingRadioButton(_Wraps, QRadioButton):
    _element = QStyle.ControlElement.CE_RadioButton
    _contents = QStyle.SubElement.SE_RadioButtonContents


class WrappingCheckBox(_Wraps, QCheckBox):
    _element = QStyle.ControlElement.CE_CheckBox
    _contents = QStyle.SubElement.SE_CheckBoxContents
