"""A picker that names exercises by tier: for rules that do not depend on which."""

from __future__ import annotations

from collections.abc import Callable

from coach.config.settings import Settings
from coach.core.events import Tier
from coach.exercises.catalog import Exercise


class TierPicker:
    """`pick(tier)` -> `name(tier)` ("ex-micro" unless told); no library behind it, so
    breaks show as "stand up and move"."""

    exercises: tuple[Exercise, ...] = ()

    def __init__(self, name: Callable[[Tier], str] = lambda tier: f"ex-{tier}") -> None:
        self.name = name
        self.excluded: set[str] = set()

    def __call__(self, tier: Tier) -> str:
        return self.name(tier)

    def exclude(self, exercise: str) -> None:
        self.excluded.add(exercise)

    def include(self, exercise: str) -> None:
        self.excluded.discard(exercise)

    def reconfigure(self, settings: Settings) -> None:
        """Nothing here depends on the settings."""
