"""A second instance, a full disk, a read-only data folder: a clear message, no crash,
no data loss.

The full disk is a real 512 KiB tmpfs and the read-only folder a real read-only bind
mount where the tests run as root (as scripts/test.sh does here); otherwise the full
disk is simulated by SQLite's own limit (`PRAGMA max_page_count`, which fails a write
with the same SQLITE_FULL a full disk gives) and the read-only folder by chmod 0500.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.config.paths import Paths
from coach.core.clock import FakeClock
from coach.core.sample import Sample
from coach.history.store import Store, open_history
from coach.ui.app import CoachApp
from tests.apps import preferences
from tests.desktop_session import DesktopSession, wait_for
from tests.disks import full_disk, read_only

CET = timezone(timedelta(hours=1))
COACH = Path(sys.executable).with_name("coach")


class Sampler:
    def sample(self, now: float) -> Sample:
        return Sample(idle_s=0.0)


@pytest.fixture
def start(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., CoachApp]
) -> Callable[[Paths], tuple[CoachApp, list[str]]]:
    """Start the app as `coach run` does (without the event loop), on a fake clock."""

    def started(paths: Paths) -> tuple[CoachApp, list[str]]:
        shown: list[str] = []
        monkeypatch.setattr(
            CoachApp, "notify", lambda self, title, body: shown.append(f"{title}: {body}")
        )
        store, notes = open_history(paths.database, recover=True)
        problems = [str(p) for p in preferences(paths).problems]
        app = make_app(
            {"end_of_day_summary": False, "weekly_checkin": False},
            paths=paths,
            store=store,
            sampler=Sampler(),
            clock=FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=CET)),
            notices=[*problems, *notes],
        )
        app.start()
        return app, shown

    return started


def with_history(folder: Path) -> Paths:
    """A data folder holding a database with one answered break."""
    paths = Paths(folder, folder, folder / "no-policy.toml")
    store = Store.open(paths.database)
    due = datetime(2026, 11, 13, 10, 0, tzinfo=CET)
    uid = store.offer_break("micro", "posture-reset", due)
    store.update_break(uid, outcome="done", when=due + timedelta(minutes=1))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return paths


def take_breaks(app: CoachApp, n: int) -> None:
    """The user takes `n` breaks from the tray menu and clicks Done."""
    for _ in range(n):
        assert isinstance(app.service.clock, FakeClock)
        app.service.clock.advance(60)
        app.tick()
        app.take_break_now()
        app.answer(app.window.break_id, "done")
        assert not app.window.isVisible()  # acknowledged: the window closed


def done_breaks(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        n = conn.execute("SELECT count(*) FROM breaks WHERE outcome = 'done'").fetchone()[0]
    conn.close()
    return int(n)


# -- full disk -----------------------------------------------------------------------
def test_a_full_disk_at_start_leaves_the_history_alone_and_says_so(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    with full_disk(tmp_path / "data") as fill:
        paths = with_history(tmp_path / "data")
        before = paths.database.read_bytes()
        fill(True)

        app, shown = start(paths)
        take_breaks(app, 2)  # it runs on (in memory)

        assert paths.database.read_bytes() == before  # not set aside, not changed
        assert not list(paths.data_dir.glob("*.broken-*"))
        message = "\n".join(shown)
        assert str(paths.database) in message and "disk is full" in message
        fill(False)
        assert done_breaks(paths.database) == 1


def test_a_disk_filling_up_keeps_answers_in_memory_until_it_has_room(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    with full_disk(tmp_path / "data") as fill:
        paths = with_history(tmp_path / "data")
        app, shown = start(paths)
        take_breaks(app, 1)
        fill(True)
        take_breaks(app, 3)  # acknowledged while the disk is full
        assert [m for m in shown if "cannot save" in m], shown
        assert str(paths.database) in shown[-1] and "disk is full" in shown[-1]
        assert app.service.write_problem is not None
        fill(False)
        app.service.clock.advance(5)
        app.tick()  # the next tick writes what waited

        assert app.service.write_problem is None
        assert done_breaks(paths.database) == 1 + 1 + 3
        integrity = app.service.store.conn.execute("PRAGMA integrity_check").fetchone()
        assert integrity == ("ok",)


def test_a_refused_write_simulated_with_max_page_count_loses_nothing(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    """The same as above without root: SQLite's page limit gives SQLITE_FULL."""
    paths = with_history(tmp_path)
    app, shown = start(paths)
    conn = app.service.store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    taken = 0
    while app.service.write_problem is None and taken < 1000:  # until a page is needed
        take_breaks(app, 1)
        taken += 1
    take_breaks(app, 5)
    assert app.service.write_problem is not None
    assert len([m for m in shown if "cannot save" in m]) == 1  # said once
    conn.execute("PRAGMA max_page_count = 1000000")
    app.service.clock.advance(5)
    app.tick()
    assert app.service.write_problem is None
    assert done_breaks(paths.database) == 1 + taken + 5


