"""The words of Coach's desktop entries (resources/coach.desktop, the menu entry, and the
autostart entry coach/config/autostart.py writes) in every shipped language, taken from
the catalogs rather than kept by hand.

    python -m coach.config.desktop_entry > resources/coach.desktop

(`scripts/i18n.sh` runs it after compiling the catalogs; tests/core/test_autostart.py
checks that the shipped file is what it writes.)
"""

from __future__ import annotations

import gettext

from coach import i18n
from coach.i18n import N_

GENERIC_NAME = N_("Break coach")
COMMENT = N_("Posture and sitting-break coach")
# Translators: search words for the desktop's application menu, each followed by ";"
KEYWORDS = N_("posture;break;sitting;exercise;")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _value(text: str) -> str:
    """A localestring value per the Desktop Entry spec (its escapes)."""
    return "".join(_ESCAPES.get(c, c) for c in text)


def localized(key: str, text: str) -> list[str]:
    """`key=text`, then `key[lang]=...` for every shipped language that translates it."""
    lines = [f"{key}={_value(text)}"]
    for lang in i18n.languages():
        if lang == "en":
            continue
        catalog = gettext.translation("coach", i18n.LOCALE_DIR, languages=[lang], fallback=True)
        translated = catalog.gettext(text)
        if translated and translated != text:
            lines.append(f"{key}[{lang}]={_value(translated)}")
    return lines


def application_entry() -> str:
    """resources/coach.desktop: Coach in the application menu."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Coach",
        *localized("GenericName", GENERIC_NAME),
        *localized("Comment", COMMENT),
        "Exec=coach run",
        "Terminal=false",
        "Categories=Utility;",
        *localized("Keywords", KEYWORDS),
        "StartupNotify=false",
        "X-GNOME-Autostart-enabled=true",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(application_entry(), end="")
