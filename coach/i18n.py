"""User-visible strings go through `_()`; catalogs live in coach/locale (gettext)."""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "nl")

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


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
