"""The statistics window: today at a glance, the day's timeline, week and month bars,
and whether it is getting better (break adherence next to the weekly check-in).

Charts are QtCharts (PySide6-Addons); this module is imported only when the window
opens, so the tray app never loads it while idle. Colours follow the app (teal, orange,
grey) and the window's palette, light or dark, from coach/ui/palette.py (the system's
own colours in high contrast). Colour is never the only key: long bouts are hatched,
break outcomes have their own marker shapes, and each chart has a text summary that a
screen reader reads when the chart gets the keyboard focus (Tab).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCharts import (
    QAreaSeries,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coach.config.settings import Settings
from coach.core import formats
from coach.core.durations import format_duration
from coach.history import shape as day_shape
from coach.history import stats as st
from coach.history.store import History
from coach.i18n import _, ngettext
from coach.ui import a11y
from coach.ui.local_dates import LocalDates
from coach.ui.palette import Colours

SIZE = (1040, 700)
NARROW_BELOW = SIZE[0]  # a window narrower than this shows its cards two by two
HATCH = Qt.BrushStyle.BDiagPattern  # long bouts: hatched, not only another colour
Marker = QScatterSeries.MarkerShape
# a break's outcome -> (colour name in Colours, marker shape); anything else: waiting
OUTCOME_MARKS = {
    "done": ("sitting", Marker.MarkerShapeCircle),
    "skipped": ("long_bout", Marker.MarkerShapeRectangle),
    "missed": ("long_bout", Marker.MarkerShapeRectangle),
    "hurt": ("long_bout", Marker.MarkerShapeRectangle),
}
WAITING = ("away", Marker.MarkerShapeTriangle)


def _outcome_word(outcome: str) -> str:
    return {
        "done": _("done"),
        "skipped": _("skipped"),
        "missed": _("missed"),
        "hurt": _("it hurt"),
    }.get(outcome, _("waiting"))


def _clock(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Theme:
    """Chart colours taken from the window's palette."""

    text: QColor
    muted: QColor
    grid: QColor
    card: QColor
    dark: bool

    @classmethod
    def of(cls, palette: QPalette) -> Theme:
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlpha(165)
        grid = QColor(text)
        grid.setAlpha(28)
        card = palette.color(QPalette.ColorRole.Base)
        return cls(
            text=text,
            muted=muted,
            grid=grid,
            card=card,
            dark=palette.color(QPalette.ColorRole.Window).lightness() < 128,
        )


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class Card(QFrame):
    """A rounded panel with a caption."""

    def __init__(self, caption: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(18, 14, 18, 14)
        self.body.setSpacing(6)
        if caption:
            self.body.addWidget(_label(caption, "caption"))


class NumberCard(Card):
    """A big number with a caption above and a line of detail below."""

    def __init__(
        self, caption: str, value: str, detail: str, name: str, accent: bool = False
    ) -> None:
        super().__init__(caption)
        self.value = _label(value, "accent" if accent else "value")
        self.value.setAccessibleName(f"{caption}: {value}")
        self.detail = _label(detail, "detail")
        self.detail.setWordWrap(True)
        self.value.setProperty("stat", name)
        self.body.addWidget(self.value)
        self.body.addWidget(self.detail)
        self.body.addStretch(1)


BAR, HATCHED = "bar", "hatched"
DOT, SQUARE = Marker.MarkerShapeCircle, Marker.MarkerShapeRectangle
TRIANGLE = Marker.MarkerShapeTriangle


def _swatch(color: str, shape: object) -> QLabel:
    """A legend key drawn like the chart mark: a bar, a hatched bar or a marker."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    wide = shape in (BAR, HATCHED)
    pixmap = QPixmap(int((18 if wide else 12) * ratio), int(12 * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(color)
    painter.setPen(QPen(colour, 1.2))
    painter.setBrush(QBrush(colour, HATCH) if shape == HATCHED else QBrush(colour))
    if wide:
        painter.drawRect(1, 1, 16, 10)
    elif shape == DOT:
        painter.drawEllipse(1, 1, 10, 10)
    elif shape == SQUARE:
        painter.drawRect(1, 1, 10, 10)
    else:
        painter.drawPolygon([QPointF(6, 1), QPointF(11, 11), QPointF(1, 11)])
    painter.end()
    label = _label("")
    label.setPixmap(pixmap)
    return label


class Legend(QWidget):
    """(colour, text, shape) keys, drawn like the chart marks: in one row, or in
    several on a narrow window (`set_columns`)."""

    def __init__(self, items: Iterable[tuple[str, str, object]]) -> None:
        super().__init__()
        self.keys: list[QWidget] = []
        for color, text, shape in items:
            key = QWidget()
            line = QHBoxLayout(key)
            line.setContentsMargins(0, 0, 10, 0)
            line.setSpacing(6)
            line.addWidget(_swatch(color, shape))
            line.addWidget(_label(text, "legend"))
            self.keys.append(key)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.set_columns(len(self.keys))

    def set_columns(self, columns: int) -> None:
        for key in self.keys:
            self.grid.removeWidget(key)
        for i, key in enumerate(self.keys):
            self.grid.addWidget(key, i // columns, i % columns, Qt.AlignmentFlag.AlignLeft)
        for column in range(len(self.keys) + 1):
            self.grid.setColumnStretch(column, 1 if column == columns else 0)


def _legend(items: Iterable[tuple[str, str, object]]) -> Legend:
    return Legend(items)


class StatsWindow(QWidget):
    """Statistics for `today` (the user's local date), read from `history`."""

    def __init__(
        self,
        history: History,
        today: date,
        kinds: Mapping[str, str] | None = None,
        goal_s: float = st.GOAL_S,
        lang: str = "en",
        settings: Settings | None = None,
    ) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("StatsWindow")
        self.setWindowTitle(_("Coach: your sitting"))
        self.history = history
        self.today = today
        self.goal_s = goal_s
        self.kinds = dict(kinds or {})
        self.dates = LocalDates(lang)
        self.overview = st.overview(history, today, self.kinds, goal_s)
        self.settings = settings or Settings()
        self.shape = day_shape.shapes(history, today, today, self.settings)[0]
        self.day = today
        self.first_day = st.first_day(history) or today  # the period arrows stop here ...
        self.period_day = today  # ... and at today; a day in the week or month shown
        self.trend = self.overview.trend  # for the period shown
        self._keep: list[object] = []  # line series under area series: PySide does not own them
        self.c: Colours = a11y.colours(self)
        self._build()
        self._restyle()

    # -- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        bottom = self.bottom = QGridLayout()
        bottom.setSpacing(12)
        self.bottom_cards = [self._period_card(), self._trend_card()]
        self.page = QWidget()  # the style sheet lives here: the window keeps its palette
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(12)
        layout.addLayout(self._head())
        layout.addLayout(self._cards())
        layout.addWidget(self._timeline_card(), 5)
        layout.addLayout(bottom, 7)
        self._columns = 0
        self.reflow(SIZE[0])
        self.resize(*SIZE)  # fitted to the screen where it is shown (coach/ui/fit.py)

    def reflow(self, width: int) -> None:
        """The cards in one row and the charts side by side, or on a narrow screen (a
        scaled laptop) two by two and one above the other; fit_to_screen asks first."""
        wide = width >= NARROW_BELOW
        columns = len(self.cards) if wide else 2
        if columns == self._columns:
            return
        self._columns = columns
        for grid, widgets, per_row in (
            (self.card_grid, list(self.cards.values()), columns),
            (self.bottom, self.bottom_cards, 2 if wide else 1),
        ):
            for widget in widgets:
                grid.removeWidget(widget)
            for i, widget in enumerate(widgets):
                grid.addWidget(widget, i // per_row, i % per_row)
            for column in range(len(self.cards)):
                grid.setColumnStretch(column, 1 if column < per_row else 0)
        for legend in self.findChildren(Legend):
            legend.set_columns(len(legend.keys) if wide else 3)
        for layout in (self.page.layout(), self.layout()):
            if layout is not None:
                layout.invalidate()  # the new minimum holds at once, not at the next event
                if self.isVisible():
                    layout.activate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.reflow(event.size().width())

    def _head(self) -> QHBoxLayout:
        title = _label(_("Your sitting"), "title")
        subtitle = _label(self.dates.long(self.today), "subtitle")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(subtitle, 0, Qt.AlignmentFlag.AlignBottom)
        head.addStretch(1)
        return head

    def _cards(self) -> QGridLayout:
        o = self.overview
        t, w = o.today, o.week.total
        cards = self.card_grid = QGridLayout()
        cards.setSpacing(12)
        self.cards = {
            "today": NumberCard(
                _("Sitting today"),
                format_duration(t.sitting_s),
                self._bouts_text(t),
                "sitting_today",
            ),
            "breaks": NumberCard(
                _("Breaks today"),
                _("{done} of {offered}").format(done=t.done, offered=t.offered),
                self._breaks_text(t),
                "breaks_today",
                accent=True,
            ),
            "standing": NumberCard(
                _("Standing and moving"),
                format_duration(self.shape.up_s),
                self._shape_text(self.shape),
                "standing_today",
            ),
            "week": NumberCard(
                _("This week"), format_duration(w.sitting_s), self._week_text(w), "sitting_week"
            ),
            "streak": NumberCard(
                _("Streak"),
                ngettext("{n} day", "{n} days", o.streak).format(n=o.streak),
                _("in a row without a bout over {goal} min").format(goal=round(self.goal_s / 60)),
                "streak",
                accent=True,
            ),
        }
        return cards

    def _timeline_card(self) -> Card:
        self.timeline_chart = QChart()
        self.day_label = _label("", "section")
        self.day_detail = _label("", "detail")
        self.prev_button = QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev_button.setToolTip(_("Previous day"))
        self.prev_button.setAccessibleName(_("Previous day"))
        self.prev_button.clicked.connect(lambda: self.show_day(self.day - timedelta(days=1)))
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip(_("Next day"))
        self.next_button.setAccessibleName(_("Next day"))
        self.next_button.clicked.connect(lambda: self.show_day(self.day + timedelta(days=1)))
        timeline_head = QHBoxLayout()
        timeline_head.addWidget(self.day_label)
        timeline_head.addSpacing(8)
        timeline_head.addWidget(self.day_detail, 0, Qt.AlignmentFlag.AlignBaseline)
        timeline_head.addStretch(1)
        timeline_head.addWidget(self.prev_button)
        timeline_head.addWidget(self.next_button)
        self.timeline_empty = _label(_("Nothing recorded on this day."), "empty")
        self.timeline_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.timeline_stack = QStackedLayout()
        self.timeline_view = self._view(self.timeline_chart, 130, _("Timeline of the day"))
        self.timeline_stack.addWidget(self.timeline_view)
        self.timeline_stack.addWidget(self.timeline_empty)
        timeline_card = Card()
        timeline_card.body.addLayout(timeline_head)
        timeline_card.body.addLayout(self.timeline_stack, 1)
        c = self.c
        timeline_card.body.addWidget(
            _legend(
                [
                    (c.sitting, _("Sitting"), BAR),
                    (
                        c.long_bout,
                        _("Bout over {goal} min").format(goal=round(self.goal_s / 60)),
                        HATCHED,
                    ),
                    (c.away, _("Away"), BAR),
                    *([(c.note, _("Stood"), BAR)] if self.settings.has_sit_stand_desk else []),
                    (c.sitting, _("Break done"), DOT),
                    (c.long_bout, _("Break skipped or missed"), SQUARE),
                    (c.away, _("Break waiting"), TRIANGLE),
                ]
            )
        )
        return timeline_card

    def _period_card(self) -> Card:
        self.period_chart = QChart()
        # an exclusive pair: radio buttons, so a screen reader says "radio button, checked"
        # (a checkable push button reads as a check box); styled as two segments
        self.week_button = QRadioButton(_("Week"))
        self.month_button = QRadioButton(_("Month"))
        group = QButtonGroup(self)
        for button in (self.week_button, self.month_button):
            button.setObjectName("segment")
            group.addButton(button)
        self.week_button.setChecked(True)
        self.week_button.clicked.connect(lambda: self.show_period("week"))
        self.month_button.clicked.connect(lambda: self.show_period("month"))
        self.period_detail = _label("", "detail")
        self.period_detail.setWordWrap(True)  # long in German and French
        self.period_prev = self._arrow(Qt.ArrowType.LeftArrow, _("Earlier"), -1)
        self.period_next = self._arrow(Qt.ArrowType.RightArrow, _("Later"), 1)
        period_head = QHBoxLayout()
        self.period_title = _label(_("Sitting per day"), "section")
        self.period_title.setWordWrap(True)  # "Temps assis, décembre 2026" takes two lines
        period_head.addWidget(self.period_title, 1)
        period_head.setSpacing(0)
        period_head.addSpacing(8)
        period_head.addWidget(self.period_prev)
        period_head.addWidget(self.period_next)
        period_head.addSpacing(8)
        period_head.addWidget(self.week_button)
        period_head.addWidget(self.month_button)
        period_card = Card()
        period_card.body.addLayout(period_head)
        period_card.body.addWidget(self.period_detail)
        self.period_view = self._view(self.period_chart, 170, _("Sitting per day"))
        period_card.body.addWidget(self.period_view, 1)
        period_card.body.addWidget(
            _legend(
                [
                    (self.c.sitting, _("Sitting"), BAR),
                    (
                        self.c.long_bout,
                        _("In bouts over {goal} min").format(goal=round(self.goal_s / 60)),
                        HATCHED,
                    ),
                    *(
                        [(self.c.note, _("Standing and moving"), DOT)]
                        if self.settings.has_sit_stand_desk
                        else []
                    ),
                ]
            )
        )
        return period_card

    def _arrow(self, arrow: Qt.ArrowType, tip: str, step: int) -> QToolButton:
        """A button that moves the week or month shown by `step` periods."""
        button = QToolButton()
        button.setArrowType(arrow)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda: self.step_period(step))
        button.setMaximumHeight(self.week_button.sizeHint().height())
        return button

    def _trend_card(self) -> Card:
        self.trend_chart = QChart()
        trend_card = Card()
        trend_card.body.addWidget(_label(_("Getting better?"), "section"))
        self.trend_detail = _label(self._trend_text(), "detail")
        self.trend_detail.setWordWrap(True)  # long in German and French
        trend_card.body.addWidget(self.trend_detail)
        self.trend_view = self._view(self.trend_chart, 170, _("Getting better?"))
        trend_card.body.addWidget(self.trend_view, 1)
        trend_card.body.addWidget(
            _legend(
                [
                    (self.c.sitting, _("Breaks taken (%)"), BAR),
                    (self.c.checkin, _("Back and hips, your weekly check-in (0-10)"), DOT),
                ]
            )
        )
        return trend_card

    @staticmethod
    def _bouts_text(d: st.DayStats) -> str:
        if not d.bouts:
            return _("No sitting recorded yet")
        text = ngettext(
            "in {n} bout, longest {longest}", "in {n} bouts, longest {longest}", d.bouts
        ).format(n=d.bouts, longest=format_duration(d.longest_bout_s))
        return _("{bouts}; one still going").format(bouts=text) if d.ongoing else text

    @staticmethod
    def _shape_text(d: day_shape.DayShape) -> str:
        """The goal (with a sit-stand desk) and the average sitting bout."""
        parts = []
        if d.goal_s:
            parts.append(_("goal {goal}").format(goal=format_duration(d.goal_s)))
        if d.average_bout_s is not None:
            parts.append(
                _("bouts {average} on average").format(average=format_duration(d.average_bout_s))
            )
        return ", ".join(parts) or _("Nothing recorded yet")

    @staticmethod
    def _breaks_text(d: st.DayStats) -> str:
        if not d.offered:
            return _("None offered yet")
        return _("{pct} taken").format(pct=formats.percent(d.adherence))

    def _week_text(self, w: st.DayStats) -> str:
        goal = round(self.goal_s / 60)
        long = (
            ngettext(
                "{n} bout over {goal} min", "{n} bouts over {goal} min", w.bouts_over_goal
            ).format(n=w.bouts_over_goal, goal=goal)
            if w.bouts_over_goal
            else _("no bout over {goal} min").format(goal=goal)
        )
        if not w.offered:
            return long
        return _("{long}, {pct} of breaks taken").format(
            long=long, pct=formats.percent(w.adherence)
        )

    def _trend_text(self) -> str:
        words = {
            "better": _("getting better"),
            "worse": _("going down"),
            "steady": _("steady"),
            None: _("not enough weeks yet"),
        }
        t = self.trend
        return _("Breaks taken: {breaks}  ·  Back and hips: {checkin}").format(
            breaks=words[t.adherence], checkin=words[t.checkin]
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Esc closes the window, as it does a dialog."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def _view(self, chart: QChart, min_height: int, name: str) -> QChartView:
        """A chart's view: focusable, named, its text summary set when it is drawn."""
        chart.setBackgroundVisible(False)
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(0, 4, 16, 6))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.legend().setVisible(False)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setStyleSheet(
            "QChartView { background: transparent; border: 2px solid transparent; "
            "border-radius: 4px; }"
            f"QChartView:focus {{ border-color: {self.c.focus}; }}"
        )
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its summary is read on focus
        view.setAccessibleName(name)
        view.setMinimumHeight(min_height)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return view

    # -- theme -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()

    def _restyle(self) -> None:
        theme = Theme.of(self.palette())
        if theme == getattr(self, "theme", None):
            return  # a style sheet change also sends PaletteChange
        self.theme = th = theme
        self.c = c = a11y.colours(self)
        text, muted = th.text.name(), th.muted.name(QColor.NameFormat.HexArgb)
        border = "rgba(255,255,255,18)" if th.dark else "rgba(0,0,0,20)"
        self.page.setStyleSheet(f"""
            #card {{ background: {th.card.name()}; border: 1px solid {border};
                     border-radius: 10px; }}
            #title {{ font-size: 17pt; font-weight: 600; color: {text}; }}
            #subtitle, #detail, #legend, #empty {{ color: {muted}; }}
            #subtitle {{ font-size: 11pt; }}
            #caption {{ color: {muted}; font-size: 9.5pt; }}
            #value, #accent {{ font-size: 20pt; font-weight: 600; color: {text}; }}
            #accent {{ color: {c.accent}; }}
            #section {{ font-size: 11.5pt; font-weight: 600; color: {text}; }}
            #legend {{ font-size: 9pt; }}
            QToolButton {{ border: 1px solid {border}; border-radius: 4px; padding: 2px;
                           background: transparent; }}
            QToolButton:disabled {{ border-color: transparent; }}
            QRadioButton#segment {{ padding: 3px 14px; border: 1px solid {border};
                                    background: transparent; color: {text}; }}
            QRadioButton#segment {{ spacing: 0; }}
            QRadioButton#segment::indicator {{ width: 0; height: 0; image: none; border: none;
                                               background: transparent; }}
            QRadioButton#segment:checked {{ background: {c.accent_fill}; color: {c.on_accent};
                                           border-color: {c.accent_fill}; }}
            QRadioButton#segment:focus, QToolButton:focus {{ border: 2px solid {c.focus}; }}
        """)
        self.show_day(self.day)
        self.show_period("month" if self.month_button.isChecked() else "week")
        self._draw_trend()

    def _axis(self, axis: QValueAxis, grid: bool = True) -> None:
        th = self.theme
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        axis.setLabelsFont(font)
        axis.setLabelsColor(th.muted)
        axis.setLinePen(QPen(th.grid))
        axis.setGridLineVisible(grid)
        axis.setGridLinePen(QPen(th.grid, 1))
        axis.setMinorGridLineVisible(False)

    @staticmethod
    def _reset(chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    # -- the day's timeline ------------------------------------------------------------
    def show_day(self, day: date) -> None:
        """Draw the timeline of `day` (at most today)."""
        self.day = min(day, self.today)
        self.next_button.setEnabled(self.day < self.today)
        line = (
            self.overview.timeline
            if self.day == self.today
            else st.timeline(self.history, self.day)
        )
        numbers = (
            self.overview.today
            if self.day == self.today
            else st.day_stats(self.history, self.day, self.kinds, self.goal_s)
        )
        self.day_label.setText(
            _("Today") if self.day == self.today else self.dates.weekday_day_month(self.day)
        )
        self.day_detail.setText(
            _("{sitting} sitting  ·  {done} of {offered} breaks").format(
                sitting=format_duration(numbers.sitting_s),
                done=numbers.done,
                offered=numbers.offered,
            )
            if numbers.bouts or numbers.offered
            else ""
        )
        stood = day_shape.standing_spans(self.history, self.day)
        empty = not (line.bouts or line.breaks or line.away or stood)
        self.timeline_view.setAccessibleDescription(self._timeline_summary(line, stood))
        self.timeline_stack.setCurrentIndex(1 if empty else 0)
        chart = self.timeline_chart
        self._reset(chart)
        self._keep.clear()
        if empty:
            return
        hours = (
            [s.start_h for s in line.bouts + stood]
            + [s.end_h for s in line.bouts + stood]
            + [m.at_h for m in line.breaks]
        )
        lo = max(0, min([8.0, *hours]) // 1)
        hi = min(24, -(-max([17.0, *hours]) // 1))
        x = QValueAxis()
        x.setRange(lo, hi)
        x.setTickType(QValueAxis.TickType.TicksDynamic)
        x.setTickAnchor(0)
        x.setTickInterval(1 if hi - lo <= 14 else 2)
        x.setLabelFormat("%i:00")
        self._axis(x)
        y = QCategoryAxis()
        y.setRange(0, 2)
        y.append(_("Breaks"), 1)
        y.append(_("Sitting"), 2)
        self._axis(y, grid=False)
        y.setLinePen(QPen(Qt.PenStyle.NoPen))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)

        c = self.c
        for span in line.away:
            self._band(chart, x, y, span, 1.42, 1.58, c.away, hatched=False)
        for span in stood:
            self._band(chart, x, y, span, 1.18, 1.82, c.note, hatched=False)
        for span in line.bouts:
            long = span.sat_s > self.goal_s
            self._band(chart, x, y, span, 1.18, 1.82, c.long_bout if long else c.sitting, long)
        for name, shape in dict.fromkeys([*OUTCOME_MARKS.values(), WAITING]):
            marks = [m for m in line.breaks if OUTCOME_MARKS.get(m.outcome, WAITING)[0] == name]
            if not marks:
                continue
            dots = QScatterSeries()
            dots.setMarkerShape(shape)
            dots.setMarkerSize(11)
            dots.setColor(QColor(getattr(c, name)))
            dots.setBorderColor(self.theme.card)
            for m in marks:
                dots.append(QPointF(m.at_h, 0.5))
            chart.addSeries(dots)
            dots.attachAxis(x)
            dots.attachAxis(y)

    def _timeline_summary(self, line: st.Timeline, stood: list[st.Span]) -> str:
        """The day's timeline in words: each bout, each standing span, then each break."""
        goal = round(self.goal_s / 60)
        bouts = [
            _("sitting {start} to {end}, {sat}").format(
                start=_clock(b.start_h), end=_clock(b.end_h), sat=format_duration(b.sat_s)
            )
            + (" " + _("(over {goal} min)").format(goal=goal) if b.sat_s > self.goal_s else "")
            for b in line.bouts
        ]
        standing = [
            _("standing {start} to {end}").format(start=_clock(s.start_h), end=_clock(s.end_h))
            for s in stood
        ]
        breaks = [
            _("break at {time}: {outcome}").format(
                time=_clock(m.at_h), outcome=_outcome_word(m.outcome)
            )
            for m in line.breaks
        ]
        return "; ".join(bouts + standing + breaks) or _("Nothing recorded on this day.")

    def _band(
        self,
        chart: QChart,
        x: QValueAxis,
        y: QCategoryAxis,
        span: st.Span,
        bottom: float,
        top: float,
        color: str,
        hatched: bool,
    ) -> None:
        upper, lower = QLineSeries(), QLineSeries()
        upper.append(span.start_h, top)
        upper.append(span.end_h, top)
        lower.append(span.start_h, bottom)
        lower.append(span.end_h, bottom)
        area = QAreaSeries(upper, lower)
        area.setBrush(QBrush(QColor(color), HATCH if hatched else Qt.BrushStyle.SolidPattern))
        area.setPen(QPen(QColor(color), 1.2))
        self._keep += [upper, lower]
        chart.addSeries(area)
        area.attachAxis(x)
        area.attachAxis(y)

    # -- week and month bars -----------------------------------------------------------
    def step_period(self, step: int) -> None:
        """Show the week or month `step` periods earlier (-1) or later (1)."""
        period = "month" if self.month_button.isChecked() else "week"
        first, last = st.period_of(period, self.period_day)
        self.show_period(period, first - timedelta(days=1) if step < 0 else last + timedelta(1))

    def show_period(self, period: str, day: date | None = None) -> None:
        """Draw the week or month (`period`) of `day` (default: the one shown), between
        the first record and today, and the trend up to its end."""
        day = min(max(day or self.period_day, self.first_day), self.today)
        first, last = st.period_of(period, day)
        self.period_day = day
        self.period_title.setText(
            _("Sitting, {period}").format(period=self._period_name(period, first))
        )
        self.period_prev.setEnabled(first > self.first_day)
        self.period_next.setEnabled(last < self.today)
        now = last >= self.today
        if now:
            stats = self.overview.week if period == "week" else self.overview.month
        else:
            stats = st.period_stats(self.history, period, first, last, self.kinds, self.goal_s)
        trend = self.overview.trend if now else st.trend(self.history, last)
        if trend != self.trend:
            self.trend = trend
            self.trend_detail.setText(self._trend_text())
            self._draw_trend()
        chart = self.period_chart
        self._reset(chart)
        sitting, long = QBarSet(_("Sitting")), QBarSet(_("In long bouts"))
        sitting.setColor(QColor(self.c.sitting))
        sitting.setBorderColor(QColor(self.c.sitting))
        long.setBrush(QBrush(QColor(self.c.long_bout), HATCH))
        long.setPen(QPen(QColor(self.c.long_bout), 1.2))
        for d in stats.days:
            sitting.append((d.sitting_s - d.over_goal_s) / 3600)
            long.append(d.over_goal_s / 3600)
        series = QStackedBarSeries()
        series.append(sitting)
        series.append(long)
        series.setBarWidth(0.62 if period == "week" else 0.7)
        chart.addSeries(series)
        x = QCategoryAxis()
        x.setRange(-0.5, len(stats.days) - 0.5)
        if period == "week":  # every day in its own room, on two lines: 'Mo. 30.' was elided
            x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionCenter)
            x.setStartValue(-0.5)
            for i, d in enumerate(stats.days):
                x.append(self.dates.weekday_day(d.day).replace(" ", "<br>", 1), i + 0.5)
        else:  # the Mondays of a month, under their bars
            x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            for i, d in enumerate(stats.days):
                if d.day.weekday() == 0:
                    x.append(self.dates.day_month(d.day, short=True), i)
        self._axis(x, grid=False)
        up = day_shape.shapes(self.history, stats.first, stats.last, self.settings)
        up = [d for d in up if d.day <= self.today]
        top = max(
            [4.0, *(d.sitting_s / 3600 for d in stats.days), *(d.up_s / 3600 for d in up)]
            + [(d.goal_s or 0) / 3600 + 0.5 for d in up]
        )
        y = QValueAxis()
        y.setRange(0, -(-top // 1))
        y.setTickType(QValueAxis.TickType.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(2 if top > 6 else 1)
        y.setLabelFormat(_("%i h"))
        self._axis(y)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        desk = self.settings.has_sit_stand_desk
        if desk:
            self._draw_standing(chart, x, y, up)
        standing = {d.day: d.up_s for d in up}
        self.period_view.setAccessibleDescription(
            "; ".join(
                _("{day}: {sitting}, of which {long} in long bouts").format(
                    day=self.dates.weekday_day_month(d.day),
                    sitting=format_duration(d.sitting_s),
                    long=format_duration(d.over_goal_s),
                )
                + (
                    ", " + _("standing and moving {up}").format(up=format_duration(standing[d.day]))
                    if desk and d.day in standing
                    else ""
                )
                for d in stats.days
            )
        )
        total = stats.total
        self.period_detail.setText(
            _("{sitting} on {days}  ·  {goal_days} without a long bout").format(
                sitting=format_duration(total.sitting_s),
                days=ngettext("{n} day", "{n} days", stats.sitting_days).format(
                    n=stats.sitting_days
                ),
                goal_days=ngettext("{n} day", "{n} days", stats.goal_days).format(
                    n=stats.goal_days
                ),
            )
        )

    def _draw_standing(
        self, chart: QChart, x: QCategoryAxis, y: QValueAxis, days: list[day_shape.DayShape]
    ) -> None:
        """Standing and moving per day (dots on a line), and the goal as a dashed line."""
        up = QLineSeries()
        up.setName(_("Standing and moving"))
        up.setPointsVisible(True)
        up.setPen(QPen(QColor(self.c.note), 2.2))
        goal = QLineSeries()
        goal.setPen(QPen(QColor(self.c.note), 1.2, Qt.PenStyle.DashLine))
        for i, d in enumerate(days):
            up.append(i, d.up_s / 3600)
            if d.goal_s and d.bouts:  # a workday
                goal.append(i, d.goal_s / 3600)
        for line in (goal, up):
            chart.addSeries(line)
            line.attachAxis(x)
            line.attachAxis(y)
        chart.legend().setVisible(False)

    def _period_name(self, period: str, first: date) -> str:
        if period == "month":
            return self.dates.month_year(first)
        return _("week {week}").format(week=first.isocalendar().week)

    # -- adherence and check-in trend --------------------------------------------------
    def _draw_trend(self) -> None:
        chart = self.trend_chart
        self._reset(chart)
        weeks = self.trend.weeks
        taken = QBarSet(_("Breaks taken"))
        taken.setColor(QColor(self.c.sitting))
        taken.setBorderColor(QColor(self.c.sitting))
        for w in weeks:
            taken.append(0 if w.adherence is None else w.adherence * 100)
        bars = QBarSeries()
        bars.append(taken)
        bars.setBarWidth(0.55)
        chart.addSeries(bars)
        x = QCategoryAxis()
        x.setRange(-0.5, len(weeks) - 0.5)
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, w in enumerate(weeks):
            if (len(weeks) - 1 - i) % 2 == 0:
                x.append(self.dates.day_month(w.monday, short=True), i)
        self._axis(x, grid=False)
        left = QValueAxis()
        left.setRange(0, 100)
        left.setTickCount(6)
        left.setLabelFormat(formats.percent_format("%i"))
        self._axis(left)
        right = QValueAxis()
        right.setRange(0, 10)
        right.setTickCount(6)
        right.setLabelFormat("%i")
        self._axis(right, grid=False)
        right.setLabelsColor(QColor(self.c.checkin))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(x)
        bars.attachAxis(left)
        self.trend_view.setAccessibleDescription(
            "; ".join(
                _("week of {monday}: breaks taken {pct}, check-in {checkin}").format(
                    monday=self.dates.day_month(w.monday),
                    pct=formats.percent(w.adherence),
                    checkin="-"
                    if w.checkin is None
                    else _("{n} out of 10").format(n=formats.number(w.checkin, 1)),
                )
                for w in weeks
            )
        )
        points = [QPointF(i, w.checkin) for i, w in enumerate(weeks) if w.checkin is not None]
        if points:
            line, dots = QLineSeries(), QScatterSeries()
            line.setPen(QPen(QColor(self.c.checkin), 2.2))
            dots.setColor(QColor(self.c.checkin))
            dots.setBorderColor(self.theme.card)
            dots.setMarkerSize(9)
            for p in points:
                line.append(p)
                dots.append(p)
            for s in (line, dots):
                chart.addSeries(s)
                s.attachAxis(x)
                s.attachAxis(right)
