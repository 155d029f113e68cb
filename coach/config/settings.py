"""Settings, declared once: keys, types, ranges, defaults, groups and labels.

The declaration drives the file format, validation, the settings dialog, the employer
policy (which direction of a value is stricter) and the docs. Each file is TOML with flat
keys. A bad value is reported (file, line, key, reason) and the value from the layer
below is kept. Reading never changes a file; `save` edits the user's file in place
(comments kept), atomically, after copying aside a file it could not fully use.
The layering with the employer policy lives in coach/config/policy.py.

Adding a setting: one `_spec(...)` line below with `group=` (one of GROUPS) and `label=`;
wrap `label` and `doc` in `N_()` and run `bash scripts/i18n.sh` for the Dutch text.
"""

from __future__ import annotations

import logging
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from coach import bounded, i18n
from coach.atomic import copy_aside, write_private
from coach.i18n import N_, _

log = logging.getLogger(__name__)

POSITIONS = ("seated", "standing", "floor")
FOCUSES = ("both", "low-back", "hip", "prevention")
BACK_TYPES = ("unknown", "hollow", "flat")  # document 002
HIP_CONDITIONS = ("none", "replacement", "irritated")  # document 004
LOWER, HIGHER = "lower", "higher"  # which way a number is stricter (for policy floors)

GROUPS = {  # the settings dialog's pages, in this order
    "breaks": N_("Breaks"),
    "exercises": N_("Exercises"),
    "work_hours": N_("Work hours"),
    "standing": N_("Sit-stand desk"),
    "notifications": N_("Notifications"),
    "language": N_("Language"),
    "privacy": N_("Privacy"),
    "startup": N_("Startup"),
    "accessibility": N_("Accessibility"),
}


_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun|ma|di|wo|do|vr|za|zo)[a-z]*"
_WORK_HOURS = (
    rf"(?i)\s*|\s*{_DAY}(?:\s*[-,]\s*{_DAY})*\s+\d{{1,2}}:\d{{2}}\s*-\s*"
    r"\d{1,2}:\d{2}\s*"
)  # checked fully by coach.core.work_hours.parse


def _spec(
    default: Any,
    doc: str,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple[Any, ...] | None = None,
    *,
    group: str | None = None,
    label: str | None = None,
    stricter: str | tuple[Any, ...] | None = None,
    labels: tuple[str, ...] | None = None,
    pattern: tuple[str, str] | None = None,
) -> Any:
    """Declare a setting.

    `lo`/`hi`: range of a number, or fewest/most items of a list. `choices`: allowed
    values (of text, or of each list item), with `labels` to show for them. `stricter`:
    LOWER or HIGHER for numbers, or the choices ordered from lenient to strict; without
    it a policy can lock the key but set no floor. `pattern`: (regular expression the
    whole text must match, an example shown when it does not).
    """
    return field(
        default=default,
        metadata={
            "doc": doc,
            "lo": lo,
            "hi": hi,
            "choices": choices,
            "group": group,
            "label": label,
            "stricter": stricter,
            "labels": labels,
            "pattern": pattern,
        },
    )


