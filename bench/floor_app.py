"""The floor: a bare PySide6 tray app with APScheduler's Qt scheduler running one 1 s
job, nothing else. What the stack costs before Coach does anything (bench_idle: CPU,
wake-ups and memory at idle).

With `--bare`, no APScheduler at all: a QApplication and a tray icon, the least a
PySide6 tray app does before its icon shows (bench_day's launch floor; Coach imports
APScheduler a second after its icon, so the scheduler's floor is not its launch floor).

Run as `python -m bench.floor_app [--bare]`; logs the same "tray icon shown" line as Coach.
"""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

log = logging.getLogger("floor")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#3b82f6"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    icon.setToolTip("floor")
    if "--bare" not in sys.argv:
        from apscheduler.schedulers.qt import QtScheduler

        scheduler = QtScheduler()
        scheduler.add_job(lambda: None, "interval", seconds=1)
        scheduler.start()
    icon.show()
    log.info("tray icon shown in the system tray")
    if "--bare" not in sys.argv:  # bare, no Python runs in the event loop: SIGTERM ends it
        signal.signal(signal.SIGTERM, lambda *_: app.quit())
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
