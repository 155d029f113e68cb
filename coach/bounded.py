"""Reading files Coach did not write, within bounds: a regular file, a size cap per kind,
parsing with bounded nesting. Every loader of outside input (imports, team files,
exercise packs and their pictures, settings, policy, traces) reads through here, so
a FIFO, a device, a huge file or a nesting bomb is refused with a reason, never hangs
or crashes the app.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from enum import IntEnum
from pathlib import Path
from typing import Any

from coach.i18n import _

KIB, MIB = 1024, 1024 * 1024
MAX_NESTING = 16  # deeper than any file Coach reads needs (settings: 2, exports: 4)


class Cap(IntEnum):
    """The largest file Coach reads, per kind, in bytes."""

    SETTINGS = 256 * KIB  # settings and policy files
    EXERCISE = 64 * KIB  # one exercise file of a pack
    PICTURE = 512 * KIB  # one pack picture (SVG)
    CATALOG = 4 * MIB  # one compiled translation catalog of a pack (.mo)
    TEAM = 4 * KIB  # one team file
    TRACE = 64 * MIB  # an activity trace for `coach simulate`
    HISTORY = 1024 * MIB  # a history export (a million records is about 150 MiB)


class BoundsError(ValueError):
    """A file refused before or while parsing; the message says why (not where)."""


def read_bytes(path: Path, cap: Cap) -> bytes:
    """The bytes of a regular file of at most `cap` bytes.

    Opened without blocking (a FIFO does not hang) and checked on the open file (a
    swap between check and read changes nothing). Raises OSError when it cannot be
    opened (FileNotFoundError included), BoundsError when it is not a regular file or
    larger than the cap.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BoundsError(_("is not a regular file"))
        if info.st_size > cap:
            raise BoundsError(too_large(cap))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(cap + 1)
    finally:
        os.close(fd)
    if len(data) > cap:  # grew while read
        raise BoundsError(too_large(cap))
    return data


def too_large(cap: int) -> str:
    return _("is larger than {size}, too large for this kind of file").format(size=_size(cap))


def _size(n: int) -> str:
    return f"{n // MIB} MiB" if n >= MIB else f"{n // KIB} KiB"


def loads_json(text: str) -> Any:
    """JSON, any size; raises BoundsError past the C decoder's nesting guard (the
    callers' shape checks then hold it to their few levels), or JSONDecodeError."""
    import json  # not at every start: only imports and team files are JSON

    try:
        return json.loads(text)
    except RecursionError:
        raise BoundsError(_("nests too deeply")) from None
    except ValueError as exc:  # a number of more digits than Python converts
        if isinstance(exc, json.JSONDecodeError):
            raise
        raise BoundsError(str(exc)) from None


def loads_toml(text: str) -> dict[str, Any]:
    """TOML nesting at most MAX_NESTING deep (tomllib recurses in Python, so the text
    is checked first); raises BoundsError or TOMLDecodeError."""
    check_nesting(text, toml=True)
    return tomllib.loads(text)


def check_nesting(text: str, *, toml: bool) -> None:
    """Refuse text whose arrays and tables nest deeper than MAX_NESTING.

    Brackets inside strings (and TOML comments) do not count. Linear in the text and
    without recursion, so it is safe before a recursive parser sees the text; the text
    between the characters that matter is skipped by the regular expression engine (the
    shipped exercise library is read at every start).
    """
    depth, i = 0, 0
    find = text.find
    special = (_TOML_SPECIAL if toml else _JSON_SPECIAL).search
    while (found := special(text, i)) is not None:
        i = found.start()
        c = text[i]
        if c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise BoundsError(_("nests deeper than {n} levels").format(n=MAX_NESTING))
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "#":
            i = find("\n", i)
            if i < 0:
                return
        else:  # a string: skip to its end
            quote = c * 3 if text.startswith(c * 3, i) else c
            i = _string_end(text, i + len(quote), quote)
            continue
        i += 1


_TOML_SPECIAL = re.compile(r"""[\[\]{}"'#]""")
_JSON_SPECIAL = re.compile(r'[\[\]{}"]')
_ESCAPE_OR_QUOTE = re.compile(r'[\\"]')


def _string_end(text: str, i: int, quote: str) -> int:
    """Where the string whose text starts at `i` ends (after its closing `quote`, or the
    end of the text); a backslash escapes the next character in double quotes only."""
    if quote[0] == "'":
        end = text.find(quote, i)
        return len(text) if end < 0 else end + len(quote)
    while (found := _ESCAPE_OR_QUOTE.search(text, i)) is not None:
        i = found.start()
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:  # one quote inside a triple-quoted string
            i += 1
    return len(text)


def svg_problem(path: Path) -> str | None:
    """Why a pack picture cannot be shown safely, or None: a regular SVG file within
    Cap.PICTURE, well-formed, without a DOCTYPE (no entities to expand) and without
    links to anything but itself (no other file, no network)."""
    from xml.etree import ElementTree

    try:
        data = read_bytes(path, Cap.PICTURE)
    except BoundsError as exc:
        return str(exc)
    except OSError as exc:
        return _("cannot be read ({reason})").format(reason=exc.strerror or exc)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return _("has a DOCTYPE or entities, which pictures may not have")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return _("is not a valid SVG file ({reason})").format(reason=exc)
    if not root.tag.endswith("svg"):
        return _("is not a valid SVG file ({reason})").format(reason=root.tag)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("href") and not value.startswith(("#", "data:")):
                return _("links to '{target}'; pictures may only link within themselves").format(
                    target=value[:80]
                )
    return None
