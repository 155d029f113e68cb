"""One sampling loop behind an X protocol tracer (run by bench/bench_xticks.py).

Usage: python -m bench.xticks_child coach|reference TRACE_FILE REAL_DISPLAY
Prints one line per phase: `phase ticks replies requests`, counted from the tracer's log
(every reply is one round trip: the client waited for it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

TICKS = 12
TICK_S = 5.0  # the app's tick while the user is active (ACTIVE_TICK_MS)
AWAY_TICK_S = 15.0  # and while away (AWAY_TICK_MS)
RETURN_AFTER_S = 2.0  # the return watch's pause, short so the bench need not wait a minute


def counts(trace: Path) -> tuple[int, int]:
    time.sleep(0.3)  # the tracer writes each line as it passes
    lines = trace.read_text(errors="replace").splitlines()
    replies = sum(1 for line in lines if ":>:" in line and ("Reply" in line or "Error" in line))
    requests = sum(1 for line in lines if ":<:" in line and "Request(" in line)
    return replies, requests


def main() -> None:
    who, trace, real = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if who == "coach":
        from coach.platform import detect

        sampler = detect(os.environ, return_after_s=RETURN_AFTER_S)
        sample = sampler.sample
    else:
        from coach.platform.x11 import XScreenSaverIdle

        idle = XScreenSaverIdle.probe(os.environ)

        def sample(now_mono: float) -> object:
            return idle.idle_seconds()

    mono = 1000.0
    sample(mono)
    last = counts(trace)

    def phase(name: str, ticks: int, step: float, before_tick: object = None) -> None:
        nonlocal mono, last
        for _ in range(ticks):
            if callable(before_tick):
                before_tick()
            mono += step
            sample(mono)
            time.sleep(0.05)
        now = counts(trace)
        print(name, ticks, now[0] - last[0], now[1] - last[1], flush=True)
        last = now

    def move() -> None:
        env = dict(os.environ, DISPLAY=real)
        subprocess.run(["xdotool", "mousemove_relative", "--", "1", "1"], env=env, check=True)

    phase("working", TICKS, TICK_S, move)
    time.sleep(RETURN_AFTER_S + 1.5)
    last = counts(trace)
    phase("away", TICKS, AWAY_TICK_S)
    move()
    time.sleep(0.3)
    phase("back", 1, TICK_S)


if __name__ == "__main__":
    main()
