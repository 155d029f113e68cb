"""What the engine and the service tell the UI: one frozen dataclass per event, and the
words they share (tiers, answers, outcomes, causes) as enums. No Qt.

`Event.as_dict` gives the flat JSON line `coach simulate` prints; field names there are
the historic ones (a break's tier is its "kind").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import ClassVar

from coach.exercises.catalog import Exercise
from coach.exercises.dose_plan import PlannedDose


class Tier(StrEnum):
    """The two kinds of break: a short stand-up, and an exercise break."""

    MICRO = "micro"
    EXERCISE = "exercise"


class Answer(StrEnum):
    """What the user can answer to a break on screen."""

    DONE = "done"
    SNOOZE = "snooze"
    SKIP = "skip"
    HURT = "hurt"  # "It hurts": closes like a skip, and the exercise is not offered again
    STAND = "stand"  # "I'll stand for a while" (a sit-stand desk): the user stands from now


class Outcome(StrEnum):
    """How a break ended (or was put off), as the history records it."""

    DONE = "done"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    MISSED = "missed"
    HURT = "hurt"


class AwayCause(StrEnum):
    """Why the user was away, strongest evidence last."""

    IDLE = "idle"
    LOCKED = "locked"
    ASLEEP = "asleep"


_JSON_KEY = "json"  # field metadata: the field's name in the JSON line
_IF_SET = {"if_set": True}  # field metadata: left out of the JSON line while None or False
_HIDDEN = {"hidden": True}  # field metadata: not in the JSON line at all
_AS_KIND = {_JSON_KEY: "kind"}  # a break's tier is its "kind" in the JSON line
_RELATIVE = ("start", "end", "until")  # monotonic times, shown relative to the origin


@dataclass(frozen=True)
class Event:
    """Something that happened at monotonic time `at`."""

    name: ClassVar[str]  # the "event" of the JSON line
    at: float

    def as_dict(self, origin: float = 0.0) -> dict[str, object]:
        """Flat dict with times relative to `origin` (the simulator's trace start)."""
        out: dict[str, object] = {"at": round(self.at - origin, 3), "event": self.name}
        for key, value in self._json_fields():
            if key in _RELATIVE and isinstance(value, float):
                value = round(value - origin, 3)
            elif isinstance(value, float):
                value = round(value, 3)
            elif isinstance(value, tuple):
                value = list(value)
            out[key] = value
        return out

    def _json_fields(self) -> Iterator[tuple[str, object]]:
        for f in fields(self):
            value = getattr(self, f.name)
            if (
                f.name == "at"
                or f.metadata.get("hidden")
                or (f.metadata.get("if_set") and not value)
            ):
                continue
            yield f.metadata.get(_JSON_KEY, f.name), value


@dataclass(frozen=True)
class Planned:
    """What a due break shows: the exercise and its dose at the user's level."""

    exercise: Exercise
    dose: PlannedDose  # fits the break (coach/exercises/dose_plan.py)


@dataclass(frozen=True)
class BreakDue(Event):
    """A break to show now (again after a snooze, or grown into an exercise break).

    From the service it arrives ready to show: `planned` holds the exercise and its
    dose (None: the exercise is not in the library, show "stand up and move"), and
    `answers` the answers the user may give.
    """

    name: ClassVar[str] = "break_due"
    break_id: int
    tier: Tier = field(metadata=_AS_KIND)
    exercise: str  # the exercise's id
    sat_s: float
    duration_s: int
    snoozes: int
    answers: frozenset[Answer]
    skip_needs_reason: bool  # firm: a skip asks why
    merged: bool = field(default=False, metadata=_IF_SET)  # a micro break grown into this
    planned: Planned | None = field(default=None, metadata=_HIDDEN)

    def _json_fields(self) -> Iterator[tuple[str, object]]:
        for key, value in super()._json_fields():
            if key == "answers":
                yield "can_snooze", Answer.SNOOZE in self.answers
                yield "can_skip", Answer.SKIP in self.answers
            else:
                yield key, value


@dataclass(frozen=True)
class HeadsUp(Event):
    """A break of `tier` falls due in `in_s` seconds of sitting."""

    name: ClassVar[str] = "heads_up"
    tier: Tier = field(metadata=_AS_KIND)
    in_s: float
    duration_s: int


@dataclass(frozen=True)
class BreakOutcome(Event):
    """The break on screen was answered, or went unanswered; see the subclasses."""

    outcome: ClassVar[Outcome]
    break_id: int
    tier: Tier = field(metadata=_AS_KIND)
    exercise: str
    snoozes: int


@dataclass(frozen=True)
class BreakDone(BreakOutcome):
    """Done: answered, or its countdown ran out while the person was away (`away`)."""

    name: ClassVar[str] = "break_done"
    outcome: ClassVar[Outcome] = Outcome.DONE
    away: bool = field(default=False, metadata=_IF_SET)


@dataclass(frozen=True)
class BreakSnoozed(BreakOutcome):
    """Put off until monotonic time `until`; `snoozes` counts this one."""

    name: ClassVar[str] = "break_snoozed"
    outcome: ClassVar[Outcome] = Outcome.SNOOZED
    until: float


@dataclass(frozen=True)
class BreakSkipped(BreakOutcome):
    """Skipped by the user (a firm break says why), or by a pause ("paused")."""

    name: ClassVar[str] = "break_skipped"
    outcome: ClassVar[Outcome] = Outcome.SKIPPED
    reason: str | None = field(default=None, metadata=_IF_SET)


@dataclass(frozen=True)
class BreakMissed(BreakOutcome):
    """Left unanswered, or overtaken by a natural break away from the desk."""

    name: ClassVar[str] = "break_missed"
    outcome: ClassVar[Outcome] = Outcome.MISSED
    natural_break: bool = field(default=False, metadata=_IF_SET)


@dataclass(frozen=True)
class BreakHurt(BreakOutcome):
    """The user pressed "It hurts"."""

    name: ClassVar[str] = "break_hurt"
    outcome: ClassVar[Outcome] = Outcome.HURT


@dataclass(frozen=True)
class BreakClosed(Event):
    """The break window should close (after any outcome)."""

    name: ClassVar[str] = "break_closed"
    break_id: int


@dataclass(frozen=True)
class PainGuidance(Event):
    """ "It hurts": show the documents' advice at once. `reports` in the last 14 days;
    `repeated`: enough of them to add "have it checked by a physiotherapist"."""

    name: ClassVar[str] = "pain_guidance"
    reports: int
    repeated: bool = False


@dataclass(frozen=True)
class PhysioAdvice(Event):
    """The records show complaints for more than six weeks: see a physiotherapist
    (document 003). Once."""

    name: ClassVar[str] = "physio_advice"


@dataclass(frozen=True)
class NaturalBreak(Event):
    """The user was away from `start` to `end`, long enough to reset `resets`."""

    name: ClassVar[str] = "natural_break"
    start: float
    end: float
    away_s: float
    cause: AwayCause
    resets: tuple[Tier, ...]


@dataclass(frozen=True)
class SittingBout(Event):
    """A sitting bout from `start` to `end`, `sat_s` of it seated."""

    name: ClassVar[str] = "sitting_bout"
    start: float
    end: float
    sat_s: float


@dataclass(frozen=True)
class StandingSpan(Event):
    """The user stood from `start` to `end` (their word, ended by them, a long absence
    or a lock), `stood_s` of it active at the desk."""

    name: ClassVar[str] = "standing_span"
    start: float
    end: float
    stood_s: float


@dataclass(frozen=True)
class StandingLong(Event):
    """The user has stood for `stood_s` without a change: suggest sitting for a while
    or a short walk."""

    name: ClassVar[str] = "standing_long"
    stood_s: float


@dataclass(frozen=True)
class StillStanding(Event):
    """Back soon after a lock or sleep ended standing: Coach now counts sitting, and asks
    (kinder than guessing when the person may well still stand)."""

    name: ClassVar[str] = "still_standing"
