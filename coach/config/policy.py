"""The employer policy, and the layers: built-in defaults < policy < the user's file.

A policy is a TOML file at the system location for the OS (see coach/config/paths.py) or
the file named by COACH_POLICY::

    organisation = "Example BV"      # shown as "Set by Example BV"
    allow_export = false             # no `coach export` at all (team file included)
    exercise_pack = "pack"           # the organisation's exercises (locked; relative
                                     # to the policy's folder)
    [defaults]                       # starting values; users may change them
    micro_every_min = 25
    [lock]                           # fixed values; users cannot change them
    language = "nl"
    [floor]                          # users may only be stricter than this
    exercise_every_min = 60          # at most 60 (each setting declares which way
                                     # is stricter: see coach/config/settings.py)

Nothing in the user's file, the CLI or the settings dialog gets past a lock or a floor:
they all check values with `Policy.check`. A policy file that cannot be read is
ignored whole (built-in values apply) and reported with file and line; a bad entry is
reported with file, line and key and left out.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coach.config import settings as s
from coach.config.settings import HIGHER, LOWER, Problem, Settings
from coach.i18n import _

log = logging.getLogger(__name__)

TABLES = ("defaults", "lock", "floor")
MAX_NAME = 80  # characters of an organisation's name


def _frozen(d: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Policy:
    """What an organisation decided; the empty policy decides nothing."""

    path: str = ""
    organisation: str = ""
    allow_export: bool = True
    defaults: Mapping[str, Any] = field(default_factory=_frozen)
    locks: Mapping[str, Any] = field(default_factory=_frozen)
    floors: Mapping[str, Any] = field(default_factory=_frozen)

    @property
    def owner(self) -> str:
        """Who set a locked value, as the user reads it."""
        return self.organisation or _("your organisation")

    def base(self) -> Settings:
        """The values without the user's file: defaults, policy defaults, locks, floors."""
        values = {**self.defaults, **self.locks}
        for key, bound in self.floors.items():
            current = values.get(key, s.SETTING_FIELDS[key].default)
            if not at_least_as_strict(key, current, bound) and key not in self.locks:
                values[key] = bound
        return replace(Settings(), **values)

    def check(self, key: str, value: Any) -> tuple[Any, str | None]:
        """A value a user wants for `key`: (coerced, None), or (None, why not)."""
        coerced, reason = s.check(key, value)
        if reason:
            return None, reason
        if key in self.locks:
            return None, _("set by {owner}").format(owner=self.owner)
        if key in self.floors and not at_least_as_strict(key, coerced, self.floors[key]):
            return None, self.floor_text(key)
        return coerced, None

    def note(self, key: str) -> str | None:
        """What the policy says about `key`, for the settings dialog and `coach doctor`."""
        if key in self.locks:
            return _("Set by {owner}").format(owner=self.owner)
        if key in self.floors:
            return self.floor_text(key)
        return None

    def floor_text(self, key: str) -> str:
        bound = self.floors[key]
        direction = s.SETTING_FIELDS[key].metadata["stricter"]
        if direction == LOWER:
            text = _("{owner} allows at most {limit}")
        elif direction == HIGHER:
            text = _("{owner} asks for at least {limit}")
        else:
            text = _("{owner} asks for {limit} or stricter")
        return text.format(owner=self.owner, limit=s.show_with_unit(key, bound))


def at_least_as_strict(key: str, value: Any, bound: Any) -> bool:
    """Is `value` as strict as `bound`, or stricter, in the direction `key` declares?"""
    direction = s.SETTING_FIELDS[key].metadata["stricter"]
    if direction == LOWER:
        return bool(value <= bound)
    if direction == HIGHER:
        return bool(value >= bound)
    if isinstance(direction, tuple):
        return direction.index(value) >= direction.index(bound)
    return True


