"""The Qt side of Coach. Importing this package, before PySide6 itself, keeps PySide6
from holding the source text of every imported module in memory (see below).
"""

from __future__ import annotations

import sys
from types import ModuleType


def _read_sources_lightly() -> None:
    """PySide6 asks of every module imported, before and after it, whether its source
    mentions "PySide6" (for `from __feature__ import ...`). It reads the source with
    `inspect.getsource`, which keeps every file's lines in `linecache` for the life of
    the process: some 3 MiB here, freed or not, fragmenting Python's memory all day.
    Give it the same answer from a plain read of the file. Where PySide6's private
    hook is not there (another version), nothing changes."""
    import shiboken6  # noqa: F401 - loads shibokensupport.feature before PySide6 scans

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "lightly", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    uses_pyside.lightly = True  # type: ignore[attr-defined]  # a mark on the function: no attribute to declare
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]  # PySide6's private hook, not typed


_read_sources_lightly()
