"""The statistics window's date forms come out of each language's long form (Qt's
CLDR data), and the app makes its language's locale Qt's default (spin boxes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QLocale

from coach.ui.local_dates import LocalDates, without

DAY = date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize(
    ("pattern", "kind", "left"),
    [
        ("dddd, MMMM d, yyyy", "year", "dddd, MMMM d"),
        ("dddd, MMMM d", "weekday", "MMMM d"),
        ("dddd, d. MMMM", "month", "dddd, d."),  # the German day keeps its dot
        ("dddd, d. MMMM yyyy", "weekday", "d. MMMM yyyy"),
        ("d. MMMM yyyy", "day", "MMMM yyyy"),
        ("dddd 'de' d", "day", "dddd 'de'"),
    ],
)
def test_a_field_goes_with_its_separator(pattern: str, kind: str, left: str) -> None:
    assert without(pattern, kind) == left


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("en", ["Tuesday, December 1, 2026", "December 1", "Dec 1", "Tue 1", "December 2026"]),
        ("nl", ["dinsdag 1 december 2026", "1 december", "1 dec", "di 1", "december 2026"]),
        (
            "de",
            ["Dienstag, 1. Dezember 2026", "1. Dezember", "1. Dez.", "Di. 1.", "Dezember 2026"],
        ),
        ("fr", ["mardi 1 décembre 2026", "1 décembre", "1 déc.", "mar. 1", "décembre 2026"]),
    ],
)
def test_date_forms_per_language(lang: str, forms: list[str]) -> None:
    d = LocalDates(lang)
    assert [
        d.long(DAY),
        d.day_month(DAY),
        d.day_month(DAY, short=True),
        d.weekday_day(DAY),
        d.month_year(DAY).replace("\u00a0", " "),  # kept on one line
    ] == forms


def test_the_app_makes_its_language_qts_default(make_app: Callable[..., object]) -> None:
    make_app({"language": "nl"})
    assert QLocale().decimalPoint() == "," and QLocale().toString(1.5, "f", 1) == "1,5"
