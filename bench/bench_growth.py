"""Growth: an accelerated week of work through the real Qt event loop, in virtual time.

The real CoachApp (coach/ui/app.py) runs on the benchmark desktop with a FakeClock and a
scripted user: Monday to Friday, typing 08:30-12:30 and 13:15-17:30 with short pauses, a
locked lunch, meetings on Tuesday and Thursday afternoon, the evening away and the laptop
asleep from 22:00 to 08:00 and over the weekend. The user clicks Done, Snooze or Skip
in the break window, or leaves it to be missed. At 17:30 the end-of-day summary runs,
on Friday the weekly check-in is answered, and every evening one setting is changed in
the way the settings dialog applies it (the daily rhythm and its scheduler restart) and
the statistics window is opened and closed (unless --no-stats).

The app's own tick timer drives virtual time: after every tick the clock moves on by the
interval the app chose, times --speed, so the event loop runs the week in about a
minute. Reported per virtual day: RSS (from /proc/self/status), ticks per virtual
minute, timer events per real second, live timers, voluntary context switches per real
second. Flat rows mean nothing leaks (no timer chains, no objects per break).

    .venv/bin/python -m bench.bench_growth [--speed 5000] [--no-stats]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.desktop import ROOT, start_desktop

TARGET_GROWTH_MIB = 5.0
CET = timezone(timedelta(hours=1))
MONDAY = datetime(2026, 11, 16, 8, 0, tzinfo=CET)


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


@dataclass
class Day:
    name: str
    rss_kib: int = 0
    ticks: int = 0
    virtual_min: float = 0.0
    timer_events: int = 0
    real_s: float = 0.0
    live_timers: int = 0
    switches: int = 0
    breaks: int = 0


def inside(speed: int, with_stats: bool) -> None:
    """Runs on the benchmark desktop; prints one line per virtual day."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from coach.config.paths import Paths
    from coach.config.preferences import Preferences
    from coach.config.settings import Settings
    from coach.core.clock import FakeClock
    from coach.core.sample import Sample
    from coach.history import stats
    from coach.history.store import Store
    from coach.service import CoachService
    from coach.ui import app as app_mod

    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setQuitOnLastWindowClosed(False)  # as run_app does
    rng = random.Random(8)
    clock = FakeClock(MONDAY)

    class User:
        """What the platform layer would report for this user at each moment."""

        asleep_once = False

        def sample(self, now: float) -> Sample:
            wall = clock.wall()
            if self.asleep_once:
                self.asleep_once = False
                return Sample(idle_s=36000.0, asleep=True)
            minute = wall.hour * 60 + wall.minute
            if wall.weekday() >= 5 or not 8 * 60 + 30 <= minute < 17 * 60 + 30:
                return Sample(idle_s=max(minute - 17 * 60 - 30, 1) * 60.0)  # gone home
            if 12 * 60 + 30 <= minute < 13 * 60 + 15:
                return Sample(idle_s=60.0, locked=True)
            if wall.weekday() in (1, 3) and 14 * 60 <= minute < 15 * 60:
                return Sample(idle_s=30.0, presence=True, busy=True)
            roll = rng.random()
            return Sample(idle_s=rng.uniform(20, 50) if roll < 0.05 else rng.uniform(0, 5))

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        paths = Paths(home, home, home / "no-policy.toml")
        store = Store.open(paths.database)
        store.mark_notice_shown("first_run_safety", MONDAY)
        store.mark_notice_shown("first_run_setup", MONDAY)
        settings = replace(Settings(), language="en")
        # the app's tick intervals, shortened by `speed`; each tick moves virtual time
        # on by the interval the app chose, scaled back up (see after_tick)
        app_mod.ACTIVE_TICK_MS = max(1, app_mod.ACTIVE_TICK_MS // speed)
        app_mod.AWAY_TICK_MS = max(1, app_mod.AWAY_TICK_MS // speed)
        service = CoachService.with_library(settings, store, clock)
        app = app_mod.CoachApp(Preferences(paths, vars(settings)), service, User())
        app.notify = lambda title, body: None  # type: ignore[method-assign]

        class TimerCount(QObject):
            count = 0

            def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Timer:
                    self.count += 1
                return False

        counter = TimerCount()
        qapp.installEventFilter(counter)
        days: list[Day] = []
        day = Day(clock.wall().strftime("%a"))
        shown_since: list[float] = []
        done_today = {"summary": False, "evening": False}

        def answer_breaks() -> None:
            window = app.window
            if not window.isVisible():
                shown_since.clear()
                return
            if not shown_since:
                shown_since.append(clock.mono())
                day.breaks += 1
            if clock.mono() - shown_since[0] < rng.uniform(5, 90):
                return
            roll = rng.random()
            if roll < 0.1:
                return  # left alone: recorded as missed after 10 minutes
            if roll < 0.3 and window.snooze_button.isVisible() and window.snooze_button.isEnabled():
                window.snooze_button.click()
            elif roll < 0.4 and window.skip_button.isVisible():
                app.answer(window.break_id, "skip", "busy")
            else:
                app.answer(window.break_id, "done")
            shown_since.clear()

        def after_tick() -> None:
            nonlocal day
            day.ticks += 1
            answer_breaks()
            wall = clock.wall()
            if wall.hour == 17 and wall.minute >= 30 and not done_today["summary"]:
                done_today["summary"] = True
                if app._rhythm is not None:
                    app._rhythm.summarize()
                    if wall.weekday() == 4:
                        app._rhythm.ask_checkin()
                        if app._rhythm.checkin_window is not None:
                            app._rhythm.checkin_window.buttons[7].click()
            if wall.hour == 19 and not done_today["evening"]:
                done_today["evening"] = True  # a settings change, as the dialog applies it
                end = "17:30" if app.settings.workday_end != "17:30" else "17:35"
                app.apply_settings(replace(app.settings, workday_end=end))
                if with_stats:
                    app.show_stats()
                    if app._stats is not None:
                        app._stats.close()
            step = app.timer.interval() / 1000 * speed  # real ms -> virtual s
            if wall.hour >= 22:  # the laptop sleeps until 08:00, or until Monday
                end_of_day(wall)
                wake = datetime.combine(
                    wall.date() + timedelta(days=1), datetime.min.time(), CET
                ).replace(hour=8)
                while wake.weekday() >= 5:
                    wake += timedelta(days=1)
                clock.advance((wake - wall).total_seconds())
                User.asleep_once = True
                if wake.weekday() == 0 or len(days) >= 5:
                    qapp.quit()
                return
            clock.advance(step)
            day.virtual_min += step / 60

        started = [time.perf_counter(), _status("voluntary_ctxt_switches")]

        def end_of_day(wall: datetime) -> None:
            nonlocal day
            gc.collect()
            day.rss_kib = _status("VmRSS")
            day.timer_events = counter.count
            counter.count = 0
            now = time.perf_counter()
            day.real_s = now - started[0]
            switches = _status("voluntary_ctxt_switches")
            day.switches = switches - started[1]
            started[:] = [now, switches]
            day.live_timers = len([t for t in qapp.findChildren(QTimer) if t.isActive()]) + len(
                [t for t in app.findChildren(QTimer) if t.isActive()]
            )
            stats.day_stats(store, wall.date())
            days.append(day)
            print(
                f"day {day.name} {day.rss_kib} {day.ticks} {day.virtual_min:.1f} "
                f"{day.timer_events} {day.real_s:.2f} {day.live_timers} {day.switches} "
                f"{day.breaks}",
                flush=True,
            )
            day = Day((wall + timedelta(days=1)).strftime("%a"))
            done_today.update(summary=False, evening=False)

        app.timer.timeout.connect(after_tick)
        print(f"start {_status('VmRSS')}", flush=True)
        app.start()
        print(f"started {_status('VmRSS')}", flush=True)
        qapp.exec()
        rows = store.conn.execute("SELECT outcome, count(*) FROM breaks GROUP BY outcome")
        print("outcomes " + " ".join(f"{o}={n}" for o, n in rows), flush=True)
        app.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--speed", type=int, default=5000, help="virtual seconds per real second (default 5000)"
    )
    parser.add_argument(
        "--no-stats", action="store_true", help="do not open the statistics window in the evenings"
    )
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.speed, not args.no_stats)
        return
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        session = start_desktop(Path(tmp) / "desktop")
        try:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.bench_growth",
                    "--inside",
                    "--speed",
                    str(args.speed),
                    *(["--no-stats"] if args.no_stats else []),
                ],
                cwd=ROOT,
                env={**os.environ, **session.env},
                capture_output=True,
                text=True,
                timeout=1800,
            )
        finally:
            session.stop()
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    lines = out.stdout.splitlines()
    start_kib = int(next(line for line in lines if line.startswith("start ")).split()[1])
    started_kib = int(next(line for line in lines if line.startswith("started")).split()[1])
    rows = [line.split()[1:] for line in lines if line.startswith("day ")]
    print(
        f"A week of work in virtual time, {args.speed}x, through the Qt event loop"
        f"{', statistics window not opened' if args.no_stats else ''}\n"
    )
    print(
        "| day | RSS MiB | breaks | ticks / virtual min | timer events / real s | "
        "live timers | voluntary ctx sw / real s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, rss, ticks, vmin, events, real_s, live, switches, breaks in rows:
        print(
            f"| {name} | {int(rss) / 1024:.1f} | {breaks} | "
            f"{int(ticks) / float(vmin):.2f} | {int(events) / float(real_s):.0f} | {live} | "
            f"{int(switches) / float(real_s):.0f} |"
        )
    first, last = int(rows[0][1]), int(rows[-1][1])
    growth = (last - first) / 1024
    print("\nBreaks recorded: " + next(line for line in lines if line.startswith("outcomes"))[9:])
    print(
        f"RSS before start {start_kib / 1024:.1f} MiB; after start (tray, rhythm) "
        f"{started_kib / 1024:.1f} MiB; after day 1 {first / 1024:.1f} MiB; "
        f"after day {len(rows)} {last / 1024:.1f} MiB"
    )
    print(
        f"Growth over the week after the first day: {growth:.2f} MiB "
        f"(target < {TARGET_GROWTH_MIB:g} MiB): "
        f"{'ok' if growth < TARGET_GROWTH_MIB else 'MISSED'}; "
        f"from start: {(last - start_kib) / 1024:.2f} MiB"
    )


if __name__ == "__main__":
    main()
