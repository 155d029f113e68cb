"""Which exercise a break offers.

Breaks are first about getting out of the chair (document 004: stand up every hour,
walk a lap; document 003: alternate sitting, standing and walking):

- A short break offers standing items and a short walk; seated items only when the
  user did not choose standing. With a sit-stand desk the walk comes more often.
- An exercise break is mostly exercise work (mobility, glutes, stretches, core), with
  a walk and a posture or breathing reset at the shares in SHARES.
- Floor exercises only when the user says they have floor space (positions).

Within a share the picker respects the user's positions, focus, switched-off and
painful exercises and the setup's hip answer, offers only what fits the break (the
dose plan) and only what is translated into the language in use (an exercise of a
pack without that language is left out rather than shown in English under a
translated window), leans to what suits the user's back type (document 002), never offers the
same exercise twice in a row, and prefers what was done least recently.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Sequence

from coach import i18n
from coach.config.settings import Settings
from coach.exercises import dose_plan
from coach.exercises.catalog import Exercise

RECENT = 12  # how many past picks count as "recent" for variety
STAND_UP = "stand-up"  # "stand up and move", when no exercise fits; the UI knows it
SUITS_WEIGHT = 3  # how much likelier an item that suits the user's back type is

WORK, WALK, RESET = "work", "walk", "reset"
SHARES = {  # tier -> share of each group of items (sit-stand desk: SIT_STAND_SHARES)
    "micro": {WORK: 0.55, WALK: 0.3, RESET: 0.15},
    "exercise": {WORK: 0.7, WALK: 0.2, RESET: 0.1},
}
SIT_STAND_SHARES = {"micro": {WORK: 0.4, WALK: 0.5, RESET: 0.1}}
GROUP_OF_KIND = {"walk": WALK, "posture": RESET, "breathing": RESET}
AVOID_FOR = {
    "replacement": "hip-replacement",
    "irritated": "irritated-hip",
    "hollow": "hollow-back",
}
SUITS_FOR = {"hollow": "hollow-back", "flat": "flat-back"}


def group(exercise: Exercise) -> str:
    return GROUP_OF_KIND.get(exercise.kind, WORK)


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

    def allowed(self, tier: str) -> list[Exercise]:
        """Everything a break of this tier may offer: never loosened."""
        s = self.settings
        avoid = {AVOID_FOR.get(s.hip_condition), AVOID_FOR.get(s.back_type)}
        break_s = dose_plan.break_seconds(s, tier)
        positions = set(s.positions)
        language = i18n.resolve(s.language)  # one window never mixes two languages
        if tier == "micro" and "standing" in positions:
            positions = {"standing"}  # short breaks get people out of the chair
        return [
            e
            for e in self.exercises
            if e.id not in self.excluded
            and e.id not in s.disabled_exercises
            and e.position in positions
            and tier in e.tiers
            and not avoid & set(e.avoid)
            and dose_plan.plan(e, 0, break_s) is not None
            and e.speaks(language)
        ]

    def pools(self, tier: str) -> list[list[Exercise]]:
        """Allowed exercises for a tier, most fitting first: then with focus loosened."""
        allowed = self.allowed(tier)
        focus = self.settings.focus
        focused = [e for e in allowed if focus in ("both", "prevention") or focus in e.focus]
        return [focused, allowed]

    def candidates(self, tier: str) -> list[Exercise]:
        """The pool a pick usually comes from."""
        return next((pool for pool in self.pools(tier) if pool), [])

    def shares(self, tier: str) -> dict[str, float]:
        if self.settings.has_sit_stand_desk and tier in SIT_STAND_SHARES:
            return SIT_STAND_SHARES[tier]
        return SHARES[tier]

    def exclude(self, exercise: str) -> None:
        """Stop offering an exercise (reported painful)."""
        self.excluded.add(exercise)

    def include(self, exercise: str) -> None:
        self.excluded.discard(exercise)

    def _weight(self, exercise: Exercise) -> int:
        """The longer ago an exercise was picked, the likelier it is now; an item that
        suits the user's back type is likelier still."""
        recent = list(self.recent)
        if exercise.id not in recent:
            weight = (RECENT + 1) ** 2
        else:
            last = max(i for i, r in enumerate(recent) if r == exercise.id)
            weight = (len(recent) - last) ** 2
        if SUITS_FOR.get(self.settings.back_type) in exercise.suits:
            weight *= SUITS_WEIGHT
        return weight

    def __call__(self, tier: str) -> str:
        last = self.recent[-1] if self.recent else None
        for pool in self.pools(tier):
            fresh = [e for e in pool if e.id != last]  # never twice in a row
            if not fresh:
                continue
            groups = {group(e) for e in fresh}
            shares = {g: w for g, w in self.shares(tier).items() if g in groups}
            if shares:
                chosen = self.rng.choices(list(shares), weights=list(shares.values()))[0]
                fresh = [e for e in fresh if group(e) == chosen]
            choice = self.rng.choices(fresh, weights=[self._weight(e) for e in fresh])[0]
            self.recent.append(choice.id)
            return choice.id
        self.recent.append(STAND_UP)
        return STAND_UP
