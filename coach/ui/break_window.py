"""The break window: exercise, animated picture, steps, countdown, and the answers.

It shows on the screen with the mouse, stays on top, and never takes keyboard focus
by itself: whatever the user is typing into keeps the keyboard until they click here.
All texts are plain text (employer packs included), never rich text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QKeyCombination, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coach.core.events import Answer, BreakDue, Planned, Tier
from coach.exercises.pacing import PoseStep, pose_plan
from coach.i18n import _, ngettext
from coach.ui import a11y
from coach.ui.fit import FRAME, available_area, fit_to_screen
from coach.ui.palette import Colours
from coach.ui.quiet import allow_focus, refusing_focus, show_quietly
from coach.ui.retranslate import retranslate


def skip_reasons() -> list[tuple[str, str]]:
    """The short list a firm break asks for: (recorded reason, text shown)."""
    return [
        ("meeting", _("I'm in a meeting or call")),
        ("busy", _("Too busy right now")),
        ("unwell", _("I'm not feeling well")),
        ("other", _("Another reason")),
    ]


COUNTDOWN_MS = 1000
PICTURE_PX = 220  # the animated picture; at most a third of a short screen's height
MIN_WIDTH = 640
WIDER_STEP = 80  # a break too high for a short screen: try the window this much wider
STILLS_WIDTH = 900  # with reduced motion: fits a 720-pixel-high screen, cautions included


def _mnemonic(text: str) -> Qt.Key | None:
    """The key of a button text's underlined letter ("&Done" -> D)."""
    sequence = QKeySequence.mnemonic(text)
    if sequence.isEmpty():
        return None
    first: QKeyCombination = sequence[0]  # type: ignore[index]  # Qt's operator[], not in stubs
    return first.key()


