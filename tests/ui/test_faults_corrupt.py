"""Corrupt files: the database (truncated, zero-length, random bytes, damaged pages, a
newer schema), the settings and policy files and exercise pack files (truncated,
zero-length, random bytes, from the future). The app starts the way `coach run` does,
says what happened and where, sets a bad database aside instead of overwriting it, and
loses nothing that could still be read.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.config import settings as settings_mod
from coach.config.paths import Paths
from coach.config.settings import Settings
from coach.core.clock import FakeClock
from coach.core.events import Answer, BreakDue
from coach.core.sample import Sample
from coach.exercises.catalog import LIBRARY_DIR
from coach.history.store import SCHEMA_VERSION, Store, open_history
from coach.service import CoachService
from coach.ui.app import CoachApp
from tests.apps import preferences
from tests.fakes.picker import TierPicker

CET = timezone(timedelta(hours=1))
BUSY = replace(Settings(), micro_every_min=0.5, exercise_every_min=2.0, language="en")
TABLES = {"breaks": "uid", "bouts": "start", "away": "start"}


class FakeSampler:
    def sample(self, now: float) -> Sample:
        return Sample(idle_s=0.0)


def lived_in(paths: Paths) -> None:
    """Two weeks of history: breaks answered, bouts and away spans."""
    store = Store.open(paths.database)
    clock = FakeClock(datetime(2026, 11, 2, 9, 0, tzinfo=CET))
    svc = CoachService(BUSY, store, clock, TierPicker(lambda tier: "posture-reset"))
    outcomes = iter(["done", "skip", "snooze", "done", "hurt"] * 10_000)
    for day in range(14):
        for n in range(8 * 720):  # 8 hours, ticking every 5 s, a walk every hour
            clock.advance(5)
            sample = Sample(idle_s=300.0) if n % 720 > 700 else Sample(idle_s=0.0)
            for e in svc.tick(sample):
                if isinstance(e, BreakDue):
                    outcome = Answer(next(outcomes))
                    svc.answer(e.break_id, outcome if outcome in e.answers else Answer.DONE, "busy")
        svc.finish()
        clock.set_wall(datetime(2026, 11, 3 + day, 9, 0, tzinfo=CET))
        clock.advance(16 * 3600)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with history, built once."""
    folder = tmp_path_factory.mktemp("history")
    lived_in(Paths(folder, folder, folder / "no-policy.toml"))
    return folder / "coach.sqlite3"


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    return Paths(home, home, home / "policy.toml")


@pytest.fixture
def started(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., CoachApp]
) -> Callable[[Paths], tuple[CoachApp, list[str]]]:
    """Start the app as `coach run` does; returns it and the notifications it showed."""

    def start(paths: Paths) -> tuple[CoachApp, list[str]]:
        shown: list[str] = []
        monkeypatch.setattr(
            CoachApp, "notify", lambda self, title, body: shown.append(f"{title}\n{body}")
        )
        store, notes = open_history(paths.database, recover=True)
        problems = [str(p) for p in preferences(paths).problems]
        app = make_app(
            paths=paths,
            store=store,
            sampler=FakeSampler(),
            clock=FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=CET)),
            notices=[*problems, *notes],
        )
        app.start()
        app.tick()
        return app, shown

    return start


def rows_by_rowid(db: Path, table: str, key: str, count: int) -> set[object]:
    """The `key` of every row of `table` that can be read, probing each rowid (an
    oracle independent of how the app reads a damaged file)."""
    work = db.with_name("probe.sqlite3")
    shutil.copyfile(db, work)
    found: set[object] = set()
    try:
        conn = sqlite3.connect(work)
    except sqlite3.DatabaseError:
        return found
    for rowid in range(1, count + 1):
        try:
            row = conn.execute(f"SELECT {key} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            found.add(row[0])
    conn.close()
    work.unlink()
    return found


def _damage(data: bytes, kind: str) -> bytes:
    rng = random.Random(kind)
    half = len(data) // 2 // 4096 * 4096
    if kind == "truncated":
        return data[:half]
    if kind == "header-only":
        return data[:100]
    if kind == "zero-length":
        return b""
    if kind == "random-bytes":
        return rng.randbytes(len(data))
    if kind == "damaged-pages":  # two pages in the middle overwritten
        return data[:half] + rng.randbytes(8192) + data[half + 8192 :]
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind",
    ["truncated", "header-only", "zero-length", "random-bytes", "damaged-pages", "future-schema"],
)
def test_a_broken_database_is_set_aside_and_what_is_readable_is_kept(
    history: Path, paths: Paths, started: Callable[..., tuple[CoachApp, list[str]]], kind: str
) -> None:
    with sqlite3.connect(history) as conn:
        counts = {t: conn.execute(f"SELECT max(rowid) FROM {t}").fetchone()[0] for t in TABLES}
    conn.close()
    if kind == "future-schema":
        shutil.copyfile(history, paths.database)
        with sqlite3.connect(paths.database) as conn:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        bad = paths.database.read_bytes()
    else:
        bad = _damage(history.read_bytes(), kind)
        paths.database.write_bytes(bad)
        paths.database.chmod(0o600)
    copy = paths.data_dir.parent / "damaged-copy.sqlite3"
    copy.write_bytes(bad)
    readable = {t: rows_by_rowid(copy, t, key, counts[t]) for t, key in TABLES.items()}

    app, shown = started(paths)

    aside = sorted(paths.data_dir.glob("coach.sqlite3.broken-*"))
    if kind == "zero-length":  # an empty file is an empty database: nothing to set aside
        assert aside == [] and shown == []
    else:
        assert [p.name for p in aside] == ["coach.sqlite3.broken-1"]
        assert aside[0].read_bytes() == bad, "the bad file was changed"
        message = "\n".join(shown)
        assert str(paths.database) in message and str(aside[0]) in message
        if kind == "future-schema":
            assert "newer Coach" in message
    # the app works on: a break is offered and recorded
    app.take_break_now()
    app.answer(app.window.break_id, "done")
    db = app.service.store.conn
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute(
        "SELECT count(*) FROM breaks WHERE outcome = 'done' AND due >= ?",
        (datetime(2026, 12, 1, tzinfo=CET).timestamp(),),
    ).fetchone() == (1,)
    for table, key in TABLES.items():  # nothing that could be read was lost
        kept = {r[0] for r in db.execute(f"SELECT {key} FROM {table}")}
        assert readable[table] <= kept, f"{table}: readable rows were not kept"
    if kind in ("future-schema", "damaged-pages"):
        assert readable["breaks"], "the oracle should find rows in these cases"


