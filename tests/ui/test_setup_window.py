"""The first-run setup: its answers become settings, the policy's locks hold, the
picker and the dose plan use them; screenshots at 1x, 2x and on a 1280x720 screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coach.config.settings import Settings

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


def _pick(group, value: str) -> None:  # type: ignore[no-untyped-def]
    next(b for b in group.buttons() if b.property("value") == value).click()


def test_answers_become_settings(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coach.ui.setup_window import SetupWindow

    window = SetupWindow(Settings(), lambda key: None)
    qtbot.addWidget(window)
    assert window.answers() == {  # the defaults, unchanged
        "focus": "both",
        "back_type": "unknown",
        "positions": ("seated", "standing"),
        "has_sit_stand_desk": False,
        "hip_condition": "none",
    }
    _pick(window.focus, "hip")
    _pick(window.back_type, "flat")
    _pick(window.hip, "replacement")
    window.floor.click()
    window.sit_stand.click()
    with qtbot.waitSignal(window.chosen) as saved:
        window.save_button.click()
    assert saved.args[0] == {
        "focus": "hip",
        "back_type": "flat",
        "positions": ("seated", "standing", "floor"),
        "has_sit_stand_desk": True,
        "hip_condition": "replacement",
    }


def test_policy_locks_hold_and_skip_changes_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    from coach.ui.setup_window import SetupWindow

    locked = {"positions": "Set by ACME"}
    window = SetupWindow(Settings(), locked.get)
    qtbot.addWidget(window)
    assert not window.floor.isEnabled() and window.floor.toolTip() == "Set by ACME"
    assert "positions" not in window.answers()
    emitted = []
    window.chosen.connect(emitted.append)
    window.skip_button.click()
    assert emitted == [] and window.result() == 0


@pytest.fixture
def coach_app(make_app: Callable[..., CoachApp]) -> CoachApp:
    return make_app()


def test_first_run_shows_safety_then_setup_and_saves(qtbot, coach_app) -> None:  # type: ignore[no-untyped-def]
    from coach.ui.setup_window import SetupWindow

    coach_app.start()
    safety = coach_app._dialog
    assert safety is not None and not isinstance(safety, SetupWindow)
    safety.accept()
    setup = coach_app._dialog
    assert isinstance(setup, SetupWindow)
    _pick(setup.hip, "irritated")
    setup.save_button.click()
    assert coach_app.settings.hip_condition == "irritated"
    assert "hip_condition" in coach_app.paths.settings_file.read_text(encoding="utf-8")
    assert coach_app.service.picker.settings.hip_condition == "irritated"


@pytest.mark.parametrize(
    "scale, screen, lang",
    [(1, "1280x800", "en"), (1, "1280x800", "nl"), (2, "2560x1600", "nl"), (1, "1280x720", "nl")],
)
def test_setup_window_screenshots_fit_the_screen(
    tmp_path: Path, scale: int, screen: str, lang: str
) -> None:
    from tests.desktop.test_break_look import render

    image, info = render(tmp_path, "light", scale, screen, lang, what="setup")
    assert "inside=True" in info and f"dpr={scale}" in info, info
    assert image.width() > 600 * scale


def test_an_employer_sets_the_defaults_and_locks_an_answer(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from coach.config import policy
    from coach.ui.setup_window import SetupWindow

    rules = tmp_path / "policy.toml"
    rules.write_text(
        'organisation = "ACME"\n[defaults]\npositions = ["seated", "standing", "floor"]\n'
        "[lock]\nhas_sit_stand_desk = true\n",
        encoding="utf-8",
    )
    layered = policy.load(rules, tmp_path / "user.toml")
    window = SetupWindow(layered.settings, policy.read(rules)[0].note)
    qtbot.addWidget(window)
    assert window.floor.isChecked() and window.floor.isEnabled()  # a default: changeable
    assert window.sit_stand.isChecked() and not window.sit_stand.isEnabled()  # locked
    assert window.sit_stand.toolTip() == "Set by ACME"
    assert "has_sit_stand_desk" not in window.answers()


def test_people_who_saw_the_safety_screen_before_get_the_setup_once(qtbot, coach_app) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from coach.ui.app import FIRST_RUN
    from coach.ui.setup_window import SetupWindow

    coach_app.service.store.mark_notice_shown(FIRST_RUN, datetime(2026, 1, 1, tzinfo=UTC))
    coach_app.start()
    assert isinstance(coach_app._dialog, SetupWindow)
    coach_app._dialog.skip_button.click()
    coach_app._dialog = None
    coach_app._first_setup()
    assert coach_app._dialog is None  # once
