"""Which exercise a break offers.

Micro breaks get short items suited to the micro tier (standing or posture work);
exercise breaks get mobility, glute, stretch and core work. The picker respects the
user's positions, focus, switched-off and painful exercises, never offers the same
exercise twice in a row, and prefers what was done least recently.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Sequence

from coach.exercises.catalog import Exercise
from coach.settings import Settings

EXERCISE_KINDS = ("mobility", "glute", "stretch", "core")
RECENT = 12  # how many past picks count as "recent" for variety
STAND_UP = "stand-up"  # "stand up and move", when no exercise fits; the UI knows it


class Picker:
    """Callable `pick(tier) -> exercise id`."""

    def __init__(
        self,
        exercises: Sequence[Exercise],
        settings: Settings,
        rng: random.Random | None = None,
        excluded: Iterable[str] = (),
        recent: Iterable[str] = (),
    ) -> None:
        self.exercises = list(exercises)
        self.settings = settings
        self.rng = rng or random.Random()
        self.excluded = set(excluded)  # e.g. reported painful
        self.recent: deque[str] = deque(recent, maxlen=RECENT)

    def reconfigure(self, settings: Settings) -> None:
        """Pick by new settings (positions, focus, switched-off exercises) from now on."""
        self.settings = settings

    def pools(self, tier: str) -> list[list[Exercise]]:
        """Allowed exercises for a tier, most fitting first: then with focus loosened.

        Pain reports, switched-off exercises and positions are never loosened.
        """
        s = self.settings
        allowed = [
            e
            for e in self.exercises
            if e.id not in self.excluded
            and e.id not in s.disabled_exercises
            and e.position in s.positions
            and tier in e.tiers
        ]
        focused = [e for e in allowed if s.focus == "both" or s.focus in e.focus]
        if tier == "exercise":
            strong = [e for e in focused if e.kind in EXERCISE_KINDS]
            return [strong, focused, allowed]
        return [focused, allowed]

    def candidates(self, tier: str) -> list[Exercise]:
        """The pool a pick usually comes from."""
        return next((pool for pool in self.pools(tier) if pool), [])

    def exclude(self, exercise: str) -> None:
        """Stop offering an exercise (reported painful)."""
        self.excluded.add(exercise)

    def include(self, exercise: str) -> None:
        self.excluded.discard(exercise)

    def _weight(self, ex_id: str) -> int:
        """The longer ago an exercise was picked, the likelier it is now."""
        recent = list(self.recent)
        if ex_id not in recent:
            return (RECENT + 1) ** 2
        age = len(recent) - 1 - max(i for i, r in enumerate(recent) if r == ex_id)
        return (age + 1) ** 2

    def __call__(self, tier: str) -> str:
        last = self.recent[-1] if self.recent else None
        for pool in self.pools(tier):
            fresh = [e for e in pool if e.id != last]  # never twice in a row
            if fresh:
                choice = self.rng.choices(fresh, weights=[self._weight(e.id) for e in fresh])[0]
                self.recent.append(choice.id)
                return choice.id
        self.recent.append(STAND_UP)
        return STAND_UP
