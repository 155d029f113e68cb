"""The weekly check-in: one question, a score from 1 to 5, answered or skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coach.i18n import _
from coach.ui import a11y


class CheckinWindow(QWidget):
    """ "How did your back and hips feel this week?" with 0-10 buttons, or skip.

    Emits `answered(score)` or `skipped()`; it never takes the keyboard by itself.
    """

    answered = Signal(int)
    skipped = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("CheckinWindow")
        self.setWindowTitle(_("Coach: weekly check-in"))
        question = QLabel(_("How did your back and hips feel this week?"))
        question.setObjectName("question")
        question.setTextFormat(Qt.TextFormat.PlainText)
        question.setWordWrap(True)  # long in German: two lines on a small screen
        scale = QHBoxLayout()
        scale.setSpacing(4)
        self.buttons: list[QPushButton] = []
        for score in range(11):
            button = QPushButton(str(score))
            button.setObjectName("score")
            button.setFixedSize(38, 38)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(True)  # Enter answers with the focused score
            button.setAccessibleName(_("{n} out of 10").format(n=score))
            button.clicked.connect(lambda _checked=False, s=score: self._answer(s))
            scale.addWidget(button)
            self.buttons.append(button)
        ends = QHBoxLayout()
        for text, align in (
            (_("0 = very bad"), Qt.AlignmentFlag.AlignLeft),
            (_("10 = very good"), Qt.AlignmentFlag.AlignRight),
        ):
            label = QLabel(text)
            label.setObjectName("end")
            label.setTextFormat(Qt.TextFormat.PlainText)
            ends.addWidget(label, 1, align)
        self.skip_button = QPushButton(_("Skip this week"))
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.skip_button.setAutoDefault(True)
        self.skip_button.clicked.connect(self._skip)
        footer = QHBoxLayout()
        note = QLabel(
            _(
                "Your answer stays on this computer; the statistics show it next "
                "to the breaks you took."
            )
        )
        note.setObjectName("end")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        footer.addWidget(note, 1)
        footer.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(question)
        layout.addLayout(scale)
        layout.addLayout(ends)
        layout.addSpacing(4)
        layout.addLayout(footer)
        c = a11y.colours(self)
        self.setStyleSheet(f"""
            #question {{ font-size: 13pt; font-weight: 600; }}
            #end {{ color: {c.muted}; font-size: 9.5pt; }}
            QPushButton#score {{ border: 1px solid {c.border}; border-radius: 19px;
                                font-size: 11pt; }}
            QPushButton#score:hover {{ background: {c.accent_fill}; color: {c.on_accent};
                                      border-color: {c.accent_fill}; }}
            QPushButton#score:focus {{ border: 3px solid {c.focus}; }}
        """)
        question.setBuddy(self.buttons[0])
        self.setAccessibleDescription(question.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Arrows move along the scale, Enter answers (Qt's own), Esc skips this week."""
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Escape:
            self.skip_button.click()
        elif not a11y.move_focus_with_arrows(key, list(self.buttons)):
            super().keyPressEvent(event)

    def _answer(self, score: int) -> None:
        self.hide()
        self.answered.emit(score)

    def _skip(self) -> None:
        self.hide()
        self.skipped.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - closing is skipping
        if self.isVisible():
            self.skipped.emit()
        super().closeEvent(event)
