"""Render the break window (or the setup window) to a PNG, as a separate process so that
the scale factor and colour scheme are the system's from the start:
render_break.py OUT.png light|dark LANG [EXERCISE_ID [POSES_ON] | setup] (POSES_ON: how
many poses of the picture's plan to step past before the screenshot)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2d30"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1f2023"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#3a3d41"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.PlaceholderText, "#a0a4a8"),
        (QPalette.ColorRole.Highlight, "#2f8f83"),
    ):
        p.setColor(role, QColor(colour))
    return p


sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: tests.*


def main() -> int:
    out, scheme, lang = sys.argv[1], sys.argv[2], sys.argv[3]
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if scheme == "dark":  # what a desktop's dark theme hands Qt: a dark palette
        app.setPalette(dark_palette())
    from coach import i18n
    from coach.config.settings import Settings
    from coach.exercises import catalog, safety
    from coach.ui.break_window import BreakWindow
    from coach.ui.setup_window import SetupWindow
    from tests.breaks import due_break

    i18n.use(lang)  # the window's own words in the language of its exercise texts
    what = sys.argv[4] if len(sys.argv) > 4 else "standing-hip-hinge"
    window: QWidget
    if what == "setup":
        from coach.ui.fit import fit_to_screen

        window = SetupWindow(Settings(), lambda key: None)
        fit_to_screen(window)  # as the app does before showing it
        window.show()
    else:
        exercise = {e.id: e for e in catalog.load_library()[0]}[what]
        break_window = BreakWindow(lang, safety.load(lang).break_footer)
        break_window.show_break(due_break(exercise, level=3))
        for _ in range(int(sys.argv[5]) if len(sys.argv) > 5 else 0):
            break_window._next_pose()
        window = break_window
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
