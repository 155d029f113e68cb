"""Numbers, shares and dates as people read them in the user's language: 6,5 and 45 %
and 21.11.2026 in German. The forms come from the catalog (each language's translator
writes them), so the command line needs neither Qt nor Babel to load; the statistics
window takes the same decimal and percent forms (dates there come from QLocale).

Machine-readable output (JSON, CSV, file names) never goes through here.
"""

from __future__ import annotations

from datetime import date

from coach.i18n import N_, _

# Translators: a number with decimals, 6.5 ("{whole}.{fraction}"); Dutch, German and
# French write "{whole},{fraction}".
DECIMAL = N_("{whole}.{fraction}")
# Translators: a percentage; German and French put a (no-break) space before the sign.
PERCENT = N_("{pct}%")
# Translators: a date in numbers, in the order and with the separators your readers
# expect: "{day}-{month}-{year}" (Dutch), "{day}.{month}.{year}" (German),
# "{day}/{month}/{year}" (French). Month and day come with two digits.
DATE = N_("{year}-{month}-{day}")


def number(value: float, places: int = 2) -> str:
    """`value` to at most `places` decimals, trailing zeros dropped: 6.25, 6.5, 7."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _dot, fraction = text.partition(".")
    if whole == "-0":
        whole = "0"
    return _(DECIMAL).format(whole=whole, fraction=fraction) if fraction else whole


def percent(share: float | None) -> str:
    """A share (0.45) as a whole percentage ('45%'); '-' when there is none."""
    return "-" if share is None else _(PERCENT).format(pct=round(share * 100))


def percent_format(number_format: str) -> str:
    """PERCENT around a printf-style number format ('%i') for a printf-style label:
    '%i%%', or '%i %%' in German."""
    return _(PERCENT).replace("%", "%%").format(pct=number_format)


def day(d: date) -> str:
    """A date in numbers: 2026-11-21, 21-11-2026 (Dutch), 21.11.2026 (German)."""
    return _(DATE).format(year=d.year, month=f"{d.month:02d}", day=f"{d.day:02d}")
