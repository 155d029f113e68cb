"""Export the whole history (JSON or CSV) and import it again without duplicates.

JSON: {"format": "coach-history", "version": 1, "tables": {table: [{column: value}]}}.
CSV: one file; the first column, `record`, names the table of each row, the other
columns are the union of all tables' columns (empty where a table has no such column).
Times are UTC epoch seconds with `utc_offset` in minutes, exactly as stored, so an
import reproduces every value bit for bit and recognises what is already there.

An import is checked whole before anything is written, then added in one transaction:
a damaged or foreign file changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from coach import bounded
from coach.atomic import write_private
from coach.history.store import MAX_BOUT_S, OUTCOMES, T_MAX, T_MIN, Store
from coach.i18n import _

log = logging.getLogger(__name__)

FORMAT = "coach-history"
VERSION = 1
FORMATS = ("json", "csv")
RECORD = "record"
_MAX_OFFSET_MIN = 15 * 60

TABLES = Store.HISTORY
SETTING = "setting"  # a CSV record of the user's own settings: key, value (as JSON)
CSV_COLUMNS = (RECORD, *dict.fromkeys(c for cols in TABLES.values() for c in cols), "value")


class HistoryFileError(Exception):
    """An import file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class ImportResult:
    added: dict[str, int]  # rows added per table
    found: dict[str, int]  # rows in the file per table
    updated: dict[str, int] = field(default_factory=dict)  # rows brought up to date
    settings: dict[str, Any] = field(default_factory=dict)  # the user's settings it carries

    @property
    def already_there(self) -> int:
        return sum(self.found.values()) - sum(self.added.values()) - sum(self.updated.values())


# -- values ------------------------------------------------------------------------
class _Bad(Exception):
    """One value is wrong; the message says why (the caller adds where)."""


def _number(value: Any) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise _Bad(_("'{value}' is not a number").format(value=_short(value))) from None
    try:
        number = float(value) if isinstance(value, (int, float)) else math.nan
    except OverflowError:  # an int beyond any float
        number = math.inf
    if isinstance(value, bool) or not math.isfinite(number):
        raise _Bad(_("{value!r} is not a number").format(value=_short(value)))
    return number


def _short(value: Any) -> Any:
    """A value as the user wrote it, cut short enough for a message."""
    text = repr(value)
    return value if len(text) <= 40 else text[:37] + "..."


def _whole(value: Any) -> int:
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise _Bad(_("'{value}' is not a whole number").format(value=_short(value))) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(_("{value!r} is not a whole number").format(value=_short(value)))
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(_("{value!r} is not text").format(value=_short(value)))
    return value


def _within(convert: Callable[[Any], Any], lo: float, hi: float) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        result = convert(value)
        if not lo <= result <= hi:
            raise _Bad(
                _("{value} is outside {lo} to {hi}").format(value=_short(result), lo=lo, hi=hi)
            )
        return result

    return check


def _one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if _text(value) not in choices:
            raise _Bad(
                _("'{value}' is not one of: {choices}").format(
                    value=value, choices=", ".join(choices)
                )
            )
        return str(value)

    return check


def _filled(value: Any) -> str:
    if not _text(value):
        raise _Bad(_("is empty"))
    return str(value)


def _reason(value: Any) -> str | None:
    return _text(value) or None  # empty reads as none, as a CSV cell does


_OFFSET = _within(_whole, -_MAX_OFFSET_MIN, _MAX_OFFSET_MIN)
_TIME = _within(_number, T_MIN, T_MAX)  # 2000 to 2100
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "started": _TIME,
    "ended": _TIME,
    "start": _TIME,
    "end": _TIME,
    "due": _TIME,
    "answered": _TIME,
    "at": _TIME,
    "cleared": _TIME,
    "shown": _TIME,
    "key": _filled,
    "sat_s": _within(_number, 0, MAX_BOUT_S),
    "stood_s": _within(_number, 0, MAX_BOUT_S),
    "utc_offset": _OFFSET,
    "cause": _one_of("idle", "locked", "asleep"),
    "kind": _one_of("micro", "exercise"),
    "outcome": _one_of(*OUTCOMES),
    "uid": _filled,
    "exercise": _filled,
    "reason": _reason,
    "snoozes": _within(_whole, 0, 1_000),
    "score": _within(_whole, 0, 10),
}
_OPTIONAL = {
    ("runs", "ended"),
    ("breaks", "answered"),
    ("breaks", "reason"),
    ("pain_reports", "cleared"),
}


