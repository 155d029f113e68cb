"""Settings: declared once, validated on load, layered, bad files reported by name."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from coach.config import settings as s
from coach.config.settings import Settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_documented_ones() -> None:
    d = Settings()
    assert (d.idle_after_s, d.micro_every_min, d.micro_duration_s, d.micro_reset_min) == (
        60,
        30,
        45,
        2,
    )
    assert (d.exercise_every_min, d.exercise_duration_s, d.exercise_reset_min) == (60, 150, 10)
    assert (d.snooze_min, d.max_snoozes) == (5, 2)


def test_user_file_overrides_policy_overrides_defaults(tmp_path: Path) -> None:
    policy = write(tmp_path / "policy.toml", "micro_every_min = 25\nsnooze_min = 3\n")
    user = write(tmp_path / "settings.toml", "micro_every_min = 20\n")
    loaded, problems = s.load(policy, user)
    assert problems == []
    assert (loaded.micro_every_min, loaded.snooze_min) == (20, 3)


def test_missing_files_mean_defaults(tmp_path: Path) -> None:
    assert s.load(tmp_path / "nope.toml") == (Settings(), [])


@pytest.mark.parametrize(
    "text, key, words",
    [
        ("micro_every_min = 0\n", "micro_every_min", "outside the allowed range"),
        ("idle_after_s = 'soon'\n", "idle_after_s", "must be a whole number"),
        ("idle_after_s = 1.5\n", "idle_after_s", "must be a whole number"),
        ("max_snoozes = true\n", "max_snoozes", "must be a whole number"),
        ("language = 'tlh'\n", "language", "not one of"),
        ("positions = ['floor', 'hammock']\n", "positions", "hammock"),
        ("coffee_every_min = 5\n", "coffee_every_min", "unknown setting"),
    ],
)
def test_bad_values_are_reported_and_safe_value_kept(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path / "settings.toml", text + "snooze_min = 4\n")
    loaded, problems = s.load(path)
    assert len(problems) == 1
    assert problems[0].key == key and words in problems[0].message
    assert str(path) in str(problems[0])
    assert getattr(loaded, key, None) == getattr(Settings(), key, None)
    assert loaded.snooze_min == 4  # the good keys still apply


def test_broken_toml_is_reported_with_line_and_left_untouched(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.toml", "micro_every_min = 20\nthis is = = not toml\n")
    before = path.read_bytes()
    loaded, problems = s.load(path)
    assert loaded == Settings()
    assert "not valid TOML" in problems[0].message and "line 2" in problems[0].message
    assert path.read_bytes() == before


def test_binary_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded, problems = s.load(path)
    assert loaded == Settings() and "UTF-8" in problems[0].message


def test_template_lists_every_key_and_parses(tmp_path: Path) -> None:
    text = s.template()
    assert all(f"# {f.name} = " in text for f in fields(Settings))
    uncommented = "\n".join(
        line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line
    )
    values = tomllib.loads(uncommented)
    assert s.apply(Settings(), values, "template") == (Settings(), [])


def test_write_template_never_overwrites(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.toml", "micro_every_min = 20\n")
    with pytest.raises(FileExistsError):
        s.write_template(path)
    assert path.read_text() == "micro_every_min = 20\n"


def test_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = [f.name for f in fields(Settings) if f"`{f.name}`" not in readme]
    assert missing == []
