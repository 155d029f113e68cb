"""The tray icon, its tooltip and menu."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Protocol

from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from coach.core.durations import format_duration
from coach.core.modes import Mode
from coach.core.status import CoachStatus
from coach.i18n import N_, _
from coach.platform import a11y_prefs
from coach.ui import tray_icon

log = logging.getLogger(__name__)

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


class TrayActions(Protocol):
    """What the tray offers and needs (the app provides it)."""

    def status(self) -> CoachStatus: ...

    def notify(self, title: str, body: str) -> None: ...

    def exercise_title(self, exercise_id: str) -> str: ...

    def focus_break(self) -> None: ...

    def take_break_now(self) -> None: ...

    def pause(self, seconds: float | None) -> None: ...

    def start_meeting(self) -> None: ...

    def resume(self) -> None: ...

    def stand(self) -> None: ...

    def sit(self) -> None: ...

    def switch_back_on(self, exercise_id: str) -> None: ...

    def show_safety(self) -> None: ...

    def show_setup(self) -> None: ...

    def show_stats(self) -> None: ...

    def open_settings(self) -> None: ...

    def quit(self) -> None: ...


class Tray:
    """Shows state at a glance and offers: break now, pause, statistics, settings, quit."""

    def __init__(self, actions: TrayActions) -> None:
        self.actions = actions
        self.limitations: list[str] = []  # what Coach cannot see here, for the tooltip
        self._painful: tuple[str, ...] | None = None  # the menu's entries
        self.icon = QSystemTrayIcon()
        self.icon.setToolTip("Coach")
        self._painted: tuple[int, str] | None = None
        # at most 25 steps x 4 states; the same QIcon each time, so Qt's pixmap cache
        # does not fill up with a new copy at every step (10 MiB over a few weeks)
        self._icons: dict[tuple[int, str], QIcon] = {}
        self._scheme: tray_icon.Scheme | None = None  # its colours, chosen when first painted
        self.menu = QMenu()
        self.status_action = self.menu.addAction("")
        self.status_action.setEnabled(False)
        self.menu.addSeparator()
        self.focus_action = self._add(self.menu, _("Go to the break"), actions.focus_break)
        self.focus_action.setToolTip(_("Bring the waiting break window to the keyboard"))
        self.focus_action.setVisible(False)
        self.break_action = self._add(self.menu, _("Take a break now"), actions.take_break_now)
        pause = self.menu.addMenu(_("Pause"))
        self._add(pause, _("For 30 minutes"), lambda: actions.pause(30 * 60))
        self._add(pause, _("For 1 hour"), lambda: actions.pause(60 * 60))
        self._add(pause, _("Until tomorrow"), lambda: actions.pause(None))
        self.pause_menu = pause
        self.meeting_action = self._add(self.menu, _("In a meeting"), actions.start_meeting)
        self.meeting_action.setToolTip(_("No breaks until you end the meeting, at most 2 hours"))
        self.resume_action = self._add(self.menu, _("Resume"), actions.resume)
        self.stand_action = self._add(self.menu, _("I'm &standing"), actions.stand)
        self.stand_action.setToolTip(_("Standing at your desk is not sitting: no sitting breaks"))
        self.sit_action = self._add(self.menu, _("I'm sitting &again"), actions.sit)
        self.menu.addSeparator()
        self.painful_menu = self.menu.addMenu(_("Exercises you marked painful"))
        self._add(self.menu, _("Safety advice"), actions.show_safety)
        self._add(self.menu, _("About you…"), actions.show_setup)
        self._add(self.menu, _("Statistics"), actions.show_stats)
        self._add(self.menu, _("Settings"), actions.open_settings)
        self.menu.addSeparator()
        self._add(self.menu, _("Quit Coach"), actions.quit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.note = ""  # the latest message, when no notification could show it
        self.balloon = _Balloon(self)
        self.tooltip_note = _TooltipNote(self)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    @staticmethod
    def _add(menu: QMenu, text: str, slot: Callable[[], None]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _update_painful(self, painful: tuple[str, ...]) -> None:
        """One entry per exercise marked painful; choosing it offers it again."""
        if painful == self._painful:
            return
        self._painful = painful
        self.painful_menu.clear()
        for exercise_id in painful:
            title = self.actions.exercise_title(exercise_id)
            action = self.painful_menu.addAction(_("Offer again: {title}").format(title=title))
            action.triggered.connect(lambda _=False, e=exercise_id: self.actions.switch_back_on(e))
        self.painful_menu.menuAction().setVisible(bool(painful))

    def retranslate_painful(self) -> None:
        """Rebuild the painful entries (in a new language) at the next status."""
        self._painful = None

    def show(self) -> None:
        self.update_status(self.actions.status())
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
        text = self.describe(self.actions.status())
        self.actions.notify("Coach", "\n".join([text, *self.limitations]))

    @staticmethod
    def describe(status: CoachStatus) -> str:
        """What is true now: paused or in a meeting until when, a break waiting or
        snoozed, standing, or sitting until the next break."""
        if status.standing:
            return _("Standing. No sitting breaks while you stand.")
        sat = format_duration(status.sitting_s)
        if status.paused:
            end = status.until
            if end is None:
                until = _("until you end it")
            elif end.time() == time(0):
                until = _("until tomorrow")
            else:
                until = _("until {time}").format(time=end.strftime("%H:%M"))
            text = (
                _("In a meeting {until} at the latest. Sitting now: {sat}.")
                if status.mode == Mode.MEETING
                else _("Paused {until}. Sitting now: {sat}.")
            )
            return text.format(until=until, sat=sat)
        if status.mode == Mode.OFF_HOURS:
            now = datetime.now(status.until.tzinfo if status.until else None)
            return _("Outside your work hours: no breaks {until}. Sitting now: {sat}.").format(
                until=Tray.until_day(status.until, now), sat=sat
            )
        if status.mode == Mode.BUSY:
            return _(
                "Busy (a fullscreen window, a call or do not disturb): the next break waits "
                "until it ends. Sitting now: {sat}."
            ).format(sat=sat)
        if status.break_id is not None:
            nxt = _("a break is waiting")
        elif status.snoozed_for_s is not None:
            nxt = _("the snoozed break comes back in {t}").format(
                t=format_duration(status.snoozed_for_s)
            )
        else:
            nxt = _("next break after {t} more sitting").format(
                t=format_duration(status.next_break_in_s)
            )
        return _("Sitting now: {sat}; {next}.").format(sat=sat, next=nxt)

    @staticmethod
    def until_day(end: datetime | None, now: datetime) -> str:
        """'until 08:30', 'until tomorrow at 08:30', 'until Monday at 08:30'."""
        if end is None:
            return _("until your work hours begin")
        at = end.strftime("%H:%M")
        if end.date() == now.date():
            return _("until {time}").format(time=at)
        if end.date() == now.date() + timedelta(days=1):
            return _("until tomorrow at {time}").format(time=at)
        return _("until {day} at {time}").format(day=_(WEEKDAYS[end.weekday()]), time=at)

    def refresh(self) -> None:
        """Show the status afresh (after the note changed)."""
        self.update_status(self.actions.status())

    def update_status(self, status: CoachStatus) -> None:
        self._update_painful(status.painful)
        text = self.describe(status)
        lines = ("Coach", text, *self.limitations, self.note)
        self.icon.setToolTip("\n".join(filter(None, lines)))
        self.status_action.setText(text)
        self.focus_action.setVisible(status.break_id is not None)
        self.pause_menu.setEnabled(not status.paused)
        self.meeting_action.setVisible(not status.paused)
        self.resume_action.setVisible(status.paused)
        self.stand_action.setVisible(status.has_sit_stand_desk and not status.standing)
        self.sit_action.setVisible(status.standing)
        meeting = status.mode == Mode.MEETING
        self.resume_action.setText(_("End the meeting") if meeting else _("Resume"))
        state, fraction = "normal", 0.0
        if status.paused:
            state = "paused"
        elif status.break_id is not None:
            state = "urgent" if status.urgent else "due"
        else:
            fraction = status.progress
        key = (int(fraction * 24), state)  # repaint only when it visibly changes
        if key != self._painted:
            self._painted = key
            if key not in self._icons:
                self._icons[key] = tray_icon.icon(key[0] / 24, state, self.scheme())
            self.icon.setIcon(self._icons[key])

    def scheme(self) -> tray_icon.Scheme:
        """Coach's own colours, or the system's in high contrast. Only GNOME's setting is
        read here: Qt's hint (`a11y.high_contrast`) creates Qt's whole namespace of
        enums, which the idle tray must not (tests/ui/test_idle_footprint.py)."""
        if self._scheme is None:
            hc = a11y_prefs.gnome_high_contrast()
            self._scheme = (
                tray_icon.high_contrast(QGuiApplication.palette()) if hc else tray_icon.OWN
            )
        return self._scheme


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
        self.tray.refresh()