def _row(table: str, values: dict[str, Any], empty_is_none: bool) -> tuple[Any, ...]:
    """Check and convert one record; raises _Bad naming the column."""
    out: list[Any] = []
    for column in TABLES[table]:
        value = values.get(column)
        if empty_is_none and value == "":
            value = None
        if value is None:
            if (table, column) not in _OPTIONAL:
                raise _Bad(_("column '{column}' is missing").format(column=column))
            out.append(None)
            continue
        try:
            out.append(_CONVERT[column](value))
        except _Bad as exc:
            raise _Bad(_("column '{column}': {reason}").format(column=column, reason=exc)) from None
    record = dict(zip(TABLES[table], out, strict=True))
    for early, late in (("start", "end"), ("started", "ended"), ("due", "answered")):
        if record.get(late) is not None and record[late] < record[early]:
            raise _Bad(_("'{late}' is before '{early}'").format(late=late, early=early))
    if table == "bouts":
        if record["end"] - record["start"] > MAX_BOUT_S:
            raise _Bad(_("a sitting bout lasts at most a day"))
    if table == "standing":
        if record["end"] - record["start"] > MAX_BOUT_S:
            raise _Bad(_("a standing span lasts at most a day"))
    return tuple(out)


# -- export ------------------------------------------------------------------------
def export_history(
    store: Store, fmt: str, out: TextIO, settings: Mapping[str, Any] | None = None
) -> dict[str, int]:
    """Write every record to `out` as `fmt` (json or csv), with the user's own
    `settings` (switched-off exercises included); returns records per table."""
    counts = {}
    settings = {k: list(v) if isinstance(v, tuple) else v for k, v in (settings or {}).items()}
    if fmt == "json":
        tables = {}
        for table, columns in TABLES.items():
            tables[table] = [dict(zip(columns, r, strict=True)) for r in store.history_rows(table)]
            counts[table] = len(tables[table])
        body: dict[str, Any] = {"format": FORMAT, "version": VERSION, "tables": tables}
        if settings:
            body["settings"] = settings
        json.dump(body, out, indent=1, ensure_ascii=False)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for table, columns in TABLES.items():
            counts[table] = 0
            for r in store.history_rows(table):
                values = dict(zip(columns, r, strict=True))
                writer.writerow(
                    [table, *("" if values.get(c) is None else values[c] for c in CSV_COLUMNS[1:])]
                )
                counts[table] += 1
        for key, value in settings.items():
            cells = {"key": key, "value": json.dumps(value, ensure_ascii=False)}
            writer.writerow([SETTING, *(cells.get(c, "") for c in CSV_COLUMNS[1:])])
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return counts


def export_to_file(
    store: Store, fmt: str, path: Path, settings: Mapping[str, Any] | None = None
) -> dict[str, int]:
    """Export into a new file (user-only permissions, written whole or not at all)."""
    if path.exists():
        raise FileExistsError(_("{file} already exists; nothing was written").format(file=path))
    buffer = io.StringIO()
    counts = export_history(store, fmt, buffer, settings)
    write_private(path, buffer.getvalue().encode("utf-8"))
    return counts


