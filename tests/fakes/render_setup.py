"""Render the setup window to a PNG in a process of its own (scale factor and screen
from the start): render_setup.py OUT.png LANG."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def main() -> int:
    out, lang = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    from coach import i18n
    from coach.settings import Settings
    from coach.ui.setup_window import SetupWindow

    i18n.use(lang)
    window = SetupWindow(Settings(), lambda key: None)
    window.show()
    for _ in range(20):
        app.processEvents()
    screen = window.screen().availableGeometry()
    inside = screen.contains(window.frameGeometry())
    print(
        f"dpr={window.devicePixelRatio()} size={window.width()}x{window.height()} "
        f"screen={screen.width()}x{screen.height()} inside={inside}"
    )
    return 0 if window.grab().save(out) else 1


if __name__ == "__main__":
    sys.exit(main())
