"""The break window's picture follows the pose plan: each pose stays as long as the
plan says. Driven step by step (the single-shot timer's interval is read, the step is
taken by hand): no real waiting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coach.core.events import BreakDue, Planned, Tier
from coach.exercises import catalog
from coach.exercises.pacing import pose_plan
from coach.ui.break_window import BreakWindow
from tests.breaks import due_break
from tests.core.test_pacing import Dose

LIBRARY = {e.id: e for e in catalog.load_library()[0]}


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> BreakWindow:
    w = BreakWindow("en", "footer")
    qtbot.addWidget(w)
    w.shown: list[str] = []  # type: ignore[misc]
    monkeypatch.setattr(w.picture, "load", lambda path: w.shown.append(Path(path).name))
    yield w
    w.close_break()


def due(exercise_id: str | None, dose: Dose | None = None, break_id: int = 1) -> BreakDue:
    """A break for the exercise; with `dose`, only its reps and hold as the window's
    pose timing reads them (default: the dose the break plans)."""
    ex = LIBRARY[exercise_id] if exercise_id else None
    d = due_break(ex, Tier.EXERCISE, 150, break_id=break_id)
    if not (ex and dose and d.planned):
        return d
    timing = replace(d.planned.dose, reps=dose.reps, hold_s=dose.hold_s)
    return replace(d, planned=Planned(ex, timing))


def walk_through(window: BreakWindow, steps: int) -> list[tuple[str, int]]:
    """(picture shown, milliseconds until the next one) for the first `steps` poses."""
    seen = []
    for _ in range(steps):
        assert window._pose_timer.isActive() and window._pose_timer.isSingleShot()
        seen.append((window.shown[-1], window._pose_timer.interval()))
        window._next_pose()
    return seen


def test_a_stretch_is_still_for_the_whole_hold_and_moves_at_the_side_change(
    window: BreakWindow,
) -> None:
    window.show_break(due("seated-figure-four", Dose(1, 20)))
    assert walk_through(window, 5) == [
        ("seated-figure-four-1.svg", 3000),
        ("seated-figure-four-2.svg", 20000),
        ("seated-figure-four-1.svg", 3000),  # other side
        ("seated-figure-four-2.svg", 20000),
        ("seated-figure-four-1.svg", 3000),  # the plan repeats
    ]


def test_breathing_in_and_out_at_six_breaths_a_minute(window: BreakWindow) -> None:
    window.show_break(due("belly-breathing", Dose(0, 0)))
    assert walk_through(window, 3) == [
        ("belly-breathing-1.svg", 4000),
        ("belly-breathing-2.svg", 6000),
        ("belly-breathing-1.svg", 4000),
    ]


def test_reps_follow_the_plan_with_the_hold_in_the_working_pose(window: BreakWindow) -> None:
    shown = due("standing-glute-squeeze", Dose(6, 3))
    window.show_break(shown)
    assert shown.planned is not None
    plan = pose_plan(shown.planned.exercise, shown.planned.dose)
    seen = walk_through(window, 4)
    assert seen == [
        (shown.planned.exercise.illustration[s.frame].name, round(s.seconds * 1000))
        for s in plan * 2
    ]
    assert seen[1] == ("standing-glute-squeeze-2.svg", 3000)  # squeezed for the hold


def test_a_new_break_starts_its_own_plan_from_the_first_pose(window: BreakWindow) -> None:
    window.show_break(due("belly-breathing"))
    window._next_pose()
    window.show_break(due("posture-reset", break_id=2))
    assert walk_through(window, 2) == [
        ("posture-reset-1.svg", 3000),
        ("posture-reset-2.svg", 12000),
    ]


def test_no_exercise_no_picture_and_no_pose_timer(window: BreakWindow) -> None:
    window.show_break(due(None))
    assert not window.shown and not window._pose_timer.isActive()
    window.close_break()
    window.show_break(due("belly-breathing", break_id=2))
    window.close_break()
    assert not window._pose_timer.isActive()


def test_with_reduced_motion_the_poses_stand_still_side_by_side(qtbot) -> None:
    window = BreakWindow("en", "footer", reduce_motion=True)
    qtbot.addWidget(window)
    window.show_break(due("seated-figure-four"))
    assert not window._pose_timer.isActive()
    assert window.stills.isVisibleTo(window) and not window.picture.isVisibleTo(window)
    window.close_break()
