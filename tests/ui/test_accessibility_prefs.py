"""Reduced motion and high contrast from the desktop, and Coach's colours against WCAG 2.1 AA.

GNOME is read with the real `gsettings` (keyfile backend in a temporary home); KDE from a
real kdeglobals file; Windows and macOS through fakes of their calls (they cannot run here).
"""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QPushButton

from coach.core.events import Tier
from coach.platform import a11y_prefs
from coach.ui import palette
from coach.ui.palette import DARK, LARGE_AA, LIGHT, TEXT_AA, contrast
from tests.breaks import due_break
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]


def _gsettings(tmp_path: Path, *args: str) -> a11y_prefs.Run:
    """A gsettings with its own keyfile store; `args` are set first."""
    require("gsettings")
    env = {**os.environ, "GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": str(tmp_path)}
    if args:
        subprocess.run(["gsettings", "set", *args], env=env, check=True)

    def run(cmd: object) -> str | None:
        done = subprocess.run(list(cmd), env=env, capture_output=True, text=True)  # type: ignore[call-overload]
        return done.stdout.strip() if done.returncode == 0 else None

    return run


def test_gnome_animations_off_means_reduced_motion(tmp_path: Path) -> None:
    assert a11y_prefs.gnome(_gsettings(tmp_path)) is False  # the default: animations on
    off = _gsettings(tmp_path, "org.gnome.desktop.interface", "enable-animations", "false")
    assert a11y_prefs.gnome(off) is True


def test_gnome_high_contrast(tmp_path: Path) -> None:
    assert a11y_prefs.gnome_high_contrast(_gsettings(tmp_path)) is False
    on = _gsettings(tmp_path, "org.gnome.desktop.a11y.interface", "high-contrast", "true")
    assert a11y_prefs.gnome_high_contrast(on) is True


def test_kde_animation_speed_zero(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert a11y_prefs.kde(env) is None  # no kdeglobals: cannot tell
    (tmp_path / "kdeglobals").write_text("[KDE]\nAnimationDurationFactor=0\n")
    assert a11y_prefs.kde(env) is True
    (tmp_path / "kdeglobals").write_text("[KDE]\nAnimationDurationFactor=0.5\n")
    assert a11y_prefs.kde(env) is False
    (tmp_path / "kdeglobals").write_text("[KDE]\nAnimationDurationFactor=fast\n")
    assert a11y_prefs.kde(env) is None  # a broken value: cannot tell, no traceback


class FakeUser32:
    """SystemParametersInfoW(SPI_GETCLIENTAREAANIMATION) writing `animate` to the BOOL."""

    def __init__(self, animate: int | None) -> None:
        self.animate = animate
        self.asked: list[int] = []

    def SystemParametersInfoW(self, action: int, _param: int, out: object, _ini: int) -> int:  # noqa: N802
        self.asked.append(action)
        if self.animate is None:
            return 0
        ctypes.cast(out, ctypes.POINTER(ctypes.c_int)).contents.value = self.animate
        return 1


@pytest.mark.parametrize(("animate", "reduce"), [(0, True), (1, False), (None, None)])
def test_windows_show_animations(animate: int | None, reduce: bool | None) -> None:
    user32 = FakeUser32(animate)
    assert a11y_prefs.windows(user32) is reduce
    assert user32.asked == [a11y_prefs.SPI_GETCLIENTAREAANIMATION]


def test_macos_reduce_motion() -> None:
    asked: list[list[str]] = []

    def defaults(out: str | None) -> a11y_prefs.Run:
        def run(cmd: object) -> str | None:
            asked.append(list(cmd))  # type: ignore[call-overload]
            return out

        return run

    assert a11y_prefs.macos(defaults("1"), platform="darwin") is True
    assert a11y_prefs.macos(defaults("0"), platform="darwin") is False
    assert a11y_prefs.macos(defaults(None), platform="darwin") is None  # key never set
    assert a11y_prefs.macos(defaults("1"), platform="linux") is None
    assert asked[0] == ["defaults", "read", "com.apple.universalaccess", "reduceMotion"]


def test_first_reader_that_can_tell_wins() -> None:
    assert a11y_prefs.desktop_reduces_motion([lambda: None, lambda: True, lambda: False])
    assert not a11y_prefs.desktop_reduces_motion([lambda: None, lambda: None])


def test_the_setting_overrides_the_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.ui import a11y

    monkeypatch.setattr(a11y, "desktop_reduces_motion", lambda: True)
    assert a11y.reduce_motion("system") and a11y.reduce_motion("on")
    assert not a11y.reduce_motion("off")


# -- contrast ---------------------------------------------------------------------------
WINDOWS = {"light": ("#EFEFEF", "#FFFFFF"), "dark": ("#2B2D30", "#1F2023")}


def test_contrast_formula_matches_wcag() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the famous 4.48


@pytest.mark.parametrize(("scheme", "colours"), [("light", LIGHT), ("dark", DARK)])
def test_every_pair_coach_paints_meets_aa(scheme: str, colours: palette.Colours) -> None:
    window, card = WINDOWS[scheme]
    failing = [
        f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}, needs {least}"
        for what, fg, bg, least in colours.pairs(window, card)
        if contrast(fg, bg) < least
    ]
    assert failing == []


