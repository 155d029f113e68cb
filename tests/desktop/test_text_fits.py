"""Text that fits, in every shipped language: every window and page of Coach (break
window with a seated, a standing and a floor exercise, tray menu, every settings page,
statistics, first-run screens, check-in, escalation, pain advice) on a 1280x720 screen
(Xvfb with fluxbox) at 1x and QT_SCALE_FACTOR=2. No label, button, list item, tab or
menu item is cut or elided, and every window lies inside the screen's free area.

Screenshots: artifacts/l10n-<view>-<lang>-<scale>x-<screen>.png. Look at them after a
translation changes (docs: the translators' guide): a test cannot see an ugly break or a
sentence left in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import i18n
from tests.desktop.test_desktop import ARTIFACTS, _require_tools
from tests.desktop.test_window_fit import run_probe
from tests.desktop_session import DesktopSession

pytestmark = pytest.mark.desktop
PROBE = Path(__file__).resolve().parents[1] / "fakes" / "text_probe.py"
SCREEN = "1280x720"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    _require_tools()
    desktop = DesktopSession(tmp_path_factory.mktemp("l10n"), size=SCREEN).start()
    yield desktop
    desktop.stop()


def _inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize("scale", ["1", "2"])
@pytest.mark.parametrize("lang", i18n.languages())
def test_every_text_fits(session: DesktopSession, lang: str, scale: str, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shown = run_probe(PROBE, session, lang, ARTIFACTS / "l10n", scale, tmp_path, timeout=300)
    assert len(shown) >= 12, shown
    problems = []
    for view in shown:
        name = f"l10n-{view['view']}-{lang}-{scale}x-{SCREEN}.png"
        (ARTIFACTS / f"l10n-{view['view']}.png").replace(ARTIFACTS / name)
        if not _inside(view["frame"], view["available"]):
            problems.append(f"{name}: {view['frame']} outside {view['available']}")
        problems += [f"{name}: {cut}" for cut in view["cut"]]
    assert problems == [], "\n".join(problems)
