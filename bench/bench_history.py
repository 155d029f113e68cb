"""Large histories: statistics over ten years, and imports of up to a million records.

Prints, each against a reference measured in the same run:
- `coach stats --json --month` on a 10-year history (a new process each time), against
  the same command on a 1-year history; and in-process statistics with one record that
  claims to end in 1e15 (the issue 14 repro: it made statistics loop once per day of
  it) against the same history without it;
- opening the history for reading (no integrity check) against opening it for writing
  (with `PRAGMA quick_check`), which is what an unclean stop costs;
- importing N runs for N = 20 000 and 40 000 (the repro of quadratic imports: 24 s and
  76 s before), as time per record against the smaller import;
- a million-record JSON export imported into an empty home, as time per record against
  a 100 000-record import (1.0 = linear).

    .venv/bin/python -m bench.bench_history [--million 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.bench_stats import generate
from coach.history import stats as st
from coach.history.history_io import export_to_file, import_history
from coach.history.store import Store, open_history

ROOT = Path(__file__).resolve().parent.parent
T0 = 1_700_000_000.0  # 2023-11-14


def _home(root: Path, name: str, years: int, today: date) -> Path:
    home = root / name
    store = Store.open(home / "coach.sqlite3")
    store.merge_history(generate(years, today))
    store.close()
    return home


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def cli_once(home: Path) -> float:
    env = dict(os.environ, COACH_HOME=str(home), COACH_POLICY=str(home / "none.toml"))
    cmd = [sys.executable, "-m", "coach", "stats", "--json", "--month"]
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - t


def overview_once(path: Path, today: date) -> float:
    store, _notes = open_history(path, write=False)
    t = time.perf_counter()
    st.overview(store, today)
    took = time.perf_counter() - t
    store.close()
    return took


def interleaved(runs: int, *measures: Callable[[], float]) -> list[float]:
    """Medians of `runs` rounds, each measure once per round in turn (after one
    untimed round), so a busy moment of the machine falls on all of them alike."""
    for measure in measures:
        measure()
    samples: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for found, measure in zip(samples, measures, strict=True):
            found.append(measure())
    return [_median(found) for found in samples]


def time_open(path: Path, write: bool, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        store, _notes = open_history(path, write=write)
        samples.append(time.perf_counter() - t)
        store.close()
    return _median(samples)


def runs_rows(n: int) -> dict[str, list[tuple[object, ...]]]:
    return {"runs": [(T0 + 60 * i, 60, T0 + 60 * i + 30) for i in range(n)]}


def time_import(root: Path, name: str, rows: dict[str, list[tuple[object, ...]]]) -> float:
    """Export `rows` to JSON, then time `import_history` into an empty home."""
    source = Store.in_memory()
    source.merge_history(rows)
    export = root / f"{name}.json"
    export_to_file(source, "json", export)
    source.close()
    del source
    target = Store.open(root / name / "coach.sqlite3")
    gc.collect()
    t = time.perf_counter()
    result = import_history(target, export)
    took = time.perf_counter() - t
    assert sum(result.added.values()) == sum(map(len, rows.values()))
    target.close()
    export.unlink()
    return took


def mixed_rows(n: int, seed: int = 7) -> dict[str, list[tuple[object, ...]]]:
    """About n records in the shape of a real history (bouts, away, breaks, runs)."""
    rng = random.Random(seed)
    rows: dict[str, list[tuple[object, ...]]] = {"runs": [], "bouts": [], "away": [], "breaks": []}
    t = T0
    count = 0
    while count < n:
        rows["bouts"].append((t, t + 1500, 1400.0, 60))
        rows["away"].append((t + 1500, t + 1800, "idle", 60))
        rows["breaks"].append(
            (f"{rng.getrandbits(128):032x}", "micro", "posture-reset", t + 1200, 60, "done",
             t + 1260, 0, None)
        )  # fmt: skip
        count += 3
        if count % 60 == 0:
            rows["runs"].append((t, 60, t + 30_000))
            count += 1
        t += 1800
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--million", type=int, default=1_000_000)
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="coach-bench-history-") as tmp:
        root = Path(tmp)
        print("generating a 10-year and a 1-year history ...", flush=True)
        ten = _home(root, "ten", 10, today)
        one = _home(root, "one", 1, today)
        db = ten / "coach.sqlite3"
        records = sum(
            Store.open_read_only(db).conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in Store.HISTORY
        )
        print(f"10-year history: {records} records, {db.stat().st_size / 1e6:.1f} MB")

        cli_ten, cli_one = interleaved(args.runs, lambda: cli_once(ten), lambda: cli_once(one))
        print(
            f"coach stats --json --month, new process: 10 years {cli_ten * 1000:.0f} ms, "
            f"1 year {cli_one * 1000:.0f} ms (ratio {cli_ten / cli_one:.2f})"
        )
        bad = root / "bad.sqlite3"
        store = Store.open(db)
        store.conn.execute(f"VACUUM INTO '{bad}'")
        store.close()
        raw = Store.open(bad)
        start = (today - timedelta(days=20)).toordinal() - date(1970, 1, 1).toordinal()
        raw.conn.execute(
            "INSERT INTO bouts (start, end, sat_s, utc_offset) VALUES (?, 1e15, 3600, 60)",
            (start * 86_400.0,),
        )
        raw.close()
        clean, with_bad = interleaved(
            args.runs, lambda: overview_once(db, today), lambda: overview_once(bad, today)
        )
        print(
            f"statistics window's numbers (in process): {clean * 1000:.1f} ms; with a bout "
            f"claiming to end in 1e15: {with_bad * 1000:.1f} ms (ratio {with_bad / clean:.2f})"
        )
        read, write = time_open(db, False, args.runs), time_open(db, True, args.runs)
        print(
            f"open the 10-year history: read-only {read * 1000:.1f} ms, for writing with "
            f"quick_check {write * 1000:.1f} ms (ratio {read / write:.2f})"
        )

        small = time_import(root, "runs20k", runs_rows(20_000))
        large = time_import(root, "runs40k", runs_rows(40_000))
        print(
            f"import 20 000 runs {small:.2f} s, 40 000 runs {large:.2f} s "
            f"(per record: ratio {large / 40_000 / (small / 20_000):.2f}; 1.0 is linear, "
            "before: 24 s and 76 s, ratio 1.58)"
        )
        reference = time_import(root, "ref", mixed_rows(args.million // 10))
        print(f"import {args.million // 10} records: {reference:.2f} s", flush=True)
        million = time_import(root, "million", mixed_rows(args.million))
        per = million / args.million / (reference / (args.million // 10))
        print(
            f"import {args.million} records: {million:.2f} s "
            f"({args.million / million:,.0f} records/s; per record: ratio {per:.2f} "
            "against the tenth; 1.0 is linear)"
        )


if __name__ == "__main__":
    main()
