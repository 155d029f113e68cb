"""A pseudo-locale: every catalog string longer, accented and bracketed, built on the fly
from the templates (coach/locale/*.pot), so a window shows at a glance which of its
texts did not come from a catalog (they stay plain ASCII) and where longer translations
would not fit.

    bash scripts/pseudo-locale.sh [coach arguments]    the app (or a command) in it

"Take a break now" becomes "[Ţåķé å ƀŕéåķ ñöŵ ~~~~~~]": about 40 % longer; placeholders
({n}), mnemonics (&) and line breaks are kept.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANG = "qps"  # ISO 639's range for local use, as Windows' pseudo-locales (qps-ploc)
ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "coach" / "locale"
ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "åƀçđéƒĝĥîĵķļɱñöþǫŕŝţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŜŢÛṼŴẊÝŽ",
        strict=True,
    )
)


def pseudo(text: str) -> str:
    """`text` accented (placeholders kept), bracketed, and padded to ~140 % long."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "{"
        out.append(ch if depth else ACCENTED.get(ch, ch))
        depth -= ch == "}" and depth > 0
    tildes = max(2, math.ceil(len(text) * 0.4) - 3)  # with "[", " " and "]"
    # in words of at most 8, as long German words are: a line can still wrap
    words = [("~" * 8)] * (tildes // 9) + ["~" * (tildes - 9 * (tildes // 9))]
    pad = " ".join(w for w in words if w)
    lines = "".join(out).split("\n")
    lines[-1] += f" {pad}]"
    return "[" + "\n".join(lines)


def build(out: Path) -> Path:
    """`out/qps/LC_MESSAGES/<domain>.mo` for both domains; returns `out`."""
    folder = out / LANG / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    for pot in sorted(TEMPLATES.glob("*.pot")):
        with pot.open("rb") as f:
            template = read_po(f)
        catalog = Catalog(locale="en", domain=pot.stem)  # English plural rules
        for m in template:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = tuple(pseudo(i) for i in ids)
            catalog.add(m.id, strings if isinstance(m.id, tuple) else strings[0], context=m.context)
        with (folder / f"{pot.stem}.mo").open("wb") as f:
            write_mo(f, catalog)
    return out


def main() -> None:
    """Run `coach` with the pseudo-locale as the only other language, chosen by `auto`."""
    out = build(Path(tempfile.mkdtemp(prefix="coach-pseudo-")))
    from coach import i18n

    i18n.LOCALE_DIR = out  # before the settings list the shipped languages
    i18n.resolve = lambda setting: LANG  # whatever the user's settings say
    os.environ["LANGUAGE"] = LANG
    from coach.cli import main as coach

    sys.exit(coach(sys.argv[1:]))


if __name__ == "__main__":
    main()
