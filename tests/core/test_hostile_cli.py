"""No traceback reaches a user: every CLI command against every hostile input class.

For each pair the test checks that the command ends with an exit code (no exception,
no hang), that a command which reads the hostile file names it, and that nothing the
user had is changed or lost (files byte for byte, or kept aside whole; the history's
records all still there). `coach run` is covered by the app's own fault tests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from coach import cli
from coach.exercises import catalog
from coach.history import team
from coach.history.store import SCHEMA_VERSION, Store, readable_rows
from tests.core.test_hostile_history import DAY, crashed_copy, history

COMMANDS: dict[str, Callable[[Ctx], list[str]]] = {}


@dataclass
class Ctx:
    """One user's home with a history, and the files a command is pointed at."""

    home: Path
    out: Path
    import_file: Path
    team_dir: Path
    trace: Path
    pack: Path
    hostile: Path | None = None  # the file the case is about
    reads: set[str] = field(default_factory=set)  # commands that must name it

    @property
    def database(self) -> Path:
        return self.home / "coach.sqlite3"


BOUT_COLUMNS = "(start, end, sat_s, utc_offset)"


def command(name: str) -> Callable[[Callable[[Ctx], list[str]]], Callable[[Ctx], list[str]]]:
    def register(build: Callable[[Ctx], list[str]]) -> Callable[[Ctx], list[str]]:
        COMMANDS[name] = build
        return build

    return register


command("stats")(lambda c: ["stats", "--day", "2026-11-16"])
command("stats-month")(lambda c: ["stats", "--month", "2026-11", "--json"])
command("export")(lambda c: ["export", "--out", str(c.out / "h.json")])
command("export-csv")(lambda c: ["export", "--format", "csv", "--out", str(c.out / "h.csv")])
command("export-salvage")(lambda c: ["export", "--salvage", "--out", str(c.out / "s.json")])
command("export-team")(
    lambda c: ["export", "--team", str(c.out / "t.json"), "--week", "2026-W47", "--yes"]
)
command("import")(lambda c: ["import", str(c.import_file)])
command("exercises")(lambda c: ["exercises"])
command("exercises-check")(lambda c: ["exercises", "check", str(c.pack)])
command("simulate")(lambda c: ["simulate", str(c.trace)])
command("doctor")(lambda c: ["doctor", "--json"])
command("autostart")(lambda c: ["autostart", "status"])
command("team-report")(lambda c: ["team-report", str(c.team_dir), "--out", str(c.out)])

DB_COMMANDS = {"stats", "stats-month", "export", "export-csv", "export-team", "import"}
SETTINGS_COMMANDS = set(COMMANDS) - {"doctor"}  # doctor lists them in its report
NESTED_TOML = b"x = " + b"[" * 600 + b"]" * 600 + b"\n"


# -- hostile input classes ------------------------------------------------------------------
def _fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def _sql(c: Ctx, *statements: str) -> None:
    conn = sqlite3.connect(c.database)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def settings_nested(c: Ctx) -> None:
    c.hostile = c.home / "settings.toml"
    c.hostile.write_bytes(NESTED_TOML)
    c.reads = SETTINGS_COMMANDS


def settings_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.home / "settings.toml")
    c.reads = SETTINGS_COMMANDS


def settings_huge(c: Ctx) -> None:
    c.hostile = c.home / "settings.toml"
    c.hostile.write_bytes(b"# padding\n" * 100_000)
    c.reads = SETTINGS_COMMANDS


def settings_binary(c: Ctx) -> None:
    c.hostile = c.home / "settings.toml"
    c.hostile.write_bytes(os.urandom(2048) + b"\xff")
    c.reads = SETTINGS_COMMANDS


def policy_nested(c: Ctx) -> None:
    c.hostile = c.home / "policy.toml"
    c.hostile.write_bytes(b"[lock]\n" + NESTED_TOML)
    c.reads = SETTINGS_COMMANDS


def policy_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.home / "policy.toml")
    c.reads = SETTINGS_COMMANDS


def _in_pack(c: Ctx, name: str) -> Path:
    (c.home / "settings.toml").write_text(f'exercise_pack = "{c.pack}"\n')
    return c.pack / name


def pack_nested(c: Ctx) -> None:
    c.hostile = _in_pack(c, "bomb.toml")
    c.hostile.write_bytes(NESTED_TOML)
    c.reads = {"stats", "stats-month", "exercises", "exercises-check", "simulate"}


