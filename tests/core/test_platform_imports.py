"""The platform layer stays headless: importing and detecting pulls in no Qt."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys, coach.platform as p
from coach.platform import (base, candidates, dbus_call, dbus_idle, devwatch, fallback,
                            inhibit, lock, macos, presence, sampler, sleep, windows, x11, xlib,
                            xsync)
platform = p.detect({}, "linux")
platform.sample(0.0)
platform.close()
qt = {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
bad = sorted(m for m in sys.modules if m.split(".")[0] in qt)
print(bad)
"""


def test_no_qt_under_coach_platform() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]", out.stderr
