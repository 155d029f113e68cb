"""House rules that keep the core headless."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    p for p in (ROOT / "coach").rglob("*.py") if "ui" not in p.relative_to(ROOT / "coach").parts
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_pyside6_outside_ui() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in CORE if "PySide6" in _imports(p)]
    assert CORE and offenders == []


def test_core_modules_load_without_qt() -> None:
    """Importing every core module must not pull PySide6 in, even indirectly."""
    modules = sorted(
        {
            ".".join(p.relative_to(ROOT).with_suffix("").parts)
            for p in CORE
            if p.name != "__main__.py"
        }
    )
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        "print('PySide6' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_core_never_reads_the_wall_clock() -> None:
    """Only coach/core/clock.py (and the command line, for "today") may call time.time,
    datetime.now and friends."""
    banned = ("time.time(", "datetime.now(", "date.today(", "time.monotonic(", "datetime.utcnow(")
    offenders = [
        f"{p.relative_to(ROOT)}: {b}"
        for p in CORE
        if p != ROOT / "coach" / "core" / "clock.py" and p.parent != ROOT / "coach" / "cli"
        for b in banned
        if b in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def _coach_imports(path: Path) -> set[str]:
    """The coach modules `path` imports, wherever the import statement stands."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("coach.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("coach"):
                names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_ui_modules_import_no_loop() -> None:
    """A UI module never imports one that imports it back (the tray gets a small
    interface of actions, not the app)."""
    ui = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts): p
        for p in (ROOT / "coach" / "ui").glob("*.py")
    }
    edges = {name: _coach_imports(path) & set(ui) for name, path in ui.items()}
    loops = sorted(f"{a} <-> {b}" for a in edges for b in edges[a] if a < b and a in edges[b])
    assert loops == []
