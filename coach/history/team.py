"""Anonymous team files and the team report built from many of them.

A team file holds one ISO week of one person, and nothing else: sitting minutes, days
with data, sitting bouts over 60 minutes, breaks offered and done. It carries no name,
username, host, file path, time of day or day of the week. Readers accept exactly these
keys, so a file that says more is refused rather than passed on.

The report shows only weeks for which at least MIN_GROUP people sent a file.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from coach import bounded
from coach.core.formats import number, percent
from coach.history.store import History
from coach.i18n import _, ngettext

log = logging.getLogger(__name__)

FORMAT = "coach-team-week"
VERSION = 1
MIN_GROUP = 5
LONG_BOUT_S = 60 * 60
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
BAND = 3  # a published figure blends at least this many people (docs/deployment.md)
_DAY_S = 86_400
_MAX_OFFSET_S = 15 * 3600  # wider than any real UTC offset


class TeamFileError(ValueError):
    """A team file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class TeamWeek:
    """One person's week, as written to a team file (field names are the file's keys)."""

    week: str  # ISO week, e.g. "2026-W46"
    days_with_data: int
    sitting_minutes: int
    bouts_over_60_min: int
    breaks_offered: int
    breaks_done: int

    def to_bytes(self) -> bytes:
        """Exactly what the file holds (the user sees these bytes before they are written)."""
        body = {"format": FORMAT, "version": VERSION, **asdict(self)}
        return (json.dumps(body, indent=2) + "\n").encode("utf-8")


FIELDS = tuple(TeamWeek.__dataclass_fields__)
KEYS = frozenset({"format", "version", *FIELDS})


def parse_week(text: str) -> date:
    """The Monday of an ISO week written like 2026-W46."""
    try:
        year, week = text.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError as exc:
        raise ValueError(_("'{week}' is not a week like 2026-W46").format(week=text)) from exc


