"""Progression levels: consistent weeks raise them, pain steps back."""

from __future__ import annotations

import pytest

from coach.exercises import progression as p


@pytest.mark.parametrize(
    "weeks, pain, expected",
    [
        ([], False, 0),
        ([5, 5, 5, 5], False, 3),
        ([5, 5, 2], False, 2),
        ([4, 9, 9], False, 0),  # the most recent week broke the streak
        ([5, 5, 5], True, 2),
        ([0, 0, 0], True, 0),
    ],
)
def test_level(weeks: list[int], pain: bool, expected: int) -> None:
    assert p.level(weeks, pain) == expected
