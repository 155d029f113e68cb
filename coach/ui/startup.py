"""Start-up apart from the app object: logging, the login entry, signals, the single
instance, the history and the platform, then the tray app until the user quits."""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING

from PySide6.QtCore import QSocketNotifier, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.core.clock import SystemClock
from coach.history.store import open_history
from coach.i18n import _
from coach.service import CoachService
from coach.ui.app import CoachApp, forget_sources, return_watch_after_s
from coach.ui.single_instance import single_instance
from coach.ui.tray import Tray

if TYPE_CHECKING:
    from coach.platform import Platform

log = logging.getLogger(__name__)


def platform_limitations(platform: Platform) -> list[str]:
    """What Coach cannot see on this desktop, for the tray tooltip."""
    if platform.idle_fallback:
        return [
            _(
                "Coach cannot see keyboard or mouse activity here, "
                "so it counts all unlocked time as sitting."
            )
        ]
    return [
        line
        for c in platform.report()
        if c.family == "fullscreen" and c.active == "none"
        for line in c.meaning.splitlines()
    ]


def keep_painting_in_one_thread() -> None:
    """Qt's raster engine hands large fills (gradients, a scroll bar's groove) and image
    scaling to a thread pool of its own, whose threads live 30 s after each use. Coach's
    pictures are small: they are painted in the GUI thread, and no thread starts while
    the user works (issue 19). Qt reads this switch when it first needs the pool."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def collect_again() -> None:
    """Python's cyclic garbage collector back on after a start-up without it
    (coach/__main__.py): what start-up left behind is freed once (some 900 objects, the
    command line's parser among them; about 10 ms), and what it built for the day is
    set aside for good (`gc.freeze`), so that no later collection walks through it."""
    if gc.isenabled():  # started another way (the tests): nothing to do
        return
    gc.collect()
    gc.freeze()
    gc.enable()


def setup_logging(paths: Paths) -> None:
    """Log to a private rotating file in the data folder."""
    if paths.log_file.exists():
        paths.log_file.chmod(0o600)  # a log from an older version
    handler = RotatingFileHandler(paths.log_file, maxBytes=512_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def sync_autostart(preferences: Preferences) -> None:
    """Let the login entry follow the setting (a policy may switch it on for everyone)."""
    from coach.config import autostart

    explicit = "autostart" in preferences.user or "autostart" in preferences.policy.locks
    try:
        autostart.sync(autostart.backend(), preferences.settings.autostart, explicit)
    except OSError as exc:
        log.error("autostart could not follow the setting: %s", exc)


QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)  # SIGHUP: terminal closed


@contextmanager
def quit_on_signals(app: CoachApp) -> Iterator[None]:
    """SIGTERM, SIGINT and SIGHUP quit cleanly, at once and from the event loop (never
    in the middle of start-up): a wake-up fd lets Python run the handler while Qt
    waits. A lost display ends the run cleanly too (see `finish_on_lost_display`)."""
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda: reader.recv(64))

    def request_quit(*_: object) -> None:
        for sig in QUIT_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)  # a second one ends it at once
        QTimer.singleShot(0, app.quit)

    for sig in QUIT_SIGNALS:
        signal.signal(sig, request_quit)
    previous_handler = qInstallMessageHandler(finish_on_lost_display(app))
    try:
        yield
    finally:
        qInstallMessageHandler(previous_handler)
        signal.set_wakeup_fd(previous)
        notifier.setEnabled(False)
        reader.close()
        writer.close()


def finish_on_lost_display(app: CoachApp) -> Callable[[QtMsgType, object, str], None]:
    """A Qt message handler: when the X connection breaks, Qt says so and exits the
    process at once (no event loop, no Python clean-up); record the bout and the end
    of the run before that. Other messages go to the log."""

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "connection broke" in message:  # xcb: "The X11 connection broke ..."
            log.error("%s: ending the run", message)
            app.service.close()
        elif kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            log.debug("Qt: %s", message)
        else:
            log.warning("Qt: %s", message)

    return handler


def run_app(preferences: Preferences, notices: Sequence[str], demo: bool = False) -> int:
    """`coach run`: the tray app until the user quits."""
    paths, settings = preferences.paths, preferences.settings
    forget_sources()
    os.umask(0o077)  # whatever Coach creates (log, rotated logs, database files) is private
    try:
        paths.ensure()
        setup_logging(paths)
    except OSError as exc:  # a read-only or full home: run on, say so
        notices = [
            *notices,
            _("{file} cannot be written ({reason}); Coach logs to the terminal only.").format(
                file=exc.filename, reason=exc.strerror
            ),
        ]
    for notice in notices:
        log.warning("%s", notice)
    keep_painting_in_one_thread()
    qapp = QApplication.instance()
    if not isinstance(qapp, QApplication):
        qapp = QApplication(sys.argv)
    qapp.setApplicationName("Coach")
    qapp.setQuitOnLastWindowClosed(False)
    instance = single_instance(str(paths.data_dir))
    if instance.forward_to_running():
        print(_("coach: already running; asked it to show itself."))
        return 0
    store, store_notes = open_history(paths.database, recover=True)
    app = CoachApp(
        preferences,
        CoachService.with_library(settings, store, SystemClock()),
        None,  # the platform comes once the tray icon is shown: `watch` below
        [*notices, *store_notes],
        break_process=True,
    )
    instance.show_requested.connect(app.show_itself)
    platforms: list[Platform] = []

    def watch() -> None:
        """Let the login entry follow the setting, detect what the platform can see (X
        extensions, D-Bus probes) and tick; then collect garbage as usual."""
        from coach.platform import detect
        from coach.platform.screens import KNOWN_FILE

        try:
            if not demo:
                sync_autostart(preferences)
            platform = detect(
                return_after_s=return_watch_after_s(settings.idle_after_s),
                known_screens=paths.data_dir / KNOWN_FILE,
            )
            platforms.append(platform)
            app.use_platform(platform, platform_limitations(platform), platform.wake_fd)
        finally:
            collect_again()  # what it frees goes back with the trim a second after start

    if not Tray.available():
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            None,
            "Coach",
            _(
                "No system tray was found. Coach keeps running and will show breaks; "
                "run 'coach run' again to see its status."
            ),
        )
    try:
        with quit_on_signals(app):
            app.start()
            QTimer.singleShot(0, watch)  # the icon first, then all the rest
            if demo:
                app.notify(_("Demo mode"), _("Breaks come every minute or two."))
            return int(qapp.exec())
    finally:
        for platform in platforms:
            platform.close()
        instance.close()
