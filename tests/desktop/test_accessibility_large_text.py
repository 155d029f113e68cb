"""Large text: every window at Qt scale factor 2 (what 200% text is on a Qt 6 desktop:
the text scaling of GNOME and KDE raises the font DPI, and Qt scales by it) on a
1280x720 screen. Each window is rendered in its own process; the picture goes to
artifacts/ (look at it), and nothing may be cut off or reach past the screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SHOW = ROOT / "tests" / "fakes" / "show_window.py"


def render(
    tmp_path: Path, window: str, *extra: str, font_dpi: int = 96, name: str = "", **env_extra: str
) -> str:
    require("xvfb-run")
    ARTIFACTS.mkdir(exist_ok=True)
    parts = [window, *(e.strip("-") for e in extra), name, f"{font_dpi}dpi", "1280x720"]
    name = "-".join(p for p in parts if p)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "QT_FONT_DPI": str(font_dpi),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        **env_extra,
    }
    env.pop("DISPLAY", None)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", sys.executable, str(SHOW), window]
        + [*extra, "--out", str(ARTIFACTS / f"a11y-{name}.png")],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-800:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "window",
    [
        "checkin",
        "break",
        "safety",
        "settings",
        "stats",
    ],
)
def test_200_percent_text_on_1280x720(tmp_path: Path, window: str) -> None:
    info = render(tmp_path, window, font_dpi=192)
    assert "screen=640x360" in info  # the desktop's 200% reached Qt
    assert "inside=True" in info and "clipped=[]" in info, info


def test_reduced_motion_and_high_contrast_at_100_percent(tmp_path: Path) -> None:
    """The pictures to look at: still poses side by side; the system's colours only."""
    info = render(tmp_path, "break", "--reduce-motion")
    assert "inside=True" in info and "clipped=[]" in info, info
    config = tmp_path / "config"
    env = {**os.environ, "GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": str(config)}
    require("gsettings")
    subprocess.run(
        ["gsettings", "set", "org.gnome.desktop.a11y.interface", "high-contrast", "true"],
        env=env,
        check=True,
    )
    info = render(
        tmp_path,
        "break",
        name="high-contrast",
        GSETTINGS_BACKEND="keyfile",
        XDG_CONFIG_HOME=str(config),
    )
    assert "high_contrast=True" in info and "clipped=[]" in info, info
