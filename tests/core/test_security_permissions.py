"""Data and settings files are created readable by the user only (0600, folders 0700),
whatever the umask: every way Coach creates a file or its own folder, with umask 0.
(Missing parents of Coach's folders, such as ~/.local/share, get the usual modes.)
(`coach run` end to end, log included, is checked in test_security_network.py.)
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.config import settings as settings_mod
from coach.history.history_io import export_to_file
from coach.history.store import Store, set_aside

CET = timezone(timedelta(hours=1))


@pytest.fixture(autouse=True)
def no_umask() -> Iterator[None]:
    """umask 0: only modes Coach asks for explicitly protect the files."""
    old = os.umask(0)
    yield
    os.umask(old)


def private(root: Path) -> list[str]:
    """Every path under `root` that others could read or enter."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return wrong


def test_the_database_its_side_files_and_folders(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open(data / "coach.sqlite3")
    uid = store.offer_break("micro", "posture-reset", datetime(2026, 11, 16, 10, tzinfo=CET))
    store.update_break(uid, outcome="done", when=datetime(2026, 11, 16, 10, 1, tzinfo=CET))
    assert (data / "coach.sqlite3-wal").exists()  # side files are there now
    assert private(data) == []
    store.close()
    set_aside(data / "coach.sqlite3")
    assert private(data) == []


def test_settings_file_template_copies_aside_and_exports(tmp_path: Path) -> None:
    config = tmp_path / "config"
    settings_mod.write_template(config / "settings.toml")
    settings_mod.save(config / "settings.toml", {"snooze_min": 3})
    (config / "settings.toml").write_text('snooze_min = "never"\n')
    kept = settings_mod.save(config / "settings.toml", {"snooze_min": 4})
    assert kept is not None and kept.exists()  # the unreadable original, copied aside
    store = Store.open(tmp_path / "data" / "coach.sqlite3")
    export_to_file(store, "json", config / "exports" / "history.json")
    export_to_file(store, "csv", config / "history.csv")
    store.close()
    assert private(config) == []


def test_cli_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "COACH_HOME": str(home), "COACH_POLICY": str(tmp_path / "none")}
    empty = tmp_path / "empty.json"  # an import is checked before the history is created
    empty.write_text('{"format": "coach-history", "version": 1, "tables": {}}')
    for command in (
        ["import", str(empty)],
        ["export", "--format", "csv", "--out", str(home / "out.csv")],
        ["export", "--team", str(home / "team.json")],
    ):
        subprocess.run(
            [sys.executable, "-m", "coach", *command],
            env=env,
            capture_output=True,
            text=True,
            input="y\n",
            timeout=60,
        )
    assert home.exists()
    assert private(home) == []
