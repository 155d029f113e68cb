"""`coach run` (the tray app) and `coach simulate` (the engine over an activity trace)."""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

from coach import paths as paths_mod
from coach import policy as policy_mod
from coach.cli.common import Subcommands, json_text, library, load_settings
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
    from coach.ui.app import run_app  # Qt only here

    p = paths_mod.resolve()
    settings, problems = load_settings(p)
    if args.demo:  # within the employer policy: locked and floored keys stay as they are
        policy = policy_mod.read(p.policy_file)[0]
        settings = replace(
            settings, **{k: v for k, v in DEMO.items() if policy.check(k, v)[1] is None}
        )
    return run_app(p, settings, [x.short() for x in problems], demo=args.demo)


def cmd_simulate(args: argparse.Namespace) -> int:
    from coach.simulate import TraceError, read_trace, simulate

    p = paths_mod.resolve()
    settings, problems = load_settings(p, Path(args.settings) if args.settings else None)
    for problem in problems if args.settings else ():  # the user's own: told by main
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