def pack_fifo(c: Ctx) -> None:
    c.hostile = _fifo(_in_pack(c, "pipe.toml"))
    c.reads = {"stats", "stats-month", "exercises", "exercises-check", "simulate"}


def pack_picture_outside(c: Ctx) -> None:
    c.hostile = _in_pack(c, "pack-reset.toml")
    picture = c.pack / "posture-reset-1.svg"
    picture.unlink()
    picture.symlink_to("/etc/passwd")
    c.reads = {"stats", "stats-month", "exercises", "exercises-check", "simulate"}


def db_foreign_wal(c: Ctx) -> None:
    theirs = c.out.parent / "theirs" / "coach.sqlite3"
    history(theirs, breaks=4, start=DAY + timedelta(days=40))
    crashed_copy(theirs, c.out.parent / "y" / "coach.sqlite3", 30, DAY + timedelta(days=41))
    c.hostile = c.home / "coach.sqlite3-wal"
    shutil.copyfile(c.out.parent / "y" / "coach.sqlite3-wal", c.hostile)
    c.reads = DB_COMMANDS


def db_hot_journal(c: Ctx) -> None:
    c.hostile = c.home / "coach.sqlite3-journal"
    c.hostile.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(4096))
    c.reads = DB_COMMANDS


def db_no_tables(c: Ctx) -> None:
    c.database.unlink()
    conn = sqlite3.connect(c.database)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    c.hostile = c.database
    c.reads = DB_COMMANDS


def db_text_in_numbers(c: Ctx) -> None:
    _sql(
        c,
        f"INSERT INTO bouts {BOUT_COLUMNS} VALUES ('monday', 'tuesday', 'lots', 60)",
        "UPDATE breaks SET snoozes = 'many', due = 'soon' WHERE rowid = 1",
        "INSERT INTO checkins VALUES (NULL, 'now', 60, 5)",
        "INSERT INTO runs VALUES (NULL, 'then', 'sixty', 'never')",
    )
    c.hostile = c.database


def db_implausible(c: Ctx) -> None:
    start = DAY.timestamp()
    _sql(
        c,
        f"INSERT INTO bouts {BOUT_COLUMNS} VALUES ({start - 3600}, 1e15, 3600, 60)",
        f"INSERT INTO away VALUES (NULL, {start - 90}, 1e300, 'asleep', 60)",
        f"INSERT INTO bouts {BOUT_COLUMNS} VALUES ({start - 9e7}, {start + 9e7}, 1e300, 60)",
    )
    c.hostile = c.database


def db_garbage(c: Ctx) -> None:
    """The page holding the breaks is overwritten (bit rot, a bad copy)."""
    conn = sqlite3.connect(c.database)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'breaks'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(c.database.read_bytes())
    data[(page - 1) * size : page * size] = os.urandom(size)
    c.database.write_bytes(bytes(data))
    c.hostile = c.database
    c.reads = DB_COMMANDS


def db_future(c: Ctx) -> None:
    _sql(c, f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    c.hostile = c.database
    c.reads = DB_COMMANDS


def db_directory(c: Ctx) -> None:
    c.database.unlink()
    c.database.mkdir()
    c.hostile = c.database
    c.reads = DB_COMMANDS


def db_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.database)
    c.reads = DB_COMMANDS


def import_nested(c: Ctx) -> None:
    c.import_file.write_bytes(b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
    c.hostile = c.import_file
    c.reads = {"import"}


def import_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.import_file)
    c.reads = {"import"}


def import_huge_number(c: Ctx) -> None:
    data = json.loads(c.import_file.read_text())
    data["tables"]["bouts"][0]["end"] = 10**400
    data["tables"]["checkins"][0]["score"] = 10**400
    c.import_file.write_text(json.dumps(data))
    c.hostile = c.import_file
    c.reads = {"import"}


def import_implausible(c: Ctx) -> None:
    data = json.loads(c.import_file.read_text())
    data["tables"]["bouts"][0]["end"] = 1e15
    c.import_file.write_text(json.dumps(data))
    c.hostile = c.import_file
    c.reads = {"import"}


def import_many_digits(c: Ctx) -> None:
    text = c.import_file.read_text().replace('"score": 1', '"score": 1' + "0" * 5000, 1)
    c.import_file.write_text(text)
    c.hostile = c.import_file
    c.reads = {"import"}


def team_overflow(c: Ctx) -> None:
    c.hostile = c.team_dir / "overflow.json"
    body = json.loads(team.TeamWeek("2026-W46", 5, 600, 1, 10, 5).to_bytes())
    c.hostile.write_text(json.dumps(body | {"bouts_over_60_min": 10**400}))
    c.reads = {"team-report"}


