"""`coach export` and `coach import`: the whole history to a file and back."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach import paths as paths_mod
from coach import policy as policy_mod
from coach.cli.common import Subcommands
from coach.i18n import _

if TYPE_CHECKING:
    from coach.store import Store


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
        from coach.cli.team import export_team

        return export_team(args, p)
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


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
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
