"""The first-run safety screen (red flags, where to go) and the calm pain guidance."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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


def label(text: str, name: str = "") -> QLabel:
    """A word-wrapped plain-text label (never rich text) with an object name for styling."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setObjectName(name)
    return widget


class SafetyDialog(QDialog):
    """Red flags and where to go with them; shown once, on the first start."""

    def __init__(self, safety: Safety) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: before you start"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(8)
        column.addWidget(label(safety.title, "title"))
        column.addWidget(label(safety.intro))
        for heading, items in (
            (safety.gp_title, safety.gp),
            (safety.physio_title, safety.physio),
            (safety.self_care_title, safety.self_care),
        ):
            column.addSpacing(6)
            column.addWidget(label(heading, "heading"))
            for item in items:
                column.addWidget(label(f"•  {item}", "item"))
        column.addSpacing(6)
        column.addWidget(label(safety.based_on, "sources"))
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


class AdviceDialog(QDialog):
    """A short, calm message (after "It hurts", or after six weeks of complaints) with
    a way to the full safety advice. Emits `more()` when the user asks for it."""

    more = Signal()

    def __init__(self, title: str, paragraphs: list[str]) -> None:
        super().__init__()
        self.setWindowTitle(_("Coach: {title}").format(title=title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(label(title, "title"))
        for text in paragraphs:
            for paragraph in text.split("\n\n"):
                layout.addWidget(label(paragraph))
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)  # in Coach's language
        more = buttons.addButton(_("Full safety advice"), QDialogButtonBox.ButtonRole.ActionRole)
        more.clicked.connect(self.more)
        buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setStyleSheet(style(a11y.colours(self)))
        self.setMinimumWidth(580)
        self.adjustSize()


def pain_advice(safety: Safety, repeated: bool) -> AdviceDialog:
    """The message "It hurts" shows at once."""
    paragraphs = [safety.pain_first] + ([safety.pain_repeated] if repeated else [])
    return AdviceDialog(safety.pain_title, paragraphs)


def physio_advice(safety: Safety) -> AdviceDialog:
    """Complaints recorded for more than six weeks: see a physiotherapist (once)."""
    return AdviceDialog(safety.advice_title, [safety.physio_advice])


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
