"""Load and validate exercise files (the shipped library and employer packs).

The format is described in docs/exercise-format.md. A broken file is reported with
file, field and reason and left out; the others still load.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach import bounded, i18n
from coach.exercises import content
from coach.i18n import _, ngettext

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LIBRARY_DIR = HERE / "library"
PICTURES_DIR = HERE / "illustrations"

POSITIONS = ("seated", "standing", "floor")
KINDS = ("mobility", "glute", "stretch", "core", "walk", "breathing", "posture")
TARGETS = (
    "spine",
    "low-back",
    "hip-flexors",
    "glutes",
    "hips",
    "core",
    "hamstrings",
    "legs",
    "breathing",
    "posture",
)
FOCUSES = ("low-back", "hip")
TIERS = ("micro", "exercise")
MOVEMENTS = (
    "cat-cow",
    "glute-bridge",
    "bird-dog",
    "hip-flexor-stretch",
    "figure-four",
    "squat",
    "hip-hinge",
    "lunge",
    "hip-rotation",
    "walk",
    "core-activation",
    "breathing",
    "posture-reset",
    "hamstring-stretch",  # 002: overactive hamstrings; the flat back
    "lift",  # 001, 002, 003: bending and lifting from the hips
    "step-up",  # 001: stairs
    "back-extension",  # 002 (flat back) and 003 (spinal mobility)
)
GROWS = ("reps", "hold", "none")  # what practice adds to (dose_plan.py)
AVOID = ("hip-replacement", "irritated-hip", "hollow-back")  # setup answers ruling it out
SUITS = ("hollow-back", "flat-back")  # back types (document 002) an exercise is meant for
SEED_FILES = (
    "000_5ac6e49e127d396e.txt",
    "001_40772f0d6142fdcb.txt",
    "002_5405547550c74af3.txt",
    "003_8dfdbc196c50e555.txt",
    "004_62f747a02fdf48fe.txt",
)
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
MAX_TEXT = 300


@dataclass(frozen=True)
class Text:
    """An exercise's words in one language."""

    title: str
    why: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]

    def messages(self, ex_id: str) -> list[content.Message]:
        """Every text with its catalog context (`id|title`, `id|steps|1`, ...)."""
        return list(
            content.block_messages(
                ex_id,
                {
                    "title": self.title,
                    "why": self.why,
                    "steps": list(self.steps),
                    "cautions": list(self.cautions),
                },
            )
        )

    def translated(self, words: list[str]) -> Text:
        """The same shape with `words` in the order of `messages`."""
        n = len(self.steps)
        return Text(words[0], words[1], tuple(words[2 : 2 + n]), tuple(words[2 + n :]))


