"""The tray icon, painted: a ring that fills as sitting time grows toward the next break.

States: normal (teal ring filling), due (warm orange, full), paused (grey with pause
bars), urgent (a break was ignored: red dot).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

TEAL = QColor("#2F8F83")
ORANGE = QColor("#E07A5F")
GREY = QColor("#8A949C")
TRACK = QColor(128, 128, 128, 90)
SIZES = (16, 22, 24, 32, 48, 64)


def paint(size: int, fraction: float, state: str) -> QPixmap:
    """One pixmap of the icon. `fraction` 0..1 is the way to the next break."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = max(size * 0.14, 2.0)
    rect = QRectF(width / 2 + 1, width / 2 + 1, size - width - 2, size - width - 2)
    colour = {"paused": GREY, "due": ORANGE, "urgent": ORANGE}.get(state, TEAL)

    # The track is the first thing on the empty pixmap: copying it (Source) gives the same
    # pixels as blending it, and Qt blends a translucent stroke in extra threads that then
    # linger for 30 s (context switches at every step of the ring).
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    p.setPen(QPen(TRACK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawEllipse(rect)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    filled = 1.0 if state in ("due", "urgent") else max(0.0, min(fraction, 1.0))
    if filled > 0 and state != "paused":
        p.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(rect, 90 * 16, int(-filled * 360 * 16))

    # The centre: a seated figure's head, or pause bars.
    c = QPointF(size / 2, size / 2)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    if state == "paused":
        bar_w, bar_h = size * 0.11, size * 0.36
        for dx in (-size * 0.1, size * 0.1):
            p.drawRoundedRect(QRectF(c.x() + dx - bar_w / 2, c.y() - bar_h / 2, bar_w, bar_h),
                              bar_w / 3, bar_w / 3)
    else:
        p.drawEllipse(c, size * 0.16, size * 0.16)
    if state == "urgent":
        p.setBrush(QColor("#C0392B"))
        r = size * 0.17
        p.drawEllipse(QPointF(size - r - 0.5, r + 0.5), r, r)
    p.end()
    return pm


def icon(fraction: float, state: str) -> QIcon:
    result = QIcon()
    for size in SIZES:
        result.addPixmap(paint(size, fraction, state))
    return result
