"""Safety texts from the source documents: red flags, where to go, pain guidance."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

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


def load(lang: str, path: Path = SAFETY_FILE) -> Safety:
    """The safety texts in `lang` (English when that language is missing)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    block = data.get(lang) or data["en"]
    return Safety(
        title=block["title"],
        intro=block["intro"],
        gp_title=block["gp_title"],
        gp=tuple(block["gp"]),
        physio_title=block["physio_title"],
        physio=tuple(block["physio"]),
        self_care_title=block["self_care_title"],
        self_care=tuple(block["self_care"]),
        pain_title=block["pain_title"],
        pain_first=block["pain_first"],
        pain_repeated=block["pain_repeated"],
        advice_title=block["advice_title"],
        physio_advice=block["physio_advice"],
        break_footer=block["break_footer"],
        based_on=block["based_on"],
        sources=tuple(data["sources"]),
    )
