"""No lock or floor of the employer policy can be got around: not from the user's file
(whatever TOML it holds), not from the command line (`coach run --demo`,
`coach autostart`, `coach export`, a COACH_POLICY of one's own while the system policy
exists), not from the settings dialog.
"""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from coach.config import paths as paths_mod
from coach.config import policy
from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.config.settings import SETTING_FIELDS, Settings, check
from coach.ui.settings_dialog import SettingsDialog

POLICY = """
organisation = "Acme"
allow_export = false
[lock]
micro_every_min = 25
autostart = true
[floor]
exercise_every_min = 60
idle_after_s = 60
micro_duration_s = 45
max_snoozes = 1
"""
LOCKS = {"micro_every_min": 25.0, "autostart": True}
FLOORS = {"exercise_every_min": 60.0, "idle_after_s": 60, "micro_duration_s": 45, "max_snoozes": 1}
TRIES = {  # the user's attempts, as TOML lines
    "plain": [
        "micro_every_min = 90",
        "autostart = false",
        "exercise_every_min = 240",
        "idle_after_s = 5",
        "micro_duration_s = 15",
        "max_snoozes = 5",
    ],
    "quoted keys": ['"micro_every_min" = 90', "'exercise_every_min' = 240", '"idle_after_s" = 5'],
    "not a number": [
        "exercise_every_min = nan",
        "micro_every_min = nan",
        "idle_after_s = inf",
        "micro_duration_s = -inf",
    ],
    "other types": [
        'micro_every_min = "90"',
        'autostart = "false"',
        "max_snoozes = 5.0",
        "exercise_every_min = [240]",
        "idle_after_s = {value = 5}",
    ],
    "tables": [
        "[lock]",
        "micro_every_min = 90",
        "[floor]",
        "exercise_every_min = 240",
        "[defaults]",
        "idle_after_s = 5",
    ],
    "look-alikes": [
        "Micro_every_min = 90",
        "micro-every-min = 90",
        "micro_every_min_ = 90",
        "exercise_every_mіn = 240",
    ],  # a Cyrillic i
    "policy keys": ['organisation = "Me"', "allow_export = true", 'exercise_pack = "/tmp"'],
}


def assert_policy_holds(settings: Settings) -> None:
    for key, value in LOCKS.items():
        assert getattr(settings, key) == value, key
    for key, bound in FLOORS.items():
        value = getattr(settings, key)
        assert policy.at_least_as_strict(key, value, bound), (key, value)
        assert not (isinstance(value, float) and math.isnan(value)), key


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    p = Paths(tmp_path / "config", tmp_path / "data", tmp_path / "policy.toml")
    p.ensure()
    p.policy_file.write_text(POLICY)
    return p


@pytest.mark.parametrize("attempt", TRIES)
def test_the_users_file_cannot_get_past_a_lock_or_floor(paths: Paths, attempt: str) -> None:
    paths.settings_file.write_text("\n".join(TRIES[attempt]) + "\n")
    layers = policy.load(paths.policy_file, paths.settings_file, log_problems=False)
    assert_policy_holds(layers.settings)
    assert layers.policy.owner == "Acme" and not layers.policy.allow_export


def test_not_a_number_is_never_a_valid_setting() -> None:
    """nan passes every comparison with False: it must not pass the range check."""
    for f in dataclasses.fields(Settings):
        if isinstance(f.default, float):
            assert check(f.name, float("nan"))[1] is not None, f.name
            assert check(f.name, math.inf)[1] is not None, f.name


def test_the_settings_dialog_cannot_get_past_a_lock_or_floor(qtbot: object, paths: Paths) -> None:
    dialog = SettingsDialog(Preferences(paths))
    try:
        for key in LOCKS:
            editor = dialog.rows[key].editor
            assert isinstance(editor, QWidget) and not editor.isEnabled(), key
        tries = {
            "micro_every_min": [90.0, 24.0],
            "autostart": [False],
            "exercise_every_min": [61.0, 240.0, math.nan],
            "idle_after_s": [59, 5],
            "micro_duration_s": [44, 15],
            "max_snoozes": [2, 5],
        }
        for key, values in tries.items():
            for value in values:
                assert dialog.commit(key, value) is False, (key, value)
        assert not paths.settings_file.exists() or all(
            k not in paths.settings_file.read_text() for k in tries
        )
        assert dialog.commit("max_snoozes", 0) is True  # stricter than the floor: fine
        assert_policy_holds(dialog.prefs.settings)
    finally:
        dialog.close()


def _coach(paths: Paths, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = paths.config_dir.parent
    environ = {
        **os.environ,
        "COACH_POLICY": str(paths.policy_file),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "HOME": str(home),
        **env,
    }
    environ.pop("COACH_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_line_cannot_get_past_a_lock_or_switch(tmp_path: Path, paths: Paths) -> None:
    home = tmp_path / "home"
    env = {"COACH_HOME": str(home)}
    out = _coach(paths, "autostart", "disable", **env)
    assert out.returncode != 0 and "Acme" in out.stderr
    out = _coach(paths, "export", "--format", "json", "--out", str(tmp_path / "x.json"), **env)
    assert out.returncode != 0 and "Acme" in out.stderr
    assert not (tmp_path / "x.json").exists()


def test_demo_mode_stays_within_the_policy(monkeypatch: pytest.MonkeyPatch, paths: Paths) -> None:
    """`coach run --demo` shortens the intervals, but never past a lock or floor."""
    from coach import cli
    from coach.cli.run import DEMO

    seen: list[Settings] = []
    monkeypatch.setattr(paths_mod, "resolve", lambda env=None: paths)
    monkeypatch.setattr(
        "coach.ui.startup.run_app",
        lambda preferences, notices, demo=False: seen.append(preferences.settings) or 0,
    )
    assert cli.main(["run", "--demo"]) == 0
    assert_policy_holds(seen[0])
    assert seen[0].snooze_min == DEMO["snooze_min"]  # the rest of the demo applies


def test_an_own_policy_file_does_not_replace_the_system_policy(
    tmp_path: Path, paths: Paths
) -> None:
    """COACH_POLICY is for trying a policy out; where the system one exists, it rules."""
    mine = tmp_path / "mine.toml"
    mine.write_text("")
    resolved = paths_mod.resolve(
        {"COACH_POLICY": str(mine), "COACH_HOME": str(tmp_path)}, system=paths.policy_file
    )
    assert resolved.policy_file == paths.policy_file
    resolved = paths_mod.resolve(
        {"COACH_POLICY": str(mine), "COACH_HOME": str(tmp_path)},
        system=tmp_path / "no-system-policy.toml",
    )
    assert resolved.policy_file == mine


def test_every_lockable_key_holds_against_every_value_of_its_type(tmp_path: Path) -> None:
    """Each setting locked in turn; the user's file tries every kind of value."""
    values = [
        True,
        False,
        0,
        1,
        5,
        600,
        -1,
        0.5,
        1e9,
        "x",
        "auto",
        "nl",
        "gentle",
        "strict",
        ["seated"],
        [],
    ]
    for f in dataclasses.fields(Settings):
        locked = SETTING_FIELDS[f.name].default
        policy_file = tmp_path / "p.toml"
        policy_file.write_text(f"[lock]\n{f.name} = {_toml(locked)}\n")
        for value in values:
            user = tmp_path / "u.toml"
            user.write_text(f"{f.name} = {_toml(value)}\n")
            layers = policy.load(policy_file, user, log_problems=False)
            assert getattr(layers.settings, f.name) == locked, (f.name, value)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)
