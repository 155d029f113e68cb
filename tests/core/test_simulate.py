"""`coach simulate`: the engine over activity traces in virtual time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.config.settings import Settings
from coach.exercises.catalog import load_library
from coach.exercises.picker import Picker
from coach.simulate import TraceError, parse_trace, simulate

H = 3600


def trace(*rows: tuple[float, str]) -> str:
    return "offset_s,state\n" + "".join(f"{o},{s}\n" for o, s in rows)


def run(text: str, respond: str = "done", **settings: object) -> list[dict[str, object]]:
    s = Settings(**settings)  # type: ignore[arg-type]
    exercises, _ = load_library()
    events = simulate(parse_trace(text), s, Picker(exercises, s), respond=respond)
    return [e.as_dict() for e in events]


def of(events: list[dict[str, object]], name: str) -> list[dict[str, object]]:
    return [e for e in events if e["event"] == name]


def test_a_working_day_with_meeting_lock_and_lunch() -> None:
    events = run(
        trace(
            (0, "active"),
            (1.5 * H, "passive"),
            (2.5 * H, "active"),
            (4 * H, "locked"),
            (4.75 * H, "active"),
            (8 * H, "end"),
        )
    )
    dues = of(events, "break_due")
    # No prompt during the meeting (1.5 h - 2.5 h).
    assert not [e for e in dues if 1.5 * H < float(e["at"]) < 2.5 * H]  # type: ignore[arg-type]
    # The break that fell due in the meeting is shown when it ends.
    assert any(2.5 * H <= float(e["at"]) <= 2.5 * H + 60 for e in dues)  # type: ignore[arg-type]
    lunch = of(events, "natural_break")
    assert [n["cause"] for n in lunch] == ["locked"]
    assert lunch[0]["resets"] == ["exercise", "micro"]
    assert len(of(events, "break_done")) == len(dues)
    bouts = of(events, "sitting_bout")
    assert all(float(b["sat_s"]) > 0 for b in bouts)  # type: ignore[arg-type]
    # The meeting was sitting too: the bout around it is honestly long.
    meeting = [b for b in bouts if b["start"] <= 1.5 * H and b["end"] >= 2.5 * H]
    assert len(meeting) == 1 and float(meeting[0]["sat_s"]) > H  # type: ignore[arg-type]
    assert bouts[-1]["end"] == 8 * H


def test_break_kinds_follow_the_rules() -> None:
    events = run(trace((0, "active"), (2 * H, "end")))
    kinds = [(e["kind"], e["at"]) for e in of(events, "break_due")]
    assert kinds[0] == ("micro", 1800.0)
    assert kinds[1][0] == "exercise"  # micro and exercise due together: one exercise break


def test_snooze_then_skip_when_no_snoozes_left() -> None:
    events = run(trace((0, "active"), (45 * 60, "end")), respond="snooze")
    snoozes = of(events, "break_snoozed")
    assert [s["until"] for s in snoozes] == [2100.0, 2400.0]
    assert len(of(events, "break_skipped")) == 1


def test_json_lines_keep_their_fields() -> None:
    """The line shapes scripts read: a break's tier is its "kind", answers are flags."""
    events = run(trace((0, "active"), (45 * 60, "end")), respond="snooze")
    due, snoozed = of(events, "break_due")[0], of(events, "break_snoozed")[0]
    assert list(due) == [
        *("at", "event", "break_id", "kind", "exercise", "sat_s", "duration_s", "snoozes"),
        *("can_snooze", "can_skip", "skip_needs_reason"),
    ]
    assert list(snoozed) == [
        *("at", "event", "break_id", "kind", "exercise", "snoozes", "until"),
    ]
    assert list(of(events, "heads_up")[0]) == ["at", "event", "kind", "in_s", "duration_s"]


