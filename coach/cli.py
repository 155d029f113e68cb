"""The `coach` command: run the tray app, simulate traces, show stats and exercises."""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import i18n
from coach import paths as paths_mod
from coach import policy as policy_mod
from coach import settings as settings_mod
from coach.exercises import catalog
from coach.exercises.picker import Picker
from coach.i18n import N_, _
from coach.settings import Settings

if TYPE_CHECKING:
    from coach.store import Store

log = logging.getLogger(__name__)

DEMO = {
    "micro_every_min": 1,
    "exercise_every_min": 2,
    "micro_reset_min": 1,
    "exercise_reset_min": 2,
    "idle_after_s": 20,
    "micro_duration_s": 20,
    "exercise_duration_s": 60,
    "snooze_min": 1,
}


def load_settings(
    p: paths_mod.Paths, user_file: Path | None = None
) -> tuple[Settings, list[settings_mod.Problem]]:
    layers = policy_mod.load(p.policy_file, user_file or p.settings_file)
    return layers.settings, layers.problems


def _library(settings: Settings) -> tuple[list[catalog.Exercise], list[catalog.PackProblem]]:
    pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
    return catalog.load_library(pack)


def cmd_run(args: argparse.Namespace) -> int:
    from coach.ui.app import run_app  # Qt only here

    p = paths_mod.resolve()
    settings, problems = load_settings(p)
    if args.demo:  # within the employer policy: locked and floored keys stay as they are
        policy = policy_mod.read(p.policy_file)[0]
        settings = replace(
            settings, **{k: v for k, v in DEMO.items() if policy.check(k, v)[1] is None}
        )
    return run_app(p, settings, [str(x) for x in problems], demo=args.demo)


def _json(value: object, **options: Any) -> str:
    """`value` as JSON; the module loads only for --json output, never in `coach run`."""
    import json

    return json.dumps(value, **options)


def cmd_simulate(args: argparse.Namespace) -> int:
    from coach.simulate import TraceError, read_trace, simulate

    p = paths_mod.resolve()
    settings, problems = load_settings(p, Path(args.settings) if args.settings else None)
    for problem in problems:
        print(f"coach: {problem}", file=sys.stderr)
    try:
        spans = read_trace(Path(args.trace))
    except TraceError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    exercises, _pack_problems = _library(settings)
    pick = Picker(exercises, settings, rng=random.Random(args.seed))
    for event in simulate(spans, settings, pick, respond=args.respond):
        print(_json(event.as_dict()))
    return 0


def _period_arg(value: str) -> date:
    """A date (YYYY-MM-DD) or, for --month, a month (YYYY-MM)."""
    try:
        return date.fromisoformat(value if len(value) != 7 else f"{value}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a date like 2026-11-21 (or a month like 2026-11)").format(
                value=value
            )
        ) from None


def cmd_stats(args: argparse.Namespace) -> int:
    from coach import stats as st
    from coach.store import Store, StoreError

    p = paths_mod.resolve()
    settings, _problems = load_settings(p)
    period = "week" if args.week else "month" if args.month else "day"
    day = args.week or args.month or args.day or date.today()
    goal_s = settings.goal_max_bout_min * 60
    try:  # no history yet: the numbers of an empty one, without creating a file
        store = Store.open(p.database) if p.database.exists() else Store.in_memory()
    except StoreError as exc:
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return 1
    try:
        kinds = catalog.kinds(_library(settings)[0])
        today = date.today()
        streak = st.streak(store, min(today, day), goal_s)
        if period == "day":
            result: dict[str, Any] = st.day_stats(store, day, kinds, goal_s).as_dict()
        else:
            stats_for = st.week_stats if period == "week" else st.month_stats
            result = stats_for(store, day, kinds, goal_s).as_dict()
            result["trend"] = st.trend(store, min(today, day)).as_dict()
    finally:
        store.close()
    result |= {"streak_days": streak, "goal_max_bout_s": goal_s}
    print(_json(result) if args.json else _stats_text(period, result))
    return 0


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
TRENDS = {
    "better": N_("getting better"),
    "worse": N_("going down"),
    "steady": N_("steady"),
    None: N_("not enough weeks yet"),
}


