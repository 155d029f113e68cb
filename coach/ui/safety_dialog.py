"""The first-run safety screen (red flags, where to go) and the calm pain guidance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.exercises.safety import Safety
from coach.i18n import _
from coach.ui import a11y
from coach.ui.palette import Colours, button_rules


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setObjectName(name)
    return label


class SafetyDialog(QDialog):
    """Red flags and where to go with them; shown once, on the first start."""

    def __init__(self, safety: Safety) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: before you start"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(8)
        column.addWidget(_label(safety.title, "title"))
        column.addWidget(_label(safety.intro))
        for heading, items in (
            (safety.gp_title, safety.gp),
            (safety.physio_title, safety.physio),
            (safety.self_care_title, safety.self_care),
        ):
            column.addSpacing(6)
            column.addWidget(_label(heading, "heading"))
            for item in items:
                column.addWidget(_label(f"•  {item}", "item"))
        column.addSpacing(6)
        column.addWidget(_label(safety.based_on, "sources"))
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(safety.title)  # it takes the focus: arrows scroll the text
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("I understand"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.setStyleSheet(style(a11y.colours(self)))
        self.resize(620, 640)


class PainGuidanceDialog(QDialog):
    """Shown once after repeated pain reports: the documents' advice, calmly."""

    def __init__(self, safety: Safety) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: about the pain you reported"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(_label(safety.pain_guidance))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setStyleSheet(style(a11y.colours(self)))
        self.resize(520, 220)


def style(c: Colours) -> str:
    """The safety dialogs' style sheet in the colours `c` (coach/ui/palette.py)."""
    return f"""
QLabel {{ font-size: 11pt; }}
#title {{ font-size: 18pt; font-weight: 600; }}
#heading {{ font-size: 12pt; font-weight: 600; color: {c.accent}; }}
#sources {{ color: {c.muted}; font-size: 9pt; }}
QScrollArea {{ border: 2px solid transparent; border-radius: 4px; }}
QScrollArea:focus {{ border-color: {c.focus}; }}
""" + button_rules(c)
