"""The adherence log: one SQLite file, WAL, schema versions by PRAGMA user_version.

Times are UTC epoch seconds with the user's UTC offset in minutes at that moment, so
local days stay right across DST and timezone changes. Every write is its own
transaction: when a method returns, the record is on disk.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from coach.i18n import _

log = logging.getLogger(__name__)

OUTCOMES = ("open", "snoozed", "done", "skipped", "missed", "hurt")

MIGRATIONS: list[str] = [
    # 1: the first schema
    f"""
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started REAL NOT NULL,
        utc_offset INTEGER NOT NULL,
        ended REAL
    );
    CREATE TABLE bouts (
        id INTEGER PRIMARY KEY,
        start REAL NOT NULL,
        end REAL NOT NULL CHECK (end >= start),
        sat_s REAL NOT NULL CHECK (sat_s >= 0),
        utc_offset INTEGER NOT NULL,
        UNIQUE (start, end)
    );
    CREATE TABLE away (
        id INTEGER PRIMARY KEY,
        start REAL NOT NULL,
        end REAL NOT NULL CHECK (end >= start),
        cause TEXT NOT NULL CHECK (cause IN ('idle', 'locked', 'asleep')),
        utc_offset INTEGER NOT NULL,
        UNIQUE (start, end)
    );
    CREATE TABLE breaks (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('micro', 'exercise')),
        exercise TEXT NOT NULL,
        due REAL NOT NULL,
        utc_offset INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN {OUTCOMES}),
        answered REAL,
        snoozes INTEGER NOT NULL DEFAULT 0,
        reason TEXT
    );
    CREATE INDEX bouts_start ON bouts (start);
    CREATE INDEX breaks_due ON breaks (due);
    """,
    # 2: "it hurts" as an outcome, pain reports, weekly check-ins
    f"""
    CREATE TABLE breaks_v2 (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('micro', 'exercise')),
        exercise TEXT NOT NULL,
        due REAL NOT NULL,
        utc_offset INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN {OUTCOMES}),
        answered REAL,
        snoozes INTEGER NOT NULL DEFAULT 0,
        reason TEXT
    );
    INSERT INTO breaks_v2 SELECT * FROM breaks;
    DROP TABLE breaks;
    ALTER TABLE breaks_v2 RENAME TO breaks;
    CREATE INDEX breaks_due ON breaks (due);
    CREATE TABLE pain_reports (
        id INTEGER PRIMARY KEY,
        exercise TEXT NOT NULL,
        at REAL NOT NULL,
        utc_offset INTEGER NOT NULL,
        UNIQUE (exercise, at)
    );
    CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL UNIQUE,
        utc_offset INTEGER NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10)
    );
    """,
    # 3: switching a painful exercise back on; one-off notices already shown
    """
    ALTER TABLE pain_reports ADD COLUMN cleared REAL;
    CREATE TABLE notices (
        key TEXT PRIMARY KEY,
        shown REAL NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The database cannot be used; the message names the file and what is wrong."""


class WriteError(StoreError):
    """The disk refuses (full, read-only, gone); the file itself is not known to be bad."""


_REFUSED = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_PERM",
    "SQLITE_NOMEM",
)


def _refused(exc: sqlite3.Error) -> bool:
    """Whether an error is about the disk or the moment, not about the file's contents."""
    return (exc.sqlite_errorname or "").startswith(_REFUSED)


def _why(folder: Path, exc: Exception) -> str:
    """The plain reason a write failed: a full disk or a read-only folder, if so."""
    try:
        fs = os.statvfs(folder)
    except OSError:
        return str(exc)
    if fs.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
        return _("the folder is read-only; {reason}").format(reason=exc)
    if fs.f_bavail * fs.f_frsize < 256 * 1024:
        return _("the disk is full; {reason}").format(reason=exc)
    return str(exc)


def _stamp(when: datetime) -> tuple[float, int]:
    offset = when.utcoffset()
    if offset is None:
        raise ValueError("timestamps must be timezone-aware")
    return when.timestamp(), int(offset.total_seconds() // 60)


def set_aside(path: Path) -> Path:
    """Rename a database that cannot be used (with its WAL files) so nothing is lost."""
    n = 1
    while (target := path.with_name(f"{path.name}.broken-{n}")).exists():
        n += 1
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    path.rename(target)
    log.warning("%s was set aside as %s", path, target)
    return target


def readable_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every history row that can still be read from a damaged or newer database
    (read-only: the file is not changed), for `Store.merge_history`."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    has_wal = path.with_name(path.name + "-wal").exists()  # else: open without side files
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{'mode=ro' if has_wal else 'immutable=1'}", uri=True
        )
    except sqlite3.Error:
        return rows
    try:
        for table, columns in Store.HISTORY.items():
            if found := _readable(conn, table, columns):
                rows[table] = found
    finally:
        conn.close()
    return rows


def _readable(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...]
) -> list[tuple[object, ...]]:
    """A table's rows; past a damaged page, row by row (a bad leaf loses only its rows)."""
    select = f"SELECT rowid, {', '.join(columns)} FROM {table}"
    found: dict[int, tuple[object, ...]] = {}
    try:
        for rowid, *row in conn.execute(select):
            found[rowid] = tuple(row)
        return list(found.values())
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorname == "SQLITE_ERROR":  # no such table (an older schema)
            return []
        log.warning("%s: %s after %d rows; reading the rest row by row", table, exc, len(found))
    try:
        last = int(conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0)
    except sqlite3.DatabaseError:
        last = max(found, default=0) + 10_000
    for rowid in range(1, last + 1):
        if rowid not in found:
            try:
                row = conn.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row is not None:
                found[rowid] = tuple(row[1:])
    return [found[r] for r in sorted(found)]


