"""The notification fallback chain, with a fake notification service on a private bus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coach.notify import DBusNotifier, NotifierChain, PlyerNotifier, system_notifiers
from coach.platform.base import Unavailable
from coach.platform.dbus_call import BusCaller
from tests.fakes.platform_procs import FakeService, PrivateBus

NOTIFY = "/org/freedesktop/Notifications|org.freedesktop.Notifications|Notify"


class Broken:
    name = "broken"

    def __init__(self) -> None:
        self.tries = 0

    def notify(self, title: str, body: str) -> None:
        self.tries += 1
        raise NotImplementedError("no backend")


class Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def notify(self, title: str, body: str) -> None:
        self.seen.append((title, body))


@pytest.fixture
def bus() -> Iterator[PrivateBus]:
    b = PrivateBus()
    yield b
    b.stop()


def test_chain_falls_through_and_gives_up_on_a_broken_backend() -> None:
    broken, recorder = Broken(), Recorder()
    chain = NotifierChain([broken, recorder])
    for _ in range(5):
        assert chain.notify("A break is coming", "in a minute") == "recorder"
    assert broken.tries == 3  # skipped after three failures in a row
    assert len(recorder.seen) == 5


def test_chain_with_nothing_working_returns_none() -> None:
    assert NotifierChain([Broken()]).notify("t", "b") is None


def test_dbus_notifier_reaches_the_notification_service(bus: PrivateBus) -> None:
    fake = FakeService(
        bus.address,
        {
            "names": ["org.freedesktop.Notifications"],
            "methods": {NOTIFY: {"sig": "u", "value": [7]}},
        },
    )
    chain = NotifierChain([DBusNotifier(BusCaller.session(bus.env()))])
    try:
        assert chain.notify("A break is coming", "Finish your sentence") == "dbus"
        (args,) = [a for member, a in fake.calls() if member == "Notify"]
        assert args[0] == "Coach" and args[3:5] == ["A break is coming", "Finish your sentence"]
    finally:
        chain.close()
        fake.stop()


def test_service_gone_falls_back_to_the_next_backend(bus: PrivateBus) -> None:
    recorder = Recorder()
    chain = NotifierChain([DBusNotifier(BusCaller.session(bus.env())), recorder])
    assert chain.notify("t", "b") == "recorder"  # no notification daemon on this bus
    chain.close()


def test_plyer_is_not_used_on_linux_without_notify_send_or_bus() -> None:
    with pytest.raises(Unavailable):
        PlyerNotifier(env={}, platform="linux")
    assert [n.name for n in system_notifiers(env={})] == []
