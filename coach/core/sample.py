"""What the platform layer reports to the engine at each tick."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One reading of the user's activity.

    idle_s: seconds since the last keyboard or mouse input.
    presence: a signal that the user is seated without typing (video call,
        presentation, fullscreen video, an idle inhibitor): counts as sitting.
    busy: a meeting or fullscreen presentation is going on: break popups wait
        until it ends, even while the user types.
    locked: the screen is locked (counts as away).
    asleep: the machine slept since the previous tick (counts as away).
    """

    idle_s: float
    presence: bool = False
    busy: bool = False
    locked: bool = False
    asleep: bool = False
