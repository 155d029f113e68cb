"""What Coach and its break window's process say to each other, and how it travels.

The break window runs in a short-lived process of its own (coach/ui/break_process.py),
so that what drawing it costs (fonts, glyph caches, Qt's SVG code, its Python modules)
goes back to the system when the break ends. The two talk over the child's stdin and
stdout, a private pipe: each message is a typed dataclass, pickled, after its length.
The reader accepts only Coach's own classes and the few standard ones they are made of.
"""

from __future__ import annotations

import io
import pickle
import struct
from dataclasses import dataclass

from coach.core.events import Answer, BreakDue

_LENGTH = struct.Struct(">I")
MAX_MESSAGE = 1 << 20  # a break with every text of a large pack is some kilobytes
_SAFE_MODULES = {  # where the classes of the messages above and their fields live
    "coach.ui.break_link",
    "coach.core.events",
    "coach.exercises.catalog",
    "coach.exercises.dose_plan",
    "pathlib",
}


# -- Coach -> the break window's process ----------------------------------------------
@dataclass(frozen=True)
class Open:
    """Build the window (the first message): its language, footer and motion."""

    lang: str
    footer: str
    reduced_motion: str  # the setting: "on", "off" or "system"


@dataclass(frozen=True)
class Show:
    """Show this break (again after a snooze)."""

    due: BreakDue


@dataclass(frozen=True)
class Relabel:
    """The user switched language: show the open break in `lang`."""

    lang: str
    footer: str


@dataclass(frozen=True)
class Focus:
    """The user asked for the break (the tray's "Go to the break"): take the keyboard."""


@dataclass(frozen=True)
class Close:
    """The break is over: close the window and end the process."""


# -- the break window's process -> Coach ----------------------------------------------
@dataclass(frozen=True)
class Ready:
    """The window is built: a break shows at once."""


@dataclass(frozen=True)
class Shown:
    """Break `break_id` is on the screen (exposed and painted)."""

    break_id: int


@dataclass(frozen=True)
class Answered:
    """The user answered break `break_id`."""

    break_id: int
    answer: Answer
    reason: str  # a firm skip's reason, else ""


ToWindow = Open | Show | Relabel | Focus | Close
FromWindow = Ready | Shown | Answered


class LinkError(ValueError):
    """The other side sent something that is not a message."""


def encode(message: ToWindow | FromWindow) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


class _CoachOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        found = super().find_class(module, name) if module in _SAFE_MODULES else None
        if isinstance(found, type):
            return found
        raise LinkError(f"not a Coach message: {module}.{name}")


class Reader:
    """Collects bytes as they arrive and hands out the whole messages among them."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[object]:
        """The messages `data` completes; raises LinkError on anything else."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(self._buffer)
            if size > MAX_MESSAGE:
                raise LinkError(f"a message of {size} bytes")
            end = _LENGTH.size + size
            if len(self._buffer) < end:
                break
            body = bytes(self._buffer[_LENGTH.size : end])
            del self._buffer[:end]
            try:
                messages.append(_CoachOnly(io.BytesIO(body)).load())
            except LinkError:
                raise
            except Exception as exc:  # noqa: BLE001 - any broken pickle is the same error
                raise LinkError(f"a broken message: {exc}") from exc
        return messages
