"""Where Coach keeps settings and data: platformdirs, or everything under COACH_HOME."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "coach"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    policy_file: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "coach.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "coach.log"

    def ensure(self) -> None:
        """Create the folders, readable by the user only."""
        for folder in (self.config_dir, self.data_dir):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def system_policy_file(platform: str = sys.platform) -> Path:
    """The employer policy's system-wide location on each OS."""
    if platform.startswith("win"):
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / "Coach" / "policy.toml"
    if platform == "darwin":
        return Path("/Library/Application Support/Coach/policy.toml")
    return Path("/etc/xdg/coach/policy.toml")


def resolve(env: Mapping[str, str] = os.environ, system: Path | None = None) -> Paths:
    """The folders, and the policy: the system one (`system`, default the OS's place);
    COACH_POLICY only where there is none, so a user cannot swap the employer's out."""
    system = system or system_policy_file()
    policy = (
        Path(env["COACH_POLICY"]) if env.get("COACH_POLICY") and not system.exists() else system
    )
    home = env.get("COACH_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root, data_dir=root, policy_file=policy)
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP, appauthor=False)),
        policy_file=policy,
    )
