"""pytest-qt: the statistics window over a generated history, light and dark; screenshots."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from coach import i18n
from coach.core import formats
from coach.core.durations import format_duration
from coach.exercises.catalog import kinds as exercise_kinds
from coach.exercises.catalog import load_library
from coach.history import stats as st
from coach.history.store import Store
from coach.ui.stats_window import NARROW_BELOW, StatsWindow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 18)  # a Wednesday
OUTCOMES = ("done", "done", "done", "snoozed", "skipped", "missed")

if TYPE_CHECKING:
    from coach.ui.app import CoachApp


def generate(store: Store, today: date, weeks: int = 16, seed: int = 7) -> None:
    """Workdays of plausible sitting that slowly get better, up to 15:30 today."""
    rng = random.Random(seed)
    ids = [e.id for e in load_library()[0]]
    first = today - timedelta(weeks=weeks)
    for n in range((today - first).days + 1):
        day = first + timedelta(days=n)
        if day.weekday() >= 5:
            continue
        progress = n / ((today - first).days or 1)  # 0 .. 1
        t = datetime.combine(day, time(8, 30) if rng.random() < 0.5 else time(9, 0), AMS)
        end = datetime.combine(day, time(17, 30) if day != today else time(15, 30), AMS)
        while t < end:
            longest = 95 - 40 * progress
            minutes = rng.uniform(62, 85) if rng.random() < 0.06 else rng.uniform(18, longest)
            stop = min(t + timedelta(minutes=minutes), end)
            store.add_bout(t, stop, (stop - t).total_seconds() * rng.uniform(0.9, 1.0))
            if minutes > 30:
                due = t + timedelta(minutes=30)
                uid = store.offer_break(rng.choice(("micro", "exercise")), rng.choice(ids), due)
                done_p = 0.45 + 0.45 * progress
                outcome = "done" if rng.random() < done_p else rng.choice(OUTCOMES[3:])
                store.update_break(uid, outcome=outcome, when=due + timedelta(minutes=2))
            gap = rng.uniform(40, 60) if t.hour == 12 else rng.uniform(3, 14)
            store.add_away(stop, stop + timedelta(minutes=gap), "locked" if gap > 30 else "idle")
            t = stop + timedelta(minutes=gap)
        if day.weekday() == 4:
            score = round(min(10, max(0, 4 + 4 * progress + rng.uniform(-1, 1))))
            store.add_checkin(score, datetime.combine(day, time(17, 30), AMS))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("stats") / "coach.sqlite3")
    generate(store, TODAY)
    yield store
    store.close()


@pytest.fixture
def window(qtbot, history: Store) -> StatsWindow:
    kinds = exercise_kinds(load_library()[0])
    w = StatsWindow(history, TODAY, kinds, lang="en")
    qtbot.addWidget(w)
    w.resize(1040, 720)
    w.show()
    qtbot.waitExposed(w)
    return w


def dark_palette() -> QPalette:
    p = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#1E2124"),
        (QPalette.ColorRole.WindowText, "#E6E8EA"),
        (QPalette.ColorRole.Base, "#272B2F"),
        (QPalette.ColorRole.Text, "#E6E8EA"),
        (QPalette.ColorRole.Button, "#2E3337"),
        (QPalette.ColorRole.ButtonText, "#E6E8EA"),
        (QPalette.ColorRole.PlaceholderText, "#9AA3AA"),
    ):
        p.setColor(role, QColor(color))
    return p


def stat(window: StatsWindow, name: str) -> str:
    return next(
        label.text() for label in window.findChildren(QLabel) if label.property("stat") == name
    )


def test_the_numbers_match_the_core(window: StatsWindow, history: Store) -> None:
    o = st.overview(history, TODAY)
    assert stat(window, "sitting_today") == format_duration(o.today.sitting_s)
    assert stat(window, "breaks_today") == f"{o.today.done} of {o.today.offered}"
    assert stat(window, "sitting_week") == format_duration(o.week.total.sitting_s)
    assert stat(window, "streak") == f"{o.streak} days" if o.streak != 1 else "1 day"
    assert all(label.textFormat() == Qt_plain() for label in window.findChildren(QLabel))


def Qt_plain():  # noqa: N802 - tiny helper
    from PySide6.QtCore import Qt

    return Qt.TextFormat.PlainText


def test_charts_have_series(window: StatsWindow) -> None:
    assert len(window.timeline_chart.series()) > 10  # bouts, away spans, break dots
    assert len(window.period_chart.series()) == 1
    assert window.period_chart.series()[0].barSets()[0].count() == 7
    assert len(window.trend_chart.series()) == 3  # adherence bars, check-in line and dots
    window.month_button.click()
    assert window.period_chart.series()[0].barSets()[0].count() == 30
    window.week_button.click()


def test_day_navigation_stops_at_today(window: StatsWindow) -> None:
    assert not window.next_button.isEnabled()
    window.prev_button.click()
    assert window.day == TODAY - timedelta(days=1) and window.next_button.isEnabled()
    assert window.timeline_stack.currentIndex() == 0
    for _ in range(2):  # back to Sunday: nothing recorded
        window.prev_button.click()
    assert window.day.weekday() == 6 and window.timeline_stack.currentIndex() == 1
    for _ in range(5):
        window.next_button.click()
    assert window.day == TODAY


def test_an_empty_history_opens_without_charts_failing(qtbot, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    w = StatsWindow(store, TODAY)
    qtbot.addWidget(w)
    w.show()
    assert stat(w, "sitting_today") == "0 s" and stat(w, "streak") == "0 days"
    assert w.timeline_stack.currentIndex() == 1
    store.close()


@pytest.mark.parametrize(
    ("theme", "period", "lang"), [("light", "week", "en"), ("dark", "month", "nl")]
)
def test_screenshot(qtbot, history: Store, theme: str, period: str, lang: str) -> None:
    i18n.use(lang)
    try:
        window = StatsWindow(history, TODAY, exercise_kinds(load_library()[0]), lang=lang)
        qtbot.addWidget(window)
        window.resize(1040, 700)
        if theme == "dark":
            window.setPalette(dark_palette())
            assert window.theme.dark
        if period == "month":
            window.month_button.click()
        window.show()
        qtbot.waitExposed(window)
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"stats-window-{theme}-{period}-{lang}.png"
        assert window.grab().save(str(path))
    finally:
        i18n.use("en")
    assert path.stat().st_size > 20_000
    assert len(window.findChildren(QChartView)) == 3


def test_fits_a_1280x720_screen_with_a_panel(window: StatsWindow) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 680


def test_the_tray_app_loads_neither_qtcharts_nor_apscheduler_by_itself() -> None:
    heavy = ["PySide6.QtCharts", "coach.ui.stats_window", "apscheduler", "coach.ui.rhythm"]
    code = f"import sys; import coach.ui.app; print([m in sys.modules for m in {heavy!r}])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == str([False] * len(heavy))


def test_the_tray_menu_opens_the_window_and_reopens_it_in_place(
    qtbot, tmp_path: Path, make_app: Callable[..., CoachApp]
) -> None:
    from coach.core.clock import FakeClock

    store = Store.open(tmp_path / "coach.sqlite3")
    generate(store, TODAY, weeks=2)
    clock = FakeClock(datetime.combine(TODAY, time(16, 0), AMS))
    app = make_app({"goal_max_bout_min": 45}, store=store, clock=clock)
    app.show_stats()
    first = app._stats
    assert isinstance(first, StatsWindow) and first.isVisible()
    qtbot.addWidget(first)
    assert (first.today, first.goal_s) == (TODAY, 45 * 60)
    first.move(first.x() + 40, first.y() + 30)
    app.show_stats()
    second = app._stats
    qtbot.addWidget(second)
    assert second is not first and second.isVisible() and not first.isVisible()
    assert second.geometry() == first.geometry()


def test_week_and_month_go_back_to_the_first_record_and_forward_to_today(
    window: StatsWindow, history: Store
) -> None:
    first = st.first_day(history)
    assert first is not None and first < TODAY - timedelta(days=60)
    assert not window.period_next.isEnabled()
    window.month_button.click()
    window.period_prev.click()  # last month, with its own numbers and trend
    month_first, month_last = st.month_of(TODAY.replace(day=1) - timedelta(days=1))
    shown = window.period_chart.series()[0].barSets()[0]
    assert shown.count() == (month_last - month_first).days + 1
    expected = st.period_stats(history, "month", month_first, month_last)
    assert f"{expected.sitting_days} days" in window.period_detail.text()
    assert window.trend.weeks[-1].monday == st.week_of(month_last)[0]
    while window.period_prev.isEnabled():
        window.period_prev.click()
    assert st.month_of(window.period_day)[0] <= first
    window.week_button.click()
    while window.period_next.isEnabled():
        window.period_next.click()
    assert st.week_of(window.period_day)[1] >= TODAY
    assert window.trend == st.overview(history, TODAY).trend


def test_esc_closes_the_statistics(qtbot, window: StatsWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_the_bout_in_progress_is_marked_ongoing(qtbot, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "coach.sqlite3")
    start = datetime.combine(TODAY, time(9), AMS)
    store.add_bout(start, start + timedelta(minutes=4), 240, ongoing=True)
    w = StatsWindow(store, TODAY, lang="en")
    qtbot.addWidget(w)
    assert stat(w, "sitting_today") == "4 min"
    texts = [label.text() for label in w.findChildren(QLabel)]
    assert "in 1 bout, longest 4 min; one still going" in texts


def test_on_a_narrow_screen_the_cards_go_two_by_two_and_nothing_scrolls_sideways(
    qtbot, window: StatsWindow
) -> None:
    wide = window.minimumSizeHint().width()
    window.resize(780, 700)  # a 1600x900 screen at 2x: 800 logical pixels, less the frame
    qtbot.waitUntil(lambda: window.width() < NARROW_BELOW)  # held at the wide minimum, then narrow
    window.resize(780, 700)  # ... so now it can
    qtbot.waitUntil(lambda: window.width() == 780)
    assert window.minimumSizeHint().width() <= 780 < wide
    assert window.card_grid.itemAtPosition(1, 0) is not None  # two rows of two
    window.resize(1040, 700)
    qtbot.waitUntil(lambda: window.minimumSizeHint().width() == wide)


def test_week_and_month_read_as_an_exclusive_pair(qtbot, window: StatsWindow) -> None:
    """Radio buttons to a screen reader ("checked"), not two check boxes; an arrow key
    moves between them and shows that period."""
    from PySide6.QtGui import QAccessible

    buttons = (window.week_button, window.month_button)
    faces = [QAccessible.queryAccessibleInterface(b) for b in buttons]
    assert [f.role() for f in faces] == [QAccessible.Role.RadioButton] * 2
    assert [bool(f.state().checked) for f in faces] == [True, False]
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.week_button.setFocus()
    qtbot.waitUntil(window.week_button.hasFocus)
    qtbot.keyClick(window.week_button, Qt.Key.Key_Right)
    assert [bool(f.state().checked) for f in faces] == [False, True]
    assert window.month_button.hasFocus()
    assert window.period_chart.series()[0].barSets()[0].count() >= 28  # a month of days


@pytest.mark.parametrize(
    ("lang", "today", "month", "axis"),
    [
        ("en", "Wednesday, November 18, 2026", "Sitting, November 2026", "Mon<br>16"),
        ("nl", "woensdag 18 november 2026", "Zitten, november 2026", "ma<br>16"),
        ("de", "Mittwoch, 18. November 2026", "November 2026", "Mo.<br>16."),
        ("fr", "mercredi 18 novembre 2026", "novembre 2026", "lun.<br>16"),
    ],
)
def test_dates_and_numbers_in_the_windows_language(
    qtbot, history: Store, lang: str, today: str, month: str, axis: str
) -> None:
    """Dates from Qt's data for the language (no form kept per language here), shares
    and decimals as coach/core/formats.py writes them for the command line too."""
    i18n.use(lang)
    try:
        w = StatsWindow(history, TODAY, lang=lang)
        qtbot.addWidget(w)
        subtitle = next(x for x in w.findChildren(QLabel) if x.objectName() == "subtitle")
        assert subtitle.text() == today
        x_axis = w.period_chart.axes()[0]
        assert x_axis.categoriesLabels()[0] == axis
        w.month_button.click()
        assert w.period_title.text().replace("\u00a0", " ").endswith(month)
        weeks = w.trend.weeks  # the trend's words for a screen reader: a checked-in week
        i, last = next((i, x) for i, x in enumerate(weeks) if x.checkin and x.adherence)
        described = w.trend_view.accessibleDescription().split("; ")[i]
        assert formats.percent(last.adherence) in described
        assert formats.number(last.checkin, 1) in described
        if i18n._(formats.DECIMAL) != formats.DECIMAL or lang == "en":  # once translated
            assert ("," in formats.number(1.5)) == (lang != "en")  # (test_i18n: it must be)
    finally:
        i18n.use("en")
