"""Wake-ups that idle sampling costs on GNOME and Wayland while the user is active.

Event-driven sources (GNOME's idle watches, Wayland's ext-idle-notify) should
cost no wake-ups while the user works: the desktop says nothing until the user
has been idle for the threshold. The reference, in the same run, is the way
GNOME was read before: polling GetIdletime at every 5 s tick (one D-Bus round
trip, two wake-ups: the reply and the tick).

- Wayland: Debian 12's KWin run headless (tests/fakes/kwin_session.py), the
  user simulated through KWin's fake-input protocol every 0.5 s.
- GNOME: the fake Mutter of the tests on a private bus (Input every 0.5 s).

For each: the watch's descriptor is waited on (as the Qt socket notifier does)
for `--window` seconds; every time it becomes readable is a wake-up. Then the
user stops, and the seconds until the idle event came are shown too.

    .venv/bin/python -m bench.bench_idle_events [--window 20] [--threshold 2]
"""

from __future__ import annotations

import argparse
import select
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.platform.dbus_call import BusCaller
from coach.platform.dbus_idle import MutterIdle
from coach.platform.mutter_watch import MutterWatches
from coach.platform.wayland import ExtIdleNotify
from tests.core.test_presence_gnome_watch import FakeMutter
from tests.fakes.kwin_session import FakeInput, KWin, missing
from tests.fakes.platform_procs import PrivateBus

INPUT_EVERY_S = 0.5
POLL_EVERY_S = 5.0  # the app's tick while active


def wakeups(watch: Any, user: Callable[[], None], window_s: float) -> tuple[int, float]:
    """Readable events on the watch while `user()` gives input every INPUT_EVERY_S,
    and when the last input was given."""
    woke, last = 0, time.monotonic()
    end = time.monotonic() + window_s
    next_input = time.monotonic()
    while (now := time.monotonic()) < end:
        if now >= next_input:
            user()
            last = time.monotonic()
            next_input = now + INPUT_EVERY_S
        if select.select([watch.fileno()], [], [], max(next_input - now, 0))[0]:
            woke += 1
            watch.drain()
    return woke, last


def idle_after(watch: Any, threshold_s: float, start: float) -> float:
    """Seconds from the last input (at `start`) until the watch says idle."""
    while time.monotonic() - start < threshold_s + 5:
        if select.select([watch.fileno()], [], [], 0.5)[0]:
            watch.drain()
            if watch.idle_seconds() > 0:
                return time.monotonic() - start
    return float("nan")


def polled(bus: PrivateBus, window_s: float) -> int:
    """The reference: wake-ups of polling GetIdletime at every tick."""
    caller = BusCaller.session(bus.env())
    idle = MutterIdle.probe(caller)
    calls = 0
    end = time.monotonic() + window_s
    while time.monotonic() < end:
        idle.idle_seconds()
        calls += 1
        time.sleep(min(POLL_EVERY_S, max(end - time.monotonic(), 0)))
    caller.close()
    return calls * 2  # the timer firing, and the reply arriving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--window", type=float, default=20.0)
    parser.add_argument("--threshold", type=float, default=2.0)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    bus = PrivateBus()
    mutter = FakeMutter(bus.address)
    try:
        reference = polled(bus, args.window)
        rows.append(("GNOME, GetIdletime polled every 5 s (before)", str(reference), "-"))
        watch = MutterWatches.probe(bus.env(), after_s=args.threshold, mono=time.monotonic)
        woke, _last = wakeups(watch, mutter.input, args.window)
        watch.close()
        rows.append(("GNOME, idle watches (fake Mutter)", str(woke), "told by the fake"))
    finally:
        mutter.stop()
        bus.stop()
    if missing():
        rows.append(("Wayland, ext-idle-notify", "not run: " + ", ".join(missing()), "-"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            kwin = KWin(Path(tmp)).start()
            try:
                hand = FakeInput(kwin)
                watch = ExtIdleNotify.probe(kwin.env, after_s=args.threshold, mono=time.monotonic)
                watch.drain()
                woke, last = wakeups(watch, hand.move, args.window)
                late = idle_after(watch, args.threshold, last)
                watch.close()
                hand.close()
                rows.append(
                    (
                        f"Wayland, ext-idle-notify v{watch.version} (KWin 5.27 headless)",
                        str(woke),
                        f"{late:.2f} s (threshold {args.threshold:g} s)",
                    )
                )
            finally:
                kwin.stop()
    print(f"wake-ups over {args.window:g} s with input every {INPUT_EVERY_S:g} s")
    print(f"{'source':<58} {'wake-ups':>9}  idle event after last input")
    for name, count, late_text in rows:
        print(f"{name:<58} {count:>9}  {late_text}")


if __name__ == "__main__":
    main()
