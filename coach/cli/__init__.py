"""The `coach` command. Each command (or pair of related ones) has its module here, with
its arguments (`add_commands`) and its `cmd_*` function; this module parses and
dispatches. Command modules import what they need when they run, so `coach run` loads
little besides the tray app."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence

from coach import i18n
from coach.cli import argparse_text, exercises, history, run, stats, system, team
from coach.config import paths as paths_mod
from coach.config.preferences import Preferences
from coach.i18n import _

log = logging.getLogger(__name__)
COMMANDS = (run, stats, history, exercises, system, team)  # in the order of `coach --help`


def build_parser() -> argparse.ArgumentParser:
    argparse_text.install()  # "usage:", "error:" and the like in Coach's language too
    parser = argparse.ArgumentParser(
        prog="coach", description=_("Posture and sitting-break coach.")
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log more"))
    sub = parser.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_commands(sub)
    return parser


def _settings_told() -> Preferences:
    """The settings in effect, for every command (`args.preferences`); what is wrong in
    the settings or policy file is told once, by `main` (`run` shows it in the app,
    `doctor` in its report)."""
    preferences = Preferences(paths_mod.resolve(), log_problems=False)
    i18n.use(preferences.settings.language)
    return preferences


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; no command means `run`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run", *(argv or sys.argv[1:])])
    return args


def main(argv: Sequence[str] | None = None) -> int:
    preferences = _settings_told()
    args = parse(argv)  # the parser is gone before `run` runs all day
    args.preferences = preferences
    if args.command != "run":  # `run` collects again once its icon shows
        gc.enable()  # off while Coach started (coach/__main__.py)
    if args.command not in ("run", "doctor"):
        for problem in preferences.problems:
            print(_("coach: {problem}").format(problem=problem), file=sys.stderr)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        result: int = args.func(args)
    except BrokenPipeError:  # `coach simulate ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return 0
    except Exception as exc:  # never a traceback: say what and where, keep the details
        print(_trouble(exc), file=sys.stderr)
        log.info("details", exc_info=True)
        return 1
    return result


def _trouble(exc: Exception) -> str:
    """A message for what a command did not expect: which file, what went wrong."""
    import sqlite3

    from coach.cli.common import SALVAGE
    from coach.history.store import StoreError

    if isinstance(exc, StoreError):
        return _("coach: {problem}").format(problem=exc)
    if isinstance(exc, sqlite3.DatabaseError):
        return "\n".join(
            (
                _("coach: {file}: the history cannot be read ({reason})").format(
                    file=paths_mod.resolve().database, reason=exc
                ),
                _(SALVAGE),
            )
        )
    if isinstance(exc, OSError) and exc.filename:
        return _("coach: {file}: {reason}").format(file=exc.filename, reason=exc.strerror or exc)
    if isinstance(exc, OSError):  # the message names the file
        return _("coach: {problem}").format(problem=exc)
    return _("coach: unexpected problem ({reason}); run with -v for details").format(
        reason=repr(exc)
    )


def gui_main() -> int:
    """Entry point of the windowless launcher (gui-scripts)."""
    return main(["run"])
