"""The tray application: wires the Qt-free service to the tray, the break window and
a tick timer. Owns no rules itself: events in from the service, answers back out.
"""

from __future__ import annotations

import linecache
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from coach import i18n
from coach import notify as notifications
from coach.config.preferences import Preferences
from coach.config.settings import SaveError, Settings
from coach.core.events import (
    Answer,
    BreakClosed,
    BreakDone,
    BreakDue,
    BreakMissed,
    BreakSkipped,
    BreakSnoozed,
    Event,
    HeadsUp,
    PainGuidance,
    PhysioAdvice,
    StandingLong,
    StillStanding,
    Tier,
)
from coach.core.sample import Sample
from coach.core.status import CoachStatus
from coach.exercises import catalog, safety
from coach.i18n import _, ngettext
from coach.service import CoachService
from coach.ui import local_dates
from coach.ui.chime import Chime
from coach.ui.fit import fit_to_screen
from coach.ui.tray import Tray

if TYPE_CHECKING:  # these load only when needed: APScheduler, QtCharts, QtSvg are heavy
    from coach.ui.break_process import BreakProcess
    from coach.ui.break_window import BreakWindow
    from coach.ui.rhythm import Rhythm
    from coach.ui.settings_dialog import SettingsDialog
    from coach.ui.stats_window import StatsWindow

log = logging.getLogger(__name__)

ACTIVE_TICK_MS = 5_000  # while the user is at the computer
AWAY_TICK_MS = 15_000  # while away: nothing can fall due
FIRST_RUN = "first_run_safety"
FIRST_SETUP = "first_run_setup"
RHYTHM_DELAY_MS = 1_000
PREPARE_BREAK_S = 30  # sitting this close to a break: make the break window
END_WAIT_MS = 1_000  # at quit, the break window's process has this long to end


def return_watch_after_s(idle_after_s: float) -> float:
    """After a pause this long, tick at the first input (the platform's return watch).

    Ticks 5 s apart see only the latest input, so a shorter pause is still judged
    right (sitting); a longer one needs its end seen exactly, or its sitting is lost.
    """
    return max(idle_after_s - ACTIVE_TICK_MS / 1000, 1.0)


class Sampler(Protocol):
    def sample(self, now: float) -> Sample: ...


