"""The launch of `coach run` up to its tray icon (issue 19, target 4; figures in
bench/README.md): what waits until the icon is shown is still done."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_launch import run_code

COLLECTION_AFTER_THE_ICON = """
import gc, os, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import coach.ui.startup as startup
from coach.ui.tray import Tray

Tray.available = staticmethod(lambda: True)  # offscreen has none: no message box
show = Tray.show

LATER = ("apscheduler", "configparser", "ctypes", "jeepney", "json")  # all used after the icon
ENTRY = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / "coach.desktop"

def show_and_look(self):
    show(self)
    print("icon shown, collecting:", gc.isenabled(), "login entry:", ENTRY.exists())
    print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & set(LATER)))

collect_again = startup.collect_again

def collect_and_look():
    frozen = gc.get_freeze_count()
    collect_again()
    print("then collecting:", gc.isenabled(), "start-up set aside:", gc.get_freeze_count() > frozen)
    print("login entry:", ENTRY.exists())
    QApplication.instance().quit()

Tray.show = show_and_look
startup.collect_again = collect_and_look
from coach.__main__ import main
sys.argv = ["coach", "run"]
print("quit:", main())
"""


def test_garbage_is_collected_again_once_the_tray_icon_is_shown(tmp_path: Path) -> None:
    """`coach run` starts without cyclic garbage collection (coach/__main__.py); the first
    turn of the event loop after the icon turns it back on, with what start-up built set
    aside for good (`gc.freeze`). Modules only needed later are not loaded before the
    icon (D-Bus, JSON, ctypes, the evening summary's scheduler), and the login entry
    follows the setting once the icon is there."""
    (tmp_path / "settings.toml").write_text("autostart = true\n")
    config = str(tmp_path / "config")
    out = run_code(
        COLLECTION_AFTER_THE_ICON, tmp_path, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=config
    )
    assert out == [
        "icon shown, collecting: False login entry: False",
        "loaded: []",
        "then collecting: True start-up set aside: True",
        "login entry: True",
        "quit: 0",
    ]


def test_without_a_window_to_wait_for_the_rest_comes_at_the_next_turn(qtbot) -> None:
    from coach.ui.startup import after_first_paint

    calls: list[str] = []
    after_first_paint(None, lambda: calls.append("rest"), 60_000)
    assert calls == []  # not before the event loop turns
    qtbot.waitUntil(lambda: calls == ["rest"])


def test_the_rest_comes_once_after_the_first_paint(qtbot) -> None:
    """A window shown: the rest runs once, after Qt painted it (never twice, though it
    paints again and the long wait ends too)."""
    from PySide6.QtWidgets import QLabel

    from coach.ui.startup import after_first_paint

    calls: list[bool] = []
    window = QLabel("icon")
    qtbot.addWidget(window)
    painted: list[bool] = []
    window.paintEvent = lambda event: (painted.append(True), QLabel.paintEvent(window, event))
    after_first_paint(window, lambda: calls.append(bool(painted)), 60_000)
    qtbot.wait(0)
    assert calls == []  # not shown, not painted: nothing yet
    window.show()
    qtbot.waitUntil(lambda: calls == [True])
    window.update()
    qtbot.waitUntil(lambda: len(painted) > 1)
    assert calls == [True]


def test_a_window_never_painted_lets_the_rest_come_after_the_wait(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from coach.ui.startup import after_first_paint

    calls: list[str] = []
    window = QLabel("never shown")
    qtbot.addWidget(window)
    after_first_paint(window, lambda: calls.append("rest"), 0)
    qtbot.waitUntil(lambda: calls == ["rest"])