def team_nested(c: Ctx) -> None:
    c.hostile = c.team_dir / "nested.json"
    c.hostile.write_bytes(b"[" * 2000 + b"]" * 2000)
    c.reads = {"team-report"}


def team_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.team_dir / "pipe.json")
    c.reads = {"team-report"}


def autostart_fifo(c: Ctx) -> None:
    """A FIFO where the login entry belongs hung `coach autostart` and the app's start."""
    c.hostile = _fifo(c.home / "xdg" / "autostart" / "coach.desktop")
    c.reads = {"autostart"}


def trace_fifo(c: Ctx) -> None:
    c.hostile = _fifo(c.trace)
    c.reads = {"simulate"}


def trace_centuries(c: Ctx) -> None:
    c.trace.write_text("offset_s,state\n0,active\n1e15,end\n")
    c.hostile = c.trace
    c.reads = {"simulate"}


def trace_binary(c: Ctx) -> None:
    c.trace.write_bytes(b"\x00\xff" * 1000)
    c.hostile = c.trace
    c.reads = {"simulate"}


CASES = [
    settings_nested,
    settings_fifo,
    settings_huge,
    settings_binary,
    policy_nested,
    policy_fifo,
    pack_nested,
    pack_fifo,
    pack_picture_outside,
    db_foreign_wal,
    db_hot_journal,
    db_no_tables,
    db_text_in_numbers,
    db_implausible,
    db_garbage,
    db_future,
    db_directory,
    db_fifo,
    import_nested,
    import_fifo,
    import_huge_number,
    import_implausible,
    import_many_digits,
    team_overflow,
    team_nested,
    team_fifo,
    autostart_fifo,
    trace_fifo,
    trace_centuries,
    trace_binary,
]


# -- the home every case starts from ---------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    home = root / "home"
    history(home / "coach.sqlite3", breaks=4)
    store = Store.open(root / "source" / "coach.sqlite3")
    store.add_checkin(1, DAY)
    store.add_bout(DAY, DAY + timedelta(minutes=5), 300)
    from coach.history.history_io import export_to_file

    export_to_file(store, "json", root / "files" / "import.json")
    store.close()
    teams = root / "files" / "team"
    teams.mkdir()
    for n in range(5):
        week = team.TeamWeek("2026-W46", 5, 600 + n * 30, 1, 20, 10)
        (teams / f"p{n}.json").write_bytes(week.to_bytes())
    (root / "files" / "trace.csv").write_text("offset_s,state\n0,active\n3600,end\n")
    pack = root / "files" / "pack"
    pack.mkdir()
    text = (catalog.LIBRARY_DIR / "posture-reset.toml").read_text()
    (pack / "pack-reset.toml").write_text(text.replace('"posture-reset"', '"pack-reset"', 1))
    for svg in catalog.PICTURES_DIR.glob("posture-reset-*.svg"):
        shutil.copy(svg, pack / svg.name)
    return root


