"""Fuzzing the loaders of outside input with hypothesis: the TOML settings and policy
loader, the CSV trace parser (and the simulator behind it) and the exercise pack loader.
Whatever the bytes, they return values within the declared ranges or a problem naming
the file, and never raise anything else.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.config import policy
from coach.config.settings import SETTING_FIELDS, Settings, check
from coach.exercises import catalog
from coach.exercises.picker import Picker
from coach.simulate import STATES, TraceError, parse_trace, simulate

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KEYS = st.sampled_from(sorted(SETTING_FIELDS)) | st.text(min_size=1, max_size=12)
SCALARS = (
    st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.sampled_from(["auto", "en", "nl", "both", "seated", "hip", "gentle", "strict", "17:30"])
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4), max_leaves=6)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def toml_text(doc: dict[str, Any]) -> str:
    """A TOML document; values TOML cannot hold (nan in a list) become strings."""
    try:
        return tomlkit.dumps(doc)
    except (ValueError, TypeError):
        return tomlkit.dumps({k: str(v) for k, v in doc.items()})


def mangled(text: str, cut: int, junk: bytes) -> bytes:
    data = text.encode()
    cut = cut % (len(data) + 1)
    return data[:cut] + junk + data[cut:]


def assert_valid(settings_: Settings) -> None:
    """Every value in effect passes the declared check."""
    for f in dataclasses.fields(Settings):
        value = getattr(settings_, f.name)
        value = list(value) if isinstance(value, tuple) else value
        _, reason = check(f.name, value)
        assert reason is None, (f.name, value, reason)


@FUZZ
@given(
    doc=st.dictionaries(KEYS, VALUES, max_size=8),
    cut=st.integers(0, 10**4),
    junk=st.binary(max_size=12),
    mangle=st.booleans(),
)
def test_settings_loader_never_raises_and_keeps_values_valid(
    folder: Path, doc: dict[str, Any], cut: int, junk: bytes, mangle: bool
) -> None:
    user = folder / "settings.toml"
    text = toml_text(doc)
    data = mangled(text, cut, junk) if mangle else text.encode()
    user.write_bytes(data)

    layered = policy.load(folder / "no-policy.toml", user, log_problems=False)

    assert_valid(layered.settings)
    assert all(str(user) in str(p) for p in layered.problems)
    assert user.read_bytes() == data  # reading never changes the file
    if not mangle:  # a readable file: each good value is used, each bad one named
        for key, value in tomllib.loads(text).items():
            good = key in SETTING_FIELDS and check(key, value)[1] is None
            named = any(p.key == key for p in layered.problems)
            assert good != named, (key, value)


@FUZZ
@given(
    tables=st.dictionaries(
        st.sampled_from(["lock", "floor", "defaults", "organisation", "allow_export", "what"]),
        st.dictionaries(KEYS, VALUES, max_size=4) | SCALARS,
        max_size=4,
    ),
    user=st.dictionaries(KEYS, VALUES, max_size=6),
)
def test_policy_and_user_file_never_raise_and_locks_hold(
    folder: Path, tables: dict[str, Any], user: dict[str, Any]
) -> None:
    policy_file, user_file = folder / "policy.toml", folder / "user.toml"
    policy_file.write_text(toml_text(tables))
    user_file.write_text(toml_text(user))

    layered = policy.load(policy_file, user_file, log_problems=False)

    assert_valid(layered.settings)
    for key, value in layered.policy.locks.items():
        assert getattr(layered.settings, key) == value
    for key, bound in layered.policy.floors.items():
        if key not in layered.policy.locks:
            assert policy.at_least_as_strict(key, getattr(layered.settings, key), bound)


ROWS = st.lists(
    st.tuples(
        st.floats(allow_nan=True, allow_infinity=True) | st.integers(-5, 10**6),
        st.sampled_from(STATES) | st.text(max_size=8),
    ),
    max_size=12,
)


@FUZZ
@given(
    header=st.sampled_from(["offset_s,state", " offset_s , state ", "state,offset_s", ""]),
    rows=ROWS,
    junk=st.text(max_size=20),
    cut=st.integers(0, 500),
)
def test_trace_parser_accepts_good_traces_and_names_the_line_of_bad_ones(
    header: str, rows: list[tuple[float, str]], junk: str, cut: int
) -> None:
    text = header + "\n" + "".join(f"{o},{s}\n" for o, s in rows)
    text = text[:cut] + junk + text[cut:] if junk else text
    try:
        spans = parse_trace(text, "day.csv")
    except TraceError as exc:
        assert str(exc).startswith("day.csv")
        return
    assert spans[-1].state == "end"
    assert all(s.state in STATES for s in spans)
    assert all(math.isfinite(s.start) and s.start >= 0 for s in spans)
    assert all(a.start <= b.start for a, b in itertools.pairwise(spans))


@FUZZ
@given(
    rows=st.lists(
        st.tuples(st.integers(1, 4 * 3600), st.sampled_from(STATES[:-1])), min_size=1, max_size=10
    ),
    respond=st.sampled_from(["done", "snooze", "skip", "ignore"]),
)
def test_any_valid_trace_simulates_without_negative_durations(
    rows: list[tuple[int, str]], respond: str
) -> None:
    offset, lines = 0, []
    for length, state in rows:
        lines.append(f"{offset},{state}")
        offset += length
    text = "offset_s,state\n" + "\n".join(lines) + f"\n{offset},end\n"
    s = Settings(micro_every_min=5, exercise_every_min=12)
    exercises = catalog.load_library()[0]
    last = -1.0
    for e in simulate(parse_trace(text), s, Picker(exercises, s), respond=respond):
        d = e.as_dict()
        assert d["at"] >= last
        last = d["at"]
        for key in ("sat_s", "away_s", "in_s", "duration_s"):
            assert d.get(key, 0) >= 0, d
        if "start" in d and "end" in d:
            assert d["end"] >= d["start"], d


def _exercise() -> dict[str, Any]:
    return tomllib.loads((catalog.LIBRARY_DIR / "posture-reset.toml").read_text())


FIELDS = sorted(_exercise())


@FUZZ
@given(
    changes=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=3),
    cut=st.integers(0, 5000),
    junk=st.binary(max_size=16),
    mangle=st.booleans(),
)
def test_pack_loader_never_raises_and_names_the_file(
    folder: Path, changes: dict[str, Any], cut: int, junk: bytes, mangle: bool
) -> None:
    pack = folder / "pack"
    pack.mkdir(exist_ok=True)
    for svg in (catalog.PICTURES_DIR).glob("posture-reset-*.svg"):
        if not (pack / svg.name).exists():
            (pack / svg.name).write_bytes(svg.read_bytes())
    data = _exercise() | changes
    text = toml_text(data)
    raw = mangled(text, cut, junk) if mangle else text.encode()
    (pack / "posture-reset.toml").write_bytes(raw)

    exercises, problems = catalog.load_folder(pack)

    assert len(exercises) + len(problems) == 1
    for p in problems:
        assert p.path == pack / "posture-reset.toml" and str(p)
    for e in exercises:  # what loads is well-formed
        assert e.id == "posture-reset" and e.texts["en"].steps
        assert all(isinstance(t, str) and t for t in (*e.texts["en"].steps, e.texts["en"].title))
