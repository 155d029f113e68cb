"""Statistics with a heavy user's history: three years, 3 x 250 workdays x ~40 events.

Generates the history (Europe/Amsterdam, DST included) into a private COACH_HOME, then
prints: the database size; the wall time of `coach stats --json --month` as a user runs
it (a new process each time); the time to open the statistics window (first open in a
fresh process, QtCharts import included, and again in the same process); export and
import of everything; and the wake-ups of the rhythm scheduler while it waits.

    .venv/bin/python -m bench.bench_stats [--years 3] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
AMS = ZoneInfo("Europe/Amsterdam")
WORKDAYS_PER_YEAR = 250
OUTCOMES = ("done",) * 6 + ("skipped", "skipped", "missed", "hurt")


def _stamp(when: datetime) -> tuple[float, int]:
    offset = when.utcoffset()
    assert offset is not None
    return when.timestamp(), int(offset.total_seconds() // 60)


def generate(years: int, today: date, seed: int = 1) -> dict[str, list[tuple[object, ...]]]:
    """Rows for Store.merge_history: workdays up to today, ~40 events each."""
    rng = random.Random(seed)
    rows: dict[str, list[tuple[object, ...]]] = {
        t: [] for t in ("runs", "bouts", "away", "breaks", "pain_reports", "checkins")
    }
    days: list[date] = []
    day = today
    while len(days) < years * WORKDAYS_PER_YEAR:
        if day.weekday() < 5 and rng.random() > 0.04:  # some holidays
            days.append(day)
        day -= timedelta(days=1)
    exercises = [
        "seated-cat-cow",
        "standing-glute-squeeze",
        "floor-glute-bridge",
        "standing-hip-flexor-stretch",
        "walk-short-lap",
        "belly-breathing",
    ]
    for day in reversed(days):
        t = datetime(day.year, day.month, day.day, 8, rng.randrange(0, 60), tzinfo=AMS)
        end = t.replace(hour=17, minute=30)
        rows["runs"].append((*_stamp(t), (end + timedelta(minutes=5)).timestamp()))
        while t < end:
            minutes = rng.uniform(8, 45) if rng.random() > 0.1 else rng.uniform(50, 90)
            stop = t + timedelta(minutes=minutes)
            start_ts, off = _stamp(t)
            rows["bouts"].append((start_ts, stop.timestamp(), minutes * 60 * 0.95, off))
            if minutes > 20:
                due = t + timedelta(minutes=20)
                outcome = rng.choice(OUTCOMES)
                answered = due + timedelta(minutes=rng.uniform(0.2, 3))
                rows["breaks"].append(
                    (
                        f"{rng.getrandbits(128):032x}",
                        rng.choice(("micro", "exercise")),
                        rng.choice(exercises),
                        *_stamp(due),
                        outcome,
                        answered.timestamp(),
                        rng.choice((0, 0, 0, 1, 2)),
                        "meeting" if outcome == "skipped" else None,
                    )
                )
                if outcome == "hurt":
                    rows["pain_reports"].append((rows["breaks"][-1][2], *_stamp(answered), None))
            gap = rng.uniform(45, 60) if t.hour == 12 else rng.uniform(3, 15)
            back = stop + timedelta(minutes=gap)
            rows["away"].append(
                (
                    stop.timestamp(),
                    back.timestamp(),
                    "locked" if gap > 30 else "idle",
                    _stamp(stop)[1],
                )
            )
            t = back
        if day.weekday() == 4:
            rows["checkins"].append((*_stamp(end), rng.randint(3, 9)))
    return rows


def _median_ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:.0f} ms "
        f"(min {min(samples) * 1000:.0f}, max {max(samples) * 1000:.0f}, n={len(samples)})"
    )


def time_cli(env: dict[str, str], runs: int) -> list[float]:
    cmd = [sys.executable, "-m", "coach", "stats", "--json", "--month"]
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    month = json.loads(out.stdout)
    print(
        f"  this month: {month['sitting_days']} days with sitting, {month['bouts']} bouts, "
        f"{month['offered']} breaks; streak {month['streak_days']} days"
    )
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)
        samples.append(time.perf_counter() - t0)
    return samples


WINDOW_PROBE = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from datetime import date
from coach.config import paths
from coach.history import stats
from coach.exercises.catalog import kinds as exercise_kinds
from coach.exercises.catalog import load_library
from coach.history.store import Store
store = Store.open(paths.resolve().database)
kinds = exercise_kinds(load_library()[0])
t1 = time.perf_counter()
from coach.ui.stats_window import StatsWindow
w = StatsWindow(store, date.today(), kinds)
w.show()
w.grab()  # the first paint
t2 = time.perf_counter()
w.close()
t3 = time.perf_counter()
w = StatsWindow(store, date.today(), kinds)
w.show()
w.grab()
t4 = time.perf_counter()
print(t2 - t1, t4 - t3, t1 - t0)
"""


