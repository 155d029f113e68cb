"""Exercise packs for tests: exercise files copied from the library, and their own
translation catalogs (compiled with Babel, as a pack author would with msgfmt)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from coach.exercises import catalog, content


def copy_exercise(pack: Path, source_id: str, new_id: str | None = None) -> catalog.Exercise:
    """The library's `source_id` in `pack` (as `new_id`), pictures beside it."""
    pack.mkdir(parents=True, exist_ok=True)
    new_id = new_id or source_id
    text = (catalog.LIBRARY_DIR / f"{source_id}.toml").read_text(encoding="utf-8")
    (pack / f"{new_id}.toml").write_text(
        text.replace(f'id = "{source_id}"', f'id = "{new_id}"'), encoding="utf-8"
    )
    exercise = {e.id: e for e in catalog.load_library()[0]}[source_id]
    for svg in exercise.illustration:
        (pack / svg.name).write_bytes(svg.read_bytes())
    return exercise


def translations(exercise: catalog.Exercise, lang: str, as_id: str | None = None) -> dict:
    """The shipped translation of `exercise` as a pack catalog's entries (for `as_id`)."""
    text = exercise.text(lang)
    assert text != exercise.english, f"{exercise.id} has no {lang} translation"
    ids = exercise.english.messages(as_id or exercise.id)
    return {
        ctx: (english, word) for (ctx, english), word in zip(ids, text_words(text), strict=True)
    }


def text_words(text: catalog.Text) -> list[str]:
    return [text.title, text.why, *text.steps, *text.cautions]


def write_catalog(pack: Path, lang: str, entries: dict, *, compiled: bool = True) -> Path:
    """`pack/locale/<lang>/LC_MESSAGES/coach-content.po` (and .mo) with `entries`:
    context -> (English, translation). Returns the .mo path."""
    folder = pack / "locale" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    cat = Catalog(locale=lang, domain=content.DOMAIN)
    for ctx, (english, translated) in entries.items():
        cat.add(english, translated, context=ctx)
    with (folder / f"{content.DOMAIN}.po").open("wb") as f:
        write_po(f, cat)
    mo = folder / f"{content.DOMAIN}.mo"
    if compiled:
        with mo.open("wb") as f:
            write_mo(f, cat)
    return mo
