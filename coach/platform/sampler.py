"""`Platform`: the chosen adapters combined into one `Sample` per tick, and their report.

Presence signals are read at most every `interval_s` (paced by the `now_mono`
the caller passes), so a tick every second stays cheap. Every adapter call is
guarded: a failing adapter gives a safe value and one log line, never an
exception into the tick.

Where a return watch works (`wake_fd` is not None) the UI also ticks as soon as
that descriptor is readable: the user is back, and the sitting from that first
input on is counted instead of starting at the next scheduled tick. While the
user is away and the watch is armed, the idle source is not asked at all: the
idle time goes on from the last reading until the watch reports a return (no
round trip to the X server per tick while away; one reading every
`AWAY_REREAD_S` all the same, in case a report was lost).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.core.sample import Sample
from coach.i18n import N_, _
from coach.platform.base import (
    Choice,
    IdleSource,
    LockSource,
    OnceLog,
    PresenceSignal,
    ReturnWatch,
)
from coach.platform.fallback import FallbackIdle
from coach.platform.sleep import SleepDetector

log = logging.getLogger(__name__)

AWAY_REREAD_S = 300.0

# Adapter families: identifiers (dict keys, `coach doctor --json`), translated only when shown.
IDLE = N_("idle source")
LOCK = N_("screen lock")
SLEEP = N_("sleep detection")
FULLSCREEN = N_("fullscreen")
CAMERA = N_("camera")
MICROPHONE = N_("microphone")
INHIBITOR = N_("idle inhibitor")
DND = N_("do not disturb")
SCREEN = N_("new screen")
RETURN = N_("return watch")

# What it means when an optional family has no working adapter (translated when shown).
WITHOUT = {
    FULLSCREEN: N_(
        "Coach cannot see fullscreen windows here; a break popup may cover a presentation."
    ),
    CAMERA: N_("Coach cannot see the camera here; a break popup may show during a video call."),
    MICROPHONE: N_("Coach cannot see the microphone here; a break popup may show during a call."),
    INHIBITOR: N_(
        "Coach cannot see apps that keep the screen awake; "
        "watching a video without typing may count as a break."
    ),
    DND: N_("Coach cannot see the desktop's do-not-disturb here."),
    SCREEN: N_("Coach cannot see screens being connected here (a projector in a meeting)."),
    RETURN: N_(
        "Coach notices you are back at its next check, "
        "so a few seconds of sitting after each time away may go uncounted."
    ),
}


@dataclass
class _Polled:
    """A presence signal read at most every `interval_s`, remembered in between."""

    family: str
    signal: PresenceSignal
    next_at: float = -math.inf
    value: bool = False

    def read(self, now_mono: float, health: OnceLog) -> bool:
        if now_mono >= self.next_at:
            try:
                self.value = bool(self.signal.active())
                health.ok()
            except Exception as e:  # adapters should not raise; never let one break the tick
                health.failed(repr(e))
                self.value = False
            self.next_at = now_mono + self.signal.interval_s
        return self.value


class Platform:
    """The adapters chosen for this machine, combined into one `Sample` per tick."""

    def __init__(
        self,
        idle: IdleSource,
        lock: LockSource,
        signals: Sequence[tuple[str, PresenceSignal]],
        sleep: SleepDetector,
        choices: Sequence[Choice],
        resources: Sequence[Any] = (),
        watch: ReturnWatch | None = None,
    ) -> None:
        self.idle = idle
        self.lock = lock
        self.sleep = sleep
        self.watch = watch
        self._polled = [_Polled(family, s) for family, s in signals]
        self._choices = list(choices)
        self._resources = list(resources)
        self._last_idle: tuple[float, float] | None = None  # (now_mono, idle_s) read then
        self._health = {
            name: OnceLog(log, name)
            for name in [IDLE, LOCK, SLEEP, RETURN, *(f for f, _ in signals)]
        }

    @property
    def signals(self) -> dict[str, PresenceSignal]:
        """The working presence signals by family."""
        return {p.family: p.signal for p in self._polled}

    @property
    def idle_fallback(self) -> bool:
        """True when no idle source works: all unlocked time counts as sitting."""
        return self.idle.name == FallbackIdle.name

    @property
    def wake_fd(self) -> int | None:
        """A descriptor to watch: readable when the user comes back; None without a watch."""
        if self.watch is None:
            return None
        fd = int(self._safe(RETURN, self.watch.fileno, -1))
        return fd if fd >= 0 else None

    def _safe(self, family: str, read: Callable[[], Any], safe: Any) -> Any:
        try:
            value = read()
        except Exception as e:  # adapters should not raise; never let one break the tick
            self._health[family].failed(repr(e))
            return safe
        self._health[family].ok()
        return value

    def sample(self, now_mono: float) -> Sample:
        """One reading for the engine. `now_mono` paces the slower presence checks."""
        asleep = self._safe(SLEEP, self.sleep.check, 0.0) > 0
        resync = getattr(self.idle, "resync", None)  # event-driven sources re-read after sleep
        if asleep and resync is not None:
            self._safe(IDLE, resync, None)
        idle_s = self._idle_seconds(now_mono, asleep)
        locked = bool(self._safe(LOCK, self.lock.is_locked, False))
        on = {p.family: p.read(now_mono, self._health[p.family]) for p in self._polled}
        busy = any(on[p.family] for p in self._polled if p.signal.kind == "busy")
        presence = busy or any(on.values())
        return Sample(idle_s=idle_s, presence=presence, busy=busy, locked=locked, asleep=asleep)

    def _idle_seconds(self, now_mono: float, asleep: bool) -> float:
        """Idle time, taking the return watch's news so its descriptor goes quiet.

        News read into a queue by the idle query itself no longer shows on the
        descriptor: take it and read again, so that input is not missed.
        """
        watch = self.watch
        if watch is None:
            return self._read_idle(now_mono)
        back = self._safe(RETURN, watch.drain, 0)
        if not (back or asleep):
            away = self._away_since_last(now_mono, watch)
            if away is not None:
                return away
        idle_s = self._read_idle(now_mono)
        if self._safe(RETURN, watch.queued, False):
            self._safe(RETURN, watch.drain, 0)
            idle_s = self._read_idle(now_mono)
        return idle_s

    def _away_since_last(self, now_mono: float, watch: ReturnWatch) -> float | None:
        """The idle time without asking, while the watch is armed and has not fired.

        The watch fires at the first input after `after_s` without any; once a
        reading passed that, no news means no input since (at worst the news is on
        its way: the descriptor wakes the UI for a tick that reads again)."""
        if self._last_idle is None:
            return None
        at, idle_s = self._last_idle
        armed_after = getattr(watch, "after_s", math.inf)  # watches that tell it
        if idle_s < armed_after or not 0 <= now_mono - at < AWAY_REREAD_S:
            return None
        return idle_s + (now_mono - at)

    def _read_idle(self, now_mono: float) -> float:
        idle_s = float(self._safe(IDLE, self.idle.idle_seconds, 0.0))
        self._last_idle = (now_mono, idle_s)
        return idle_s

    def report(self) -> list[Choice]:
        """One `Choice` per family, with the current reading and any current problem."""
        adapters: dict[str, Any] = {IDLE: self.idle, LOCK: self.lock, **self.signals}
        if self.watch is not None:
            adapters[RETURN] = self.watch
        out = []
        for choice in self._choices:
            adapter = adapters.get(choice.family)
            if adapter is None:
                out.append(choice)
                continue
            out.append(
                replace(
                    choice,
                    now=_reading(choice.family, adapter),
                    problem=getattr(adapter, "problem", None),
                )
            )
        return out

    def report_lines(self) -> list[str]:
        """Plain-text lines for `coach doctor`."""
        return [line for choice in self.report() for line in choice.lines()]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description for `coach doctor --json`."""
        return {"families": [c.as_dict() for c in self.report()]}

    def close(self) -> None:
        """Release displays and bus connections. Idempotent."""
        watch = [self.watch] if self.watch is not None else []
        for adapter in [*watch, self.idle, self.lock, *(p.signal for p in self._polled)]:
            try:
                adapter.close()
            except Exception:
                log.warning("closing %s failed", adapter.name, exc_info=True)
        for resource in self._resources:
            resource.close()


def _reading(family: str, adapter: Any) -> str:
    """The adapter's current reading in plain words, translated (for the report only)."""
    try:
        if family == IDLE:
            idle_s = adapter.idle_seconds()
            told_after = getattr(adapter, "after_s", None)  # event-driven: told past this
            if told_after is not None and idle_s < told_after:
                return _("last input less than {seconds:.0f} s ago").format(seconds=told_after)
            return _("last input {seconds:.0f} s ago").format(seconds=idle_s)
        if family == LOCK:
            return _("screen locked") if adapter.is_locked() else _("screen unlocked")
        if family == RETURN:
            return _("armed")
        holders = getattr(adapter, "holders", None)
        if holders is not None:
            found = holders()
            if not found:
                return _("not in use")
            programs = ", ".join(f"{h.command} (pid {h.pid})" for h in found)
            return _("in use by {programs}").format(programs=programs)
        return _("on") if adapter.active() else _("off")
    except Exception as e:
        return _("reading failed: {error}").format(error=repr(e))
