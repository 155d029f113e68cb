"""The Qt-free core: no PySide6 (scripts/test.sh runs these once more through
tests/no_qt.py, where it cannot be imported) and no display of their own."""
