"""SIGKILL at random moments of a busy simulated day, 200 times across the write paths:
afterwards the database opens, PRAGMA integrity_check is ok, every answer (and check-in,
pain report and settings change) acknowledged before the kill is there, and the
settings file is whole.

A zygote process (this module run with `python -m`) imports everything once and, per
round, forks a worker that drives the real CoachService on a real SQLite file with a
FakeClock as fast as it can, and appends a line to an acknowledgement file after each
answer returns (the moment the UI shows the user it was taken). The zygote kills the
worker with SIGKILL after a random delay (so the test process itself never waits on a
timer) and says which write the worker was in at that moment.
"""

from __future__ import annotations

import collections
import json
import mmap
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coach.config import settings as settings_mod
from coach.config.settings import Settings
from coach.core import events as ev
from coach.core.clock import FakeClock
from coach.core.sample import Sample
from coach.exercises.catalog import load_library
from coach.exercises.picker import Picker
from coach.history.store import Store
from coach.service import CoachService

ROUNDS = 200
DATABASES = 8  # a fresh database every ROUNDS / DATABASES kills: migrations get killed too
CET = timezone(timedelta(hours=1))
BUSY = replace(
    Settings(),
    micro_every_min=0.5,
    exercise_every_min=1.5,
    snooze_min=0.25,
    missed_after_min=1.0,
    idle_after_s=10,
    micro_reset_min=0.2,
    exercise_reset_min=0.5,
    max_snoozes=2,
    language="en",
)
ACTIVE, AWAY = Sample(idle_s=0.0), Sample(idle_s=120.0)
WRITES = (
    "start_run",
    "end_run",
    "add_bout",
    "add_away",
    "offer_break",
    "update_break",
    "close_open_breaks",
    "report_pain",
    "switch_back_on",
    "mark_notice_shown",
    "add_checkin",
)
PLACES = ("idle", "open", *WRITES, "settings_save")  # where a kill can land


# -- the worker (runs in the forked child) -------------------------------------------
class _Worker:
    def __init__(
        self, db: Path, settings_file: Path, acks: Path, seed: int, day: int, place: mmap.mmap
    ) -> None:
        self.rng = random.Random(seed)
        self.place = place
        self.acks = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.settings_file = settings_file
        self.clock = FakeClock(
            datetime(2026, 1, 5, 9, 0, tzinfo=CET) + timedelta(weeks=day),
            mono=1000.0 + day * 604_800,
        )
        self._at("open")
        self.store = Store.open(db)
        self._at("idle")
        for name in WRITES:  # mark which write is under way, for the report
            setattr(self.store, name, self._marked(name, getattr(self.store, name)))
        self.updates: list[tuple[str, str]] = []
        self.store.update_break = self._noting_update(self.store.update_break)
        exercises = _LIBRARY
        picker = Picker(exercises, BUSY, rng=random.Random(seed))
        self.service = CoachService(BUSY, self.store, self.clock, picker)

    def _at(self, name: str) -> None:
        self.place[0] = PLACES.index(name)

    def _marked(self, name: str, method: Any) -> Any:
        def call(*args: Any, **kw: Any) -> Any:
            self._at(name)
            result = method(*args, **kw)
            self._at("idle")
            return result

        return call

    def _noting_update(self, method: Any) -> Any:
        def call(uid: str, **kw: Any) -> None:
            method(uid, **kw)
            self.updates.append((uid, kw["outcome"]))

        return call

    def ack(self, *record: Any) -> None:
        os.write(self.acks, (json.dumps(record) + "\n").encode())

    def run(self) -> None:
        away_left = 0
        for n in range(10**9):
            self.clock.advance(5)
            if away_left == 0 and self.rng.random() < 0.01:
                away_left = self.rng.randint(3, 12)  # a walk to the coffee machine
            away_left = max(away_left - 1, 0)
            self.handle(self.service.tick(AWAY if away_left else ACTIVE))
            roll = self.rng.random()
            if roll < 0.01:
                score, at = self.rng.randint(0, 10), self.clock.wall()
                self.store.add_checkin(score, at)
                self.ack("checkin", at.timestamp(), score)
            elif roll < 0.0125:
                self.save_settings(n)
            elif roll < 0.02 and self.service.store.painful_exercises():
                self.service.switch_back_on(sorted(self.service.store.painful_exercises())[0])
            elif roll < 0.025:
                self.handle(self.service.take_break_now())

    def handle(self, events: list[ev.Event]) -> None:
        for e in events:
            if isinstance(e, ev.BreakDue):
                self.answer(e.break_id, ev.Answer.SNOOZE in e.answers)

    def answer(self, break_id: int, can_snooze: bool) -> None:
        choices = ["done", "skip", "hurt", "ignore"] + ["snooze"] * 3 * can_snooze
        outcome = self.rng.choice(choices)
        if outcome == "ignore":  # left open: missed later, or closed by the next run
            return
        self.updates.clear()
        events = self.service.answer(
            break_id, ev.Answer(outcome), "busy" if outcome == "skip" else None
        )
        for uid, recorded in self.updates:  # answer() returned: the UI acknowledges it
            self.ack("answer", uid, recorded)
        for e in events:
            if isinstance(e, ev.BreakHurt):
                self.ack("pain", e.exercise, self.clock.wall().timestamp())
        self.handle(events)

    def save_settings(self, n: int) -> None:
        value = round(0.25 + (n % 97) / 100, 2)
        self.ack("saving", value)
        self._at("settings_save")
        settings_mod.save(self.settings_file, {"snooze_min": value})
        self._at("idle")
        self.ack("settings", value)


