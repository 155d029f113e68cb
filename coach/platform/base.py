"""Protocols, result types and the candidate chooser shared by all adapters.

Every adapter family (idle source, lock source, each presence signal) has an
ordered list of candidates. A candidate is a callable that returns a working
adapter or raises `Unavailable` with a reason in plain words. `choose` keeps
the first that works and records why the others did not, for `coach doctor`.

Threading contract: adapters are created and called from one thread (the UI
thread that ticks the engine). They start no threads, and their runtime
methods never raise: on failure they return a safe value and log once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, runtime_checkable

from coach.i18n import _

log = logging.getLogger(__name__)

T = TypeVar("T")


class Unavailable(Exception):
    """An adapter cannot work on this machine; `reason` says why in plain words.

    The reason is translated where it is raised (`_()`), with names of adapters,
    D-Bus services, files and variables kept out of the text as placeholders.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@runtime_checkable
class Adapter(Protocol):
    """What every adapter has: a short name and what it means for the user.

    `name` is an identifier, never translated; `meaning` is plain words in the
    language in use (a property that calls `_()` when read).
    """

    name: str

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""

    def close(self) -> None:
        """Release OS resources (displays, bus connections). Idempotent."""


@runtime_checkable
class IdleSource(Adapter, Protocol):
    """Seconds since the user's last keyboard or mouse input."""

    def idle_seconds(self) -> float:
        """Seconds since the last input; 0.0 when unknown. Never raises."""

    @classmethod
    def probe(cls) -> IdleSource:
        """A working instance, or raise Unavailable saying why not in plain words."""


@runtime_checkable
class LockSource(Adapter, Protocol):
    """Whether the screen is locked."""

    def is_locked(self) -> bool:
        """True while the screen is locked; False when unknown. Never raises."""


@runtime_checkable
class PresenceSignal(Adapter, Protocol):
    """A yes/no sign that the user is at the desk without typing.

    `kind` is "busy" (a call or fullscreen presentation: popups wait) or
    "presence" (counts as sitting, popups may still show).
    `interval_s` is how often it is worth polling.
    """

    kind: str
    interval_s: float

    def active(self) -> bool:
        """True while the signal is on; False when unknown. Never raises."""


@runtime_checkable
class ReturnWatch(Adapter, Protocol):
    """Tells, without polling, that the user came back after a while without input.

    The UI watches `fileno()` (readable when news may be waiting) and ticks at
    once; the tick calls `drain()`, which reads only what is already there.
    """

    def fileno(self) -> int:
        """A file descriptor that becomes readable when the user may be back."""

    def queued(self) -> bool:
        """News already read off `fileno()` (so it no longer shows as readable)."""

    def drain(self) -> int:
        """Take all waiting news without blocking; how often the user came back (0: not)."""


@dataclass(frozen=True)
class Tried:
    """One candidate that was tried and rejected, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class Choice:
    """For one adapter family: the active adapter and the rejected ones.

    `family` and `active` are identifiers: `family` one of the names in
    `sampler` (English, marked with `N_`, translated only in `lines()`),
    `active` the adapter name, or "none" for an optional family where nothing
    works. `meaning` says in plain words what that means for the user; `now` is
    the current reading and `problem` a current failure, both filled in by
    `Platform.report()`. These texts and the reasons in `tried` are already in
    the language in use.
    """

    family: str
    active: str
    meaning: str
    tried: list[Tried] = field(default_factory=list)
    now: str | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict: English keys and identifiers, texts in the language in use."""
        return {
            "family": self.family,
            "active": self.active,
            "meaning": self.meaning,
            "tried": [{"name": t.name, "reason": t.reason} for t in self.tried],
            "now": self.now,
            "problem": self.problem,
        }

    def lines(self) -> list[str]:
        """Human-readable lines for `coach doctor`."""
        active = _("none") if self.active == "none" else self.active
        head = _("{family}: {source}").format(family=_(self.family), source=active)
        out = [head, *(f"  {m}" for m in self.meaning.splitlines())]
        if self.now:
            out.append("  " + _("now: {reading}").format(reading=self.now))
        if self.problem:
            out.append("  " + _("problem: {problem}").format(problem=self.problem))
        out += [
            "  " + _("not {adapter}: {reason}").format(adapter=t.name, reason=t.reason)
            for t in self.tried
        ]
        return out

    def describe(self) -> str:
        """`lines()` as one block of text."""
        return "\n".join(self.lines())


@dataclass(frozen=True)
class Candidate:
    """A named candidate: `probe()` returns a working adapter or raises Unavailable."""

    name: str
    probe: Callable[[], object]

    def __call__(self) -> object:
        return self.probe()


def candidate_name(c: Callable[[], object]) -> str:
    """The name to report for a candidate callable."""
    name = getattr(c, "name", None)
    if isinstance(name, str):
        return name
    owner = getattr(c, "__self__", None)  # a bound classmethod such as X.probe
    name = getattr(owner, "name", None)
    if isinstance(name, str):
        return name
    return str(getattr(c, "__qualname__", repr(c)))


def choose_optional(
    candidates: Iterable[Callable[[], T]],
) -> tuple[T | None, list[Tried]]:
    """The first candidate that works (or None), and why the earlier ones did not."""
    tried: list[Tried] = []
    for c in candidates:
        name = candidate_name(c)
        try:
            adapter = c()
        except Unavailable as e:
            tried.append(Tried(name, e.reason))
            log.debug("%s rejected: %s", name, e.reason)
            continue
        except Exception as e:  # a bug or an OS surprise: reject, keep going
            tried.append(Tried(name, _("failed unexpectedly: {error}").format(error=repr(e))))
            log.warning("%s failed while probing", name, exc_info=True)
            continue
        log.info("using %s", name)
        return adapter, tried
    return None, tried


def choose(candidates: Iterable[Callable[[], T]]) -> tuple[T, list[Tried]]:
    """The first candidate that works, and why the earlier ones did not.

    Raises Unavailable listing every reason when none works; families that
    end with an always-working fallback never get there.
    """
    adapter, tried = choose_optional(candidates)
    if adapter is None:
        raise Unavailable("; ".join(f"{t.name}: {t.reason}" for t in tried) or _("no candidates"))
    return adapter, tried


class OnceLog:
    """Logs a failure once per outage and the recovery once, not every tick."""

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self._log = logger
        self._what = what
        self.problem: str | None = None

    def failed(self, reason: str) -> None:
        """Record a failure; logs only when the adapter was fine before."""
        if self.problem is None:
            self._log.warning("%s stopped working: %s", self._what, reason)
        self.problem = reason

    def ok(self) -> None:
        """Record a success; logs once when recovering from a failure."""
        if self.problem is not None:
            self._log.info("%s works again", self._what)
            self.problem = None


def guarded(health: OnceLog, read: Callable[[], T], safe: T) -> T:
    """`read()`, or `safe` if it raises; failures and recoveries are logged once."""
    try:
        value = read()
    except Exception as e:  # never raise into the tick
        health.failed(getattr(e, "reason", None) or repr(e))
        return safe
    health.ok()
    return value