@pytest.mark.parametrize("strictness", ["firm", "strict"])
def test_skipping_follows_what_the_break_allows(strictness: str) -> None:
    """Firm: the simulated user says why; strict: a break that cannot be skipped is
    left to be missed (it used to end the simulation with a traceback)."""
    text = trace((0, "active"), (45 * 60, "end"))
    events = run(text, respond="skip", strictness=strictness)
    if strictness == "firm":
        assert [e.get("reason") for e in of(events, "break_skipped")] == ["busy"]
    else:
        assert not of(events, "break_skipped") and len(of(events, "break_missed")) == 1


def test_ignored_break_is_missed() -> None:
    events = run(trace((0, "active"), (45 * 60, "end")), respond="ignore")
    missed = of(events, "break_missed")
    assert [m["at"] for m in missed] == [2400.0]


def test_sleep_gives_one_natural_break_and_no_storm() -> None:
    events = run(
        trace((0, "active"), (50 * 60, "asleep"), (9 * H, "active"), (9 * H + 20 * 60, "end")),
        respond="ignore",
    )
    after = [e for e in events if float(e["at"]) >= 9 * H]  # type: ignore[arg-type]
    assert [e["event"] for e in after][:1] == ["natural_break"]
    assert not of(after, "break_due")


def test_idle_short_of_reset_does_not_end_the_bout() -> None:
    events = run(trace((0, "active"), (600, "idle"), (690, "active"), (1200, "end")))
    bouts = of(events, "sitting_bout")
    assert len(bouts) == 1 and bouts[0]["start"] == 0.0
    assert bouts[0]["sat_s"] == pytest.approx(1200 - 90, abs=5)


@pytest.mark.parametrize(
    "text, message",
    [
        ("time,state\n0,active\n10,end\n", "line 1"),
        ("offset_s,state\n0,walking\n10,end\n", "line 2: state 'walking'"),
        ("offset_s,state\n10,active\n5,end\n", "line 3: offset_s goes backwards"),
        ("offset_s,state\n0,active\n", "last row must have state 'end'"),
        ("offset_s,state\nx,active\n10,end\n", "line 2: offset_s 'x' is not a number"),
    ],
)
def test_bad_traces_name_the_line(text: str, message: str) -> None:
    with pytest.raises(TraceError, match=message):
        parse_trace(text, "t.csv")


def test_cli_prints_json_lines_fast(tmp_path: Path) -> None:
    path = tmp_path / "day.csv"
    path.write_text(trace((0, "active"), (8 * H, "end")))
    settings = tmp_path / "s.toml"
    settings.write_text("micro_every_min = 20\n")
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "coach", "simulate", str(path), "--settings", str(settings)],
        capture_output=True,
        text=True,
        env={"COACH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    elapsed = time.perf_counter() - started
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert lines[0]["event"] == "heads_up"
    assert next(e for e in lines if e["event"] == "break_due")["at"] == 1200.0
    print(f"8-hour trace: {elapsed:.2f} s including interpreter start")


def test_cli_reports_a_bad_trace(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("offset_s,state\n0,dancing\n")
    out = subprocess.run(
        [sys.executable, "-m", "coach", "simulate", str(path)],
        capture_output=True,
        text=True,
        env={"COACH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 2
    assert f"{path}, line 2" in out.stderr


def test_the_demo_shows_both_kinds_of_break_with_doses_that_fit() -> None:
    from dataclasses import replace

    from coach.cli.run import DEMO
    from coach.exercises import dose_plan

    demo = replace(Settings(), **DEMO)  # type: ignore[arg-type]
    events = run(trace((0, "active"), (12 * 60, "end")), **DEMO)  # type: ignore[arg-type]
    kinds = [e["kind"] for e in of(events, "break_due")]
    assert kinds[:3] == ["micro", "micro", "exercise"]  # a short break comes first
    assert of(events, "break_due")[0]["at"] <= 75  # within the first minute or so
    exercises, _ = load_library()
    for e in exercises:  # every exercise is offered in the demo, its dose within the break
        for tier in e.tiers:
            countdown = dose_plan.break_seconds(demo, tier)
            planned = dose_plan.plan(e, 0, countdown)
            assert planned is not None and planned.seconds <= countdown, (e.id, tier)