@dataclass(frozen=True)
class Settings:
    """Every user-visible setting, with its default, range and meaning."""

    micro_every_min: float = _spec(
        30.0,
        N_("Minutes of sitting before a short stand-up break."),
        0.1,
        120,
        group="breaks",
        label=N_("Short break after"),
        stricter=LOWER,
    )
    micro_duration_s: int = _spec(
        45,
        N_("Length of a short break in seconds."),
        15,
        300,
        group="breaks",
        label=N_("Short break length"),
        stricter=HIGHER,
    )
    exercise_every_min: float = _spec(
        60.0,
        N_("Minutes of sitting before an exercise break."),
        0.2,
        240,
        group="breaks",
        label=N_("Exercise break after"),
        stricter=LOWER,
    )
    exercise_duration_s: int = _spec(
        150,
        N_("Length of an exercise break in seconds."),
        15,
        600,
        group="breaks",
        label=N_("Exercise break length"),
        stricter=HIGHER,
    )
    snooze_min: float = _spec(
        5.0,
        N_("Minutes a snoozed break waits."),
        0.1,
        30,
        group="breaks",
        label=N_("Snooze for"),
        stricter=LOWER,
    )
    max_snoozes: int = _spec(
        2,
        N_("Snoozes allowed per break."),
        0,
        5,
        group="breaks",
        label=N_("Snoozes per break"),
        stricter=LOWER,
    )
    missed_after_min: float = _spec(
        10.0,
        N_("Minutes after which an unanswered break is recorded as missed and closed."),
        0.5,
        60,
        group="breaks",
        label=N_("Close an unanswered break after"),
        stricter=HIGHER,
    )
    idle_after_s: int = _spec(
        60,
        N_(
            "Seconds without input (and no presence signal) after which you count as "
            "away from your last input on."
        ),
        5,
        600,
        group="breaks",
        label=N_("Away after no input for"),
        stricter=HIGHER,
    )
    micro_reset_min: float = _spec(
        2.0,
        N_("Minutes away that count as a short break and end a sitting bout."),
        0.1,
        30,
        group="breaks",
        label=N_("Time away that counts as a short break"),
        stricter=HIGHER,
    )
    exercise_reset_min: float = _spec(
        10.0,
        N_("Minutes away that count as an exercise break."),
        0.2,
        60,
        group="breaks",
        label=N_("Time away that counts as an exercise break"),
        stricter=HIGHER,
    )
    language: str = _spec(
        "auto",
        N_("Language of the app: auto (the system's) or one of the shipped languages."),
        choices=("auto", *i18n.languages()),
        group="language",
        label=N_("Language"),
        labels=(N_("Same as the system"), *map(i18n.name, i18n.languages())),
    )
    positions: tuple[str, ...] = _spec(
        ("seated", "standing"),
        N_(
            "Exercise positions you are happy to do (seated, standing, floor). Floor "
            "exercises only when you have floor space; short breaks are seated only "
            "when standing is not among them."
        ),
        1,
        None,
        choices=POSITIONS,
        group="exercises",
        label=N_("Positions"),
        labels=(N_("Seated"), N_("Standing"), N_("On the floor")),
    )
    focus: str = _spec(
        "both",
        N_("What the exercises focus on."),
        choices=FOCUSES,
        group="exercises",
        label=N_("What bothers me"),
        labels=(N_("Low back and hips"), N_("Low back"), N_("Hips"), N_("Nothing yet")),
    )
    back_type: str = _spec(
        "unknown",
        N_(
            "Your back type: hollow (a deep curve in the low back), flat, or unknown. "
            "It steers which exercises come more often."
        ),
        choices=BACK_TYPES,
        group="exercises",
        label=N_("My back"),
        labels=(N_("I don't know"), N_("Hollow back"), N_("Flat back")),
    )
    hip_condition: str = _spec(
        "none",
        N_(
            "A hip replacement or an irritated hip (bursa or tendon) rules out the "
            "exercises that could strain it: none, replacement or irritated."
        ),
        choices=HIP_CONDITIONS,
        group="exercises",
        label=N_("My hip"),
        labels=(N_("Nothing special"), N_("Hip replacement"), N_("Irritated bursa or tendon")),
    )
    disabled_exercises: tuple[str, ...] = _spec(
        (),
        N_("Exercises never to offer: untick them in the list."),
        group="exercises",
        label=N_("Exercises offered"),
    )
    exercise_pack: str = _spec(
        "",
        N_("Folder with extra exercise files (an employer pack)."),
        group="exercises",
        label=N_("Extra exercises folder"),
    )
    autostart: bool = _spec(
        False,
        N_("Start Coach when you log in to this computer."),
        choices=(False, True),
        group="startup",
        label=N_("Start Coach when I log in"),
        stricter=(False, True),
    )
    workday_end: str = _spec(
        "17:30",
        N_(
            "When your workday ends (HH:MM, 24-hour clock): the time of the "
            "end-of-day summary and the weekly check-in."
        ),
        group="work_hours",
        label=N_("My workday ends at"),
        pattern=(r"([01][0-9]|2[0-3]):[0-5][0-9]", "17:30"),
    )
    end_of_day_summary: bool = _spec(
        True,
        N_("Show a summary of the day's sitting and breaks when the workday ends."),
        choices=(False, True),
        group="notifications",
        label=N_("End-of-day summary"),
    )
    weekly_checkin: bool = _spec(
        True,
        N_(
            "Ask on Fridays at the end of the workday how your back and hips felt this week (0-10)."
        ),
        choices=(False, True),
        group="notifications",
        label=N_("Weekly check-in"),
    )
    goal_max_bout_min: int = _spec(
        60,
        N_(
            "Your goal: no sitting bout longer than this many minutes. Days that meet "
            "it make up the streak in the statistics."
        ),
        20,
        240,
        group="breaks",
        label=N_("Goal: no sitting bout over"),
    )
    strictness: str = _spec(
        "gentle",
        N_(
            "How firmly a break asks: gentle (snooze and skip freely), firm (skip "
            "asks for a reason, one snooze), strict (no skip, one snooze)."
        ),
        choices=("gentle", "firm", "strict"),
        group="breaks",
        label=N_("Strictness"),
        labels=(N_("Gentle"), N_("Firm"), N_("Strict")),
        stricter=("gentle", "firm", "strict"),
    )
    work_hours: str = _spec(
        "",
        N_(
            "Offer breaks only in these hours, e.g. Mon-Fri 08:30-17:30 (empty: "
            "always). Sitting is still counted outside them."
        ),
        group="work_hours",
        label=N_("Work hours"),
        pattern=(_WORK_HOURS, N_("Mon-Fri 08:30-17:30")),  # ma-vr in Dutch: both are read
    )
    heads_up: bool = _spec(
        True,
        N_("A notification shortly before a break, so you can finish your sentence."),
        choices=(False, True),
        group="notifications",
        label=N_("Heads-up before a break"),
    )
    chime: bool = _spec(
        False,
        N_("A soft chime when a break starts and ends."),
        choices=(False, True),
        group="notifications",
        label=N_("Chime"),
    )
    wait_for_pause: bool = _spec(
        False,
        N_("Hold a due break while you are typing, until a natural pause (at most 5 minutes)."),
        choices=(False, True),
        group="breaks",
        label=N_("Wait for a pause in my typing"),
    )
    has_sit_stand_desk: bool = _spec(
        False,
        N_(
            "You work at a sit-stand desk: the tray and the break window offer \"I'm "
            'standing", short breaks lean more to a short walk, and the statistics set '
            "a daily standing goal."
        ),
        choices=(False, True),
        group="standing",
        label=N_("I have a sit-stand desk"),
    )
    standing_reminder_min: float = _spec(
        50.0,
        N_("Minutes of standing after which Coach suggests a change of position or a walk."),
        15,
        120,
        group="standing",
        label=N_("Suggest a change after standing for"),
        stricter=LOWER,
    )
    standing_goal_min: float = _spec(
        120.0,
        N_(
            "Daily goal of standing and moving during work hours, in minutes; once it is "
            "met on most days of a week, the goal grows to the next one."
        ),
        0,
        480,
        group="standing",
        label=N_("Daily standing goal"),
        stricter=HIGHER,
    )
    standing_goal_next_min: float = _spec(
        240.0,
        N_("The daily standing and moving goal to build up to, in minutes."),
        0,
        480,
        group="standing",
        label=N_("Daily standing goal to build up to"),
        stricter=HIGHER,
    )
    reduced_motion: str = _spec(
        "system",
        N_(
            "Show an exercise's key poses still, side by side, instead of animating "
            "them: system (follow the desktop's own setting), on or off."
        ),
        choices=("system", "on", "off"),
        group="accessibility",
        label=N_("Reduce motion"),
        labels=(N_("Same as the desktop"), N_("On: still pictures"), N_("Off: animate")),
    )


