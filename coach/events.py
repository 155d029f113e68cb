"""Events the engine emits: plain data, JSON-friendly, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Event names, as printed by `coach simulate` and consumed by the UI and the store.
BREAK_DUE = "break_due"
HEADS_UP = "heads_up"
BREAK_DONE = "break_done"
BREAK_SNOOZED = "break_snoozed"
BREAK_SKIPPED = "break_skipped"
BREAK_MISSED = "break_missed"
BREAK_HURT = "break_hurt"  # the user pressed "It hurts"
PAIN_GUIDANCE = "pain_guidance"  # "It hurts": show the documents' advice at once
PHYSIO_ADVICE = "physio_advice"  # six weeks of complaints: see a physiotherapist (once)
BREAK_CLOSED = "break_closed"  # the prompt window should close (after any outcome)
NATURAL_BREAK = "natural_break"
SITTING_BOUT = "sitting_bout"


@dataclass(frozen=True)
class Event:
    """Something that happened at monotonic time `at`; `data` holds its fields."""

    at: float
    event: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, origin: float = 0.0) -> dict[str, Any]:
        """Flat dict with times relative to `origin` (the simulator's trace start)."""
        out: dict[str, Any] = {"at": round(self.at - origin, 3), "event": self.event}
        for key, value in self.data.items():
            if key in ("start", "end", "until") and isinstance(value, float):
                value = round(value - origin, 3)
            elif isinstance(value, float):
                value = round(value, 3)
            out[key] = value
        return out
