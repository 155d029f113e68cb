"""X11 for real, in virtual time: xdotool input into an Xvfb whose clock the test sets.

The X server runs under libfaketime with a frozen clock that moves only when the
test moves it, in step with the service's FakeClock. Five minutes of scripted
typing, pauses and time away then take a second or two: the input is real
(xdotool -> X server), XScreenSaver's idle time and the SYNC return alarm are
computed by the server, and the real platform layer and service count them.
"""

from __future__ import annotations

import glob
import os
import select
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from coach.config.settings import Settings
from coach.core import events as ev
from coach.core.clock import FakeClock
from coach.core.events import Event
from coach.history.stats import day_stats
from coach.history.store import Store
from coach.platform import Platform, detect
from coach.platform.base import Unavailable
from coach.platform.sleep import ClockPair
from coach.platform.x11 import XScreenSaverIdle
from coach.platform.xsync import XSyncReturnWatch
from coach.service import CoachService
from coach.ui.app import ACTIVE_TICK_MS, AWAY_TICK_MS, return_watch_after_s
from tests.fakes.picker import TierPicker
from tests.fakes.platform_procs import WAIT_S, poll_until, stop
from tests.tools import require, tool_missing

START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
ORIGIN = 1000.0  # FakeClock's monotonic reading at the start
ACTIVE_TICK_S = ACTIVE_TICK_MS / 1000
AWAY_TICK_S = AWAY_TICK_MS / 1000
TOLERANCE_S = 2.0


def _libfaketime() -> str | None:
    found = glob.glob("/usr/lib/*/faketime/libfaketime.so.1")
    found += glob.glob("/usr/lib/faketime/libfaketime.so.1")
    return found[0] if found else None


class VirtualXServer:
    """Xvfb on a frozen clock the test sets (libfaketime), fed input with xdotool."""

    def __init__(self, workdir: Path) -> None:
        lib = _libfaketime()
        if lib is None:
            tool_missing("libfaketime is not installed")
        require("Xvfb", "xdotool")
        self._time_file = workdir / "x-server-time"
        self.now = 0.0
        self.set_time(0.0)
        env = {
            **os.environ,
            "LD_PRELOAD": lib,
            "FAKETIME_TIMESTAMP_FILE": str(self._time_file),
            "FAKETIME_NO_CACHE": "1",  # read the file at every clock call
            "TZ": "UTC",
        }
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            if not select.select([pipe], [], [], WAIT_S)[0]:
                stop(self.proc)
                raise TimeoutError("Xvfb did not report a display number")
            self.display = ":" + pipe.readline().strip()
        self.env = {"DISPLAY": self.display}
        self._observer = XScreenSaverIdle.probe(self.env)  # its own connection
        self._inputs = 0

    def set_time(self, seconds: float) -> None:
        """Move the server's clock to `seconds` after the start (atomically)."""
        stamp = START + timedelta(seconds=seconds)
        text = stamp.strftime("%Y-%m-%d %H:%M:%S.%f") + "\n"
        tmp = self._time_file.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, self._time_file)
        self.now = seconds

    def input(self) -> None:
        """One keypress or mouse move now; returns once the server has counted it."""
        self._inputs += 1
        n = self._inputs
        args = ["key", "shift"] if n % 2 else ["mousemove", str(10 + n % 3), "20"]
        subprocess.run(
            ["xdotool", *args],
            env={**os.environ, **self.env},
            check=True,
            timeout=WAIT_S,
            capture_output=True,
        )
        # The clock is frozen, so the idle time reads exactly 0 once the input is in.
        assert poll_until(lambda: self._observer.idle_seconds() == 0.0), "input not seen"

    def stop(self) -> None:
        self._observer.close()
        stop(self.proc)


@pytest.fixture
def xserver(tmp_path: Path) -> Iterator[VirtualXServer]:
    server = VirtualXServer(tmp_path)
    yield server
    server.stop()


