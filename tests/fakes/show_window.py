"""Show one of Coach's windows on its own, with sample data, for the accessibility tests.

  show_window.py WINDOW [--dark] [--out PNG] [--reduce-motion] [--lang en]

WINDOW: break, tray, settings, stats, checkin, safety, setup. Without --out it stays open (for
AT-SPI and xdotool) and prints what the user answered ("answered done"); with --out it
saves a picture of the window, prints its geometry and what is cut off, and exits.
High contrast and reduced motion come from the desktop, as in the app (gsettings).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QPoint, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.breaks import due_break
from tests.fakes.render_break import dark_palette

CET = timezone(timedelta(hours=1))
LATER_MS = 3000  # the break comes a moment after start, as in the app (listeners are ready)
TODAY = date(2026, 11, 20)


def say(text: str) -> None:
    print(text, flush=True)


def _store(folder: Path):  # type: ignore[no-untyped-def]
    from coach.history.store import Store
    from tests.ui.test_stats_window import generate

    store = Store.open(folder / "coach.sqlite3")
    generate(store, TODAY)
    return store


def build(name: str, folder: Path, reduce_motion: bool, lang: str) -> QWidget:
    from coach.exercises import catalog, safety

    exercises = {e.id: e for e in catalog.load_library()[0]}
    if name == "break":
        from coach.ui.break_window import BreakWindow

        window = BreakWindow(lang, safety.load(lang).break_footer, reduce_motion=reduce_motion)
        window.answered.connect(lambda _id, outcome, reason: say(f"answered {outcome} {reason}"))

        def show() -> None:
            window.show_break(due_break(exercises["standing-hip-hinge"]))
            say("shown")

        QTimer.singleShot(LATER_MS, show)
        return window
    if name == "settings":
        from coach.config.paths import Paths
        from coach.config.preferences import Preferences
        from coach.ui.settings_dialog import SettingsDialog

        titles = {i: e.text(lang).title for i, e in exercises.items()}
        dialog = SettingsDialog(Preferences(Paths(folder, folder, folder / "policy.toml")), titles)
        dialog.applied.connect(lambda s: say(f"applied reduced_motion={s.reduced_motion}"))
        dialog.finished.connect(lambda _r: say("closed"))
        return dialog
    if name == "stats":
        from coach.ui.stats_window import StatsWindow

        return StatsWindow(_store(folder), TODAY, catalog.kinds(exercises.values()), lang=lang)
    if name == "checkin":
        from coach.ui.checkin_window import CheckinWindow

        window = CheckinWindow()
        window.answered.connect(lambda score: say(f"answered {score}"))
        window.skipped.connect(lambda: say("skipped"))
        return window
    if name == "setup":
        from coach.config.settings import Settings
        from coach.ui.setup_window import SetupWindow

        dialog = SetupWindow(Settings(), lambda _key: None)
        dialog.chosen.connect(lambda changes: say(f"chosen focus={changes.get('focus')}"))
        return dialog
    if name == "safety":
        from coach.ui.safety_dialog import SafetyDialog

        dialog = SafetyDialog(safety.load(lang))
        dialog.accepted.connect(lambda: say("accepted"))
        return dialog
    raise SystemExit(f"unknown window {name!r}")


def clipped(window: QWidget) -> list[str]:
    """Labels whose text does not fit the room they were given."""
    out = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text():
            continue
        room = label.contentsRect()
        if label.wordWrap():
            cut = label.height() < label.heightForWidth(label.width()) - 1
        else:
            text = label.fontMetrics().boundingRect(label.text())
            cut = text.width() > room.width() + 1 or text.height() > room.height() + 2
        if cut:
            out.append(label.text()[:40])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("window")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--reduce-motion", action="store_true")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Coach")
    app.setStyle("Fusion")
    if args.dark:
        app.setPalette(dark_palette())
    from coach import i18n
    from coach.ui import a11y

    i18n.use(args.lang)
    if a11y.high_contrast():  # a high-contrast theme hands Qt its own palette
        from PySide6.QtGui import QColor, QPalette

        palette = QPalette(QColor("#000000"), QColor("#000000"))
        for role, colour in (
            (QPalette.ColorRole.WindowText, "#FFFFFF"),
            (QPalette.ColorRole.Text, "#FFFFFF"),
            (QPalette.ColorRole.ButtonText, "#FFFFFF"),
            (QPalette.ColorRole.Highlight, "#FFFF00"),
            (QPalette.ColorRole.HighlightedText, "#000000"),
            (QPalette.ColorRole.PlaceholderText, "#FFFFFF"),
        ):
            palette.setColor(role, QColor(colour))
        app.setPalette(palette)
    folder = Path(tempfile.mkdtemp(prefix="coach-show-"))
    if args.window == "tray":
        from tests.apps import build_app

        coach = build_app(folder, {"language": args.lang})
        coach.tray.update_status(coach.status())
        window: QWidget = coach.tray.menu
        QTimer.singleShot(LATER_MS, lambda: window.popup(QPoint(200, 150)))
    else:
        window = build(args.window, folder, args.reduce_motion, args.lang)
        if args.window != "break":  # the break window fits itself in show_break
            from coach.ui.fit import fit_to_screen

            fit_to_screen(window)  # as the app does before showing it
            window.show()
    if args.out:
        deadline = QDeadlineTimer(LATER_MS + 2000)
        while not window.isVisible() and not deadline.hasExpired():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        for _ in range(30):
            app.processEvents()
        screen = window.screen().availableGeometry()
        inside = screen.contains(window.frameGeometry())
        say(
            f"size={window.width()}x{window.height()} screen={screen.width()}x{screen.height()} "
            f"inside={inside} clipped={clipped(window)} high_contrast={a11y.high_contrast()}"
        )
        return 0 if window.grab().save(args.out) else 1
    # on stdin, "focus": what the tray's "Go to the break" does; "menu": open the tray menu
    commands = {"focus": getattr(window, "take_focus", None)}
    if args.window == "tray":
        commands["menu"] = lambda: window.popup(QPoint(200, 150))

    def on_stdin() -> None:
        command = commands.get(sys.stdin.readline().strip())
        if command is not None:
            command()

    reader = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    reader.activated.connect(on_stdin)
    QTimer.singleShot(0, lambda: say(f"ready {window.winId()}"))
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
