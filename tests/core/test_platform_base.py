"""The chooser, result types and log-once helpers of coach.platform.base."""

from __future__ import annotations

import logging

import pytest

from coach.platform.base import (
    Candidate,
    Choice,
    IdleSource,
    OnceLog,
    Tried,
    Unavailable,
    candidate_name,
    choose,
    choose_optional,
    guarded,
)
from coach.platform.fallback import FallbackIdle, NoLock


class Works:
    name = "works"
    meaning = "it works"

    @classmethod
    def probe(cls) -> Works:
        return cls()


class Missing:
    name = "missing"

    @classmethod
    def probe(cls) -> Missing:
        raise Unavailable("libmissing.so.1 not found")


def test_choose_takes_the_first_that_works_and_records_why_not_the_others() -> None:
    adapter, tried = choose([Missing.probe, Works.probe, FallbackIdle.probe])
    assert isinstance(adapter, Works)
    assert tried == [Tried("missing", "libmissing.so.1 not found")]


def test_choose_reports_unexpected_errors_as_rejections() -> None:
    def broken() -> object:
        raise RuntimeError("boom")

    adapter, tried = choose([Candidate("broken", broken), Works.probe])
    assert isinstance(adapter, Works)
    assert tried[0].name == "broken" and "boom" in tried[0].reason


def test_choose_raises_with_all_reasons_when_nothing_works() -> None:
    with pytest.raises(Unavailable, match="missing: libmissing.so.1 not found"):
        choose([Missing.probe])


def test_choose_optional_returns_none_when_nothing_works() -> None:
    adapter, tried = choose_optional([Missing.probe])
    assert adapter is None and [t.name for t in tried] == ["missing"]


def test_candidate_names() -> None:
    assert candidate_name(Works.probe) == "works"
    assert candidate_name(Candidate("named", Works.probe)) == "named"

    def plain() -> None: ...

    assert candidate_name(plain).endswith("plain")


def test_fallbacks_always_work_and_say_what_they_cannot_do() -> None:
    idle = FallbackIdle.probe()
    assert isinstance(idle, IdleSource)
    assert idle.name == "fallback" and idle.idle_seconds() == 0.0
    assert idle.meaning == (
        "Coach cannot see keyboard or mouse activity here, "
        "so it counts all unlocked time as sitting."
    )
    lock = NoLock.probe()
    assert lock.is_locked() is False and "locked" in lock.meaning


def test_choice_lines_and_dict() -> None:
    choice = Choice(
        "idle source", "fallback", "meaning", [Tried("x11", "no X display (DISPLAY unset)")]
    )
    assert choice.lines() == [
        "idle source: fallback",
        "  meaning",
        "  not x11: no X display (DISPLAY unset)",
    ]
    assert choice.describe() == "\n".join(choice.lines())
    assert choice.as_dict()["tried"] == [{"name": "x11", "reason": "no X display (DISPLAY unset)"}]


def test_once_log_logs_an_outage_once_and_the_recovery_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    health = OnceLog(logging.getLogger("test.once"), "thing")
    calls = iter([ValueError("down"), ValueError("down"), 3, ValueError("again")])

    def read() -> int:
        value = next(calls)
        if isinstance(value, Exception):
            raise value
        return value

    with caplog.at_level(logging.INFO, logger="test.once"):
        results = [guarded(health, read, -1) for _ in range(4)]
    assert results == [-1, -1, 3, -1]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "thing stopped working: ValueError('down')",
        "thing works again",
        "thing stopped working: ValueError('again')",
    ]
    assert health.problem == "ValueError('again')"
