"""The one-time offer when breaks keep coming at a bad moment of the day."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QDialog, QLabel, QPushButton, QVBoxLayout

from coach.core.escalation import Pattern
from coach.i18n import _
from coach.ui import a11y
from coach.ui.palette import button_rules

SHORTER: dict[str, object] = {"micro_duration_s": 30, "exercise_duration_s": 90}
WAIT: dict[str, object] = {"wait_for_pause": True}


def options() -> list[tuple[str, dict[str, object]]]:
    """What the dialog can offer: (button text, settings to change)."""
    return [(_("Wait for a pause in my typing"), WAIT), (_("Make breaks shorter"), SHORTER)]


class EscalationDialog(QDialog):
    """Emits `chosen` with the settings to change (empty: keep things as they are)."""

    chosen = Signal(dict)

    def __init__(self, pattern: Pattern, offers: list[tuple[str, dict[str, object]]]) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: a better moment for breaks?"))
        text = QLabel(
            _(
                "Breaks around {hour}:00 often come at a bad moment: {declined} of the last "
                "{offered} were put off. Coach can fit in better. It asks only this once; you "
                "can change it later in the settings."
            ).format(hour=pattern.hour, declined=pattern.declined, offered=pattern.offered)
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        buttons = self._buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for label, changes in [*offers, (_("Keep things as they are"), {})]:
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, c=changes: self._choose(c))
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(text)
        layout.addLayout(buttons)
        self.setStyleSheet(button_rules(a11y.colours(self)))  # a visible focus ring
        self.resize(560, 160)

    def reflow(self, width: int) -> None:
        """The answers side by side, or one above the other where they do not fit (long
        in Dutch and German on a small or scaled screen); fit_to_screen asks first."""
        self.ensurePolished()
        wide = sum(button.sizeHint().width() for button in self.findChildren(QPushButton))
        room = width - 2 * 24 - self._buttons.spacing() * (self._buttons.count() - 1)
        self._buttons.setDirection(
            QBoxLayout.Direction.LeftToRight if wide <= room else QBoxLayout.Direction.TopToBottom
        )

    def _choose(self, changes: dict[str, object]) -> None:
        self.chosen.emit(changes)
        self.accept()
