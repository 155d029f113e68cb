"""The tray icon, its tooltip and menu."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from coach.durations import format_duration
from coach.engine import Status
from coach.i18n import _
from coach.ui import tray_icon

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

log = logging.getLogger(__name__)
URGENT_AFTER_S = 60  # a prompt left open this long makes the icon look urgent


class Tray:
    """Shows state at a glance and offers: break now, pause, statistics, settings, quit."""

    def __init__(self, app: CoachApp) -> None:
        self.app = app
        self.icon = QSystemTrayIcon()
        self.icon.setToolTip("Coach")
        self._painted: tuple[int, str] | None = None
        # at most 25 steps x 4 states; the same QIcon each time, so Qt's pixmap cache
        # does not fill up with a new copy at every step (10 MiB over a few weeks)
        self._icons: dict[tuple[int, str], QIcon] = {}
        self.menu = QMenu()
        self.status_action = self.menu.addAction("")
        self.status_action.setEnabled(False)
        self.menu.addSeparator()
        self.focus_action = self._add(self.menu, _("Go to the break"), app.focus_break)
        self.focus_action.setToolTip(_("Bring the waiting break window to the keyboard"))
        self.focus_action.setVisible(False)
        self.break_action = self._add(self.menu, _("Take a break now"), app.take_break_now)
        pause = self.menu.addMenu(_("Pause"))
        self._add(pause, _("For 30 minutes"), lambda: app.pause(30 * 60))
        self._add(pause, _("For 1 hour"), lambda: app.pause(60 * 60))
        self._add(pause, _("Until tomorrow"), lambda: app.pause(None))
        self.pause_menu = pause
        self.meeting_action = self._add(self.menu, _("In a meeting"), app.start_meeting)
        self.meeting_action.setToolTip(_("No breaks until you end the meeting, at most 2 hours"))
        self.resume_action = self._add(self.menu, _("Resume"), app.resume)
        self.menu.addSeparator()
        self.painful_menu = self.menu.addMenu(_("Exercises you marked painful"))
        self._add(self.menu, _("Safety advice"), app.show_safety)
        self._add(self.menu, _("About you…"), app.show_setup)
        self._add(self.menu, _("Statistics"), app.show_stats)
        self._add(self.menu, _("Settings"), app.open_settings)
        self.menu.addSeparator()
        self._add(self.menu, _("Quit Coach"), app.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.note = ""  # the latest message, when no notification could show it
        self.balloon = _Balloon(self)
        self.tooltip_note = _TooltipNote(self)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    @staticmethod
    def _add(menu: QMenu, text: str, slot: object) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def update_painful(self) -> None:
        """One entry per exercise marked painful; choosing it offers it again."""
        self.painful_menu.clear()
        painful = sorted(self.app.service.store.painful_exercises())
        for exercise_id in painful:
            exercise = self.app.exercises.get(exercise_id)
            title = exercise.text(self.app.lang).title if exercise else exercise_id
            action = self.painful_menu.addAction(_("Offer again: {title}").format(title=title))
            action.triggered.connect(lambda _=False, e=exercise_id: self.app.switch_back_on(e))
        self.painful_menu.menuAction().setVisible(bool(painful))

    def show(self) -> None:
        self.update_painful()
        self.update_status(self.app.service.status())
        self.icon.show()
        if self.available():
            log.info("tray icon shown in the system tray")
        else:
            log.warning("no system tray here: breaks still show, the status is not visible")

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_status()

    def show_status(self) -> None:
        """Answer 'where is Coach?': a message with the current state."""
        text = self.describe(self.app.service.status())
        self.app.notify("Coach", "\n".join([text, *self.app.limitations]))

    def describe(self, status: Status) -> str:
        if status.paused_until is not None:
            text = (
                _("In a meeting: no breaks until you end it. Sitting now: {sat}.")
                if self.app.in_meeting
                else _("Paused. Sitting now: {sat}.")
            )
            return text.format(sat=format_duration(status.sitting_s))
        next_s = min(status.micro_in_s, status.exercise_in_s)
        if status.prompt is not None:
            nxt = _("a break is waiting")
        else:
            nxt = _("next break after {t} more sitting").format(t=format_duration(next_s))
        return _("Sitting now: {sat}; {next}.").format(
            sat=format_duration(status.sitting_s), next=nxt
        )

    def update_status(self, status: Status) -> None:
        text = self.describe(status)
        lines = ("Coach", text, *self.app.limitations, self.note)
        self.icon.setToolTip("\n".join(filter(None, lines)))
        self.status_action.setText(text)
        self.focus_action.setVisible(status.prompt is not None)
        paused = status.paused_until is not None
        self.pause_menu.setEnabled(not paused)
        self.meeting_action.setVisible(not paused)
        self.resume_action.setVisible(paused)
        self.resume_action.setText(_("End the meeting") if self.app.in_meeting else _("Resume"))
        state, fraction = "normal", 0.0
        if paused:
            state = "paused"
        elif status.prompt is not None:
            waited = self.app.service.clock.mono() - status.prompt.shown_at
            state = "urgent" if waited >= URGENT_AFTER_S else "due"
        else:
            every = self.app.settings.micro_every_min * 60
            fraction = 1 - status.micro_in_s / every if every else 0.0
        key = (int(fraction * 24), state)  # repaint only when it visibly changes
        if key != self._painted:
            self._painted = key
            if key not in self._icons:
                self._icons[key] = tray_icon.icon(key[0] / 24, state)
            self.icon.setIcon(self._icons[key])


class _Balloon:
    """The tray's own message balloon: only where a tray exists."""

    name = "tray-balloon"

    def __init__(self, tray: Tray) -> None:
        self.tray = tray

    def notify(self, title: str, body: str) -> None:
        if not (Tray.available() and self.tray.icon.isVisible()):
            raise RuntimeError("no system tray")
        self.tray.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 8000)


class _TooltipNote:
    """The last resort: the message waits in the tray icon's tooltip."""

    name = "tray-icon"

    def __init__(self, tray: Tray) -> None:
        self.tray = tray

    def notify(self, title: str, body: str) -> None:
        self.tray.note = f"{title}: {body}"
        self.tray.update_status(self.tray.app.service.status())
