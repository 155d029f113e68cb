"""Shared test set-up. Nothing here imports the UI at import time: core tests run
where PySide6 is not installed (tests/no_qt.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


@pytest.fixture(autouse=True)
def _no_real_desktop_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps built in unit tests never send real notifications (no notify-send children);
    the tray fallbacks stay. tests/core/test_notify.py and the desktop tests cover the rest."""
    import coach.notify

    monkeypatch.setattr(coach.notify, "system_notifiers", lambda *args, **kw: [])


@pytest.fixture
def make_app(qtbot: Any, tmp_path: Path) -> Iterator[Callable[..., CoachApp]]:
    """Build tray apps (tests/apps.py: build_app's arguments); each is closed after the
    test."""
    from PySide6.QtCore import QLocale

    from coach import i18n
    from tests.apps import build_app

    apps: list[CoachApp] = []
    locale = QLocale()  # an app makes its language's locale Qt's default: put it back

    def make(*args: Any, **kw: Any) -> CoachApp:
        app = build_app(tmp_path, *args, **kw)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()
    QLocale.setDefault(locale)
    i18n.use("en")  # an app switches the catalogs to its language: the next test starts in English