class Store:
    """The adherence log. Open with `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed, user-only permissions) and migrate forward.

        Raises WriteError when the disk refuses (the file is fine, leave it), StoreError
        when the file itself cannot be used (damaged, or from a newer Coach)."""
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        except (OSError, sqlite3.Error) as exc:
            raise WriteError(
                _("{file}: cannot be opened ({reason})").format(
                    file=path, reason=_why(path.parent, exc)
                )
            ) from exc
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # checked before anything writes to the file
                raise StoreError(
                    _(
                        "{file}: written by a newer Coach (schema {version}, this "
                        "version knows {known}); it was left untouched"
                    ).format(file=path, version=version, known=SCHEMA_VERSION)
                )
            damage = " ".join(conn.execute("PRAGMA quick_check(1)").fetchone()[0].split())
            if damage != "ok":  # found now, not by a write in the middle of the day
                raise StoreError(
                    _("{file}: the database is damaged ({damage})").format(file=path, damage=damage)
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            store = cls(conn, path)
            store._migrate(version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _refused(exc):
                raise WriteError(
                    _("{file}: cannot be written ({reason})").format(
                        file=path, reason=_why(path.parent, exc)
                    )
                ) from exc
            raise StoreError(
                _("{file}: the database cannot be used ({reason})").format(file=path, reason=exc)
            ) from exc
        except StoreError:
            conn.close()
            raise
        return store

    def _migrate(self, version: int) -> None:
        for number in range(version, SCHEMA_VERSION):
            try:  # one script, one transaction: a migration applies whole or not at all
                self.conn.executescript(
                    f"BEGIN IMMEDIATE; {MIGRATIONS[number]}"
                    f"PRAGMA user_version = {number + 1}; COMMIT;"
                )
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            log.info("%s: migrated to schema %d", self.path, number + 1)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction; WriteError (nothing written) when the disk refuses it."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:  # a failed COMMIT leaves it open
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            if _refused(exc):
                raise WriteError(
                    _("{file}: cannot be written ({reason})").format(
                        file=self.path, reason=_why(self.path.parent, exc)
                    )
                ) from exc
            raise

    def close(self) -> None:
        self.conn.close()

    # -- writes ------------------------------------------------------------------
    def start_run(self, when: datetime) -> int:
        ts, off = _stamp(when)
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs (started, utc_offset) VALUES (?, ?)", (ts, off))
        return int(cur.lastrowid or 0)

    def end_run(self, run_id: int, when: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET ended = MAX(?, started) WHERE id = ?",  # a clock set
                (when.timestamp(), run_id),
            )  # back never makes a negative duration

    def add_bout(self, start: datetime, end: datetime, sat_s: float) -> None:
        ts, off = _stamp(start)
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO bouts (start, end, sat_s, utc_offset) VALUES (?, ?, ?, ?)",
                (ts, max(end.timestamp(), ts), sat_s, off),
            )

    def add_away(self, start: datetime, end: datetime, cause: str) -> None:
        ts, off = _stamp(start)
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO away (start, end, cause, utc_offset) VALUES (?, ?, ?, ?)",
                (ts, max(end.timestamp(), ts), cause, off),
            )

    def offer_break(self, kind: str, exercise: str, due: datetime, uid: str | None = None) -> str:
        """Record a break that fell due; returns its uid (`uid`, or a new one)."""
        uid = uid or uuid.uuid4().hex
        ts, off = _stamp(due)
        with self.transaction() as c:
            c.execute(
                "INSERT INTO breaks (uid, kind, exercise, due, utc_offset, outcome) "
                "VALUES (?, ?, ?, ?, ?, 'open')",
                (uid, kind, exercise, ts, off),
            )
        return uid

    def update_break(
        self,
        uid: str,
        *,
        outcome: str,
        when: datetime,
        kind: str | None = None,
        exercise: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Record an answer (or a re-show) for a break, in one transaction."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        snoozed = 1 if outcome == "snoozed" else 0
        answered = None if outcome == "open" else when.timestamp()
        with self.transaction() as c:
            c.execute(
                "UPDATE breaks SET outcome = ?, answered = COALESCE(MAX(?, due), "
                "answered), "  # MAX: never before it fell due, whatever the clock
                "snoozes = snoozes + ?, kind = COALESCE(?, kind), "
                "exercise = COALESCE(?, exercise), reason = COALESCE(?, reason) "
                "WHERE uid = ?",
                (outcome, answered, snoozed, kind, exercise, reason, uid),
            )

    def close_open_breaks(self, when: datetime) -> None:
        """Breaks left open or snoozed by a previous run are recorded as missed."""
        with self.transaction() as c:
            c.execute(
                "UPDATE breaks SET outcome = 'missed', answered = MAX(?, due) "
                "WHERE outcome IN ('open', 'snoozed')",
                (when.timestamp(),),
            )

    def report_pain(self, exercise: str, when: datetime) -> None:
        ts, off = _stamp(when)
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO pain_reports (exercise, at, utc_offset) VALUES (?, ?, ?)",
                (exercise, ts, off),
            )

    def pain_reports_since(self, since: datetime) -> list[str]:
        """Exercise ids reported painful since `since`, oldest first."""
        rows = self.conn.execute(
            "SELECT exercise FROM pain_reports WHERE at >= ? ORDER BY at", (since.timestamp(),)
        ).fetchall()
        return [r[0] for r in rows]

    def painful_exercises(self) -> set[str]:
        """Exercises reported painful and not switched back on since."""
        rows = self.conn.execute(
            "SELECT DISTINCT exercise FROM pain_reports WHERE cleared IS NULL"
        ).fetchall()
        return {r[0] for r in rows}

    def switch_back_on(self, exercise: str, when: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE pain_reports SET cleared = ? WHERE exercise = ? AND cleared IS NULL",
                (when.timestamp(), exercise),
            )

    def pain_times_since(self, since: datetime) -> list[float]:
        """When each pain report since `since` was made (epoch seconds), oldest first."""
        rows = self.conn.execute(
            "SELECT at FROM pain_reports WHERE at >= ? ORDER BY at", (since.timestamp(),)
        ).fetchall()
        return [float(r[0]) for r in rows]

    def switched_on_since(self, since: datetime) -> set[str]:
        """Exercises switched back on after a pain report since `since`."""
        rows = self.conn.execute(
            "SELECT DISTINCT exercise FROM pain_reports WHERE cleared >= ?", (since.timestamp(),)
        ).fetchall()
        return {r[0] for r in rows}

    def checkins_since(self, since: datetime) -> list[tuple[float, int]]:
        """(epoch seconds, score) of the weekly check-ins since `since`, newest first."""
        rows = self.conn.execute(
            "SELECT at, score FROM checkins WHERE at >= ? ORDER BY at DESC", (since.timestamp(),)
        ).fetchall()
        return [(float(at), int(score)) for at, score in rows]

    def last_notice(self, key: str) -> float | None:
        """When a one-off notice was last shown (epoch seconds), or None."""
        row = self.conn.execute("SELECT shown FROM notices WHERE key = ?", (key,)).fetchone()
        return None if row is None else float(row[0])

    def mark_notice_shown(self, key: str, when: datetime) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO notices (key, shown) VALUES (?, ?)", (key, when.timestamp())
            )

    def done_exercise_breaks_per_week(self, now: datetime, weeks: int) -> list[int]:
        """Completed exercise breaks in each of the past `weeks` full 7-day spans
        before `now`, most recent first."""
        counts = []
        end = now.timestamp()
        for _week in range(weeks):
            start = end - 7 * 86400
            counts.append(
                self.conn.execute(
                    "SELECT COUNT(*) FROM breaks WHERE kind = 'exercise' AND outcome = 'done' "
                    "AND due >= ? AND due < ?",
                    (start, end),
                ).fetchone()[0]
            )
            end = start
        return counts

    def break_answers_since(self, since: datetime) -> list[tuple[float, int, str, int]]:
        """(due, utc_offset, outcome, snoozes) of breaks since `since`."""
        return self.conn.execute(
            "SELECT due, utc_offset, outcome, snoozes FROM breaks WHERE due >= ? ORDER BY due",
            (since.timestamp(),),
        ).fetchall()

    def recent_exercises(self, limit: int = 12) -> list[str]:
        rows = self.conn.execute(
            "SELECT exercise FROM breaks ORDER BY due DESC LIMIT ?", (limit,)
        ).fetchall()
        return [r[0] for r in reversed(rows)]

    # -- weekly check-in, history export and import -------------------------------
    def add_checkin(self, score: int, when: datetime) -> None:
        """The weekly check-in: how the back and hips felt, 0 (very bad) to 10 (very good)."""
        ts, off = _stamp(when)
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO checkins (at, utc_offset, score) VALUES (?, ?, ?)",
                (ts, off, score),
            )

    HISTORY: dict[str, tuple[str, ...]] = {  # every table's columns, without row ids
        "runs": ("started", "utc_offset", "ended"),
        "bouts": ("start", "end", "sat_s", "utc_offset"),
        "away": ("start", "end", "cause", "utc_offset"),
        "breaks": (
            "uid",
            "kind",
            "exercise",
            "due",
            "utc_offset",
            "outcome",
            "answered",
            "snoozes",
            "reason",
        ),
        "pain_reports": ("exercise", "at", "utc_offset"),
        "checkins": ("at", "utc_offset", "score"),
    }

    def history_rows(self, table: str) -> Iterator[tuple[object, ...]]:
        """Every row of a HISTORY table (its HISTORY columns), oldest first."""
        columns = self.HISTORY[table]
        yield from self.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]}, rowid"
        )

    def merge_history(self, rows: dict[str, list[tuple[object, ...]]]) -> dict[str, int]:
        """Add rows that are not there yet, all in one transaction; returns rows added.

        Already there: a break with the same uid, a bout or away span with the same
        (start, end), a pain report with the same (exercise, at), a check-in at the same
        moment, a run started at the same moment.
        """
        added: dict[str, int] = {}
        with self.transaction() as c:
            for table, table_rows in rows.items():
                columns = self.HISTORY[table]
                marks = ", ".join("?" * len(columns))
                before = c.total_changes
                if table == "runs":  # no unique key in the schema: match on the start
                    c.executemany(
                        f"INSERT INTO runs ({', '.join(columns)}) SELECT {marks} "
                        "WHERE NOT EXISTS (SELECT 1 FROM runs WHERE started = ?)",
                        [(*r, r[0]) for r in table_rows],
                    )
                else:
                    c.executemany(
                        f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                        table_rows,
                    )
                added[table] = c.total_changes - before
        return added

    @classmethod
    def in_memory(cls) -> Store:
        """An empty store that lives in memory only (nothing is written anywhere)."""
        store = cls(sqlite3.connect(":memory:", isolation_level=None), Path(":memory:"))
        store._migrate(0)
        return store