def time_window(env: dict[str, str], runs: int) -> tuple[list[float], list[float], list[float]]:
    first, again, setup = [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", WINDOW_PROBE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        a, b, c = (float(x) for x in out.stdout.split())
        first.append(a)
        again.append(b)
        setup.append(c)
    return first, again, setup


RHYTHM_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from coach.core.clock import SystemClock
from coach.exercises.picker import Picker
from coach.service import CoachService
from coach.config.settings import Settings
from coach.history.store import Store
from coach.ui.rhythm import Rhythm
service = CoachService(Settings(), Store.in_memory(), SystemClock(), Picker([], Settings()))
r = Rhythm(Settings(), service, lambda *a: None, {})
calls = [0]
process = r.scheduler._process_jobs
def counted():
    calls[0] += 1
    return process()
r.scheduler._wake.timeout.disconnect()
r.scheduler._wake.timeout.connect(counted)
r.start()
QTimer.singleShot(int(sys.argv[1]) * 1000, app.quit)
app.exec()
print(calls[0], r.scheduler._wake.interval())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--idle-s", type=int, default=10, help="how long to count the rhythm scheduler's wake-ups"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from coach.history import history_io
    from coach.history.store import Store

    with tempfile.TemporaryDirectory(prefix="coach-bench-stats-") as tmp:
        home = Path(tmp) / "home"
        env = {
            **os.environ,
            "COACH_HOME": str(home),
            "COACH_POLICY": str(home / "none.toml"),
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        }
        t0 = time.perf_counter()
        rows = generate(args.years, date.today())
        store = Store.open(home / "coach.sqlite3")
        added = store.merge_history(rows)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elapsed = time.perf_counter() - t0
        workdays = len(rows["runs"])
        events = sum(added.values())
        size = sum(f.stat().st_size for f in home.glob("coach.sqlite3*"))
        print(
            f"history: {workdays} workdays, {events} records "
            f"({events / workdays:.0f} per workday): "
            + ", ".join(f"{t} {n}" for t, n in added.items())
        )
        print(f"  generated and written in {elapsed:.1f} s")
        print(f"database size: {size / 1e6:.2f} MB")

        print("coach stats --json --month (a new process each run, Python start included):")
        print("  " + _median_ms(time_cli(env, args.runs)))
        t = time.perf_counter()
        code = subprocess.run(
            [sys.executable, "-c", "import coach.cli"], env=env, cwd=ROOT, check=True
        ).returncode
        print(
            f"  of which Python start + importing coach.cli: "
            f"{(time.perf_counter() - t) * 1000:.0f} ms (exit {code})"
        )

        from coach.history import stats

        t = time.perf_counter()
        whole = stats.streak(store, date.today(), goal_s=6 * 3600)
        print(
            f"  worst case streak (no day ever fails: every bout read): {whole} days in "
            f"{(time.perf_counter() - t) * 1000:.0f} ms"
        )
        first, again, setup = time_window(env, max(3, args.runs // 2))
        print("statistics window, open to first paint (QtCharts import, queries, charts):")
        print(f"  first open in a process: {_median_ms(first)}")
        print(f"  opened again:            {_median_ms(again)}")
        print(f"  (QApplication + store + exercise library before it: {_median_ms(setup)})")

        for fmt in history_io.FORMATS:
            out = Path(tmp) / f"export.{fmt}"
            t = time.perf_counter()
            history_io.export_to_file(store, fmt, out)
            exported = time.perf_counter() - t
            fresh = Store.open(Path(tmp) / f"import-{fmt}" / "coach.sqlite3")
            t = time.perf_counter()
            history_io.import_history(fresh, out)
            imported = time.perf_counter() - t
            t = time.perf_counter()
            again_result = history_io.import_history(fresh, out)
            reimported = time.perf_counter() - t
            fresh.close()
            print(
                f"export {fmt}: {out.stat().st_size / 1e6:.1f} MB in {exported:.2f} s; "
                f"import into an empty home {imported:.2f} s; again "
                f"{reimported:.2f} s ({sum(again_result.added.values())} added)"
            )
        store.close()

        out = subprocess.run(
            [sys.executable, "-c", RHYTHM_PROBE, str(args.idle_s)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        wakeups, interval = out.stdout.split()
        print(
            f"rhythm scheduler (summary + check-in jobs): {wakeups} wake-up(s) in "
            f"{args.idle_s} s; the next wait is {int(interval) / 1000:.0f} s"
        )


if __name__ == "__main__":
    main()
