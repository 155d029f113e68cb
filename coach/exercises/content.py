"""Exercise and safety texts in every language, through the `coach-content` gettext domain.

The English text stays in the data files (what a pack author writes); every other
language comes from `<locale>/<lang>/LC_MESSAGES/coach-content.mo`, one entry per string
with a context naming where it is used: `hinge-and-lift|title`, `hinge-and-lift|steps|3`,
`safety|gp|2` (numbers count from 1). The English is the msgid, so a changed English
text finds no stale translation: the text shows in English until it is translated again.

`extract_babel` is the pybabel extraction method that writes these entries into
coach/locale/coach-content.pot (scripts/i18n.sh); at run time only the stdlib's gettext
reads the compiled catalogs.
"""

from __future__ import annotations

import gettext
import io
import logging
import re
import struct
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from coach import bounded

log = logging.getLogger(__name__)

DOMAIN = "coach-content"
SAFETY = "safety"  # the owner named in the safety texts' contexts

Message = tuple[str, str]  # (context, English text)


def context(owner: str, field: str, number: int | None = None) -> str:
    """`owner|field` or `owner|field|number`: where a string is used."""
    return f"{owner}|{field}" if number is None else f"{owner}|{field}|{number}"


def block_messages(owner: str, block: Mapping[str, Any]) -> Iterator[Message]:
    """A `[en]` table's texts in file order: one message per text, lists numbered from 1."""
    for field, value in block.items():
        if isinstance(value, str):
            yield context(owner, field), value.strip()
        elif isinstance(value, list):
            for number, item in enumerate(value, 1):
                if isinstance(item, str):
                    yield context(owner, field, number), item.strip()


class CatalogError(Exception):
    """A compiled catalog that cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_catalog(mo: Path) -> Mapping[str, str]:
    """A compiled catalog's translated entries: `context\\x04msgid -> msgstr`.

    Read once per version of the file (its size and modification time)."""
    try:
        info = mo.stat()
    except OSError as exc:
        raise CatalogError(mo, exc.strerror or str(exc)) from exc
    found = _read_catalog(mo, info.st_size, info.st_mtime_ns)
    if isinstance(found, CatalogError):
        raise found
    return found


@lru_cache(maxsize=32)
def _read_catalog(mo: Path, size: int, mtime_ns: int) -> Mapping[str, str] | CatalogError:
    """The entries, or the error (kept too: a broken file is not read again and again)."""
    try:
        data = bounded.read_bytes(mo, bounded.Cap.CATALOG)
        catalog = gettext.GNUTranslations(io.BytesIO(data))
    except OSError as exc:
        return CatalogError(mo, exc.strerror or str(exc))
    except (bounded.BoundsError, struct.error, UnicodeDecodeError, ValueError, IndexError) as exc:
        return CatalogError(mo, str(exc) or type(exc).__name__)
    entries: dict[Any, Any] = getattr(catalog, "_catalog", {})  # the parsed .mo
    return {
        k: v for k, v in entries.items() if isinstance(k, str) and k and isinstance(v, str) and v
    }


def catalog_files(locale_dir: Path, suffix: str = ".mo") -> list[Path]:
    """`locale_dir/<lang>/LC_MESSAGES/coach-content.mo` (or .po) for every language."""
    try:
        return sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}{suffix}"))
    except OSError:
        return []


_broken: set[str] = set()  # catalogs already logged as broken


def entries(locale_dir: Path, lang: str) -> Mapping[str, str]:
    """The catalog for `lang`: empty when there is none, or (logged once) a broken one."""
    mo = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        return read_catalog(mo) if mo.is_file() else {}
    except CatalogError as exc:
        if str(exc) not in _broken:
            _broken.add(str(exc))
            log.warning("translation catalog left out, texts shown in English: %s", exc)
        return {}


_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[sd]")


def placeholders(text: str) -> set[str]:
    """The `{name}` and `%s` placeholders in a text."""
    return set(_PLACEHOLDER.findall(text))


def translate(messages: Iterable[Message], lang: str, locale_dir: Path) -> list[str] | None:
    """Every message in `lang`, or None when the catalog lacks any one of them.

    All or nothing, so a text never mixes two languages.
    """
    if lang == "en":
        return [text for _, text in messages]
    found = entries(locale_dir, lang)
    out = []
    for ctx, text in messages:
        translated = found.get(f"{ctx}\x04{text}")
        if translated is None:
            return None
        out.append(translated)
    return out


def catalog_languages(locale_dir: Path) -> tuple[str, ...]:
    """The languages with a compiled content catalog under `locale_dir`."""
    return tuple(mo.parent.parent.name for mo in catalog_files(locale_dir))


def extract_babel(
    fileobj: IO[bytes],
    keywords: Sequence[str],
    comment_tags: Sequence[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, list[str], list[str]]]:
    """pybabel extraction method: the `[en]` texts of an exercise file or of safety.toml."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    block = data.get("en", {})
    owner = data.get("id", SAFETY)
    about = block.get("title", "") if owner != SAFETY else "Safety advice"
    for ctx, text in block_messages(owner, block):
        yield 0, "pgettext", [ctx, text], [f"{about}: {_describe(ctx)}"]


def template(exercises: Iterable[tuple[str, Iterable[Message]]]) -> str:
    """A `.pot` template for a pack's translators: (English title, messages) per exercise."""
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
    ]
    for title, messages in exercises:
        for ctx, text in messages:
            lines += [
                "",
                f"#. {' '.join(title.split())}: {_describe(ctx)}",
                f"msgctxt {_quoted(ctx)}",
                f"msgid {_quoted(text)}",
                'msgstr ""',
            ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


def _describe(ctx: str) -> str:
    """A translator's note for a context: `steps|3` -> `step 3`."""
    parts = ctx.split("|")[1:]
    field = {"steps": "step", "cautions": "caution", "why": "why this exercise helps"}.get(
        parts[0], parts[0].replace("_", " ")
    )
    return f"{field} {parts[1]}" if len(parts) > 1 else field
