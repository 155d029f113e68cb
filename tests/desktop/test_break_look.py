"""The break window in light and dark, at 100% and 200% scaling, and on a 1280x720
screen: screenshots under artifacts/ (look at them) and a check that nothing is cut off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
RENDER = ROOT / "tests" / "fakes" / "render_break.py"


def render(
    tmp_path: Path, scheme: str, scale: int, screen: str, lang: str = "en", what: str = "break"
) -> tuple[QImage, str]:
    """Render the break (or the setup) window in an Xvfb screen of its own; the image
    and what the window said about its size and place."""
    require("xvfb-run")
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"{what}-{scheme}-{scale}x-{screen}-{lang}.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_SCALE_FACTOR": str(scale),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DISPLAY", None)
    proc = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            f"-screen 0 {screen}x24",
            sys.executable,
            str(RENDER),
            str(out),
            scheme,
            lang,
            *(["setup"] if what == "setup" else []),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return QImage(str(out)), proc.stdout


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_light_and_dark_follow_the_system(tmp_path: Path, scheme: str) -> None:
    image, info = render(tmp_path, scheme, 1, "1280x800")
    assert "inside=True" in info
    background = image.pixelColor(image.width() - 5, image.height() // 2)
    assert (background.lightness() > 128) == (scheme == "light"), info


def test_crisp_at_200_percent(tmp_path: Path) -> None:
    image, info = render(tmp_path, "light", 2, "2560x1600")
    assert "dpr=2" in info and "inside=True" in info
    assert image.devicePixelRatio() == 2 or image.width() > 1200  # rendered at 2x pixels


def test_never_cut_off_on_a_1280x720_screen(tmp_path: Path) -> None:
    _image, info = render(tmp_path, "light", 1, "1280x720", lang="nl")
    assert "inside=True" in info, info
