"""The tray application: wires the Qt-free service to the tray, the break window and
a tick timer. Owns no rules itself: events in from the service, answers back out.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from coach import events as ev
from coach import i18n
from coach.clock import Clock, SystemClock
from coach.events import Event
from coach.exercises import catalog
from coach.exercises import safety
from coach.exercises.picker import Picker
from coach.i18n import _
from coach.paths import Paths
from coach.sample import Sample
from coach.service import CoachService
from coach.settings import Settings, write_template
from coach.stats import day_stats
from coach.store import Store, StoreError, set_aside
from coach.ui.break_window import BreakWindow
from coach.ui.safety_dialog import PainGuidanceDialog, SafetyDialog
from coach.ui.single_instance import SingleInstance
from coach.ui.stats_dialog import StatsDialog
from coach.ui.tray import Tray

log = logging.getLogger(__name__)

ACTIVE_TICK_MS = 5_000  # while the user is at the computer
AWAY_TICK_MS = 15_000  # while away: nothing can fall due
FIRST_RUN = "first_run_safety"


class Sampler(Protocol):
    def sample(self, now: float) -> Sample: ...


class CoachApp(QObject):
    """One running coach: service, tray, break window, tick timer."""

    def __init__(self, paths: Paths, settings: Settings, store: Store, sampler: Sampler,
                 clock: Clock, notices: Sequence[str] = ()) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.sampler = sampler
        self.lang = i18n.use(settings.language)
        pack = Path(settings.exercise_pack).expanduser() if settings.exercise_pack else None
        exercises, problems = catalog.load_library(pack)
        self.exercises = {e.id: e for e in exercises}
        self.notices = [*notices, *(str(p) for p in problems)]
        picker = Picker(exercises, settings, recent=store.recent_exercises())
        self.service = CoachService(settings, store, clock, picker)

        self.safety = safety.load(self.lang)
        self.window = BreakWindow(self.lang, self.safety.break_footer)
        self.window.answered.connect(self.answer)
        self.tray = Tray(self)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self._stats: StatsDialog | None = None
        self._dialog: QDialog | None = None

    def start(self) -> None:
        self.tray.show()
        self.tick()
        self.timer.start(ACTIVE_TICK_MS)
        if self.service.store.last_notice(FIRST_RUN) is None:
            self.show_safety()
            self.service.store.mark_notice_shown(FIRST_RUN, self.service.clock.wall())
        if self.notices:
            self.tray.notify(_("Coach started with safe settings"), "\n".join(self.notices))

    # -- the loop --------------------------------------------------------------------
    def tick(self) -> None:
        sample = self.sampler.sample(self.service.clock.mono())
        self.handle(self.service.tick(sample))
        status = self.service.status()
        self.timer.setInterval(AWAY_TICK_MS if status.away_s > 0 and status.prompt is None
                               else ACTIVE_TICK_MS)
        self.tray.update_status(status)

    def handle(self, events: list[Event]) -> None:
        for e in events:
            log.debug("event %s", e)
            d = e.data
            if e.event == ev.BREAK_DUE:
                exercise = self.exercises.get(d["exercise"])
                dose = self.service.dose(exercise) if exercise else None
                self.window.show_break(d["break_id"], d["kind"], exercise, d["duration_s"],
                                       d["can_snooze"], dose)
            elif e.event == ev.BREAK_CLOSED:
                self.window.close_break()
            elif e.event == ev.HEADS_UP:
                self.tray.notify(_("A break is coming"), self._heads_up_text(d))
            elif e.event == ev.BREAK_HURT:
                self.tray.update_painful()
            elif e.event == ev.PAIN_GUIDANCE:
                self._show_dialog(PainGuidanceDialog(self.safety))
        self.tray.update_status(self.service.status())

    @staticmethod
    def _heads_up_text(d: dict[str, object]) -> str:
        if d["kind"] == "exercise":
            return _("Finish your sentence: a short exercise break in a minute.")
        return _("Finish your sentence: a {s} s stand-up in a minute.").format(
            s=d["duration_s"])

    # -- the user's answers ----------------------------------------------------------
    def answer(self, break_id: int, outcome: str) -> None:
        try:
            self.handle(self.service.answer(break_id, outcome))
        except ValueError as exc:  # AnswerRejected: a stale click
            log.info("answer ignored: %s", exc)

    def show_safety(self) -> None:
        self._show_dialog(SafetyDialog(self.safety))

    def _show_dialog(self, dialog: QDialog) -> None:
        """Show a non-modal dialog, keeping a reference while it is open."""
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = dialog
        dialog.show()

    def switch_back_on(self, exercise: str) -> None:
        self.service.switch_back_on(exercise)
        self.tray.update_painful()

    def take_break_now(self) -> None:
        self.handle(self.service.take_break_now())

    def pause(self, seconds: float | None) -> None:
        """Pause for `seconds`, or until tomorrow when None."""
        events = (self.service.pause_until_tomorrow() if seconds is None
                  else self.service.pause(seconds))
        self.handle(events)

    def resume(self) -> None:
        self.service.resume()
        self.tick()

    def show_stats(self) -> None:
        if self._stats is not None:
            self._stats.close()
        stats = day_stats(self.service.store, self.service.clock.wall().date())
        self._stats = StatsDialog(stats)
        self._stats.show()

    def open_settings(self) -> None:
        """Open the settings file in the user's editor (a dialog comes later)."""
        path = self.paths.settings_file
        if not path.exists():
            write_template(path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def quit(self) -> None:
        self.timer.stop()
        self.service.finish()
        self.service.store.close()
        QApplication.quit()


def _open_store(path: Path) -> tuple[Store, list[str]]:
    """Open the database; a broken one is set aside (never overwritten)."""
    try:
        return Store.open(path), []
    except StoreError as exc:
        moved = set_aside(path)
        note = _("{problem}. It was kept as {file}; Coach started a new history.").format(
            problem=exc, file=moved)
        log.error("%s", note)
        return Store.open(path), [note]


def _setup_logging(paths: Paths) -> None:
    handler = RotatingFileHandler(paths.log_file, maxBytes=512_000, backupCount=2,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def run_app(paths: Paths, settings: Settings, notices: Sequence[str],
            demo: bool = False) -> int:
    """`coach run`: the tray app until the user quits."""
    from coach.platform import detect

    paths.ensure()
    _setup_logging(paths)
    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("Coach")
    qapp.setQuitOnLastWindowClosed(False)
    instance = SingleInstance(str(paths.data_dir))
    if instance.forward_to_running():
        print("coach: already running; asked it to show itself.")
        return 0
    store, store_notes = _open_store(paths.database)
    app = CoachApp(paths, settings, store, detect(), SystemClock(), [*notices, *store_notes])
    instance.show_requested.connect(app.tray.show_status)
    if not Tray.available():
        QMessageBox.information(None, "Coach", _(
            "No system tray was found. Coach keeps running and will show breaks; "
            "run 'coach run' again to see its status."))
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    app.start()
    if demo:
        app.tray.notify(_("Demo mode"), _("Breaks come every minute or two."))
    return int(qapp.exec())
