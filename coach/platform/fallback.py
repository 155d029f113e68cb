"""Honest fallbacks used when no real adapter works on this machine."""

from __future__ import annotations

import logging

from coach.i18n import _

log = logging.getLogger(__name__)


class FallbackIdle:
    """Reports idle 0: all unlocked time counts as sitting."""

    name = "fallback"
    problem: str | None = None

    @property
    def meaning(self) -> str:
        """What Coach cannot do here, and what it does instead."""
        return _(
            "Coach cannot see keyboard or mouse activity here, "
            "so it counts all unlocked time as sitting."
        )

    @classmethod
    def probe(cls) -> FallbackIdle:
        """Always works."""
        return cls()

    def idle_seconds(self) -> float:
        """Always 0.0."""
        return 0.0

    def close(self) -> None:
        """Nothing to release."""


class NoLock:
    """Never reports a lock: away time is noticed through idle time alone."""

    name = "none"
    problem: str | None = None

    @property
    def meaning(self) -> str:
        """What Coach cannot do here, and what it does instead."""
        return _(
            "Coach cannot tell when the screen is locked here; "
            "it notices you are away only when keyboard and mouse go quiet."
        )

    @classmethod
    def probe(cls) -> NoLock:
        """Always works."""
        return cls()

    def is_locked(self) -> bool:
        """Always False."""
        return False

    def close(self) -> None:
        """Nothing to release."""
