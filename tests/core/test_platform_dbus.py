"""D-Bus adapters against fake services on a private bus (never the user's bus)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from coach.platform.base import Unavailable
from coach.platform.dbus_call import BusCaller
from coach.platform.dbus_idle import KdeIdle, MutterIdle
from coach.platform.inhibit import GnomeIdleInhibitor
from coach.platform.lock import LogindLock, ScreenSaverLock
from tests.fakes.platform_procs import FakeService, PrivateBus

MUTTER = "/org/gnome/Mutter/IdleMonitor/Core|org.gnome.Mutter.IdleMonitor|GetIdletime"
KDE_IDLE = "/org/freedesktop/ScreenSaver|org.freedesktop.ScreenSaver|GetSessionIdleTime"
FDO_ACTIVE = "/org/freedesktop/ScreenSaver|org.freedesktop.ScreenSaver|GetActive"
GNOME_ACTIVE = "/org/gnome/ScreenSaver|org.gnome.ScreenSaver|GetActive"
INHIBITED = "/org/gnome/SessionManager|org.gnome.SessionManager|IsInhibited"
SESSION_PATH = "/org/freedesktop/login1/session/_32"
GET_SESSION = "/org/freedesktop/login1|org.freedesktop.login1.Manager|GetSession"


def mutter_spec(ms: int) -> dict[str, Any]:
    return {
        "names": ["org.gnome.Mutter.IdleMonitor"],
        "methods": {MUTTER: {"sig": "t", "value": [ms]}},
    }


@pytest.fixture
def bus() -> Iterator[PrivateBus]:
    b = PrivateBus()
    yield b
    b.stop()


@pytest.fixture
def services(bus: PrivateBus) -> Iterator[list[FakeService]]:
    started: list[FakeService] = []
    yield started
    for s in started:
        s.stop()


def start(bus: PrivateBus, services: list[FakeService], spec: dict[str, Any]) -> FakeService:
    service = FakeService(bus.address, spec)
    services.append(service)
    return service


def test_mutter_idle_reads_milliseconds(bus: PrivateBus, services: list[FakeService]) -> None:
    fake = start(bus, services, mutter_spec(4500))
    caller = BusCaller.session(bus.env())
    idle = MutterIdle.probe(caller)
    assert idle.idle_seconds() == 4.5
    fake.set("methods", MUTTER, {"sig": "t", "value": [2**40]})  # uint64 is fine
    assert idle.idle_seconds() == 2**40 / 1000
    caller.close()


def test_mutter_rejected_when_not_on_the_bus(bus: PrivateBus) -> None:
    caller = BusCaller.session(bus.env())
    with pytest.raises(Unavailable, match="^org.gnome.Mutter.IdleMonitor not on the session bus$"):
        MutterIdle.probe(caller)
    caller.close()


def test_rejected_without_a_session_bus() -> None:
    with pytest.raises(Unavailable, match=r"no session bus \(DBUS_SESSION_BUS_ADDRESS unset\)"):
        MutterIdle.probe(env={})


def test_rejected_when_the_bus_socket_is_gone(tmp_path: Any) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}
    with pytest.raises(Unavailable, match="cannot connect to the session bus"):
        MutterIdle.probe(env=env)


def test_an_owned_bus_is_closed_when_probing_fails(bus: PrivateBus) -> None:
    with pytest.raises(Unavailable):
        MutterIdle.probe(env=bus.env())  # opens its own connection, must not leak it


def test_service_disappearing_mid_run_gives_safe_values_logs_once_and_recovers(
    bus: PrivateBus, services: list[FakeService], caplog: pytest.LogCaptureFixture
) -> None:
    fake = start(bus, services, mutter_spec(1000))
    idle = MutterIdle.probe(env=bus.env())
    assert idle.idle_seconds() == 1.0
    fake.stop()
    with caplog.at_level(logging.INFO, logger="coach.platform.dbus_idle"):
        assert [idle.idle_seconds() for _ in range(5)] == [0.0] * 5
        assert idle.problem == "org.gnome.Mutter.IdleMonitor not on the session bus"
        start(bus, services, mutter_spec(2000))
        assert idle.idle_seconds() == 2.0
        assert idle.problem is None
    assert [r.getMessage() for r in caplog.records] == [
        "GNOME idle monitor stopped working: org.gnome.Mutter.IdleMonitor not on the session bus",
        "GNOME idle monitor works again",
    ]
    idle.close()


def test_the_bus_itself_going_away_never_raises(
    bus: PrivateBus, services: list[FakeService]
) -> None:
    start(bus, services, mutter_spec(1000))
    idle = MutterIdle.probe(env=bus.env())
    assert idle.idle_seconds() == 1.0
    bus.stop()
    assert idle.idle_seconds() == 0.0
    assert idle.idle_seconds() == 0.0  # reconnecting fails fast and quietly
    assert idle.problem is not None
    idle.close()


def test_a_hung_service_times_out(bus: PrivateBus, services: list[FakeService]) -> None:
    fake = start(bus, services, mutter_spec(1000))
    idle = MutterIdle.probe(env=bus.env())
    idle._bus.timeout_s = 0.2
    fake.set("methods", MUTTER, {"hang": True})
    started = time.monotonic()
    assert idle.idle_seconds() == 0.0
    assert time.monotonic() - started < 2
    assert idle.problem == "org.gnome.Mutter.IdleMonitor did not answer within 0.2 s"
    fake.set("methods", MUTTER, {"sig": "t", "value": [3000]})
    assert idle.idle_seconds() == 3.0  # the late reply to the hung call is skipped
    idle.close()


KDE_ENV = {"XDG_CURRENT_DESKTOP": "KDE"}


def kde_spec(**entry: Any) -> dict[str, Any]:
    return {"names": ["org.freedesktop.ScreenSaver"], "methods": {KDE_IDLE: entry}}


def test_kde_idle_reads_milliseconds(bus: PrivateBus, services: list[FakeService]) -> None:
    start(bus, services, kde_spec(sig="u", value=[61000]))
    idle = KdeIdle.probe(env={**bus.env(), **KDE_ENV})
    assert idle.idle_seconds() == 61.0
    idle.close()


def test_kde_idle_is_only_trusted_in_a_kde_session(
    bus: PrivateBus, services: list[FakeService]
) -> None:
    start(bus, services, kde_spec(sig="u", value=[61000]))
    env = {**bus.env(), "XDG_CURRENT_DESKTOP": "XFCE"}
    with pytest.raises(Unavailable, match=r"not a KDE session \(XDG_CURRENT_DESKTOP=XFCE\)"):
        KdeIdle.probe(env=env)


def test_kde_idle_rejected_on_wayland(bus: PrivateBus, services: list[FakeService]) -> None:
    start(
        bus,
        services,
        kde_spec(
            error="org.freedesktop.DBus.Error.NotSupported",
            message="GetSessionIdleTime is not supported on this platform",
        ),
    )
    with pytest.raises(Unavailable, match="KDE does not report idle time on Wayland"):
        KdeIdle.probe(env={**bus.env(), **KDE_ENV})


def test_freedesktop_screensaver_lock(bus: PrivateBus, services: list[FakeService]) -> None:
    fake = start(
        bus,
        services,
        {
            "names": ["org.freedesktop.ScreenSaver"],
            "methods": {FDO_ACTIVE: {"sig": "b", "value": [False]}},
        },
    )
    lock = ScreenSaverLock.freedesktop(env=bus.env())
    assert lock.name == "freedesktop-screensaver" and lock.is_locked() is False
    fake.set("methods", FDO_ACTIVE, {"sig": "b", "value": [True]})
    assert lock.is_locked() is True
    fake.stop()
    assert lock.is_locked() is False  # safe value while the service is gone
    lock.close()


def test_gnomes_inhibit_only_freedesktop_screensaver_is_rejected(
    bus: PrivateBus, services: list[FakeService]
) -> None:
    """GNOME's org.freedesktop.ScreenSaver proxy has no GetActive."""
    start(
        bus,
        services,
        {
            "names": ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"],
            "methods": {GNOME_ACTIVE: {"sig": "b", "value": [True]}},
        },
    )
    with pytest.raises(Unavailable, match="does not answer org.freedesktop.ScreenSaver.GetActive"):
        ScreenSaverLock.freedesktop(env=bus.env())
    lock = ScreenSaverLock.gnome(env=bus.env())
    assert lock.name == "gnome-screensaver" and lock.is_locked() is True
    lock.close()


