"""Every window fits the screen's available area: at 1x and QT_SCALE_FACTOR=2, on
1280x800, 1600x900 and 1280x720 screens (Xvfb with fluxbox, its frames and its
toolbar), in English and Dutch. Its frame lies inside the area, and every button that
is not in a scroll area is fully on screen. Screenshots go to artifacts/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.test_desktop import ARTIFACTS, _require_tools
from tests.desktop_session import DesktopSession

pytestmark = pytest.mark.desktop
ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).resolve().parents[1] / "fakes" / "window_probe.py"
WINDOWS = {
    "break",
    "settings",
    "statistics",
    "safety",
    "checkin",
    "escalation",
    "setup",
    "advice",
}


def _inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def run_probe(
    probe: Path,
    session: DesktopSession,
    lang: str,
    prefix: Path,
    scale: str,
    home: Path,
    timeout: float,
) -> list[dict[str, Any]]:
    """Run a window probe (tests/fakes/) on the session's display; one JSON line per
    window it showed, screenshots saved under `prefix`."""
    out = subprocess.run(
        [sys.executable, str(probe), lang, str(prefix)],
        env=dict(session.env, COACH_HOME=str(home), QT_SCALE_FACTOR=scale, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module", params=["1280x800", "1600x900", "1280x720"])
def screen(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, DesktopSession]]:
    _require_tools()
    session = DesktopSession(tmp_path_factory.mktemp("fit"), size=request.param).start()
    yield request.param, session
    session.stop()


@pytest.mark.parametrize("scale", ["1", "2"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_window_fits_the_screen(
    screen: tuple[str, DesktopSession], scale: str, lang: str, tmp_path: Path
) -> None:
    size, session = screen
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / f"fit-{size}-{scale}x-{lang}"
    shown = run_probe(PROBE, session, lang, prefix, scale, tmp_path, timeout=120)
    assert {w["window"] for w in shown} == WINDOWS
    for w in shown:
        assert w["scale"] == float(scale)
        assert _inside(w["frame"], w["available"]), w
        for button in w["buttons"]:
            assert _inside(button, w["available"]), (w["window"], button, w["available"])