def _stats_text(period: str, r: dict[str, Any]) -> str:
    """`coach stats` for people: the numbers of `r` (a day, week or month) in lines."""
    from coach.durations import format_duration as fd

    def day_name(iso: str) -> str:
        return f"{_(WEEKDAYS[date.fromisoformat(iso).weekday()])} {iso}"

    goal = round(r["goal_max_bout_s"] / 60)
    if period == "day":
        head = day_name(r["day"])
    elif period == "week":
        head = _("Week {week}: {first} to {last}").format(
            week=date.fromisoformat(r["first"]).isocalendar().week, first=r["first"], last=r["last"]
        )
    else:
        head = _("{month}: {first} to {last}").format(
            month=r["first"][:7], first=r["first"], last=r["last"]
        )
    lines = [
        head,
        _(
            "  Sitting:    {sitting} in {bouts} bouts (longest {longest}; {over_30} "
            "over 30 min, {over_60} over 60 min)"
        ).format(
            sitting=fd(r["sitting_s"]),
            bouts=r["bouts"],
            longest=fd(r["longest_bout_s"]),
            over_30=r["bouts_over_30"],
            over_60=r["bouts_over_60"],
        ),
        _(
            "  Breaks:     {done} of {offered} taken ({pct}); snoozed {snoozed}, skipped "
            "{skipped}, missed {missed}, it hurts {hurt}"
        ).format(
            done=r["done"],
            offered=r["offered"],
            pct="-" if r["adherence"] is None else f"{r['adherence']:.0%}",
            snoozed=r["snoozed"],
            skipped=r["skipped"],
            missed=r["missed"],
            hurt=r["hurt"],
        ),
    ]
    if r["done_by_kind"]:
        lines.append(
            _("  Exercises:  {kinds}").format(
                kinds=", ".join(f"{k} {n}" for k, n in r["done_by_kind"].items())
            )
        )
    if period != "day":
        lines.append(
            _(
                "  Days:       {days} with sitting, {goal_days} without a bout over {goal} min"
            ).format(days=r["sitting_days"], goal_days=r["goal_days"], goal=goal)
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
        _("  Streak:     {n} days without a bout over {goal} min").format(
            n=r["streak_days"], goal=goal
        )
    )
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace) -> int:
    from coach.history_io import export_history, export_to_file

    p = paths_mod.resolve()
    layers = policy_mod.load(p.policy_file, p.settings_file, log_problems=False)
    if not layers.policy.allow_export:
        print(
            _("coach: data export is switched off by {owner}").format(owner=layers.policy.owner),
            file=sys.stderr,
        )
        return 1
    if args.team:
        return _export_team(args, p)
    if not p.database.exists():
        print(
            _("coach: no history yet ({file} does not exist); nothing to export").format(
                file=p.database
            ),
            file=sys.stderr,
        )
        return 1
    store = _open_store(p.database)
    if store is None:
        return 1
    try:
        if args.out:
            counts = export_to_file(store, args.format, Path(args.out))
            print(
                _("coach: wrote {n} records to {file}").format(
                    n=sum(counts.values()), file=args.out
                ),
                file=sys.stderr,
            )
        else:  # UTF-8 whatever the console's encoding: the export is read back as UTF-8
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            export_history(store, args.format, out)
            out.flush()
            out.detach()
    except OSError as exc:  # FileExistsError included: an export never overwrites
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _open_store(path: Path) -> Store | None:
    """The history, or None after telling the user why it cannot be opened."""
    from coach.store import Store, StoreError

    try:
        return Store.open(path)
    except StoreError as exc:
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return None


