"""The adherence log: one SQLite file, WAL, schema versions by PRAGMA user_version.

Times are UTC epoch seconds with the user's UTC offset in minutes at that moment, so
local days stay right across DST and timezone changes. Every write is its own
transaction: when a method returns, the record is on disk. This module holds every SQL
statement: `open_history` is the one way to open the file (journals left beside it,
recovery), `History` the read-only interface statistics and team files use.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from coach.i18n import _, ngettext

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
    # 4: an import looks runs up by their start (without it, imports grow quadratically)
    """
    CREATE INDEX runs_started ON runs (started);
    """,
    # 5: the bout in progress, written ahead while the person sits
    """
    ALTER TABLE bouts ADD COLUMN ongoing INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: standing spans at a sit-stand desk, kept like sitting bouts
    """
    CREATE TABLE standing (
        id INTEGER PRIMARY KEY,
        start REAL NOT NULL,
        end REAL NOT NULL CHECK (end >= start),
        stood_s REAL NOT NULL CHECK (stood_s >= 0),
        utc_offset INTEGER NOT NULL,
        ongoing INTEGER NOT NULL DEFAULT 0,
        UNIQUE (start, end)
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
    live = path.with_name(path.name + "-wal").exists() and leftover_journal(path) is None
    try:  # a WAL in use is read with the file; a leftover one is not vouched for: not
        conn = sqlite3.connect(  # applied (it stays beside the file)
            f"{path.resolve().as_uri()}?{'mode=ro' if live else 'immutable=1'}", uri=True
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
    """A table's rows; past a damaged page, row by row (a bad leaf loses only its rows).
    A column an older schema lacks reads as NULL."""
    with suppress(sqlite3.DatabaseError):
        found_columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if found_columns:
            columns = tuple(c if c in found_columns else "NULL" for c in columns)
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


def _version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version; StoreError when a newer Coach wrote it (checked before
    anything writes to the file)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            _(
                "{file}: written by a newer Coach (schema {version}, this "
                "version knows {known}); it was left untouched"
            ).format(file=path, version=version, known=SCHEMA_VERSION)
        )
    return version


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """Damage found now, not by a write in the middle of the day."""
    damage = " ".join(conn.execute("PRAGMA quick_check(1)").fetchone()[0].split())
    if damage != "ok":
        raise StoreError(
            _("{file}: the database is damaged ({damage})").format(file=path, damage=damage)
        )


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Every table and column Coach reads is there (a file may claim a schema it lacks)."""
    for table, columns in Store.HISTORY.items():
        found = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in found]
        if missing:
            raise StoreError(
                _("{file}: not a Coach history (table {table} lacks {columns})").format(
                    file=path, table=table, columns=", ".join(missing)
                )
            )


# -- journals left beside the history -------------------------------------------------
# SQLite applies a WAL or a hot rollback journal it finds next to a database, whoever
# wrote it (https://sqlite.org/wal.html, https://sqlite.org/lockingv3.html#hot_journals):
# a journal copied in with a backup or from another computer would silently replace the
# history. Coach closes cleanly with a checkpoint, which removes its WAL, and never
# writes a rollback journal; so a journal found when no other process has the history
# open is either Coach's own after an unclean stop, or foreign. Coach's own leaves every
# record of the file in place when applied (Coach never deletes a record); a foreign one
# does not. One that cannot be vouched for is set aside with a copy of the history (both
# kept), the user is told once, and Coach goes on with the history as the file holds it.
JOURNALS = ("-wal", "-journal")
_HEADER_ONLY = 32  # a WAL header without frames changes nothing
_KEYS = {
    "runs": "started",
    "bouts": "start, end",
    "away": "start, end",
    "standing": "start, end",
    "breaks": "uid",
    "pain_reports": "exercise, at",
    "checkins": "at",
    "notices": "key",
}


def leftover_journal(path: Path) -> Path | None:
    """A journal beside `path` that no running process is using, or None."""
    for suffix in JOURNALS:
        journal = path.with_name(path.name + suffix)
        try:
            size = journal.stat().st_size
        except OSError:
            continue
        if size > _HEADER_ONLY and not _in_use(path, suffix):
            return journal
    return None


