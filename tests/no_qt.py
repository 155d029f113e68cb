"""Run pytest where PySide6 cannot be imported: `python tests/no_qt.py PYTEST_ARGS...`.

An import hook refuses PySide6 and shiboken6 as if they were not installed, so the core
tests prove they need no Qt (tests/core/test_without_qt.py runs them this way). pytest-qt
is left out with them, and so are the options it reads from pyproject.toml."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

BLOCKED = ("PySide6", "shiboken6")
ROOT = Path(__file__).resolve().parent.parent


class NoQt(MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked)", name=fullname)
        return None


def main(args: Sequence[str]) -> int:
    sys.meta_path.insert(0, NoQt())
    sys.path.insert(0, str(ROOT))
    import pytest

    # addopts holds --strict-config, which would refuse pytest-qt's qt_* options now
    # that pytest-qt is not loaded; the rest of the configuration applies.
    options = [
        *("-p", "no:pytest-qt", "-o", "addopts=-ra --strict-markers"),
        *("-W", "ignore::pytest.PytestConfigWarning"),
        *args,
    ]
    return int(pytest.main(options))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