def test_no_colour_outside_the_palette() -> None:
    """Every #rrggbb a window paints comes from coach/ui/palette.py (the tray icon is a
    picture, not text, and is checked by its own shapes)."""
    stray = {
        path.name: re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text())
        for path in (ROOT / "coach" / "ui").glob("*.py")
        if path.name not in ("palette.py", "tray_icon.py")
    }
    assert {k: v for k, v in stray.items() if v} == {}


def _high_contrast_palette() -> QPalette:
    p = QPalette(QColor("#000000"), QColor("#000000"))
    for role, colour in (
        (QPalette.ColorRole.WindowText, "#FFFFFF"),
        (QPalette.ColorRole.Highlight, "#FFFF00"),
        (QPalette.ColorRole.HighlightedText, "#000000"),
    ):
        p.setColor(role, QColor(colour))
    return p


def test_high_contrast_uses_only_the_system_colours(qtbot) -> None:
    c = palette.from_system(_high_contrast_palette())
    assert c.accent == c.muted == c.warn == c.focus == "#FFFFFF"
    assert (c.accent_fill, c.on_accent) == ("#FFFF00", "#000000")
    assert all(contrast(fg, bg) >= least for _w, fg, bg, least in c.pairs("#000000", "#000000"))


@pytest.mark.parametrize("state", ["normal", "due", "urgent", "paused"])
def test_the_tray_icon_follows_high_contrast(
    make_app, monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    """With GNOME's high contrast on, the tray paints the ring in the theme's text colour
    on a track of its window colour, the urgent dot in its highlight, as painted."""
    from PySide6.QtGui import QGuiApplication

    from coach.ui import tray_icon

    monkeypatch.setattr(a11y_prefs, "gnome_high_contrast", lambda: True)
    monkeypatch.setattr(QGuiApplication, "palette", staticmethod(_high_contrast_palette))
    scheme = make_app().tray.scheme()
    image = tray_icon.paint(32, 0.5, state, scheme).toImage()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    assert tray_icon.paint(64, 0.5, state, scheme).save(
        str(ROOT / "artifacts" / f"tray-icon-high-contrast-{state}.png")
    )
    right, left = image.pixelColor(28, 16).name(), image.pixelColor(3, 16).name()
    expected = {  # the ring's right and left side: half way, full, or paused (track only)
        "normal": ("#ffffff", "#000000"),
        "due": ("#ffffff", "#ffffff"),
        "urgent": ("#ffffff", "#ffffff"),
        "paused": ("#000000", "#000000"),
    }
    assert (right, left) == expected[state]
    middle = image.pixelColor(19 if state == "paused" else 16, 16)  # a pause bar, or the head
    assert (middle.name(), middle.alpha()) == ("#ffffff", 255)
    if state == "urgent":
        assert image.pixelColor(26, 5).name() == "#ffff00"
    assert contrast("#FFFFFF", "#000000") >= LARGE_AA  # graphics: 3:1 at least


def _large(label: QLabel) -> bool:
    font = label.font()
    return font.pointSizeF() >= 18 or (font.pointSizeF() >= 14 and font.bold())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_in_the_break_window_meets_aa_as_rendered(qtbot, scheme: str) -> None:
    """The colours actually used: each label's colour after the style sheet is applied,
    against the window's background as painted."""
    from PySide6.QtWidgets import QApplication

    from coach.exercises import catalog
    from coach.ui.break_window import BreakWindow
    from tests.fakes.render_break import dark_palette

    app = QApplication.instance()
    before = app.palette()
    if scheme == "dark":
        app.setPalette(dark_palette())
    try:
        window = BreakWindow("en", "Stop if it hurts.")
        qtbot.addWidget(window)
        exercise = {e.id: e for e in catalog.load_library()[0]}["standing-hip-hinge"]
        window.show_break(due_break(exercise))
        qtbot.waitExposed(window)
        image = window.grab().toImage()
        background = image.pixelColor(5, image.height() // 2).name()
        checked, failing = 0, []
        for label in window.findChildren(QLabel):
            if not label.isVisible() or not label.text():
                continue
            fg = label.palette().color(label.foregroundRole()).name()
            least = LARGE_AA if _large(label) else TEXT_AA
            checked += 1
            if contrast(fg, background) < least:
                failing.append(f"{label.objectName()} {fg} on {background}")
        done = window.done_button
        fill = image.pixelColor(done.mapTo(window, QPoint(8, done.height() // 2))).name()
        assert contrast(done.palette().color(QPalette.ColorRole.ButtonText).name(), fill) >= 4.5
        assert checked >= 8 and failing == []
        window.close_break()
    finally:
        app.setPalette(before)


def test_focus_ring_is_visible(qtbot) -> None:
    from coach.ui.break_window import BreakWindow

    window = BreakWindow("en", "")
    qtbot.addWidget(window)
    window.show_break(due_break(None, Tier.MICRO, 20))
    qtbot.waitExposed(window)
    button: QPushButton = window.snooze_button
    plain = button.grab().toImage()
    window.take_focus()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    ringed = button.grab().toImage()
    edge = [ringed.pixelColor(x, ringed.height() // 2) for x in range(1, 4)]
    assert plain != ringed
    assert any(contrast(c.name(), "#EFEFEF") >= LARGE_AA for c in edge)
    window.close_break()