def cmd_import(args: argparse.Namespace) -> int:
    from coach.history_io import HistoryFileError, import_history

    p = paths_mod.resolve()
    store = _open_store(p.database)
    if store is None:
        return 1
    try:
        result = import_history(store, Path(args.file))
    except HistoryFileError as exc:
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return 2
    finally:
        store.close()
    added = ", ".join(f"{t} {n}" for t, n in result.added.items() if n) or _("nothing new")
    print(
        _("{file}: added {n} records ({tables}); {known} were already there").format(
            file=args.file, n=sum(result.added.values()), tables=added, known=result.already_there
        )
    )
    return 0


def cmd_exercises(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.dir:
            print(_("coach: usage: coach exercises check DIR"), file=sys.stderr)
            return 2
        exercises, problems = catalog.load_folder(Path(args.dir))
        for problem in problems:
            print(_("error: {problem}").format(problem=problem))
        print(_("{valid} valid, {bad} with errors").format(valid=len(exercises), bad=len(problems)))
        return 1 if problems or not exercises else 0
    settings, _problems = load_settings(paths_mod.resolve())
    exercises, problems = _library(settings)
    for problem in problems:
        print(_("coach: left out: {problem}").format(problem=problem), file=sys.stderr)
    if args.json:
        from coach.exercises import dose_plan

        listed = [e.as_dict() | {"plan": dose_plan.review(e, settings)} for e in exercises]
        print(_json(listed, ensure_ascii=False, indent=1))
        return 0
    for e in sorted(exercises, key=lambda e: (e.movement, e.position)):
        dose = f"{e.duration_s} s" if e.duration_s else f"{e.reps} x"
        title = e.text(args.lang or i18n.resolve(settings.language)).title
        print(f"{e.id:32} {e.position:9} {e.kind:10} {dose:7} {title}")
    return 0


def _export_team(args: argparse.Namespace, p: paths_mod.Paths) -> int:
    """`coach export --team FILE`: show the week's anonymous totals, then write them."""
    from coach import team
    from coach.atomic import write_private
    from coach.store import Store, StoreError

    week = args.week or team.last_full_week(date.today())
    out = Path(args.team)
    try:
        team.parse_week(week)
        if out.exists():
            raise ValueError(_("{file} already exists; choose a new name").format(file=out))
        if not p.database.exists():
            raise ValueError(_("no history yet; nothing to export"))
        store = Store.open(p.database)
    except (ValueError, StoreError) as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 1
    try:
        summary = team.summarise(store, week)
    finally:
        store.close()
    if not summary.days_with_data and not summary.breaks_offered:
        print(
            _("coach: nothing recorded in week {week}; nothing to write").format(week=week),
            file=sys.stderr,
        )
        return 1
    data = summary.to_bytes()
    print(
        _(
            "This is everything {file} will contain (one week's totals, nothing that "
            "identifies you or this computer):"
        ).format(file=out)
    )
    print(data.decode("utf-8"))
    if not args.yes:
        if not sys.stdin.isatty():
            print(_("coach: not written; add --yes to write without asking"), file=sys.stderr)
            return 1
        if input(_("Write this file? [y/N] ")).strip().lower() not in YES:
            print(_("Not written."))
            return 1
    try:
        write_private(out, data)
    except OSError as exc:
        print(f"coach: {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(_("Wrote {file}.").format(file=out))
    return 0


YES = ("y", "yes", "j", "ja")


def cmd_team_report(args: argparse.Namespace) -> int:
    """`coach team-report DIR`: an HTML and CSV report over many team files."""
    from coach import team
    from coach.atomic import write_private

    folder = Path(args.dir)
    if not folder.is_dir():
        print(_("coach: {dir} is not a folder").format(dir=folder), file=sys.stderr)
        return 2
    report = team.read_folder(folder)
    for refused in report.refused:
        print(f"coach: {refused}", file=sys.stderr)
    if not report.rows:
        print(
            _(
                "coach: nothing to show: no week has files from at least {n} people, and "
                "smaller groups are never shown"
            ).format(n=team.MIN_GROUP),
            file=sys.stderr,
        )
        return 1
    p = paths_mod.resolve()
    layers = policy_mod.load(p.policy_file, p.settings_file, log_problems=False)
    out = Path(args.out)
    html_file, csv_file = out / "team-report.html", out / "team-report.csv"
    lang = i18n.resolve(layers.settings.language)
    try:
        write_private(
            html_file, team.to_html(report, layers.policy.organisation, lang).encode("utf-8")
        )
        write_private(csv_file, team.to_csv(report).encode("utf-8"))
    except OSError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 1
    print(
        _(
            "Wrote {html} and {csv}: {weeks} week(s) shown, {withheld} left out (fewer than "
            "{n} people)."
        ).format(
            html=html_file,
            csv=csv_file,
            weeks=len(report.rows),
            withheld=report.withheld_weeks,
            n=team.MIN_GROUP,
        )
    )
    return 0


def cmd_autostart(args: argparse.Namespace) -> int:
    """`coach autostart enable|disable|status`, within the employer policy."""
    from coach import autostart

    p = paths_mod.resolve()
    layers = policy_mod.load(p.policy_file, p.settings_file, log_problems=False)
    entry = autostart.backend()
    note = layers.policy.note("autostart")
    if args.action != "status":
        wanted, reason = layers.policy.check("autostart", args.action == "enable")
        if reason:
            print(
                _("coach: starting at login stays as it is: {reason}").format(reason=reason),
                file=sys.stderr,
            )
            return 1
        try:
            settings_mod.save(
                p.settings_file, {"autostart": None if wanted == layers.base.autostart else wanted}
            )
            if wanted:
                entry.enable(autostart.launch_command())
            else:
                entry.disable()
        except (settings_mod.SaveError, OSError) as exc:
            print(f"coach: {exc}", file=sys.stderr)
            return 1
    print(entry.state().describe())
    if note:
        print(note)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from coach import autostart
    from coach.platform import detect

    p = paths_mod.resolve()
    layers = policy_mod.load(p.policy_file, p.settings_file, log_problems=False)
    problems = layers.problems
    platform = detect()
    try:
        report = platform.report()
    finally:
        platform.close()
    files = {
        "settings": str(p.settings_file),
        "policy": str(p.policy_file),
        "database": str(p.database),
        "problems": [str(x) for x in problems],
    }
    rules = policy_mod.describe(layers.policy)
    login = autostart.backend().state()
    if args.json:
        print(
            _json(
                {
                    "adapters": [r.as_dict() for r in report],
                    "files": files,
                    "policy": rules,
                    "autostart": {
                        "enabled": login.enabled,
                        "entry": login.where,
                        "all_users": login.all_users,
                    },
                },
                indent=1,
            )
        )
        return 0
    for family in report:
        print(family.describe())
    print(_("settings: {file}").format(file=files["settings"]))
    policy_line = _("policy:   {file}")
    print(policy_line.format(file=files["policy"]))
    for rule in rules:
        print(" " * policy_line.index("{") + rule)
    print(_("data:     {file}").format(file=files["database"]))
    print(_("startup:  {state}").format(state=login.describe()))
    for problem in problems:
        print(_("problem:  {problem}").format(problem=problem))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description=_("Posture and sitting-break coach.")
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log more"))
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help=_("start the tray app (the default)"))
    run.add_argument(
        "--demo",
        action="store_true",
        help=_("breaks every minute or two, to try the whole loop quickly"),
    )
    run.set_defaults(func=cmd_run)

    sim = sub.add_parser("simulate", help=_("run the engine over an activity trace"))
    sim.add_argument("trace", help=_("CSV with header offset_s,state"))
    sim.add_argument("--settings", help=_("a settings TOML file instead of the user's"))
    sim.add_argument(
        "--respond",
        choices=("done", "snooze", "skip", "ignore"),
        default="done",
        help=_("how the simulated user answers every break"),
    )
    sim.add_argument("--seed", type=int, default=0, help=_("seed for the exercise picker"))
    sim.set_defaults(func=cmd_simulate)

    stats = sub.add_parser("stats", help=_("sitting and breaks of a day, week or month"))
    span = stats.add_mutually_exclusive_group()
    span.add_argument(
        "--day", type=_period_arg, metavar="DATE", help=_("a day, YYYY-MM-DD (default today)")
    )
    span.add_argument(
        "--week",
        type=_period_arg,
        nargs="?",
        const=date.today(),
        metavar="DATE",
        help=_("the week (Monday to Sunday) of DATE, or this week"),
    )
    span.add_argument(
        "--month",
        type=_period_arg,
        nargs="?",
        const=date.today(),
        metavar="MONTH",
        help=_("a month, YYYY-MM (or a date in it), or this month"),
    )
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    exp = sub.add_parser("export", help=_("write the whole history to a file (or stdout)"))
    exp.add_argument("--format", choices=("json", "csv"), default="json")
    exp.add_argument("--out", metavar="FILE", help=_("a new file (default: standard output)"))
    exp.add_argument(
        "--team",
        metavar="FILE",
        help=_("instead: write one week's anonymous totals for a team report, after showing them"),
    )
    exp.add_argument(
        "--week", metavar="YYYY-Www", help=_("with --team: the ISO week (default: last week)")
    )
    exp.add_argument(
        "--yes", action="store_true", help=_("with --team: write without asking (for scripts)")
    )
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help=_("add an exported history; what is there stays once"))
    imp.add_argument("file", metavar="FILE", help=_("a file written by 'coach export'"))
    imp.set_defaults(func=cmd_import)

    exe = sub.add_parser("exercises", help=_("list the exercise library, or check a pack"))
    exe.add_argument("action", nargs="?", choices=("list", "check"), default="list")
    exe.add_argument("dir", nargs="?", help=_("with check: the pack folder"))
    exe.add_argument(
        "--lang",
        choices=catalog.LANGUAGES,
        help=_("language of the titles (default: Coach's language)"),
    )
    exe.add_argument("--json", action="store_true")
    exe.set_defaults(func=cmd_exercises)

    doc = sub.add_parser("doctor", help=_("which desktop adapters work here, and why"))
    doc.add_argument("--json", action="store_true")
    doc.set_defaults(func=cmd_doctor)

    auto = sub.add_parser("autostart", help=_("start Coach when you log in, or not"))
    auto.add_argument("action", choices=("enable", "disable", "status"))
    auto.set_defaults(func=cmd_autostart)

    rep = sub.add_parser(
        "team-report",
        help=_("combine team files into an HTML and CSV report (groups of 5 or more only)"),
    )
    rep.add_argument("dir", metavar="DIR", help=_("the folder with the team files"))
    rep.add_argument(
        "--out",
        metavar="DIR",
        default=".",
        help=_("where to write team-report.html and team-report.csv (default: here)"),
    )
    rep.set_defaults(func=cmd_team_report)
    return parser


def _language_setting() -> str:
    p = paths_mod.resolve()
    return policy_mod.load(p.policy_file, p.settings_file, log_problems=False).settings.language


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; no command means `run`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run", *(argv or sys.argv[1:])])
    return args


def main(argv: Sequence[str] | None = None) -> int:
    i18n.use(_language_setting())
    args = parse(argv)  # the parser is gone before `run` runs all day
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        result: int = args.func(args)
    except BrokenPipeError:  # `coach simulate ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return 0
    return result


def gui_main() -> int:
    """Entry point of the windowless launcher (gui-scripts)."""
    return main(["run"])
