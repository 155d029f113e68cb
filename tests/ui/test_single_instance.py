"""One Coach per session and data folder: the lock, the socket, and what a second start does."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.ui import single_instance
from coach.ui.single_instance import PipeSingleInstance, SingleInstance, runtime_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    return path


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path (pytest's own leave too little room for a socket)."""
    path = Path(tempfile.mkdtemp(prefix="ci-", dir="/tmp"))
    yield path
    shutil.rmtree(path)


def test_a_second_start_asks_the_first_to_show_itself(qtbot, folder: Path) -> None:
    first = SingleInstance("/data/a", folder)
    assert first.forward_to_running() is False
    second = SingleInstance("/data/a", folder)
    with qtbot.waitSignal(first.show_requested, timeout=2000):
        assert second.forward_to_running() is True
    assert (folder / f"{first.name}.sock").stat().st_mode & 0o777 == 0o600
    assert (folder / f"{first.name}.lock").stat().st_mode & 0o777 == 0o600
    first.close()  # at quit: the next start is the instance
    assert not (folder / f"{first.name}.sock").exists()
    third = SingleInstance("/data/a", folder)
    assert third.forward_to_running() is False
    third.close()


def test_other_data_folders_run_side_by_side(folder: Path) -> None:
    a, b = SingleInstance("/data/a", folder), SingleInstance("/data/b", folder)
    assert a.forward_to_running() is False
    assert b.forward_to_running() is False
    a.close()
    b.close()


def test_what_a_killed_instance_left_behind_does_not_block(
    qtbot, folder: Path, monkeypatch
) -> None:
    monkeypatch.setattr(single_instance, "TIMEOUT_S", 0.05)  # nobody answers while blocked
    name = SingleInstance("/data/a", folder).name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(folder / f"{name}.sock"))  # a socket file nobody listens on any more
    stale.close()
    holder = subprocess.Popen(  # holds the lock, then dies by SIGKILL: the lock goes with it
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; "
            f"fd = os.open({str(folder / (name + '.lock'))!r}, os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    blocked = SingleInstance("/data/a", folder)
    assert blocked.forward_to_running() is True  # the lock is held: step back
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()

    revived = SingleInstance("/data/a", folder)
    assert revived.forward_to_running() is False
    with qtbot.waitSignal(revived.show_requested, timeout=2000):
        assert SingleInstance("/data/a", folder).forward_to_running() is True
    revived.close()


def test_a_runtime_folder_someone_else_can_read_is_refused(
    short_dir: Path, monkeypatch, caplog
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(short_dir))
    shared = short_dir / f"coach-{os.getuid()}"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(OSError, match="not a private folder"):
        runtime_folder()
    assert SingleInstance("/data/a").forward_to_running() is False  # runs on, unguarded
    assert "cannot make sure Coach runs only once" in caplog.text
    shared.chmod(0o700)
    assert runtime_folder() == shared


def test_the_runtime_folder_is_made_private(short_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(short_dir))
    previous = os.umask(0o022)
    try:
        folder = runtime_folder()
    finally:
        os.umask(previous)
    assert folder.parent == short_dir and folder.stat().st_mode & 0o777 == 0o700


def test_a_runtime_dir_too_long_for_a_socket_is_passed_over(
    tmp_path: Path, monkeypatch, qtbot
) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    folder = runtime_folder()
    assert not folder.is_relative_to(deep)
    first = SingleInstance("/data/long")
    assert first.forward_to_running() is False
    with qtbot.waitSignal(first.show_requested, timeout=2000):
        assert SingleInstance("/data/long").forward_to_running() is True
    first.close()


def test_windows_pipe_variant_does_the_same(qtbot) -> None:
    key = f"/data/pipe-test-{os.getpid()}"
    first = PipeSingleInstance(key)
    assert first.forward_to_running() is False
    with qtbot.waitSignal(first.show_requested, timeout=2000):
        assert PipeSingleInstance(key).forward_to_running() is True
    first.close()
