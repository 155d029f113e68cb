"""The app's side of accessibility, in-process with a fake clock: the reduced-motion
setting reaches the break window, and the break can be reached on purpose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QPushButton

from coach.ui import a11y
from coach.ui.app import CoachApp
from tests.apps import folder_paths


@pytest.fixture
def app_with(tmp_path: Path, make_app: Callable[..., CoachApp]) -> Callable[..., CoachApp]:
    """Apps with these settings, each with its own history."""
    made: list[CoachApp] = []

    def make(**settings: object) -> CoachApp:
        made.append(make_app(settings, paths=folder_paths(tmp_path / str(len(made)))))
        return made[-1]

    return make


def _exercise_break(app: CoachApp) -> None:
    """Take breaks until one has an exercise with more than one pose."""
    for _ in range(12):
        app.take_break_now()
        if len(app.window._poses) > 1:
            return
        app.window.skip_button.click()
    pytest.fail("no exercise with key poses came up")


@pytest.mark.parametrize(("setting", "still"), [("on", True), ("off", False)])
def test_reduced_motion_shows_still_poses_side_by_side(app_with, setting: str, still: bool) -> None:
    app = app_with(reduced_motion=setting, micro_every_min=30, exercise_every_min=30)
    _exercise_break(app)
    window = app.window
    assert window.stills.isVisible() is still
    assert window.picture.isVisible() is not still
    assert window._pose_timer.isActive() is not still  # nothing moves
    assert window.progress.isVisible() is not still  # not even the progress bar
    assert window.countdown.isVisible()  # the time left stays, in words
    if still:
        poses = window.stills.findChildren(QSvgWidget)
        assert len(poses) == len(window._poses) > 1
        assert len({p.y() for p in poses}) == 1  # side by side
        assert poses[0].accessibleName().endswith(f"pose 1 of {len(poses)}")


def test_system_follows_the_desktop(app_with, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(a11y, "desktop_reduces_motion", lambda: True)
    app = app_with(reduced_motion="system")
    assert app.window.reduce_motion is True


def test_go_to_the_break_only_while_one_waits_and_it_takes_the_keyboard(qtbot, app_with) -> None:
    app = app_with()
    app.tray.update_status(app.service.status())
    assert not app.tray.focus_action.isVisible()
    app.take_break_now()
    window = app.window
    assert app.tray.focus_action.isVisible()
    assert not window.isActiveWindow()  # shown without taking the keyboard
    app.tray.focus_action.trigger()
    qtbot.waitUntil(window.done_button.hasFocus)
    window.done_button.click()
    assert not app.tray.focus_action.isVisible()


def test_starting_coach_again_goes_to_the_waiting_break(
    qtbot, app_with, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with()
    statuses: list[bool] = []
    monkeypatch.setattr(app.tray, "show_status", lambda: statuses.append(True))
    app.show_itself()  # no break: the status, as before
    assert statuses == [True]
    app.take_break_now()
    app.show_itself()
    qtbot.waitUntil(app.window.done_button.hasFocus)
    assert statuses == [True]


def _unnamed(window) -> list[str]:
    """Focusable controls whose accessible interface has no name (what AT-SPI would show)."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QSpinBox

    out = []
    kinds = (QAbstractButton, QComboBox, QLineEdit, QSpinBox)
    for widget in [w for kind in kinds for w in window.findChildren(kind)]:
        if not widget.isVisibleTo(window):
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if not face.text(QAccessible.Text.Name):
            out.append(f"{type(widget).__name__} {widget.objectName()}")
    return out


def test_the_smaller_dialogs_name_every_control(qtbot) -> None:
    """The escalation offer and the pain and physiotherapist advice, which the desktop
    tests do not open."""
    from coach.core.escalation import Pattern
    from coach.exercises import safety
    from coach.ui.escalation_dialog import EscalationDialog, options
    from coach.ui.safety_dialog import pain_advice, physio_advice

    texts = safety.load("en")
    for dialog in (
        EscalationDialog(Pattern(hour=14, declined=4, offered=5, days=5), options()),
        pain_advice(texts, repeated=True),
        physio_advice(texts),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert _unnamed(dialog) == []
        assert dialog.findChildren(QPushButton)


def test_every_settings_field_is_named_by_its_label(qtbot, tmp_path: Path) -> None:
    """The control that takes the keyboard, on every page: its label as its name (a combo
    box, which Qt names by its value on Linux, through the labelled-by relation) and its
    explanation as its description."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

    from coach.config.paths import Paths
    from coach.config.preferences import Preferences
    from coach.config.settings import SETTING_FIELDS
    from coach.ui.settings_dialog import SettingsDialog, doc_of, label_of

    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "p.toml")
    dialog = SettingsDialog(Preferences(paths))
    qtbot.addWidget(dialog)
    fields = [
        w
        for kind in (QComboBox, QAbstractSpinBox, QLineEdit)
        for w in dialog.findChildren(kind)
        if not isinstance(w.parent(), (QComboBox, QAbstractSpinBox))  # their inner editors
    ]
    rows = {w: row for row in dialog.rows.values() for w in fields if row.isAncestorOf(w)}
    assert len(fields) > 10 and set(rows) == set(fields)
    for widget, row in rows.items():
        face = QAccessible.queryAccessibleInterface(widget)
        f = SETTING_FIELDS[row.key]
        labels = [r.text(QAccessible.Text.Name) for r, _flag in face.relations()]
        name = face.text(QAccessible.Text.Name)
        assert name == label_of(f) or (isinstance(widget, QComboBox) and label_of(f) in labels)
        assert face.text(QAccessible.Text.Description) == doc_of(f), row.key
