"""Shared test setup."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_desktop_notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps built in unit tests never send real notifications (no notify-send children);
    the tray fallbacks stay. tests/test_notify.py and the desktop tests cover the rest."""
    import coach.ui.app

    monkeypatch.setattr(coach.ui.app, "system_notifiers", lambda *args, **kw: [])