def logind_spec(locked: bool) -> dict[str, Any]:
    return {
        "names": ["org.freedesktop.login1"],
        "methods": {GET_SESSION: {"sig": "o", "value": [SESSION_PATH]}},
        "properties": {
            f"{SESSION_PATH}|org.freedesktop.login1.Session|LockedHint": {
                "sig": "b",
                "value": locked,
            },
            "/org/freedesktop/login1/session/auto|org.freedesktop.login1.Session|LockedHint": {
                "sig": "b",
                "value": locked,
            },
        },
    }


def test_logind_lock_finds_the_session_by_id(bus: PrivateBus, services: list[FakeService]) -> None:
    fake = start(bus, services, logind_spec(False))
    lock = LogindLock.probe(env={**bus.env(), "XDG_SESSION_ID": "2"})
    assert lock.path == SESSION_PATH and lock.is_locked() is False
    fake.set(
        "properties",
        f"{SESSION_PATH}|org.freedesktop.login1.Session|LockedHint",
        {"sig": "b", "value": True},
    )
    assert lock.is_locked() is True
    assert ["GetSession", ["2"]] in fake.calls()
    lock.close()


def test_logind_lock_without_a_session_id_uses_auto(
    bus: PrivateBus, services: list[FakeService]
) -> None:
    start(bus, services, logind_spec(True))
    lock = LogindLock.probe(env=bus.env())
    assert lock.path == "/org/freedesktop/login1/session/auto" and lock.is_locked() is True
    lock.close()


def test_logind_rejected_without_logind(bus: PrivateBus) -> None:
    with pytest.raises(Unavailable, match="org.freedesktop.login1 not on the system bus"):
        LogindLock.probe(env=bus.env())


def test_logind_rejected_without_locked_hint(bus: PrivateBus, services: list[FakeService]) -> None:
    spec = logind_spec(False)
    spec["properties"] = {}
    start(bus, services, spec)
    with pytest.raises(
        Unavailable, match="has no property org.freedesktop.login1.Session.LockedHint"
    ):
        LogindLock.probe(env={**bus.env(), "XDG_SESSION_ID": "2"})


def test_gnome_inhibitor_asks_about_idle_flag_8(
    bus: PrivateBus, services: list[FakeService]
) -> None:
    fake = start(
        bus,
        services,
        {
            "names": ["org.gnome.SessionManager"],
            "methods": {INHIBITED: {"sig": "b", "value": [True]}},
        },
    )
    inhibitor = GnomeIdleInhibitor.probe(env=bus.env())
    assert inhibitor.kind == "busy" and inhibitor.active() is True
    assert ["IsInhibited", [8]] in fake.calls()
    fake.stop()
    assert inhibitor.active() is False
    inhibitor.close()
