"""The settings dialog: one page per group, built from the declared settings.

Every change is checked (declared type and range, then the employer policy's locks and
floors), saved at once to the user's file (atomically, comments kept, a file Coach
could not read copied aside first), and announced with `applied(Settings)`. A message
next to the field says what is wrong; locked settings are read-only and say who set them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import Field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coach import i18n
from coach.atomic import write_private
from coach.config import settings as s
from coach.config.preferences import Preferences
from coach.i18n import _
from coach.ui import a11y
from coach.ui.palette import Colours, button_rules

log = logging.getLogger(__name__)

TeamFile = Callable[[], bytes | None]  # the bytes of this user's team file, or None


def _plain(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


INLINE, SIDE, ABOVE = "inline", "side", "above"  # where a row's label goes


def label_of(f: Field[Any]) -> str:
    """A setting's short label, translated (its explanation when it has none)."""
    text: str = f.metadata["label"] or f.metadata["doc"]
    return _(text)


def doc_of(f: Field[Any]) -> str:
    text: str = f.metadata["doc"]
    return _(text)


class Minutes(QDoubleSpinBox):
    """Minutes with one decimal, shown without it when whole ("30 min", "0.5 min")."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        decimals = 0 if float(value).is_integer() else 1
        return self.locale().toString(float(value), "f", decimals)


class Row(QWidget):
    """One setting: label, editor, explanation, policy note and validation message."""

    def __init__(self, f: Field[Any], editor: QWidget, note: str | None, mode: str) -> None:
        super().__init__()
        self.key = f.name
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        title = _plain(label_of(f), "label")
        title.setBuddy(editor.focusProxy() or editor)
        if mode == INLINE:
            layout.addWidget(editor)
        elif mode == ABOVE:
            layout.addWidget(title)
            layout.addWidget(editor)
        else:
            line = QHBoxLayout()
            line.addWidget(title, 1)
            line.addWidget(editor, 0)
            layout.addLayout(line)
        layout.addWidget(_plain(doc_of(f), "doc"))
        self.note = _plain(note or "", "note")
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.error = _plain("", "error")
        self.error.setVisible(False)
        self.error.setAccessibleName(_("Problem"))
        layout.addWidget(self.error)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class SettingsDialog(QDialog):
    """Emits `applied(Settings)` after every change that was saved."""

    applied = Signal(object)

    def __init__(
        self,
        preferences: Preferences,
        exercises: Mapping[str, str] | None = None,
        team_file: TeamFile | None = None,
    ) -> None:
        super().__init__()
        self.prefs = preferences  # shared with the app: a save here is seen there
        self.paths = preferences.paths
        self.exercises = dict(exercises or {})  # id -> title, for the "offered" list
        self.team_file = team_file
        self.rows: dict[str, Row] = {}
        self.setObjectName("SettingsDialog")
        self.setMinimumSize(720, 520)
        self.resize(820, 600)
        self.setStyleSheet(style(a11y.colours(self)))
        self._outer = QVBoxLayout(self)
        self._body: QWidget | None = None
        self._build()

    # -- building ----------------------------------------------------------------------
    def _build(self, page: int = 0) -> None:
        """(Re)build every page in the current language."""
        if self._body is not None:
            self._outer.removeWidget(self._body)
            self._body.deleteLater()
        self.setWindowTitle(_("Coach: settings"))
        self.rows = {}
        self._body = QWidget()
        box = QVBoxLayout(self._body)
        box.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.pages = QListWidget()
        self.pages.setObjectName("groups")
        self.pages.setAccessibleName(_("Settings pages"))
        self.stack = QStackedWidget()
        top.addWidget(self.pages)
        top.addWidget(self.stack, 1)
        box.addLayout(top, 1)
        for group, title in s.GROUPS.items():
            fields = [f for f in s.SETTING_FIELDS.values() if f.metadata["group"] == group]
            if fields or group == "privacy":
                self._add_page(group, _(title), fields)
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.pages.setCurrentRow(min(page, self.pages.count() - 1))
        footer = QHBoxLayout()
        self.status = _plain("", "status")
        footer.addWidget(self.status, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.close)
        footer.addWidget(close)
        box.addLayout(footer)
        self._outer.addWidget(self._body)
        self._fit_pages()  # in the dialog now: its style sheet applies
        self._show_load_problems()

    def _fit_pages(self) -> None:
        """The list of pages as wide as its longest title (German has long ones) with
        room for a scroll bar, never scrolling sideways."""
        pages = self.pages
        pages.ensurePolished()  # the style sheet's font and padding count
        pages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widest = pages.sizeHintForColumn(0) + 2 * pages.frameWidth()
        bar = pages.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, pages)
        pages.setFixedWidth(max(180, widest + bar))

    def _add_page(self, group: str, title: str, fields: list[Field[Any]]) -> None:
        page = QWidget()
        page.setObjectName(f"page-{group}")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(18, 8, 18, 8)
        heading = _plain(title, "heading")
        layout.addWidget(heading)
        for f in fields:
            editor, mode = self._editor(f)
            editor.setObjectName(f.name)
            # the control that takes the keyboard carries the label as its name and the
            # explanation as its description (a combo box's name stays its value on Linux,
            # Qt's choice there: its label reaches AT-SPI as the labelled-by relation)
            field = editor.focusProxy() or editor
            field.setAccessibleName(label_of(f))
            field.setAccessibleDescription(doc_of(f))
            row = Row(f, editor, self.prefs.policy.note(f.name), mode)
            if f.name in self.prefs.policy.locks:
                editor.setEnabled(False)
            self.rows[f.name] = row
            layout.addWidget(row)
        if group == "privacy":
            self._privacy(layout)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's first field
        scroll.setWidget(page)
        self.stack.addWidget(scroll)
        QListWidgetItem(title, self.pages)

    def _editor(self, f: Field[Any]) -> tuple[QWidget, str]:
        """The widget for one setting, filled and wired, and where its label goes."""
        key, meta, value = f.name, f.metadata, getattr(self.prefs.settings, f.name)
        default = f.default
        if isinstance(default, bool):
            box = QCheckBox(label_of(f))
            box.setChecked(value)
            box.toggled.connect(lambda on: self.commit(key, on))
            return box, INLINE
        if isinstance(default, (int, float)):
            spin: QSpinBox | QDoubleSpinBox
            if isinstance(default, int):
                spin = QSpinBox()
            else:
                spin = Minutes()
                spin.setDecimals(1)
            spin.setRange(meta["lo"], meta["hi"])
            spin.setValue(value)
            spin.setSuffix(f" {s.unit(key)}".rstrip())
            spin.setKeyboardTracking(False)
            spin.setMinimumWidth(110)
            spin.valueChanged.connect(lambda v: self.commit(key, v))
            return spin, SIDE
        if isinstance(default, str) and meta["choices"]:
            combo = QComboBox()
            labels = meta["labels"] or meta["choices"]
            for choice, label in zip(meta["choices"], labels, strict=True):
                combo.addItem(_(label), choice)
            combo.setCurrentIndex(meta["choices"].index(value))
            combo.currentIndexChanged.connect(lambda i: self.commit(key, meta["choices"][i]))
            return combo, SIDE
        if isinstance(default, tuple) and meta["choices"]:
            return self._choice_boxes(key, meta, value), ABOVE  # a row of boxes: room
        if isinstance(default, tuple):
            return self._exercise_list(key, value), ABOVE
        return self._text(key, value), ABOVE if key == "exercise_pack" else SIDE

    def _choice_boxes(self, key: str, meta: Mapping[str, Any], value: tuple[str, ...]) -> QWidget:
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        boxes: list[tuple[str, QCheckBox]] = []
        for choice, label in zip(meta["choices"], meta["labels"] or meta["choices"], strict=True):
            box = QCheckBox(_(label))
            box.setObjectName(f"{key}:{choice}")
            box.setChecked(choice in value)
            boxes.append((choice, box))
            line.addWidget(box)

        def changed() -> None:
            self.commit(key, [c for c, b in boxes if b.isChecked()])

        for _choice, box in boxes:
            box.toggled.connect(changed)
        return holder

    def _exercise_list(self, key: str, disabled: tuple[str, ...]) -> QWidget:
        """Every exercise with a tick: unticked ones are never offered."""
        items = QListWidget()
        items.setMinimumHeight(220)
        for ex_id, title in sorted(self.exercises.items(), key=lambda kv: kv[1].lower()):
            item = QListWidgetItem(title, items)
            item.setData(Qt.ItemDataRole.UserRole, ex_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Unchecked if ex_id in disabled else Qt.CheckState.Checked
            )
        unknown = [d for d in disabled if d not in self.exercises]  # kept as they are

        def changed(_item: QListWidgetItem) -> None:
            off = [
                items.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(items.count())
                if items.item(i).checkState() == Qt.CheckState.Unchecked
            ]
            self.commit(key, [*unknown, *off])

        items.itemChanged.connect(changed)
        return items

    def _text(self, key: str, value: str) -> QWidget:
        edit = QLineEdit(value)
        edit.setMinimumWidth(220)
        meta = s.SETTING_FIELDS[key].metadata
        if meta["pattern"]:
            edit.setPlaceholderText(_(meta["pattern"][1]))
        edit.editingFinished.connect(lambda: self.commit(key, edit.text().strip()))
        if key != "exercise_pack":
            return edit
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(edit, 1)
        choose = QPushButton(_("Choose…"))

        def pick() -> None:
            folder = QFileDialog.getExistingDirectory(
                self, _("Extra exercises folder"), edit.text() or str(Path.home())
            )
            if folder:
                edit.setText(folder)
                self.commit(key, folder)

        choose.clicked.connect(pick)
        line.addWidget(choose)
        holder.setFocusProxy(edit)
        return holder

    def _privacy(self, layout: QVBoxLayout) -> None:
        layout.addWidget(
            _plain(
                _(
                    "Coach keeps your sitting and break history on this computer only, in {file}. "
                    "Nothing is sent anywhere."
                ).format(file=self.paths.database),
                "doc",
            )
        )
        layout.addSpacing(10)
        layout.addWidget(_plain(_("Team report"), "subheading"))
        layout.addWidget(
            _plain(
                _(
                    "If your organisation asks for it, you can save an anonymous file with last "
                    "week's totals: sitting time, sitting bouts over 60 minutes, breaks offered "
                    "and breaks done. No name, username or computer name. You see exactly what it "
                    "contains before it is saved."
                ),
                "doc",
            )
        )
        button = QPushButton(_("Write a team file…"))
        button.setObjectName("team_file")
        allowed = self.prefs.policy.allow_export and self.team_file is not None
        button.setEnabled(allowed)
        button.clicked.connect(self._write_team_file)
        line = QHBoxLayout()
        line.addWidget(button)
        line.addStretch(1)
        layout.addLayout(line)
        if not self.prefs.policy.allow_export:
            layout.addWidget(
                _plain(
                    _("Data export is switched off by {owner}.").format(
                        owner=self.prefs.policy.owner
                    ),
                    "note",
                )
            )

    # -- changes -----------------------------------------------------------------------
    def commit(self, key: str, value: Any) -> bool:
        """Check, save and apply one value; show a message next to the field if wrong."""
        row = self.rows[key]
        coerced, reason = self.prefs.policy.check(key, value)
        if (
            reason is None
            and key == "exercise_pack"
            and coerced
            and not Path(coerced).expanduser().is_dir()
        ):
            reason = _("there is no folder {folder}").format(folder=coerced)
        if reason is not None:
            row.show_error(reason)
            if isinstance(row.editor, (QSpinBox, QDoubleSpinBox)):  # show what applies
                with QSignalBlocker(row.editor):
                    row.editor.setValue(getattr(self.prefs.settings, key))
            return False
        row.show_error("")
        if coerced == getattr(self.prefs.settings, key):
            return True
        stored = None if coerced == getattr(self.prefs.base, key) else coerced
        try:
            kept = self.prefs.save({key: stored})
        except s.SaveError as exc:
            row.show_error(str(exc))
            return False
        log.info("setting %s changed", key)
        self.applied.emit(self.prefs.settings)
        if key == "language":
            i18n.use(self.prefs.settings.language)
            self._build(self.pages.currentRow())
        self.status.setText(
            _("Saved.")
            if kept is None
            else _("Your settings file had problems; the original was kept as {file}.").format(
                file=kept
            )
        )
        return True

    def _show_load_problems(self) -> None:
        mine = [p for p in self.prefs.problems if p.path == str(self.prefs.user_file)]
        if mine:
            self.status.setText(
                _("Some settings in your file could not be used: {problems}").format(
                    problems="; ".join(str(p) for p in mine)
                )
            )

    def _write_team_file(self) -> None:
        data = self.team_file() if self.team_file else None
        preview = TeamFilePreview(data)
        preview.exec()


class TeamFilePreview(QDialog):
    """Shows exactly what a team file holds, then saves it where the user chooses."""

    def __init__(self, data: bytes | None) -> None:
        super().__init__()
        self.data = data
        self.setWindowTitle(_("Coach: team file"))
        self.setStyleSheet(style(a11y.colours(self)))
        self.resize(560, 440)
        layout = QVBoxLayout(self)
        if data is None:
            layout.addWidget(
                _plain(_("Nothing was recorded last week, so there is nothing to save."))
            )
        else:
            layout.addWidget(_plain(_("This is everything the file will contain:")))
            text = QPlainTextEdit(data.decode("utf-8"))
            text.setObjectName("contents")
            text.setReadOnly(True)
            text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            layout.addWidget(text, 1)
            layout.addWidget(
                _plain(
                    _(
                        "week: the calendar week. days_with_data: days on which Coach recorded "
                        "sitting. sitting_minutes: minutes of sitting that week. "
                        "bouts_over_60_min: times you sat for more than an hour at a stretch. "
                        "breaks_offered, breaks_done: breaks Coach offered, and those you took."
                    ),
                    "doc",
                )
            )
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setEnabled(data is not None)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        layout.addWidget(buttons)
        self.message = _plain("", "status")
        layout.addWidget(self.message)

    def _save(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save team file"), str(Path.home() / "coach-team.json"), "JSON (*.json)"
        )
        if name:
            self.save(Path(name))

    def save(self, path: Path) -> bool:
        if self.data is None:
            return False
        try:
            write_private(path, self.data)
        except OSError as exc:
            self.message.setText(_("Not saved: {reason}").format(reason=exc.strerror or exc))
            return False
        self.accept()
        return True


def style(c: Colours) -> str:
    """The settings dialog's style sheet in the colours `c` (coach/ui/palette.py)."""
    return f"""
#heading {{ font-size: 15pt; font-weight: 600; padding: 4px 0 6px 0; }}
#subheading {{ font-size: 11.5pt; font-weight: 600; }}
#label {{ font-weight: 600; }}
#doc {{ color: {c.muted}; }}
#note {{ color: {c.note}; font-style: italic; }}
#error {{ color: {c.error}; font-weight: 600; }}
#groups {{ font-size: 11pt; }}
#groups::item {{ padding: 6px 8px; }}
QCheckBox {{ border: 2px solid transparent; border-radius: 3px; padding: 1px 2px; }}
QCheckBox:focus {{ border-color: {c.focus}; }}
""" + button_rules(c)
