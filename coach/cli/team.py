"""`coach export --team` (one week's anonymous totals) and `coach team-report`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from coach import i18n
from coach.cli.common import Subcommands, open_history
from coach.config import paths as paths_mod
from coach.config.preferences import Preferences
from coach.i18n import _, ngettext


def export_team(args: argparse.Namespace, p: paths_mod.Paths) -> int:
    """`coach export --team FILE`: show the week's anonymous totals, then write them."""
    from coach.atomic import write_private
    from coach.history import team

    week = args.week or team.last_full_week(date.today())
    out = Path(args.team)
    try:
        team.parse_week(week)
        if out.exists():
            raise ValueError(_("{file} already exists; choose a new name").format(file=out))
        if not p.database.exists():
            raise ValueError(_("no history yet; nothing to export"))
    except ValueError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 1
    store = open_history(p.database, write=False)
    if store is None:
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


YES = ("y", "yes", "j", "ja", "o", "oui")  # the [y/N] prompt in English, Dutch and French


def cmd_team_report(args: argparse.Namespace) -> int:
    """`coach team-report DIR`: an HTML and CSV report over many team files."""
    from coach.atomic import write_private
    from coach.history import team

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
    preferences: Preferences = args.preferences
    out = Path(args.out)
    html_file, csv_file = out / "team-report.html", out / "team-report.csv"
    lang = i18n.resolve(preferences.settings.language)
    try:
        write_private(
            html_file, team.to_html(report, preferences.policy.organisation, lang).encode("utf-8")
        )
        write_private(csv_file, team.to_csv(report).encode("utf-8"))
    except OSError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 1
    print(
        ngettext(
            "Wrote {html} and {csv}: {weeks} week shown, {withheld} left out (fewer than "
            "{n} people).",
            "Wrote {html} and {csv}: {weeks} weeks shown, {withheld} left out (fewer than "
            "{n} people).",
            len(report.rows),
        ).format(
            html=html_file,
            csv=csv_file,
            weeks=len(report.rows),
            withheld=report.withheld_weeks,
            n=team.MIN_GROUP,
        )
    )
    return 0


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    rep = sub.add_parser(
        "team-report",
        help=_("combine team files into an HTML and CSV report (groups of 5 or more only)"),
    )
    rep.add_argument("dir", metavar=_("DIR"), help=_("the folder with the team files"))
    rep.add_argument(
        "--out",
        metavar=_("DIR"),
        default=".",
        help=_("where to write team-report.html and team-report.csv (default: here)"),
    )
    rep.set_defaults(func=cmd_team_report)