SETTING_FIELDS = {f.name: f for f in fields(Settings)}


@dataclass(frozen=True)
class Problem:
    """Something wrong in a settings or policy file; the app keeps the safe value instead."""

    path: str
    key: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.key and self.line:
            return _("{file}, line {line}, key '{key}': {message}").format(
                file=self.path, line=self.line, key=self.key, message=self.message
            )
        if self.key:
            return _("{file}, key '{key}': {message}").format(
                file=self.path, key=self.key, message=self.message
            )
        return f"{self.path}: {self.message}"

    def short(self) -> str:
        """For a notification: the file by its name only (the log has the whole path)."""
        return str(replace(self, path=Path(self.path).name))


@dataclass(frozen=True)
class Parsed:
    """A TOML file as read: its values, the line of each key, and what was wrong."""

    values: dict[str, Any]
    lines: dict[tuple[str, ...], int]  # (table..., key) -> line number
    problems: list[Problem]
    raw: bytes | None  # None: there is no such file

    def line(self, *key: str) -> int | None:
        return self.lines.get(key)


def show(value: Any) -> str:
    """A value as it would be written in the file."""
    return _toml_value(list(value) if isinstance(value, tuple) else value)


def unit(key: str) -> str:
    """The unit of a setting, from its name: minutes (_min) or seconds (_s)."""
    if key.endswith("_min"):
        return _("min")
    if key.endswith("_s"):
        return _("s")
    return ""


def show_with_unit(key: str, value: Any) -> str:
    return f"{show(value)} {unit(key)}".strip()


