"""Every string the user sees is translated into every shipped language (both gettext
domains: `coach` for the UI, `coach-content` for exercise and safety texts), with the
same placeholders and every plural form, and the compiled catalogs are current.

When this fails after you added or changed a visible string: run `bash scripts/i18n.sh`,
translate the new or fuzzy entries in coach/locale/<lang>/LC_MESSAGES/<domain>.po, run
it again (docs/translating.md).
"""

from __future__ import annotations

import ast
import dataclasses
import gettext
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from coach import i18n
from coach.exercises import catalog as exercise_catalog
from coach.exercises import content, safety

ROOT = Path(__file__).resolve().parents[2]
COACH = ROOT / "coach"
HOW = "run `bash scripts/i18n.sh` and translate the new entries (docs/translating.md)"
PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?(?::[^}]*)?\}")
SHIPPED = [lang for lang in i18n.languages() if lang != "en"]
DOMAINS = ("coach", content.DOMAIN)
TEXT_CALLS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "addAction",
    "addMenu",
    "setPlaceholderText",
    "setAccessibleName",
    "showMessage",
    "notify",
    "setTitle",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QAction",
    "QMenu",
    "information",
    "warning",
    "critical",
    "question",
    "QGroupBox",
    "QRadioButton",
    "addItem",
    "addTab",
    "setStatusTip",
    "setWhatsThis",
    "QListWidgetItem",
    "_plain",
}
ALL_ARGS = {"showMessage", "notify", "information", "warning", "critical", "question"}
NOT_WORDS = {"Coach", "English", "Nederlands", "JSON (*.json)"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    yield
    i18n.use("en")


def python_files() -> list[Path]:
    return sorted(p for p in COACH.rglob("*.py") if "__pycache__" not in p.parts)


Key = tuple[str | None, str]  # (context, English)


def marked_strings() -> dict[Key, str]:
    """Every literal passed to _(), N_() or ngettext() in coach/, with where it is."""
    found: dict[Key, str] = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.id
                if isinstance(node.func, ast.Name)
                else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
            )
            if name not in ("_", "N_", "ngettext"):
                continue
            arg = node.args[0] if node.args else None  # ngettext: the singular is the key
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault((None, arg.value), f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def content_strings() -> dict[Key, str]:
    """Every exercise and safety text of the data files, by context."""
    found: dict[Key, str] = {}
    for e in exercise_catalog.load_library()[0]:
        for ctx, text in e.english.messages(e.id):
            found[(ctx, text)] = f"coach/exercises/library/{e.id}.toml"
    english = dataclasses.asdict(safety.load("en"))
    del english["sources"]
    for ctx, text in content.block_messages(content.SAFETY, english):
        found[(ctx, text)] = "coach/exercises/safety.toml"
    return found


def wanted(domain: str) -> dict[Key, str]:
    return marked_strings() if domain == "coach" else content_strings()


def po_file(lang: str, domain: str) -> Path:
    return COACH / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


@cache
def read_catalog(lang: str, domain: str) -> Catalog:
    with po_file(lang, domain).open("rb") as f:
        return read_po(f)


def entries(lang: str, domain: str) -> dict[Key, Message]:
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): m
        for m in read_catalog(lang, domain)
        if m.id
    }


def forms(m: Message) -> tuple[str, ...]:
    return m.string if isinstance(m.string, tuple) else (m.string,)


both = pytest.mark.parametrize("domain", DOMAINS)
every_language = pytest.mark.parametrize("lang", SHIPPED)


def test_the_shipped_languages_have_both_catalogs() -> None:
    assert "nl" in SHIPPED
    for lang in SHIPPED:
        for domain in DOMAINS:
            assert po_file(lang, domain).is_file(), f"run `bash scripts/i18n.sh {lang}`"


@every_language
@both
def test_every_string_is_translated(lang: str, domain: str) -> None:
    found = entries(lang, domain)
    plurals = read_catalog(lang, domain).num_plurals
    assert plurals == get_plural(lang).num_plurals, f"{po_file(lang, domain)}: Plural-Forms"
    missing = []
    for (ctx, text), where in wanted(domain).items():
        m = found.get((ctx, text))
        name = f"{where}: {ctx + ' ' if ctx else ''}{text!r}"
        if m is None or m.fuzzy or not all(forms(m)):
            missing.append(name)
        elif m.pluralizable and len(forms(m)) != plurals:
            missing.append(f"{name}: {len(forms(m))} plural forms of {plurals}")
    assert missing == [], f"not in {po_file(lang, domain)} yet ({HOW}):\n" + "\n".join(missing)


@every_language
@both
def test_translations_keep_placeholders_and_shortcuts(lang: str, domain: str) -> None:
    wrong = []
    for m in entries(lang, domain).values():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        want = set(PLACEHOLDER.findall(ids[-1]))  # the plural has them all
        strs = [s for s in forms(m) if s]
        for i, s in enumerate(strs):
            got = set(PLACEHOLDER.findall(s))
            # a singular form may leave out the number ("une seconde"), the others may not
            if (got != want and not (m.pluralizable and i < len(strs) - 1 and got < want)) or (
                "&" in ids[0].replace("&&", "")
            ) != ("&" in s.replace("&&", "")):
                wrong.append(f"{ids[0]!r} -> {s!r}")
    assert wrong == [], po_file(lang, domain)


