"""The desktop every test here may start: Xvfb, fluxbox's tray, a session bus and dunst
(a test module with more to set up defines its own `desktop`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop_session import DesktopSession, missing_tools
from tests.tools import tool_missing


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[DesktopSession]:
    missing = missing_tools()
    if missing:
        tool_missing(f"desktop tools missing: {', '.join(missing)}")
    session = DesktopSession(tmp_path / "desktop").start()
    yield session
    session.stop()