BAD_TOML = {
    "truncated": b'micro_every_min = 20\nsnooze_min = 3\nfocus = "hi',
    "zero-length": b"",
    "random-bytes": random.Random(5).randbytes(300),
    "from-the-future": b'schema_version = 9\nmicro_every_min = 20\nbreak_style = "zen"\n',
    "nested": b"x = " + b"[" * 600 + b"]" * 600 + b"\n",  # RecursionError before
}


@pytest.mark.parametrize("kind", BAD_TOML)
def test_a_broken_settings_file_is_reported_and_left_as_it_was(
    paths: Paths, started: Callable[..., tuple[CoachApp, list[str]]], kind: str
) -> None:
    paths.settings_file.write_bytes(BAD_TOML[kind])

    app, shown = started(paths)

    assert paths.settings_file.read_bytes() == BAD_TOML[kind]  # untouched
    if kind == "zero-length":
        assert shown == [] and app.settings == Settings(language="en")  # the tests run in English
        return
    message = "\n".join(shown)
    assert str(paths.settings_file) in message
    if kind == "truncated":
        assert "line 3" in message and app.settings.micro_every_min == 30  # safe value
    if kind == "from-the-future":  # what it can read, it uses; the rest is named
        assert app.settings.micro_every_min == 20
        assert "schema_version" in message and "break_style" in message
    # saving from the dialog later keeps a copy of the original first
    kept = settings_mod.save(paths.settings_file, {"snooze_min": 4})
    if kind != "from-the-future" or kept is not None:
        assert kept is not None and kept.read_bytes() == BAD_TOML[kind]
    assert settings_mod.read_toml(paths.settings_file)[0]["snooze_min"] == 4


@pytest.mark.parametrize("kind", BAD_TOML)
def test_a_broken_policy_file_is_reported_and_left_as_it_was(
    paths: Paths, started: Callable[..., tuple[CoachApp, list[str]]], kind: str
) -> None:
    bad = BAD_TOML[kind].replace(b"micro_every_min", b"[lock]\nmicro_every_min")
    paths.policy_file.write_bytes(bad)

    app, shown = started(paths)

    assert paths.policy_file.read_bytes() == bad
    assert app.timer.isActive()
    if kind != "zero-length":
        assert str(paths.policy_file) in "\n".join(shown)
    if kind == "from-the-future":
        assert app.settings.micro_every_min == 20  # the lock that could be read holds


@pytest.mark.parametrize("kind", BAD_TOML)
def test_a_broken_exercise_pack_file_is_left_out_and_named(
    paths: Paths, started: Callable[..., tuple[CoachApp, list[str]]], kind: str
) -> None:
    pack = paths.config_dir / "pack"
    pack.mkdir()
    good = LIBRARY_DIR / "posture-reset.toml"
    text = good.read_text().replace('id = "posture-reset"', 'id = "pack-reset"')
    (pack / "pack-reset.toml").write_text(text)
    for svg in (LIBRARY_DIR.parent / "illustrations").glob("posture-reset-*.svg"):
        shutil.copy(svg, pack / svg.name)
    bad = pack / "broken.toml"
    bad.write_bytes(BAD_TOML[kind])
    paths.settings_file.write_text(f'exercise_pack = "{pack}"\n')

    app, shown = started(paths)

    assert bad.read_bytes() == BAD_TOML[kind]
    assert "pack-reset" in app.exercises and "broken" not in app.exercises
    assert str(bad) in "\n".join(shown)