@every_language
@both
def test_compiled_catalogs_are_up_to_date(lang: str, domain: str) -> None:
    po = po_file(lang, domain)
    with po.with_suffix(".mo").open("rb") as f:
        compiled = getattr(gettext.GNUTranslations(f), "_catalog", {})
    stale = []
    for m in entries(lang, domain).values():
        if m.fuzzy or not all(forms(m)):
            continue
        key = f"{m.context}\x04{m.id if isinstance(m.id, str) else m.id[0]}" if m.context else None
        if isinstance(m.id, tuple):
            key = key or m.id[0]
            got = tuple(compiled.get((key, i)) for i in range(len(forms(m))))
        else:
            got = (compiled.get(key or m.id),)
        if got != forms(m):
            stale.append(m.id)
    assert stale == [], f"{po.with_suffix('.mo').name} is older than {po}: {HOW}"


def _text_literal(node: ast.AST) -> str | None:
    """Human words written straight into a call, not through _()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    else:
        return None
    text = text.strip()
    if text in NOT_WORDS or not re.search(r"[A-Za-z]{2,}", text.removeprefix("coach:")):
        return None
    return text


def test_ui_texts_go_through_gettext() -> None:
    offenders = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.id
                if isinstance(node.func, ast.Name)
                else (node.func.attr if isinstance(node.func, ast.Attribute) else "")
            )
            is_print = name == "print" and "cli" in path.parts
            if name not in TEXT_CALLS and not is_print:
                continue
            if "ui" not in path.parts and not is_print and name not in ("notify",):
                continue
            receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in ("log", "logger", "logging"):
                continue
            for arg in node.args if name in ALL_ARGS or is_print else node.args[:1]:
                text = _text_literal(arg)
                if text is not None:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert offenders == [], "wrap these in _():\n" + "\n".join(offenders)


def test_switching_language_translates() -> None:
    assert i18n.use("nl") == "nl"
    assert i18n._("Take a break now") != "Take a break now"
    assert i18n.use("en") == "en"
    assert i18n._("Take a break now") == "Take a break now"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "de_AT.UTF-8"}, "de"),
        ({"LANG": "fr_CH"}, "fr"),
        ({"LANGUAGE": "es:fr_BE:nl", "LANG": "nl_NL.UTF-8"}, "fr"),  # first supported entry
        ({"LANGUAGE": "es:it", "LANG": "nl_NL.UTF-8"}, "en"),  # LANGUAGE set: it decides
        ({"LANGUAGE": "", "LC_ALL": "de_DE.UTF-8", "LANG": "nl_NL"}, "de"),  # empty: unset
        ({"LC_ALL": "C", "LANG": "nl_NL"}, "en"),
        ({"LC_MESSAGES": "POSIX", "LANG": "nl_NL"}, "en"),
        ({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "de_DE.UTF-8"}, "nl"),
        ({"LANG": "sr_RS@latin"}, "en"),  # a language Coach does not speak
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_auto_follows_the_system(env: dict[str, str], expected: str) -> None:
    assert i18n.system_language(env, supported=("en", "nl", "de", "fr")) == expected


def test_auto_resolves_only_to_a_shipped_language(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANGUAGE", "tlh:nl")
    assert i18n.resolve("auto") == "nl"
    monkeypatch.setenv("LANGUAGE", "tlh")
    assert i18n.resolve("auto") == "en"
    assert i18n.resolve("nl") == "nl"


def test_shipped_languages_are_the_catalogs_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for lang in ("nl", "xx"):
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / lang / "LC_MESSAGES" / "coach.mo").write_bytes(b"")
    (tmp_path / "yy" / "LC_MESSAGES").mkdir(parents=True)  # no compiled catalog
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.languages() == ("en", "nl", "xx")
    assert i18n.name("nl") == "Nederlands" and i18n.name("xx") == "xx"


def test_settings_and_cli_offer_every_shipped_language() -> None:
    from coach.cli import build_parser
    from coach.config.settings import Settings

    meta = {f.name: f.metadata for f in dataclasses.fields(Settings)}["language"]
    assert meta["choices"] == ("auto", *i18n.languages())
    assert meta["labels"][1:] == tuple(i18n.name(lang) for lang in i18n.languages())
    with pytest.raises(SystemExit):
        build_parser().parse_args(["exercises", "--lang", "tlh"])
    for lang in i18n.languages():
        assert build_parser().parse_args(["exercises", "--lang", lang]).lang == lang


def test_every_exercise_and_the_safety_advice_are_complete_in_every_shipped_language() -> None:
    exercises, problems = exercise_catalog.load_library()
    assert problems == []
    shipped = i18n.languages()
    assert "nl" in shipped
    missing = [f"{e.id}: {lang}" for e in exercises for lang in shipped if lang not in e.languages]
    assert missing == [], f"untranslated exercises ({HOW}, domain coach-content):\n" + "\n".join(
        missing
    )
    for lang in shipped:
        assert (safety.load(lang) == safety.load("en")) == (lang == "en"), lang


def test_content_texts_come_from_the_catalog_with_their_context(tmp_path: Path) -> None:
    """A translation is looked up by context and English: a changed English text shows
    in English (all of it) until it is translated again, never half-translated."""
    ex = {e.id: e for e in exercise_catalog.load_library()[0]}["belly-breathing"]
    nl = ex.text("nl")
    assert nl.title == "Rustig buikademen" and len(nl.steps) == len(ex.english.steps)
    changed = dataclasses.replace(
        ex, english=dataclasses.replace(ex.english, steps=(*ex.english.steps[:-1], "Changed."))
    )
    assert changed.text("nl") == changed.english
    assert changed.languages == ("en",)
