"""A new, unknown screen as a busy signal, against a stand-in for /sys/class/drm (no
screens can be plugged in here): the first screens seen are the user's own, a projector
plugged in later holds breaks until it is unplugged or marked as usual."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from coach.core.clock import FakeClock
from coach.platform import detect
from coach.platform.screens import KnownScreens, NewScreen, connected
from coach.platform.sleep import ClockPair
from tests.core.test_presence_busy import (
    BUSY_FROM,
    assert_waited_then_shown,
    holding,
    run_day,
)


def edid(name: str, serial: int) -> bytes:
    """128 bytes with a monitor-name descriptor (tag 0xFC) in the first descriptor slot."""
    data = bytearray(128)
    data[0:8] = b"\x00\xff\xff\xff\xff\xff\xff\x00"
    data[12] = serial
    data[54:59] = b"\x00\x00\x00\xfc\x00"
    data[59:72] = (name.encode() + b"\n").ljust(13, b" ")
    return bytes(data)


class Drm:
    """A stand-in for /sys/class/drm with connectors that can be plugged."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()

    def plug(self, connector: str, data: bytes) -> None:
        folder = self.root / f"card0-{connector}"
        folder.mkdir(exist_ok=True)
        (folder / "status").write_text("connected\n")
        (folder / "edid").write_bytes(data)

    def unplug(self, connector: str) -> None:
        folder = self.root / f"card0-{connector}"
        folder.mkdir(exist_ok=True)
        (folder / "status").write_text("disconnected\n")
        (folder / "edid").write_bytes(b"")


def test_first_screens_are_yours_a_projector_is_not(tmp_path: Path) -> None:
    drm = Drm(tmp_path / "drm")
    drm.plug("eDP-1", edid("Laptop panel", 1))
    drm.unplug("HDMI-A-1")
    known = tmp_path / "screens.json"
    signal = NewScreen.probe(known, str(drm.root))
    assert list(json.loads(known.read_text())["screens"].values()) == ["Laptop panel (eDP-1)"]
    assert signal.active() is False
    drm.plug("HDMI-A-1", edid("EPSON PJ", 7))  # the meeting room's projector
    assert signal.active() is True
    assert [s.label for s in signal.unknown] == ["EPSON PJ (HDMI-A-1)"]
    drm.unplug("HDMI-A-1")
    assert signal.active() is False
    drm.plug("HDMI-A-1", edid("EPSON PJ", 7))  # next meeting: still not yours
    assert signal.active() is True
    KnownScreens(known).add(connected(str(drm.root)))  # coach doctor --usual-screens
    assert signal.active() is False
    drm.plug("DP-1", edid("EPSON PJ", 8))  # same model, another unit: a new screen
    assert signal.active() is True


def test_a_broken_list_is_kept_and_said(tmp_path: Path) -> None:
    drm = Drm(tmp_path / "drm")
    drm.plug("eDP-1", edid("Laptop panel", 1))
    known = tmp_path / "screens.json"
    known.write_text("{not json")
    signal = NewScreen.probe(known, str(drm.root))
    drm.plug("HDMI-A-1", edid("EPSON PJ", 7))
    assert signal.active() is False  # nothing counts as new on a list it cannot read
    assert signal.problem is not None and str(known) in signal.problem
    KnownScreens(known).add(connected(str(drm.root)))
    assert known.read_text() == "{not json"  # never overwritten


def test_without_screens_listed_it_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    platform = detect(
        {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"},
        "linux",
        clocks=ClockPair("fake", lambda: 0.0, lambda: 0.0),
        proc_root=str(tmp_path),
        known_screens=tmp_path / "screens.json",
        drm=str(tmp_path / "empty"),
    )
    try:
        [choice] = [c for c in platform.report() if c.family == "new screen"]
        assert choice.active == "none"
        assert choice.tried[0].reason == f"the kernel lists no screens in {tmp_path / 'empty'}"
    finally:
        platform.close()


def test_a_projector_holds_the_break_until_it_is_unplugged(tmp_path: Path) -> None:
    drm = Drm(tmp_path / "drm")
    drm.plug("eDP-1", edid("Laptop panel", 1))
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    platform = detect(
        {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"},
        "linux",
        clocks=ClockPair("fake", clock.mono, clock.mono),
        proc_root=str(tmp_path),
        known_screens=tmp_path / "screens.json",
        drm=str(drm.root),
    )
    try:
        assert platform.signals["new screen"].name == "new-screen"
        projector = holding(
            lambda: drm.plug("HDMI-A-1", edid("EPSON PJ", 7)), lambda: drm.unplug("HDMI-A-1")
        )
        events = run_day(tmp_path, clock, platform, projector)  # no idle source: all input
    finally:
        platform.close()
    # the signal is read every 10 s: it may take hold up to one read late
    assert_waited_then_shown(events, holds_from=BUSY_FROM + 10)
