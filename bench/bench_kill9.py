"""Sitting lost to kill -9: the installed `coach run` on a private desktop, the person
sits (xdotool moves the mouse) for a random 15-75 s, then the process is killed with
SIGKILL; the next round starts on the same history. Afterwards: seconds sat per round
against the seconds the history kept. Prints figures, asserts nothing.

    .venv/bin/python -m bench.bench_kill9 [--rounds 8] [--seed 1] [--coach CMD...]

`--coach` runs another build (e.g. `--coach env PYTHONPATH=/tmp/old python -m coach`)
for a before/after in the same run.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from bench.desktop import coach_command
from tests.desktop_session import DesktopSession, wait_for


def kept_s(db: Path) -> float:
    if not db.exists():
        return 0.0
    with sqlite3.connect(db) as conn:
        return float(conn.execute("SELECT COALESCE(SUM(sat_s), 0) FROM bouts").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--coach", nargs=argparse.REMAINDER, help="command instead of coach")
    args = parser.parse_args()
    command = [*args.coach, "-v", "run"] if args.coach else coach_command()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        session = DesktopSession(Path(tmp) / "desktop").start()
        home = Path(tmp) / "home"
        home.mkdir()
        (home / "settings.toml").write_text("idle_after_s = 30\n")
        db = home / "coach.sqlite3"
        lost: list[float] = []
        try:
            for n in range(args.rounds):
                before = kept_s(db)
                log = home / f"round{n}.log"
                with open(log, "wb") as out:
                    proc = subprocess.Popen(
                        command,
                        env=dict(session.env, COACH_HOME=str(home)),
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                wait_for(lambda log=log: b"tray icon shown" in log.read_bytes(), 30, "the tray")
                sit_s = rng.uniform(15, 75)
                started = time.monotonic()
                while time.monotonic() - started < sit_s:
                    session.xdotool(
                        "mousemove", str(200 + n), str(200 + int(time.monotonic()) % 50)
                    )
                    time.sleep(0.5)
                sat = time.monotonic() - started
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                # the next start settles what the killed run wrote ahead; read it as is
                lost.append(sat - (kept_s(db) - before))
                print(
                    f"round {n + 1}: sat {sat:5.1f} s, kept {sat - lost[-1]:5.1f} s, "
                    f"lost {lost[-1]:5.1f} s",
                    flush=True,
                )
        finally:
            session.stop()
    total = sum(lost)
    print(
        f"{args.rounds} kills: lost {total:.0f} s in all, {total / len(lost):.1f} s per kill "
        f"on average, {max(lost):.1f} s at most"
    )


if __name__ == "__main__":
    main()
