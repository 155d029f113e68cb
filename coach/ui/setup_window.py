"""The first-run setup: four short questions that suit the exercises to the person.

Shown once after the safety screen, skippable; every answer is an ordinary setting
(`focus`, `back_type`, `positions`, `has_sit_stand_desk`, `hip_condition`), so Settings
changes it later and an employer's policy can set a default or lock it. The back-type
question follows document 002 (a hollow versus a flat back need different exercises);
the hip question follows document 004 (an irritated bursa or tendon; a hip prosthesis).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.config.settings import Settings
from coach.exercises.catalog import PICTURES_DIR
from coach.i18n import _
from coach.ui import a11y
from coach.ui.palette import Colours, button_rules
from coach.ui.safety_dialog import label
from coach.ui.wrapping import WrappingCheckBox, WrappingRadioButton

WIDTH = 780  # the window's width where the screen has room


class SetupWindow(QDialog):
    """Emits `chosen(changes)` with the settings to save when the user presses Save."""

    chosen = Signal(dict)

    def __init__(self, settings: Settings, locked: Callable[[str], str | None]) -> None:
        """`locked(key)`: why the policy does not let the user change a key, or None."""
        super().__init__()
        self.setObjectName("SetupWindow")
        self.setWindowTitle(_("Coach: a few questions"))
        self._locked = locked
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(label(_("A few questions about you"), "title"))
        column.addWidget(
            label(
                _(
                    "Coach suits the exercises to your answers. Skip anything you like; "
                    "you can change every answer later in Settings."
                )
            )
        )

        top = QGridLayout()
        top.setHorizontalSpacing(24)
        left, right = QVBoxLayout(), QVBoxLayout()
        top.addLayout(left, 0, 0)  # no alignment: wrapped answers keep their lines
        top.addLayout(right, 0, 1)
        top.setColumnStretch(0, 1)
        top.setColumnStretch(1, 1)
        column.addLayout(top)
        self._top, self._left, self._right = top, left, right
        self.focus = self._choices(
            left,
            _("What bothers you?"),
            "focus",
            settings.focus,
            [
                ("low-back", _("My low back")),
                ("hip", _("My hips")),
                ("both", _("Both")),
                ("prevention", _("Nothing yet: I want to prevent it")),
            ],
        )
        right.addWidget(label(_("Where do you work?"), "heading"))
        self.chair = WrappingCheckBox(_("On a desk chair"))
        self.chair.setChecked("seated" in settings.positions)
        self.sit_stand = WrappingCheckBox(_("At a sit-stand desk"))
        self.sit_stand.setChecked(settings.has_sit_stand_desk)
        self.floor = WrappingCheckBox(_("With floor space for exercises (at home)"))
        self.floor.setChecked("floor" in settings.positions)
        for box, key in (
            (self.chair, "positions"),
            (self.sit_stand, "has_sit_stand_desk"),
            (self.floor, "positions"),
        ):
            self._lock(box, key)
            right.addWidget(box)
        left.addStretch(1)  # both columns' answers from the top
        right.addStretch(1)

        column.addWidget(label(_("What does your back look like from the side?"), "heading"))
        pictures = QGridLayout()
        pictures.setHorizontalSpacing(18)
        self.back_type = QButtonGroup(self)
        for col, (value, name, text, picture) in enumerate(
            [
                (
                    "hollow",
                    _("Hollow back"),
                    _("A deep curve in the low back; the pelvis tips forward."),
                    "back-type-hollow.svg",
                ),
                (
                    "flat",
                    _("Flat back"),
                    _("Little curve in the low back; the pelvis tips back."),
                    "back-type-flat.svg",
                ),
            ]
        ):
            svg = QSvgWidget(str(PICTURES_DIR / picture))
            svg.setFixedSize(QSize(104, 104))
            svg.setAccessibleName(name)
            button = WrappingRadioButton(name)
            button.setProperty("value", value)
            self.back_type.addButton(button)
            pictures.addWidget(svg, 0, col, Qt.AlignmentFlag.AlignLeft)
            pictures.addWidget(button, 1, col)
            pictures.addWidget(label(text, "hint"), 2, col)
            pictures.setColumnStretch(col, 1)
        unknown = WrappingRadioButton(_("I don't know"))
        unknown.setProperty("value", "unknown")
        self.back_type.addButton(unknown)
        pictures.addWidget(unknown, 1, 2)
        column.addLayout(pictures)
        self._select(self.back_type, settings.back_type, "back_type")

        self.hip = self._choices(
            column,
            _("Anything about your hip Coach should know?"),
            "hip_condition",
            settings.hip_condition,
            [
                ("none", _("No")),
                ("replacement", _("I have a hip replacement")),
                ("irritated", _("An irritated bursa or tendon (pain on the outside of the hip)")),
            ],
        )
        column.addWidget(
            label(
                _(
                    "Coach then leaves out the exercises that could strain it. Ask your "
                    "physiotherapist or surgeon which movements suit you."
                ),
                "hint",
            )
        )

        body = QWidget()
        body.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the first question
        buttons = QDialogButtonBox()
        self.skip_button = buttons.addButton(_("Skip"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.setStyleSheet(style(a11y.colours(self)))
        self._body, self._column = body, column

    def reflow(self, width: int) -> None:
        """The first two questions side by side, or one above the other where the
        window cannot be that wide (a long language on a small or scaled screen);
        fit_to_screen asks first."""
        self.ensurePolished()  # the style sheet's fonts count
        margins = 2 * 24 + 30  # the window's and the scroll bar's
        left = max(b.sizeHint().width() for b in self.focus.buttons())
        right = max(b.sizeHint().width() for b in (self.chair, self.sit_stand, self.floor))
        side_by_side = 2 * max(left, right) + 24 + margins <= min(width, WIDTH)
        self._top.removeItem(self._right)
        if side_by_side:
            self._top.addLayout(self._right, 0, 1)
        else:
            self._top.addLayout(self._right, 1, 0)
        self._top.setColumnStretch(1, 1 if side_by_side else 0)
        self._top.setVerticalSpacing(8 if side_by_side else 16)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As tall as the questions; fit_to_screen keeps it within the screen, where
        it scrolls on a small one."""
        width = max(self._body.sizeHint().width() + 60, WIDTH)
        return QSize(width, self._column.totalHeightForWidth(width - 60) + 100)

    def _choices(
        self,
        column: QVBoxLayout,
        question: str,
        key: str,
        current: str,
        options: list[tuple[str, str]],
    ) -> QButtonGroup:
        column.addWidget(label(question, "heading"))
        group = QButtonGroup(self)
        row = QVBoxLayout()
        row.setSpacing(2)
        for value, text in options:
            button = WrappingRadioButton(text)
            button.setProperty("value", value)
            group.addButton(button)
            row.addWidget(button)
        column.addLayout(row)
        self._select(group, current, key)
        return group

    def _select(self, group: QButtonGroup, value: str, key: str) -> None:
        for button in group.buttons():
            button.setChecked(button.property("value") == value)
            self._lock(button, key)

    def _lock(self, button: QAbstractButton, key: str) -> None:
        why = self._locked(key)
        if why:
            button.setEnabled(False)
            button.setToolTip(why)

    def answers(self) -> dict[str, Any]:
        """The settings the answers stand for (positions keep standing: breaks are
        about getting up; Settings can still take it out)."""
        positions = ["seated"] if self.chair.isChecked() else []
        positions += ["standing"] + (["floor"] if self.floor.isChecked() else [])
        values: Mapping[str, Any] = {
            "focus": _value(self.focus),
            "back_type": _value(self.back_type),
            "positions": tuple(positions),
            "has_sit_stand_desk": self.sit_stand.isChecked(),
            "hip_condition": _value(self.hip),
        }
        return {k: v for k, v in values.items() if v is not None and not self._locked(k)}

    def _save(self) -> None:
        self.chosen.emit(self.answers())
        self.accept()


def _value(group: QButtonGroup) -> str | None:
    button = group.checkedButton()
    return None if button is None else str(button.property("value"))


def style(c: Colours) -> str:
    """The setup window's style sheet in the colours `c` (coach/ui/palette.py)."""
    return f"""
QLabel, QRadioButton, QCheckBox {{ font-size: 11pt; }}
#title {{ font-size: 18pt; font-weight: 600; }}
#heading {{ font-size: 12pt; font-weight: 600; color: {c.accent}; padding-top: 4px; }}
#hint {{ color: {c.muted}; font-size: 10pt; }}
QRadioButton, QCheckBox {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QRadioButton:focus, QCheckBox:focus {{ border-color: {c.focus}; }}
""" + button_rules(c)
