"""Settings, declared once: keys, types, ranges and defaults, with layered loading.

Layers: built-in defaults < employer policy < user file. Each file is TOML with flat
keys. A bad value is reported (file, key, reason) and the safe value from the layer
below is kept; nothing here ever writes or deletes a file.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

POSITIONS = ("seated", "standing", "floor")
FOCUSES = ("both", "low-back", "hip")


def _spec(default: Any, doc: str, lo: float | None = None, hi: float | None = None,
          choices: tuple[str, ...] | None = None) -> Any:
    return field(default=default, metadata={"doc": doc, "lo": lo, "hi": hi,
                                            "choices": choices})


@dataclass(frozen=True)
class Settings:
    """Every user-visible setting, with its default, range and meaning."""

    idle_after_s: int = _spec(60, "Seconds without input (and no presence signal) after "
                              "which you count as away from your last input on.", 5, 600)
    micro_every_min: float = _spec(30.0, "Minutes of sitting before a short stand-up break.",
                                   0.1, 120)
    micro_duration_s: int = _spec(45, "Length of a short break in seconds.", 15, 300)
    micro_reset_min: float = _spec(2.0, "Minutes away that count as a short break and end a "
                                 "sitting bout.", 0.1, 30)
    exercise_every_min: float = _spec(60.0, "Minutes of sitting before an exercise break.",
                                      0.2, 240)
    exercise_duration_s: int = _spec(150, "Length of an exercise break in seconds.",
                                     15, 600)
    exercise_reset_min: float = _spec(10.0, "Minutes away that count as an exercise break.",
                                      0.2, 60)
    snooze_min: float = _spec(5.0, "Minutes a snoozed break waits.", 0.1, 30)
    max_snoozes: int = _spec(2, "Snoozes allowed per break.", 0, 5)
    missed_after_min: float = _spec(10.0, "Minutes after which an unanswered break is "
                                  "recorded as missed and closed.", 0.5, 60)
    language: str = _spec("auto", "Language of the app: auto (system), en or nl.",
                          choices=("auto", "en", "nl"))
    positions: tuple[str, ...] = _spec(POSITIONS, "Exercise positions you are happy to do "
                                       "(seated, standing, floor).", choices=POSITIONS)
    focus: str = _spec("both", "What the exercises focus on: both, low-back or hip.",
                       choices=FOCUSES)
    disabled_exercises: tuple[str, ...] = _spec((), "Exercise ids never to offer.")
    exercise_pack: str = _spec("", "Folder with extra exercise files (an employer pack).")


SETTING_FIELDS = {f.name: f for f in fields(Settings)}


@dataclass(frozen=True)
class Problem:
    """Something wrong in a settings file; the app keeps the safe value instead."""

    path: str
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, key '{self.key}'" if self.key else self.path
        return f"{where}: {self.message}"


def _check(name: str, value: Any) -> tuple[Any, str | None]:
    """Return (coerced value, None) or (None, reason)."""
    f = SETTING_FIELDS[name]
    meta = f.metadata
    default = f.default
    if isinstance(default, (int, float)):
        whole = isinstance(default, int)
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            return None, f"must be a {'whole ' if whole else ''}number, not {value!r}"
        lo, hi = meta["lo"], meta["hi"]
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return None, f"{value} is outside the allowed range {lo}-{hi}"
        return (value if whole else float(value)), None
    if isinstance(default, str):
        if not isinstance(value, str):
            return None, f"must be text, not {value!r}"
        if meta["choices"] and value not in meta["choices"]:
            return None, f"'{value}' is not one of: {', '.join(meta['choices'])}"
        return value, None
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"must be a list of text, not {value!r}"
        bad = [v for v in value if meta["choices"] and v not in meta["choices"]]
        if bad:
            return None, f"{bad} not among: {', '.join(meta['choices'])}"
        return tuple(value), None
    raise TypeError(f"setting {name} has an undeclared type")  # pragma: no cover


def apply(base: Settings, values: Mapping[str, Any], path: str) -> tuple[Settings, list[Problem]]:
    """Overlay `values` on `base`; bad keys or values are reported and skipped."""
    problems: list[Problem] = []
    good: dict[str, Any] = {}
    for key, value in values.items():
        if key not in SETTING_FIELDS:
            problems.append(Problem(path, key, "unknown setting (ignored)"))
            continue
        coerced, reason = _check(key, value)
        if reason:
            problems.append(Problem(path, key, f"{reason}; using {getattr(base, key)!r}"))
        else:
            good[key] = coerced
    return replace(base, **good), problems


def template() -> str:
    """A commented settings file listing every key at its default."""
    lines = ["# Coach settings. Remove the '#' in front of a line to change it.", ""]
    for f in fields(Settings):
        meta, default = f.metadata, f.default
        rng = f" ({meta['lo']}-{meta['hi']})" if meta["lo"] is not None else ""
        lines.append(f"# {meta['doc']}{rng}")
        value = list(default) if isinstance(default, tuple) else default
        lines.append(f"# {f.name} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_template(path: Path) -> None:
    """Create the user's settings file (user-only permissions); never overwrites."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w",
              encoding="utf-8") as out:
        out.write(template())


def read_toml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Parse a TOML file; a missing file is empty, an unreadable one is a Problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [Problem(str(path), None, f"cannot be read ({exc.strerror})")]
    try:
        return tomllib.loads(data.decode("utf-8")), []
    except UnicodeDecodeError:
        return {}, [Problem(str(path), None, "is not UTF-8 text; using defaults")]
    except tomllib.TOMLDecodeError as exc:
        return {}, [Problem(str(path), None, f"is not valid TOML ({exc}); using defaults")]


def load(*paths: Path) -> tuple[Settings, list[Problem]]:
    """Defaults overlaid by each existing file in order (policy first, user last)."""
    settings, problems = Settings(), []
    for path in paths:
        values, read_problems = read_toml(path)
        problems += read_problems
        settings, apply_problems = apply(settings, values, str(path))
        problems += apply_problems
    for p in problems:
        log.warning("%s", p)
    return settings, problems
