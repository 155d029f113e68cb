"""Dates (and Qt's numbers) in the window's language, from Qt's locale data (CLDR).

A language's long date form ("dddd, d. MMMM yyyy" in German, "dddd, MMMM d, yyyy" in
English) gives the shorter forms the statistics window needs by leaving fields out, so
German reads "Di. 1." and "1. Dez." and English "Tue 1" and "Dec 1", with no form
kept per language. The locale is the language's own (de -> de_DE, en -> en_US: en_GB
would say "Sept"), so the window agrees with the command line (coach/core/formats.py).
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale

_FIELD = re.compile(r"(d+|M+|y+|'[^']*')")  # Qt's date fields; quoted text is kept
_KINDS = {"weekday": r"d{3,}$", "day": r"d{1,2}$", "month": r"M+$", "year": r"y+$"}


def without(pattern: str, kind: str) -> str:
    """`pattern` without its `kind` field (weekday, day, month, year) and the separator
    that goes with it: the one after it, or before it when it is the last field (but a
    day's dot stays: German "1.")."""
    parts = _FIELD.split(pattern)  # literal, field, literal, field, ..., literal
    for i in range(1, len(parts), 2):
        if re.match(_KINDS[kind], parts[i]):
            parts[i] = ""
            if i < len(parts) - 2:
                parts[i + 1] = ""
            else:
                after_day = i >= 3 and re.match(_KINDS["day"], parts[i - 2])
                parts[i - 1] = "." if after_day and parts[i - 1].startswith(".") else ""
    return "".join(parts).strip(" ,")


class LocalDates:
    """The statistics window's date forms in `language` (en, nl, de, fr, ...)."""

    def __init__(self, language: str) -> None:
        self.locale = QLocale(language)
        long = self.locale.dateFormat(QLocale.FormatType.LongFormat)
        self._long = long  # Tuesday, December 1, 2026
        self._day_month_weekday = without(long, "year")  # Tuesday, December 1
        self._day_month = without(self._day_month_weekday, "weekday")  # December 1
        weekday_day = without(self._day_month_weekday, "month").replace("dddd", "ddd")
        self._weekday_day = weekday_day.replace(",", "")  # a chart's axis: no room for it
        self._month_year = without(without(long, "weekday"), "day")  # December 2026

    def _text(self, d: date, pattern: str) -> str:
        return self.locale.toString(QDate(d.year, d.month, d.day), pattern)

    def long(self, d: date) -> str:
        return self._text(d, self._long)

    def weekday_day_month(self, d: date) -> str:
        return self._text(d, self._day_month_weekday)

    def day_month(self, d: date, short: bool = False) -> str:
        """'December 1', or with `short` 'Dec 1'."""
        pattern = self._day_month.replace("MMMM", "MMM") if short else self._day_month
        return self._text(d, pattern)

    def weekday_day(self, d: date) -> str:
        """'Tue 1', 'Di. 1.': a day of the week shown on a chart's axis."""
        return self._text(d, self._weekday_day)

    def month_year(self, d: date) -> str:
        """'December 2026', kept on one line (a no-break space)."""
        return self._text(d, self._month_year).replace(" ", "\u00a0")


def use(language: str) -> None:
    """Make `language`'s locale Qt's default, so that spin boxes write 1,5 in Dutch."""
    QLocale.setDefault(QLocale(language))
