"""Employer policy and layering: defaults < policy < user file, locks, floors, bad files."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from coach import cli, i18n
from coach.config import policy as pol
from coach.config import settings as s
from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.config.settings import Settings

POLICY = """\
organisation = "Acme BV"
allow_export = false
exercise_pack = "pack"

[defaults]
micro_every_min = 25
language = "en"

[lock]
max_snoozes = 1

[floor]
exercise_every_min = 45
micro_duration_s = 60
strictness = "firm"
"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    return write(tmp_path / "policy.toml", POLICY)


def test_layers_defaults_then_policy_then_user(tmp_path: Path, policy_file: Path) -> None:
    user = write(tmp_path / "settings.toml", "snooze_min = 3\n")
    layers = pol.load(policy_file, user)
    assert layers.problems == []
    got = layers.settings
    assert got.micro_every_min == 25  # policy default
    assert got.snooze_min == 3  # user
    assert got.idle_after_s == Settings().idle_after_s  # built-in
    assert layers.origin("snooze_min") == "user"
    assert layers.origin("max_snoozes") == "policy"
    assert layers.origin("micro_every_min") == "default"


def test_user_may_override_a_policy_default(tmp_path: Path, policy_file: Path) -> None:
    user = write(tmp_path / "settings.toml", "micro_every_min = 20\n")
    assert pol.load(policy_file, user).settings.micro_every_min == 20


def test_user_file_cannot_get_past_a_lock(tmp_path: Path, policy_file: Path) -> None:
    user = write(
        tmp_path / "settings.toml",
        "max_snoozes = 5\nMAX_SNOOZES = 5\n'max_snoozes ' = 4\nsnooze_min = 2\n",
    )
    layers = pol.load(policy_file, user)
    assert layers.settings.max_snoozes == 1
    assert layers.settings.snooze_min == 2
    locked = [p for p in layers.problems if p.key == "max_snoozes"]
    assert locked and "Acme BV" in locked[0].message and locked[0].line == 1
    assert str(user) in str(locked[0]) and "line 1" in str(locked[0])
    # the near-misses are unknown keys, not a way round the lock
    assert {p.key for p in layers.problems} == {"max_snoozes", "MAX_SNOOZES", "max_snoozes "}


def test_dialog_and_cli_checks_refuse_locked_and_floored_values(policy_file: Path) -> None:
    policy, problems = pol.read(policy_file)
    assert problems == []
    assert policy.check("max_snoozes", 2) == (None, "set by Acme BV")
    assert policy.check("max_snoozes", 1)[1] is not None  # even its own value: read-only
    value, reason = policy.check("exercise_every_min", 50)
    assert value is None and reason == "Acme BV allows at most 45 min"
    assert policy.check("exercise_every_min", 30) == (30.0, None)
    assert policy.check("micro_duration_s", 30)[1] == "Acme BV asks for at least 60 s"
    assert policy.check("strictness", "gentle")[1] is not None
    assert policy.check("strictness", "strict") == ("strict", None)
    assert policy.note("max_snoozes") == "Set by Acme BV"


def test_floors_clamp_defaults_and_user_values(tmp_path: Path, policy_file: Path) -> None:
    user = write(
        tmp_path / "settings.toml",
        "exercise_every_min = 90\nmicro_duration_s = 20\nstrictness = 'gentle'\n",
    )
    layers = pol.load(policy_file, user)
    got = layers.settings
    assert (got.exercise_every_min, got.micro_duration_s, got.strictness) == (45, 60, "firm")
    assert {p.key for p in layers.problems} == {
        "exercise_every_min",
        "micro_duration_s",
        "strictness",
    }
    # without a user file the built-in default (60) is already held to the floor (45)
    assert pol.load(policy_file, tmp_path / "none.toml").settings.exercise_every_min == 45


def test_stricter_user_values_are_kept(tmp_path: Path, policy_file: Path) -> None:
    user = write(
        tmp_path / "settings.toml",
        "exercise_every_min = 30\nmicro_duration_s = 120\nstrictness = 'strict'\n",
    )
    layers = pol.load(policy_file, user)
    assert layers.problems == []
    assert (
        layers.settings.exercise_every_min,
        layers.settings.micro_duration_s,
        layers.settings.strictness,
    ) == (30, 120, "strict")


def test_every_declared_direction_is_valid() -> None:
    for f in s.SETTING_FIELDS.values():
        direction = f.metadata["stricter"]
        if isinstance(direction, tuple):
            assert set(direction) == set(f.metadata["choices"]), f.name
        else:
            assert direction in (None, s.LOWER, s.HIGHER), f.name
            if direction:
                assert isinstance(f.default, (int, float)), f.name


