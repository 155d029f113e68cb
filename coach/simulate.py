"""Run the engine over an activity trace in virtual time (`coach simulate`).

Trace: CSV with header `offset_s,state`; each row starts a span lasting until the next
row; states are active, passive, idle, locked, asleep, standing (active input while
standing at a sit-stand desk), and a final `end`.

Posture: the simulated user says "I'm standing" when a `standing` span starts and the
engine does not know it yet, and "I'm sitting again" at the first active or passive
span after standing (unless a long absence or a lock already ended it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coach import bounded
from coach.config.settings import Settings
from coach.core.engine import Engine, Picker
from coach.core.events import Answer, BreakClosed, BreakDue, Event
from coach.core.sample import Sample
from coach.i18n import _

STATES = ("active", "passive", "idle", "locked", "asleep", "standing", "end")
_AT_DESK = ("active", "passive")  # states of someone sitting
RESPONSES = ("done", "snooze", "skip", "ignore")
SKIP_REASON = "busy"  # what the simulated user says when a firm break asks why
TICK_S = 5.0  # the real app polls every 5 s while the user is active
MAX_OFFSET_S = 366 * 86_400  # a trace spans at most a year of virtual time


class TraceError(ValueError):
    """A trace file that cannot be simulated; the message names file and line."""


@dataclass(frozen=True)
class Span:
    start: float
    state: str


def parse_trace(text: str, name: str = "<trace>") -> list[Span]:
    """Parse and check a trace; raise TraceError naming the line that is wrong."""
    reader = csv.reader(io.StringIO(text, newline=""))  # "\r" ends a line, as in files
    try:
        rows = iter(list(reader))
    except csv.Error as exc:  # e.g. a NUL byte
        raise TraceError(
            _("{file}, line {line}: {reason}").format(file=name, line=reader.line_num, reason=exc)
        ) from None
    header = next(rows, None)
    if header is None or [h.strip() for h in header] != ["offset_s", "state"]:
        raise TraceError(_("{file}, line 1: the header must be 'offset_s,state'").format(file=name))
    spans: list[Span] = []
    for lineno, row in enumerate(rows, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise TraceError(
                _("{file}, line {line}: expected 2 fields, found {n}").format(
                    file=name, line=lineno, n=len(row)
                )
            )
        try:
            offset = float(row[0])
        except ValueError:
            raise TraceError(
                _("{file}, line {line}: offset_s {value!r} is not a number").format(
                    file=name, line=lineno, value=row[0]
                )
            ) from None
        if not 0 <= offset <= MAX_OFFSET_S:
            raise TraceError(
                _("{file}, line {line}: offset_s must be from 0 to {most} (a year)").format(
                    file=name, line=lineno, most=MAX_OFFSET_S
                )
            )
        state = row[1].strip()
        if state not in STATES:
            raise TraceError(
                _("{file}, line {line}: state {state!r} is not one of {states}").format(
                    file=name, line=lineno, state=state, states=", ".join(STATES)
                )
            )
        if spans and offset < spans[-1].start:
            raise TraceError(
                _("{file}, line {line}: offset_s goes backwards").format(file=name, line=lineno)
            )
        if spans and spans[-1].state == "end":
            raise TraceError(
                _("{file}, line {line}: rows after 'end'").format(file=name, line=lineno)
            )
        spans.append(Span(offset, state))
    if not spans or spans[-1].state != "end":
        raise TraceError(_("{file}: the last row must have state 'end'").format(file=name))
    return spans


def read_trace(path: Path) -> list[Span]:
    try:
        text = bounded.read_bytes(path, bounded.Cap.TRACE).decode("utf-8")
    except (OSError, UnicodeDecodeError, bounded.BoundsError) as exc:
        raise TraceError(
            _("{file}: cannot be read ({reason})").format(file=path, reason=exc)
        ) from exc
    return parse_trace(text, str(path))


def simulate(
    spans: list[Span], settings: Settings, pick: Picker, respond: str = "done"
) -> Iterator[Event]:
    """Yield the engine's events for the trace, the user answering as `respond` says
    (where the break allows it: a strict break that cannot be skipped goes unanswered)."""
    if respond not in RESPONSES:
        raise ValueError(f"respond must be one of {RESPONSES}")
    engine = Engine(settings, pick)
    last_input = spans[0].start
    on_break_until: float | None = None  # the simulated user is doing a break
    open_break: int | None = None
    previous = "idle"

    for t, state in _ticks(spans):
        if on_break_until is not None and t >= on_break_until:
            assert open_break is not None
            yield from engine.answer(on_break_until, open_break, Answer.DONE)
            last_input, on_break_until, open_break = on_break_until, None, None
        if on_break_until is not None:
            state = "idle"  # away from the keyboard, doing the exercise
        if state in ("active", "standing") or previous in ("active", "standing"):
            last_input = t  # typing goes on until the next span starts
        standing = engine.tracker.standing is not None
        if state == "standing" and not standing:
            yield from engine.stand(t)
        elif state in _AT_DESK and standing:
            yield from engine.sit(t)
        previous = state
        sample = Sample(
            idle_s=t - last_input,
            presence=state == "passive",
            busy=state == "passive",
            locked=state == "locked",
            asleep=state == "asleep",
        )
        for event in engine.tick(t, sample):
            yield event
            if isinstance(event, BreakClosed) and event.break_id == open_break:
                on_break_until = open_break = None
            if not isinstance(event, BreakDue) or respond == "ignore":
                continue
            if respond == "done":
                open_break = event.break_id
                on_break_until = t + event.duration_s
                continue
            snooze = respond == "snooze" and Answer.SNOOZE in event.answers
            answer = Answer.SNOOZE if snooze else Answer.SKIP
            if answer in event.answers:
                reason = SKIP_REASON if event.skip_needs_reason else None
                yield from engine.answer(t, event.break_id, answer, reason)
    yield from engine.finish(spans[-1].start)


def _ticks(spans: list[Span]) -> Iterator[tuple[float, str]]:
    """Tick every TICK_S within each span, and at every span start."""
    for span, nxt in zip(spans, spans[1:], strict=False):
        t = span.start
        while t < nxt.start:
            yield t, span.state
            t += TICK_S
    yield spans[-1].start, spans[-2].state if len(spans) > 1 else "idle"
