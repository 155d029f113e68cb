"""`coach stats` on a heavy user's three years of history, against Python's own start.

The history is bench_stats' (3 x 250 workdays, about 38 records a workday). Each run is
a new process, as when a user types the command; the reference is `python -c pass`
(the interpreter's start, which no command can go below) and, with `--before REV`,
Coach at an earlier commit (its tree exported with `git archive`, run with
`python -m coach`), both byte-compiled as installed. Interleaved, median of `--runs`.

    .venv/bin/python -m bench.bench_cli [--before 4fe337a] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_xticks import export
from bench.desktop import ROOT, compiled

COMMANDS = {"coach stats": ["stats"], "coach stats --json --month": ["stats", "--json", "--month"]}


HISTORY = """
import sys
from datetime import date
from pathlib import Path
from bench.bench_stats import generate
from coach.history.store import Store

store = Store.open(Path(sys.argv[1]) / "coach.sqlite3")
store.merge_history(generate(3, date.today()))
store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
store.close()
"""


def history(home: Path, tree: Path) -> None:
    """The three years, written by the tree's own code (its schema)."""
    home.mkdir()
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, "-c", HISTORY, str(home)], env=env, cwd=tree, check=True)


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also time Coach at this commit")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-bench-cli-") as tmp:
        trees = {"Coach": compiled(ROOT)}
        if args.before:
            before = compiled(export(args.before, Path(tmp) / "before"))
            trees = {f"Coach {args.before}": before, **trees}
        runs: dict[str, list[float]] = {"python -c pass": []}
        jobs = [("python -c pass", [sys.executable, "-c", "pass"], ROOT, dict(os.environ))]
        for k, (who, tree) in enumerate(trees.items()):
            home = Path(tmp) / f"home-{k}"
            history(home, tree)
            env = dict(
                os.environ,
                COACH_HOME=str(home),
                COACH_POLICY=str(home / "none.toml"),
                PYTHONPATH=str(tree),
            )
            for what, argv in COMMANDS.items():
                runs[f"{who}: {what}"] = []
                cmd = [sys.executable, "-m", "coach", *argv]
                jobs.append((f"{who}: {what}", cmd, tree, env))
        for i in range(args.runs + 1):  # the first round compiles and warms the caches
            for name, cmd, tree, env in jobs:
                took = timed(cmd, env, tree)
                if i:
                    runs[name].append(took)
    floor = statistics.median(runs["python -c pass"])
    print(f"A new process each run, median of {args.runs} interleaved runs (ms):\n")
    print("| command | median | min-max | over Python's start |")
    print("| --- | --- | --- | --- |")
    for name, samples in runs.items():
        med = statistics.median(samples)
        print(
            f"| {name} | {med * 1000:.0f} | {min(samples) * 1000:.0f}-{max(samples) * 1000:.0f}"
            f" | {(med - floor) * 1000:+.0f} |"
        )


if __name__ == "__main__":
    main()