@hsettings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(
        [k for k, f in s.SETTING_FIELDS.items() if f.metadata["stricter"] in (s.LOWER, s.HIGHER)]
    ),
    bound_at=st.floats(0, 1),
    wish_at=st.floats(0, 1),
)
def test_no_user_value_gets_past_a_floor(
    tmp_path_factory: pytest.TempPathFactory, key: str, bound_at: float, wish_at: float
) -> None:
    f = s.SETTING_FIELDS[key]
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    whole = isinstance(f.default, int)

    def at(x: float) -> float:
        v = lo + (hi - lo) * x
        return round(v) if whole else round(v, 1)

    folder = tmp_path_factory.mktemp("floor")
    policy = write(folder / "policy.toml", f"[floor]\n{key} = {at(bound_at)}\n")
    user = write(folder / "settings.toml", f"{key} = {at(wish_at)}\n")
    layers = pol.load(policy, user, log_problems=False)
    assert pol.at_least_as_strict(key, getattr(layers.settings, key), at(bound_at))


def test_exercise_pack_is_locked_and_relative_to_the_policy(policy_file: Path) -> None:
    policy, _ = pol.read(policy_file)
    assert policy.locks["exercise_pack"] == str(policy_file.parent / "pack")
    assert policy.base().exercise_pack == str(policy_file.parent / "pack")
    assert not policy.allow_export and policy.organisation == "Acme BV"


def test_policy_can_switch_autostart_on_for_everyone(tmp_path: Path) -> None:
    on = write(tmp_path / "policy.toml", "[defaults]\nautostart = true\n")
    user = write(tmp_path / "settings.toml", "autostart = false\n")
    assert pol.load(on, tmp_path / "none.toml").settings.autostart is True
    assert pol.load(on, user).settings.autostart is False  # a default: users may opt out
    locked = write(tmp_path / "locked.toml", "[lock]\nautostart = true\n")
    assert pol.load(locked, user).settings.autostart is True
    assert pol.read(locked)[0].check("autostart", False)[1] is not None


def test_policy_mistakes_are_reported_by_line_and_key(tmp_path: Path) -> None:
    text = (
        "organisation = 42\nallow_export = 'no'\ncolour = 'red'\n"
        "[defaults]\nmicro_every_min = 500\ncoffee = 1\n"
        "[floor]\nlanguage = 'nl'\nexercise_every_min = 60\n"
        "[lock]\nexercise_every_min = 90\n"
    )
    path = write(tmp_path / "policy.toml", text)
    policy, problems = pol.read(path)
    found = {(p.key, p.line) for p in problems}
    assert found == {
        ("organisation", 1),
        ("allow_export", 2),
        ("colour", 3),
        ("defaults.micro_every_min", 5),
        ("defaults.coffee", 6),
        ("floor.language", 8),
        ("lock.exercise_every_min", 11),
    }
    assert policy.allow_export is True  # a bad switch leaves export allowed
    assert policy.locks["exercise_every_min"] == 60  # the lock is held to the floor
    assert all(str(path) in str(p) for p in problems)


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "policy.toml", "lock = 5\n[floor]\nsnooze_min = 3\n")
    policy, problems = pol.read(path)
    assert [(p.key, p.line) for p in problems] == [("lock", 1)]
    assert policy.floors == {"snooze_min": 3}


