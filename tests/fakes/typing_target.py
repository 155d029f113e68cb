"""A plain text window for the desktop tests: what the user types lands here, and is
written to the file given as argv[1] after every change. `--fullscreen` shows it
fullscreen (a presentation)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit


def main() -> int:
    out = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    editor = QPlainTextEdit()
    editor.setWindowTitle("Typing target")
    editor.textChanged.connect(lambda: out.write_text(editor.toPlainText()))
    editor.resize(700, 400)
    if "--fullscreen" in sys.argv:
        editor.showFullScreen()
    else:
        editor.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
