"""Idle footprint of the installed Coach next to the floor, in the same run.

The floor is a bare PySide6 tray app with APScheduler's Qt scheduler running one 1 s job
(bench/floor_app.py). Both run, one after the other, in a tray on the same private
desktop (Xvfb + fluxbox + dunst). For each: launch to tray icon shown (median of
several launches), then one long run: settle, then over the window PSS and RSS summed
over the process tree (/proc/PID/smaps_rollup, read at the end), CPU seconds
(utime + stime of all threads) and voluntary context switches (all live threads).

Coach is measured three times: with the user away (no input at all), with the user
working (an xdotool mouse move every 2 s, sent from outside the measured processes), and
with the user away after a first break was taken (its window built, shown and closed).

    .venv/bin/python -m bench.bench_idle [--settle 20] [--window 60] [--launches 5]
                                         [--before REV]

`--before REV` also measures Coach at an earlier commit (its tree exported with `git
archive` and run with `python -m coach`), away and working, in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import procfs
from bench.desktop import (
    FLOOR,
    ROOT,
    coach_command,
    compiled,
    environment,
    launch,
    start_desktop,
)
from tests.desktop_session import DesktopSession, wait_for

QT_CORE = str(
    Path(importlib.util.find_spec("PySide6").origin or "").parent / "Qt" / "lib" / "libQt6Core.so.6"
)
TARGET_PSS = 1.15
TARGET_CPU_PER_MIN = 0.03
TARGET_VOLUNTARY_PER_MIN = 60
TARGET_LAUNCH = 1.3
BREAK_TITLE = "Coach: time to move"
# A micro break 15 s into the run; then no input, so the user is away after 30 s and no
# second break falls due.
FIRST_BREAK_SETTINGS = (
    "micro_every_min = 0.25\nexercise_every_min = 60\nidle_after_s = 30\nmicro_duration_s = 20\n"
)


def launch_times(
    session: DesktopSession, command: list[str], env: dict[str, str], logs: Path, n: int
) -> list[float]:
    """Seconds from process start to tray icon shown, over `n` launches after a warm-up."""
    times = []
    for i in range(n + 1):
        app = launch(session, command, env, logs / f"launch-{i}.log")
        app.stop()
        if i:
            times.append(app.to_tray_s)
    return times


def footprint(
    session: DesktopSession,
    command: list[str],
    env: dict[str, str],
    log: Path,
    settle: float,
    window: float,
    user: Callable[[], None] | None,
    before: Callable[[], None] | None = None,
    cwd: Path = ROOT,
) -> tuple[procfs.Reading, dict[str, int]]:
    """Like `_footprint`, measured again (up to three times) while another process maps
    the same Qt libraries: that would split their pages and lower the PSS."""
    for _attempt in range(3):
        measured, per_thread = _footprint(
            session, command, env, log, settle, window, user, before, cwd
        )
        if not per_thread["(other processes mapping Qt)"]:
            break
        print(f"  ({command[-1]}: other processes used Qt meanwhile; measuring again)")
        time.sleep(30)
    return measured, per_thread


def _footprint(
    session: DesktopSession,
    command: list[str],
    env: dict[str, str],
    log: Path,
    settle: float,
    window: float,
    user: Callable[[], None] | None,
    before: Callable[[], None] | None,
    cwd: Path,
) -> tuple[procfs.Reading, dict[str, int]]:
    """`before` (if any), settle, then the totals at the end of the window and the
    deltas over it."""
    app = launch(session, command, env, log, cwd=cwd)
    try:
        if before is not None:
            before()
        _wait(settle, user)
        before = procfs.read(app.proc.pid)
        threads_before = procfs.thread_switches(app.proc.pid)
        _wait(window, user)
        after = procfs.read(app.proc.pid)
        threads = procfs.thread_switches(app.proc.pid)
        others = procfs.sharing(QT_CORE, set(procfs.tree(app.proc.pid)))
    finally:
        app.stop()
    measured = after.since(before)
    per_thread = {k: v - threads_before.get(k, 0) for k, v in threads.items()}
    per_thread["(other processes mapping Qt)"] = len(others)
    return measured, per_thread


def take_a_break(session: DesktopSession, working: Callable[[], None]) -> None:
    """Work until the break window shows, click into it and press D (Done), then wait
    for it to close: what every user has done by the first hour of the day."""

    def shown() -> str:
        working()
        return session.xdotool("search", "--onlyvisible", "--name", BREAK_TITLE, check=False)

    window = str(wait_for(shown, 60, "the first break", step=0.5)).split()[0]
    session.xdotool("mousemove", "--window", window, "60", "30")
    session.xdotool("click", "1")
    session.xdotool("key", "d")
    wait_for(
        lambda: not session.xdotool("search", "--onlyvisible", "--name", BREAK_TITLE, check=False),
        10,
        "the break window to close",
    )


def _wait(seconds: float, user: Callable[[], None] | None) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if user is not None:
            user()
        time.sleep(min(left, 2.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=20.0)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--before", help="also measure Coach at this commit")
    args = parser.parse_args()
    per_min = 60.0 / args.window

    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        work = Path(tmp)
        session = start_desktop(work / "desktop")
        try:
            home = work / "coach-home"
            home.mkdir(mode=0o700)
            env = environment(session, home)
            coach = coach_command()
            launch(session, coach, env, work / "first-run.log").stop()  # first run: safety notice
            moves = iter(range(10**9))

            def working() -> None:
                session.xdotool("mousemove", str(300 + next(moves) % 40), "300")

            after_break = work / "after-break-home"
            after_break.mkdir(mode=0o700)
            (after_break / "settings.toml").write_text(FIRST_BREAK_SETTINGS)
            after_break_env = environment(session, after_break)
            # the first start shows the safety screen, the second the setup questions (the
            # safety screen was never accepted): both before the measured start
            for first in ("first-run", "second-run"):
                launch(session, coach, after_break_env, work / f"after-break-{first}.log").stop()

            before_rows = []
            if args.before:
                from bench.bench_xticks import export

                tree = compiled(export(args.before, work / "before"))
                old = [sys.executable, "-m", "coach", "-v", "run"]
                old_env = dict(env, PYTHONPATH=str(tree))
                launch(session, old, old_env, work / "old-first.log", cwd=tree).stop()
                for label, user in (("away", None), ("working", working)):
                    reading = footprint(
                        session, old, old_env, work / f"old-{label}.log", args.settle,
                        args.window, user, cwd=tree,
                    )  # fmt: skip
                    before_rows.append((f"coach {args.before}, user {label}", [0.0], *reading))
            floor_launch = launch_times(session, FLOOR, env, work, args.launches)
            coach_launch = launch_times(session, coach, env, work, args.launches)
            rows = [
                (
                    "floor",
                    floor_launch,
                    *footprint(
                        session, FLOOR, env, work / "floor.log", args.settle, args.window, None
                    ),
                ),
                (
                    "coach, user away",
                    coach_launch,
                    *footprint(
                        session, coach, env, work / "coach-away.log", args.settle, args.window, None
                    ),
                ),
                (
                    "coach, user working",
                    coach_launch,
                    *footprint(
                        session,
                        coach,
                        env,
                        work / "coach-working.log",
                        args.settle,
                        args.window,
                        working,
                    ),
                ),
                (
                    "coach, user away after a first break",
                    coach_launch,
                    *footprint(
                        session,
                        coach,
                        after_break_env,
                        work / "coach-after-break.log",
                        args.settle + 30,
                        args.window,
                        None,
                        lambda: take_a_break(session, working),
                    ),
                ),
                *before_rows,
            ]
        finally:
            session.stop()

    print(
        f"Idle footprint: {args.settle:.0f} s settle, {args.window:.0f} s window, "
        f"launch to tray: median of {args.launches}\n"
    )
    print(
        "| app | PSS MiB | RSS MiB | USS MiB | CPU s / min | voluntary ctx sw / min | "
        "involuntary / min | threads | launch to tray s (median, min-max) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, launches, r, _threads in rows:
        print(
            f"| {name} | {r.pss_kib / 1024:.1f} | {r.rss_kib / 1024:.1f} | "
            f"{r.uss_kib / 1024:.1f} | {r.cpu_s * per_min:.3f} | "
            f"{r.voluntary * per_min:.0f} | {r.involuntary * per_min:.0f} | {r.threads} | "
            + (
                f"{statistics.median(launches):.3f} ({min(launches):.3f}-{max(launches):.3f}) |"
                if any(launches)
                else "(see bench_day) |"
            )
        )
    shared = {name: threads.pop("(other processes mapping Qt)") for name, _l, _r, threads in rows}
    if any(shared.values()):
        print(
            f"\nWARNING: other processes mapped the same Qt libraries while measuring "
            f"({shared}): PSS is split with them, so it reads lower than on a quiet "
            f"machine. USS (private memory) does not depend on it."
        )
    floor = rows[0][2]
    floor_launch_s = statistics.median(rows[0][1])
    print("\nAgainst the targets:")
    for name, launches, r, _threads in rows[1:]:
        checks = [
            ("PSS / floor", r.pss_kib / floor.pss_kib, TARGET_PSS, "x"),
            ("CPU s / min", r.cpu_s * per_min, TARGET_CPU_PER_MIN, ""),
            ("voluntary ctx sw / min", r.voluntary * per_min, TARGET_VOLUNTARY_PER_MIN, ""),
            ("launch / floor", statistics.median(launches) / floor_launch_s, TARGET_LAUNCH, "x"),
        ][: 4 if any(launches) else 3]
        for what, value, target, unit in checks:
            verdict = "ok" if value <= target else "MISSED"
            print(f"  {name}: {what} {value:.3g}{unit} (target <= {target:g}{unit}) {verdict}")
    print("\nVoluntary context switches per thread over the window:")
    for name, _launches, _r, threads in rows:
        by_name: dict[str, int] = {}
        for key, n in threads.items():  # "pid:name:tid"
            thread = key.split(":")[1]
            by_name[thread] = by_name.get(thread, 0) + n
        busy = sorted(by_name.items(), key=lambda kv: -kv[1])
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in busy if v))


if __name__ == "__main__":
    main()
