"""The tray icon, painted: a ring that fills as sitting time grows toward the next break.

States: normal (teal ring filling), due (warm orange, full), paused (grey with pause
bars), urgent (a break was ignored: red dot). In high contrast the theme's own text
colour fills the ring on a track of its window colour, and the dot is its highlight: the
states differ by shape (full ring, pause bars, dot), never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPalette, QPixmap

CLEAR = QColor(0, 0, 0, 0)
SIZES = (16, 22, 24, 32, 48, 64)


@dataclass(frozen=True)
class Scheme:
    """The icon's colours: the ring in each state, its empty track and the urgent dot."""

    normal: QColor
    due: QColor
    paused: QColor
    track: QColor
    dot: QColor


OWN = Scheme(
    normal=QColor("#2F8F83"),
    due=QColor("#E07A5F"),
    paused=QColor("#8A949C"),
    track=QColor(128, 128, 128, 90),
    dot=QColor("#C0392B"),
)


def high_contrast(palette: QPalette) -> Scheme:
    """The system theme's text, window and highlight colours (read without role enums)."""
    text = palette.windowText().color()
    return Scheme(
        normal=text,
        due=text,
        paused=text,
        track=palette.window().color(),
        dot=palette.highlight().color(),
    )


def paint(size: int, fraction: float, state: str, scheme: Scheme = OWN) -> QPixmap:
    """One pixmap of the icon. `fraction` 0..1 is the way to the next break.

    Every shape is a path filled with a `_solid` brush: no pens, no plain colours, no
    gradients. Any PySide6 call that takes a colour or a pen style creates Qt's whole
    namespace of enums (20 ms and over a MiB), which nothing else needs before the first
    break window."""
    pm = QPixmap(size, size)
    pm.fill(CLEAR)  # QPixmap.fill takes only a colour: no enums
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    width = max(size * 0.14, 2.0)
    centre = QPointF(size / 2, size / 2)
    radius = (size - width - 2) / 2  # of the ring's middle line
    colour = {"paused": scheme.paused, "due": scheme.due, "urgent": scheme.due}.get(
        state, scheme.normal
    )

    # The track is the first thing on the empty pixmap: copying it (Source) gives the same
    # pixels as blending it, and Qt blends translucent shapes in extra threads that then
    # linger for 30 s (context switches at every step of the ring).
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    p.fillPath(_ring(centre, radius, width), _solid(scheme.track))
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
    filled = 1.0 if state in ("due", "urgent") else max(0.0, min(fraction, 1.0))
    if filled > 0 and state != "paused":
        p.fillPath(_arc(centre, radius, width, filled), _solid(colour))

    # The centre: a seated figure's head, or pause bars.
    if state == "paused":
        bar_w, bar_h = size * 0.11, size * 0.36
        for dx in (-size * 0.1, size * 0.1):
            bar = QPainterPath()
            bar.addRoundedRect(
                QRectF(centre.x() + dx - bar_w / 2, centre.y() - bar_h / 2, bar_w, bar_h),
                bar_w / 3,
                bar_w / 3,
            )
            p.fillPath(bar, _solid(colour))
    else:
        p.fillPath(_disc(centre, size * 0.16), _solid(colour))
    if state == "urgent":
        r = size * 0.17
        p.fillPath(_disc(QPointF(size - r - 0.5, r + 0.5), r), _solid(scheme.dot))
    p.end()
    return pm


def _solid(colour: QColor) -> QBrush:
    """A solid brush of one colour, taken from a palette built of it.

    `QBrush(colour)` would create Qt's namespace of enums (see `paint`), and a gradient
    brush makes Qt's raster engine fill large shapes in its thread pool, which starts
    threads at every step of the ring; a solid brush is filled in the calling thread."""
    return QPalette(colour, colour).window()


def _disc(centre: QPointF, r: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(centre, r, r)
    return path


def _ring(centre: QPointF, radius: float, width: float) -> QPainterPath:
    """A full ring: the inner circle cuts the outer one (odd-even fill)."""
    path = _disc(centre, radius + width / 2)
    path.addEllipse(centre, radius - width / 2, radius - width / 2)
    return path


def _arc(centre: QPointF, radius: float, width: float, filled: float) -> QPainterPath:
    """The filled part of the ring, clockwise from 12 o'clock, with round ends."""
    if filled >= 1.0:
        return _ring(centre, radius, width)
    outer, inner = radius + width / 2, radius - width / 2
    sweep = -filled * 360.0
    path = QPainterPath()
    path.arcMoveTo(_square(centre, outer), 90.0)
    path.arcTo(_square(centre, outer), 90.0, sweep)
    path.arcTo(_square(centre, inner), 90.0 + sweep, -sweep)
    path.closeSubpath()
    for angle in (90.0, 90.0 + sweep):  # the round ends
        end = QPainterPath()
        end.arcMoveTo(_square(centre, radius), angle)
        path = path.united(_disc(end.currentPosition(), width / 2))
    return path


def _square(centre: QPointF, r: float) -> QRectF:
    return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)


def icon(fraction: float, state: str, scheme: Scheme = OWN) -> QIcon:
    result = QIcon()
    for size in SIZES:
        result.addPixmap(paint(size, fraction, state, scheme))
    return result
