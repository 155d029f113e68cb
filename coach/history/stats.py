"""Statistics: pure functions over the store, no Qt, no clock (the caller says which day).

Local days come from each record's own stored UTC offset, so a DST change or a flight
to another timezone puts every record on the day the user lived it. A sitting bout that
runs past local midnight is split there: each part counts (as a bout) on its own day,
its sitting time shared in proportion to the clock time on each side.

A day *meets the goal* when it has sitting and no bout over the goal (default 60
minutes). The streak counts such days back from today; days without any sitting
(weekends, holidays) neither count nor break it. A day still in progress counts as
long as it meets the goal so far.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from coach.history.store import History

GOAL_S = 60 * 60  # default goal: no sitting bout over an hour
OVER_30_S, OVER_60_S = 30 * 60, 60 * 60
OTHER = "other"  # the kind of an exercise id the library does not know
TREND_WEEKS = 12

_DAY_S = 86_400
_EPOCH = date(1970, 1, 1)
_MAX_OFFSET_S = 15 * 3600  # wider than any real UTC offset (-12 h .. +14 h)
_STEADY = {"checkin": 0.1, "adherence": 0.01}  # slope per week below which: steady


# -- results ---------------------------------------------------------------------
@dataclass(frozen=True)
class DayStats:
    """One local day (or, from `period_stats`, the sum of several)."""

    day: date
    sitting_s: float
    bouts: int
    longest_bout_s: float
    offered: int
    done: int
    snoozed: int  # snoozes pressed
    skipped: int
    missed: int
    hurt: int = 0
    bouts_over_30: int = 0
    bouts_over_60: int = 0
    bouts_over_goal: int = 0
    over_goal_s: float = 0.0  # sitting in bouts longer than the goal
    meets_goal: bool = False
    done_by_kind: Mapping[str, int] = field(default_factory=dict)
    ongoing: bool = False  # includes the bout in progress (written ahead by the app)

    @property
    def adherence(self) -> float | None:
        """Breaks done / breaks offered, or None when none were offered."""
        return self.done / self.offered if self.offered else None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "day": self.day.isoformat(),
            "adherence": self.adherence,
            "done_by_kind": dict(sorted(self.done_by_kind.items())),
        }


@dataclass(frozen=True)
class PeriodStats:
    """A week or a month: every day in it, and the totals."""

    period: str  # "week" or "month"
    first: date
    last: date  # inclusive
    days: list[DayStats]
    total: DayStats  # summed; `day` is the first day, `meets_goal` unused
    sitting_days: int  # days with any sitting
    goal_days: int  # days that met the goal

    def as_dict(self) -> dict[str, Any]:
        total = self.total.as_dict()
        del total["day"], total["meets_goal"]
        return {
            "period": self.period,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            **total,
            "sitting_days": self.sitting_days,
            "goal_days": self.goal_days,
            "days": [d.as_dict() for d in self.days],
        }


@dataclass(frozen=True)
class Span:
    """A bout or an away span on the day's timeline, in local hours since midnight."""

    start_h: float
    end_h: float
    sat_s: float = 0.0  # bouts: sitting in this part
    cause: str = ""  # away spans: idle, locked or asleep


@dataclass(frozen=True)
class BreakMark:
    at_h: float  # local hours since midnight
    kind: str
    exercise: str
    outcome: str


@dataclass(frozen=True)
class Timeline:
    day: date
    bouts: list[Span]
    away: list[Span]
    breaks: list[BreakMark]


@dataclass(frozen=True)
class WeekPoint:
    """One week (Monday first) of the trend: adherence and the check-in score."""

    monday: date
    offered: int
    done: int
    checkin: float | None  # mean score of the week's check-ins (0 very bad - 10 very good)

    @property
    def adherence(self) -> float | None:
        return self.done / self.offered if self.offered else None


@dataclass(frozen=True)
class Trend:
    weeks: list[WeekPoint]  # oldest first, the current week last
    checkin: str | None  # "better", "worse", "steady"; None with fewer than 3 scores
    adherence: str | None  # the same for adherence

    def as_dict(self) -> dict[str, Any]:
        return {
            "checkin": self.checkin,
            "adherence": self.adherence,
            "weeks": [
                {
                    "monday": w.monday.isoformat(),
                    "offered": w.offered,
                    "done": w.done,
                    "adherence": w.adherence,
                    "checkin": w.checkin,
                }
                for w in self.weeks
            ],
        }