class CoachApp(QObject):
    """One running coach: service, tray, break window, tick timer."""

    def __init__(
        self,
        preferences: Preferences,
        service: CoachService,
        sampler: Sampler | None,
        notices: Sequence[str] = (),
        *,
        limitations: Sequence[str] = (),
        wake_fd: int | None = None,
        break_process: bool = False,
    ) -> None:
        """`service`: the one port to the core (CoachService.with_library);
        `sampler`: what the platform sees (None: given later by `use_platform`);
        `limitations`: what Coach cannot see here (shown in the tooltip); `wake_fd`:
        readable when the user comes back after a pause (tick at once);
        `break_process`: show breaks in a process of their own (`coach run`), not in
        this one (tests, and after that process failed: see `_break_process_failed`)."""
        super().__init__()
        self.preferences = preferences  # shared with the dialogs
        self.paths = preferences.paths
        self.settings = settings = preferences.settings  # in use (see apply_settings)
        self.sampler = sampler
        self.lang = i18n.use(settings.language)
        local_dates.use(self.lang)
        self.service = service
        self.exercises = service.library
        self.notices = [*notices, *service.notices]

        self.safety = safety.load(self.lang)
        self.break_process = break_process
        self._process_failures = 0
        self._view: BreakWindow | BreakProcess | None = None  # the break's: see `_break_view`
        self.tray = Tray(self)
        self.notifier = notifications.NotifierChain(notifications.system_notifiers())
        self.notifier.add(self.tray.balloon)  # only shows where a tray exists
        self.notifier.add(self.tray.tooltip_note)  # the tray icon alone
        self.chime = Chime()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self._wake: QSocketNotifier | None = None
        self.limitations: list[str] = []
        self._watch(limitations, wake_fd)
        self._stats: StatsWindow | None = None
        self._rhythm: Rhythm | None = None
        self._rhythm_later = QTimer(self)
        self._rhythm_later.setSingleShot(True)
        self._rhythm_later.timeout.connect(self._start_rhythm_later)
        self._dialog: QDialog | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._write_problem: str | None = None  # told to the user already
        self._away = True  # until a tick says otherwise
        self._closed = False

    def use_platform(
        self, sampler: Sampler, limitations: Sequence[str] = (), wake_fd: int | None = None
    ) -> None:
        """The platform, once detected (start-up shows the tray icon before it), and a
        tick with it."""
        self.sampler = sampler
        self._watch(limitations, wake_fd)
        self.tick()

    def _watch(self, limitations: Sequence[str], wake_fd: int | None) -> None:
        self.limitations = self.tray.limitations = list(limitations)
        if wake_fd is not None:
            self._wake = QSocketNotifier(wake_fd, QSocketNotifier.Type.Read, self)
            self._wake.activated.connect(self._user_back)

    def _break_view(self, here: bool = False) -> BreakWindow | BreakProcess:
        """The break window, made when first needed (see `_prepare_break`): in a process
        of its own (unless `here`), or in this one. Until then Coach carries neither it
        nor Qt's SVG code; in a process of its own, not even after the break."""
        if self._view is None:
            footer, motion = self.safety.break_footer, self.settings.reduced_motion
            if self.break_process and not here:
                from coach.ui.break_process import BreakProcess

                process = BreakProcess(self.lang, footer, motion, self)
                process.failed.connect(self._break_process_failed)
                process.start()
                self._view = process
            else:
                from coach.ui import a11y
                from coach.ui.break_window import BreakWindow

                reduce = a11y.reduce_motion(motion)
                self._view = BreakWindow(self.lang, footer, reduce_motion=reduce)
            self._view.answered.connect(self.answer)
        return self._view

    @property
    def window(self) -> BreakWindow:
        """The break window in this process (an app without `break_process`; tests)."""
        from coach.ui.break_window import BreakWindow

        view = self._break_view()
        if not isinstance(view, BreakWindow):
            raise TypeError("this app shows its breaks in a process of their own")
        return view

    def _drop_window(self) -> None:
        """Close the break window and let it go: the next break makes a fresh one, and
        the hours in between do not carry its widgets and pictures (bench/README.md)."""
        view, self._view = self._view, None
        if view is not None:
            view.destroyed.connect(release_memory)
            view.dispose()

    def _break_process_failed(self, due: BreakDue | None) -> None:
        """The break window's process could not start or ended by itself: the break it
        showed, if any, shows at once in a window of this process; after a second
        failure, every break does."""
        process, self._view = self._view, None
        if process is not None:
            process.deleteLater()
        self._process_failures += 1
        if self._process_failures >= 2 and self.break_process:
            log.warning("the break window's process failed twice: breaks show in Coach's own")
            self.break_process = False
        if due is not None:
            self._break_view(here=True).show_break(due)

    def start(self) -> None:
        self.tray.show()
        self.tick()
        self.timer.start(ACTIVE_TICK_MS)
        if self.service.first_time(FIRST_RUN):
            self._show_first_run()
        elif self.service.first_time(FIRST_SETUP):
            self.show_setup()  # the safety screen was seen before the setup existed
        if self.notices:
            self.notify(*startup_notice(self.notices))
        # The evening summary can wait a moment: importing APScheduler (some 70 ms) would
        # hold up the event loop that puts the icon into the tray.
        self._rhythm_later.start(RHYTHM_DELAY_MS)

    def _start_rhythm_later(self) -> None:
        if self._rhythm is None:  # else a settings change started it already
            self.start_rhythm()
        forget_sources()  # APScheduler's modules were just imported
        release_memory()  # start-up is over: what only it used need not stay mapped

    def notify(self, title: str, body: str) -> None:
        """A desktop notification through the fallback chain; never raises."""
        used = self.notifier.notify(title, body)
        log.info("notification %r shown via %s", title, used)

    # -- the loop --------------------------------------------------------------------
    def tick(self) -> None:
        if self.sampler is None:  # start-up: the platform comes right after the tray icon
            return
        sample = self.sampler.sample(self.service.mono())
        self.handle(self.service.tick(sample))
        status = self.service.status()
        self.timer.setInterval(
            AWAY_TICK_MS if status.away_s > 0 and status.break_id is None else ACTIVE_TICK_MS
        )
        self.tray.update_status(status)
        left = status.away_s > 0 and not self._away
        self._away = status.away_s > 0
        if left:  # what the work and the breaks touched need not stay mapped while away
            if self._view is not None and not self._view.showing():
                self._drop_window()  # prepared for a break that did not come
            release_memory()
        if status.break_id is None and status.away_s == 0:
            if status.next_break_in_s <= PREPARE_BREAK_S:
                self._prepare_break()

    def _prepare_break(self) -> None:
        """Make the break window in a tick while the user sits within PREPARE_BREAK_S of
        a break: starting its process, loading its code (its widgets, Qt's SVG module and
        enums) and building it were most of a break's delay, and until then nothing needs
        it in memory. It is dropped after the break, or when the user leaves before it."""
        self._break_view()

    def _user_back(self) -> None:
        """The user is back after a pause: count from this very input on."""
        self.tick()

    def handle(self, events: list[Event]) -> None:
        for e in events:
            log.debug("event %s", e)
            match e:
                case BreakDue():
                    view = self._break_view()
                    if self.settings.chime and not view.showing():
                        self.chime.play("start")
                    view.show_break(e)
                case BreakClosed():
                    self._drop_window()
                    self.tray.note = ""
                case BreakDone():
                    if self.settings.chime:
                        self.chime.play("end")
                    if e.away:  # the window closes; the person reads this on return
                        self.notify(
                            _("Well done!"),
                            _("You were away for the whole break, so it counts as done."),
                        )
                case HeadsUp():
                    self.notify(_("A break is coming"), self._heads_up_text(e))
                case BreakSkipped() | BreakSnoozed() | BreakMissed():
                    self._offer_kinder_breaks()
                case StandingLong():
                    self.notify(_("Time for a change?"), self._standing_long_text(e))
                case StillStanding():
                    self.notify(
                        _("Still standing?"),
                        _(
                            "Coach counts sitting again since the screen was locked. Standing? "
                            'Choose "I\'m standing" in the tray menu.'
                        ),
                    )
                case PainGuidance():
                    from coach.ui.safety_dialog import pain_advice

                    self._show_advice(pain_advice(self.safety, e.repeated))
                case PhysioAdvice():
                    from coach.ui.safety_dialog import physio_advice

                    self._show_advice(physio_advice(self.safety))
        status = self.service.status()
        self.tray.update_status(status)
        self._tell_write_problem(status.write_problem)

    def status(self) -> CoachStatus:
        return self.service.status()

    def exercise_title(self, exercise_id: str) -> str:
        """The exercise's title in the user's language (its id when not in the library)."""
        exercise = self.exercises.get(exercise_id)
        return exercise.text(self.lang).title if exercise else exercise_id

    def _tell_write_problem(self, problem: str | None) -> None:
        """Say once when the history cannot be written (a full disk, a read-only folder)."""
        if problem is not None and problem != self._write_problem:
            self.notify(
                _("Coach cannot save your history"),
                _(
                    "{problem}. What happens now is kept in memory and saved as soon as the "
                    "disk allows it."
                ).format(problem=problem),
            )
        self._write_problem = problem

    @staticmethod
    def _standing_long_text(told: StandingLong) -> str:
        minutes = round(told.stood_s / 60)
        return ngettext(
            "You have stood for {n} minute. Standing still for long is tiring too: "
            "sit for a while, or walk for a couple of minutes.",
            "You have stood for {n} minutes. Standing still for long is tiring too: "
            "sit for a while, or walk for a couple of minutes.",
            minutes,
        ).format(n=minutes)

    @staticmethod
    def _heads_up_text(heads_up: HeadsUp) -> str:
        if heads_up.tier == Tier.EXERCISE:
            return _("Finish your sentence: a short exercise break in a minute.")
        return _("Finish your sentence: a {s} s stand-up in a minute.").format(
            s=heads_up.duration_s
        )

    # -- the user's answers ----------------------------------------------------------
    def answer(self, break_id: int, answer: str, reason: str = "") -> None:
        """The break window's answer (its signal carries the Answer's value)."""
        try:
            self.handle(self.service.answer(break_id, Answer(answer), reason or None))
        except ValueError as exc:  # AnswerRejected: a stale click
            log.info("answer ignored: %s", exc)

    def _show_advice(self, dialog: QDialog) -> None:
        """A calm message shown at once, with its way to the full safety advice."""
        dialog.more.connect(self.show_safety)  # type: ignore[attr-defined]
        self._show_dialog(dialog)

    def checked_in(self) -> None:
        """After a weekly check-in: six weeks of complaints point to a physiotherapist."""
        if self.service.physio_advice_due():
            self.handle([PhysioAdvice(self.service.mono())])

    def show_safety(self) -> None:
        from coach.ui.safety_dialog import SafetyDialog

        self._show_dialog(SafetyDialog(self.safety))

    def _show_first_run(self) -> None:
        """The safety screen on the first start: shown without taking the keyboard."""
        from coach.ui.quiet import show_quietly
        from coach.ui.safety_dialog import SafetyDialog

        self._dialog = SafetyDialog(self.safety)
        fit_to_screen(self._dialog)
        self._dialog.accepted.connect(self._first_setup)
        show_quietly(self._dialog)

    def _first_setup(self) -> None:
        """After the first safety screen: the setup questions, once (skippable)."""
        if self.service.first_time(FIRST_SETUP):
            self.show_setup()

    def show_setup(self) -> None:
        """The setup questions; the answers are saved as settings (policy permitting)."""
        from coach.ui.quiet import show_quietly
        from coach.ui.setup_window import SetupWindow

        dialog = SetupWindow(self.settings, self.preferences.policy.note)
        dialog.chosen.connect(self._save_settings)
        if self._dialog is not None:
            self._dialog.deleteLater()
        self._dialog = dialog
        fit_to_screen(dialog)
        show_quietly(dialog)

    def _show_dialog(self, dialog: QDialog) -> None:
        """Show a non-modal dialog, keeping a reference while it is open."""
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()  # its signal connections would keep it alive
        self._dialog = dialog
        fit_to_screen(dialog)
        dialog.show()

    def _offer_kinder_breaks(self) -> None:
        """Once: when breaks keep being put off at the same hour, offer a better fit."""
        pattern = self.service.escalation_offer()
        if pattern is None:
            return
        from coach.ui.escalation_dialog import EscalationDialog
        from coach.ui.escalation_dialog import options as escalation_options
        from coach.ui.quiet import show_quietly

        rules = self.preferences.policy
        offers = [
            (text, changes)
            for text, changes in escalation_options()
            if all(rules.check(k, v)[1] is None for k, v in changes.items())
        ]
        if not offers:  # the organisation decided these; nothing to offer
            return
        dialog = EscalationDialog(pattern, offers)
        dialog.chosen.connect(self._save_settings)
        self._dialog = dialog
        fit_to_screen(dialog)
        show_quietly(dialog)

    def _save_settings(self, changes: dict[str, object]) -> None:
        """Save changed settings (the escalation offer, the setup) and use them now."""
        if not changes:
            return
        try:
            self.preferences.save(changes)
        except SaveError as exc:
            self.notify(_("Settings could not be saved"), str(exc))
            return
        self.apply_settings(self.preferences.settings)

    def switch_back_on(self, exercise_id: str) -> None:
        self.service.switch_back_on(exercise_id)
        self.tray.update_status(self.service.status())

    def focus_break(self) -> None:
        """Bring the waiting break window to the keyboard, on the user's request (the
        tray's "Go to the break", or starting Coach again)."""
        if self._view is not None and self._view.showing():
            self._view.focus()

    def show_itself(self) -> None:
        """Asked by a second `coach run`: the waiting break if there is one, else the status."""
        if self._view is not None and self._view.showing():
            self.focus_break()
        else:
            self.tray.show_status()

    def take_break_now(self) -> None:
        self.handle(self.service.take_break_now())

    def pause(self, seconds: float | None) -> None:
        """Pause for `seconds`, or until tomorrow when None."""
        events = (
            self.service.pause_until_tomorrow() if seconds is None else self.service.pause(seconds)
        )
        self.handle(events)

    def start_meeting(self) -> None:
        """'In a meeting': no breaks until the user ends it, at most 2 hours."""
        self.handle(self.service.start_meeting())

    def resume(self) -> None:
        self.service.resume()
        self.tick()

    def stand(self) -> None:
        """ "I'm standing" (the tray, or the break window's "I'll stand for a while")."""
        self.handle(self.service.stand())

    def sit(self) -> None:
        """ "I'm sitting again"."""
        self.handle(self.service.sit())

    def show_stats(self) -> None:
        """Open the statistics window afresh (in the old one's place if it is open)."""
        from PySide6 import QtCore  # its Qt namespace costs a MiB: not in the idle app

        from coach.ui.stats_window import StatsWindow

        self.service.write_ahead()  # the bout in progress counts: see it as it stands
        old = self._stats
        window = self._stats = StatsWindow(
            self.service.history,
            self.service.today(),
            catalog.kinds(self.exercises.values()),
            self.settings.goal_max_bout_min * 60,
            self.lang,
            self.settings,
        )
        # Closed, it is deleted (its signal connections would keep it and its charts
        # alive), and the memory goes back to the system.
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda: self._stats_gone(window))
        fit_to_screen(window)
        if old is not None:
            if old.isVisible():
                window.setGeometry(old.geometry())
            old.close()
        window.show()
        window.raise_()

    def _stats_gone(self, window: QObject) -> None:
        if self._stats is window:
            self._stats = None
        release_memory()

    def start_rhythm(self) -> None:
        """The end-of-day summary and weekly check-in, when the settings want them."""
        if not (self.settings.end_of_day_summary or self.settings.weekly_checkin):
            return
        from coach.ui.rhythm import Rhythm

        self._rhythm = Rhythm(
            self.settings,
            self.service,
            self.notify,
            catalog.kinds(self.exercises.values()),
        )
        self._rhythm.checked_in.connect(self.checked_in)
        self._rhythm.start()

    def open_settings(self) -> None:
        """The settings dialog; each change applies at once (see apply_settings)."""
        from coach.ui.settings_dialog import SettingsDialog

        if self._settings_dialog is not None:
            self._settings_dialog.close()
            self._settings_dialog.deleteLater()  # else each opening would stay in memory
        self._settings_dialog = SettingsDialog(
            self.preferences, self._offered_titles(), self._team_file
        )
        self._settings_dialog.applied.connect(self.apply_settings)
        fit_to_screen(self._settings_dialog)
        self._settings_dialog.show()
        self._settings_dialog.raise_()

    def _offered_titles(self) -> dict[str, str]:
        """Exercise id -> title in the language in use, for the settings' exercise list:
        the exercises a break can offer in it (a pack's untranslated ones cannot)."""
        return {
            i: e.text(self.lang).title for i, e in self.exercises.items() if e.speaks(self.lang)
        }

    def _team_file(self) -> bytes | None:
        """Last week's anonymous totals, for the team file the user may save."""
        from coach.history import team

        week = team.summarise(self.service.history, team.last_full_week(self.service.today()))
        return week.to_bytes() if week.days_with_data or week.breaks_offered else None

    def apply_settings(self, settings: Settings) -> None:
        """Use changed settings now: rules, language, login entry, daily rhythm."""
        from coach.config import autostart
        from coach.ui.retranslate import retranslate

        old, self.settings = self.settings, settings
        self.service.reconfigure(settings)
        if settings.autostart != old.autostart:
            try:
                autostart.sync(autostart.backend(), settings.autostart, explicit=True)
            except OSError as exc:
                log.error("autostart: %s", exc)
                self.notify(_("Starting at login could not be changed"), str(exc))
        if i18n.resolve(settings.language) != self.lang:
            before, self.lang = self.lang, i18n.use(settings.language)
            local_dates.use(self.lang)
            back = i18n.originals(before)  # the tooltip's "cannot see" lines, switched too
            self.limitations = [_(back.get(text, text)) for text in self.limitations]
            self.tray.limitations = self.limitations
            self.tray.retranslate_painful()
            self.safety = safety.load(self.lang)
            retranslate(self.tray.menu, before)
            if self._view is not None:
                self._view.relabel(self.lang, self.safety.break_footer, before)
            if self._settings_dialog is not None:  # it rebuilds itself in the new language
                self._settings_dialog.exercises = self._offered_titles()
        rhythm = ("end_of_day_summary", "weekly_checkin", "workday_end", "work_hours")
        if any(getattr(old, k) != getattr(settings, k) for k in rhythm):
            if self._rhythm is not None:
                self._rhythm.stop()
                self._rhythm.deleteLater()  # its timer's connection would keep it alive
                self._rhythm = None
            self.start_rhythm()
        elif self._rhythm is not None:
            self._rhythm.settings = settings  # the summary's goals and desk, from now on
        self.tray.update_status(self.service.status())

    def close(self) -> None:
        """Stop what this app runs (timers, the wake-up watch, the rhythm, its windows,
        the tray icon) and record the end of the run; the event loop goes on. Twice is
        harmless."""
        if self._closed:
            return
        self._closed = True
        self.timer.stop()
        self._rhythm_later.stop()
        if self._wake is not None:
            self._wake.setEnabled(False)
            self._wake.deleteLater()  # its fd belongs to the platform, which closes it
            self._wake = None
        if self._rhythm is not None:
            self._rhythm.stop()
        view = self._view
        self._drop_window()
        if view is not None and not isinstance(view, QWidget):  # a BreakProcess
            view.wait_ended(END_WAIT_MS)  # its window goes with Coach
        for window in (self._stats, self._dialog, self._settings_dialog):
            if window is not None:
                window.close()
        self.tray.icon.hide()
        self.service.close()

    def quit(self) -> None:
        """The user quits: close, then end the event loop."""
        self.close()
        QApplication.quit()


