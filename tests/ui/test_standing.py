"""Standing at a sit-stand desk (issue 16): the rules as trace tests in virtual time."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from coach import i18n
from coach.config.settings import Settings
from coach.core.clock import FakeClock
from coach.core.engine import Engine
from coach.core.events import Answer, BreakDone, BreakDue, BreakSkipped, StandingSpan, Tier
from coach.core.sample import Sample
from coach.history import shape
from coach.history.store import MIGRATIONS, SCHEMA_VERSION, Store
from coach.service import CoachService
from coach.ui.app import CoachApp
from coach.ui.stats_window import StatsWindow
from tests.core.test_simulate import H, of, run, trace
from tests.core.test_stats import AMS, MON, at, run_cli
from tests.core.test_store_and_service import CET, FakePicker, sit
from tests.ui.test_stats_window import ARTIFACTS
from tests.ui.test_ui import FakeSampler

M = 60


def test_no_sitting_breaks_while_standing() -> None:
    events = run(trace((0, "standing"), (2 * H, "end")))
    assert not of(events, "break_due")
    assert not of(events, "heads_up")
    assert not of(events, "sitting_bout")
    spans = of(events, "standing_span")
    assert [(s["start"], s["end"]) for s in spans] == [(0.0, 2 * H)]
    assert float(spans[0]["stood_s"]) >= 2 * H - 10  # type: ignore[arg-type]


def test_standing_ends_the_sitting_bout_and_sitting_again_starts_a_new_one() -> None:
    events = run(trace((0, "active"), (20 * M, "standing"), (40 * M, "active"), (H, "end")))
    bouts = of(events, "sitting_bout")
    assert [(b["start"], b["end"]) for b in bouts] == [(0.0, 20 * M), (40 * M, H)]
    spans = of(events, "standing_span")
    assert [(s["start"], s["end"]) for s in spans] == [(20 * M, 40 * M)]
    # 20 minutes of standing reset both counters: no break in the 20 minutes after.
    assert not of(events, "break_due")


def test_short_standing_keeps_the_exercise_counter() -> None:
    """One minute of standing resets nothing: the sitting before it still counts."""
    events = run(trace((0, "active"), (25 * M, "standing"), (26 * M, "active"), (H, "end")))
    dues = of(events, "break_due")
    assert dues[0]["at"] == 31 * M  # 25 + 5 minutes of sitting; the minute stood is not


def test_a_change_of_position_is_suggested_after_a_long_stretch() -> None:
    events = run(trace((0, "standing"), (2 * H, "end")), standing_reminder_min=45)
    told = of(events, "standing_long")
    assert [t["at"] for t in told] == [45 * M, 90 * M]


def test_a_short_walk_starts_a_new_stretch() -> None:
    events = run(
        trace((0, "standing"), (30 * M, "idle"), (35 * M, "standing"), (H + 30 * M, "end")),
        standing_reminder_min=45,
    )
    told = of(events, "standing_long")
    assert [t["at"] for t in told] == [35 * M + 45 * M]
    assert len(of(events, "standing_span")) == 1  # the walk did not end standing


def test_a_long_absence_ends_standing_at_the_last_input() -> None:
    events = run(trace((0, "standing"), (30 * M, "idle"), (50 * M, "active"), (H, "end")))
    spans = of(events, "standing_span")
    assert [(s["start"], s["end"]) for s in spans] == [(0.0, 30 * M)]
    # Back at the desk after the absence: sitting, not standing.
    bouts = of(events, "sitting_bout")
    assert [(b["start"], b["end"]) for b in bouts] == [(50 * M, H)]


def test_a_locked_screen_ends_standing() -> None:
    events = run(trace((0, "standing"), (10 * M, "locked"), (11 * M, "active"), (H, "end")))
    spans = of(events, "standing_span")
    assert [s["start"] for s in spans] == [0.0]
    assert 10 * M - 5 <= float(spans[0]["end"]) <= 10 * M  # type: ignore[arg-type]  # last tick
    assert of(events, "sitting_bout")[0]["start"] == 11 * M


def _engine(**settings: object) -> Engine:
    return Engine(Settings(**settings), lambda tier: f"{tier}-exercise")  # type: ignore[arg-type]


def _due(engine: Engine, until: float) -> BreakDue:
    t = 0.0
    while t <= until:
        for event in engine.tick(t, Sample(idle_s=0.0)):
            if isinstance(event, BreakDue):
                return event
        t += 5
    raise AssertionError("no break fell due")


def test_ill_stand_answers_a_short_break_as_done() -> None:
    engine = _engine(has_sit_stand_desk=True)
    due = _due(engine, H)
    assert due.tier == Tier.MICRO and Answer.STAND in due.answers
    events = engine.answer(due.at, due.break_id, Answer.STAND)
    assert any(isinstance(e, BreakDone) for e in events)
    assert engine.status(due.at).standing
    later = [e for t in range(1, 90) for e in engine.tick(due.at + t * M, Sample(idle_s=0.0))]
    assert not [e for e in later if isinstance(e, BreakDue)]
    assert isinstance(engine.sit(due.at + 90 * M)[-1], StandingSpan)


def test_ill_stand_skips_an_exercise_break_with_a_reason() -> None:
    engine = _engine(has_sit_stand_desk=True, micro_every_min=60, exercise_every_min=60)
    due = _due(engine, 2 * H)
    assert due.tier == Tier.EXERCISE
    events = engine.answer(due.at, due.break_id, Answer.STAND)
    skipped = [e for e in events if isinstance(e, BreakSkipped)]
    assert skipped and skipped[0].reason == "standing"


def test_without_a_desk_or_when_strict_standing_is_no_answer() -> None:
    due = _due(_engine(), H)
    assert Answer.STAND not in due.answers
    strict = _due(_engine(has_sit_stand_desk=True, strictness="strict", micro_every_min=60), 2 * H)
    assert strict.tier == Tier.EXERCISE and Answer.STAND not in strict.answers


def test_the_suggestion_waits_while_busy() -> None:
    engine = _engine(standing_reminder_min=15)
    engine.stand(0.0)
    busy = [e for t in range(0, 20 * M, 5) for e in engine.tick(t, Sample(0.0, busy=True))]
    assert not [e for e in busy if e.name == "standing_long"]
    after = engine.tick(20 * M, Sample(idle_s=0.0))
    assert [e.name for e in after] == ["standing_long"]


# -- records -----------------------------------------------------------------------------
def test_standing_spans_are_recorded_with_their_utc_offset(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    svc = CoachService(Settings(has_sit_stand_desk=True), store, clock, FakePicker())
    sit(svc, clock, 10 * M)
    svc.stand()
    assert svc.status().standing
    assert store.conn.execute("SELECT count(*) FROM bouts").fetchone()[0] == 1  # at once
    sit(svc, clock, 40 * M)
    svc.sit()
    assert not svc.status().standing
    start, end, stood, offset = store.conn.execute(
        "SELECT start, end, stood_s, utc_offset FROM standing"
    ).fetchone()
    assert datetime.fromtimestamp(start, CET) == datetime(2026, 11, 16, 9, 10, tzinfo=CET)
    assert end - start == 40 * M and stood == pytest.approx(40 * M, abs=5)
    assert offset == 60
    rows = list(store.standing(start - 1, end + 1))
    assert rows == [(start, end, stood, 60)]
    assert store.conn.execute("SELECT ongoing FROM standing").fetchall() == [(0,)]  # closed


def test_the_standing_span_in_progress_is_written_ahead(tmp_path: Path) -> None:
    """Like the sitting bout (main's true record): the statistics see it while it lasts,
    and an unclean stop keeps it as last written."""
    path = tmp_path / "coach.sqlite3"
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    desk = Settings(has_sit_stand_desk=True)
    svc = CoachService(desk, Store.open(path), clock, FakePicker())
    svc.stand()
    sit(svc, clock, 20 * M)  # input while standing
    day = clock.wall().date()
    assert shape.shapes(svc.store, day, day, desk)[0].standing_s == pytest.approx(20 * M, abs=35)
    rows = svc.store.conn.execute("SELECT ongoing FROM standing").fetchall()
    assert rows == [(1,)]
    svc.store.close()  # no finish: the process died
    clock.advance(H)
    svc = CoachService(desk, Store.open(path), clock, FakePicker())
    (stood, ongoing), *more = svc.store.conn.execute(
        "SELECT end - start, ongoing FROM standing"
    ).fetchall()
    assert not more and ongoing == 0 and 20 * M - stood <= 30
    svc.store.close()


def test_a_schema_5_history_gains_the_standing_table_as_schema_6(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:5]):  # 5: bouts.ongoing
        conn.executescript(f"BEGIN; {script} PRAGMA user_version = {number + 1}; COMMIT;")
    conn.execute(
        "INSERT INTO bouts (start, end, sat_s, utc_offset, ongoing) VALUES (1.8e9, 1.8e9, 0, 60, 1)"
    )
    conn.close()
    store = Store.open(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert store.conn.execute("SELECT count(*) FROM bouts WHERE ongoing").fetchone()[0] == 1
    assert list(store.standing(0, 4e9)) == []


# -- the tray and the break window ---------------------------------------------------------
@pytest.fixture
def desk_app(make_app: Callable[..., CoachApp]) -> CoachApp:
    return make_app({"has_sit_stand_desk": True}, sampler=FakeSampler())


def test_the_tray_offers_standing_only_with_a_desk(make_app: Callable[..., CoachApp]) -> None:
    app = make_app()
    app.tick()
    assert not app.tray.stand_action.isVisible() and not app.tray.sit_action.isVisible()


def test_im_standing_and_sitting_again_from_the_tray(desk_app: CoachApp) -> None:
    clock = desk_app.service.clock
    assert isinstance(clock, FakeClock)
    desk_app.tick()
    tray = desk_app.tray
    assert tray.stand_action.isVisible() and not tray.sit_action.isVisible()
    assert tray.stand_action.text() == "I'm &standing"  # Alt+S in the open menu
    tray.stand_action.trigger()
    assert desk_app.status().standing
    assert "Standing" in tray.icon.toolTip()
    assert tray.sit_action.isVisible() and not tray.stand_action.isVisible()
    for _ in range(12 * 40):  # 40 minutes of typing while standing: no break
        clock.advance(5)
        desk_app.tick()
    assert not desk_app.window.isVisible()
    tray.sit_action.trigger()
    assert not desk_app.status().standing
    rows = desk_app.service.store.conn.execute("SELECT end - start FROM standing").fetchall()
    assert rows == [(40 * M,)]


def test_the_long_standing_suggestion_is_a_kind_notification(desk_app: CoachApp) -> None:
    clock = desk_app.service.clock
    assert isinstance(clock, FakeClock)
    told: list[tuple[str, str]] = []
    desk_app.notify = lambda title, body: told.append((title, body))  # type: ignore[method-assign]
    desk_app.stand()
    for _ in range(12 * 51):
        clock.advance(5)
        desk_app.tick()
    assert told == [
        (
            "Time for a change?",
            "You have stood for 50 minutes. Standing still for long is tiring too: "
            "sit for a while, or walk for a couple of minutes.",
        )
    ]


def test_ill_stand_for_a_while_in_the_break_window(qtbot, desk_app: CoachApp) -> None:
    clock = desk_app.service.clock
    assert isinstance(clock, FakeClock)
    for _ in range(12 * 31):  # a short break falls due after 30 minutes
        clock.advance(5)
        desk_app.tick()
    window = desk_app.window
    assert window.isVisible() and window.stand_button.isVisible()
    qtbot.mouseClick(window.stand_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert desk_app.status().standing
    rows = desk_app.service.store.conn.execute("SELECT kind, outcome FROM breaks").fetchall()
    assert rows == [("micro", "done")]


def test_ill_stand_by_its_letter_key(qtbot, desk_app: CoachApp) -> None:
    clock = desk_app.service.clock
    assert isinstance(clock, FakeClock)
    for _ in range(12 * 31):
        clock.advance(5)
        desk_app.tick()
    window = desk_app.window
    window.take_focus()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_W)  # W: I'll stand for a while
    assert desk_app.status().standing and not window.isVisible()


def test_without_a_desk_the_break_window_has_no_stand_answer(
    make_app: Callable[..., CoachApp],
) -> None:
    app = make_app()
    app.take_break_now()
    assert app.window.isVisible() and not app.window.stand_button.isVisible()


# -- the shape of the day ------------------------------------------------------------------
def _stood(store: Store, start: datetime, minutes: float) -> None:
    store.add_standing(start, start + timedelta(minutes=minutes), minutes * M)


def test_standing_and_moving_per_day_against_the_goal(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    store.add_bout(at(MON, "09:00"), at(MON, "09:40"), 40 * M)
    _stood(store, at(MON, "09:40"), 50)
    store.add_away(at(MON, "10:30"), at(MON, "10:40"), "idle")  # a walk
    store.add_away(at(MON, "12:00"), at(MON, "13:00"), "locked")  # lunch: not moving
    store.add_away(at(MON, "14:00"), at(MON, "14:05"), "asleep")  # not moving
    store.add_bout(at(MON, "10:40"), at(MON, "11:00"), 20 * M)
    _stood(store, at(MON, "23:30"), 60)  # half of it on Tuesday
    desk = Settings(has_sit_stand_desk=True)
    mon, tue = shape.shapes(store, MON, MON + timedelta(days=1), desk)
    assert (mon.standing_s, mon.moving_s, mon.goal_s) == (80 * M, 10 * M, 120 * M)
    assert (mon.bouts, mon.bouts_over_30, mon.average_bout_s) == (2, 1, 30 * M)
    assert mon.meets_goal is False and tue.standing_s == 30 * M
    assert shape.shapes(store, MON, MON, Settings())[0].goal_s is None  # no desk, no goal
    store.close()


def test_the_goal_grows_after_a_week_that_met_it_on_three_days(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    for day in range(3):
        _stood(store, at(MON + timedelta(days=day), "09:00"), 125)
    desk = Settings(has_sit_stand_desk=True)
    next_week = shape.shapes(store, MON, MON + timedelta(days=13), desk)
    assert [d.goal_s for d in next_week[:7]] == [120 * M] * 7
    assert [d.goal_s for d in next_week[7:]] == [240 * M] * 7
    assert [d.meets_goal for d in next_week[:4]] == [True, True, True, False]
    store.close()


def test_coach_stats_has_standing_and_bout_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings.toml").write_text("has_sit_stand_desk = true\n")
    store = Store.open(tmp_path / "coach.sqlite3")
    store.add_bout(at(MON, "09:00"), at(MON, "09:45"), 45 * M)
    _stood(store, at(MON, "09:45"), 60)
    store.add_bout(at(MON, "10:45"), at(MON, "11:00"), 15 * M)
    store.close()
    code, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--day", "2026-11-16", "--json")
    got = json.loads(out)["shape"]
    assert code == 0
    assert (got["standing_s"], got["bouts_over_30"], got["average_bout_s"]) == (3600, 1, 1800)
    assert got["days"][0]["goal_s"] == 7200 and got["days"][0]["meets_goal"] is False
    _, text = run_cli(tmp_path, monkeypatch, capsys, "stats", "--day", "2026-11-16")
    assert "Standing:   1 h 00 min, moving 0 s (goal 2 h 00 min: 50%)" in text
    assert "Bouts:      average 30 min" in text
    _, week = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-11-16", "--json")
    assert json.loads(week)["shape"]["standing_s"] == 3600


def test_the_end_of_day_summary_mentions_standing(qtbot, tmp_path: Path) -> None:
    from tests.ui.test_rhythm import make

    store = Store.open(tmp_path / "coach.sqlite3")
    r, _notes, clock = make(store, has_sit_stand_desk=True)
    day = clock.wall().date()
    store.add_bout(at(day, "09:00"), at(day, "09:40"), 40 * M)
    _stood(store, at(day, "09:40"), 75)
    title, body = r.summary_text(day) or ("", "")
    assert "You stood for 1 h 15 min." in body
    assert "Standing and moving: 1 h 15 min of your 2 h 00 min goal." in body
    plain, _notes, _clock = make(store)
    assert "Standing and moving" not in (plain.summary_text(day) or ("", ""))[1]
    r.stop()
    plain.stop()
    store.close()


def test_a_desk_set_later_reaches_the_tray_and_the_summary(
    make_app: Callable[..., CoachApp],
) -> None:
    """The setup window saves has_sit_stand_desk while the app runs."""
    app = make_app()
    app.start_rhythm()
    app.tick()
    assert not app.tray.stand_action.isVisible()
    app.apply_settings(Settings(language="en", has_sit_stand_desk=True))
    assert app._rhythm is not None and app._rhythm.settings.has_sit_stand_desk
    assert app.tray.stand_action.isVisible()
    assert app.service.status().has_sit_stand_desk


# -- the statistics window -------------------------------------------------------------------
SHOT_DAY = date(2026, 11, 18)  # a Wednesday
DAY_PLAN = (  # (what, minutes): a day at a sit-stand desk
    ("sit", 40),
    ("stand", 50),
    ("away", 8),
    ("sit", 35),
    ("stand", 25),
    ("sit", 55),
    ("away", 45),
    ("sit", 30),
    ("stand", 45),
    ("away", 6),
    ("sit", 50),
)


def desk_days(store: Store, last: date, days: int = 10) -> None:
    for back in range(days):
        day = last - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        t = datetime.combine(day, time(8, 45 + back % 3 * 5), AMS)
        for what, minutes in DAY_PLAN:
            end = t + timedelta(minutes=minutes - back % 4)
            if what == "sit":
                store.add_bout(t, end, (end - t).total_seconds() * 0.95)
            elif what == "stand":
                store.add_standing(t, end, (end - t).total_seconds() * 0.9)
            else:
                store.add_away(t, end, "idle" if minutes < 30 else "locked")
            t = end


def test_a_day_of_only_standing_is_on_the_timeline_and_in_its_words(qtbot, tmp_path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    start = datetime.combine(SHOT_DAY, time(10, 0), AMS)
    store.add_standing(start, start + timedelta(minutes=40), 38 * M)
    window = StatsWindow(store, SHOT_DAY, settings=Settings(has_sit_stand_desk=True))
    qtbot.addWidget(window)
    assert window.timeline_stack.currentIndex() == 0  # the chart, not "nothing recorded"
    assert window.timeline_view.accessibleDescription() == "standing 10:00 to 10:40"
    assert "standing and moving 40 min" in window.period_view.accessibleDescription()
    store.close()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_statistics_window_shows_standing(qtbot, tmp_path: Path, lang: str) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    desk_days(store, SHOT_DAY)
    i18n.use(lang)
    try:
        window = StatsWindow(store, SHOT_DAY, lang=lang, settings=Settings(has_sit_stand_desk=True))
        qtbot.addWidget(window)
        window.resize(1040, 700)
        window.show()
        qtbot.waitExposed(window)
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"stats-window-standing-{lang}.png"
        assert window.grab().save(str(path))
        card = window.cards["standing"]
        value, detail = card.value.text(), card.detail.text()
    finally:
        i18n.use("en")
    # 50 + 25 + 45 min standing, 8 + 6 walking (45 min is lunch); last week met 2 h on
    # three days or more, so the goal has grown to 4 h
    if lang == "en":
        assert (value, detail) == ("2 h 14 min", "goal 4 h 00 min, bouts 40 min on average")
    else:
        assert (value, detail) == ("2 u 14 min", "doel 4 u 00 min, zitperiodes gemiddeld 40 min")
    store.close()


def test_the_week_chart_draws_standing_and_the_goal_with_a_desk(qtbot, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    desk_days(store, SHOT_DAY)
    window = StatsWindow(store, SHOT_DAY, settings=Settings(has_sit_stand_desk=True))
    qtbot.addWidget(window)
    bars, goal, up = window.period_chart.series()
    # each day's five spans are a minute shorter the further back it is (see desk_days)
    stood = [up.at(i).y() * 60 for i in range(up.count())]
    assert stood == pytest.approx([124, 129, 134])
    assert goal.count() == 3 and goal.at(0).y() == 4  # the grown goal, on workdays only
    plain = StatsWindow(store, SHOT_DAY)
    qtbot.addWidget(plain)
    assert len(plain.period_chart.series()) == 1
    store.close()


def test_back_soon_after_a_lock_ended_standing_coach_asks() -> None:
    events = run(trace((0, "standing"), (20 * M, "locked"), (23 * M, "active"), (H, "end")))
    asked = of(events, "still_standing")
    assert [a["at"] for a in asked] == [23 * M]
    # Back after a long lock (lunch): sitting is the kind guess, nothing is asked.
    lunch = run(trace((0, "standing"), (20 * M, "locked"), (H, "active"), (2 * H, "end")))
    assert not of(lunch, "still_standing")
    # Saying "I'm standing" at once answers it before it is asked.
    again = run(trace((0, "standing"), (20 * M, "locked"), (23 * M, "standing"), (H, "end")))
    assert not of(again, "still_standing") and len(of(again, "standing_span")) == 2


def test_back_from_a_short_lock_the_app_asks_kindly(desk_app: CoachApp) -> None:
    clock = desk_app.service.clock
    assert isinstance(clock, FakeClock)
    told: list[str] = []
    desk_app.notify = lambda title, body: told.append(title)  # type: ignore[method-assign]
    desk_app.tick()
    desk_app.stand()
    sampler = desk_app.sampler
    sampler.next = Sample(idle_s=0.0, locked=True)  # type: ignore[attr-defined]
    for _ in range(36):  # three minutes locked
        clock.advance(5)
        desk_app.tick()
    assert not desk_app.status().standing and not desk_app.tray.sit_action.isVisible()
    sampler.next = Sample(idle_s=0.0)  # type: ignore[attr-defined]
    clock.advance(5)
    desk_app.tick()
    assert told == ["Still standing?"]