@dataclass(frozen=True)
class Overview:
    """Everything the statistics window shows, in one call."""

    today: DayStats
    timeline: Timeline
    week: PeriodStats
    month: PeriodStats
    streak: int
    trend: Trend
    goal_s: float


# -- local days ------------------------------------------------------------------
def _day_no(d: date) -> int:
    return (d - _EPOCH).days


def _utc_bounds(first: date, last: date) -> tuple[float, float]:
    """UTC seconds that surely contain local days first..last in any UTC offset."""
    return (_day_no(first) * _DAY_S - _MAX_OFFSET_S, (_day_no(last) + 1) * _DAY_S + _MAX_OFFSET_S)


def _pieces(
    start: float, end: float, offset_min: int, first: int | None = None, last: int | None = None
) -> Iterator[tuple[int, float, float]]:
    """(local day number, start, end in local seconds) of a span, split at midnights;
    only the parts on days first..last when given (the cost follows the days asked for,
    not the time a record claims to span)."""
    lo, hi = start + offset_min * 60, end + offset_min * 60
    if first is not None:
        lo = min(max(lo, first * _DAY_S), hi)
    if last is not None:
        hi = max(min(hi, (last + 1) * _DAY_S), lo)
    day = int(lo // _DAY_S)
    while True:
        cut = min(hi, (day + 1) * _DAY_S)
        if cut > lo or hi == lo:
            yield day, lo, cut
        if cut >= hi:
            return
        lo, day = cut, day + 1


def _bout_pieces(
    start: float,
    end: float,
    sat_s: float,
    offset_min: int,
    first: int | None = None,
    last: int | None = None,
) -> Iterator[tuple[int, float, float, float]]:
    """Like `_pieces`, with each part's share of the sitting time."""
    length = end - start
    for day, lo, hi in _pieces(start, end, offset_min, first, last):
        yield day, lo, hi, sat_s * (hi - lo) / length if length > 0 else sat_s


def _local_day(ts: float, offset_min: int) -> int:
    return int((ts + offset_min * 60) // _DAY_S)


SpanReader = Callable[[float, float], Iterable[tuple[float, float, Any, int]]]
"""A History reader of spans: (start, end, value, utc_offset) rows overlapping lo..hi."""


def time_per_day(read: SpanReader, first: date, last: date) -> dict[date, float]:
    """Clock seconds of the spans `read` yields on each local day first..last (each
    record split at its own local midnights)."""
    n0, n1 = _day_no(first), _day_no(last)
    seconds = dict.fromkeys(range(n0, n1 + 1), 0.0)
    for start, end, _value, off in read(*_utc_bounds(first, last)):
        for n, a, b in _pieces(start, end, off, n0, n1):
            if n in seconds:
                seconds[n] += b - a
    return {_EPOCH + timedelta(days=n): s for n, s in seconds.items()}


def spans_of_day(read: SpanReader, day: date) -> list[Span]:
    """The spans `read` yields on one local day, in local hours (for a timeline)."""
    n = _day_no(day)
    return [
        Span((a - n * _DAY_S) / 3600, (b - n * _DAY_S) / 3600)
        for start, end, _value, off in read(*_utc_bounds(day, day))
        for pn, a, b in _pieces(start, end, off, n, n)
        if pn == n and b > a
    ]


# -- per-day numbers ---------------------------------------------------------------
@dataclass
class _Day:
    bouts: list[float] = field(default_factory=list)  # sitting per bout (part)
    offered: int = 0
    snoozed: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    ongoing: bool = False

    def stats(self, day: date, goal_s: float) -> DayStats:
        b = self.bouts
        longest = max(b, default=0.0)
        return DayStats(
            day=day,
            sitting_s=sum(b),
            bouts=len(b),
            longest_bout_s=longest,
            offered=self.offered,
            done=self.outcomes["done"],
            snoozed=self.snoozed,
            skipped=self.outcomes["skipped"],
            missed=self.outcomes["missed"],
            hurt=self.outcomes["hurt"],
            bouts_over_30=sum(s > OVER_30_S for s in b),
            bouts_over_60=sum(s > OVER_60_S for s in b),
            bouts_over_goal=sum(s > goal_s for s in b),
            over_goal_s=sum(s for s in b if s > goal_s),
            meets_goal=bool(b) and longest <= goal_s,
            done_by_kind=dict(self.kinds),
            ongoing=self.ongoing,
        )


def _collect(store: History, first: date, last: date, kinds: Mapping[str, str]) -> dict[int, _Day]:
    lo, hi = _utc_bounds(first, last)
    wanted = range(_day_no(first), _day_no(last) + 1)
    days = {n: _Day() for n in wanted}
    ongoing = set(store.ongoing_bouts(lo, hi))
    for start, end, sat_s, off in store.bouts(lo, hi):
        for n, _lo, _hi, part in _bout_pieces(start, end, sat_s, off, wanted[0], wanted[-1]):
            if n in days and part > 0:
                days[n].bouts.append(part)
                days[n].ongoing |= start in ongoing
    for due, off, _kind, exercise, outcome, snoozes in store.breaks(lo, hi):
        d = days.get(_local_day(due, off))
        if d is None:
            continue
        d.offered += 1
        d.snoozed += snoozes
        d.outcomes[outcome] += 1
        if outcome == "done":
            d.kinds[kinds.get(exercise, OTHER)] += 1
    return days


def day_stats(
    store: History, day: date, kinds: Mapping[str, str] | None = None, goal_s: float = GOAL_S
) -> DayStats:
    """One local day. `kinds` maps exercise ids to their kind (see `catalog.kinds`)."""
    return _collect(store, day, day, kinds or {})[_day_no(day)].stats(day, goal_s)


def period_stats(
    store: History,
    period: str,
    first: date,
    last: date,
    kinds: Mapping[str, str] | None = None,
    goal_s: float = GOAL_S,
) -> PeriodStats:
    """Local days first..last (inclusive), each and summed."""
    collected = _collect(store, first, last, kinds or {})
    days = [collected[n].stats(_EPOCH + timedelta(days=n), goal_s) for n in sorted(collected)]
    return PeriodStats(
        period=period,
        first=first,
        last=last,
        days=days,
        total=_sum(first, days),
        sitting_days=sum(d.bouts > 0 for d in days),
        goal_days=sum(d.meets_goal for d in days),
    )


def _sum(first: date, days: list[DayStats]) -> DayStats:
    kinds: Counter[str] = Counter()
    for d in days:
        kinds.update(d.done_by_kind)
    return DayStats(
        day=first,
        sitting_s=sum(d.sitting_s for d in days),
        bouts=sum(d.bouts for d in days),
        longest_bout_s=max((d.longest_bout_s for d in days), default=0.0),
        offered=sum(d.offered for d in days),
        done=sum(d.done for d in days),
        snoozed=sum(d.snoozed for d in days),
        skipped=sum(d.skipped for d in days),
        missed=sum(d.missed for d in days),
        hurt=sum(d.hurt for d in days),
        bouts_over_30=sum(d.bouts_over_30 for d in days),
        bouts_over_60=sum(d.bouts_over_60 for d in days),
        bouts_over_goal=sum(d.bouts_over_goal for d in days),
        over_goal_s=sum(d.over_goal_s for d in days),
        done_by_kind=dict(kinds),
        ongoing=any(d.ongoing for d in days),
    )


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week `day` is in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of the month `day` is in."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def period_of(period: str, day: date) -> tuple[date, date]:
    """The first and last day of the week or month (`period`) that `day` is in."""
    return week_of(day) if period == "week" else month_of(day)


def first_day(store: History) -> date | None:
    """The local day of the first record (a bout or a break), None with no history."""
    first = store.first_record()
    return None if first is None else _EPOCH + timedelta(days=_local_day(*first))


def week_stats(
    store: History, day: date, kinds: Mapping[str, str] | None = None, goal_s: float = GOAL_S
) -> PeriodStats:
    return period_stats(store, "week", *week_of(day), kinds=kinds, goal_s=goal_s)


def month_stats(
    store: History, day: date, kinds: Mapping[str, str] | None = None, goal_s: float = GOAL_S
) -> PeriodStats:
    return period_stats(store, "month", *month_of(day), kinds=kinds, goal_s=goal_s)


# -- streak, timeline, trend ---------------------------------------------------------
def streak(store: History, today: date, goal_s: float = GOAL_S) -> int:
    """Days with sitting that met the goal, counted back from today (see the module doc).

    Bouts are read newest first; the first part over the goal ends the count. Bouts
    not read yet ended before that one started, so they cannot touch a later day.
    """
    today_no = _day_no(today)
    _lo, hi = _utc_bounds(today, today)
    sitting_days: set[int] = set()
    for start, end, sat_s, off in store.bouts_newest_first(hi):
        for n, _a, _b, part in _bout_pieces(start, end, sat_s, off, None, today_no):
            if n > today_no or part <= 0:
                continue
            if part > goal_s:
                return sum(d > n for d in sitting_days)
            sitting_days.add(n)
    return len(sitting_days)


def timeline(store: History, day: date) -> Timeline:
    """Bouts, away spans and break prompts of one local day, in local hours."""
    lo, hi = _utc_bounds(day, day)
    n = _day_no(day)
    midnight = n * _DAY_S

    def on_day(
        rows: Iterable[tuple[float, float, Any, int]], sitting: bool
    ) -> Iterator[tuple[float, float, float, Any]]:
        for start, end, value, off in rows:
            for pn, a, b, part in _bout_pieces(start, end, value if sitting else 0.0, off, n, n):
                if pn == n:
                    yield (a - midnight) / 3600, (b - midnight) / 3600, part, value

    bouts = [
        Span(a, b, sat_s=part) for a, b, part, _v in on_day(store.bouts(lo, hi), True) if part > 0
    ]
    away = [Span(a, b, cause=c) for a, b, _p, c in on_day(store.away(lo, hi), False) if b > a]
    marks = [
        BreakMark((due + off * 60 - midnight) / 3600, kind, exercise, outcome)
        for due, off, kind, exercise, outcome, _snoozes in store.breaks(lo, hi)
        if _local_day(due, off) == n
    ]
    return Timeline(day=day, bouts=bouts, away=away, breaks=marks)


def _direction(values: list[float], steady: float) -> str | None:
    """Least-squares slope per week of the values that exist, as a word."""
    if len(values) < 3:
        return None
    import statistics  # with decimal and fractions: loaded only for the statistics

    slope = statistics.linear_regression(range(len(values)), values).slope
    if abs(slope) < steady:
        return "steady"
    return "better" if slope > 0 else "worse"


def trend(store: History, today: date, weeks: int = TREND_WEEKS) -> Trend:
    """Weekly adherence and check-in scores for the last `weeks` weeks (this one last).

    The directions compare weeks with data only, so a holiday does not bend them.
    """
    this_monday = week_of(today)[0]
    first = this_monday - timedelta(weeks=weeks - 1)
    lo, hi = _utc_bounds(first, this_monday + timedelta(days=6))
    first_no = _day_no(first)

    def week_index(ts: float, off: int) -> int:
        return (_local_day(ts, off) - first_no) // 7

    offered, done = [0] * weeks, [0] * weeks
    for due, off, _kind, _exercise, outcome, _snoozes in store.breaks(lo, hi):
        w = week_index(due, off)
        if 0 <= w < weeks:
            offered[w] += 1
            done[w] += outcome == "done"
    scores: list[list[int]] = [[] for _ in range(weeks)]
    for at, off, score in store.checkins(lo, hi):
        w = week_index(at, off)
        if 0 <= w < weeks:
            scores[w].append(score)
    points = [
        WeekPoint(
            monday=first + timedelta(weeks=w),
            offered=offered[w],
            done=done[w],
            checkin=sum(scores[w]) / len(scores[w]) if scores[w] else None,
        )
        for w in range(weeks)
    ]
    return Trend(
        weeks=points,
        checkin=_direction(
            [p.checkin for p in points if p.checkin is not None], _STEADY["checkin"]
        ),
        adherence=_direction(
            [p.adherence for p in points if p.adherence is not None], _STEADY["adherence"]
        ),
    )


def checked_in_this_week(store: History, today: date) -> bool:
    """Whether a weekly check-in was recorded in the week of `today`."""
    return trend(store, today, weeks=1).weeks[0].checkin is not None


def overview(
    store: History, today: date, kinds: Mapping[str, str] | None = None, goal_s: float = GOAL_S
) -> Overview:
    """What the statistics window shows for `today` (the user's local date)."""
    month = month_stats(store, today, kinds, goal_s)
    week = week_stats(store, today, kinds, goal_s)
    day = next(d for d in month.days if d.day == today)
    return Overview(
        today=day,
        timeline=timeline(store, today),
        week=week,
        month=month,
        streak=streak(store, today, goal_s),
        trend=trend(store, today),
        goal_s=goal_s,
    )
