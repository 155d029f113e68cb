"""`coach run` (the tray app) and `coach simulate` (the engine over an activity trace)."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from coach.cli.common import Subcommands, json_text, library
from coach.config.preferences import Preferences
from coach.exercises.picker import Picker
from coach.i18n import _

DEMO = {  # both kinds of break within a few minutes: two short ones, then an exercise
    "micro_every_min": 1,  # break (a short one within 5 minutes of it would merge into it)
    "exercise_every_min": 8,
    "micro_reset_min": 1,
    "exercise_reset_min": 2,
    "idle_after_s": 20,
    "snooze_min": 1,
    "micro_duration_s": 60,  # the dose plan fits every short-break exercise in (some cut)
    "exercise_duration_s": 150,  # ... and every exercise-break one whole (120 s at most)
}


def cmd_run(args: argparse.Namespace) -> int:
    from coach.platform import a11y_prefs

    a11y_prefs.ask_early(a11y_prefs.GNOME_HIGH_CONTRAST)  # for the tray icon, while Qt loads
    from coach.ui.startup import run_app  # Qt only here

    preferences: Preferences = args.preferences
    if args.demo:  # within the employer policy: locked and floored keys stay as they are
        preferences.override(DEMO)
    return run_app(preferences, [x.short() for x in preferences.problems], demo=args.demo)


def cmd_simulate(args: argparse.Namespace) -> int:
    from coach.simulate import TraceError, read_trace, simulate

    preferences: Preferences = args.preferences
    if args.settings:  # the user's own problems were told by main
        preferences = Preferences(preferences.paths, user_file=Path(args.settings))
    settings = preferences.settings
    for problem in preferences.problems if args.settings else ():
        print(f"coach: {problem}", file=sys.stderr)
    try:
        spans = read_trace(Path(args.trace))
    except TraceError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    exercises = library(settings)
    pick = Picker(exercises, settings, rng=random.Random(args.seed))
    for event in simulate(spans, settings, pick, respond=args.respond):
        print(json_text(event.as_dict()))
    return 0


def add_commands(sub: Subcommands) -> None:
    """Add this module's commands to `coach`."""
    run = sub.add_parser("run", help=_("start the tray app (the default)"))
    run.add_argument(
        "--demo",
        action="store_true",
        help=_("breaks every minute or two, to try the whole loop quickly"),
    )
    run.set_defaults(func=cmd_run)

    sim = sub.add_parser("simulate", help=_("run the engine over an activity trace"))
    sim.add_argument("trace", metavar=_("TRACE"), help=_("CSV with header offset_s,state"))
    sim.add_argument("--settings", help=_("a settings TOML file instead of the user's"))
    sim.add_argument(
        "--respond",
        choices=("done", "snooze", "skip", "ignore"),
        default="done",
        help=_("how the simulated user answers every break"),
    )
    sim.add_argument("--seed", type=int, default=0, help=_("seed for the exercise picker"))
    sim.set_defaults(func=cmd_simulate)
