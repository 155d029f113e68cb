"""Writing user files safely: temp file + rename, user-only permissions, copies kept."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data` in one step: a reader sees the old file or the new one.

    The folder is created readable by the user only (0700); the file gets `mode`.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            os.chmod(tmp, mode)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def copy_aside(path: Path, data: bytes, tag: str = "broken") -> Path:
    """Keep `data` (the bytes of `path`) as `path.<tag>-N`; an identical copy is reused."""
    n = 1
    while (target := path.with_name(f"{path.name}.{tag}-{n}")).exists():
        if target.read_bytes() == data:
            return target
        n += 1
    with open(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as out:
        out.write(data)
    log.warning("%s: a copy of the original was kept as %s", path, target)
    return target
