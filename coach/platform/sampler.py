"""`Platform`: the chosen adapters combined into one `Sample` per tick, and their report.

Presence signals are read at most every `interval_s` (paced by the `now_mono`
the caller passes), so a tick every second stays cheap. Every adapter call is
guarded: a failing adapter gives a safe value and one log line, never an
exception into the tick.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from coach.platform.base import Choice, IdleSource, LockSource, OnceLog, PresenceSignal
from coach.platform.sleep import SleepDetector
from coach.sample import Sample

log = logging.getLogger(__name__)

IDLE = "idle source"
LOCK = "screen lock"
SLEEP = "sleep detection"
FULLSCREEN = "fullscreen"
CAMERA = "camera"
MICROPHONE = "microphone"
INHIBITOR = "idle inhibitor"

WITHOUT = {
    FULLSCREEN: "Coach cannot see fullscreen windows here; a break popup may cover a presentation.",
    CAMERA: "Coach cannot see the camera here; a break popup may show during a video call.",
    MICROPHONE: "Coach cannot see the microphone here; a break popup may show during a call.",
    INHIBITOR: "Coach cannot see apps that keep the screen awake; "
    "watching a video without typing may count as a break.",
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
    ) -> None:
        self.idle = idle
        self.lock = lock
        self.sleep = sleep
        self._polled = [_Polled(family, s) for family, s in signals]
        self._choices = list(choices)
        self._resources = list(resources)
        self._health = {
            name: OnceLog(log, name) for name in [IDLE, LOCK, SLEEP, *(f for f, _ in signals)]
        }

    @property
    def signals(self) -> dict[str, PresenceSignal]:
        """The working presence signals by family."""
        return {p.family: p.signal for p in self._polled}

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
        idle_s = float(self._safe(IDLE, self.idle.idle_seconds, 0.0))
        locked = bool(self._safe(LOCK, self.lock.is_locked, False))
        on = {p.family: p.read(now_mono, self._health[p.family]) for p in self._polled}
        busy = any(on[p.family] for p in self._polled if p.signal.kind == "busy")
        presence = busy or any(on.values())
        return Sample(idle_s=idle_s, presence=presence, busy=busy, locked=locked, asleep=asleep)

    def report(self) -> list[Choice]:
        """One `Choice` per family, with the current reading and any current problem."""
        adapters: dict[str, Any] = {IDLE: self.idle, LOCK: self.lock, **self.signals}
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
        for adapter in [self.idle, self.lock, *(p.signal for p in self._polled)]:
            try:
                adapter.close()
            except Exception:
                log.warning("closing %s failed", adapter.name, exc_info=True)
        for resource in self._resources:
            resource.close()


def _reading(family: str, adapter: Any) -> str:
    """The adapter's current reading in plain words (for the report only)."""
    try:
        if family == IDLE:
            return f"last input {adapter.idle_seconds():.0f} s ago"
        if family == LOCK:
            return "screen locked" if adapter.is_locked() else "screen unlocked"
        holders = getattr(adapter, "holders", None)
        if holders is not None:
            found = holders()
            return (
                "in use by " + ", ".join(f"{h.command} (pid {h.pid})" for h in found)
                if found
                else "not in use"
            )
        return "on" if adapter.active() else "off"
    except Exception as e:
        return f"reading failed: {e!r}"
