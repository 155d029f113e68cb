"""`coach stats`: sitting and breaks of a day, week or month, for people or as JSON."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from coach.cli.common import Subcommands, json_text, library, open_history
from coach.exercises import catalog
from coach.i18n import N_, _, ngettext


def _period_arg(value: str) -> date:
    """A date (YYYY-MM-DD), an ISO week (YYYY-Www, its Monday) or a month (YYYY-MM)."""
    try:
        if "-W" in value.upper():
            return date.fromisoformat(f"{value.upper()}-1")
        return date.fromisoformat(value if len(value) != 7 else f"{value}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _(
                "'{value}' is not a date like 2026-11-21, a week like 2026-W47 "
                "or a month like 2026-11"
            ).format(value=value)
        ) from None


def cmd_stats(args: argparse.Namespace) -> int:
    from coach.history import shape
    from coach.history import stats as st

    p = args.preferences.paths
    settings = args.preferences.settings
    period = "week" if args.week else "month" if args.month else "day"
    day = args.week or args.month or args.day or date.today()
    goal_s = settings.goal_max_bout_min * 60
    store = open_history(p.database, write=False)  # no history yet: an empty one
    if store is None:
        return 1
    try:
        kinds = catalog.kinds(library(settings))
        today = date.today()
        streak = st.streak(store, min(today, day), goal_s)
        first = st.first_day(store)
        shown = (day, day) if period == "day" else st.period_of(period, day)
        if period == "day":
            result: dict[str, Any] = st.day_stats(store, day, kinds, goal_s).as_dict()
        else:
            stats_for = st.week_stats if period == "week" else st.month_stats
            result = stats_for(store, day, kinds, goal_s).as_dict()
            result["trend"] = st.trend(store, min(today, shown[1])).as_dict()  # up to its end
        result["shape"] = shape.summary(shape.shapes(store, *shown, settings))
    finally:
        store.close()
    result |= {
        "streak_days": streak,
        "goal_max_bout_s": goal_s,
        "history_from": first.isoformat() if first else None,
    }
    print(json_text(result) if args.json else _stats_text(period, result))
    return 0


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
KIND_NAMES = {  # the kinds of exercise (coach/exercises/catalog.py KINDS), as shown
    "mobility": N_("mobility"),
    "glute": N_("glutes"),
    "stretch": N_("stretches"),
    "core": N_("core"),
    "walk": N_("walks"),
    "breathing": N_("breathing"),
    "posture": N_("posture"),
    "other": N_("other"),
}
TRENDS = {
    "better": N_("getting better"),
    "worse": N_("going down"),
    "steady": N_("steady"),
    None: N_("not enough weeks yet"),
}


def _stats_text(period: str, r: dict[str, Any]) -> str:
    """`coach stats` for people: the numbers of `r` (a day, week or month) in lines."""
    from coach.core import formats
    from coach.core.durations import format_duration as fd

    def local(iso: str) -> str:
        return formats.day(date.fromisoformat(iso))

    def day_name(iso: str) -> str:
        return f"{_(WEEKDAYS[date.fromisoformat(iso).weekday()])} {local(iso)}"

    goal = round(r["goal_max_bout_s"] / 60)
    if period == "day":
        head = day_name(r["day"])
    elif period == "week":
        head = _("Week {week}: {first} to {last}").format(
            week=date.fromisoformat(r["first"]).isocalendar().week,
            first=local(r["first"]),
            last=local(r["last"]),
        )
    else:
        head = _("{month}: {first} to {last}").format(
            month=r["first"][:7], first=local(r["first"]), last=local(r["last"])
        )
    lines = [
        head,
        _("  Sitting:    {sitting}{ongoing} {bouts} (longest {longest}; {over})").format(
            sitting=fd(r["sitting_s"]),
            ongoing=_(" so far, one bout still going,") if r["ongoing"] else "",
            bouts=ngettext("in {n} bout", "in {n} bouts", r["bouts"]).format(n=r["bouts"]),
            longest=fd(r["longest_bout_s"]),
            over=_("{over_30} over 30 min, {over_60} over 60 min").format(
                over_30=r["bouts_over_30"], over_60=r["bouts_over_60"]
            ),
        ),
        _(
            "  Breaks:     {done} of {offered} taken ({pct}); snoozed {snoozed}, skipped "
            "{skipped}, missed {missed}, it hurts {hurt}"
        ).format(
            done=r["done"],
            offered=r["offered"],
            pct=formats.percent(r["adherence"]),
            snoozed=r["snoozed"],
            skipped=r["skipped"],
            missed=r["missed"],
            hurt=r["hurt"],
        ),
    ]
    lines += _shape_lines(r["shape"])
    if r["done_by_kind"]:
        lines.append(
            _("  Exercises:  {kinds}").format(
                kinds=", ".join(
                    f"{_(KIND_NAMES.get(k, k))} {n}" for k, n in r["done_by_kind"].items()
                )
            )
        )
    if period != "day":
        lines.append(
            _("  Days:       {days}, {goal_days} without a bout over {goal} min").format(
                days=ngettext(
                    "{n} day with sitting", "{n} days with sitting", r["sitting_days"]
                ).format(n=r["sitting_days"]),
                goal_days=r["goal_days"],
                goal=goal,
            )
        )
        for d in r["days"]:
            if d["bouts"] or d["offered"]:
                lines.append(
                    _("    {day}  {sitting:>12}  breaks {done}/{offered}{mark}").format(
                        day=day_name(d["day"]),
                        sitting=fd(d["sitting_s"]),
                        done=d["done"],
                        offered=d["offered"],
                        mark=""
                        if d["meets_goal"] or not d["bouts"]
                        else _("  (a bout over {goal} min)").format(goal=goal),
                    )
                )
        breaks, checkin = (TRENDS[r["trend"][k]] for k in ("adherence", "checkin"))
        lines.append(
            _("  Trend:      breaks taken {breaks}; back and hips {checkin}").format(
                breaks=_(breaks), checkin=_(checkin)
            )
        )
    lines.append(
        _("  Streak:     {days} without a bout over {goal} min").format(
            days=ngettext("{n} day", "{n} days", r["streak_days"]).format(n=r["streak_days"]),
            goal=goal,
        )
    )
    if r["history_from"] and r.get("first", r.get("day", "")) < r["history_from"]:
        lines.append(_("  (The history starts on {day}.)").format(day=local(r["history_from"])))
    return "\n".join(lines)


def _shape_lines(shape: dict[str, Any]) -> list[str]:
    """Standing and moving against the goal, and the average sitting bout."""
    from coach.core.durations import format_duration as fd
    from coach.core.formats import percent

    days = shape["days"]
    goals = [d["goal_s"] for d in days if d["goal_s"]]
    up = _("  Standing:   {standing}, moving {moving}").format(
        standing=fd(shape["standing_s"]), moving=fd(shape["moving_s"])
    )
    if goals and len(days) == 1:
        up += _(" (goal {goal}: {pct})").format(
            goal=fd(goals[0]), pct=percent(days[0]["up_s"] / goals[0])
        )
    elif goals:
        up += ngettext(
            " (goal {goal} a day: met on {n} day)",
            " (goal {goal} a day: met on {n} days)",
            shape["goal_days"],
        ).format(goal=fd(goals[-1]), n=shape["goal_days"])
    average = shape["average_bout_s"]
    return [
        up,
        _("  Bouts:      average {average}").format(
            average="-" if average is None else fd(average)
        ),
    ]


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    stats = sub.add_parser("stats", help=_("sitting and breaks of a day, week or month"))
    span = stats.add_mutually_exclusive_group()
    span.add_argument(
        "--day", type=_period_arg, metavar=_("DATE"), help=_("a day, YYYY-MM-DD (default today)")
    )
    span.add_argument(
        "--week",
        type=_period_arg,
        nargs="?",
        const=date.today(),
        metavar=_("DATE"),
        help=_("a week, YYYY-Www (or a date in it), or this week"),
    )
    span.add_argument(
        "--month",
        type=_period_arg,
        nargs="?",
        const=date.today(),
        metavar=_("MONTH"),
        help=_("a month, YYYY-MM (or a date in it), or this month"),
    )
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)
