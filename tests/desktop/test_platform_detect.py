"""detect(): choosing adapters once, combining them into Samples, reporting for `coach doctor`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach import i18n
from coach.core.sample import Sample
from coach.platform import IdleSource, LockSource, Platform, PresenceSignal, detect
from coach.platform.base import Choice
from coach.platform.sleep import ClockPair, SleepDetector
from tests.fakes.platform_procs import DeviceHolder, FakeService, PrivateBus, xvfb
from tests.fakes.platform_xprops import XProps


class Clocks:
    def __init__(self) -> None:
        self.total = 100.0
        self.awake = 100.0

    def pair(self) -> ClockPair:
        return ClockPair("fake clocks", lambda: self.total, lambda: self.awake)


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def no_devices(tmp_path: Path) -> dict[str, Any]:
    return {
        "camera_globs": [str(tmp_path / "video*")],
        "microphone_globs": [str(tmp_path / "pcmC*D*c")],
    }


def bare_env(tmp_path: Path) -> dict[str, str]:
    """No display, no session bus, and a system bus socket that does not exist."""
    return {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-system-bus"}


def by_family(platform: Platform) -> dict[str, Choice]:
    return {c.family: c for c in platform.report()}


def test_nothing_available_falls_back_honestly(
    tmp_path: Path, clocks: Clocks, no_devices: dict[str, Any]
) -> None:
    platform = detect(bare_env(tmp_path), "linux", clocks=clocks.pair(), **no_devices)
    try:
        report = by_family(platform)
        idle = report["idle source"]
        assert idle.active == "fallback"
        assert idle.meaning == (
            "Coach cannot see keyboard or mouse activity here, "
            "so it counts all unlocked time as sitting."
        )
        assert {t.name: t.reason for t in idle.tried} == {
            "wayland-ext-idle-notify": "not a Wayland session (WAYLAND_DISPLAY unset)",
            "gnome-mutter-watches": "no session bus (DBUS_SESSION_BUS_ADDRESS unset)",
            "gnome-mutter": "no session bus (DBUS_SESSION_BUS_ADDRESS unset)",
            "kde-screensaver": "not a KDE session (XDG_CURRENT_DESKTOP=unset); "
            "elsewhere GetSessionIdleTime differs in units or meaning",
            "x11-xscreensaver": "no X display (DISPLAY unset)",
        }
        assert report["screen lock"].active == "none"
        assert "cannot connect to the system bus" in report["screen lock"].tried[-1].reason
        assert report["fullscreen"].active == "none"
        assert report["camera"].active == "proc-fd-scan"  # /proc works; no camera right now
        assert report["camera"].now == "not in use"
        assert report["idle inhibitor"].active == "none"
        assert report["return watch"].active == "none"
        assert report["return watch"].tried[-1].reason == "no X display (DISPLAY unset)"
        assert report["sleep detection"].active == "fake clocks"
        assert platform.idle_fallback and platform.wake_fd is None
        assert platform.sample(0.0) == Sample(idle_s=0.0)
    finally:
        platform.close()
        platform.close()


def test_report_lines_and_json(tmp_path: Path, clocks: Clocks, no_devices: dict[str, Any]) -> None:
    platform = detect(bare_env(tmp_path), "linux", clocks=clocks.pair(), **no_devices)
    lines = platform.report_lines()
    assert lines[:3] == [
        "idle source: fallback",
        "  Coach cannot see keyboard or mouse activity here, so it counts all unlocked time as "
        "sitting.",
        "  now: last input 0 s ago",
    ]
    assert "  not x11-xscreensaver: no X display (DISPLAY unset)" in lines
    data = json.loads(json.dumps(platform.as_dict()))
    assert [f["family"] for f in data["families"]] == [
        "idle source",
        "screen lock",
        "fullscreen",
        "camera",
        "microphone",
        "idle inhibitor",
        "do not disturb",
        "new screen",
        "return watch",
        "sleep detection",
    ]
    platform.close()


def test_report_in_dutch_keeps_names_and_json_keys(
    tmp_path: Path, clocks: Clocks, no_devices: dict[str, Any]
) -> None:
    i18n.use("nl")
    try:
        platform = detect(bare_env(tmp_path), "linux", clocks=clocks.pair(), **no_devices)
        lines = platform.report_lines()
        data = json.loads(json.dumps(platform.as_dict()))
        platform.close()
    finally:
        i18n.use("en")
    assert lines[:3] == [
        "inactieve tijd: fallback",
        "  Coach kan hier geen toetsenbord- of muisactiviteit zien en telt daarom alle "
        "ontgrendelde tijd als zitten.",
        "  nu: laatste invoer 0 s geleden",
    ]
    assert "  niet x11-xscreensaver: geen X-display (DISPLAY niet ingesteld)" in lines
    assert "schermvergrendeling: geen" in lines
    idle = data["families"][0]
    assert set(idle) == {"family", "active", "meaning", "tried", "now", "problem"}
    assert (idle["family"], idle["active"]) == ("idle source", "fallback")
    assert {
        "name": "x11-xscreensaver",
        "reason": "geen X-display (DISPLAY niet ingesteld)",
    } in idle["tried"]
    assert data["families"][1]["active"] == "none"


@pytest.mark.parametrize(("os_name", "reason"), [("win32", "not Windows"), ("darwin", "not macOS")])
def test_other_oses_fall_back_when_their_calls_are_missing(
    os_name: str, reason: str, clocks: Clocks
) -> None:
    platform = detect({}, os_name, clocks=clocks.pair())
    report = by_family(platform)
    assert report["idle source"].active == "fallback"
    assert reason in report["idle source"].tried[0].reason
    assert report["camera"].tried[0].reason == "not written for this OS yet"
    assert report["return watch"].tried[0].reason == "not written for this OS yet"
    platform.close()


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb() as name:
        yield name


def test_x11_session_uses_xscreensaver(
    tmp_path: Path, display: str, clocks: Clocks, no_devices: dict[str, Any]
) -> None:
    env = {**bare_env(tmp_path), "DISPLAY": display}
    platform = detect(env, "linux", clocks=clocks.pair(), **no_devices)
    report = by_family(platform)
    assert report["idle source"].active == "x11-xscreensaver"
    assert "no EWMH window manager" in report["fullscreen"].tried[0].reason
    assert report["return watch"].active == "x11-sync-idletime"
    assert report["return watch"].now == "armed"
    assert not platform.idle_fallback and platform.wake_fd is not None
    assert platform.sample(0.0).idle_s < 60
    platform.close()


MUTTER = "/org/gnome/Mutter/IdleMonitor/Core|org.gnome.Mutter.IdleMonitor|GetIdletime"
INHIBITED = "/org/gnome/SessionManager|org.gnome.SessionManager|IsInhibited"
LOCKED = "/org/freedesktop/login1/session/auto|org.freedesktop.login1.Session|LockedHint"


def test_a_gnome_like_session_end_to_end(tmp_path: Path, display: str, clocks: Clocks) -> None:
    """Fake GNOME + logind services, an EWMH root window and a camera held open."""
    bus = PrivateBus()
    gnome = FakeService(
        bus.address,
        {
            "names": ["org.gnome.Mutter.IdleMonitor", "org.gnome.SessionManager"],
            "methods": {
                MUTTER: {"sig": "t", "value": [7000]},
                INHIBITED: {"sig": "b", "value": [False]},
            },
        },
    )
    logind = FakeService(
        bus.address,
        {"names": ["org.freedesktop.login1"], "properties": {LOCKED: {"sig": "b", "value": False}}},
    )
    wm = XProps(display)
    wm.set_atoms(wm.dpy.root, "_NET_SUPPORTED", ["_NET_ACTIVE_WINDOW"])
    video = tmp_path / "video0"
    video.write_bytes(b"")
    holder: DeviceHolder | None = None
    env = {**bus.env(), "DISPLAY": display, "XDG_CURRENT_DESKTOP": "GNOME"}
    platform = detect(
        env,
        "linux",
        clocks=clocks.pair(),
        camera_globs=[str(tmp_path / "video*")],
        microphone_globs=[str(tmp_path / "pcmC*D*c")],
    )
    try:
        report = by_family(platform)
        assert report["idle source"].active == "gnome-mutter"  # this fake has no watches
        watches = "org.gnome.Mutter.IdleMonitor refused AddIdleWatch: "
        assert {t.name: t.reason for t in report["idle source"].tried} == {
            "wayland-ext-idle-notify": "not a Wayland session (WAYLAND_DISPLAY unset)",
            "gnome-mutter-watches": watches + "org.freedesktop.DBus.Error.UnknownMethod",
        }
        assert report["screen lock"].active == "logind"
        assert [t.name for t in report["screen lock"].tried] == [
            "freedesktop-screensaver",
            "gnome-screensaver",
        ]
        assert report["fullscreen"].active == "x11-fullscreen"
        assert report["idle inhibitor"].active == "gnome-inhibitor"
        assert isinstance(platform.idle, IdleSource)
        assert isinstance(platform.lock, LockSource)
        assert all(isinstance(s, PresenceSignal) for s in platform.signals.values())

        t = 0.0
        assert platform.sample(t) == Sample(idle_s=7.0)

        gnome.set("methods", INHIBITED, {"sig": "b", "value": [True]})
        t += 5
        assert platform.sample(t) == Sample(idle_s=7.0, presence=True, busy=True)

        gnome.set("methods", INHIBITED, {"sig": "b", "value": [False]})
        win = wm.window()
        wm.set_window(wm.dpy.root, "_NET_ACTIVE_WINDOW", win)
        wm.set_atoms(win, "_NET_WM_STATE", ["_NET_WM_STATE_FULLSCREEN"])
        t += 5
        assert platform.sample(t) == Sample(idle_s=7.0, presence=True, busy=True)

        wm.set_atoms(win, "_NET_WM_STATE", [])
        holder = DeviceHolder(video)
        t += 5
        assert platform.sample(t) == Sample(idle_s=7.0, presence=True, busy=True)
        now = by_family(platform)["camera"].now or ""
        assert now.startswith("in use by python") and now.endswith(f"(pid {holder.pid})")
        holder.stop()
        holder = None

        logind.set("properties", LOCKED, {"sig": "b", "value": True})
        clocks.total += 600  # the machine slept ten minutes
        t += 5
        assert platform.sample(t) == Sample(idle_s=7.0, locked=True, asleep=True)

        gnome.stop()  # GNOME Shell crashed: safe values, no exception, a problem in the report
        logind.stop()
        t += 5
        assert platform.sample(t) == Sample(idle_s=0.0)
        report = by_family(platform)
        assert (
            report["idle source"].problem == "org.gnome.Mutter.IdleMonitor not on the session bus"
        )
        assert report["screen lock"].problem == "org.freedesktop.login1 not on the system bus"
    finally:
        if holder is not None:
            holder.stop()
        platform.close()
        wm.set_atoms(wm.dpy.root, "_NET_SUPPORTED", [])
        wm.close()
        gnome.stop()
        logind.stop()
        bus.stop()


class Signal:
    def __init__(self, name: str, kind: str, interval_s: float) -> None:
        self.name = name
        self.kind = kind
        self.interval_s = interval_s
        self.meaning = name
        self.problem = None
        self.on = False
        self.reads = 0

    def active(self) -> bool:
        self.reads += 1
        return self.on

    def close(self) -> None:
        pass


class Broken:
    name = "broken"
    meaning = "raises"
    problem = None

    def idle_seconds(self) -> float:
        raise RuntimeError("adapter bug")

    def is_locked(self) -> bool:
        raise RuntimeError("adapter bug")

    def close(self) -> None:
        pass


def test_presence_signals_are_paced_by_now_mono(clocks: Clocks) -> None:
    from coach.platform.fallback import FallbackIdle, NoLock

    camera = Signal("camera", "busy", 5.0)
    inhibitor = Signal("inhibitor", "presence", 10.0)
    platform = Platform(
        FallbackIdle(),
        NoLock(),
        [("camera", camera), ("inhibitor", inhibitor)],
        SleepDetector(clocks.pair()),
        [],
    )
    for t in range(0, 30):
        platform.sample(float(t))
    assert camera.reads == 6 and inhibitor.reads == 3
    camera.on = True
    assert platform.sample(30.0).busy is True
    camera.on = False
    assert platform.sample(31.0).busy is True  # remembered until the next read is due
    assert platform.sample(35.0).busy is False


def test_a_raising_adapter_never_breaks_the_tick(
    clocks: Clocks, caplog: pytest.LogCaptureFixture
) -> None:
    bad_signal = Signal("bad", "busy", 1.0)
    bad_signal.active = lambda: 1 / 0  # type: ignore[method-assign,assignment,return-value]
    platform = Platform(Broken(), Broken(), [("bad", bad_signal)], SleepDetector(clocks.pair()), [])
    for t in range(3):
        assert platform.sample(float(t)) == Sample(idle_s=0.0)
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 3  # idle, lock, signal: once each


class CountedIdle:
    name = "counted"
    meaning = "counts its queries"
    problem = None

    def __init__(self) -> None:
        self.idle_s = 0.0
        self.reads = 0

    def idle_seconds(self) -> float:
        self.reads += 1
        return self.idle_s

    def close(self) -> None:
        pass


class Watch:
    """A return watch armed after 60 s without input; `returns` is its waiting news."""

    name = "watch"
    meaning = "tells returns"
    problem = None
    after_s = 60.0

    def __init__(self) -> None:
        self.returns = 0

    def fileno(self) -> int:
        return 0

    def queued(self) -> bool:
        return False

    def drain(self) -> int:
        news, self.returns = self.returns, 0
        return news

    def close(self) -> None:
        pass


def test_no_idle_query_while_away_until_the_watch_reports_a_return(clocks: Clocks) -> None:
    """Away with an armed watch, the idle time goes on from the last reading (no X round
    trip per tick); a return, a sleep or AWAY_REREAD_S without a reading ask again."""
    from coach.platform.fallback import NoLock
    from coach.platform.sampler import AWAY_REREAD_S

    idle, watch = CountedIdle(), Watch()
    platform = Platform(idle, NoLock(), [], SleepDetector(clocks.pair()), [], watch=watch)
    idle.idle_s = 3.0
    assert [platform.sample(t).idle_s for t in (0.0, 5.0)] == [3.0, 3.0]
    assert idle.reads == 2  # working: every tick asks
    idle.idle_s = 61.0
    assert platform.sample(10.0).idle_s == 61.0
    assert [platform.sample(10.0 + t).idle_s for t in (15, 30, 45)] == [76.0, 91.0, 106.0]
    assert idle.reads == 3  # away: no query since the reading that passed 60 s

    watch.returns, idle.idle_s = 1, 0.5  # the user is back
    assert platform.sample(60.0).idle_s == 0.5 and idle.reads == 4

    idle.idle_s = 100.0
    platform.sample(100.0)
    assert platform.sample(100.0 + AWAY_REREAD_S - 1).idle_s == 100.0 + AWAY_REREAD_S - 1
    assert idle.reads == 5
    platform.sample(100.0 + AWAY_REREAD_S)  # no news for that long: read anyway
    assert idle.reads == 6

    clocks.total += 600  # the machine slept (the monotonic clock did not move)
    platform.sample(100.0 + AWAY_REREAD_S + 15)
    assert idle.reads == 7
