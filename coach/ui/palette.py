"""Coach's own colours, chosen to meet WCAG 2.1 AA on light and dark windows, and the
system's colours instead when a high-contrast theme is active.

Every colour a Coach window paints comes from `a11y.colours(widget)`; tests/test_contrast.py
computes the contrast of each pair that is used (text on its background: 4.5:1, large
text and chart marks: 3:1) in light, dark and high-contrast themes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

TEXT_AA = 4.5  # normal text
LARGE_AA = 3.0  # text from 18 pt, or 14 pt bold; chart marks, focus rings and borders


@dataclass(frozen=True)
class Colours:
    """Named colours (#rrggbb) for one theme. `on_*` is text on that fill."""

    accent: str  # teal text and marks on the window (headings, step numbers, dose)
    accent_fill: str  # the primary button and chosen segments
    accent_hover: str
    on_accent: str
    muted: str  # secondary text (explanations, footers, captions)
    warn: str  # "It hurts" and other warm text
    error: str  # a setting's validation message
    note: str  # a policy note next to a setting
    focus: str  # the focus ring
    border: str  # button outlines
    sitting: str  # chart: sitting
    long_bout: str  # chart: sitting in bouts over the goal (also hatched)
    away: str  # chart: away from the computer
    checkin: str  # chart: the weekly check-in line
    high_contrast: bool = False

    def pairs(self, window: str, card: str) -> list[tuple[str, str, str, float]]:
        """(what, foreground, background, least ratio) for each pair Coach paints."""
        return [
            ("accent text", self.accent, window, TEXT_AA),
            ("accent text on a card", self.accent, card, TEXT_AA),
            ("primary button text", self.on_accent, self.accent_fill, TEXT_AA),
            ("primary button hover", self.on_accent, self.accent_hover, TEXT_AA),
            ("muted text", self.muted, window, TEXT_AA),
            ("muted text on a card", self.muted, card, TEXT_AA),
            ("warning text", self.warn, window, TEXT_AA),
            ("error text", self.error, window, TEXT_AA),
            ("policy note", self.note, window, TEXT_AA),
            ("focus ring", self.focus, window, LARGE_AA),
            ("button outline", self.border, window, LARGE_AA),
            ("chart: sitting", self.sitting, card, LARGE_AA),
            ("chart: long bouts", self.long_bout, card, LARGE_AA),
            ("chart: away", self.away, card, LARGE_AA),
            ("chart: check-in", self.checkin, card, LARGE_AA),
        ]


LIGHT = Colours(
    accent="#1B6B62",
    accent_fill="#1B6B62",
    accent_hover="#14544D",
    on_accent="#FFFFFF",
    muted="#565C61",
    warn="#A23B26",
    error="#A8231B",
    note="#275E7A",
    focus="#1B6B62",
    border="#767D84",
    sitting="#2A8175",
    long_bout="#B8512F",
    away="#7D868D",
    checkin="#B8512F",
)
DARK = Colours(
    accent="#5CC4B6",
    accent_fill="#1B6B62",
    accent_hover="#14544D",
    on_accent="#FFFFFF",
    muted="#B4BAC0",
    warn="#F2967E",
    error="#FF8A80",
    note="#8CC8EA",
    focus="#5CC4B6",
    border="#8D959C",
    sitting="#3FA597",
    long_bout="#EE8B6A",
    away="#8D959C",
    checkin="#EE8B6A",
)


def button_rules(c: Colours) -> str:
    """Style-sheet rules for plain push buttons with a focus ring that meets 3:1."""
    return f"""
QPushButton {{ padding: 5px 14px; border: 1px solid {c.border}; border-radius: 4px;
              background: palette(button); }}
QPushButton:hover {{ background: palette(midlight); }}
QPushButton:focus {{ border: 3px solid {c.focus}; padding: 3px 12px; }}
QPushButton:disabled {{ color: {c.muted}; border-style: dashed; }}
"""


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def from_system(palette: QPalette) -> Colours:
    """High contrast: only the theme's own text, highlight and window colours."""
    text = palette.color(QPalette.ColorRole.WindowText).name().upper()
    highlight = palette.color(QPalette.ColorRole.Highlight).name().upper()
    on_highlight = palette.color(QPalette.ColorRole.HighlightedText).name().upper()
    own = {f.name: text for f in fields(Colours) if f.name != "high_contrast"}
    own.update(accent_fill=highlight, accent_hover=highlight, on_accent=on_highlight)
    return Colours(**own, high_contrast=True)


def colours(widget: QWidget | None = None, high_contrast: bool = False) -> Colours:
    """The colours for `widget`'s palette (or the application's)."""
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    if high_contrast:
        return from_system(palette)
    return DARK if is_dark(palette) else LIGHT