def _take_widget(layout: QLayout, index: int) -> None:
    """Take item `index` out of `layout` and delete its widget, if it has one."""
    item = layout.takeAt(index)
    widget = item.widget() if item is not None else None
    if widget is not None:
        widget.deleteLater()


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class BreakWindow(QWidget):
    """One break prompt. Emits `answered(break_id, outcome)`."""

    answered = Signal(int, str, str)  # break id, outcome, reason (may be empty)

    def __init__(self, lang: str, footer: str, reduce_motion: bool = False) -> None:
        """`reduce_motion`: show the key poses still, side by side, instead of animating."""
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("BreakWindow")
        self.setWindowTitle(_("Coach: time to move"))
        self.lang = lang
        self.reduce_motion = reduce_motion
        self.break_id = 0
        self._poses: list[str] = []
        self._plan: tuple[PoseStep, ...] = ()  # when each pose shows (coach.exercises.pacing)
        self._pose = 0  # index into the plan
        self._left_s = 0
        self._total_s = 1
        self._step_rows: list[QWidget] = []
        self._due: BreakDue | None = None  # the break shown

        self.kind_label = QLabel()
        self.kind_label.setObjectName("kind")
        self.title = _plain("")
        self.title.setObjectName("title")
        self.why = _plain("")
        self.why.setObjectName("why")
        self.picture = QSvgWidget()
        self.picture.setFixedSize(QSize(PICTURE_PX, PICTURE_PX))
        self.picture.setAccessibleName(_("Exercise illustration"))
        self.stills = PoseStrip()
        self.stills.setVisible(False)
        self.steps = QVBoxLayout()
        self.steps.setSpacing(6)
        self.cautions = _plain("")  # when to stop or skip: every one agrees with the footer
        self.cautions.setObjectName("cautions")
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setAccessibleDescription(_("Time left in this break"))
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.progress.setAccessibleName(_("Time left"))
        self.footer = _plain(footer)
        self.footer.setObjectName("footer")

        self.done_button = QPushButton(_("&Done"))
        self.snooze_button = QPushButton(_("&Snooze"))
        self.skip_button = QPushButton(_("S&kip"))
        self.hurt_button = QPushButton(_("It &hurts"))
        self.stand_button = QPushButton(_("I'll stand for a &while"))  # a sit-stand desk
        for button, answer, tip in (
            (self.stand_button, Answer.STAND, _("Stand at your desk for a while instead")),
            (self.done_button, Answer.DONE, _("I did the break")),
            (self.snooze_button, Answer.SNOOZE, _("Remind me in a few minutes")),
            (self.skip_button, Answer.SKIP, _("Not this time")),
            (self.hurt_button, Answer.HURT, _("Stop offering this exercise")),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(tip)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(answer != Answer.HURT)  # Enter presses the focused button
            if answer != Answer.SKIP:
                button.clicked.connect(self._answer_slot(answer))
        self.hurt_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never by Space or Enter
        self.done_button.setDefault(True)
        self.skip_button.clicked.connect(self._skip)
        self._skip_reasons = False
        self.skip_menu = QMenu(self)
        for reason, text in skip_reasons():
            self.skip_menu.addAction(text).triggered.connect(self._answer_slot(Answer.SKIP, reason))
        self.done_button.setObjectName("primary")
        self.hurt_button.setObjectName("hurt")
        self._arrow_order = [
            self.stand_button,
            self.skip_button,
            self.snooze_button,
            self.done_button,
        ]

        text_col = QVBoxLayout()
        text_col.addWidget(self.title)
        text_col.addWidget(self.why)
        text_col.addSpacing(6)
        text_col.addLayout(self.steps)
        text_col.addWidget(self.cautions)
        text_col.addStretch(1)
        body_widget = QWidget()
        body = QHBoxLayout(body_widget)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(24)
        body.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(text_col, 1)
        # on a small screen the steps scroll, the buttons stay
        self.body_scroll = body_scroll = BodyScroll(body_widget, body)
        body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.buttons = buttons = QHBoxLayout()
        buttons.addWidget(self.countdown)
        buttons.addStretch(1)
        buttons.addWidget(self.hurt_button)
        buttons.addWidget(self.stand_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.done_button)

        card = QFrame()
        card.setObjectName("card")
        self.card_layout = layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(12)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.stills)
        layout.addWidget(body_scroll, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addWidget(self.footer)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        QWidget.setTabOrder(self.stand_button, self.skip_button)  # left to right, as shown
        QWidget.setTabOrder(self.skip_button, self.snooze_button)
        QWidget.setTabOrder(self.snooze_button, self.done_button)
        self.setStyleSheet(style(a11y.colours(self)))
        self.setMinimumWidth(MIN_WIDTH)

        self._pose_timer = QTimer(self, singleShot=True)
        self._pose_timer.timeout.connect(self._next_pose)
        self._count_timer = QTimer(self, interval=COUNTDOWN_MS)
        self._count_timer.timeout.connect(self._count_down)

    def _answer_slot(self, answer: Answer, reason: str = "") -> Callable[[], None]:
        def slot() -> None:
            if answer == Answer.SNOOZE and not self.snooze_button.isEnabled():
                return
            self.answered.emit(self.break_id, answer.value, reason)

        return slot

    def _skip(self) -> None:
        """Skip at once (gentle), or after choosing a reason (firm)."""
        if not self._skip_reasons:
            self.answered.emit(self.break_id, Answer.SKIP.value, "")
            return
        self.skip_menu.popup(self.skip_button.mapToGlobal(self.skip_button.rect().bottomLeft()))

    # -- content -------------------------------------------------------------------
    def show_break(self, due: BreakDue) -> None:
        """Fill the window for a break and show it without taking focus."""
        self.break_id = due.break_id
        self.skip_button.setVisible(Answer.SKIP in due.answers)
        self.stand_button.setVisible(Answer.STAND in due.answers)
        self._skip_reasons = due.skip_needs_reason
        self._due = due
        title = self._show_texts(due)
        planned = due.planned
        self.hurt_button.setVisible(planned is not None)
        still = self.reduce_motion and len(self._poses) > 1
        self.picture.setVisible(bool(self._poses) and not still)
        self.stills.setVisible(still)
        # reduced motion: no bar creeping along; the countdown text says the same in words
        self.progress.setVisible(not self.reduce_motion)
        # still poses sit above the text, which then has the whole width: use more of it
        self.setMinimumWidth(STILLS_WIDTH if still else MIN_WIDTH)
        self._pose = -1
        self._pose_timer.stop()
        if still:
            self.stills.show_poses(self._poses, title)
        else:
            self._next_pose()
        self.snooze_button.setEnabled(Answer.SNOOZE in due.answers)
        # the countdown and the progress follow the planned dose, which fits the break
        self._total_s = self._left_s = planned.dose.seconds if planned else due.duration_s
        self._render_countdown()
        self._count_timer.start()
        side = min(PICTURE_PX, available_area(self).height() // 3)  # room for the steps
        self.picture.setFixedSize(QSize(side, side))
        self.adjustSize()
        fit_to_screen(self)  # calls `reflow` first
        if not self.isVisible():
            show_quietly(self)
            a11y.announce(self, self._announcement(title, due.duration_s))
        self.raise_()

    def reflow(self, width: int) -> None:
        """Lay the content out for a window at most `width` wide (see coach.ui.fit); where
        the countdown and the answers do not fit on one line (long words on a small or
        scaled screen), the countdown goes above them."""
        margins = self.card_layout.contentsMargins()
        sides = margins.left() + margins.right()
        least, most = self.minimumWidth() - sides, width - sides
        self.body_scroll.fit_content(least, most)
        high = available_area(self).marginsRemoved(FRAME).height()
        while self._wanted_height() > high and least < most:  # wider, so it need not scroll
            least = min(least + WIDER_STEP, most)
            self.body_scroll.fit_content(least, most)
        self.ensurePolished()
        row = [self.countdown, self.hurt_button, self.stand_button, self.skip_button]
        shown = [w for w in (*row, self.snooze_button, self.done_button) if not w.isHidden()]
        wanted = sum(w.sizeHint().width() for w in shown) + self.buttons.spacing() * len(shown)
        one_line = wanted + sides <= width
        if one_line != (self.buttons.indexOf(self.countdown) == 0):
            (self.card_layout if one_line else self.buttons).removeWidget(self.countdown)
            if one_line:
                self.buttons.insertWidget(0, self.countdown)
            else:
                self.card_layout.insertWidget(
                    self.card_layout.indexOf(self.progress) + 1, self.countdown
                )

    def _wanted_height(self) -> int:
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
        return self.sizeHint().height()

    def _show_texts(self, due: BreakDue) -> str:
        """The break's words in `self.lang` (chrome and exercise alike); returns the title."""
        self.kind_label.setText(
            _("Exercise break") if due.tier == Tier.EXERCISE else _("Short break")
        )
        planned = due.planned
        if planned is None:
            title, why = _("Stand up and move"), _("A short walk or stretch breaks up sitting.")
            steps = [
                _("Stand up."),
                _("Walk a few steps or stretch gently."),
                _("Sit down again, both feet flat on the floor."),
            ]
            self._poses, self._plan = [], ()
            cautions: tuple[str, ...] = ()
        else:
            text = planned.exercise.text(self.lang)
            title, why, steps, cautions = text.title, text.why, list(text.steps), text.cautions
            self._poses = [str(p) for p in planned.exercise.illustration]
            self._plan = pose_plan(planned.exercise, planned.dose)
        self.title.setText(title)
        self.why.setText(why)
        self.setAccessibleDescription(title)
        self.picture.setAccessibleName(_("Illustration: {title}").format(title=title))
        self._set_steps(steps, self._dose(planned) if planned else "")
        self.cautions.setText("\n".join(cautions))
        self.cautions.setVisible(bool(cautions))
        return title

    def relabel(self, lang: str, footer: str, before: str) -> None:
        """Show the window in `lang` after a switch from `before`: its static texts, the
        safety footer, the exercise's words and the formatted ones (dose, step names)
        that retranslate cannot map back."""
        self.lang = lang
        retranslate(self, before)
        self.footer.setText(footer)
        if self._due is not None:
            self._show_texts(self._due)
            self._highlight_step()

    @staticmethod
    def _announcement(title: str, duration_s: int) -> str:
        """What a screen reader says when a break appears (the keyboard stays put)."""
        return _(
            "Coach: time for a break, {title}, {seconds} seconds. To answer from the "
            "keyboard, choose Go to the break in Coach's tray menu."
        ).format(title=title, seconds=duration_s)

    def _set_steps(self, steps: list[str], dose: str) -> None:
        self._step_rows = []
        while self.steps.count():
            _take_widget(self.steps, 0)
        for number, step in enumerate(steps, start=1):
            row = QWidget()
            row.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            digit = QLabel(f"{number}.")
            digit.setObjectName("stepnumber")
            digit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            digit.setFixedWidth(26)
            label = _plain(step)
            label.setObjectName("step")
            label.setAccessibleName(
                _("Step {n} of {count}: {step}").format(n=number, count=len(steps), step=step)
            )
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            line.addWidget(digit, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(label, 1)
            self.steps.addWidget(row)
            self._step_rows.append(row)
        if dose:
            label = _plain(dose)
            label.setObjectName("dose")
            label.setAccessibleName(_("Dose: {dose}").format(dose=dose))
            self.steps.addWidget(label)

    @staticmethod
    def _dose(planned: Planned) -> str:
        """The planned dose in words: "8 times, hold 3 s, each side"."""
        dose = planned.dose
        if not dose.reps:
            return ngettext("{n} second", "{n} seconds", dose.seconds).format(n=dose.seconds)
        parts = []
        if dose.reps > 1:
            parts.append(ngettext("{n} time", "{n} times", dose.reps).format(n=dose.reps))
        if dose.hold_s:
            parts.append(_("hold {s} s").format(s=dose.hold_s))
        if planned.exercise.per_side:
            parts.append(_("each side"))
        return ", ".join(parts)

    def _highlight_step(self) -> None:
        """Mark the step that fits the time spent so far."""
        if not self._step_rows:
            return
        elapsed = self._total_s - self._left_s
        current = min(
            int(elapsed * len(self._step_rows) / max(self._total_s, 1)), len(self._step_rows) - 1
        )
        for index, row in enumerate(self._step_rows):
            row.setProperty("current", index == current)
            step = row.findChild(QLabel, "step")
            if step is not None:
                step.setAccessibleDescription(_("current step") if index == current else "")
            row.style().unpolish(row)
            row.style().polish(row)
            for child in row.findChildren(QLabel):
                child.style().unpolish(child)
                child.style().polish(child)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Keys once the user has clicked into the window: each button's underlined
        letter (in English D done, S snooze, K skip, H it hurts, W I'll stand for a while),
        and Esc snoozes. Before that click, keys are not answers: a desktop that gives a new
        window the keyboard anyway (KWin on Wayland) hands it what the user was typing
        elsewhere, and a "d" in a sentence must not record a break as done."""
        if refusing_focus(self):
            event.accept()
            return
        key = Qt.Key(event.key())
        buttons = [self.done_button, self.snooze_button, self.skip_button, self.hurt_button]
        buttons.append(self.stand_button)
        if a11y.move_focus_with_arrows(key, self._arrow_order):
            return
        chosen = (
            self.snooze_button
            if key == Qt.Key.Key_Escape
            else next((b for b in buttons if _mnemonic(b.text()) == key), None)
        )
        if chosen is not None and chosen.isVisible() and chosen.isEnabled():
            chosen.click()
        else:
            super().keyPressEvent(event)

    def showing(self) -> bool:
        return self.isVisible()

    def focus(self) -> None:
        """The user asked for the break (the tray's "Go to the break")."""
        self.raise_()
        self.take_focus()

    def take_focus(self) -> None:
        """What a click into the window does: the keyboard may come here now."""
        allow_focus(self)
        self.done_button.setFocus()

    def close_break(self) -> None:
        self._pose_timer.stop()
        self._count_timer.stop()
        self.hide()

    def dispose(self) -> None:
        """Close, and let the window go: the next break builds a fresh one."""
        self.close_break()
        self.deleteLater()

    # -- timers ----------------------------------------------------------------------
    def _next_pose(self) -> None:
        """Show the plan's next pose and wait as long as it says (the plan repeats)."""
        if not self._plan:
            return
        self._pose = (self._pose + 1) % len(self._plan)
        step = self._plan[self._pose]
        self.picture.load(self._poses[step.frame])
        if len(self._plan) > 1:
            self._pose_timer.start(round(step.seconds * 1000))

    def _count_down(self) -> None:
        self._left_s = max(self._left_s - 1, 0)
        self._render_countdown()
        if self._left_s == 0:
            self._count_timer.stop()

    def _render_countdown(self) -> None:
        self._highlight_step()
        minutes, seconds = divmod(self._left_s, 60)
        self.countdown.setText(f"{minutes}:{seconds:02d}" if self._left_s else _("Time's up"))
        self.progress.setMaximum(self._total_s)
        self.progress.setValue(self._total_s - self._left_s)


class BodyScroll(QScrollArea):
    """The picture and the steps, scrolling only when the screen is too small for them.

    QScrollArea answers its first size hint for good: the window, built before its first
    break, would be sized for no steps and scroll on any screen (with a scroll bar that
    Qt's Fusion style fills with gradients, which Qt's raster engine hands to a thread
    pool: two threads started at every break). This one asks its content every time, at
    the width it will get: at least the window's minimum, at most what the screen
    leaves (`widths`)."""

    def __init__(self, content: QWidget, layout: QLayout) -> None:
        """`content` laid out by `layout`."""
        super().__init__()
        self.content, self._layout = content, layout
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.widths = (0, 0)  # the least and the most it will get; 0: no limit

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        content = self.content
        hint = content.sizeHint()
        least, most = self.widths
        hint.setWidth(max(hint.width(), least))
        if 0 < most < hint.width():
            hint.setWidth(most)
        if content.hasHeightForWidth():  # wrapped text: high enough at that width, even
            bar = self.verticalScrollBar().sizeHint().width()  # less a scroll bar's width
            least_high = content.minimumSizeHint().height()
            hint.setHeight(max(content.heightForWidth(hint.width() - bar), least_high))
        frame = 2 * self.frameWidth()
        return hint + QSize(frame, frame)

    def fit_content(self, least: int, most: int) -> None:
        """After the content changed (while hidden): lay it out now, in the style sheet's
        fonts, and let the layouts up to the window ask for its new size (each keeps its
        widgets' size hints until they say they changed)."""
        self.widths = (least, most)
        self.window().ensurePolished()
        self._layout.activate()
        widget: QWidget | None = self
        while widget is not None and not widget.isWindow():
            widget.updateGeometry()
            widget = widget.parentWidget()


class PoseStrip(QWidget):
    """Reduced motion: the exercise's key poses, still and side by side, numbered."""

    SIZE = 150  # each pose, at most; less on a low screen (a fifth of its height)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("stills")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(12)

    def show_poses(self, poses: list[str], title: str) -> None:
        while self._row.count():
            _take_widget(self._row, 0)
        screen = self.screen() or QGuiApplication.primaryScreen()
        side = max(72, min(self.SIZE, screen.availableGeometry().height() // 5))
        for number, pose in enumerate(poses, start=1):
            picture = QSvgWidget(pose)
            picture.setFixedSize(QSize(side, side))
            picture.setAccessibleName(
                _("{title}: pose {n} of {count}").format(title=title, n=number, count=len(poses))
            )
            self._row.addWidget(picture)
        self._row.addStretch(1)


def style(c: Colours) -> str:
    """The break window's style sheet in the colours `c` (see coach/ui/palette.py)."""
    return f"""
#card {{ background: palette(window); }}
#kind {{ color: {c.accent}; font-size: 11pt; font-weight: 600; letter-spacing: 1px; }}
#title {{ font-size: 20pt; font-weight: 600; }}
#why {{ color: {c.muted}; font-size: 11pt; }}
#step, #stepnumber {{ font-size: 12.5pt; padding: 2px 0; }}
#stepnumber {{ color: {c.accent}; font-weight: 600; }}
QWidget[current="true"] {{ border-left: 4px solid {c.accent}; border-radius: 2px; }}
QWidget[current="true"] #step {{ font-weight: 600; border: none; }}
QWidget[current="true"] #stepnumber {{ border: none; }}
#dose {{ font-size: 11pt; font-weight: 600; color: {c.accent}; padding-top: 4px; }}
#cautions {{ color: {c.warn}; font-size: 10pt; padding-top: 2px; }}
#countdown {{ font-size: 18pt; font-weight: 600; min-width: 90px; }}
#footer {{ color: {c.muted}; font-size: 9.5pt; }}
QProgressBar {{ border: 1px solid {c.border}; border-radius: 4px; background: palette(window); }}
QProgressBar::chunk {{ border-radius: 3px; background: {c.accent}; }}
QPushButton {{ font-size: 11pt; padding: 8px 18px; border-radius: 6px;
              border: 1px solid {c.border}; background: transparent; }}
QPushButton:hover {{ background: palette(midlight); }}
QPushButton:focus {{ border: 3px solid {c.focus}; padding: 6px 16px; }}
QPushButton:disabled {{ color: {c.muted}; border-style: dashed; }}
QPushButton#primary {{ background: {c.accent_fill}; color: {c.on_accent}; font-weight: 600;
                      border: 1px solid {c.accent_fill}; }}
QPushButton#primary:hover {{ background: {c.accent_hover}; }}
QPushButton#primary:focus {{ border: 3px solid {c.on_accent}; padding: 6px 16px; }}
QPushButton#hurt {{ color: {c.warn}; border-color: {c.warn}; }}
"""
