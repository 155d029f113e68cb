"""The settings in effect as one object, shared by the CLI, the app and its dialogs.

Layers, lowest first: built-in defaults < the employer policy < the user's file <
this session's overrides (`coach run --demo`), within the policy's locks and floors.
`save` writes the user's file and reloads; the overrides stay for the keys the user
did not change, so no dialog undoes them by reading the file again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from coach.config import policy as policy_mod
from coach.config import settings as settings_mod
from coach.config.paths import Paths
from coach.config.policy import Policy
from coach.config.settings import Problem, Settings


class Preferences:
    def __init__(
        self,
        paths: Paths,
        overrides: Mapping[str, Any] | None = None,
        *,
        user_file: Path | None = None,
        log_problems: bool = True,
    ) -> None:
        """`overrides`: this session's values (kept where the policy allows them);
        `user_file`: another settings file instead of the user's (`coach simulate`)."""
        self.paths = paths
        self.user_file = user_file or paths.settings_file
        self._overrides = dict(overrides or {})
        self._load(log_problems)

    def _load(self, log_problems: bool) -> None:
        self.layers = policy_mod.load(self.paths.policy_file, self.user_file, log_problems)
        allowed = {
            key: value
            for key, value in self._overrides.items()
            if self.layers.policy.check(key, value)[1] is None
        }
        self.settings: Settings = replace(self.layers.settings, **allowed)

    def override(self, values: Mapping[str, Any]) -> None:
        """This session's values on top of the files (`coach run --demo`), where the
        policy allows them."""
        self._overrides.update(values)
        self._load(log_problems=False)

    @property
    def policy(self) -> Policy:
        return self.layers.policy

    @property
    def base(self) -> Settings:
        """What applies without the user's file (defaults and policy)."""
        return self.layers.base

    @property
    def user(self) -> Mapping[str, Any]:
        """The user's file's values that are in effect."""
        return self.layers.user

    @property
    def problems(self) -> list[Problem]:
        """What was wrong in the policy and the user's file (what was used instead)."""
        return self.layers.problems

    def save(self, changes: Mapping[str, Any]) -> Path | None:
        """Write `changes` to the user's file (None removes a key) and reload.

        Returns where a broken file was copied aside first, if it was; raises
        settings.SaveError when the file cannot be written. A key saved here is no
        longer overridden for this session: the user's choice wins.
        """
        kept = settings_mod.save(self.user_file, changes)
        for key in changes:
            self._overrides.pop(key, None)
        self._load(log_problems=False)
        return kept
