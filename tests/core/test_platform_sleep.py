"""Sleep detection with fake clocks."""

from __future__ import annotations

import sys

import pytest

from coach.platform.sleep import ClockPair, SleepDetector, system_clocks


class FakeClocks:
    """`total` counts sleep, `awake` does not; `run` and `suspend` move them."""

    def __init__(self) -> None:
        self.t_total = 1000.0
        self.t_awake = 500.0

    def run(self, s: float) -> None:
        self.t_total += s
        self.t_awake += s

    def suspend(self, s: float) -> None:
        self.t_total += s

    def pair(self) -> ClockPair:
        return ClockPair("fake", lambda: self.t_total, lambda: self.t_awake)


def test_no_sleep_reads_zero() -> None:
    clocks = FakeClocks()
    detector = SleepDetector(clocks.pair())
    for _ in range(100):
        clocks.run(5)
        assert detector.check() == 0.0


def test_a_suspend_is_reported_once() -> None:
    clocks = FakeClocks()
    detector = SleepDetector(clocks.pair())
    clocks.run(5)
    clocks.suspend(3600)
    clocks.run(1)
    assert detector.check() == pytest.approx(3600)
    clocks.run(5)
    assert detector.check() == 0.0


def test_jitter_below_the_threshold_is_ignored() -> None:
    clocks = FakeClocks()
    detector = SleepDetector(clocks.pair(), threshold_s=30)
    clocks.suspend(29)
    assert detector.check() == 0.0
    clocks.suspend(31)
    assert detector.check() == pytest.approx(31)


def test_small_drifts_do_not_add_up_to_a_sleep() -> None:
    clocks = FakeClocks()
    detector = SleepDetector(clocks.pair(), threshold_s=30)
    for _ in range(1000):
        clocks.run(1)
        clocks.suspend(0.5)
        assert detector.check() == 0.0


def test_a_clock_set_back_is_not_sleep() -> None:
    clocks = FakeClocks()
    detector = SleepDetector(clocks.pair())
    clocks.t_total -= 3600  # the wall-clock fallback, after a manual change
    assert detector.check() == 0.0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux clocks")
def test_linux_uses_boottime_against_monotonic() -> None:
    pair = system_clocks("linux")
    assert pair.name == "CLOCK_BOOTTIME vs CLOCK_MONOTONIC"
    awake = pair.awake()
    assert pair.total() >= awake > 0
    assert SleepDetector(pair).check() == 0.0


def test_unknown_os_falls_back_to_wall_against_monotonic() -> None:
    assert system_clocks("sunos5").name == "wall clock vs time.monotonic"
