"""A full disk and a read-only folder, for tests: for real (a 512 KiB tmpfs, a
read-only bind mount) where the tests run as root, as scripts/test.sh does here;
otherwise a read-only folder is chmod 0500 and a full disk is skipped."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

AS_ROOT = os.geteuid() == 0


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextmanager
def full_disk(folder: Path) -> Iterator[Callable[[bool], None]]:
    """A 512 KiB tmpfs at `folder`; yields fill(True) / fill(False) to fill or free it."""
    folder.mkdir(mode=0o700)
    if not (AS_ROOT and _mount("-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(folder))):
        pytest.skip("a tmpfs needs root here; see the max_page_count test for the rest")
    filler = folder / "filler"

    def fill(full: bool) -> None:
        if not full:
            filler.unlink(missing_ok=True)
            return
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 512)
        except OSError:
            pass
        finally:
            os.close(fd)

    try:
        yield fill
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextmanager
def read_only(folder: Path) -> Iterator[Callable[[bool], None]]:
    """Yields set(True) / set(False) to make `folder` read-only or writable again."""
    mounted = AS_ROOT and _mount("--bind", str(folder), str(folder))

    def set_read_only(on: bool) -> None:
        if mounted:
            assert _mount("-o", f"remount,{'ro' if on else 'rw'},bind", str(folder))
        else:
            folder.chmod(0o500 if on else 0o700)

    try:
        yield set_read_only
    finally:
        set_read_only(False)
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)
