"""pytest-qt: the settings dialog is built from the declared settings, saves at once,
validates next to the field, honours the policy, and reads in Dutch (screenshots)."""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from coach import i18n
from coach.config import settings as s
from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.exercises import safety
from coach.exercises.catalog import load_library
from coach.history import team
from coach.ui.app import CoachApp
from coach.ui.break_window import BreakWindow
from coach.ui.settings_dialog import SettingsDialog, TeamFilePreview
from tests.breaks import due_break

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
POLICY = """\
organisation = "Acme BV"
[lock]
max_snoozes = 1
[floor]
exercise_every_min = 45
"""
TEAM = b'{\n  "format": "coach-team-week",\n  "week": "2026-W46"\n}\n'


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    (tmp_path / "policy.toml").write_text(POLICY)
    return Paths(tmp_path / "cfg", tmp_path / "data", tmp_path / "policy.toml")


def exercises(lang: str = "en") -> dict[str, str]:
    return {e.id: e.text(lang).title for e in load_library()[0]}


def make(qtbot, paths: Paths, team: bytes | None = TEAM) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Preferences(paths), exercises(), lambda: team)
    qtbot.addWidget(dialog)
    return dialog


def user_values(paths: Paths) -> dict[str, object]:
    return tomllib.loads(paths.settings_file.read_text()) if paths.settings_file.exists() else {}


def test_every_declared_setting_has_a_group_a_label_and_a_field(qtbot, paths: Paths) -> None:
    for f in s.SETTING_FIELDS.values():
        assert f.metadata["group"] in s.GROUPS, f"{f.name}: declare group= (one of GROUPS)"
        assert f.metadata["label"], f"{f.name}: declare label="
    dialog = make(qtbot, paths)
    assert set(dialog.rows) == set(s.SETTING_FIELDS)
    page_names = [dialog.pages.item(i).text() for i in range(dialog.pages.count())]
    assert page_names[:2] == ["Breaks", "Exercises"] and "Privacy" in page_names
    for key, row in dialog.rows.items():
        group = s.SETTING_FIELDS[key].metadata["group"]
        page = dialog.stack.widget(page_names.index(s.GROUPS[group]))
        assert page.isAncestorOf(row), key


