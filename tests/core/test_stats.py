"""Statistics on crafted histories: midnight, DST, a flight across timezones, empty weeks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach import cli, i18n
from coach.exercises.catalog import kinds as exercise_kinds
from coach.exercises.catalog import load_library
from coach.history import stats as st
from coach.history.store import Store

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
MIN = 60


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "coach.sqlite3")
    yield s
    s.close()


def at(day: date, hhmm: str, tz: ZoneInfo = AMS, fold: int = 0) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=tz, fold=fold)


def bout(store: Store, start: datetime, minutes: float, sat_min: float | None = None) -> None:
    store.add_bout(
        start, start + timedelta(minutes=minutes), (minutes if sat_min is None else sat_min) * MIN
    )


def brk(
    store: Store,
    due: datetime,
    outcome: str,
    exercise: str = "seated-cat-cow",
    kind: str = "micro",
    snoozes: int = 0,
) -> None:
    uid = store.offer_break(kind, exercise, due)
    for _ in range(snoozes):
        store.update_break(uid, outcome="snoozed", when=due)
    if outcome != "open":
        store.update_break(uid, outcome=outcome, when=due + timedelta(minutes=1))


MON = date(2026, 11, 16)


# -- one day ---------------------------------------------------------------------------
def test_day_counts_bouts_breaks_adherence_and_kinds(store: Store) -> None:
    bout(store, at(MON, "09:00"), 25)
    bout(store, at(MON, "09:40"), 45, sat_min=40)
    bout(store, at(MON, "11:00"), 75)
    brk(store, at(MON, "09:25"), "done", "seated-cat-cow")  # mobility
    brk(store, at(MON, "10:25"), "done", "standing-glute-squeeze", snoozes=1)  # glute
    brk(store, at(MON, "12:15"), "done", "gone-from-the-library")
    brk(store, at(MON, "13:00"), "skipped")
    brk(store, at(MON, "14:00"), "missed")
    brk(store, at(MON, "15:00"), "hurt")
    kinds = exercise_kinds(load_library()[0])
    d = st.day_stats(store, MON, kinds)
    assert d.sitting_s == (25 + 40 + 75) * MIN
    assert (d.bouts, d.longest_bout_s) == (3, 75 * MIN)
    assert (d.bouts_over_30, d.bouts_over_60, d.over_goal_s) == (2, 1, 75 * MIN)
    assert (d.offered, d.done, d.snoozed, d.skipped, d.missed, d.hurt) == (6, 3, 1, 1, 1, 1)
    assert d.adherence == pytest.approx(0.5)
    assert d.done_by_kind == {"mobility": 1, "glute": 1, "other": 1}
    assert not d.meets_goal
    assert st.day_stats(store, MON, kinds, goal_s=80 * MIN).meets_goal


def test_an_empty_day_has_no_adherence_and_does_not_meet_the_goal(store: Store) -> None:
    d = st.day_stats(store, MON)
    assert (d.sitting_s, d.bouts, d.offered, d.adherence, d.meets_goal) == (0, 0, 0, None, False)


# -- midnight ---------------------------------------------------------------------------
def test_a_bout_across_midnight_is_split_at_local_midnight(store: Store) -> None:
    bout(store, at(MON, "23:30"), 75)  # 30 min on Monday, 45 on Tuesday
    tue = MON + timedelta(days=1)
    mon_stats, tue_stats = st.day_stats(store, MON), st.day_stats(store, tue)
    assert (mon_stats.sitting_s, mon_stats.bouts) == (30 * MIN, 1)
    assert (tue_stats.sitting_s, tue_stats.bouts) == (45 * MIN, 1)
    assert tue_stats.longest_bout_s == 45 * MIN and tue_stats.bouts_over_60 == 0
    line = st.timeline(store, tue)
    assert [(b.start_h, b.end_h) for b in line.bouts] == [(0.0, 0.75)]
    assert [(b.start_h, b.end_h) for b in st.timeline(store, MON).bouts] == [(23.5, 24.0)]


def test_sitting_time_is_shared_in_proportion_across_midnight(store: Store) -> None:
    bout(store, at(MON, "23:00"), 150, sat_min=120)  # 60 clock min before, 90 after
    week = st.week_stats(store, MON)
    assert [d.sitting_s for d in week.days[:2]] == [48 * MIN, 72 * MIN]
    assert week.total.sitting_s == 120 * MIN


def test_the_part_after_midnight_can_break_the_goal(store: Store) -> None:
    bout(store, at(MON, "23:00"), 150)  # 60 min on Monday, 90 min on Tuesday
    assert st.day_stats(store, MON).meets_goal
    assert not st.day_stats(store, MON + timedelta(days=1)).meets_goal


# -- DST and timezones ---------------------------------------------------------------
def test_dst_spring_forward_day(store: Store) -> None:
    sat, sun = date(2026, 3, 28), date(2026, 3, 29)  # clocks go 02:00 -> 03:00 on Sunday
    bout(store, at(sat, "23:40"), 10)  # +01:00, Saturday
    bout(store, at(sun, "01:00"), 40)  # +01:00
    bout(store, at(sun, "03:10"), 50)  # +02:00
    brk(store, at(sun, "01:45"), "done")
    brk(store, at(sun, "03:05"), "skipped")
    rows = store.conn.execute("SELECT DISTINCT utc_offset FROM bouts").fetchall()
    assert sorted(r[0] for r in rows) == [60, 120]
    d = st.day_stats(store, sun)
    assert (d.bouts, d.sitting_s, d.offered, d.done, d.skipped) == (2, 90 * MIN, 2, 1, 1)
    assert st.day_stats(store, sat).sitting_s == 10 * MIN
    line = st.timeline(store, sun)  # local wall-clock hours, as the user saw them
    assert [round(b.start_h, 3) for b in line.bouts] == [1.0, round(3 + 10 / 60, 3)]
    assert [round(m.at_h, 3) for m in line.breaks] == [1.75, round(3 + 5 / 60, 3)]


def test_dst_fall_back_day_counts_the_repeated_hour_twice(store: Store) -> None:
    sun = date(2026, 10, 25)  # 03:00 CEST -> 02:00 CET: 02:30 happens twice
    bout(store, at(sun, "02:30", fold=0), 20)  # +02:00
    bout(store, at(sun, "02:30", fold=1), 20)  # +01:00, an hour later
    bout(store, at(sun, "23:50"), 5)
    d = st.day_stats(store, sun)
    assert (d.bouts, d.sitting_s) == (3, 45 * MIN)
    assert [b.start_h for b in st.timeline(store, sun).bouts] == [2.5, 2.5, 23 + 50 / 60]
    assert st.day_stats(store, sun + timedelta(days=1)).bouts == 0


def test_a_flight_to_new_york_keeps_each_record_on_its_local_day(store: Store) -> None:
    bout(store, at(MON, "08:00"), 60)  # Amsterdam, +01:00
    bout(store, at(MON, "19:00", NYC), 30)  # New York, -05:00: 00:00 UTC on Tuesday
    brk(store, at(MON, "19:20", NYC), "done")
    tue = MON + timedelta(days=1)
    bout(store, at(tue, "08:00", NYC), 20)
    mon_stats, tue_stats = st.day_stats(store, MON), st.day_stats(store, tue)
    assert (mon_stats.bouts, mon_stats.sitting_s, mon_stats.done) == (2, 90 * MIN, 1)
    assert (tue_stats.bouts, tue_stats.sitting_s, tue_stats.done) == (1, 20 * MIN, 0)
    assert [b.start_h for b in st.timeline(store, MON).bouts] == [8.0, 19.0]


# -- weeks, months, streak -------------------------------------------------------------
def test_an_empty_week_is_all_zeros_with_seven_days(store: Store) -> None:
    bout(store, at(MON - timedelta(days=7), "09:00"), 30)  # the week before has data
    week = st.week_stats(store, MON + timedelta(days=3))
    assert (week.first, week.last) == (MON, MON + timedelta(days=6))
    assert [d.day for d in week.days] == [MON + timedelta(days=i) for i in range(7)]
    assert week.total.sitting_s == 0 and week.total.adherence is None
    assert (week.sitting_days, week.goal_days) == (0, 0)
    assert week.as_dict()["days"][0]["day"] == "2026-11-16"


def test_week_and_month_sum_their_days(store: Store) -> None:
    for i in range(5):
        bout(store, at(MON + timedelta(days=i), "09:00"), 30 + 10 * i)
        brk(store, at(MON + timedelta(days=i), "09:45"), "done" if i % 2 == 0 else "skipped")
    bout(store, at(date(2026, 12, 1), "09:00"), 30)  # next month
    week = st.week_stats(store, MON)
    assert week.total.sitting_s == (30 + 40 + 50 + 60 + 70) * MIN
    assert (week.total.offered, week.total.done, week.total.bouts_over_60) == (5, 3, 1)
    assert (week.sitting_days, week.goal_days) == (5, 4)
    month = st.month_stats(store, MON)
    assert (month.first, month.last, len(month.days)) == (date(2026, 11, 1), date(2026, 11, 30), 30)
    assert month.total.sitting_s == week.total.sitting_s


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 12, 15), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2028, 2, 29), date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_month_of(day: date, first: date, last: date) -> None:
    assert st.month_of(day) == (first, last)


def test_streak_counts_days_meeting_the_goal_and_skips_days_without_sitting(store: Store) -> None:
    fri_before = MON - timedelta(days=3)
    bout(store, at(fri_before - timedelta(days=1), "09:00"), 90)  # Thursday: over the goal
    bout(store, at(fri_before, "09:00"), 50)  # Friday: fine
    # the weekend: no sitting at all, which neither counts nor breaks the streak
    for i in range(3):  # Monday to Wednesday: fine
        bout(store, at(MON + timedelta(days=i), "10:00"), 55)
    assert st.streak(store, MON + timedelta(days=2)) == 4
    assert st.streak(store, MON + timedelta(days=3)) == 4  # Thursday, nothing yet
    bout(store, at(MON + timedelta(days=3), "10:00"), 61)
    assert st.streak(store, MON + timedelta(days=3)) == 0
    assert st.streak(store, MON + timedelta(days=2)) == 4  # as it was on Wednesday
    assert st.streak(store, MON + timedelta(days=3), goal_s=90 * MIN) == 6


def test_streak_with_no_failure_counts_every_sitting_day(store: Store) -> None:
    assert st.streak(store, MON) == 0
    for i in range(3):
        bout(store, at(MON + timedelta(days=i), "10:00"), 20)
        bout(store, at(MON + timedelta(days=i), "11:00"), 20)
    assert st.streak(store, MON + timedelta(days=2)) == 3


def test_streak_sees_a_long_part_after_midnight(store: Store) -> None:
    bout(store, at(MON, "10:00"), 30)
    bout(store, at(MON, "23:00"), 150)  # Tuesday's part is 90 min
    bout(store, at(MON + timedelta(days=2), "10:00"), 30)
    assert st.streak(store, MON + timedelta(days=2)) == 1


# -- trend ---------------------------------------------------------------------------
def test_trend_weeks_adherence_and_checkins(store: Store) -> None:
    for w in range(4):
        monday = MON - timedelta(weeks=3 - w)
        for i in range(4):
            brk(store, at(monday, f"1{i}:00"), "done" if i <= w else "skipped")
        store.add_checkin(4 + w, at(monday + timedelta(days=4), "17:30"))
    t = st.trend(store, MON + timedelta(days=2), weeks=6)
    assert [p.monday for p in t.weeks] == [MON - timedelta(weeks=5 - i) for i in range(6)]
    assert [p.adherence for p in t.weeks] == [None, None, 0.25, 0.5, 0.75, 1.0]
    assert [p.checkin for p in t.weeks] == [None, None, 4, 5, 6, 7]
    assert (t.checkin, t.adherence) == ("better", "better")
    assert st.checked_in_this_week(store, MON + timedelta(days=6))
    assert not st.checked_in_this_week(store, MON + timedelta(days=7))


def test_trend_needs_three_scores_and_says_steady_or_worse(store: Store) -> None:
    store.add_checkin(6, at(MON, "17:30"))
    store.add_checkin(6, at(MON - timedelta(weeks=1), "17:30"))
    assert st.trend(store, MON).checkin is None
    store.add_checkin(6, at(MON - timedelta(weeks=4), "17:30"))
    assert st.trend(store, MON).checkin == "steady"
    store.add_checkin(2, at(MON + timedelta(days=1), "17:30"))  # the week's mean: 4
    assert st.trend(store, MON).checkin == "worse"


def test_overview_gathers_the_window_numbers(store: Store) -> None:
    bout(store, at(MON, "09:00"), 30)
    brk(store, at(MON, "09:30"), "done")
    o = st.overview(store, MON)
    assert o.today.day == MON and o.today.sitting_s == 30 * MIN
    assert o.week.first == MON and o.month.first == date(2026, 11, 1)
    assert (o.streak, len(o.timeline.bouts), len(o.timeline.breaks)) == (1, 1, 1)
    assert o.trend.weeks[-1].monday == MON


# -- the command -----------------------------------------------------------------------
ORIGINAL_KEYS = {
    "day",
    "offered",
    "done",
    "snoozed",
    "skipped",
    "missed",
    "sitting_s",
    "bouts",
    "longest_bout_s",
}


def run_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str]:
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    monkeypatch.setenv("COACH_POLICY", str(tmp_path / "no-policy.toml"))
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_cli_stats_json_keeps_the_day_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0 and ORIGINAL_KEYS <= set(data) and data["sitting_s"] == 0
    assert not (tmp_path / "coach.sqlite3").exists()  # asking does not create a history
    store = Store.open(tmp_path / "coach.sqlite3")
    bout(store, at(MON, "09:00"), 30)
    brk(store, at(MON, "09:30"), "done", "seated-cat-cow")
    store.close()
    code, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--day", "2026-11-16", "--json")
    data = json.loads(out)
    assert ORIGINAL_KEYS <= set(data)
    assert (data["day"], data["sitting_s"], data["done"], data["adherence"]) == (
        "2026-11-16",
        1800,
        1,
        1.0,
    )
    assert data["done_by_kind"] == {"mobility": 1} and data["streak_days"] == 1


def test_cli_stats_week_and_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    bout(store, at(MON + timedelta(days=2), "09:00"), 70)
    store.close()
    _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-11-18", "--json")
    week = json.loads(out)
    assert (week["period"], week["first"], len(week["days"])) == ("week", "2026-11-16", 7)
    assert week["bouts_over_60"] == 1 and week["trend"]["weeks"][-1]["monday"] == "2026-11-16"
    _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--month", "2026-11", "--json")
    month = json.loads(out)
    assert (month["first"], month["last"], month["sitting_s"]) == ("2026-11-01", "2026-11-30", 4200)
    code, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-11-18")
    assert code == 0 and "Week 47: 2026-11-16 to 2026-11-22" in out
    assert "Wed 2026-11-18" in out and "(a bout over 60 min)" in out


def test_cli_stats_refuses_a_bad_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli(tmp_path, monkeypatch, capsys, "stats", "--day", "16-11-2026")
    assert exc.value.code == 2
    assert "not a date like 2026-11-21" in capsys.readouterr().err


def test_cli_stats_goes_back_by_iso_week_and_month_with_the_trend_of_that_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    october = date(2026, 10, 20)
    bout(store, at(october, "09:00"), 20)
    brk(store, at(october, "09:30"), "done", "seated-cat-cow")
    store.close()
    _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-W43", "--json")
    week = json.loads(out)
    assert (week["first"], week["last"], week["sitting_s"]) == ("2026-10-19", "2026-10-25", 1200)
    assert week["history_from"] == "2026-10-20"
    _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--month", "2026-10", "--json")
    month = json.loads(out)
    weeks = month["trend"]["weeks"]
    assert weeks[-1]["monday"] == "2026-10-26"  # the trend runs to the month's end
    assert sum(w["done"] for w in weeks) == 1  # October is in it


def test_cli_stats_text_says_one_day_and_one_bout_and_in_dutch_names_the_kinds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    bout(store, at(MON, "09:00"), 30)
    brk(store, at(MON, "09:30"), "done", "seated-cat-cow")
    store.close()
    _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-11-16")
    assert "in 1 bout " in out and "1 day with sitting" in out and "1 days" not in out
    (tmp_path / "settings.toml").write_text('language = "nl"\n')
    try:
        _, out = run_cli(tmp_path, monkeypatch, capsys, "stats", "--week", "2026-11-16")
    finally:
        i18n.use("en")
    assert "mobiliteit 1" in out and "mobility" not in out
    assert "1 dag " in out and "1 dagen" not in out and "1 zitperiodes" not in out
    assert "Week 47: 16-11-2026 tot en met 22-11-2026" in out  # dates as the Dutch write them
    assert "ma 16-11-2026" in out and "2026-11-16" not in out
    assert "1 van 1 genomen (100%)" in out
