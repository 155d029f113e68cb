"""A day of Coach next to Workrave and Safe Eyes, in one run on the benchmark desktop.

1. Launch (issue 19, target 4): process spawn -> tray icon embedded and viewable, for
   Workrave 1.10.50, Safe Eyes 2.1.5, two floors (bench/floor_app.py: a bare PySide6 tray,
   and the same with APScheduler's Qt scheduler started before its icon, bench_idle's
   floor), Coach and, with `--before REV`, Coach at an earlier commit; interleaved (one
   launch of each in turn), median of `--launches` after one warm-up launch each. Both
   Coach trees are byte-compiled first, as an installed Coach is: with
   PYTHONDONTWRITEBYTECODE set, a tree without its .pyc files would compile every
   module at every launch.
2. A day (targets 1 and 3): Coach starts with the user away and settles; its idle PSS is
   read; then the user works (a mouse move every 0.5 s) through 16 short breaks (one
   after every 6 s of sitting, each clicked and answered Done), goes away, and after a
   settle the PSS is read again. Every thread seen while working or away that was not
   there at the idle reading is listed (the ring steps at every tick here), those of
   the break window's processes apart (each lives from 30 s before its break to the
   break's end); the peak PSS of Coach with its window's process while working, the
   CPU time per break (the window processes included), and where the resident memory
   grew (/proc/PID/smaps, by mapping).

Workrave, Safe Eyes and xtrace come from scripts/bench-setup.sh (not part of the tests).
Safe Eyes gets a private D-Bus daemon as its system bus (it will not start without one).

    .venv/bin/python -m bench.bench_day [--before 4fe337a] [--launches 5] [--breaks 16]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import procfs
from bench.bench_idle import take_a_break
from bench.bench_xticks import export
from bench.desktop import (
    BARE_FLOOR,
    FLOOR,
    MARKER,
    ROOT,
    compiled,
    environment,
    launch,
    start_desktop,
)
from tests.desktop_session import DesktopSession

IDLE_AFTER_S = 10
DAY_SETTINGS = (
    f"micro_every_min = 0.1\nexercise_every_min = 240\nidle_after_s = {IDLE_AFTER_S}\n"
    "micro_duration_s = 15\n"
)
SETTLE_S = 30.0
GROWN_SHOWN = 12  # mappings listed by growth


@dataclass
class App:
    name: str
    command: list[str]
    env: dict[str, str]
    marker: bytes | None = None
    cwd: Path = ROOT
    launches: list[float] = field(default_factory=list)


def coach_app(name: str, tree: Path, env: dict[str, str]) -> App:
    """Coach from the source tree `tree`, byte-compiled like an installed Coach."""
    compiled(tree)
    return App(
        name,
        [sys.executable, "-m", "coach", "-v", "run"],
        dict(env, PYTHONPATH=str(tree)),
        MARKER,
        tree,
    )


def cpu_with_children_s(pid: int) -> float:
    """CPU time of `pid` and of its children that ended (the break window's processes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def threads(pid: int) -> dict[int, str]:
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out[int(task.name)] = (task / "comm").read_text().strip()
        except OSError:
            pass
    return out


@dataclass
class Day:
    idle: procfs.Reading
    after: procfs.Reading
    breaks: int
    started_working: dict[int, str]
    started_away: dict[int, str]
    in_window: set[str]  # threads of the break window's processes, for their life
    peak_pss_kib: int  # while working, Coach and its break window's process together
    cpu_s: float  # working and away, the break window's processes included
    came_or_went: dict[int, str]  # sharing files with Coach at one reading, not the other
    grown: dict[str, int]  # resident KiB after - idle, by mapping (procfs.by_mapping)


def day(session: DesktopSession, app: App, breaks: int, work: Path) -> Day:
    """Idle, `breaks` breaks answered Done, then away: the readings and new threads."""
    time.sleep(IDLE_AFTER_S + 2)  # no input: the app starts with the user away
    running = launch(
        session, app.command, app.env, work / f"day-{app.name}.log", app.marker, app.cwd
    )
    pid = running.proc.pid
    try:
        time.sleep(SETTLE_S)
        idle = procfs.read(pid)
        sharing_at_idle = procfs.sharers(pid)
        idle_maps = procfs.by_mapping(pid)
        at_idle = threads(pid)
        cpu_at_idle = cpu_with_children_s(pid)
        seen: dict[int, str] = {}
        in_window: set[str] = set()
        peak = [idle.pss_kib]
        moves = iter(range(10**9))

        def working() -> None:
            seen.update(threads(pid))
            for child in procfs.tree(pid)[1:]:
                in_window.update(threads(child).values())
            peak.append(procfs.read(pid).pss_kib)
            session.xdotool("mousemove", str(300 + next(moves) % 40), "300")

        for _ in range(breaks):
            take_a_break(session, working)
        started_working = {t: n for t, n in seen.items() if t not in at_idle}
        away: dict[int, str] = {}
        end = time.monotonic() + IDLE_AFTER_S + SETTLE_S
        while time.monotonic() < end:
            away.update(threads(pid))
            time.sleep(0.5)
        after = procfs.read(pid)
        cpu_s = cpu_with_children_s(pid) - cpu_at_idle
        after_maps = procfs.by_mapping(pid)
        started_away = {t: n for t, n in away.items() if t not in at_idle}
        sharing_after = procfs.sharers(pid)
        came_or_went = {
            p: n
            for p, n in (sharing_at_idle | sharing_after).items()
            if (p in sharing_at_idle) != (p in sharing_after)
        }
    finally:
        running.stop()
    grown = {
        name: after_maps.get(name, 0) - idle_maps.get(name, 0)
        for name in set(idle_maps) | set(after_maps)
    }
    return Day(
        idle,
        after,
        breaks,
        started_working,
        started_away,
        in_window,
        max(peak),
        cpu_s,
        came_or_went,
        grown,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also measure Coach at this commit")
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--breaks", type=int, default=16)
    parser.add_argument("--no-day", action="store_true", help="launch figures only")
    args = parser.parse_args()
    missing = [tool for tool in ("workrave", "safeeyes") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {missing}: run scripts/bench-setup.sh")

    with tempfile.TemporaryDirectory(prefix="coach-day-") as tmp:
        work = Path(tmp)
        session = start_desktop(work / "desktop")
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert bus.stdout is not None
            system_bus = bus.stdout.readline().strip()
            homes = {}
            for name in ("workrave", "safeeyes", "bare", "floor", "before", "coach"):
                homes[name] = work / f"home-{name}"
                homes[name].mkdir(mode=0o700)
                (homes[name] / "settings.toml").write_text(DAY_SETTINGS)

            def home_env(name: str) -> dict[str, str]:
                return dict(
                    environment(session, homes[name]),
                    HOME=str(homes[name]),
                    XDG_CONFIG_HOME=str(homes[name] / ".config"),
                    DBUS_SYSTEM_BUS_ADDRESS=system_bus,
                )

            apps = [
                App("Workrave 1.10.50", ["workrave"], home_env("workrave")),
                App("Safe Eyes 2.1.5", ["safeeyes"], home_env("safeeyes")),
                App("bare PySide6 tray", BARE_FLOOR, home_env("bare"), MARKER),
                App("PySide6 tray + APScheduler", FLOOR, home_env("floor"), MARKER),
            ]
            coaches = []
            if args.before:
                tree = export(args.before, work / "before")
                coaches.append(coach_app(f"Coach {args.before}", tree, home_env("before")))
            coaches.append(coach_app("Coach", ROOT, home_env("coach")))
            apps += coaches
            for i in range(args.launches + 1):  # the first round warms up (and first runs)
                for k, app in enumerate(apps):
                    log = work / f"launch-{i}-{k}.log"
                    running = launch(session, app.command, app.env, log, app.marker, app.cwd)
                    running.stop()
                    if i:
                        app.launches.append(running.to_tray_s)
            days = (
                {} if args.no_day else {c.name: day(session, c, args.breaks, work) for c in coaches}
            )
        finally:
            bus.terminate()
            session.stop()

    workrave, bare = (statistics.median(apps[i].launches) for i in (0, 2))
    print(f"Spawn -> tray icon, median of {args.launches} interleaved launches (s):\n")
    print("| app | median | min-max | / Workrave | / bare PySide6 tray |")
    print("| --- | --- | --- | --- | --- |")
    for app in apps:
        med = statistics.median(app.launches)
        print(
            f"| {app.name} | {med:.3f} | {min(app.launches):.3f}-{max(app.launches):.3f} | "
            f"{med / workrave:.2f}x | {med / bare:.2f}x |"
        )
    if not days:
        return
    print(f"\nA day: idle, {args.breaks} breaks answered Done, then away (MiB):\n")
    print(
        "| app | idle PSS | PSS after | after - idle | RSS after - idle | peak PSS in a break | "
        "USS idle | USS after | threads idle/after | CPU s per break |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    mib: Callable[[int], str] = lambda kib: f"{kib / 1024:.1f}"  # noqa: E731
    for name, d in days.items():
        print(
            f"| {name} | {mib(d.idle.pss_kib)} | {mib(d.after.pss_kib)} | "
            f"{(d.after.pss_kib - d.idle.pss_kib) / 1024:+.1f} | "
            f"{(d.after.rss_kib - d.idle.rss_kib) / 1024:+.1f} | {mib(d.peak_pss_kib)} | "
            f"{mib(d.idle.uss_kib)} | {mib(d.after.uss_kib)} | {d.idle.threads}/"
            f"{d.after.threads} | {d.cpu_s / d.breaks:.2f} |"
        )
    print(
        "\n(peak PSS: Coach with its break window's process, read every 0.5 s while "
        "working; CPU: working and away, per break, the window processes included)"
    )
    print("\nThreads started after the idle reading:")
    for name, d in days.items():
        print(f"  {name}: while working {sorted(d.started_working.values()) or 'none'}")
        print(f"  {name}: while away {sorted(d.started_away.values()) or 'none'}")
        print(f"  {name}: in its break window's processes {sorted(d.in_window) or 'none'}")
        if d.came_or_went:
            print(
                f"  {name}: WARNING processes sharing files with Coach came or went between "
                f"the readings, which moves its PSS (not its RSS): "
                f"{sorted(d.came_or_went.values())}"
            )
    print("\nWhere the resident memory grew, after - idle (MiB; files are clean code/font pages):")
    for name, d in days.items():
        top = sorted(d.grown.items(), key=lambda kv: -abs(kv[1]))[:GROWN_SHOWN]
        print(f"  {name}: " + ", ".join(f"{m} {kib / 1024:+.2f}" for m, kib in top))


if __name__ == "__main__":
    main()