def check(name: str, value: Any) -> tuple[Any, str | None]:
    """Return (coerced value, None) or (None, translated reason) for one setting."""
    f = SETTING_FIELDS[name]
    meta = f.metadata
    default = f.default
    lo, hi = meta["lo"], meta["hi"]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return None, _("must be true or false, not {value}").format(value=show(value))
        return value, None
    if isinstance(default, (int, float)):
        whole = isinstance(default, int)
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            reason = (
                _("must be a whole number, not {value}")
                if whole
                else _("must be a number, not {value}")
            )
            return None, reason.format(value=show(value))
        if (
            not math.isfinite(value)
            or (lo is not None and value < lo)
            or (hi is not None and value > hi)
        ):  # nan fails every comparison
            return None, _("{value} is outside the allowed range {lo}-{hi}").format(
                value=show(value), lo=show(lo), hi=show(hi)
            )
        return (value if whole else float(value)), None
    if isinstance(default, str):
        if not isinstance(value, str):
            return None, _("must be text, not {value}").format(value=show(value))
        if meta["choices"] and value not in meta["choices"]:
            return None, _("'{value}' is not one of: {choices}").format(
                value=value, choices=", ".join(meta["choices"])
            )
        if meta["pattern"] and not re.fullmatch(meta["pattern"][0], value):
            return None, _("'{value}' is not written like {example}").format(
                value=value, example=_(meta["pattern"][1])
            )
        return value, None
    if isinstance(default, tuple):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return None, _("must be a list of text, not {value}").format(value=show(value))
        bad = [v for v in value if meta["choices"] and v not in meta["choices"]]
        if bad:
            return None, _("{bad} not among: {choices}").format(
                bad=", ".join(bad), choices=", ".join(meta["choices"])
            )
        if lo is not None and len(value) < lo:
            return None, _("choose at least {n}").format(n=show(lo))
        return tuple(value), None
    raise TypeError(f"setting {name} has an undeclared type")  # pragma: no cover


def apply(
    base: Settings,
    values: Mapping[str, Any],
    path: str,
    lines: Mapping[tuple[str, ...], int] | None = None,
) -> tuple[Settings, list[Problem]]:
    """Overlay `values` on `base`; bad keys or values are reported and skipped."""
    problems: list[Problem] = []
    good: dict[str, Any] = {}
    lines = lines or {}
    for key, value in values.items():
        line = lines.get((key,))
        if key not in SETTING_FIELDS:
            problems.append(Problem(path, key, _("unknown setting (ignored)"), line))
            continue
        coerced, reason = check(key, value)
        if reason:
            problems.append(
                Problem(
                    path,
                    key,
                    _("{reason}; using {value}").format(
                        reason=reason, value=show(getattr(base, key))
                    ),
                    line,
                )
            )
        else:
            good[key] = coerced
    return replace(base, **good), problems


def template() -> str:
    """A commented settings file listing every key at its default."""
    lines = ["# " + _("Coach settings. Remove the '#' in front of a line to change it."), ""]
    for f in fields(Settings):
        meta = f.metadata
        rng = (
            f" ({show(meta['lo'])}-{show(meta['hi'])})"
            if meta["lo"] is not None and meta["hi"] is not None
            else ""
        )
        doc = meta["doc"]
        lines.append(f"# {_(doc)}{rng}")
        lines.append(f"# {f.name} = {show(f.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
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
    with open(
        os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "w", encoding="utf-8"
    ) as out:
        out.write(template())


_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_\-]+))\s*=""")
_TOML_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Where each key is written: (table, key) -> 1-based line (flat and one-level tables)."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _TABLE.match(line):
            table = tuple(part.strip() for part in m.group(1).split("."))
        elif m := _KEY.match(line):
            found.setdefault((*table, next(g for g in m.groups() if g)), number)
    return found


def parse(path: Path) -> Parsed:
    """Read a TOML file; a missing file is empty, an unusable one is a Problem."""
    try:
        raw = bounded.read_bytes(path, bounded.Cap.SETTINGS)
    except FileNotFoundError:
        return Parsed({}, {}, [], None)
    except bounded.BoundsError as exc:
        return Parsed(
            {},
            {},
            [Problem(str(path), None, _("{reason}; it is ignored").format(reason=exc))],
            None,
        )
    except OSError as exc:
        return Parsed(
            {},
            {},
            [
                Problem(
                    str(path),
                    None,
                    _("cannot be read ({reason}); it is ignored").format(reason=exc.strerror),
                )
            ],
            None,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Parsed(
            {},
            {},
            [
                Problem(
                    str(path),
                    None,
                    _("is not UTF-8 text (a binary or damaged file?); it is ignored"),
                )
            ],
            raw,
        )
    try:
        values = bounded.loads_toml(text)
    except bounded.BoundsError as exc:
        message = _("{reason}; it is ignored").format(reason=exc)
        return Parsed({}, {}, [Problem(str(path), None, message)], raw)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        reason = _TOML_LINE.sub("", str(exc)).removesuffix(" (at end of document)")
        if m is None:  # "at end of document" (a truncated file): its last line
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        else:
            line, column = int(m[1]), int(m[2])
        message = _(
            "is not valid TOML at line {line}, column {column} ({reason}); it is ignored"
        ).format(line=line, column=column, reason=reason)
        return Parsed({}, {}, [Problem(str(path), None, message, line)], raw)
    return Parsed(values, _key_lines(text), [], raw)


def read_toml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Parse a TOML file; a missing file is empty, an unreadable one is a Problem."""
    parsed = parse(path)
    return parsed.values, parsed.problems