def _table(
    policy_path: str, parsed: s.Parsed, name: str, floor: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """The valid entries of one policy table ([defaults], [lock] or [floor])."""
    raw = parsed.values.get(name, {})
    if not isinstance(raw, dict):
        return {}, [
            Problem(
                policy_path,
                name,
                _("must be a table like [{name}]; it is ignored").format(name=name),
                parsed.line(name),
            )
        ]
    good: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        where = f"{name}.{key}"
        line = parsed.line(name, key)
        if key not in s.SETTING_FIELDS:
            problems.append(Problem(policy_path, where, _("unknown setting (ignored)"), line))
            continue
        if floor and s.SETTING_FIELDS[key].metadata["stricter"] is None:
            problems.append(
                Problem(
                    policy_path,
                    where,
                    _(
                        "this setting has no stricter direction, so it cannot have a floor; "
                        "use [lock] instead (ignored)"
                    ),
                    line,
                )
            )
            continue
        coerced, reason = s.check(key, value)
        if reason:
            problems.append(
                Problem(policy_path, where, _("{reason} (ignored)").format(reason=reason), line)
            )
        else:
            good[key] = coerced
    return good, problems


def read(path: Path) -> tuple[Policy, list[Problem]]:
    """Read a policy file; a missing file is the empty policy."""
    parsed = s.parse(path)
    where = str(path)
    if parsed.problems:
        return Policy(path=where), parsed.problems
    if parsed.raw is None:
        return Policy(), []
    problems: list[Problem] = []
    if os.name == "posix" and path.stat().st_mode & stat.S_IWOTH:
        problems.append(
            Problem(
                where,
                None,
                _(
                    "can be changed by every user, so its locks and floors protect nothing; "
                    "make it writable by administrators only (it still applies)"
                ),
            )
        )
    top: dict[str, Any] = {}
    for key, value in parsed.values.items():
        line = parsed.line(key)
        if key in TABLES:
            continue
        if key == "organisation":
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(where, key, _("must be a name in quotes (ignored)"), line))
            else:
                top[key] = " ".join(value.split())[:MAX_NAME]
        elif key == "allow_export":
            if not isinstance(value, bool):
                problems.append(
                    Problem(where, key, _("must be true or false; export stays allowed"), line)
                )
            else:
                top[key] = value
        elif key == "exercise_pack":
            if not isinstance(value, str):
                problems.append(
                    Problem(where, key, _("must be a folder in quotes (ignored)"), line)
                )
            else:
                folder = Path(value).expanduser()
                top[key] = str(folder if folder.is_absolute() else path.parent / folder)
        else:
            problems.append(Problem(where, key, _("unknown policy key (ignored)"), line))
    tables = {}
    for name in TABLES:
        tables[name], table_problems = _table(where, parsed, name, floor=name == "floor")
        problems += table_problems
    locks = tables["lock"]
    if "exercise_pack" in top:
        locks["exercise_pack"] = top.pop("exercise_pack")
    floors = tables["floor"]
    for name, values in (("defaults", tables["defaults"]), ("lock", locks)):
        for key, value in list(values.items()):
            if key in floors and not at_least_as_strict(key, value, floors[key]):
                problems.append(
                    Problem(
                        where,
                        f"{name}.{key}",
                        _("{value} is less strict than the floor {limit}; using {limit}").format(
                            value=s.show(value), limit=s.show(floors[key])
                        ),
                        parsed.line(name, key),
                    )
                )
                values[key] = floors[key]
    policy = Policy(
        path=where,
        defaults=_frozen(tables["defaults"]),
        locks=_frozen(locks),
        floors=_frozen(floors),
        **top,
    )
    return policy, problems


@dataclass(frozen=True)
class Layered:
    """The settings in effect, and where they came from."""

    settings: Settings
    base: Settings  # what applies without the user's file
    policy: Policy
    user: Mapping[str, Any]  # the user's file's values that are in effect
    problems: list[Problem]

    def origin(self, key: str) -> str:
        """'policy' (locked), 'user', or 'default' (built-in or the policy's default)."""
        if key in self.policy.locks:
            return "policy"
        return "user" if key in self.user else "default"


def load(policy_file: Path, user_file: Path, log_problems: bool = True) -> Layered:
    """Built-in defaults < policy < the user's file, within the policy's locks and floors."""
    policy, problems = read(policy_file)
    base = policy.base()
    parsed = s.parse(user_file)
    problems = [*problems, *parsed.problems]
    user: dict[str, Any] = {}
    where = str(user_file)
    for key, value in parsed.values.items():
        line = parsed.line(key)
        if key not in s.SETTING_FIELDS:
            problems.append(Problem(where, key, _("unknown setting (ignored)"), line))
            continue
        coerced, reason = s.check(key, value)
        if reason:
            problems.append(
                Problem(
                    where,
                    key,
                    _("{reason}; using {value}").format(
                        reason=reason, value=s.show(getattr(base, key))
                    ),
                    line,
                )
            )
        elif key in policy.locks:
            if coerced != policy.locks[key]:
                problems.append(
                    Problem(
                        where,
                        key,
                        _("is set by {owner}; your value {value} is not used").format(
                            owner=policy.owner, value=s.show(coerced)
                        ),
                        line,
                    )
                )
        elif key in policy.floors and not at_least_as_strict(key, coerced, policy.floors[key]):
            bound = policy.floors[key]
            problems.append(
                Problem(
                    where,
                    key,
                    _("{value}: {rule}; using {limit}").format(
                        value=s.show(coerced), rule=policy.floor_text(key), limit=s.show(bound)
                    ),
                    line,
                )
            )
            user[key] = bound
        else:
            user[key] = coerced
    if log_problems:
        for problem in problems:
            log.warning("%s", problem)
    return Layered(
        settings=replace(base, **user),
        base=base,
        policy=policy,
        user=_frozen(user),
        problems=problems,
    )


def describe(policy: Policy) -> list[str]:
    """What a policy decides, one line each, for `coach doctor`."""
    if not policy.path:
        return [_("no employer policy")]
    lines = [_("organisation: {name}").format(name=policy.owner)]
    names = [f.name for f in fields(Settings)]
    for key in names:
        if key in policy.locks:
            lines.append(
                _("locked: {key} = {value}").format(key=key, value=s.show(policy.locks[key]))
            )
        elif key in policy.floors:
            lines.append(_("floor: {key}: {rule}").format(key=key, rule=policy.floor_text(key)))
        elif key in policy.defaults:
            lines.append(
                _("default: {key} = {value}").format(key=key, value=s.show(policy.defaults[key]))
            )
    if not policy.allow_export:
        lines.append(_("data export is switched off"))
    return lines
