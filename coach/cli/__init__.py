"""The `coach` command. Each command (or pair of related ones) has its module here, with
its arguments (`add_commands`) and its `cmd_*` function; this module parses and
dispatches. Command modules import what they need when they run, so `coach run` loads
little besides the tray app."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from coach import i18n
from coach import paths as paths_mod
from coach import policy as policy_mod
from coach.cli import exercises, history, run, stats, system, team
from coach.i18n import _

COMMANDS = (run, stats, history, exercises, system, team)  # in the order of `coach --help`


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description=_("Posture and sitting-break coach.")
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log more"))
    sub = parser.add_subparsers(dest="command")
    for command in COMMANDS:
        command.add_commands(sub)
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
