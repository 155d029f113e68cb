"""Windows and macOS adapters, with fakes standing in for the ctypes layer."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest

from coach.platform.base import Unavailable
from coach.platform.macos import ANY_INPUT_EVENT, HID_SYSTEM_STATE, MacIdle, load_quartz
from coach.platform.sleep import SleepDetector
from coach.platform.windows import (
    LASTINPUTINFO,
    WindowsIdle,
    WindowsLock,
    declare,
    idle_ms,
    windows_clocks,
)


class Fn:
    """A fake foreign function: records argtypes/restype and calls `impl`."""

    def __init__(self, impl: Any) -> None:
        self.impl = impl
        self.argtypes: Any = None
        self.restype: Any = None

    def __call__(self, *args: Any) -> Any:
        return self.impl(*args)


class FakeUser32:
    def __init__(self) -> None:
        self.last_input = 0
        self.fail = False
        self.locked = False
        self.closed: list[int] = []

        def get_last_input_info(ref: Any) -> int:
            info = ref._obj
            assert isinstance(info, LASTINPUTINFO)
            assert info.cbSize == ctypes.sizeof(LASTINPUTINFO)
            if self.fail:
                return 0
            info.dwTime = self.last_input
            return 1

        self.GetLastInputInfo = Fn(get_last_input_info)
        self.OpenInputDesktop = Fn(lambda flags, inherit, access: None if self.locked else 0x42)
        self.CloseDesktop = Fn(lambda h: self.closed.append(h) or 1)


class FakeKernel32:
    def __init__(self) -> None:
        self.ticks = 0  # ms, counts sleep
        self.unbiased = 0  # 100 ns, does not

        def unbiased(ref: Any) -> int:
            ref._obj.value = self.unbiased
            return 1

        self.GetTickCount64 = Fn(lambda: self.ticks)
        self.QueryUnbiasedInterruptTime = Fn(unbiased)


@pytest.fixture
def libs() -> tuple[FakeUser32, FakeKernel32]:
    user32, kernel32 = FakeUser32(), FakeKernel32()
    declare(user32, kernel32)
    assert user32.GetLastInputInfo.argtypes == [ctypes.POINTER(LASTINPUTINFO)]
    assert kernel32.GetTickCount64.restype is ctypes.c_uint64
    return user32, kernel32


def test_windows_idle(libs: tuple[FakeUser32, FakeKernel32]) -> None:
    user32, kernel32 = libs
    kernel32.ticks, user32.last_input = 100_000, 95_500
    idle = WindowsIdle.probe(lambda: libs)
    assert idle.idle_seconds() == 4.5
    user32.fail = True
    assert idle.idle_seconds() == 0.0 and idle.problem is not None


def test_windows_idle_across_the_32_bit_tick_wrap() -> None:
    assert idle_ms(2**32 - 1000, 2**32 + 500) == 1500  # last input before the wrap
    assert idle_ms(500, 3 * 2**32 + 2500) == 2000  # 64-bit now, many wraps later
    assert idle_ms(7, 7) == 0


def test_windows_idle_rejected_outside_an_interactive_session(
    libs: tuple[FakeUser32, FakeKernel32],
) -> None:
    libs[0].fail = True
    with pytest.raises(Unavailable, match="GetLastInputInfo failed"):
        WindowsIdle.probe(lambda: libs)


def test_windows_rejected_on_other_systems() -> None:
    with pytest.raises(Unavailable, match="not Windows"):
        WindowsIdle.probe()


def test_windows_lock(libs: tuple[FakeUser32, FakeKernel32]) -> None:
    user32, _ = libs
    lock = WindowsLock.probe(lambda: libs)
    assert lock.is_locked() is False
    assert user32.closed == [0x42, 0x42]  # probe and reading each close the handle
    user32.locked = True
    assert lock.is_locked() is True


def test_windows_sleep_clocks(libs: tuple[FakeUser32, FakeKernel32]) -> None:
    _, kernel32 = libs
    pair = windows_clocks(lambda: libs)
    assert pair is not None
    detector = SleepDetector(pair)
    kernel32.ticks += 60_000  # one minute awake
    kernel32.unbiased += 60 * 10**7
    assert detector.check() == 0.0
    kernel32.ticks += 3_600_000  # an hour asleep: only the tick count moves
    assert detector.check() == pytest.approx(3600)


def test_windows_clocks_absent_elsewhere() -> None:
    assert windows_clocks() is None


class FakeCoreGraphics:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.args: list[tuple[int, int]] = []

        def since(state: int, event_type: int) -> float:
            self.args.append((state, event_type))
            return self.seconds

        self.CGEventSourceSecondsSinceLastEventType = Fn(since)


def test_macos_idle() -> None:
    cg = FakeCoreGraphics(12.5)
    fn = load_quartz(lambda path: cg, platform="darwin")
    assert fn.restype is ctypes.c_double
    assert fn.argtypes == [ctypes.c_int32, ctypes.c_uint32]
    idle = MacIdle.probe(lambda: fn)
    assert idle.idle_seconds() == 12.5
    assert cg.args[-1] == (HID_SYSTEM_STATE, ANY_INPUT_EVENT) == (1, 0xFFFFFFFF)
    cg.seconds = float("nan")
    assert idle.idle_seconds() == 0.0 and idle.problem is not None


def test_macos_tries_application_services_when_core_graphics_is_missing() -> None:
    cg = FakeCoreGraphics(1.0)
    tried: list[str] = []

    def load(path: str) -> Any:
        tried.append(path)
        if "CoreGraphics.framework" in path:
            raise OSError("not found")
        return cg

    load_quartz(load, platform="darwin")
    assert tried[-1].endswith("ApplicationServices")


def test_macos_rejected_elsewhere() -> None:
    with pytest.raises(Unavailable, match="not macOS"):
        load_quartz(platform="linux")
    with pytest.raises(Unavailable, match="CoreGraphics not found"):
        load_quartz(lambda path: object(), platform="darwin")
