"""User-visible strings go through `_()`; catalogs live in coach/locale (gettext)."""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def languages() -> tuple[str, ...]:
    """The shipped languages: English and every language with a compiled UI catalog."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/coach.mo")}
    return ("en", *sorted(found - {"en"}))


_translation: gettext.NullTranslations = gettext.NullTranslations()


def system_language() -> str:
    """'nl' or 'en' from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    code = locale.getlocale()[0] or ""
    return "nl" if code.lower().startswith("nl") else "en"


def resolve(setting: str) -> str:
    """The language to use for the `language` setting (auto, en, nl)."""
    return system_language() if setting == "auto" else setting


def use(language: str) -> str:
    """Switch the catalog; returns the language now in use."""
    global _translation
    lang = resolve(language)
    _translation = gettext.translation("coach", LOCALE_DIR, languages=[lang], fallback=True)
    return lang


def _(message: str) -> str:
    return _translation.gettext(message)


def originals(language: str) -> dict[str, str]:
    """Text shown in `language` -> the English it was translated from (to switch live)."""
    if language == "en":
        return {}
    catalog = gettext.translation("coach", LOCALE_DIR, languages=[language], fallback=True)
    entries = getattr(catalog, "_catalog", {})  # the parsed .mo: msgid -> msgstr
    return {
        text: msgid for msgid, text in entries.items() if isinstance(msgid, str) and msgid and text
    }


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for translation where it is declared; `_()` translates it when shown."""
    return message