NOTICE_LINES = 4  # a notification shows this many problems; the log has them all


def startup_notice(notices: Sequence[str]) -> tuple[str, str]:
    """The notification about problems found at start-up: a count in the title, one
    line each (at most NOTICE_LINES), and what Coach did about them."""
    n = len(notices)
    title = ngettext(
        "Coach started: {n} thing to check", "Coach started: {n} things to check", n
    ).format(n=n)
    lines = [f"• {notice}" for notice in notices[:NOTICE_LINES]]
    if n > NOTICE_LINES:
        more = n - NOTICE_LINES
        lines.append(
            ngettext("… and {n} more in the log.", "… and {n} more in the log.", more).format(
                n=more
            )
        )
    lines.append(_("Coach uses safe values where something was wrong and keeps running."))
    return title, "\n".join(lines)


def forget_sources() -> None:
    """Drop the source text in linecache: what PySide6 read before `coach.ui` could
    stop it (see coach/ui/__init__.py), or all of it where that does not work.
    Tracebacks read the files again when they need them."""
    linecache.clearcache()


def release_memory() -> None:
    """Give the freed heap of a closed window back to the OS: glibc keeps freed heap
    pages, so without this the process stays as large as it ever was."""
    import ctypes  # here, a second after the tray icon shows: not before it

    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
