"""ext-idle-notify-v1 for real: Debian 12's KWin run headless, input injected through
KWin's own fake-input protocol, Coach's client (pywayland) on the other end."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.platform import detect
from coach.platform.base import Unavailable
from coach.platform.sleep import ClockPair
from coach.platform.wayland import ExtIdleNotify, ScreenKeptAwake
from tests.fakes.kwin_session import FakeInput, KWin, Presenter, missing
from tests.tools import tool_missing

AFTER_S = 1.0  # KWin's idle timer runs in real time: keep the pause short


@pytest.fixture(scope="module")
def kwin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KWin]:
    gone = missing()
    if gone:
        tool_missing(f"missing for the Wayland tests: {', '.join(gone)}")
    session = KWin(tmp_path_factory.mktemp("kwin")).start()
    yield session
    session.stop()


@pytest.fixture
def user(kwin: KWin) -> Iterator[FakeInput]:
    hand = FakeInput(kwin)
    yield hand
    hand.close()


def wait_readable(fd: int, timeout_s: float) -> float | None:
    """Seconds until `fd` is readable (the compositor sent an event), or None."""
    start = time.monotonic()
    if select.select([fd], [], [], timeout_s)[0]:
        return time.monotonic() - start
    return None


def test_idle_and_return_moments_from_kwin(kwin: KWin, user: FakeInput) -> None:
    watch = ExtIdleNotify.probe(kwin.env, after_s=AFTER_S, mono=time.monotonic)
    try:
        assert watch.version == 1  # KWin 5.27 implements version 1
        watch.drain()  # the seat's greeting
        user.move()
        last_input = time.monotonic()
        # Idle: the compositor tells us AFTER_S after the last input (within a second).
        waited = wait_readable(watch.fileno(), AFTER_S + 3)
        assert waited is not None, "KWin sent no idled event"
        assert watch.drain() == 0
        idle = watch.idle_seconds()
        assert abs(idle - (time.monotonic() - last_input)) < 1.0
        assert idle >= AFTER_S
        # Return: the descriptor wakes us the moment input comes back.
        user.move()
        back = time.monotonic()
        waited = wait_readable(watch.fileno(), 3)
        assert waited is not None and waited < 1.0
        assert watch.drain() == 1
        assert watch.idle_seconds() == 0.0
        assert time.monotonic() - back < 1.0
    finally:
        watch.close()


def test_no_events_while_the_user_is_active(kwin: KWin, user: FakeInput) -> None:
    # a threshold well above the input spacing, so a loaded machine cannot make a gap
    watch = ExtIdleNotify.probe(kwin.env, after_s=3.0, mono=time.monotonic)
    try:
        watch.drain()
        woke = 0
        for _ in range(16):  # input every 0.25 s for 4 s: never idle for 3 s
            user.move()
            if select.select([watch.fileno()], [], [], 0.25)[0]:
                woke += 1
                watch.drain()
        assert woke == 0
        assert watch.idle_seconds() == 0.0
    finally:
        watch.close()


def test_version_1_honours_idle_inhibitors(kwin: KWin, user: FakeInput) -> None:
    """KWin 5.27's only notification honours inhibitors: while a window keeps the screen
    awake no idle event comes (the time counts as sitting); after it lets go, one does."""
    watch = ExtIdleNotify.probe(kwin.env, after_s=AFTER_S, mono=time.monotonic)
    presenter = Presenter(kwin)
    try:
        watch.drain()
        user.move()
        end = time.monotonic() + 3 * AFTER_S
        while (left := end - time.monotonic()) > 0:
            if wait_readable(watch.fileno(), left) is not None:
                watch.drain()
            assert watch.idle_seconds() == 0.0  # never idle while inhibited
        presenter.release()
        waited = wait_readable(watch.fileno(), AFTER_S + 3)
        assert waited is not None and abs(waited - AFTER_S) < 1.0
        assert watch.drain() == 0 and watch.idle_seconds() >= AFTER_S
    finally:
        presenter.close()
        watch.close()


def test_detect_picks_ext_idle_notify_and_says_so(kwin: KWin, tmp_path: Path) -> None:
    env = {
        **kwin.env,
        "XDG_SESSION_TYPE": "wayland",
        "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus",
        "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus",
    }
    clocks = ClockPair("test", time.monotonic, time.monotonic)
    platform = detect(env, "linux", clocks=clocks, proc_root=str(tmp_path))
    try:
        assert platform.idle.name == "wayland-ext-idle-notify"
        assert platform.watch is platform.idle  # one connection for both
        assert platform.wake_fd == platform.idle.fileno()
        text = "\n".join(platform.report_lines())
        assert "idle source: wayland-ext-idle-notify" in text
        assert "now: last input less than 60 s ago" in text  # all it can know while active
        assert "ext_idle_notifier_v1 version 1" in text
        assert "return watch: wayland-ext-idle-notify" in text
        assert (
            "not wayland-idle-inhibited: the compositor offers ext_idle_notifier_v1 version 1"
            in text
        )
        assert "An app that keeps the screen awake (a video, a presentation) counts as" in text
        assert "fullscreen: none" in text  # said in plain words, with what is used instead
    finally:
        platform.close()


def test_kept_awake_needs_version_2(kwin: KWin) -> None:
    watch = ExtIdleNotify.probe(kwin.env, after_s=AFTER_S, mono=time.monotonic)
    try:
        with pytest.raises(Unavailable, match="version 1 only"):
            ScreenKeptAwake.probe(watch)
    finally:
        watch.close()


def test_rejected_where_no_compositor_listens(tmp_path: Path) -> None:
    env = {"WAYLAND_DISPLAY": "nothing-here", "XDG_RUNTIME_DIR": str(tmp_path)}
    with pytest.raises(Unavailable, match="cannot connect to the Wayland compositor"):
        ExtIdleNotify.probe(env)
    with pytest.raises(Unavailable, match="not a Wayland session"):
        ExtIdleNotify.probe({})


def test_compositor_going_away_silences_the_descriptor(tmp_path: Path) -> None:
    if missing():
        tool_missing("KWin is not installed")
    own = KWin(tmp_path).start()
    watch = ExtIdleNotify.probe(own.env, after_s=60, mono=time.monotonic)
    try:
        own.stop()
        assert wait_readable(watch.fileno(), 5) is not None  # the hang-up
        assert watch.idle_seconds() == 0.0
        assert watch.problem is not None
        assert wait_readable(watch.fileno(), 0.2) is None  # no busy loop in the UI
    finally:
        watch.close()
        own.stop()
