"""A desktop test whose tool is missing skips on a developer's machine and fails in CI."""

from __future__ import annotations

import pytest

from tests.tools import require

ABSENT = "coach-no-such-tool"


def test_a_missing_tool_skips_away_from_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=ABSENT):
        require("sh", ABSENT)


def test_a_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{ABSENT}.*CI must have it"):
        require(ABSENT)
    require("sh")  # present: nothing happens
