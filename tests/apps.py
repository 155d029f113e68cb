"""The tray app as UI tests build it: a real SQLite history, a fake clock and sampler,
the user's files in a temporary folder. Use the `make_app` fixture (tests/conftest.py),
which closes every app it built."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.core.clock import Clock, FakeClock
from coach.core.sample import Sample
from coach.history.store import Store
from coach.service import CoachService

if TYPE_CHECKING:
    from coach.ui.app import CoachApp, Sampler

CET = timezone(timedelta(hours=1))
MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=CET)


class ActiveSampler:
    """The user types all the time."""

    def sample(self, now: float) -> Sample:
        return Sample(idle_s=0.0)


def folder_paths(folder: Path) -> Paths:
    """Settings, data and (absent) policy in one folder."""
    return Paths(folder, folder, folder / "policy.toml")


def preferences(paths: Paths, settings: Mapping[str, Any] | None = None) -> Preferences:
    """The files at `paths`, with `settings` as this session's values (English unless
    told otherwise)."""
    return Preferences(paths, {"language": "en", **(settings or {})}, log_problems=False)


def build_app(
    folder: Path,
    settings: Mapping[str, Any] | None = None,
    *,
    paths: Paths | None = None,
    store: Store | None = None,
    sampler: Sampler | None = None,
    clock: Clock | None = None,
    notices: Sequence[str] = (),
    limitations: Sequence[str] = (),
    wake_fd: int | None = None,
    break_process: bool = False,
) -> CoachApp:
    from coach.ui.app import CoachApp

    paths = paths or folder_paths(folder)
    prefs = preferences(paths, settings)
    store = store or Store.open(paths.database)
    service = CoachService.with_library(prefs.settings, store, clock or FakeClock(MONDAY_9))
    return CoachApp(
        prefs,
        service,
        sampler or ActiveSampler(),
        notices,
        limitations=limitations,
        wake_fd=wake_fd,
        break_process=break_process,
    )