def load(*paths: Path) -> tuple[Settings, list[Problem]]:
    """Defaults overlaid by each file in order, without any policy rules (see policy.py)."""
    settings, problems = Settings(), []
    for path in paths:
        parsed = parse(path)
        problems += parsed.problems
        settings, apply_problems = apply(settings, parsed.values, str(path), parsed.lines)
        problems += apply_problems
    for p in problems:
        log.warning("%s", p)
    return settings, problems


class SaveError(Exception):
    """The settings file could not be written; the message says why."""


def _as_written(value: Any) -> Any:
    """As a person writes it: 10 minutes as 10 (not 10.0), a tuple as a list."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return list(value) if isinstance(value, tuple) else value


def _place(text: str, key: str, value: str) -> str:
    """Add `key = value` where it belongs among the top-level keys: on its commented
    line from the template, else before the next key in the declared order, else
    after the last top-level line."""
    tables = re.search(r"^\s*\[", text, re.M)
    top, rest = (text[: tables.start()], text[tables.start() :]) if tables else (text, "")
    line = f"{key} = {value}"
    commented = re.search(rf"^#\s*{key}\s*=.*$", top, re.M)
    if commented:
        return top[: commented.start()] + line + top[commented.end() :] + rest
    order = list(SETTING_FIELDS)
    for later in order[order.index(key) + 1 :]:
        found = re.search(rf"^{later}\s*=", top, re.M)
        if found:
            return top[: found.start()] + line + "\n" + top[found.start() :] + rest
    return (
        top.rstrip("\n")
        + ("\n" if top.strip() else "")
        + line
        + "\n"
        + ("\n" + rest if rest else "")
    )


def save(path: Path, changes: Mapping[str, Any]) -> Path | None:
    """Set keys in the user's settings file (a value of None removes the key).

    Everything else in the file, comments included, stays as it was, and the file is
    replaced atomically (0600). A file that is not valid TOML, or holds keys or values
    Coach could not use, is first copied aside: the copy's path is returned.
    """
    import tomlkit  # only when writing: the app reads settings at every start
    import tomlkit.exceptions

    parsed = parse(path)
    if parsed.raw is None and path.exists():
        raise SaveError(str(parsed.problems[0]) if parsed.problems else str(path))
    kept: Path | None = None
    doc: tomlkit.TOMLDocument | None = None
    if parsed.raw is not None:
        _, value_problems = apply(Settings(), parsed.values, str(path))
        if parsed.problems or value_problems:
            kept = copy_aside(path, parsed.raw)
        if not parsed.problems:
            try:
                doc = tomlkit.parse(parsed.raw.decode("utf-8"))
            except tomlkit.exceptions.ParseError:  # stricter than tomllib: start afresh
                kept = kept or copy_aside(path, parsed.raw)
    if doc is None:
        doc = tomlkit.parse(template())
    new: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in SETTING_FIELDS:
            raise KeyError(key)
        if value is None:
            doc.pop(key, None)
        elif key in doc:  # in its place
            doc[key] = _as_written(value)
        else:
            new[key] = _as_written(value)
    text = tomlkit.dumps(doc)
    for key, value in new.items():
        text = _place(text, key, tomlkit.item(value).as_string())
    tomllib.loads(text)  # never write what we could not read back
    try:
        write_private(path, text.encode("utf-8"))
    except OSError as exc:
        raise SaveError(
            _("{file} could not be written ({reason})").format(
                file=path, reason=exc.strerror or exc
            )
        ) from exc
    return kept
