"""`coach exercises`: list the library, or check an exercise pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach import i18n
from coach.cli.common import Subcommands, json_text, library
from coach.exercises import catalog, content, dose_plan
from coach.i18n import _


def cmd_exercises(args: argparse.Namespace) -> int:
    if args.action in ("check", "template") and not args.dir:
        print(
            _("coach: usage: coach exercises {action} DIR").format(action=args.action),
            file=sys.stderr,
        )
        return 2
    if args.action == "template":  # what a pack's translators start from
        exercises, problems = catalog.load_folder(Path(args.dir))
        for problem in problems:
            print(_("error: {problem}").format(problem=problem), file=sys.stderr)
        pot = content.template((e.english.title, e.english.messages(e.id)) for e in exercises)
        sys.stdout.write(pot)
        return 1 if problems else 0
    if args.action == "check":
        folder = Path(args.dir)
        exercises, problems = catalog.load_folder(folder)
        problems += [  # a broken catalog is named once, by load_folder
            p
            for p in catalog.translation_problems(exercises, folder / "locale")
            if p not in problems
        ]
        for problem in problems:
            print(_("error: {problem}").format(problem=problem))
        print(_("{valid} valid, {bad} with errors").format(valid=len(exercises), bad=len(problems)))
        return 1 if problems or not exercises else 0
    settings = args.preferences.settings
    exercises = library(settings)
    if args.json:
        listed = [e.as_dict() | {"plan": dose_plan.review(e, settings)} for e in exercises]
        print(json_text(listed, ensure_ascii=False, indent=1))
        return 0
    from coach.cli.stats import KIND_NAMES
    from coach.config.settings import SETTING_FIELDS

    positions = SETTING_FIELDS["positions"].metadata
    position_names = dict(zip(positions["choices"], positions["labels"], strict=True))
    rows = [
        (
            e.id,
            _(position_names.get(e.position, e.position)),
            _(KIND_NAMES.get(e.kind, e.kind)),
            f"{e.duration_s} s" if e.duration_s else f"{e.reps} x",
            e.text(args.lang or i18n.resolve(settings.language)).title,
        )
        for e in sorted(exercises, key=lambda e: (e.movement, e.position))
    ]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)] + [0]
    for row in rows:
        print(" ".join(f"{cell:{width}}" for cell, width in zip(row, widths, strict=True)))
    return 0


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    exe = sub.add_parser("exercises", help=_("list the exercise library, or check a pack"))
    exe.add_argument("action", nargs="?", choices=("list", "check", "template"), default="list")
    exe.add_argument(
        "dir",
        nargs="?",
        metavar=_("DIR"),
        help=_("with check or template: the pack folder (template: its translation template)"),
    )
    exe.add_argument(
        "--lang",
        choices=i18n.languages(),
        help=_("language of the titles (default: Coach's language)"),
    )
    exe.add_argument("--json", action="store_true")
    exe.set_defaults(func=cmd_exercises)
