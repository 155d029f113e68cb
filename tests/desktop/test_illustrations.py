"""The exercise pictures: each one parses and renders a figure, the drawing script
reproduces the pictures it defines, and a contact sheet of every frame lands in
artifacts/ for a person to look at."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath
from PySide6.QtSvg import QSvgRenderer

from coach.exercises import catalog
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
PICTURES = sorted(catalog.PICTURES_DIR.glob("*.svg"))
NEW = [
    "seated-hamstring-stretch-1.svg",
    "seated-hamstring-stretch-2.svg",
    "seated-pelvic-floor-core-1.svg",
    "seated-pelvic-floor-core-2.svg",
    "hinge-and-lift-1.svg",
    "hinge-and-lift-2.svg",
    "hinge-and-lift-3.svg",
    "step-ups-1.svg",
    "step-ups-2.svg",
    "step-ups-3.svg",
    "standing-back-extension-1.svg",
    "standing-back-extension-2.svg",
    "back-type-hollow.svg",
    "back-type-flat.svg",
]
FIGURE = QColor("#2F6F8F")  # the head and near limbs of every figure
MUTED_FIGURE = QColor("#9AA3AA")  # the same in a pose marked as wrong
WRONG_CROSS = QColor("#C0392B")
ARTIFACTS = ROOT / "artifacts"


def drawing_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "illustrations_script", ROOT / "scripts" / "illustrations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


def render(svg: Path, size: int = 200) -> QImage:
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid(), f"{svg.name} does not parse"
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def share_of(image: QImage, colour: QColor) -> float:
    hits = sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y) == colour
    )
    return hits / ((image.width() // 2) * (image.height() // 2))


def test_the_new_pictures_exist() -> None:
    missing = [name for name in NEW if not (catalog.PICTURES_DIR / name).exists()]
    assert not missing


@pytest.mark.parametrize("svg", PICTURES, ids=[p.name for p in PICTURES])
def test_each_picture_parses_and_renders_a_figure(qapp: object, svg: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid()
    assert renderer.viewBoxF() == QRectF(0, 0, 200, 200)
    image = render(svg)
    # The background card fills most of it and a figure in the house colour is drawn
    # (muted, with a red cross, when the picture shows a pose to avoid).
    assert share_of(image, QColor("#F3EFE6")) > 0.4, svg.name
    wrong = share_of(image, WRONG_CROSS) > 0.002
    assert share_of(image, MUTED_FIGURE if wrong else FIGURE) > 0.01, svg.name


@pytest.mark.parametrize("svg", PICTURES, ids=[p.name for p in PICTURES])
def test_the_figure_keeps_clear_of_the_card_edge(qapp: object, svg: Path) -> None:
    """A limb running into the card's edge looks cut off; feet may stand on the floor
    line but not sink through it. Only the figure and its marks count: floor, chair and
    desk may run to the edge."""
    text = svg.read_text().replace('stroke="#B9C3CB"', 'stroke="none"')
    text = text.replace('fill="#F3EFE6"', 'fill="none"')
    renderer = QSvgRenderer(QByteArray(text.encode()))
    image = QImage(200, 200, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 200, 200))
    painter.end()
    inside = QPainterPath()
    inside.addRoundedRect(QRectF(12, 12, 176, 179), 16, 16)  # 8 px in; bottom: floor line
    outside = [
        (x, y)
        for y in range(200)
        for x in range(200)
        if image.pixelColor(x, y).alpha() > 40 and not inside.contains(QPointF(x + 0.5, y + 0.5))
    ]
    assert not outside, f"{svg.name}: figure at the card's edge near {outside[:3]}"


def sheet_frames() -> list[Path]:
    """Every frame of every exercise in order, then the pictures no exercise uses yet
    (the back-type pictures of the first-run setup)."""
    exercises, problems = catalog.load_library()
    assert not problems
    frames = [p for e in sorted(exercises, key=lambda e: e.id) for p in e.illustration]
    used = {p.name for p in frames}
    return frames + [p for p in PICTURES if p.name not in used]


def test_contact_sheet_of_every_frame(qapp: object) -> None:
    """artifacts/contact-sheet.png: every frame at 1x with its file name (open it)."""
    frames = sheet_frames()
    cell, label, cols = 200, 18, 8
    rows = -(-len(frames) // cols)
    sheet = QImage(cols * cell, rows * (cell + label), QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.setFont(QFont("DejaVu Sans", 8))
    painter.setPen(QColor("black"))
    for i, frame in enumerate(frames):
        x, y = (i % cols) * cell, (i // cols) * (cell + label)
        renderer = QSvgRenderer(str(frame))
        assert renderer.isValid(), frame.name
        renderer.render(painter, QRectF(x, y, cell, cell))
        painter.drawText(QRectF(x, y + cell, cell, label), Qt.AlignmentFlag.AlignCenter, frame.name)
    painter.end()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "contact-sheet.png"
    assert sheet.save(str(out))
    assert set(PICTURES) <= set(frames)
    # Every cell holds a picture: the card colour in its middle column.
    for i in range(len(frames)):
        x, y = (i % cols) * cell, (i // cols) * (cell + label)
        assert sheet.pixelColor(x + 100, y + 10) == QColor("#F3EFE6"), frames[i].name


@pytest.mark.parametrize(
    "exercise_id, poses_on, lang, scale",
    [
        ("supported-reverse-lunge", 1, "en", 1),
        ("supported-reverse-lunge", 1, "nl", 2),
        ("seated-figure-four", 1, "nl", 1),
        ("seated-figure-four", 1, "en", 2),
        ("floor-cat-cow", 0, "en", 1),
        ("floor-bird-dog", 1, "nl", 1),
        ("posture-reset", 0, "en", 1),
        ("standing-hip-circles", 1, "nl", 2),
    ],
)
def test_break_window_with_a_redrawn_picture(
    tmp_path: Path, exercise_id: str, poses_on: int, lang: str, scale: int
) -> None:
    """Screenshots under artifacts/ (open them): the picture at its size in the window."""
    require("xvfb-run")
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"break-picture-{exercise_id}-{lang}-{scale}x.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QT_SCALE_FACTOR": str(scale)}
    env |= {"HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("DISPLAY", None)
    screen = "2560x1600" if scale == 2 else "1280x800"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable]
        + [str(ROOT / "tests" / "fakes" / "render_break.py"), str(out), "light", lang]
        + [exercise_id, str(poses_on)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "inside=True" in proc.stdout, proc.stdout
    shot = QImage(str(out))
    assert share_of(shot, QColor("#F3EFE6")) > 0.02  # the picture's card is on screen