def _in_use(path: Path, suffix: str) -> bool:
    """Whether another process has the database open (it holds SQLite's locks): the
    shared-memory 'DMS' lock in WAL mode, a lock byte of the file itself otherwise."""
    try:
        import fcntl
        import struct
    except ImportError:  # Windows: SQLite's locks are not visible this way; trust the file
        return True
    target, start, length = (
        (path.with_name(path.name + "-shm"), 128, 1)
        if suffix == "-wal"
        else (path, 0x40000000, 512 + 2)  # PENDING, RESERVED and SHARED bytes
    )
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError:
        return False
    try:
        if sys.platform.startswith("linux"):  # struct flock's layout differs by kernel
            query = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
            held: int = struct.unpack("hhqqi", fcntl.fcntl(fd, fcntl.F_GETLK, query))[0]
        else:  # the BSDs and macOS: l_start, l_len, l_pid, l_type, l_whence
            query = struct.pack("qqihh", start, length, 0, fcntl.F_WRLCK, os.SEEK_SET)
            held = struct.unpack("qqihh", fcntl.fcntl(fd, fcntl.F_GETLK, query))[3]
        return held != fcntl.F_UNLCK
    except OSError:
        return True
    finally:
        os.close(fd)


def _keys(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    keys: set[tuple[object, ...]] = set()
    for table, key in _KEYS.items():
        with suppress(sqlite3.DatabaseError):  # a table an older schema lacks
            keys.update((table, *row) for row in conn.execute(f"SELECT {key} FROM {table}"))
    return keys


def vouch(path: Path, journal: Path) -> str | None:
    """None when `journal` is the history's own (a WAL that, applied to a copy, leaves
    it sound and keeps every record of the file); else the reason it is not. Raises
    WriteError when it cannot be tried (no room for the copy)."""
    import shutil
    import tempfile

    if not journal.name.endswith("-wal"):
        return _("Coach never writes a rollback journal")

    try:
        base = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            before = _keys(base)
        finally:
            base.close()
        with tempfile.TemporaryDirectory(prefix="coach-journal-") as tmp:
            copy = Path(tmp) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(journal, copy.with_name(copy.name + journal.name[len(path.name) :]))
            conn = sqlite3.connect(copy)
            try:
                damage = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
                after = _keys(conn) if damage == "ok" else set()
            finally:
                conn.close()
    except (OSError, sqlite3.Error) as exc:
        if isinstance(exc, OSError) or _refused(exc):  # no room to try: touch nothing
            raise WriteError(
                _("{file}: cannot be checked ({reason})").format(file=journal, reason=exc)
            ) from exc
        return str(exc)  # the copy cannot be read with it
    if damage != "ok":
        return _("applied to the history it damages it ({damage})").format(damage=damage)
    lost = len(before - after)
    if lost:
        return ngettext(
            "applied to the history it removes {n} record",
            "applied to the history it removes {n} records",
            lost,
        ).format(n=lost)
    return None


def set_journal_aside(path: Path, journal: Path) -> Path:
    """Keep a journal that cannot be vouched for, with a copy of the history it came
    with (so the pair can still be opened together), under a new name; returns the copy."""
    import shutil

    n = 1
    while (target := path.with_name(f"{path.name}.set-aside-{n}")).exists():
        n += 1
    shutil.copy2(path, target)
    suffix = journal.name[len(path.name) :]
    journal.rename(target.with_name(target.name + suffix))
    shm = path.with_name(path.name + "-shm")
    if suffix == "-wal" and shm.exists():
        shm.unlink()  # derived from the WAL; SQLite rebuilds it
    log.info("%s was set aside with a copy of %s as %s", journal, path, target)
    return target


def open_history(
    path: Path, *, write: bool = True, recover: bool = False
) -> tuple[Store, list[str]]:
    """The history and what to tell the user about it (once): the one way Coach opens it.

    `write`: for the app and imports (checked for damage first); else read-only, as
    statistics and exports need: nothing in the data folder changes (a read-only
    folder works; no file is an empty history). A journal left beside the file is
    applied when it is the history's own, else set aside with a copy (read-only: not
    applied, left in place). With `recover` (the app) a damaged file is set aside and
    what can be read is copied into a new one, and when the disk refuses, the session
    runs in memory; without it, those raise StoreError / WriteError.
    """
    journal = leftover_journal(path) if path.exists() else None
    try:
        reason = None if journal is None else vouch(path, journal)
    except WriteError as exc:
        if write:
            if recover:
                return Store.in_memory(), [_in_memory_note(exc)]
            raise
        note = _("{problem}; the history is shown without it").format(problem=exc)
        return Store.open_read_only(path, check=True, immutable=True), [note]
    if not write:
        if not path.exists():
            return Store.in_memory(), []
        if journal is None:  # no side files: nobody has it open; reading leaves none
            alone = not any(path.with_name(path.name + x).exists() for x in ("-wal", "-shm"))
            return Store.open_read_only(path, immutable=alone), []
        if reason is None:  # an unclean stop: read the file with its journal, in a copy
            return _applied_in_memory(path, journal), []
        note = _(
            "{journal} does not belong to the history ({reason}); it was not "
            "applied. Coach sets it aside at its next start."
        ).format(journal=journal, reason=reason)
        return Store.open_read_only(path, check=True, immutable=True), [note]
    notes = []
    if journal is not None and reason is not None:
        try:
            kept = set_journal_aside(path, journal)
        except OSError as exc:
            problem = WriteError(
                _("{file}: cannot be set aside ({reason})").format(file=journal, reason=exc)
            )
            if recover:  # a read-only folder: this session in memory, every file as it was
                return Store.in_memory(), [_in_memory_note(problem)]
            raise problem from exc
        notes.append(
            _(
                "{journal} does not belong to the history ({reason}). Both were kept, as "
                "{copy} and {journal_copy}; Coach goes on with the history as {file} holds it."
            ).format(
                journal=journal,
                reason=reason,
                copy=kept,
                journal_copy=kept.name + journal.name[len(path.name) :],
                file=path,
            )
        )
    if not recover:
        return Store.open(path), notes
    try:
        return Store.open(path), notes
    except WriteError as exc:
        return Store.in_memory(), [*notes, _in_memory_note(exc)]
    except StoreError as exc:
        store, note = _recover(path, exc)
        return store, [*notes, note]


def _applied_in_memory(path: Path, journal: Path) -> Store:
    """The history with its own journal applied, in memory (the folder is not touched)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="coach-journal-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(journal, copy.with_name(copy.name + journal.name[len(path.name) :]))
        on_disk = Store.open(copy)  # applies the journal, checks and migrates the copy
        memory = sqlite3.connect(":memory:", isolation_level=None)
        on_disk.conn.backup(memory)
        on_disk.close()
    return Store(memory, path, read_only=True)


def _recover(path: Path, problem: StoreError) -> tuple[Store, str]:
    """Set a damaged history aside, start a new one with what can still be read."""
    try:
        moved = set_aside(path)
    except OSError as err:
        return Store.in_memory(), _in_memory_note(f"{problem}; {err.strerror}")
    note = _("{problem}. It was kept as {file}; Coach started a new history.").format(
        problem=problem, file=moved
    )
    try:
        store = Store.open(path)
    except StoreError as err:
        return Store.in_memory(), f"{note} {_in_memory_note(err)}"
    saved = sum(store.merge_history(readable_rows(moved)).values())
    if saved:
        note += " " + _("The {n} records that could still be read were copied into it.").format(
            n=saved
        )
    log.error("%s", note)
    return store, note


def _in_memory_note(problem: object) -> str:
    note = _(
        "{problem}. Coach runs on, but cannot save the history of this session; "
        "start it again once this is fixed."
    ).format(problem=problem)
    log.error("%s", note)
    return note


T_MIN, T_MAX = 946_684_800.0, 4_102_444_800.0  # 2000-01-01 .. 2100-01-01 UTC
MAX_BOUT_S = 86_400.0  # a sitting bout lasts at most a day
MAX_AWAY_S = 366 * 86_400.0  # an away span (asleep through a holiday) at most a year
_TIME = "typeof({c}) IN ('integer', 'real') AND {c} BETWEEN 946684800 AND 4102444800"
_OFFSET = "typeof(utc_offset) = 'integer' AND utc_offset BETWEEN -900 AND 900"


def _plausible(*times: str) -> str:
    return " AND ".join([*(_TIME.format(c=c) for c in times), _OFFSET])


class History:
    """The history read-only, for statistics and team files: the only reads of records.

    Rows that cannot be right (a time outside 2000-2100, a bout over a day or with more
    sitting than its span, text in a number column) are left out, so one bad record
    costs nothing and hangs nothing. Every method yields rows in time order.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    _BOUTS = (
        "SELECT start, end, sat_s, utc_offset FROM bouts WHERE "
        + _plausible("start", "end")
        + f" AND end - start BETWEEN 0 AND {MAX_BOUT_S} AND typeof(sat_s) IN ('integer', "
        f"'real') AND sat_s BETWEEN 0 AND {MAX_BOUT_S}"  # more than the span: a clock set back
    )

    def bouts(self, lo: float, hi: float) -> Iterator[tuple[float, float, float, int]]:
        """(start, end, sat_s, utc_offset) of bouts overlapping lo..hi (UTC seconds)."""
        yield from self.conn.execute(  # start >= ...: the index is used, not a scan
            f"{self._BOUTS} AND start >= ? AND start < ? AND end > ? ORDER BY start",
            (lo - MAX_BOUT_S, hi, lo),
        )

    def ongoing_bouts(self, lo: float, hi: float) -> Iterator[float]:
        """The start of the bout in progress (written ahead), if it overlaps lo..hi."""
        for (start,) in self.conn.execute(
            "SELECT start FROM bouts WHERE ongoing AND start < ? AND end > ?", (hi, lo)
        ):
            yield start

    def first_record(self) -> tuple[float, int] | None:
        """(UTC seconds, utc_offset) of the first bout or break, None with no history."""
        row = self.conn.execute(
            "SELECT start, utc_offset FROM (SELECT start, utc_offset FROM bouts WHERE "
            + _plausible("start", "end")
            + " UNION ALL SELECT due, utc_offset FROM breaks WHERE "
            + _plausible("due", "due")
            + ") ORDER BY start LIMIT 1"
        ).fetchone()
        return None if row is None else (float(row[0]), int(row[1]))

    def bouts_newest_first(self, before: float) -> Iterator[tuple[float, float, float, int]]:
        """(start, end, sat_s, utc_offset) of bouts that started before `before`."""
        yield from self.conn.execute(f"{self._BOUTS} AND start < ? ORDER BY start DESC", (before,))

    def standing(self, lo: float, hi: float) -> Iterator[tuple[float, float, float, int]]:
        """(start, end, stood_s, utc_offset) of standing spans overlapping lo..hi."""
        yield from self.conn.execute(
            "SELECT start, end, stood_s, utc_offset FROM standing WHERE "
            + _plausible("start", "end")
            + f" AND end - start BETWEEN 0 AND {MAX_BOUT_S} AND typeof(stood_s) IN "
            f"('integer', 'real') AND stood_s BETWEEN 0 AND end - start + 60"
            " AND start < ? AND end > ? ORDER BY start",
            (hi, lo),
        )

    def away(self, lo: float, hi: float) -> Iterator[tuple[float, float, str, int]]:
        """(start, end, cause, utc_offset) of away spans overlapping lo..hi."""
        yield from self.conn.execute(
            "SELECT start, end, cause, utc_offset FROM away WHERE "
            + _plausible("start", "end")
            + f" AND end - start BETWEEN 0 AND {MAX_AWAY_S} AND start >= ? AND start < ? "
            "AND end > ? ORDER BY start",
            (lo - MAX_AWAY_S, hi, lo),
        )

    def breaks(self, lo: float, hi: float) -> Iterator[tuple[float, int, str, str, str, int]]:
        """(due, utc_offset, kind, exercise, outcome, snoozes) of breaks due in lo..hi."""
        yield from self.conn.execute(
            "SELECT due, utc_offset, kind, exercise, outcome, snoozes FROM breaks WHERE "
            + _plausible("due")
            + " AND typeof(snoozes) = 'integer' AND snoozes BETWEEN 0 AND 1000 "
            "AND due >= ? AND due < ? ORDER BY due",
            (lo, hi),
        )

    def checkins(self, lo: float, hi: float) -> Iterator[tuple[float, int, int]]:
        """(at, utc_offset, score) of weekly check-ins in lo..hi."""
        yield from self.conn.execute(
            "SELECT at, utc_offset, score FROM checkins WHERE "
            + _plausible("at")
            + " AND typeof(score) = 'integer' AND at >= ? AND at < ? ORDER BY at",
            (lo, hi),
        )


class Store(History):
    """The adherence log. Open with `open_history(path)` (or `Store.open`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
        super().__init__(conn)
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open for writing (creating if needed, user-only permissions), look for damage
        (`PRAGMA quick_check`: once a start, not at read-only opens) and migrate forward.

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
            version = _version(conn, path)
            _check(conn, path)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            store = cls(conn, path)
            store._migrate(version)
            _check_schema(conn, path)
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

    @classmethod
    def open_read_only(cls, path: Path, *, check: bool = False, immutable: bool = False) -> Store:
        """Open an existing history without writing to it (a read-only folder works).

        An older schema is migrated in a copy in memory; `immutable` reads the main file
        alone (a journal beside it is not applied). Raises StoreError."""
        mode = "immutable=1" if immutable else "mode=ro"
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=5.0)
        except sqlite3.Error as exc:
            raise StoreError(
                _("{file}: cannot be opened ({reason})").format(file=path, reason=exc)
            ) from exc
        try:
            version = _version(conn, path)
            if check:
                _check(conn, path)
            if version < SCHEMA_VERSION:
                memory = sqlite3.connect(":memory:", isolation_level=None)
                conn.backup(memory)
                conn.close()
                conn = memory
                cls(conn, path)._migrate(version)
            _check_schema(conn, path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                _("{file}: the database cannot be used ({reason})").format(file=path, reason=exc)
            ) from exc
        except StoreError:
            conn.close()
            raise
        conn.isolation_level = None
        return cls(conn, path, read_only=True)

    def _migrate(self, version: int) -> None:
        for number in range(version, SCHEMA_VERSION):
            try:  # one script, one transaction: a migration applies whole or not at all
                self.conn.executescript(
                    f"BEGIN IMMEDIATE; {MIGRATIONS[number]}"
                    f"PRAGMA user_version = {number + 1}; COMMIT;"
                )
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and not _refused(exc):
                    raise StoreError(  # "no such table": it claims a schema it lacks
                        _("{file}: not a Coach history ({reason})").format(
                            file=self.path, reason=exc
                        )
                    ) from exc
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
        """Close cleanly: the journal is folded into the file and removed, so a journal
        found at the next start means an unclean stop (see `open_history`)."""
        if not self.read_only:
            with suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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

    def add_bout(
        self, start: datetime, end: datetime, sat_s: float, *, ongoing: bool = False
    ) -> None:
        """A sitting bout. `ongoing`: the bout in progress so far, written ahead so that
        an unclean stop keeps it; the next write (ahead, or the bout closed) replaces
        it. One run has at most one bout in progress."""
        self._add_span("bouts", "sat_s", start, end, sat_s, ongoing)

    def add_standing(
        self, start: datetime, end: datetime, stood_s: float, *, ongoing: bool = False
    ) -> None:
        """A standing span; `ongoing` as for `add_bout`."""
        self._add_span("standing", "stood_s", start, end, stood_s, ongoing)

    def _add_span(
        self, table: str, amount: str, start: datetime, end: datetime, value: float, ongoing: bool
    ) -> None:
        """One transaction: the span in progress of `table` replaced, or a new one."""
        ts, off = _stamp(start)
        row = (ts, max(end.timestamp(), ts), value, off, int(ongoing))
        with self.transaction() as c:
            if not c.execute(
                f"UPDATE OR REPLACE {table} SET start = ?, end = ?, {amount} = ?, "
                "utc_offset = ?, ongoing = ? WHERE ongoing",
                row,
            ).rowcount:
                c.execute(
                    f"INSERT OR IGNORE INTO {table} (start, end, {amount}, utc_offset, ongoing) "
                    "VALUES (?, ?, ?, ?, ?)",
                    row,
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
                (outcome, answered, snoozed, kind, exercise, reason or None, uid),
            )

    def close_open_breaks(self, when: datetime) -> None:
        """Breaks left open or snoozed by a previous run are recorded as missed; a bout
        or standing span it wrote ahead and never closed (an unclean stop) stays as last
        written."""
        with self.transaction() as c:
            c.execute(
                "UPDATE breaks SET outcome = 'missed', answered = MAX(?, due) "
                "WHERE outcome IN ('open', 'snoozed')",
                (when.timestamp(),),
            )
            c.execute("UPDATE bouts SET ongoing = 0 WHERE ongoing")
            c.execute("UPDATE standing SET ongoing = 0 WHERE ongoing")

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
        "pain_reports": ("exercise", "at", "utc_offset", "cleared"),
        "checkins": ("at", "utc_offset", "score"),
        "notices": ("key", "shown"),
        "standing": ("start", "end", "stood_s", "utc_offset"),
    }

    def history_rows(self, table: str) -> Iterator[tuple[object, ...]]:
        """Every row of a HISTORY table (its HISTORY columns), oldest first."""
        columns = self.HISTORY[table]
        yield from self.conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]}, rowid"
        )

    def merge_history(self, rows: dict[str, list[tuple[object, ...]]]) -> dict[str, int]:
        """Add rows that are not there yet, all in one transaction; returns rows added.

        Already there: a break with the same uid, a bout, away or standing span with the same
        (start, end), a pain report with the same (exercise, at), a check-in at the same
        moment, a run started at the same moment, a notice with the same key.
        """
        return self.merge(rows)[0]

    _SUPERSEDE = {  # a newer state of a record already there replaces the older one
        "breaks": (
            "UPDATE breaks SET outcome = :outcome, answered = :answered, snoozes = "
            "MAX(snoozes, :snoozes), reason = COALESCE(:reason, reason), kind = :kind, "
            "exercise = :exercise WHERE uid = :uid AND outcome IN ('open', 'snoozed') AND "
            "(:outcome NOT IN ('open', 'snoozed') OR :snoozes > snoozes)"
        ),
        "runs": (
            "UPDATE runs SET ended = :ended WHERE started = :started AND ended IS NULL "
            "AND :ended IS NOT NULL"
        ),
        "pain_reports": (
            "UPDATE pain_reports SET cleared = :cleared WHERE exercise = :exercise AND at = :at "
            "AND cleared IS NULL AND :cleared IS NOT NULL"
        ),
        "notices": "UPDATE notices SET shown = :shown WHERE key = :key AND shown < :shown",
    }

    def merge(
        self, rows: dict[str, list[tuple[object, ...]]]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """`merge_history`, and bring records already there up to date: a break answered
        since, a run ended since, a pain report cleared since (never the other way
        round). Returns (rows added, rows updated) per table; one transaction."""
        added: dict[str, int] = {}
        updated: dict[str, int] = {}
        with self.transaction() as c:
            for table, table_rows in rows.items():
                columns = self.HISTORY[table]
                marks = ", ".join("?" * len(columns))
                before = c.total_changes
                if table in self._SUPERSEDE:
                    named = [dict(zip(columns, r, strict=True)) for r in table_rows]
                    c.executemany(self._SUPERSEDE[table], named)
                updated[table] = c.total_changes - before
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
        return added, updated

    @classmethod
    def in_memory(cls) -> Store:
        """An empty store that lives in memory only (nothing is written anywhere)."""
        store = cls(sqlite3.connect(":memory:", isolation_level=None), Path(":memory:"))
        store._migrate(0)
        return store