_LIBRARY: list[Any] = []


def zygote() -> None:
    """Read `run DB SETTINGS ACKS SEED DAY DELAY_MS` lines; fork, kill, report."""
    _LIBRARY.extend(load_library()[0])
    place = mmap.mmap(-1, 1)
    for line in sys.stdin:
        _, db, settings_file, acks, seed, day, delay_ms = line.split()
        place[0] = PLACES.index("idle")
        pid = os.fork()
        if pid == 0:
            try:
                _Worker(Path(db), Path(settings_file), Path(acks), int(seed), int(day), place).run()
            finally:
                os._exit(3)  # never return into the zygote's loop
        time.sleep(float(delay_ms) / 1000)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        print(
            json.dumps(
                {
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                    "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                    "place": PLACES[place[0]],
                }
            ),
            flush=True,
        )


# -- the checks (in the test process) ------------------------------------------------
class Expected:
    """What the acknowledgements promise is in one database and settings file."""

    def __init__(self) -> None:
        self.final: dict[str, str] = {}  # uid -> done/skipped/hurt
        self.snoozes: collections.Counter[str] = collections.Counter()
        self.checkins: set[tuple[float, int]] = set()
        self.pains: set[tuple[str, float]] = set()
        self.settings: set[float | None] = {None}  # values the file may hold now
        self.answers = 0

    def read(self, acks: Path) -> None:
        for line in acks.read_text().splitlines():
            kind, *rest = json.loads(line)
            if kind == "answer":
                uid, outcome = rest
                self.answers += 1
                if outcome == "snoozed":
                    self.snoozes[uid] += 1
                else:
                    self.final[uid] = outcome
            elif kind == "checkin":
                self.checkins.add((rest[0], rest[1]))
            elif kind == "pain":
                self.pains.add((rest[0], rest[1]))
            elif kind == "saving":
                self.settings = {*self.settings, rest[0]}  # old or new, never torn
            elif kind == "settings":
                self.settings = {rest[0]}

    def check(self, db: Path, settings_file: Path) -> None:
        if not db.exists():  # killed before the file was created
            assert not (self.final or self.snoozes or self.checkins or self.pains)
            return
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
        store = Store.open(db)  # as the app's next start does (migrating a half-new file)
        try:
            rows = {
                uid: (outcome, snoozes)
                for uid, outcome, snoozes in store.conn.execute(
                    "SELECT uid, outcome, snoozes FROM breaks"
                )
            }
            checkins = set(store.conn.execute("SELECT at, score FROM checkins"))
            pains = set(store.conn.execute("SELECT exercise, at FROM pain_reports"))
        finally:
            store.close()
        for uid, outcome in self.final.items():
            assert rows.get(uid, ("lost",))[0] == outcome, f"answer {outcome} of {uid} lost"
        for uid, n in self.snoozes.items():
            assert uid in rows and rows[uid][1] >= n, f"snooze of {uid} lost"
        assert self.checkins <= checkins, "an acknowledged check-in was lost"
        assert self.pains <= pains, "an acknowledged pain report was lost"
        values, problems = settings_mod.read_toml(settings_file)
        assert problems == [], problems
        assert values.get("snooze_min") in self.settings


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(8)
    root = Path(__file__).resolve().parents[2]
    errors = tmp_path / "zygote.err"
    with open(errors, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.core.test_faults_crash"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    assert proc.stdin is not None and proc.stdout is not None
    places: collections.Counter[str] = collections.Counter()
    answers = 0
    try:
        per_db = ROUNDS // DATABASES
        for n in range(ROUNDS):
            folder = tmp_path / f"db{n // per_db}"
            folder.mkdir(mode=0o700, exist_ok=True)
            if n % per_db == 0:
                expected = Expected()
            db, settings_file = folder / "coach.sqlite3", folder / "settings.toml"
            acks = tmp_path / f"acks-{n}.jsonl"
            # early kills hit opening and migrating; later ones the busy day
            delay = rng.uniform(0, 4) if n % per_db < 3 else rng.uniform(2, 40)
            proc.stdin.write(f"run {db} {settings_file} {acks} {n} {n} {delay:.3f}\n")
            proc.stdin.flush()
            result = json.loads(proc.stdout.readline() or "null")
            assert result is not None, errors.read_text()
            assert result["signal"] == signal.SIGKILL, (result, errors.read_text())
            places[result["place"]] += 1
            if acks.exists():
                expected.read(acks)
            expected.check(db, settings_file)
            if n % per_db == per_db - 1:
                answers += expected.answers
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
    print(
        f"{ROUNDS} kills landed in: {dict(places.most_common())}; "
        f"{answers} acknowledged answers checked"
    )
    assert answers > ROUNDS  # the workers were busy answering
    assert len([p for p in places if p != "idle"]) >= 3  # kills landed inside writes


if __name__ == "__main__":
    zygote()
