"""Safety texts from the source documents: red flags, where to go, pain guidance.

English in safety.toml's `[en]` table, other languages from the coach-content catalogs
(contexts `safety|field` and `safety|field|number`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from coach import i18n
from coach.exercises import content

SAFETY_FILE = Path(__file__).resolve().parent / "safety.toml"


@dataclass(frozen=True)
class Safety:
    title: str
    intro: str
    gp_title: str
    gp: tuple[str, ...]
    physio_title: str
    physio: tuple[str, ...]
    self_care_title: str
    self_care: tuple[str, ...]
    pain_title: str
    pain_first: str  # "It hurts": stop, what helps, when to see whom
    pain_repeated: str  # added after several reports in two weeks
    advice_title: str
    physio_advice: str  # six weeks of complaints (document 003), shown once
    break_footer: str
    based_on: str  # the source documents, in words
    sources: tuple[str, ...]  # ... and by file, for the record


def load(lang: str, path: Path = SAFETY_FILE, locale_dir: Path | None = None) -> Safety:
    """The safety texts in `lang` (all in English when that catalog lacks any of them);
    the catalogs are in coach/locale unless `locale_dir` says otherwise."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    english: dict[str, Any] = {
        f.name: data["en"][f.name] for f in fields(Safety) if f.name != "sources"
    }
    messages = list(content.block_messages(content.SAFETY, english))
    words = iter(
        content.translate(messages, lang, locale_dir or i18n.LOCALE_DIR) or [t for _, t in messages]
    )
    texts: dict[str, Any] = {
        key: tuple(next(words) for _ in value) if isinstance(value, list) else next(words)
        for key, value in english.items()
    }
    return Safety(**texts, sources=tuple(data["sources"]))