@pytest.fixture
def ctx(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ctx]:
    shutil.copytree(template, tmp_path / "t", symlinks=True)
    root = tmp_path / "t"
    (root / "out").mkdir()
    c = Ctx(
        home=root / "home",
        out=root / "out",
        import_file=root / "files" / "import.json",
        team_dir=root / "files" / "team",
        trace=root / "files" / "trace.csv",
        pack=root / "files" / "pack",
    )
    monkeypatch.setenv("COACH_HOME", str(c.home))
    monkeypatch.setenv("COACH_POLICY", str(c.home / "policy.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(c.home / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(c.home / "xdg-system"))
    (c.home / "xdg" / "autostart").mkdir(parents=True)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    yield c


def _files(root: Path) -> dict[Path, bytes | None]:
    """Every file under root: its bytes (None for what is not a regular file)."""
    found: dict[Path, bytes | None] = {}
    for path in root.rglob("*"):
        if path.is_symlink() or not path.is_file():
            found[path] = None
        else:
            found[path] = path.read_bytes()
    return found


def _records(path: Path) -> set[tuple[str, tuple[object, ...]]]:
    if not path.is_file() or path.stat().st_size == 0:
        return set()
    return {(t, r) for t, rows in readable_rows(path).items() for r in rows}


class _Hang(Exception):
    pass


def _alarm(*_args: object) -> None:
    raise _Hang


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_every_command_against_every_hostile_input(
    ctx: Ctx, case: Callable[[Ctx], None], capsys: pytest.CaptureFixture[str]
) -> None:
    case(ctx)
    assert ctx.hostile is not None
    failures = []
    for name, build in COMMANDS.items():
        before = _files(ctx.home.parent)
        records = _records(ctx.database)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(60)
        try:
            code = cli.main(build(ctx))
        except _Hang:
            code = -1
        except BaseException as exc:  # noqa: BLE001 - what the user would see as a traceback
            code = -2
            failures.append(f"{name}: raised {exc!r}")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        said = capsys.readouterr()
        text = said.out + said.err
        if code not in (0, 1, 2):
            failures.append(f"{name}: exit {code}\n{text[-800:]}")
        if "Traceback" in text:
            failures.append(f"{name}: a traceback\n{text[-800:]}")
        if name in ctx.reads and ctx.hostile.name not in text:
            failures.append(f"{name}: {ctx.hostile.name} not named in:\n{text[-800:]}")
        after = _files(ctx.home.parent)
        kept = {data for data in after.values() if data is not None}
        for path, data in before.items():
            if path.name.startswith("coach.sqlite3") or data is None:
                continue  # the history: compared by its records below
            if after.get(path, data) != data and data not in kept:
                failures.append(f"{name}: {path} changed and was not kept")
            if path not in after and data not in kept:
                failures.append(f"{name}: {path} was lost")
        if ctx.database.is_file():
            now = _records(ctx.database)
            aside = [
                p
                for p in ctx.home.glob("coach.sqlite3.*")
                if not p.name.endswith(("-wal", "-shm", "-journal"))
            ]
            kept_records = set().union(now, *(_records(p) for p in aside))
            if not records <= kept_records:
                failures.append(f"{name}: {len(records - kept_records)} records lost")
    assert not failures, "\n".join(failures)


@pytest.fixture
def locked(ctx: Ctx) -> Iterator[None]:
    """Another process holds the history's write lock (a second Coach mid-write)."""
    code = (
        "import sqlite3, sys\n"
        f"c = sqlite3.connect({str(ctx.database)!r}, isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    try:
        yield
    finally:
        holder.communicate("\n", timeout=10)


def test_import_into_a_locked_history_says_so_without_a_traceback(
    ctx: Ctx, locked: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The repro: a locked, read-only or full database ended `coach import` in a
    WriteError traceback (with a good message inside)."""
    before = ctx.database.read_bytes()
    assert cli.main(["import", str(ctx.import_file)]) == 1
    err = capsys.readouterr().err
    assert str(ctx.database) in err and "Traceback" not in err
    assert ctx.database.read_bytes() == before


def test_import_into_a_read_only_history_says_so(
    ctx: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.disks import read_only

    before = ctx.database.read_bytes()
    with read_only(ctx.home) as set_read_only:
        set_read_only(True)
        assert cli.main(["import", str(ctx.import_file)]) == 1
        assert cli.main(["stats", "--day", "2026-11-16", "--json"]) == 0  # reading works
        assert cli.main(["export", "--out", str(ctx.out / "rescued.json")]) == 0
    said = capsys.readouterr()
    assert str(ctx.database) in said.err and "read-only" in said.err
    assert json.loads(said.out.splitlines()[0])["done"] == 4
    assert ctx.database.read_bytes() == before
    assert len(json.loads((ctx.out / "rescued.json").read_text())["tables"]["breaks"]) == 4


def test_salvage_writes_what_a_damaged_history_still_holds(
    ctx: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    db_garbage(ctx)
    assert cli.main(["export", "--out", str(ctx.out / "plain.json")]) == 1
    assert "--salvage" in capsys.readouterr().err
    assert cli.main(["export", "--salvage", "--out", str(ctx.out / "saved.json")]) == 0
    saved = json.loads((ctx.out / "saved.json").read_text())["tables"]
    assert 0 < sum(map(len, saved.values())) == len(_records(ctx.database))


def test_salvage_never_takes_records_from_a_foreign_wal(
    ctx: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(ctx.database)
    mine = {r[0] for r in conn.execute("SELECT uid FROM breaks")}
    conn.close()
    db_foreign_wal(ctx)
    assert cli.main(["export", "--salvage", "--out", str(ctx.out / "saved.json")]) == 0
    saved = json.loads((ctx.out / "saved.json").read_text())["tables"]["breaks"]
    assert {b["uid"] for b in saved} == mine and len(mine) == 4