class AppLoop:
    """CoachApp's loop without Qt: one tick at start, every 5 s while active and 15 s
    while away, and at once when the platform's wake descriptor turns readable."""

    def __init__(
        self, server: VirtualXServer, platform: Platform, service: CoachService, clock: FakeClock
    ) -> None:
        self.server = server
        self.platform = platform
        self.service = service
        self.clock = clock
        self.t = 0.0
        self.next_tick = 0.0
        self.ticks: list[float] = []
        self.wake_ticks: list[float] = []
        self.events: list[Event] = []

    def goto(self, t: float) -> None:
        assert t >= self.t
        self.clock.advance(t - self.t)
        self.server.set_time(t)
        self.t = t

    def tick(self) -> None:
        sample = self.platform.sample(self.clock.mono())
        self.events += self.service.tick(sample)
        status = self.service.status()
        away = status.away_s > 0 and status.break_id is None
        self.next_tick = self.t + (AWAY_TICK_S if away else ACTIVE_TICK_S)
        self.ticks.append(self.t)

    def woke(self, wait_s: float) -> bool:
        fd = self.platform.wake_fd
        assert fd is not None
        return poll_until(lambda: bool(select.select([fd], [], [], 0)[0]), timeout_s=wait_s)

    def run(self, inputs: list[float], end: float, watch_after_s: float) -> None:
        self.tick()
        previous = 0.0
        for at in inputs:
            while self.next_tick <= at:
                self.goto(self.next_tick)
                self.tick()
            self.goto(at)
            self.server.input()
            # Give the alarm a moment to arrive where the user may be back; elsewhere
            # only look (the loop never waits on a rule's outcome, only on the X server).
            if self.woke(WAIT_S if at - previous >= watch_after_s else 0.0):
                self.wake_ticks.append(at)
                self.tick()
                assert not self.woke(0.0), "the tick must take the alarm, or the UI would spin"
            previous = at
        while self.next_tick <= end:
            self.goto(self.next_tick)
            self.tick()
        self.goto(end)
        self.service.finish()


def typing(start: float, end: float, every: float = 1.5) -> list[float]:
    """Input every `every` seconds from `start` to `end` (inclusive)."""
    out, t = [], start
    while t <= end + 1e-9:
        out.append(round(t, 3))
        t += every
    return out


@dataclass
class Truth:
    """What the rules say the script means, worked out from the input times alone."""

    bouts: list[tuple[float, float, float]]  # start, end, seconds sat
    natural_breaks: list[tuple[float, float, list[str]]]  # start, end, resets
    micro_sitting_at: list[tuple[float, float]]  # (input time, sitting since micro reset)


def truth(inputs: list[float], s: Settings) -> Truth:
    micro_reset, exercise_reset = s.micro_reset_min * 60, s.exercise_reset_min * 60
    bouts, breaks, since = [], [], [(inputs[0], 0.0)]
    start, sat, micro = inputs[0], 0.0, 0.0
    for a, b in pairwise(inputs):
        gap = b - a
        if gap < s.idle_after_s:  # a short pause is still sitting
            sat += gap
            micro += gap
        elif gap >= micro_reset:  # away long enough to count as a break
            bouts.append((start, a, sat))
            resets = ["micro"] + (["exercise"] if gap >= exercise_reset else [])
            breaks.append((a, b, sorted(resets)))
            start, sat, micro = b, 0.0, 0.0
        since.append((b, micro))
    bouts.append((start, inputs[-1], sat))
    return Truth(bouts, breaks, since)


def rel(events: list[Event], kind: type[Event]) -> list[dict[str, object]]:
    return [e.as_dict(ORIGIN) for e in events if isinstance(e, kind)]


SETTINGS = Settings(
    idle_after_s=10,  # a pause of 10 s or more is away
    micro_every_min=1.5,  # a short break after 90 s of sitting
    micro_reset_min=0.5,  # 30 s away is a short break
    exercise_every_min=8,  # far enough that the short break is not merged into one
    exercise_reset_min=1,  # 60 s away is an exercise break
)
# Five and a half minutes. Returns come just after a scheduled tick, where a poll
# alone would see them late.
SCRIPT = (
    typing(0, 60)  # typing
    + typing(68, 101)  # after an 8 s pause (shorter than idle_after_s: still sitting)
    + typing(115.5, 148.5)  # after 14.5 s away: neither sitting nor a break
    + typing(190.5, 208.5)
    + typing(215.7, 239.7)  # 42 s away (a short break); a 7.2 s pause
    + typing(310.5, 331.5)  # after 70.8 s away: an exercise break too
)
END = 335.0
WATCH_AFTER_S = return_watch_after_s(SETTINGS.idle_after_s)  # 5 s, as the app sets it


