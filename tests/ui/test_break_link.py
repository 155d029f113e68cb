"""The messages between Coach and its break window's process (coach/ui/break_link.py):
every break of the library travels whole, in any chunks, and nothing but Coach's own
messages is read."""

from __future__ import annotations

import os
import pickle
import struct

import pytest

from coach.core.events import Answer, Tier
from coach.exercises import catalog
from coach.ui import break_link as link
from tests.breaks import due_break


def test_every_break_of_the_library_arrives_whole_in_any_chunks() -> None:
    exercises, problems = catalog.load_library(None)
    assert not problems and exercises
    sent: list[object] = [link.Open("nl", "Stop bij pijn.", "on"), link.Focus(), link.Close()]
    for n, exercise in enumerate(exercises, start=1):
        sent.append(link.Show(due_break(exercise, Tier.EXERCISE, 150, break_id=n)))
    sent += [link.Ready(), link.Shown(3), link.Answered(3, Answer.SKIP, "busy")]
    stream = b"".join(link.encode(m) for m in sent)  # type: ignore[arg-type]  # all messages
    for chunk in (1, 7, 4096, len(stream)):
        reader = link.Reader()
        got: list[object] = []
        for at in range(0, len(stream), chunk):
            got += reader.feed(stream[at : at + chunk])
        assert got == sent
    shown = [m for m in got if isinstance(m, link.Show)]
    first = exercises[0]
    assert shown[0].due.planned is not None
    assert shown[0].due.planned.exercise.text("nl") == first.text("nl")  # its catalog too


class _Spawns:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("true",))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pickle.dumps(_Spawns()), "not a Coach message: posix.system"),
        (pickle.dumps(catalog.load_library), "not a Coach message"),  # a function, not a class
        (b"\x80\x05not a pickle", "a broken message"),
    ],
)
def test_anything_else_is_refused(data: bytes, why: str) -> None:
    with pytest.raises(link.LinkError, match=why):
        link.Reader().feed(struct.pack(">I", len(data)) + data)


def test_an_oversized_message_is_refused_before_it_is_read() -> None:
    with pytest.raises(link.LinkError, match="a message of"):
        link.Reader().feed(struct.pack(">I", link.MAX_MESSAGE + 1))