def test_a_change_is_saved_at_once_and_applied(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    spin = dialog.findChild(QDoubleSpinBox, "micro_every_min")
    with qtbot.waitSignal(dialog.applied) as applied:
        spin.setValue(20)
    assert applied.args[0].micro_every_min == 20
    assert user_values(paths) == {"micro_every_min": 20.0}
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600
    assert dialog.status.text() == "Saved."
    with qtbot.waitSignal(dialog.applied) as applied:
        spin.setValue(30)  # the default again: the key leaves the file
    assert user_values(paths) == {} and applied.args[0].micro_every_min == 30


def test_each_kind_of_field_saves(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    dialog.findChild(QSpinBox, "micro_duration_s").setValue(60)
    dialog.findChild(QCheckBox, "autostart").setChecked(True)
    focus = dialog.findChild(QComboBox, "focus")
    focus.setCurrentIndex(focus.findData("hip"))
    dialog.findChild(QCheckBox, "positions:floor").setChecked(True)  # off by default
    offered = dialog.findChild(QListWidget, "disabled_exercises")
    offered.item(0).setCheckState(Qt.CheckState.Unchecked)
    hours = dialog.findChild(QLineEdit, "work_hours")
    hours.setText("Mon-Fri 08:30-17:30")
    hours.editingFinished.emit()
    got = user_values(paths)
    assert got["micro_duration_s"] == 60 and got["autostart"] is True
    assert got["focus"] == "hip" and got["positions"] == ["seated", "standing", "floor"]
    assert got["disabled_exercises"] == [offered.item(0).data(Qt.ItemDataRole.UserRole)]
    assert got["work_hours"] == "Mon-Fri 08:30-17:30"


def test_bad_values_get_a_message_next_to_the_field(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    hours = dialog.findChild(QLineEdit, "work_hours")
    hours.setText("whenever")
    hours.editingFinished.emit()
    row = dialog.rows["work_hours"]
    assert not row.error.isHidden() and "whenever" in row.error.text()
    assert row.isAncestorOf(row.error) and row.isAncestorOf(hours)
    for box in ("seated", "standing", "floor"):
        dialog.findChild(QCheckBox, f"positions:{box}").setChecked(False)
    assert "at least 1" in dialog.rows["positions"].error.text()
    assert dialog.commit("exercise_pack", "/no/such/folder") is False
    assert "no folder" in dialog.rows["exercise_pack"].error.text()
    assert "work_hours" not in user_values(paths) and "exercise_pack" not in user_values(paths)
    hours.setText("")
    hours.editingFinished.emit()
    assert dialog.rows["work_hours"].error.isHidden()


def test_locked_settings_are_read_only_and_say_who_set_them(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    spin = dialog.findChild(QSpinBox, "max_snoozes")
    assert not spin.isEnabled() and spin.value() == 1
    assert dialog.rows["max_snoozes"].note.text() == "Set by Acme BV"
    assert dialog.commit("max_snoozes", 3) is False  # nor through the code path
    assert not paths.settings_file.exists()


def test_floors_cannot_be_crossed(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    spin = dialog.findChild(QDoubleSpinBox, "exercise_every_min")
    assert spin.value() == 45  # the default (60) held to the floor
    assert dialog.rows["exercise_every_min"].note.text() == "Acme BV allows at most 45 min"
    spin.setValue(90)
    assert dialog.rows["exercise_every_min"].error.text() == "Acme BV allows at most 45 min"
    assert spin.value() == 45  # the value that applies, not the one refused
    assert not paths.settings_file.exists()
    spin.setValue(40)
    assert user_values(paths) == {"exercise_every_min": 40.0}
    assert dialog.rows["exercise_every_min"].error.isHidden()


def test_a_broken_user_file_is_copied_aside_before_the_first_save(qtbot, paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    broken = b"micro_every_min = = 20\n\xff"
    paths.settings_file.write_bytes(broken)
    dialog = make(qtbot, paths)
    assert "could not be used" in dialog.status.text()
    dialog.findChild(QSpinBox, "micro_duration_s").setValue(50)
    kept = paths.settings_file.with_name("settings.toml.broken-1")
    assert kept.read_bytes() == broken
    assert str(kept) in dialog.status.text()
    assert user_values(paths) == {"micro_duration_s": 50}


def test_language_switches_at_once(qtbot, paths: Paths) -> None:
    dialog = make(qtbot, paths)
    language = dialog.findChild(QComboBox, "language")
    with qtbot.waitSignal(dialog.applied):
        language.setCurrentIndex(language.findData("nl"))
    assert dialog.windowTitle() == "Coach: instellingen"
    assert dialog.pages.item(0).text() == "Pauzes"
    assert dialog.findChild(QComboBox, "language").currentData() == "nl"
    assert dialog.status.text() == "Opgeslagen."


def test_team_file_preview_shows_exactly_the_bytes(qtbot, tmp_path: Path) -> None:
    preview = TeamFilePreview(TEAM)
    qtbot.addWidget(preview)
    assert preview.findChild(QPlainTextEdit, "contents").toPlainText().encode() == TEAM
    assert preview.save(tmp_path / "team.json")
    assert (tmp_path / "team.json").read_bytes() == TEAM
    assert stat.S_IMODE((tmp_path / "team.json").stat().st_mode) == 0o600
    empty = TeamFilePreview(None)
    qtbot.addWidget(empty)
    assert not empty.save_button.isEnabled()


def test_export_switched_off_by_the_policy(qtbot, paths: Paths) -> None:
    paths.policy_file.write_text(POLICY.replace("[lock]", "allow_export = false\n[lock]"))
    dialog = make(qtbot, paths)
    button = dialog.findChild(QPushButton, "team_file")
    assert not button.isEnabled()
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Data export is switched off by Acme BV." in notes


def test_all_texts_are_plain(qtbot, paths: Paths) -> None:
    paths.policy_file.write_text(POLICY.replace("Acme BV", "<b>Acme</b>"))
    dialog = make(qtbot, paths)
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


# -- in Dutch, as screenshots -----------------------------------------------------------
def shoot(widget: QWidget, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    assert widget.grab().save(str(path))
    return path


def test_settings_dialog_in_dutch_screenshots(qtbot, paths: Paths) -> None:
    i18n.use("nl")
    dialog = SettingsDialog(Preferences(paths), exercises("nl"), lambda: TEAM)
    qtbot.addWidget(dialog)
    dialog.resize(840, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    english = {"Breaks", "Exercises", "Settings", "Close", "Startup", "Language"}
    for i in range(dialog.pages.count()):
        dialog.pages.setCurrentRow(i)
        texts = {w.text() for w in dialog.findChildren(QLabel) if w.isVisible()}
        assert not texts & english
        shoot(dialog, f"settings-nl-{i + 1}-{dialog.pages.item(i).text().lower()}.png")
    assert dialog.windowTitle() == "Coach: instellingen"
    preview = TeamFilePreview(team.TeamWeek("2026-W46", 5, 1830, 3, 36, 25).to_bytes())
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    assert preview.windowTitle() == "Coach: teambestand"
    shoot(preview, "team-file-preview-nl.png")


def test_break_window_in_dutch_screenshot(qtbot) -> None:
    i18n.use("nl")
    exercise = next(e for e in load_library()[0] if e.position == "standing")
    window = BreakWindow("nl", safety.load("nl").break_footer)
    qtbot.addWidget(window)
    window.show_break(due_break(exercise))
    qtbot.waitExposed(window)
    assert window.done_button.text().replace("&", "") == "Klaar"
    assert window.windowTitle() == "Coach: tijd om te bewegen"
    shoot(window, "break-window-nl.png")
    window.close_break()


# -- the running app applies what the dialog saved ------------------------------------
@pytest.fixture
def coach_app(
    paths: Paths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_app: Callable[..., CoachApp],
) -> CoachApp:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.setattr("sys.platform", "linux")
    return make_app(paths=paths)


def test_app_applies_changes_at_once(qtbot, coach_app: CoachApp, tmp_path: Path) -> None:
    coach_app.open_settings()
    dialog = coach_app._settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    dialog.findChild(QDoubleSpinBox, "micro_every_min").setValue(10)
    assert coach_app.settings.micro_every_min == 10
    assert coach_app.service.engine.settings.micro_every_min == 10
    assert coach_app.service.engine.status(coach_app.service.clock.mono()).micro_in_s == 10 * 60
    dialog.findChild(QCheckBox, "autostart").setChecked(True)
    assert (tmp_path / "xdg" / "autostart" / "coach.desktop").exists()
    language = dialog.findChild(QComboBox, "language")
    language.setCurrentIndex(language.findData("nl"))
    texts = [a.text() for a in coach_app.tray.menu.actions()]
    assert "Nu pauze nemen" in texts and "Instellingen" in texts
    assert coach_app.tray.pause_menu.title() == "Pauzeren"
    assert coach_app.window.done_button.text() == "&Klaar"
    assert coach_app.window.windowTitle() == "Coach: tijd om te bewegen"
    assert "Nu zittend" in coach_app.tray.icon.toolTip()
    language = dialog.findChild(QComboBox, "language")  # the dialog was rebuilt in Dutch
    language.setCurrentIndex(language.findData("en"))
    assert "Take a break now" in [a.text() for a in coach_app.tray.menu.actions()]
    assert coach_app.window.done_button.text() == "&Done"


def test_demo_overrides_survive_the_dialogs(
    qtbot, tmp_path: Path, make_app: Callable[..., CoachApp]
) -> None:
    """`coach run --demo` values stay after the settings dialog or the kinder-breaks
    offer save a change (they used to read the file again and drop them)."""
    from coach.cli.run import DEMO

    app = make_app(DEMO, paths=Paths(tmp_path, tmp_path, tmp_path / "no-policy.toml"))
    app.open_settings()
    dialog = app._settings_dialog
    assert isinstance(dialog, SettingsDialog)
    dialog.findChild(QCheckBox, "chime").setChecked(not app.settings.chime)
    assert app.settings.micro_every_min == DEMO["micro_every_min"]
    assert app.service.engine.settings.snooze_min == DEMO["snooze_min"]
    app._save_settings({"wait_for_pause": True})
    assert app.settings.wait_for_pause and app.settings.micro_every_min == DEMO["micro_every_min"]
    dialog.findChild(QDoubleSpinBox, "micro_every_min").setValue(10)  # the user's choice wins
    assert app.settings.micro_every_min == 10 and app.settings.snooze_min == DEMO["snooze_min"]


def test_saved_values_keep_the_files_order_and_their_type(qtbot, paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    s.write_template(paths.settings_file)
    dialog = make(qtbot, paths)
    dialog.findChild(QDoubleSpinBox, "snooze_min").setValue(10)
    dialog.findChild(QSpinBox, "micro_duration_s").setValue(60)
    text = paths.settings_file.read_text()
    assert "snooze_min = 10\n" in text and "10.0" not in text
    keys = [line.split(" =")[0] for line in text.splitlines() if line and line[0] != "#"]
    assert keys == ["micro_duration_s", "snooze_min"]  # where the template lists them
    lines = text.splitlines()
    assert lines.index("snooze_min = 10") < lines.index("# max_snoozes = 2")
    assert lines.index("micro_duration_s = 60") > lines.index("# micro_every_min = 30")


def test_a_key_the_file_lacks_goes_before_the_next_declared_key(tmp_path: Path) -> None:
    file = tmp_path / "settings.toml"
    file.write_text('# mine\nmicro_every_min = 20\nlanguage = "nl"\n')
    s.save(file, {"snooze_min": 7.0})
    assert file.read_text() == ('# mine\nmicro_every_min = 20\nsnooze_min = 7\nlanguage = "nl"\n')


def test_no_english_in_the_dutch_settings_and_safety_texts(qtbot, paths: Paths) -> None:
    i18n.use("nl")
    dialog = SettingsDialog(Preferences(paths), exercises("nl"), lambda: TEAM)
    qtbot.addWidget(dialog)
    texts = " ".join(w.text() for w in dialog.findChildren(QLabel))
    placeholders = " ".join(w.placeholderText() for w in dialog.findChildren(QLineEdit))
    for english in ("both", "low-back", "hip (", "XDG", "LaunchAgent", " id", "Mon-Fri"):
        assert english not in texts + placeholders, english
    assert "ma-vr 08:30-17:30" in placeholders
    from coach.ui.safety_dialog import SafetyDialog

    shown = SafetyDialog(safety.load("nl"))
    qtbot.addWidget(shown)
    words = " ".join(w.text() for w in shown.findChildren(QLabel))
    assert ".txt" not in words and "fysiotherapie" in words
