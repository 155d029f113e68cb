"""What the commands share: the user's settings, the exercise library, JSON output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from coach.config.settings import Settings
from coach.exercises import catalog
from coach.i18n import N_, _

if TYPE_CHECKING:
    from coach.history.store import Store

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""Where a command module adds its commands (argparse's `add_subparsers()`)."""


def library(settings: Settings) -> list[catalog.Exercise]:
    """The exercise library; files of the pack left out are named on stderr."""
    pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
    exercises, problems = catalog.load_library(pack)
    for problem in problems:
        print(_("coach: left out: {problem}").format(problem=problem), file=sys.stderr)
    return exercises


def open_history(path: Path, *, write: bool) -> Store | None:
    """The history (read-only unless `write`), or None after telling the user why it
    cannot be opened; what the opening found out is told too."""
    from coach.history.store import StoreError, WriteError
    from coach.history.store import open_history as open_it

    try:
        store, notes = open_it(path, write=write)
    except StoreError as exc:
        print(_("coach: {problem}").format(problem=exc), file=sys.stderr)
        if not isinstance(exc, WriteError):
            print(_(SALVAGE), file=sys.stderr)
        return None
    for note in notes:
        print(_("coach: {problem}").format(problem=note), file=sys.stderr)
    return store


SALVAGE = N_(
    "coach: 'coach export --salvage --out FILE' writes every record that can still be read."
)


def json_text(value: object, **options: Any) -> str:
    """`value` as JSON; the module loads only for --json output, never in `coach run`."""
    import json

    return json.dumps(value, **options)