def week_name(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def last_full_week(today: date) -> str:
    return week_name(today - timedelta(days=7))


def summarise(history: History, week: str) -> TeamWeek:
    """One week of the user's history, reduced to the team file's numbers (a bout and
    a break count on the local day it started)."""
    monday = parse_week(week)
    first = (monday - date(1970, 1, 1)).days
    days = range(first, first + 7)
    lo, hi = first * _DAY_S - _MAX_OFFSET_S, (first + 7) * _DAY_S + _MAX_OFFSET_S

    def local_day(ts: float, offset_min: int) -> int:
        return int((ts + offset_min * 60) // _DAY_S)

    sitting, long_bouts, active_days = 0.0, 0, set()
    for start, _end, sat_s, off in history.bouts(lo, hi):
        if (day := local_day(start, off)) in days:
            sitting += sat_s
            long_bouts += sat_s > LONG_BOUT_S
            active_days.add(day)
    offered = done = 0
    for due, off, _kind, _exercise, outcome, _snoozes in history.breaks(lo, hi):
        if local_day(due, off) in days:
            offered += 1
            done += outcome == "done"
    return TeamWeek(
        week=week_name(monday),
        days_with_data=len(active_days),
        sitting_minutes=round(sitting / 60),
        bouts_over_60_min=long_bouts,
        breaks_offered=offered,
        breaks_done=done,
    )


def read_file(path: Path) -> TeamWeek:
    """Read and check one team file; anything unexpected refuses the whole file."""
    try:
        data = bounded.loads_json(bounded.read_bytes(path, bounded.Cap.TEAM).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # BoundsError, JSONDecodeError
        raise TeamFileError(
            _("{file}: not a team file ({reason})").format(file=path, reason=exc)
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TeamFileError(_("{file}: not a team file").format(file=path))
    if data.get("version") != VERSION:
        raise TeamFileError(
            _("{file}: team file version {version} is not supported").format(
                file=path, version=data.get("version")
            )
        )
    extra = sorted(set(data) - KEYS)
    missing = sorted(KEYS - set(data))
    if extra or missing:
        raise TeamFileError(
            _("{file}: unexpected keys {extra}, missing keys {missing}").format(
                file=path, extra=extra, missing=missing
            )
        )
    numbers = {k: data[k] for k in FIELDS if k != "week"}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in numbers.values()):
        raise TeamFileError(
            _("{file}: every number must be a whole number, 0 or more").format(file=path)
        )
    if (  # what one week can hold: every figure capped, so no file outweighs the others
        numbers["days_with_data"] > 7
        or numbers["sitting_minutes"] > numbers["days_with_data"] * DAY_MINUTES
        or numbers["bouts_over_60_min"] * 60 > numbers["sitting_minutes"] + 1
        or numbers["breaks_offered"] > WEEK_MINUTES  # at most one a minute
        or numbers["breaks_done"] > numbers["breaks_offered"]
    ):
        raise TeamFileError(_("{file}: the numbers cannot be right").format(file=path))
    try:
        parse_week(str(data["week"]))
    except ValueError as exc:
        raise TeamFileError(f"{path}: {exc}") from exc
    return TeamWeek(**{k: data[k] for k in FIELDS})


@dataclass(frozen=True)
class WeekRow:
    """One week of a team: only averages and totals over at least MIN_GROUP people."""

    week: str
    people: int
    sitting_h_per_day: float  # mean over people of sitting / days with data
    sitting_h_per_week: float  # mean over people
    sitting_h_per_week_low: float  # mean of the lowest BAND people, to the half hour
    sitting_h_per_week_high: float  # mean of the highest BAND people, to the half hour
    bouts_over_60_per_person: float
    breaks_offered: int
    breaks_done: int

    @property
    def done_share(self) -> float:
        return self.breaks_done / self.breaks_offered if self.breaks_offered else 0.0


@dataclass(frozen=True)
class Report:
    rows: list[WeekRow]
    withheld_weeks: int  # weeks left out because fewer than MIN_GROUP people sent a file
    refused: list[str]  # files that could not be used, with the reason


def build(weeks: list[TeamWeek], refused: list[str] | None = None) -> Report:
    by_week: dict[str, list[TeamWeek]] = {}
    for w in weeks:
        by_week.setdefault(w.week, []).append(w)
    rows, withheld = [], 0
    for week, people in sorted(by_week.items()):
        if len(people) < MIN_GROUP:
            withheld += 1
            continue
        per_day = [p.sitting_minutes / 60 / p.days_with_data for p in people if p.days_with_data]
        weekly = sorted(p.sitting_minutes / 60 for p in people)
        band = max(BAND, len(people) // 3)
        rows.append(
            WeekRow(
                week=week,
                people=len(people),
                sitting_h_per_day=round(statistics.fmean(per_day), 2) if per_day else 0.0,
                sitting_h_per_week=round(statistics.fmean(weekly), 2),
                sitting_h_per_week_low=_half_hours(statistics.fmean(weekly[:band])),
                sitting_h_per_week_high=_half_hours(statistics.fmean(weekly[-band:])),
                bouts_over_60_per_person=round(
                    statistics.fmean(p.bouts_over_60_min for p in people), 2
                ),
                breaks_offered=sum(p.breaks_offered for p in people),
                breaks_done=sum(p.breaks_done for p in people),
            )
        )
    return Report(rows, withheld, list(refused or []))


def _half_hours(hours: float) -> float:
    return round(hours * 2) / 2


def read_folder(folder: Path) -> Report:
    """Every *.json team file in `folder` (byte-identical copies count once)."""
    weeks, refused, seen = [], [], set()
    for path in sorted(folder.glob("*.json")):
        try:
            week = read_file(path)
        except TeamFileError as exc:
            refused.append(str(exc))
            log.warning("%s", exc)
            continue
        if week.to_bytes() in seen:
            refused.append(_("{file}: the same as another file; counted once").format(file=path))
            continue
        seen.add(week.to_bytes())
        weeks.append(week)
    return build(weeks, refused)


# -- output --------------------------------------------------------------------------
def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "week",
            "people",
            "sitting_hours_per_day_mean",
            "sitting_hours_per_week_mean",
            "sitting_hours_per_week_low",
            "sitting_hours_per_week_high",
            "bouts_over_60_min_per_person",
            "breaks_offered",
            "breaks_done",
            "breaks_done_share",
        ]
    )
    for r in report.rows:
        writer.writerow(
            [
                r.week,
                r.people,
                r.sitting_h_per_day,
                r.sitting_h_per_week,
                r.sitting_h_per_week_low,
                r.sitting_h_per_week_high,
                r.bouts_over_60_per_person,
                r.breaks_offered,
                r.breaks_done,
                round(r.done_share, 3),
            ]
        )
    return out.getvalue()


_FONT = 'font-family="system-ui, DejaVu Sans, sans-serif"'
_TITLE = f'{_FONT} font-size="14" font-weight="600" fill="#222"'
_SMALL = f'{_FONT} font-size="11" text-anchor="middle" fill="#444"'


def bar_chart(
    title: str,
    labels: list[str],
    values: list[float],
    show: Callable[[float], str] = number,
    color: str = "#2F8F83",
    scale: float | None = None,
) -> str:
    """A small inline SVG bar chart (no script, no network): the number over each bar,
    `show(value)` in its tooltip; `scale`: the full height."""
    width, height, left, bottom, top = 640, 250, 48, 36, 44
    top_value = scale or max(values, default=0) or 1
    step = (width - left - 12) / max(len(values), 1)
    bar = min(step * 0.7, 56)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        f'<text x="{left}" y="16" {_TITLE}>{html.escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" '
        f'y2="{height - bottom}" stroke="#999"/>',
    ]
    plot = height - bottom - top
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot * value / top_value
        x = left + i * step + (step - bar) / 2
        y = height - bottom - h
        parts += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'rx="3" fill="{color}"><title>{html.escape(label)}: '
            f"{html.escape(show(value))}</title></rect>",
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" {_SMALL}>'
            f"{html.escape(number(value))}</text>",
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" {_SMALL}>'
            f"{html.escape(label)}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(report: Report, organisation: str = "", lang: str = "en") -> str:
    """The report as one self-contained HTML page with inline SVG charts."""
    weeks = [r.week for r in report.rows]
    title = _("Coach team report")
    if organisation:
        title = f"{title}: {organisation}"
    charts = [
        bar_chart(
            _("Sitting per day at the computer (hours, average per person)"),
            weeks,
            [r.sitting_h_per_day for r in report.rows],
            lambda hours: _("{hours} h").format(hours=number(hours)),
        ),
        bar_chart(
            _("Sitting bouts over 60 minutes (per person per week)"),
            weeks,
            [r.bouts_over_60_per_person for r in report.rows],
            number,
            "#C07A2C",
        ),
        bar_chart(
            _("Breaks taken, as a share of breaks offered (%)"),
            weeks,
            [round(100 * r.done_share) for r in report.rows],
            lambda pct: percent(pct / 100),
            "#4A6FA5",
            100,
        ),
    ]
    head = [
        _("Week"),
        _("People"),
        _("Sitting per day (h)"),
        _("Sitting per week, mean (h)"),
        _("Sitting per week, range (h)"),
        _("Bouts over 60 min per person"),
        _("Breaks offered"),
        _("Breaks done"),
        _("Taken"),
    ]
    rows = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v))}</td>"
            for v in (
                r.week,
                r.people,
                number(r.sitting_h_per_day),
                number(r.sitting_h_per_week),
                f"{number(r.sitting_h_per_week_low)}–{number(r.sitting_h_per_week_high)}",
                number(r.bouts_over_60_per_person),
                r.breaks_offered,
                r.breaks_done,
                percent(r.done_share),
            )
        )
        + "</tr>"
        for r in report.rows
    )
    notes = [
        _(
            "Each person's file holds one week of totals and nothing that identifies "
            "them. Weeks with fewer than {n} people are never shown."
        ).format(n=MIN_GROUP)
    ]
    if report.withheld_weeks:
        notes.append(
            ngettext(
                "{n} week left out: fewer than {min} people.",
                "{n} weeks left out: fewer than {min} people.",
                report.withheld_weeks,
            ).format(n=report.withheld_weeks, min=MIN_GROUP)
        )
    if report.refused:
        notes.append(
            ngettext(
                "{n} file could not be used.", "{n} files could not be used.", len(report.refused)
            ).format(n=len(report.refused))
        )
    note_html = "".join(f"<p class='note'>{html.escape(n)}</p>" for n in notes)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 720px;
       color: #222; padding: 0 1em; }}
h1 {{ font-size: 1.5em; }} .note {{ color: #555; }}
svg {{ display: block; margin: 1.5em 0; max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{note_html}
{"".join(charts)}
<table><thead><tr>{"".join(f"<th>{html.escape(h)}</th>" for h in head)}</tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""