# -- import ------------------------------------------------------------------------
Rows = dict[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Moved:
    """What an export file carries: history rows per table and the user's settings."""

    rows: Rows
    settings: dict[str, Any]


def read_history(path: Path) -> Rows:
    """The history rows of a whole export file, checked; raises HistoryFileError."""
    return read_export(path).rows


def read_export(path: Path) -> Moved:
    """Read and check a whole export file; raises HistoryFileError naming the place."""

    def fail(message: str) -> HistoryFileError:
        return HistoryFileError(
            _("{file}: {problem}; nothing was imported").format(file=path, problem=message)
        )

    try:
        text = bounded.read_bytes(path, bounded.Cap.HISTORY).decode("utf-8-sig")
    except bounded.BoundsError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(_("cannot be read ({reason})").format(reason=exc.strerror)) from exc
    except UnicodeDecodeError:
        raise fail(_("is not a Coach history export (not UTF-8 text)")) from None
    if text.lstrip().startswith("{"):
        return _read_json(text, fail)
    return _read_csv(text, fail)


def _setting(key: Any, value: Any) -> tuple[str, Any]:
    """One of the user's settings, checked as the settings file's are."""
    from coach.config.settings import SETTING_FIELDS, check

    if not isinstance(key, str) or key not in SETTING_FIELDS:
        raise _Bad(_("'{key}' is not a setting").format(key=_short(key)))
    good, problem = check(key, value)
    if problem:
        raise _Bad(f"{key}: {problem}")
    return key, good


def _read_json(text: str, fail: Callable[[str], HistoryFileError]) -> Moved:
    try:
        data = bounded.loads_json(text)
    except bounded.BoundsError as exc:
        raise fail(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise fail(
            _("is not valid JSON (line {line}: {reason})").format(line=exc.lineno, reason=exc.msg)
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise fail(
            _('is not a Coach history export (no "format": "{format}")').format(format=FORMAT)
        )
    if data.get("version") != VERSION:
        raise fail(
            _("is export version {version}; this Coach reads version {known}").format(
                version=data.get("version"), known=VERSION
            )
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise fail(_('has no "tables"'))
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise fail(_("has unknown tables: {names}").format(names=", ".join(unknown)))
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    for table, records in tables.items():
        if not isinstance(records, list):
            raise fail(_("tables.{table} is not a list").format(table=table))
        for n, record in enumerate(records):
            try:
                if not isinstance(record, dict):
                    raise _Bad(_("is not an object"))
                rows[table].append(_row(table, record, empty_is_none=False))
            except _Bad as exc:
                raise fail(f"tables.{table}[{n}]: {exc}") from None
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise fail(_('"settings" is not an object'))
    try:
        return Moved(rows, dict(_setting(k, v) for k, v in settings.items()))
    except _Bad as exc:
        raise fail(f"settings: {exc}") from None


def _read_csv(text: str, fail: Callable[[str], HistoryFileError]) -> Moved:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise fail(_("is not a Coach history export ({reason})").format(reason=exc)) from None
    if not header or header[0] != RECORD:
        raise fail(
            _("is not a Coach history export (the first column is not '{record}')").format(
                record=RECORD
            )
        )
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    settings: dict[str, Any] = {}
    try:
        for record in reader:
            where = _("line {line}").format(line=reader.line_num)
            table = record.get(RECORD)
            if table == SETTING:
                try:
                    value = bounded.loads_json(record.get("value") or "null")
                    key, good = _setting(record.get("key"), value)
                    settings[key] = good
                except (_Bad, ValueError) as exc:
                    raise fail(f"{where}: {exc}") from None
                continue
            if table not in TABLES:
                raise fail(
                    _("{where}: '{record}' is not one of: {names}").format(
                        where=where, record=table, names=", ".join(TABLES)
                    )
                )
            if None in record:  # more fields than the header has
                raise fail(_("{where}: more values than columns").format(where=where))
            try:
                rows[table].append(_row(table, record, empty_is_none=True))
            except _Bad as exc:
                raise fail(f"{where}: {exc}") from None
    except csv.Error as exc:
        raise fail(_("line {line}: {reason}").format(line=reader.line_num, reason=exc)) from None
    return Moved(rows, settings)


def import_history(store: Store, path: Path) -> ImportResult:
    """Add what `path` holds and the store lacks; the file is checked whole first."""
    result = import_rows(store, read_export(path))
    log.info("%s: imported %s, updated %s", path, result.added, result.updated)
    return result


def import_rows(store: Store, moved: Moved) -> ImportResult:
    """Add a checked export's rows (from `read_export`) in one transaction; its
    settings are returned for the caller to offer to the settings file."""
    added, updated = store.merge(moved.rows)
    found = {t: len(r) for t, r in moved.rows.items()}
    return ImportResult(added, found, updated, moved.settings)