def test_five_minutes_of_real_x11_input_count_to_within_two_seconds(
    tmp_path: Path, xserver: VirtualXServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock(START, mono=ORIGIN)
    platform = detect(
        {**xserver.env, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-bus"}, "linux",
        clocks=ClockPair("fake", clock.mono, clock.mono),
        camera_globs=[str(tmp_path / "video*")], microphone_globs=[str(tmp_path / "pcm*c")],
        return_after_s=WATCH_AFTER_S,
    )  # fmt: skip
    store = Store.open(tmp_path / "coach.sqlite3")
    try:
        families = {c.family: c.active for c in platform.report()}
        assert families["idle source"] == "x11-xscreensaver"
        assert families["return watch"] == "x11-sync-idletime"
        service = CoachService(SETTINGS, store, clock, TierPicker())
        loop = AppLoop(xserver, platform, service, clock)
        threads: list[threading.Thread] = []
        monkeypatch.setattr(threading.Thread, "start", lambda self: threads.append(self))
        loop.run(SCRIPT, END, WATCH_AFTER_S)
        monkeypatch.undo()
        assert threads == []  # no thread per tick, nor any other
        want = truth(SCRIPT, SETTINGS)

        # Sitting: each bout as recorded, and the day's total as `coach stats` shows it.
        t0 = START.timestamp()
        bouts = store.conn.execute("SELECT start, end, sat_s FROM bouts ORDER BY start")
        got_bouts = [(a - t0, b - t0, sat) for a, b, sat in bouts.fetchall()]
        assert len(got_bouts) == len(want.bouts) == 3
        for got, wanted in zip(got_bouts, want.bouts, strict=True):
            assert got == pytest.approx(wanted, abs=TOLERANCE_S)
        total = sum(sat for _, _, sat in want.bouts)
        assert total == pytest.approx(60 + 8 + 33 + 33 + 18 + 7.2 + 24 + 21)
        assert day_stats(store, date(2026, 11, 16)).sitting_s == pytest.approx(
            total, abs=TOLERANCE_S
        )

        # Natural breaks: the 42 s and 70.8 s spans, not the 14.5 s one.
        breaks = rel(loop.events, ev.NaturalBreak)
        assert [b["resets"] for b in breaks] == [r for _, _, r in want.natural_breaks]
        assert [b["resets"] for b in breaks] == [["micro"], ["exercise", "micro"]]
        for got, (start, end, _) in zip(breaks, want.natural_breaks, strict=True):
            assert got["cause"] == "idle"
            assert got["start"] == pytest.approx(start, abs=TOLERANCE_S)
            assert got["end"] == pytest.approx(end, abs=TOLERANCE_S)
        away = store.conn.execute("SELECT start, end, cause FROM away ORDER BY start")
        assert [(a - t0, b - t0, c) for a, b, c in away.fetchall()] == [
            (pytest.approx(a, abs=TOLERANCE_S), pytest.approx(b, abs=TOLERANCE_S), "idle")
            for a, b, _ in want.natural_breaks
        ]
        # A tick at the first input after each pause of 5 s or more (the app's watch).
        assert loop.wake_ticks == [68, 115.5, 190.5, 215.7, 310.5]

        # The one break the rules call for: a short break at the first tick with 90 s
        # of sitting, closed by the natural break that followed.
        due = rel(loop.events, ev.BreakDue)
        sitting_by = dict(want.micro_sitting_at)
        first_due = min(
            t for t in loop.ticks
            if sitting_by[max(i for i in SCRIPT if i <= t)] >= SETTINGS.micro_every_min * 60
        )  # fmt: skip
        assert [(d["kind"], d["at"]) for d in due] == [("micro", first_due)]
        missed = rel(loop.events, ev.BreakMissed)
        assert [(m["at"], m.get("natural_break")) for m in missed] == [(190.5, True)]
    finally:
        platform.close()
        store.close()


def test_the_return_watch_fires_only_after_the_threshold(xserver: VirtualXServer) -> None:
    watch = XSyncReturnWatch.probe(xserver.env, after_s=10)
    try:
        assert watch.name == "x11-sync-idletime" and watch.after_s == 10
        xserver.set_time(5)
        xserver.input()  # after 5 s: a pause, not a return
        xserver.set_time(20)
        xserver.input()  # after 15 s: back
        assert poll_until(lambda: bool(select.select([watch.fileno()], [], [], 0)[0]))
        assert watch.drain() == 1  # the earlier input raised nothing (events keep order)
        xserver.set_time(21)
        xserver.input()
        xserver.set_time(40)
        xserver.input()  # back again: the alarm stays armed
        assert poll_until(lambda: bool(select.select([watch.fileno()], [], [], 0)[0]))
        assert watch.drain() == 1
        assert not select.select([watch.fileno()], [], [], 0)[0]
    finally:
        watch.close()
        watch.close()  # idempotent


def test_the_return_watch_is_not_used_on_wayland_or_without_libxext() -> None:
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    with pytest.raises(Unavailable, match="Wayland session"):
        XSyncReturnWatch.probe(env)

    def load(name: str) -> Any:
        raise OSError(f"{name}: cannot open shared object file")

    with pytest.raises(Unavailable, match=r"libXext.so.6 not found \(install libxext6\)"):
        XSyncReturnWatch.probe({"DISPLAY": ":0"}, load=load)