BROKEN = {
    "not toml": b"organisation = Acme\n[lock\n",
    "binary": bytes(range(256)) * 4,
    "utf-16": "micro_every_min = 20\n".encode("utf-16"),
    "empty table name": b"[]\n",
    "duplicate key": b"micro_every_min = 20\nmicro_every_min = 25\n",
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_policy_means_safe_values_and_untouched_bytes(tmp_path: Path, kind: str) -> None:
    policy = write(tmp_path / "policy.toml", BROKEN[kind])
    user = write(tmp_path / "settings.toml", "snooze_min = 4\n")
    layers = pol.load(policy, user)
    assert layers.settings == Settings(snooze_min=4)  # built-in values + the user's file
    assert len(layers.problems) == 1 and str(policy) in str(layers.problems[0])
    assert "ignored" in layers.problems[0].message
    assert policy.read_bytes() == BROKEN[kind]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.toml", "settings.toml"]


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    policy = write(tmp_path / "policy.toml", "organisation = 'Acme'\n\n[lock\n")
    problem = pol.load(policy, tmp_path / "none.toml").problems[0]
    assert problem.line == 3 and "line 3" in str(problem)


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_user_file_is_ignored_kept_and_copied_before_a_rewrite(
    tmp_path: Path, policy_file: Path, kind: str
) -> None:
    user = write(tmp_path / "settings.toml", BROKEN[kind])
    layers = pol.load(policy_file, user)
    assert layers.settings == pol.read(policy_file)[0].base()
    assert any(str(user) in str(p) for p in layers.problems)
    assert user.read_bytes() == BROKEN[kind]
    kept = s.save(user, {"snooze_min": 3})  # what the dialog and the CLI do
    assert kept is not None and kept.read_bytes() == BROKEN[kind]
    assert tomllib.loads(user.read_text())["snooze_min"] == 3
    assert s.save(user, {"snooze_min": 4}) is None  # the new file is fine: no more copies


@pytest.mark.parametrize(
    "text",
    [
        "micro_every_min = 0\n",
        "coffee_every_min = 5\n",
        "language = 'tlh'\n",
        "positions = []\n",
        "work_hours = 'whenever'\n",
        "autostart = 'yes'\n",
    ],
)
def test_user_file_with_bad_values_is_copied_aside_before_a_rewrite(
    tmp_path: Path, text: str
) -> None:
    user = write(tmp_path / "settings.toml", "# mine\n" + text)
    assert pol.load(tmp_path / "none.toml", user).problems
    kept = s.save(user, {"snooze_min": 3})
    assert kept is not None and kept.read_text() == "# mine\n" + text
    assert user.read_text().startswith("# mine\n")  # the rest of the file stays as it was
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_user_file(tmp_path: Path) -> None:  # pragma: no cover - not as root
    user = write(tmp_path / "settings.toml", "snooze_min = 3\n")
    user.chmod(0)
    layers = pol.load(tmp_path / "none.toml", user)
    assert layers.settings == Settings() and "cannot be read" in layers.problems[0].message
    with pytest.raises(s.SaveError):
        s.save(user, {"snooze_min": 4})


def test_save_keeps_comments_writes_0600_and_leaves_no_temp_files(tmp_path: Path) -> None:
    user = write(tmp_path / "settings.toml", "# my comment\nsnooze_min = 3  # short\n")
    assert (
        s.save(user, {"micro_every_min": 20, "snooze_min": None, "positions": ("seated",)}) is None
    )
    text = user.read_text()
    assert "# my comment" in text and "snooze_min" not in text
    assert tomllib.loads(text) == {"micro_every_min": 20, "positions": ["seated"]}
    assert stat.S_IMODE(user.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_save_creates_a_commented_file(tmp_path: Path) -> None:
    user = tmp_path / "new" / "settings.toml"
    s.save(user, {"language": "nl"})
    assert tomllib.loads(user.read_text()) == {"language": "nl"}
    assert "# micro_every_min = 30" in user.read_text()
    assert stat.S_IMODE(user.parent.stat().st_mode) == 0o700


# -- the CLI within the policy -------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_file: Path) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COACH_POLICY", str(policy_file))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    return tmp_path / "home"


def test_cli_export_refused_when_the_policy_says_so(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "--team", str(home / "team.json"), "--yes"]) == 1
    assert cli.main(["export", "--format", "json"]) == 1
    assert "switched off by Acme BV" in capsys.readouterr().err
    assert not (home / "team.json").exists()


def test_cli_doctor_shows_the_policy_and_its_problems(
    home: Path, policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir()
    write(home / "settings.toml", "max_snoozes = 4\n")
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "organisation: Acme BV" in out and "locked: max_snoozes = 1" in out
    assert "floor: exercise_every_min: Acme BV allows at most 45 min" in out
    assert f"{home / 'settings.toml'}, line 1, key 'max_snoozes'" in out


def test_cli_follows_the_language_setting(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir()
    write(home / "settings.toml", "language = 'nl'\n")
    cli.main(["export", "--format", "json"])
    assert "uitgezet door Acme BV" in capsys.readouterr().err


def test_the_sample_policy_is_clean_and_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    sample = root / "resources" / "policy.sample.toml"
    policy, problems = pol.read(sample)
    assert problems == [] and policy.organisation == "Example BV"
    guide = (root / "docs" / "deployment.md").read_text(encoding="utf-8")
    undocumented = [
        k for k, f in s.SETTING_FIELDS.items() if f.metadata["stricter"] and f"`{k}`" not in guide
    ]
    assert undocumented == [], "docs/deployment.md: say which way these are stricter"


def test_demo_mode_stays_within_the_policy(tmp_path: Path, policy_file: Path) -> None:
    """The --demo values are this session's overrides (cli/run.py): a lock or floor
    holds against them, and they survive a save (tests/ui/test_security_policy.py runs
    `coach run --demo` itself)."""
    from coach.cli.run import DEMO

    policy_file.write_text(POLICY + "idle_after_s = 120\n")  # a floor: at least 120 s
    preferences = Preferences(Paths(tmp_path, tmp_path, policy_file), log_problems=False)
    preferences.override(DEMO)
    got = preferences.settings
    assert got.idle_after_s == 120 and got.micro_duration_s == 60  # floors hold
    assert got.micro_every_min == 1 and got.max_snoozes == 1  # demo value; lock holds
    preferences.save({"chime": False})
    assert preferences.settings.snooze_min == DEMO["snooze_min"] and not preferences.settings.chime


def test_a_policy_anyone_can_edit_is_reported(policy_file: Path) -> None:
    policy_file.chmod(0o666)
    policy, problems = pol.read(policy_file)
    assert policy.organisation == "Acme BV"  # still applies
    assert len(problems) == 1 and "every user" in problems[0].message
