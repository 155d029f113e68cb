"""Time faults, through the real CoachService and store with fake clocks: the wall clock
jumping 3 hours forward and back, DST changes, a timezone change, an 8-hour sleep.
No burst of breaks (at most one prompt after resuming, none in the first minute), no
negative durations in the records, and each record on the right day in the statistics.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.config.settings import Settings
from coach.core import events as ev
from coach.core.clock import FakeClock
from coach.core.sample import Sample
from coach.history.stats import day_stats
from coach.history.store import Store
from coach.service import CoachService
from tests.fakes.picker import TierPicker

CET = timezone(timedelta(hours=1))
ACTIVE = Sample(idle_s=0.0)
SETTINGS = replace(Settings(), language="en")  # 30 min / 60 min, idle after 60 s
MIN = 60


class ZoneClock:
    """Like SystemClock: a boot-time clock, and the local time of a UTC instant in a
    zone that can change (travel), with a fixed-offset tzinfo as `astimezone()` gives."""

    def __init__(self, utc: datetime, zone: str) -> None:
        self.ts = utc.timestamp()
        self.zone = ZoneInfo(zone)
        self._mono = 5000.0

    def mono(self) -> float:
        return self._mono

    def wall(self) -> datetime:
        local = datetime.fromtimestamp(self.ts, self.zone)
        offset = local.utcoffset()
        assert offset is not None
        return local.astimezone(timezone(offset))

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self.ts += seconds


class Day:
    """A user at work: ticks every 5 s, answering each break at once."""

    def __init__(
        self, tmp_path: Path, clock: FakeClock | ZoneClock, settings: Settings = SETTINGS
    ) -> None:
        self.store = Store.open(tmp_path / "coach.sqlite3")
        self.clock = clock
        self.svc = CoachService(
            settings, self.store, clock, TierPicker(lambda tier: f"{tier}-exercise")
        )
        self.log: list[tuple[float, str]] = []  # (mono, event)

    def work(self, seconds: float, sample: Sample = ACTIVE, answer: str = "done") -> None:
        for _ in range(int(seconds // 5)):
            self.clock.advance(5)
            self.handle(self.svc.tick(sample), answer)

    def handle(self, events: list[ev.Event], answer: str = "done") -> None:
        for e in events:
            self.log.append((self.clock.mono(), e.name))
            if isinstance(e, ev.BreakDue) and answer != "ignore":
                outcome = ev.Answer(answer) if answer in e.answers else ev.Answer.SKIP
                self.handle(self.svc.answer(e.break_id, outcome, "busy"), answer)

    def dues(self, after: float, within: float) -> int:
        return sum(
            1 for t, name in self.log if name == ev.BreakDue.name and after < t <= after + within
        )

    def finish(self) -> None:
        self.svc.finish()

    def assert_no_negative_durations(self) -> None:
        c = self.store.conn
        assert c.execute(
            "SELECT count(*) FROM bouts WHERE end < start OR sat_s < 0 OR sat_s > end - start + 1"
        ).fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM away WHERE end < start").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM breaks WHERE answered < due").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM runs WHERE ended < started").fetchone() == (0,)

    def sat(self) -> float:
        return float(self.store.conn.execute("SELECT total(sat_s) FROM bouts").fetchone()[0])


def control_run(tmp_path: Path) -> Day:
    day = Day(tmp_path / "control", FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET)))
    day.work(4 * 3600, answer="snooze")
    day.finish()
    return day


@pytest.mark.parametrize("jump_h", [3, -3])
def test_a_wall_clock_jump_changes_no_break_and_no_duration(tmp_path: Path, jump_h: int) -> None:
    (tmp_path / "control").mkdir()
    control = control_run(tmp_path)
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    day = Day(tmp_path, clock)
    day.work(100 * MIN, answer="snooze")  # a snoozed break is waiting at the jump
    jumped_at = clock.mono()
    clock.set_wall(clock.wall() + timedelta(hours=jump_h))
    day.work(140 * MIN, answer="snooze")
    day.finish()

    assert day.log == control.log  # the same breaks at the same moments
    assert day.dues(jumped_at, MIN) <= 1
    day.assert_no_negative_durations()
    assert day.sat() == pytest.approx(control.sat())
    stats = day_stats(day.store, date(2026, 11, 16))  # all of it on the day it happened
    assert stats.sitting_s == pytest.approx(control.sat())
    assert stats.offered == day_stats(control.store, date(2026, 11, 16)).offered


def test_a_jump_back_between_offer_and_answer_gives_no_negative_duration(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    day = Day(tmp_path, clock)
    day.work(31 * MIN, answer="snooze")  # the first break, snoozed
    assert day.store.conn.execute("SELECT outcome FROM breaks").fetchall() == [("snoozed",)]
    clock.set_wall(clock.wall() - timedelta(hours=3))
    day.work(6 * MIN)  # shown again after the jump, and done
    day.finish()  # the run "ends" 3 hours before it started, by the wall clock

    assert day.store.conn.execute("SELECT outcome FROM breaks").fetchall()[0] == ("done",)
    day.assert_no_negative_durations()


@pytest.mark.parametrize(
    ("start_utc", "shift"),
    [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "spring forward"),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "fall back"),
    ],
)
def test_a_night_shift_across_a_dst_change_counts_real_time_on_its_day(
    tmp_path: Path, start_utc: datetime, shift: str
) -> None:
    clock = ZoneClock(start_utc, "Europe/Amsterdam")
    day = Day(tmp_path, clock)
    first = clock.wall().date()
    day.work(4 * 3600)  # 4 real hours, around 02:00-03:00 local
    day.finish()

    (tmp_path / "utc").mkdir()
    control = Day(tmp_path / "utc", ZoneClock(start_utc, "UTC"))
    control.work(4 * 3600)
    control.finish()

    day.assert_no_negative_durations()
    assert day.log == control.log  # the same breaks as on a night without a change
    assert day.sat() == pytest.approx(control.sat())  # real time, not the local hours
    assert day_stats(day.store, first).sitting_s == pytest.approx(day.sat())


def test_a_timezone_change_keeps_each_bout_on_its_local_day(tmp_path: Path) -> None:
    # Monday 21:00 UTC: Tuesday 06:00 in Tokyo; then the laptop says Amsterdam (Mon 22:00)
    clock = ZoneClock(datetime(2026, 11, 16, 21, 0, tzinfo=UTC), "Asia/Tokyo")
    day = Day(tmp_path, clock)
    day.work(50 * MIN)  # a bout of 30 min, a break, and a bout under way at the change
    changed_at, changed_ts = clock.mono(), clock.ts
    clock.zone = ZoneInfo("Europe/Amsterdam")
    day.work(50 * MIN)
    day.finish()

    day.assert_no_negative_durations()
    assert day.dues(changed_at, MIN) == 0
    bouts = day.store.conn.execute("SELECT start, sat_s FROM bouts").fetchall()
    begun_in_tokyo = sum(sat for start, sat in bouts if start < changed_ts)
    begun_in_amsterdam = sum(sat for start, sat in bouts if start >= changed_ts)
    assert begun_in_tokyo and begun_in_amsterdam
    assert day_stats(day.store, date(2026, 11, 17)).sitting_s == pytest.approx(begun_in_tokyo)
    assert day_stats(day.store, date(2026, 11, 16)).sitting_s == pytest.approx(begun_in_amsterdam)


SLEEP_SAMPLES = {
    "detected": Sample(idle_s=8 * 3600.0, asleep=True),
    "idle only": Sample(idle_s=8 * 3600.0),
    "typing at once": ACTIVE,  # neither sleep nor idle seen: only the clock gap
}


@pytest.mark.parametrize("before", ["prompt open", "snoozed", "about due"])
@pytest.mark.parametrize("waking", SLEEP_SAMPLES)
def test_an_eight_hour_sleep_brings_no_burst_of_breaks(
    tmp_path: Path, before: str, waking: str
) -> None:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET))
    day = Day(tmp_path, clock)
    if before == "prompt open":
        day.work(29 * MIN + 55)
        day.work(10, answer="ignore")
    elif before == "snoozed":
        day.work(30 * MIN, answer="snooze")
    else:
        day.work(29 * MIN)
    clock.advance(8 * 3600)  # asleep: no ticks; the boot-time clock counts on
    resumed = clock.mono()
    day.handle(day.svc.tick(SLEEP_SAMPLES[waking]))
    day.work(3 * 3600)
    day.finish()

    (tmp_path / "fresh").mkdir()
    fresh = Day(tmp_path / "fresh", FakeClock(mono=resumed))
    fresh.handle(fresh.svc.tick(SLEEP_SAMPLES[waking]))
    fresh.work(3 * 3600)

    assert day.dues(resumed - 1, MIN) == 0
    assert day.dues(resumed - 1, 29 * MIN) <= 1
    # then the same breaks as on a fresh morning
    assert [e for e in day.log if e[0] >= resumed and e[1] == ev.BreakDue.name] == [
        e for e in fresh.log if e[1] == ev.BreakDue.name
    ]
    day.assert_no_negative_durations()
    away = day.store.conn.execute("SELECT start, end FROM away").fetchall()
    assert any(end - start >= 8 * 3600 for start, end in away)  # the night is time away
    bouts = day.store.conn.execute("SELECT sat_s FROM bouts").fetchall()
    assert max(s for (s,) in bouts) <= 30 * MIN + 5  # no bout across the night
