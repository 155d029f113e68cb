"""pytest-qt: the tray menu, the break window and the app wiring, with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from coach.clock import FakeClock
from coach.exercises.catalog import load_library
from coach.paths import Paths
from coach.sample import Sample
from coach.settings import Settings
from coach.store import Store
from coach.ui.app import CoachApp
from coach.ui.break_window import BreakWindow
from coach.ui.tray_icon import paint

CET = timezone(timedelta(hours=1))


class FakeSampler:
    def __init__(self) -> None:
        self.next = Sample(idle_s=0.0)

    def sample(self, now: float) -> Sample:
        return self.next


@pytest.fixture
def coach_app(qtbot: object, tmp_path: Path) -> Iterator[CoachApp]:
    paths = Paths(tmp_path, tmp_path, tmp_path / "policy.toml")
    store = Store.open(paths.database)
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    app = CoachApp(paths, Settings(language="en"), store, FakeSampler(), clock)
    yield app
    app.window.close_break()
    app.timer.stop()
    app.tray.icon.hide()
    store.close()


def menu_texts(app: CoachApp) -> list[str]:
    return [a.text() for a in app.tray.menu.actions() if a.text()]


def test_tray_menu_offers_the_basics(coach_app: CoachApp) -> None:
    texts = menu_texts(coach_app)
    for wanted in ("Take a break now", "Pause", "Statistics", "Settings", "Quit Coach"):
        assert wanted in texts
    pause = [a.text() for a in coach_app.tray.pause_menu.actions()]
    assert pause == ["For 30 minutes", "For 1 hour", "Until tomorrow"]


def test_tooltip_shows_sitting_time_and_next_break(coach_app: CoachApp) -> None:
    clock = coach_app.service.clock
    assert isinstance(clock, FakeClock)
    for _ in range(120):  # ten minutes of typing
        clock.advance(5)
        coach_app.tick()
    tip = coach_app.tray.icon.toolTip()
    assert "Sitting now: 10 min" in tip
    assert "next break after 20 min" in tip


def test_break_now_then_done_is_recorded_and_closes(qtbot, coach_app: CoachApp) -> None:
    coach_app.take_break_now()
    window = coach_app.window
    assert window.isVisible()
    assert window.title.text()  # an exercise from the library
    steps = [w for w in window.findChildren(QLabel) if w.objectName() == "step"]
    assert len(steps) >= 3
    qtbot.mouseClick(window.done_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    rows = coach_app.service.store.conn.execute("SELECT kind, outcome FROM breaks").fetchall()
    assert rows == [("exercise", "done")]


def test_snooze_button_disabled_when_no_snoozes_left(qtbot, coach_app: CoachApp) -> None:
    coach_app.take_break_now()
    window = coach_app.window
    for _ in range(2):
        qtbot.mouseClick(window.snooze_button, Qt.MouseButton.LeftButton)
        assert not window.isVisible()
        coach_app.take_break_now()  # shows the snoozed break again
    assert not window.snooze_button.isEnabled()
    qtbot.mouseClick(window.skip_button, Qt.MouseButton.LeftButton)
    outcome = coach_app.service.store.conn.execute("SELECT outcome, snoozes FROM breaks")
    assert outcome.fetchall() == [("skipped", 2)]


def test_pause_and_resume_from_the_tray(coach_app: CoachApp) -> None:
    coach_app.pause(30 * 60)
    assert "Paused" in coach_app.tray.icon.toolTip()
    assert coach_app.tray.resume_action.isVisible()
    assert not coach_app.tray.pause_menu.isEnabled()
    coach_app.resume()
    assert "Paused" not in coach_app.tray.icon.toolTip()


def test_texts_are_plain_never_html(qtbot) -> None:
    exercises, _ = load_library()
    window = BreakWindow("en", "<b>footer</b>")
    qtbot.addWidget(window)
    window.show_break(1, "micro", None, 45, True)
    labels = window.findChildren(QLabel)
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels
               if label.objectName() in ("title", "why", "step", "footer"))
    window.close_break()


def test_break_window_fits_a_1280x720_screen(qtbot) -> None:
    exercises, _ = load_library()
    window = BreakWindow("nl", "Stop als het pijn doet. Dit is geen medisch advies.")
    qtbot.addWidget(window)
    for ex in exercises:
        window.show_break(1, "exercise", ex, 150, True)
        hint = window.sizeHint()
        assert hint.width() <= 1280 and hint.height() <= 680, ex.id
    window.close_break()


def test_buttons_have_accessible_names(qtbot) -> None:
    window = BreakWindow("en", "footer")
    qtbot.addWidget(window)
    names = {b.accessibleName() for b in window.findChildren(QPushButton)}
    assert {"Done", "Snooze", "Skip"} <= names


@pytest.mark.parametrize("state", ["normal", "due", "urgent", "paused"])
def test_tray_icon_states_differ(qtbot, state: str) -> None:
    normal = paint(32, 0.5, "normal").toImage()
    image = paint(32, 0.5, state).toImage()
    assert (image == normal) == (state == "normal")