# -- read-only data folder -------------------------------------------------------------
def test_a_read_only_data_folder_at_start_is_named_and_left_alone(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    paths = with_history(folder)
    before = paths.database.read_bytes()
    with read_only(folder) as set_read_only:
        set_read_only(True)
        app, shown = start(paths)
        take_breaks(app, 2)
        assert paths.database.read_bytes() == before
        message = "\n".join(shown)
        assert str(paths.database) in message and "read-only" in message
    assert sorted(p.name for p in folder.iterdir()) == ["coach.sqlite3"]


def test_a_database_turning_read_only_keeps_answers_until_it_is_writable(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    """A folder cannot be remounted read-only while Coach has its file open, so this is
    simulated with `PRAGMA query_only`, which refuses writes with SQLITE_READONLY as a
    read-only file does."""
    paths = with_history(tmp_path)
    app, shown = start(paths)
    take_breaks(app, 1)
    app.service.store.conn.execute("PRAGMA query_only = 1")
    take_breaks(app, 2)
    assert app.service.write_problem is not None
    assert "readonly" in app.service.write_problem
    assert [m for m in shown if "cannot save" in m]
    app.service.store.conn.execute("PRAGMA query_only = 0")
    app.service.clock.advance(5)
    app.tick()
    assert app.service.write_problem is None
    assert done_breaks(paths.database) == 1 + 1 + 2


@pytest.mark.desktop
def test_coach_run_with_an_unwritable_home_starts_and_says_why(
    tmp_path: Path, desktop: DesktopSession
) -> None:
    """`coach run` where not even the folders and the log can be written."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    log = tmp_path / "coach.log"
    env = dict(
        desktop.env, COACH_HOME=str(home / "coach"), COACH_POLICY=str(tmp_path / "none.toml")
    )
    with read_only(home) as set_read_only:
        set_read_only(True)
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [str(COACH), "-v", "run"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            wait_for(
                lambda: proc.poll() is not None or b"tray icon shown" in log.read_bytes(),
                30,
                "the tray icon",
            )
            assert proc.poll() is None, log.read_text()
        finally:
            proc.terminate()
            code = proc.wait(timeout=30)
    text = log.read_text()
    assert code == 0 and "Traceback" not in text, text
    assert f"{home / 'coach'}" in text and "cannot be written" in text
    assert "cannot save the history of this session" in text


# -- second instance -------------------------------------------------------------------
@pytest.mark.desktop
def test_a_second_coach_run_asks_the_first_and_touches_nothing(
    tmp_path: Path, desktop: DesktopSession
) -> None:
    session = desktop
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = dict(session.env, COACH_HOME=str(home), COACH_POLICY=str(tmp_path / "none.toml"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for trial in range(3):  # started at the same moment: exactly one stays
            logs = [tmp_path / f"run-{trial}-{n}.log" for n in range(2)]
            pair = []
            for log in logs:
                with open(log, "wb") as out:
                    pair.append(
                        subprocess.Popen(
                            [str(COACH), "-v", "run"], env=env, stdout=out, stderr=subprocess.STDOUT
                        )
                    )
            procs += pair
            wait_for(
                lambda pair=pair: any(p.poll() is not None for p in pair), 30, "one to step back"
            )
            first = next(p for p in pair if p.poll() is None)
            second = next(p for p in pair if p is not first)
            assert second.returncode == 0
            text = logs[pair.index(second)].read_text()
            assert "already running" in text and "Traceback" not in text
            log = logs[pair.index(first)]
            wait_for(
                lambda log=log: "notification 'Coach' shown" in log.read_text(),
                20,
                "the first instance to show its status",
            )
            first.terminate()
            assert first.wait(timeout=30) == 0
        with sqlite3.connect(home / "coach.sqlite3") as db:
            runs = db.execute("SELECT count(*), count(ended) FROM runs").fetchone()
        db.close()
        assert runs == (3, 3)  # one run per trial, each closed cleanly
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_a_check_in_and_a_notice_wait_in_memory_while_the_database_refuses(
    tmp_path: Path, start: Callable[..., tuple[CoachApp, list[str]]]
) -> None:
    """Every write goes through the service's buffer: the check-in window's answer and
    a screen shown once raise nothing out of a Qt slot and land when the disk allows."""
    from coach.ui.rhythm import Rhythm

    paths = with_history(tmp_path)
    app, _shown = start(paths)
    app.service.store.conn.execute("PRAGMA query_only = 1")
    Rhythm(app.settings, app.service, app.notify, {}).record_checkin(7)
    assert app.service.first_time("a_notice")
    assert not app.service.first_time("a_notice")  # shown once, though not yet on disk
    assert app.service.write_problem is not None
    app.service.store.conn.execute("PRAGMA query_only = 0")
    app.service.clock.advance(5)
    app.tick()
    assert app.service.write_problem is None
    assert [row[2] for row in app.service.store.history_rows("checkins")] == [7]
    assert app.service.store.last_notice("a_notice") is not None
