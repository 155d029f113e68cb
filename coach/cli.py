"""The `coach` command: run the tray app, simulate traces, show stats and exercises."""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from coach import paths as paths_mod
from coach import settings as settings_mod
from coach.exercises import catalog
from coach.exercises.picker import Picker
from coach.settings import Settings

log = logging.getLogger(__name__)

DEMO = {"micro_every_min": 1, "exercise_every_min": 2, "micro_reset_min": 1,
        "exercise_reset_min": 2, "idle_after_s": 20, "micro_duration_s": 20,
        "exercise_duration_s": 60, "snooze_min": 1}


def load_settings(p: paths_mod.Paths, user_file: Path | None = None
                  ) -> tuple[Settings, list[settings_mod.Problem]]:
    return settings_mod.load(p.policy_file, user_file or p.settings_file)


def _library(settings: Settings) -> tuple[list[catalog.Exercise], list[catalog.PackProblem]]:
    pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
    return catalog.load_library(pack)


def cmd_run(args: argparse.Namespace) -> int:
    from coach.ui.app import run_app  # Qt only here

    p = paths_mod.resolve()
    settings, problems = load_settings(p)
    if args.demo:
        settings = replace(settings, **DEMO)
    return run_app(p, settings, [str(x) for x in problems], demo=args.demo)


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
    exercises, _ = _library(settings)
    pick = Picker(exercises, settings, rng=random.Random(args.seed))
    for event in simulate(spans, settings, pick, respond=args.respond):
        print(json.dumps(event.as_dict()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from coach.stats import DayStats, day_stats, format_duration
    from coach.store import Store, StoreError

    p = paths_mod.resolve()
    try:
        day = date.fromisoformat(args.day) if args.day else date.today()
    except ValueError:
        print(f"coach: --day {args.day!r} is not a date like 2026-11-21", file=sys.stderr)
        return 2
    stats = DayStats(day, 0, 0, 0, 0, 0, 0, 0, 0)
    if p.database.exists():
        try:
            store = Store.open(p.database)
        except StoreError as exc:
            print(f"coach: {exc}", file=sys.stderr)
            return 1
        stats = day_stats(store, day)
        store.close()
    if args.json:
        print(json.dumps(stats.as_dict()))
        return 0
    print(f"{stats.day:%A %d %B %Y}")
    print(f"  sitting        {format_duration(stats.sitting_s)} in {stats.bouts} bouts "
          f"(longest {format_duration(stats.longest_bout_s)})")
    print(f"  breaks offered {stats.offered}: done {stats.done}, snoozed {stats.snoozed}, "
          f"skipped {stats.skipped}, missed {stats.missed}")
    return 0


def cmd_exercises(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.dir:
            print("coach: usage: coach exercises check DIR", file=sys.stderr)
            return 2
        exercises, problems = catalog.load_folder(Path(args.dir))
        for problem in problems:
            print(f"error: {problem}")
        print(f"{len(exercises)} valid, {len(problems)} with errors")
        return 1 if problems or not exercises else 0
    settings, _ = load_settings(paths_mod.resolve())
    exercises, problems = _library(settings)
    for problem in problems:
        print(f"coach: left out: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps([e.as_dict() for e in exercises], ensure_ascii=False, indent=1))
        return 0
    for e in sorted(exercises, key=lambda e: (e.movement, e.position)):
        dose = f"{e.duration_s} s" if e.duration_s else f"{e.reps} x"
        print(f"{e.id:32} {e.position:9} {e.kind:10} {dose:7} {e.text(args.lang).title}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from coach.platform import detect

    p = paths_mod.resolve()
    settings, problems = load_settings(p)
    report = detect().report()
    files = {"settings": str(p.settings_file), "policy": str(p.policy_file),
             "database": str(p.database),
             "problems": [str(x) for x in problems]}
    if args.json:
        print(json.dumps({"adapters": [r.as_dict() for r in report], "files": files},
                         indent=1))
        return 0
    for family in report:
        print(family.describe())
    print(f"settings: {files['settings']}\npolicy:   {files['policy']}\n"
          f"data:     {files['database']}")
    for problem in problems:
        print(f"problem:  {problem}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Posture and sitting-break coach.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="start the tray app (the default)")
    run.add_argument("--demo", action="store_true",
                     help="breaks every minute or two, to try the whole loop quickly")
    run.set_defaults(func=cmd_run)

    sim = sub.add_parser("simulate", help="run the engine over an activity trace")
    sim.add_argument("trace", help="CSV with header offset_s,state")
    sim.add_argument("--settings", help="a settings TOML file instead of the user's")
    sim.add_argument("--respond", choices=("done", "snooze", "skip", "ignore"),
                     default="done", help="how the simulated user answers every break")
    sim.add_argument("--seed", type=int, default=0, help="seed for the exercise picker")
    sim.set_defaults(func=cmd_simulate)

    stats = sub.add_parser("stats", help="today's sitting and breaks")
    stats.add_argument("--day", help="a date, YYYY-MM-DD (default today)")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    exe = sub.add_parser("exercises", help="list the exercise library, or check a pack")
    exe.add_argument("action", nargs="?", choices=("list", "check"), default="list")
    exe.add_argument("dir", nargs="?", help="with check: the pack folder")
    exe.add_argument("--lang", choices=catalog.LANGUAGES, default="en")
    exe.add_argument("--json", action="store_true")
    exe.set_defaults(func=cmd_exercises)

    doc = sub.add_parser("doctor", help="which desktop adapters work here, and why")
    doc.add_argument("--json", action="store_true")
    doc.set_defaults(func=cmd_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        args = parser.parse_args(["run", *(argv or sys.argv[1:])])
    try:
        result: int = args.func(args)
    except BrokenPipeError:  # `coach simulate ... | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return 0
    return result


def gui_main() -> int:
    """Entry point of the windowless launcher (gui-scripts)."""
    return main(["run"])
