"""`coach export` and `coach import`: the whole history to a file and back."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from coach.cli.common import Subcommands, open_history
from coach.config.preferences import Preferences
from coach.i18n import N_, _, ngettext

TABLE_NAMES = {  # the history's tables (coach/history/store.py Store.HISTORY), as shown
    "runs": N_("app runs"),
    "bouts": N_("sitting bouts"),
    "away": N_("times away"),
    "breaks": N_("breaks"),
    "pain_reports": N_("pain reports"),
    "checkins": N_("check-ins"),
    "notices": N_("notices"),
    "standing": N_("standing spans"),
}


def cmd_export(args: argparse.Namespace) -> int:
    from coach.history.history_io import export_history, export_to_file

    preferences: Preferences = args.preferences
    p = preferences.paths
    if not preferences.policy.allow_export:
        print(
            _("coach: data export is switched off by {owner}").format(
                owner=preferences.policy.owner
            ),
            file=sys.stderr,
        )
        return 1
    if args.team:
        from coach.cli.team import export_team

        return export_team(args, p)
    if args.salvage:
        from coach.history.store import Store, readable_rows

        store = Store.in_memory()
        store.merge_history(readable_rows(p.database))
    elif not p.database.exists():
        print(
            _("coach: no history yet ({file} does not exist); nothing to export").format(
                file=p.database
            ),
            file=sys.stderr,
        )
        return 1
    else:
        opened = open_history(p.database, write=False)
        if opened is None:
            return 1
        store = opened
    try:
        if args.out:
            counts = export_to_file(store, args.format, Path(args.out), preferences.user)
            n = sum(counts.values())
            print(
                ngettext(
                    "coach: wrote {n} record to {file}", "coach: wrote {n} records to {file}", n
                ).format(n=n, file=args.out),
                file=sys.stderr,
            )
        else:  # UTF-8 whatever the console's encoding: the export is read back as UTF-8
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            export_history(store, args.format, out, preferences.user)
            out.flush()
            out.detach()
    except OSError as exc:  # FileExistsError included: an export never overwrites
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from coach.history.history_io import HistoryFileError, import_rows, read_export

    try:  # the whole file is checked before the history is even opened
        moved = read_export(Path(args.file))
    except HistoryFileError as exc:
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        return 2
    store = open_history(args.preferences.paths.database, write=True)
    if store is None:
        return 1
    try:
        result = import_rows(store, moved)
    finally:
        store.close()
    added = ", ".join(
        f"{_(TABLE_NAMES.get(t, t))}: {n}" for t, n in result.added.items() if n
    ) or _("nothing new")
    n = sum(result.added.values())
    print(
        ngettext(
            "{file}: added {n} record ({tables}); brought {updated} up to date; "
            "{known} were already there",
            "{file}: added {n} records ({tables}); brought {updated} up to date; "
            "{known} were already there",
            n,
        ).format(
            file=args.file,
            n=n,
            tables=added,
            updated=sum(result.updated.values()),
            known=result.already_there,
        )
    )
    return _take_settings(args.preferences, result.settings)


def _take_settings(preferences: Preferences, moved: dict[str, Any]) -> int:
    """Settings from an export that the user's file does not set yet (yours stay)."""
    from coach.config import settings as settings_mod

    if not moved:
        return 0
    path = preferences.user_file
    mine = settings_mod.parse(path)
    new = {k: v for k, v in moved.items() if k not in mine.values}
    if new:
        try:
            preferences.save(new)
        except settings_mod.SaveError as exc:
            print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
            return 1
    print(
        ngettext(
            "{file}: took {n} setting ({keys}); {kept} of yours stay as they are",
            "{file}: took {n} settings ({keys}); {kept} of yours stay as they are",
            len(new),
        ).format(
            file=path, n=len(new), keys=", ".join(sorted(new)) or "-", kept=len(moved) - len(new)
        )
    )
    return 0


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    exp = sub.add_parser("export", help=_("write the whole history to a file (or stdout)"))
    exp.add_argument("--format", choices=("json", "csv"), default="json")
    exp.add_argument("--out", metavar=_("FILE"), help=_("a new file (default: standard output)"))
    exp.add_argument(
        "--team",
        metavar=_("FILE"),
        help=_("instead: write one week's anonymous totals for a team report, after showing them"),
    )
    exp.add_argument(
        "--week", metavar="YYYY-Www", help=_("with --team: the ISO week (default: last week)")
    )
    exp.add_argument(
        "--yes", action="store_true", help=_("with --team: write without asking (for scripts)")
    )
    exp.add_argument(
        "--salvage",
        action="store_true",
        help=_("write every record that can still be read from a damaged history"),
    )
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser("import", help=_("add an exported history; what is there stays once"))
    imp.add_argument("file", metavar=_("FILE"), help=_("a file written by 'coach export'"))
    imp.set_defaults(func=cmd_import)
