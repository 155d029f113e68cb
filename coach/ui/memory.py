"""Clean file pages back when a window closes (Linux; elsewhere this does nothing).

Besides the heap pages glibc keeps (`malloc_trim`, in app.py), the clean pages of
read-only file mappings a window touched stay with the process after it is gone: the
code and constants of the Qt libraries that drew it, fonts. They are still mapped, so
they count in the app's RSS and PSS all day. `unmap_clean_file_pages` drops them from
the process's page tables (`madvise(MADV_DONTNEED)`): the kernel keeps them in its page
cache, and the few the tray and the tick use fault back in from there (a minor fault
each, no disk read). Only mappings that are not writable and hold no private
(copy-on-write) page are touched, so no byte of the process's own data can be lost.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

MADV_DONTNEED = 4
SMAPS = Path("/proc/self/smaps")


def clean_file_mappings(smaps: str) -> Iterator[tuple[int, int]]:
    """(start, length) of each read-only file mapping with resident pages and no
    private (copy-on-write) page, from the text of /proc/PID/smaps."""
    start = end = 0
    candidate = False
    rss = anonymous = 0
    for line in [*smaps.splitlines(), "0-0 ---p 0 0:0 0"]:  # a sentinel header ends the last
        head = line.split(None, 5)
        if head and "-" in head[0] and not head[0].endswith(":"):
            if candidate and rss and not anonymous:
                yield start, end - start
            lo, hi = head[0].split("-")
            start, end = int(lo, 16), int(hi, 16)
            perms = head[1]
            path = head[5] if len(head) > 5 else ""
            candidate = perms[0] == "r" and perms[1] == "-" and path.startswith("/")
            rss = anonymous = 0
        elif head and head[0] == "Rss:":
            rss = int(head[1])
        elif head and head[0] == "Anonymous:":
            anonymous = int(head[1])


def unmap_clean_file_pages() -> int:
    """Drop the clean pages of read-only file mappings from this process; returns the
    number of bytes of mappings advised (0 where that is not possible)."""
    try:
        text = SMAPS.read_text()
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return 0
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    advised = 0
    for start, length in clean_file_mappings(text):
        if madvise(start, length, MADV_DONTNEED) == 0:
            advised += length
    log.debug("unmapped the clean pages of %d KiB of file mappings", advised // 1024)
    return advised
