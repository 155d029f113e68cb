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
