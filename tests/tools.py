"""Tests that need a tool from the system (Xvfb, xdotool, gsettings, KWin, ...): away
from CI they skip when it is missing; in CI (CI=true, as .ci/run sets) they fail, since
CI installs everything (scripts/setup.sh --test) and a missing tool there means a
broken set-up, not a test that may be left out."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

SETUP = "scripts/setup.sh --test"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def tool_missing(reason: str) -> NoReturn:
    """Skip with `reason`, or fail with it in CI."""
    if in_ci():
        pytest.fail(f"{reason}; CI must have it ({SETUP})", pytrace=False)
    pytest.skip(f"{reason} ({SETUP})")


def require(*tools: str) -> None:
    """The programs `tools` must be on PATH (see tool_missing)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        tool_missing(f"not installed: {', '.join(missing)}")
