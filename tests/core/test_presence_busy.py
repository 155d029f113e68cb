"""Busy signals ("not now": the break waits), each against a service on a private bus with
the real interface names, and end to end: the real platform layer feeds the service on a
FakeClock while the user keeps typing; the break waits while the signal holds and comes
within a minute after it ends."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from coach.config.settings import Settings
from coach.core import events as ev
from coach.core.clock import FakeClock
from coach.core.events import Event
from coach.history.store import Store
from coach.platform import Platform, detect
from coach.platform.base import Unavailable
from coach.platform.busy import GnomeDoNotDisturb, LogindIdleInhibitors, NotificationsInhibited
from coach.platform.dbus_call import BusCaller
from coach.platform.fallback import FallbackIdle, NoLock
from coach.platform.sleep import ClockPair, SleepDetector
from coach.platform.windows_busy import Quns, WindowsNotificationState
from coach.service import CoachService
from tests.fakes.picker import TierPicker
from tests.fakes.platform_procs import FakeService, PrivateBus

TICK_S = 5.0
SETTINGS = Settings(micro_every_min=1, exercise_every_min=30)  # a short break after 60 s
BUSY_FROM, BUSY_UNTIL, END = 25.0, 200.0, 260.0

NOTIFY = "/org/freedesktop/Notifications|org.freedesktop.Notifications|Inhibited"
PORTAL = "/org/freedesktop/portal/desktop|org.freedesktop.portal.Settings|ReadOne"
INHIBITED = "/org/gnome/SessionManager|org.gnome.SessionManager|IsInhibited"
LOGIND = "/org/freedesktop/login1|org.freedesktop.login1.Manager|ListInhibitors"


def logind_list(*entries: tuple[str, str, str, str, int]) -> dict[str, Any]:
    return {"sig": "a(ssssuu)", "value": [[[*e, 4242] for e in entries]]}


def banners(show: bool) -> dict[str, Any]:
    return {"sig": "v", "value": [["b", show]]}


ME = os.getuid()
# (family, adapter, bus name, key, value while off, value while on)
SIGNALS = [
    ("do not disturb", "notifications-inhibited", "org.freedesktop.Notifications",
     ("properties", NOTIFY), {"sig": "b", "value": False}, {"sig": "b", "value": True}),
    ("do not disturb", "gnome-do-not-disturb", "org.freedesktop.portal.Desktop",
     ("methods", PORTAL), banners(True), banners(False)),
    ("idle inhibitor", "gnome-inhibitor", "org.gnome.SessionManager",
     ("methods", INHIBITED), {"sig": "b", "value": [False]}, {"sig": "b", "value": [True]}),
    ("idle inhibitor", "logind-inhibitors", "org.freedesktop.login1",
     ("methods", LOGIND),
     logind_list(("sleep", "updater", "installing", "delay", ME)),
     logind_list(("idle:sleep", "zoom", "call in progress", "block", ME))),
]  # fmt: skip


@pytest.fixture
def bus() -> Iterator[PrivateBus]:
    b = PrivateBus()
    yield b
    b.stop()


def run_day(
    tmp_path: Path,
    clock: FakeClock,
    platform: Platform,
    before_tick: Callable[[float], None],
    advance: Callable[[float], None] | None = None,
) -> list[Event]:
    """Tick every 5 s from 0 to END on `clock`; `before_tick(t)` plays the user and the
    signal first; `advance` moves the clock (and whatever runs on it). Returns the
    events, timed from the start."""
    store = Store.open(tmp_path / "coach.sqlite3")
    service = CoachService(SETTINGS, store, clock, TierPicker())
    origin = clock.mono()
    events: list[Event] = []
    t = 0.0
    try:
        while t <= END:
            before_tick(t)
            events += service.tick(platform.sample(clock.mono()))
            (advance or clock.advance)(TICK_S)
            t += TICK_S
    finally:
        service.finish()
        store.close()
    return relative(events, origin)


def holding(begin: Callable[[], None], end: Callable[[], None]) -> Callable[[float], None]:
    """`begin()` the signal at BUSY_FROM and `end()` it at BUSY_UNTIL."""

    def before_tick(t: float) -> None:
        if t == BUSY_FROM:
            begin()
        if t == BUSY_UNTIL:
            end()

    return before_tick


def relative(events: list[Event], origin: float) -> list[Event]:
    """The events timed from `origin`."""
    return [replace(e, at=e.at - origin) for e in events]


def prompts(events: list[Event]) -> tuple[list[Event], list[ev.BreakDue]]:
    """Everything that shows (heads-ups and breaks), and the breaks."""
    due = [e for e in events if isinstance(e, ev.BreakDue)]
    return [e for e in events if isinstance(e, ev.BreakDue | ev.HeadsUp)], due


def assert_waited_then_shown(events: list[Event], holds_from: float = BUSY_FROM) -> None:
    shows, due = prompts(events)
    assert all(not holds_from <= e.at < BUSY_UNTIL for e in shows)  # nothing while busy
    [shown] = due
    assert 0 <= shown.at - BUSY_UNTIL <= 60  # within a minute after it ended
    assert shown.sat_s >= BUSY_UNTIL - TICK_S  # the sitting went on counting


@pytest.mark.parametrize("spec", SIGNALS, ids=[s[1] for s in SIGNALS])
def test_each_busy_signal_holds_the_break_until_it_ends(
    bus: PrivateBus, tmp_path: Path, spec: tuple[Any, ...]
) -> None:
    family, name, bus_name, (kind, key), off, on = spec
    service = FakeService(bus.address, {"names": [bus_name], kind: {key: off}})
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    pair = ClockPair("fake", clock.mono, clock.mono)
    platform = detect(bus.env(), "linux", clocks=pair, proc_root=str(tmp_path))
    try:
        assert platform.signals[family].name == name, platform.report_lines()
        assert platform.signals[family].kind == "busy"
        signal = holding(lambda: service.set(kind, key, on), lambda: service.set(kind, key, off))
        events = run_day(tmp_path, clock, platform, signal)
    finally:
        platform.close()
        service.stop()
    assert_waited_then_shown(events)


def test_a_service_that_disappears_reads_as_not_busy(bus: PrivateBus) -> None:
    service = FakeService(
        bus.address,
        {
            "names": ["org.freedesktop.Notifications"],
            "properties": {NOTIFY: {"sig": "b", "value": True}},
        },
    )
    caller = BusCaller.session(bus.env())
    dnd = NotificationsInhibited.probe(caller)
    try:
        assert dnd.active() is True
        service.stop()  # the notification server crashed
        assert dnd.active() is False
        assert dnd.problem == "org.freedesktop.Notifications not on the session bus"
    finally:
        caller.close()


def test_a_server_without_inhibited_is_not_used(bus: PrivateBus) -> None:
    service = FakeService(bus.address, {"names": ["org.freedesktop.Notifications"]})
    caller = BusCaller.session(bus.env())
    try:
        with pytest.raises(
            Unavailable, match="has no property org.freedesktop.Notifications.Inhibited"
        ):
            NotificationsInhibited.probe(caller)
        with pytest.raises(
            Unavailable, match="org.freedesktop.portal.Desktop not on the session bus"
        ):
            GnomeDoNotDisturb.probe(caller)
    finally:
        caller.close()
        service.stop()


def test_gnome_do_not_disturb_through_an_older_portal(bus: PrivateBus) -> None:
    """Portals before settings version 2 (Debian 12's) have Read, not ReadOne."""
    read = PORTAL.replace("|ReadOne", "|Read")
    service = FakeService(
        bus.address,
        {
            "names": ["org.freedesktop.portal.Desktop"],
            "methods": {read: {"sig": "v", "value": [["v", ["b", False]]]}},
        },
    )
    caller = BusCaller.session(bus.env())
    try:
        dnd = GnomeDoNotDisturb.probe(caller)
        assert dnd.active() is True  # banners off
        service.set("methods", read, {"sig": "v", "value": [["v", ["b", True]]]})
        assert dnd.active() is False
    finally:
        caller.close()
        service.stop()


def test_logind_counts_only_our_idle_blocks(bus: PrivateBus) -> None:
    others = logind_list(
        ("idle", "someone-else", "their call", "block", ME + 1),
        ("idle", "a-player", "video", "delay", ME),
        ("shutdown:sleep", "packagekit", "update", "block", ME),
    )
    service = FakeService(
        bus.address, {"names": ["org.freedesktop.login1"], "methods": {LOGIND: others}}
    )
    caller = BusCaller.system(bus.env())
    try:
        logind = LogindIdleInhibitors.probe(caller)
        assert logind.active() is False
        service.set("methods", LOGIND, logind_list(("idle", "obs", "recording", "block", ME)))
        assert logind.active() is True and logind.holders == ["obs (recording)"]
    finally:
        caller.close()
        service.stop()


class FakeShell32:
    """SHQueryUserNotificationState as the Win32 documentation describes it."""

    def __init__(self) -> None:
        self.state = int(Quns.ACCEPTS_NOTIFICATIONS)
        self.result = 0

    def SHQueryUserNotificationState(self, ptr: Any) -> int:  # noqa: N802 (Win32 name)
        ptr._obj.value = self.state
        return self.result


def test_windows_presentation_and_fullscreen_are_busy() -> None:
    shell32 = FakeShell32()
    signal = WindowsNotificationState.probe(lambda: shell32)
    assert signal.active() is False
    for state in (Quns.PRESENTATION_MODE, Quns.BUSY, Quns.RUNNING_D3D_FULL_SCREEN, Quns.APP):
        shell32.state = int(state)
        assert signal.active() is True, state
    shell32.state = int(Quns.QUIET_TIME)  # the first hour after installing: not a meeting
    assert signal.active() is False
    shell32.result = -2147467259  # E_FAIL
    assert signal.active() is False
    assert signal.problem == "SHQueryUserNotificationState failed (0x80004005)"
    with pytest.raises(Unavailable, match="not Windows"):
        WindowsNotificationState.probe()


def test_windows_presentation_holds_the_break_until_it_ends(tmp_path: Path) -> None:
    shell32 = FakeShell32()
    signal = WindowsNotificationState.probe(lambda: shell32)
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    sleep = SleepDetector(ClockPair("fake", clock.mono, clock.mono))
    platform = Platform(FallbackIdle(), NoLock(), [("fullscreen", signal)], sleep, [])

    def begin() -> None:
        shell32.state = int(Quns.PRESENTATION_MODE)

    def end() -> None:
        shell32.state = int(Quns.ACCEPTS_NOTIFICATIONS)

    assert_waited_then_shown(run_day(tmp_path, clock, platform, holding(begin, end)))
