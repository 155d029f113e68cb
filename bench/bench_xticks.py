"""X round trips per tick: Coach's sampling (the real `coach.platform.detect()`) behind
xtrace, against the reference of one XScreenSaver query per tick (what xprintidle does),
in the same run on the benchmark desktop. `--before REV` also measures the sampling
code of an earlier commit (its tree exported with `git archive`).

    .venv/bin/python -m bench.bench_xticks [--before 4fe337a]

Needs xtrace (scripts/bench-setup.sh). Every reply the tracer passes is one round trip:
the client waited for it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from bench.desktop import ROOT, start_desktop

FAKE_DISPLAY = ":77"


def export(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(data.stdout)) as tar:
        tar.extractall(into, filter="data")
    shutil.copy(ROOT / "bench" / "xticks_child.py", into / "bench" / "xticks_child.py")
    return into


def run(who: str, tree: Path, session_env: dict[str, str], real: str, work: Path) -> dict:
    trace = work / f"trace-{who}-{time.monotonic_ns()}.log"
    tracer = subprocess.Popen(
        ["xtrace", "-d", real, "-D", FAKE_DISPLAY, "-n", "-k", "-o", str(trace)],
        env=session_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        env = dict(session_env, DISPLAY=FAKE_DISPLAY, PYTHONPATH=str(tree))
        kind = "reference" if who == "reference" else "coach"
        out = subprocess.run(
            [sys.executable, "-m", "bench.xticks_child", kind, str(trace), real],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        tracer.terminate()
        tracer.wait()
    figures = {}
    for line in out.splitlines():
        phase, ticks, replies, requests = line.split()
        figures[phase] = (int(replies) / int(ticks), int(requests) / int(ticks))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also measure this commit's sampling code")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("xtrace") is None:
        raise SystemExit("xtrace is missing: run scripts/bench-setup.sh")
    with tempfile.TemporaryDirectory(prefix="coach-xticks-") as tmp:
        work = Path(tmp)
        trees = {"reference": ROOT, "Coach": ROOT}
        if args.before:
            trees = {"reference": ROOT, f"Coach {args.before}": export(args.before, work / "b")}
            trees["Coach"] = ROOT
        session = start_desktop(work / "desktop")
        results: dict[str, list[dict]] = {who: [] for who in trees}
        try:
            for _ in range(args.repeat):  # interleaved
                for who, tree in trees.items():
                    results[who].append(run(who, tree, session.env, session.display, work))
        finally:
            session.stop()
    print("X round trips (requests) per tick, median of", args.repeat, "runs")
    print(f"{'':22} {'working':>16} {'away':>16} {'first tick back':>16}")
    for who, runs in results.items():
        cells = []
        for phase in ("working", "away", "back"):
            trips = sorted(r[phase][0] for r in runs)[len(runs) // 2]
            reqs = sorted(r[phase][1] for r in runs)[len(runs) // 2]
            cells.append(f"{trips:.2f} ({reqs:.2f})")
        print(f"{who:22} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