@dataclass(frozen=True)
class Exercise:
    id: str
    movement: str
    position: str
    kind: str
    targets: tuple[str, ...]
    focus: tuple[str, ...]
    tiers: tuple[str, ...]
    sources: tuple[str, ...]
    illustration: tuple[Path, ...]
    duration_s: int
    reps: int
    hold_s: int
    per_side: bool
    english: Text
    locale_dir: Path  # where its other languages are: coach/locale, or a pack's locale/
    grows: str = "none"
    max_reps: int = 0
    max_hold_s: int = 0
    rep_s: int = 3
    avoid: tuple[str, ...] = ()
    suits: tuple[str, ...] = ()
    inline: Mapping[str, Text] = field(default_factory=dict)  # a pack's old [nl] tables

    def text(self, lang: str) -> Text:
        """Its words in `lang`, or all in English when that catalog lacks any of them."""
        if lang != "en":
            words = content.translate(self.english.messages(self.id), lang, self.locale_dir)
            if words is not None:
                return self.english.translated(words)
            if lang in self.inline:
                return self.inline[lang]
        return self.english

    def speaks(self, lang: str) -> bool:
        """Whether every one of its texts is translated into `lang`."""
        messages = self.english.messages(self.id)
        return (
            lang == "en"
            or lang in self.inline
            or content.translate(messages, lang, self.locale_dir) is not None
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages it is complete in, English first."""
        others = {*content.catalog_languages(self.locale_dir), *self.inline} - {"en"}
        return ("en", *(lang for lang in sorted(others) if self.speaks(lang)))

    @property
    def texts(self) -> dict[str, Text]:
        """Language -> its words, for every language it is complete in."""
        return {lang: self.text(lang) for lang in self.languages}

    def as_dict(self) -> dict[str, Any]:
        """Every field, for `coach exercises --json`."""
        return {
            "id": self.id,
            "movement": self.movement,
            "position": self.position,
            "kind": self.kind,
            "targets": list(self.targets),
            "focus": list(self.focus),
            "tiers": list(self.tiers),
            "sources": list(self.sources),
            "illustration": [p.name for p in self.illustration],
            "duration_s": self.duration_s,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "per_side": self.per_side,
            "grows": self.grows,
            "max_reps": self.max_reps,
            "max_hold_s": self.max_hold_s,
            "rep_s": self.rep_s,
            "avoid": list(self.avoid),
            "suits": list(self.suits),
            **{
                lang: {
                    "title": t.title,
                    "why": t.why,
                    "steps": list(t.steps),
                    "cautions": list(t.cautions),
                }
                for lang, t in self.texts.items()
            },
        }


@dataclass(frozen=True)
class PackProblem:
    """A file left out of the library, and why (`message` translated; `field` as in the file)."""

    path: Path
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.field:
            return _("{file}, field '{field}': {message}").format(
                file=self.path, field=self.field, message=self.message
            )
        return f"{self.path}: {self.message}"


class _Invalid(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(field, _("must be non-empty text"))
    if len(value) > MAX_TEXT:
        raise _Invalid(field, _("is longer than {n} characters").format(n=MAX_TEXT))
    return value.strip()


def _texts(value: Any, field: str, lo: int, hi: int) -> tuple[str, ...]:
    if not isinstance(value, list) or not lo <= len(value) <= hi:
        raise _Invalid(field, _("must be a list of {lo} to {hi} texts").format(lo=lo, hi=hi))
    return tuple(_text(v, f"{field}[{i}]") for i, v in enumerate(value))


def _choices(value: Any, field: str, allowed: tuple[str, ...], single: bool = False) -> Any:
    items = [value] if single else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise _Invalid(
            field, _("must be text") if single else _("must be a non-empty list of text")
        )
    bad = [v for v in items if v not in allowed]
    if bad:
        raise _Invalid(
            field,
            _("{bad} not one of: {allowed}").format(bad=", ".join(bad), allowed=", ".join(allowed)),
        )
    return value if single else tuple(items)


def _count(data: dict[str, Any], field: str, hi: int, default: int = 0) -> int:
    value = data.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= hi:
        raise _Invalid(field, _("must be a whole number from 0 to {hi}").format(hi=hi))
    return value


def _block_text(block: dict[str, Any], lang: str) -> Text:
    return Text(
        title=_text(block.get("title"), f"{lang}.title"),
        why=_text(block.get("why"), f"{lang}.why"),
        steps=_texts(block.get("steps"), f"{lang}.steps", 3, 6),
        cautions=_texts(block.get("cautions"), f"{lang}.cautions", 1, 5),
    )


def parse_exercise(
    data: dict[str, Any], path: Path, pictures: Path, locale_dir: Path | None = None
) -> Exercise:
    """Build an Exercise from parsed TOML or raise _Invalid.

    Its English is the `[en]` table; other languages come from `locale_dir`'s
    coach-content catalogs (default: the folder's `locale/`).
    """
    ex_id = _text(data.get("id"), "id")
    if not _ID.match(ex_id) or ex_id == content.SAFETY:
        raise _Invalid("id", _("must be lowercase letters, digits and dashes"))
    if ex_id != path.stem:
        raise _Invalid(
            "id", _("'{id}' differs from the file name '{name}'").format(id=ex_id, name=path.stem)
        )
    sources = data.get("sources")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, str) and s.strip() for s in sources)
    ):
        raise _Invalid("sources", _("must name at least one source document"))
    pics = data.get("illustration")
    if (
        not isinstance(pics, list)
        or not 1 <= len(pics) <= 6
        or not all(isinstance(p, str) for p in pics)
    ):
        raise _Invalid("illustration", _("must list 1 to 6 SVG files"))
    picture_paths = []
    folder = pictures.resolve()
    for name in pics:
        pic = folder / name
        if pictures != PICTURES_DIR:  # a pack's picture: no link out of its folder
            pic = pic.resolve()
        if pic.suffix != ".svg" or pic.parent != folder or not pic.is_file():
            raise _Invalid(
                "illustration",
                _("picture '{name}' not found in {folder}").format(name=name, folder=pictures),
            )
        if pictures != PICTURES_DIR and (reason := bounded.svg_problem(pic)):  # a pack's
            raise _Invalid("illustration", f"{name}: {reason}")
        picture_paths.append(pic)
    duration_s, reps = _count(data, "duration_s", 900), _count(data, "reps", 100)
    if not duration_s and not reps:
        raise _Invalid(
            "duration_s", _("give {duration} or {reps}").format(duration="duration_s", reps="reps")
        )
    per_side = data.get("per_side", False)
    if not isinstance(per_side, bool):
        raise _Invalid(
            "per_side", _("must be {true} or {false}").format(true="true", false="false")
        )
    block = data.get("en")
    if not isinstance(block, dict):
        raise _Invalid("en", _("the [{section}] section is missing").format(section="en"))
    english = _block_text(block, "en")
    inline = {}  # packs written before the catalogs carry their Dutch as [nl]: still read
    for lang, other in data.items():
        if lang != "en" and isinstance(other, dict) and _LANG.match(lang):
            inline[lang] = _block_text(other, lang)
            if len(inline[lang].steps) != len(english.steps):
                raise _Invalid(
                    f"{lang}.steps",
                    _("must have as many steps as {field}").format(field="en.steps"),
                )
    kind = _choices(data.get("kind"), "kind", KINDS, single=True)
    hold_s = _count(data, "hold_s", 120)
    usual = _GROWS_BY_KIND[kind]
    if usual == "reps" and not reps or usual == "hold" and not hold_s:
        usual = "none"
    grows = _choices(data.get("grows", usual), "grows", GROWS, single=True)
    if grows == "reps" and not reps or grows == "hold" and not hold_s:
        raise _Invalid("grows", _("'{grows}' needs a starting value").format(grows=grows))
    max_reps = _count(data, "max_reps", 100, reps + 4 if grows == "reps" else reps)
    max_hold_s = _count(data, "max_hold_s", 120, hold_s + 15 if grows == "hold" else hold_s)
    if max_reps < reps or max_hold_s < hold_s:
        raise _Invalid(
            "max_reps" if max_reps < reps else "max_hold_s",
            _("the ceiling is below the starting dose"),
        )
    return Exercise(
        id=ex_id,
        movement=_choices(data.get("movement"), "movement", MOVEMENTS, single=True),
        position=_choices(data.get("position"), "position", POSITIONS, single=True),
        kind=kind,
        targets=_choices(data.get("targets"), "targets", TARGETS),
        focus=_choices(data.get("focus"), "focus", FOCUSES),
        tiers=_choices(data.get("tiers"), "tiers", TIERS),
        sources=tuple(s.strip() for s in sources),
        illustration=tuple(picture_paths),
        duration_s=duration_s,
        reps=reps,
        hold_s=hold_s,
        per_side=per_side,
        english=english,
        locale_dir=locale_dir or path.parent / "locale",
        inline=inline,
        grows=grows,
        max_reps=max_reps,
        max_hold_s=max_hold_s,
        rep_s=_count(data, "rep_s", 20, _REP_S_BY_KIND[kind]),
        avoid=_choices(data["avoid"], "avoid", AVOID) if data.get("avoid") else (),
        suits=_choices(data["suits"], "suits", SUITS) if data.get("suits") else (),
    )


# What practice adds to, and the seconds one rep takes besides its hold, when a file
# does not say (employer packs written before the dose plan).
_GROWS_BY_KIND = {
    "mobility": "none",
    "glute": "reps",
    "stretch": "hold",
    "core": "reps",
    "walk": "none",
    "breathing": "none",
    "posture": "none",
}
_REP_S_BY_KIND = {
    "mobility": 4,
    "glute": 3,
    "stretch": 1,
    "core": 3,
    "walk": 0,
    "breathing": 0,
    "posture": 0,
}


def load_folder(
    folder: Path, pictures: Path | None = None, locale_dir: Path | None = None
) -> tuple[list[Exercise], list[PackProblem]]:
    """Every valid exercise in `folder`, and a problem for each file left out.

    Pictures are beside the files and translations in `locale/` unless given.
    """
    pictures = pictures or folder
    locale_dir = locale_dir or folder / "locale"
    exercises: list[Exercise] = []
    problems: list[PackProblem] = []
    if not folder.is_dir():
        return [], [PackProblem(folder, None, _("is not a folder"))]
    try:
        files = sorted(folder.glob("*.toml"))
    except OSError as exc:
        return [], [
            PackProblem(folder, None, _("cannot be read ({reason})").format(reason=exc.strerror))
        ]
    for path in files:
        try:
            text = bounded.read_bytes(path, bounded.Cap.EXERCISE).decode("utf-8")
            exercises.append(parse_exercise(bounded.loads_toml(text), path, pictures, locale_dir))
        except _Invalid as exc:
            problems.append(PackProblem(path, exc.field, exc.message))
        except bounded.BoundsError as exc:
            problems.append(PackProblem(path, None, str(exc)))
        except OSError as exc:
            problems.append(
                PackProblem(
                    path, None, _("cannot be read ({reason})").format(reason=exc.strerror or exc)
                )
            )
        except UnicodeDecodeError:
            problems.append(
                PackProblem(path, None, _("is not UTF-8 text (a binary or damaged file?)"))
            )
        except tomllib.TOMLDecodeError as exc:
            problems.append(
                PackProblem(path, None, _("is not valid TOML ({reason})").format(reason=exc))
            )
    if locale_dir != i18n.LOCALE_DIR:  # a pack's catalogs: a broken one is said at load
        for mo in content.catalog_files(locale_dir):
            try:
                content.read_catalog(mo)
            except content.CatalogError as exc:
                problems.append(PackProblem(mo, None, _unreadable(exc)))
    for p in problems:
        log.info("exercise file left out: %s", p)  # callers show it to the user
    return exercises, problems


def _unreadable(exc: content.CatalogError) -> str:
    return _("cannot be read ({reason}); its exercises show in English").format(reason=exc.reason)


def translation_problems(exercises: Iterable[Exercise], locale_dir: Path) -> list[PackProblem]:
    """What is wrong with a pack's translations, checked against its exercises' English:
    unreadable or uncompiled catalogs, entries for texts that do not exist (or an older
    English text), changed placeholders, and exercises not completely translated."""
    problems: list[PackProblem] = []
    wanted = {ctx: (e, text) for e in exercises for ctx, text in e.english.messages(e.id)}
    spoken = set(i18n.languages())
    for po in content.catalog_files(locale_dir, ".po"):
        mo = po.with_suffix(".mo")
        if not mo.is_file():  # (file times say nothing: a git checkout sets them all)
            problems.append(PackProblem(po, None, _("is not compiled: {how}").format(how=_how(po))))
    for mo in content.catalog_files(locale_dir):
        lang = mo.parent.parent.name
        if lang not in spoken:
            problems.append(
                PackProblem(
                    mo,
                    None,
                    _("Coach has no '{language}' user interface (it speaks {languages})").format(
                        language=lang, languages=", ".join(sorted(spoken))
                    ),
                )
            )
        try:
            entries = content.read_catalog(mo)
        except content.CatalogError as exc:
            problems.append(PackProblem(mo, None, _unreadable(exc)))
            continue
        done: set[str] = set()
        for key, translated in entries.items():
            ctx, sep, english = key.partition("\x04")
            if not sep:
                problems.append(
                    PackProblem(mo, key[:60], _("has no context (exercise id and field)"))
                )
            elif ctx not in wanted:
                problems.append(PackProblem(mo, ctx, _("names no text of an exercise here")))
            elif english != wanted[ctx][1]:
                problems.append(
                    PackProblem(mo, ctx, _("translates an older English text; update it"))
                )
            elif content.placeholders(english) != content.placeholders(translated):
                problems.append(
                    PackProblem(
                        mo,
                        ctx,
                        _("keeps other placeholders than the English ({placeholders})").format(
                            placeholders=" ".join(sorted(content.placeholders(english))) or "-"
                        ),
                    )
                )
            else:
                done.add(ctx)
        by_exercise: dict[str, list[str]] = {}
        for ctx, (exercise, _english) in wanted.items():
            if ctx not in done:
                by_exercise.setdefault(exercise.id, []).append(ctx.split("|", 1)[1])
        for ex_id, fields_ in by_exercise.items():
            problems.append(
                PackProblem(
                    mo,
                    ex_id,
                    ngettext(
                        "{n} text not translated ({fields}): shown in English",
                        "{n} texts not translated ({fields}): shown in English",
                        len(fields_),
                    ).format(n=len(fields_), fields=", ".join(fields_)),
                )
            )
    return problems


def _how(po: Path) -> str:
    return f"msgfmt -o {po.with_suffix('.mo')} {po}"


def load_library(pack: Path | None = None) -> tuple[list[Exercise], list[PackProblem]]:
    """The shipped library plus an optional pack; a pack id overrides a shipped one."""
    exercises, problems = load_folder(LIBRARY_DIR, PICTURES_DIR, i18n.LOCALE_DIR)
    if pack is not None:
        extra, pack_problems = load_folder(pack)
        problems += pack_problems
        by_id = {e.id: e for e in exercises} | {e.id: e for e in extra}
        exercises = list(by_id.values())
    return exercises, problems


def kinds(exercises: Iterable[Exercise]) -> dict[str, str]:
    """Exercise id -> kind (mobility, glute, ...), for the statistics' `done_by_kind`."""
    return {e.id: e.kind for e in exercises}
