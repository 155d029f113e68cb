"""Open and close events on device nodes, from Linux inotify (libc via ctypes).

Lets the camera and microphone signals scan /proc only when a device was
opened or closed by someone, instead of at every poll: between events the
answer cannot have changed. The kernel queues the events; `changed()` reads
them without blocking. No threads.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable

IN_CLOSE_WRITE = 0x008
IN_CLOSE_NOWRITE = 0x010
IN_OPEN = 0x020
IN_DELETE_SELF = 0x400
MASK = IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_DELETE_SELF
_BUFFER = 64 * 1024


class OpenCloseWatch:
    """Whether any of some files was opened, closed or removed since the last look."""

    def __init__(self, paths: Iterable[str]) -> None:
        """Watch `paths` (Linux); raise OSError where that cannot be done (out of
        inotify instances, a file not readable to us)."""
        lib = ctypes.CDLL(None, use_errno=True)
        init, add = lib.inotify_init1, lib.inotify_add_watch
        init.argtypes = [ctypes.c_int]
        add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            raise _error("inotify_init1")
        self._fd: int | None = fd
        for path in paths:
            if add(fd, os.fsencode(path), MASK) < 0:
                err = _error(f"watching {path}")
                self.close()
                raise err

    def changed(self) -> bool:
        """True if any event arrived since the last call (all of them are taken)."""
        if self._fd is None:
            return True
        seen = False
        while True:
            try:
                data = os.read(self._fd, _BUFFER)
            except BlockingIOError:
                return seen
            if not data:
                return seen
            seen = True

    def close(self) -> None:
        """Release the inotify descriptor. Idempotent."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _error(what: str) -> OSError:
    err = ctypes.get_errno()
    return OSError(err, f"{what}: {os.strerror(err)}")
