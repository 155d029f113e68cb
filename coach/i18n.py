"""User-visible strings go through `_()`; catalogs live in coach/locale (gettext)."""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


# Each language by its own name, as a language menu shows it (any other code: the code).
NAMES = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français"}
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order


def languages() -> tuple[str, ...]:
    """The shipped languages: English and every language with a compiled UI catalog."""
    return _languages_in(LOCALE_DIR)


@lru_cache(maxsize=4)
def _languages_in(folder: Path) -> tuple[str, ...]:
    found = {p.parent.parent.name for p in folder.glob("*/LC_MESSAGES/coach.mo")}
    return ("en", *sorted(found - {"en"}))


def name(language: str) -> str:
    """A language's own name ('Deutsch'), or its code when Coach does not know it."""
    return NAMES.get(language, language)


_translation: gettext.NullTranslations = gettext.NullTranslations()


def system_language(
    env: Mapping[str, str] = os.environ, supported: Sequence[str] | None = None
) -> str:
    """The system's language among `supported` (default: the shipped ones), else 'en'.

    As gettext does, the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set
    decides; LANGUAGE may list several (`de_AT:de:en`): the first supported one wins.
    `C` and `POSIX` mean English; a language Coach does not speak falls back to English.
    """
    supported = languages() if supported is None else supported
    for var in LOCALE_VARIABLES:
        value = env.get(var, "")
        if value:
            break
    else:
        value = locale.getlocale()[0] or ""
    for entry in value.split(":"):
        code = entry.split(".")[0].split("@")[0]
        lang = "en" if code in ("C", "POSIX") else code.split("_")[0].split("-")[0].lower()
        if lang in supported:
            return lang
    return "en"


def resolve(setting: str) -> str:
    """The language to use for the `language` setting (auto or a shipped language)."""
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
