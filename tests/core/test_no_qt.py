"""tests/no_qt.py really hides PySide6: a test that imports it fails there (so the core
tests that pass there need no Qt; scripts/test.sh runs them that way)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NO_QT = Path(__file__).resolve().parents[1] / "no_qt.py"


def test_pyside6_cannot_be_imported_there(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text("def test_qt():\n    import PySide6  # noqa: F401\n")
    out = subprocess.run(
        [sys.executable, str(NO_QT), "-q", "-p", "no:cacheprovider", str(probe)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stdout
    assert "No module named 'PySide6' (blocked)" in out.stdout
