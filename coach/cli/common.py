"""What the commands share: the user's settings, the exercise library, JSON output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TypeAlias

from coach import paths as paths_mod
from coach import policy as policy_mod
from coach import settings as settings_mod
from coach.exercises import catalog
from coach.settings import Settings

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where a command module adds its commands (argparse's `add_subparsers()`)."""


def load_settings(
    p: paths_mod.Paths, user_file: Path | None = None
) -> tuple[Settings, list[settings_mod.Problem]]:
    layers = policy_mod.load(p.policy_file, user_file or p.settings_file)
    return layers.settings, layers.problems


def library(settings: Settings) -> tuple[list[catalog.Exercise], list[catalog.PackProblem]]:
    pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
    return catalog.load_library(pack)


def json_text(value: object, **options: Any) -> str:
    """`value` as JSON; the module loads only for --json output, never in `coach run`."""
    import json

    return json.dumps(value, **options)
