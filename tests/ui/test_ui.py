"""pytest-qt: the tray menu, the break window and the app wiring, with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from coach.core.clock import FakeClock
from coach.core.events import Tier
from coach.core.modes import Mode
from coach.core.sample import Sample
from coach.exercises.catalog import load_library
from coach.ui.app import CoachApp
from coach.ui.break_window import BreakWindow
from coach.ui.tray_icon import paint
from tests.apps import folder_paths
from tests.breaks import due_break

CET = timezone(timedelta(hours=1))


class FakeSampler:
    def __init__(self) -> None:
        self.next = Sample(idle_s=0.0)

    def sample(self, now: float) -> Sample:
        return self.next


@pytest.fixture
def coach_app(make_app: Callable[..., CoachApp]) -> CoachApp:
    return make_app(sampler=FakeSampler())


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
    for _ in range(2):
        window = coach_app.window
        qtbot.mouseClick(window.snooze_button, Qt.MouseButton.LeftButton)
        assert not window.isVisible()
        coach_app.take_break_now()  # shows the snoozed break again (in a new window)
    window = coach_app.window
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
    window.show_break(due_break(None, Tier.MICRO, 45))
    labels = window.findChildren(QLabel)
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText
        for label in labels
        if label.objectName() in ("title", "why", "step", "footer")
    )
    window.close_break()


def test_break_window_fits_a_1280x720_screen(qtbot) -> None:
    exercises, _ = load_library()
    window = BreakWindow("nl", "Stop als het pijn doet. Dit is geen medisch advies.")
    qtbot.addWidget(window)
    for ex in exercises:
        window.show_break(due_break(ex))
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


def test_firm_skip_asks_for_a_reason_and_strict_has_no_skip(
    qtbot, tmp_path: Path, make_app: Callable[..., CoachApp]
) -> None:
    firm = make_app({"strictness": "firm"}, paths=folder_paths(tmp_path / "firm"))
    firm.take_break_now()
    qtbot.mouseClick(firm.window.skip_button, Qt.MouseButton.LeftButton)
    assert firm.window.skip_menu.isVisible()  # asks why before skipping
    assert firm.status().break_id is not None
    firm.window.skip_menu.actions()[1].trigger()  # "Too busy right now"
    rows = firm.service.store.conn.execute("SELECT outcome, reason FROM breaks").fetchall()
    assert rows == [("skipped", "busy")]

    strict = make_app({"strictness": "strict"}, paths=folder_paths(tmp_path / "strict"))
    strict.take_break_now()
    assert not strict.window.skip_button.isVisible()
    assert strict.window.hurt_button.isVisible()


def test_keys_before_the_user_came_to_the_window_are_not_answers(
    qtbot, coach_app: CoachApp
) -> None:
    """A desktop that gives the new window the keyboard anyway (KWin on Wayland) hands it
    what the user types elsewhere: no letter of it answers the break."""
    coach_app.take_break_now()
    window = coach_app.window
    for key in (Qt.Key.Key_D, Qt.Key.Key_S, Qt.Key.Key_K, Qt.Key.Key_Escape, Qt.Key.Key_Return):
        qtbot.keyClick(window, key)
    assert coach_app.status().break_id is not None
    rows = coach_app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall()
    assert rows == [("open",)]
    window.focus()  # the user asks for the break: now D is Done
    qtbot.keyClick(window, Qt.Key.Key_D)
    rows = coach_app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall()
    assert rows == [("done",)]


def test_shortcuts_once_the_window_has_focus(qtbot, coach_app: CoachApp) -> None:
    coach_app.take_break_now()
    window = coach_app.window
    if QApplication.platformName() == "xcb":
        assert not window.isActiveWindow()  # it did not take the keyboard by itself
    qtbot.mouseClick(window.title, Qt.MouseButton.LeftButton)  # the user clicks into it
    window.take_focus()  # what the click does (offscreen sends no press to the window)
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_D)  # D: Done
    rows = coach_app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall()
    assert rows == [("done",)]
    coach_app.take_break_now()  # a new window: again without the keyboard until clicked
    window = coach_app.window
    window.take_focus()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc snoozes
    rows = coach_app.service.store.conn.execute("SELECT outcome FROM breaks").fetchall()
    assert rows == [("done",), ("snoozed",)]


def test_a_second_due_break_merges_into_the_open_window(
    qtbot, make_app: Callable[..., CoachApp]
) -> None:
    from PySide6.QtWidgets import QApplication

    app = make_app({"missed_after_min": 45})
    clock = app.service.clock
    assert isinstance(clock, FakeClock)
    assert app.window is not None  # built at the first break: count it in from the start
    before = len(QApplication.topLevelWidgets())
    for _ in range(12 * 61):  # an hour and a bit, ignoring the break shown at 30 min
        clock.advance(5)
        app.tick()
    assert app.window.isVisible()
    assert app.window.kind_label.text() == "Exercise break"
    assert len(QApplication.topLevelWidgets()) == before  # one window, not a stack
    assert app.service.store.conn.execute("SELECT kind FROM breaks").fetchall() == [("exercise",)]
    assert app.tray._painted is not None and app.tray._painted[1] == "urgent"


def test_progress_and_countdown(qtbot, coach_app: CoachApp) -> None:
    """The countdown and the progress follow the planned dose, not the break length."""
    coach_app.take_break_now()
    window = coach_app.window
    exercise = next(
        e for e in coach_app.exercises.values() if e.text("en").title == window.title.text()
    )
    planned = coach_app.service.dose(exercise, "exercise")
    assert planned is not None and planned.seconds <= 150
    minutes, seconds = divmod(planned.seconds, 60)
    assert window.countdown.text() == f"{minutes}:{seconds:02d}"
    for _ in range(15):
        window._count_down()
    minutes, seconds = divmod(planned.seconds - 15, 60)
    assert window.countdown.text() == f"{minutes}:{seconds:02d}"
    assert window.progress.value() == 15 and window.progress.maximum() == planned.seconds


def test_in_a_meeting_pauses_and_ends(qtbot, coach_app: CoachApp) -> None:
    coach_app.start_meeting()
    assert "In a meeting" in coach_app.tray.icon.toolTip()
    assert coach_app.tray.resume_action.text() == "End the meeting"
    status = coach_app.status()
    assert status.mode == Mode.MEETING and status.paused
    assert status.until == coach_app.service.clock.wall() + timedelta(hours=2)
    coach_app.resume()
    assert (
        coach_app.status().mode == Mode.ON and "In a meeting" not in coach_app.tray.icon.toolTip()
    )


def test_notifications_fall_back_to_the_tray_icon(qtbot, coach_app: CoachApp) -> None:
    coach_app.notifier.backends = [coach_app.tray.balloon, coach_app.tray.tooltip_note]
    coach_app.notify("A break is coming", "in a minute")  # no tray shown: balloon fails
    assert "A break is coming: in a minute" in coach_app.tray.icon.toolTip()


def test_kinder_breaks_are_offered_once_and_applied(
    qtbot, tmp_path: Path, make_app: Callable[..., CoachApp]
) -> None:
    app = make_app()
    store = app.service.store
    for day in range(4):  # breaks at 9:xx skipped on four days
        when = datetime(2026, 11, 12 + day, 9, 5, tzinfo=CET)
        store.update_break(store.offer_break("micro", "x", when), outcome="skipped", when=when)
    app.take_break_now()
    qtbot.mouseClick(app.window.skip_button, Qt.MouseButton.LeftButton)
    dialog = app._dialog
    assert dialog is not None and dialog.windowTitle() == "Coach: a better moment for breaks?"
    wait = next(
        b for b in dialog.findChildren(QPushButton) if b.text() == "Wait for a pause in my typing"
    )
    qtbot.mouseClick(wait, Qt.MouseButton.LeftButton)
    assert app.settings.wait_for_pause and app.service.engine.settings.wait_for_pause
    assert "wait_for_pause = true" in (tmp_path / "settings.toml").read_text()
    app.take_break_now()
    qtbot.mouseClick(app.window.skip_button, Qt.MouseButton.LeftButton)
    assert app._dialog is dialog  # not offered again


def test_letter_keys_follow_the_language(qtbot, tmp_path: Path) -> None:
    """In Dutch the underlined K is "Klaar" (done), not skip."""
    from coach import i18n

    try:
        i18n.use("nl")
        window = BreakWindow("nl", "voet")
        qtbot.addWidget(window)
        answers: list[tuple[int, str, str]] = []
        window.answered.connect(lambda *a: answers.append(a))
        window.show_break(due_break(None, Tier.MICRO, 45))
        window.take_focus()  # the user clicked into it
        qtbot.keyClick(window, Qt.Key.Key_K)
        assert answers == [(1, "done", "")]
        window.close_break()
    finally:
        i18n.use("en")


def test_tooltip_during_a_snooze_says_when_the_break_comes_back(qtbot, coach_app: CoachApp) -> None:
    clock = coach_app.service.clock
    assert isinstance(clock, FakeClock)
    coach_app.take_break_now()
    qtbot.mouseClick(coach_app.window.snooze_button, Qt.MouseButton.LeftButton)
    clock.advance(60)
    coach_app.tick()
    tip = coach_app.tray.icon.toolTip()
    assert "the snoozed break comes back in 4 min" in tip
    assert "0 s more sitting" not in tip


def test_paused_says_until_when(coach_app: CoachApp) -> None:
    coach_app.pause(30 * 60)
    assert "Paused until 09:30." in coach_app.tray.icon.toolTip()
    coach_app.resume()
    coach_app.pause(None)
    assert "Paused until tomorrow." in coach_app.tray.icon.toolTip()


def test_the_start_up_notice_counts_the_problems_and_names_files_not_paths(
    tmp_path: Path,
) -> None:
    from coach.config.settings import Problem
    from coach.ui.app import startup_notice

    problems = [
        Problem(str(tmp_path / "deep" / "policy.toml"), "snooze_min", "must be a number", 3),
        Problem(
            str(tmp_path / "settings.toml"), "language", "'tlh' is not one of: auto, en, de, fr, nl"
        ),
    ]
    title, body = startup_notice([p.short() for p in problems])
    assert title == "Coach started: 2 things to check"
    assert str(tmp_path) not in body
    assert "policy.toml, line 3, key 'snooze_min': must be a number" in body
    assert body.endswith("Coach uses safe values where something was wrong and keeps running.")
    title, body = startup_notice([f"problem {n}" for n in range(6)])
    assert "… and 2 more in the log." in body and "problem 4" not in body
    assert startup_notice(["one"])[0] == "Coach started: 1 thing to check"


def test_the_break_window_is_built_while_the_user_sits_close_to_a_break(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., CoachApp]
) -> None:
    """Built in a tick shortly before the break (not at start, not while away), so the
    break only fills and shows it; dropped when the user leaves without a break."""
    import coach.ui.app as app_mod

    prepared: list[float] = []
    sampler = FakeSampler()
    app = make_app({"micro_every_min": 2.0}, sampler=sampler)
    clock = app.service.clock
    assert isinstance(clock, FakeClock)
    build = CoachApp._prepare_break

    def prepare(self: CoachApp) -> None:
        prepared.append(clock.mono())
        build(self)

    monkeypatch.setattr(CoachApp, "_prepare_break", prepare)
    start = clock.mono()
    sampler.next = Sample(idle_s=600.0)  # away: nothing prepared
    for _ in range(10):
        clock.advance(15)
        app.tick()
    assert prepared == []
    sampler.next = Sample(idle_s=0.0)
    first_due = None
    while first_due is None:
        clock.advance(5)
        app.tick()
        if app.status().break_id is not None:
            first_due = clock.mono()
    assert prepared, "not prepared before the break fell due"
    assert first_due - app_mod.PREPARE_BREAK_S - 5 <= prepared[0] < first_due
    assert prepared[0] - start > 150  # not at start: after some 90 s of sitting
    app.answer(app.window.break_id, "done")
    assert app._view is None  # dropped after the break
    before = len(prepared)
    while len(prepared) == before:  # sitting towards the next one
        clock.advance(5)
        app.tick()
    assert app._view is not None
    sampler.next = Sample(idle_s=600.0)  # the user leaves before it
    for _ in range(10):
        clock.advance(15)
        app.tick()
    assert app.status().away_s > 0
    assert app._view is None  # the window built for it is let go
