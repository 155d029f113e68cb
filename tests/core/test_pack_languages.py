"""A pack's own languages: catalogs in `PACK/locale/<lang>/LC_MESSAGES/coach-content.mo`,
checked by `coach exercises check`, and never able to break the app."""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest
import tomlkit
from babel.messages.pofile import read_po

from coach import bounded
from coach.cli import main
from coach.exercises import catalog, content
from tests.packs import copy_exercise, translations, write_catalog


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shipped = copy_exercise(pack, "belly-breathing", "office-breathing")
    write_catalog(pack, "nl", translations(shipped, "nl", as_id="office-breathing"))
    return pack


def mo_file(entries: dict[str, str]) -> bytes:
    """A GNU .mo file, written by hand: what a hostile pack may hold."""
    keys = sorted(entries)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(entries[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    table, offset = [], start
    for k in keys:
        table.append((len(k.encode()), offset))
        offset += len(k.encode()) + 1
    values, offset = [], start + len(ids)
    for k in keys:
        values.append((len(entries[k].encode()), offset))
        offset += len(entries[k].encode()) + 1
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    pairs = b"".join(struct.pack("<2I", *p) for p in table + values)
    return head + pairs + ids + strs


def problems(pack: Path) -> list[catalog.PackProblem]:
    exercises, found = catalog.load_folder(pack)
    return found + catalog.translation_problems(exercises, pack / "locale")


def test_a_pack_shows_in_its_own_languages(pack: Path) -> None:
    (exercise,) = catalog.load_folder(pack)[0]
    assert exercise.languages == ("en", "nl")
    assert exercise.text("nl").title == "Rustig buikademen"
    assert exercise.text("en").title == "Calm belly breathing"
    assert problems(pack) == []


def test_check_names_missing_stale_and_changed_texts(pack: Path) -> None:
    shipped = {e.id: e for e in catalog.load_library()[0]}["belly-breathing"]
    entries = translations(shipped, "nl", as_id="office-breathing")
    del entries["office-breathing|steps|4"]  # a step short
    ctx = "office-breathing|why"
    entries[ctx] = ("An older why-line.", entries[ctx][1])
    entries["office-breathing|steps|9"] = ("No such step.", "Geen stap.")
    entries["office-breathing|title"] = ("Calm belly breathing", "Rustig {naam}")
    mo = write_catalog(pack, "nl", entries)
    (exercise,) = catalog.load_folder(pack)[0]
    assert exercise.text("nl") == exercise.english  # all English, never half
    found = {(p.path, p.field): p.message for p in problems(pack)}
    assert "older English" in found[(mo, ctx)]
    assert "no text" in found[(mo, "office-breathing|steps|9")]
    assert "placeholders" in found[(mo, "office-breathing|title")]
    assert found[(mo, "office-breathing")] == (
        "3 texts not translated (title, why, steps|4): shown in English"
    )


def test_a_broken_catalog_is_named_and_the_pack_shows_in_english(pack: Path) -> None:
    mo = pack / "locale" / "nl" / "LC_MESSAGES" / "coach-content.mo"
    mo.write_bytes(b"\x95\x04\x12\xde" + os.urandom(40))
    exercises, found = catalog.load_folder(pack)
    assert [e.text("nl").title for e in exercises] == ["Calm belly breathing"]
    assert [(p.path, p.field) for p in found] == [(mo, None)]
    assert "cannot be read" in str(found[0]) and str(mo) in str(found[0])


def test_uncompiled_and_unknown_languages_are_named(pack: Path) -> None:
    shipped = {e.id: e for e in catalog.load_library()[0]}["belly-breathing"]
    entries = translations(shipped, "nl", as_id="office-breathing")
    po = write_catalog(pack, "nl", entries, compiled=False).with_suffix(".po")
    po.with_suffix(".mo").unlink()
    klingon = write_catalog(pack, "tlh", entries)
    found = {(p.path, p.field): p.message for p in problems(pack)}
    assert "is not compiled: msgfmt -o" in found[(po, None)]
    assert "no 'tlh' user interface" in found[(klingon, None)]


def test_exercises_check_reports_translations(
    pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["exercises", "check", str(pack)]) == 0
    mo = pack / "locale" / "nl" / "LC_MESSAGES" / "coach-content.mo"
    mo.write_bytes(b"not a catalog")
    assert main(["exercises", "check", str(pack)]) == 1
    out = capsys.readouterr().out
    assert out.count(str(mo)) == 1, out  # said once
    assert "its exercises show in English" in out


def test_the_content_template_is_current() -> None:
    """coach-content.pot holds exactly the data files' texts, each with its context and
    a comment saying what it is (else: run `bash scripts/i18n.sh`)."""
    pot = Path(content.__file__).parents[1] / "locale" / "coach-content.pot"
    with pot.open("rb") as f:
        template = [m for m in read_po(f) if m.id]
    wanted = {
        ctx: text for e in catalog.load_library()[0] for ctx, text in e.english.messages(e.id)
    }
    safety_ctx = {m.context: m.id for m in template if m.context.startswith("safety|")}
    assert {m.context: m.id for m in template} == wanted | safety_ctx
    assert len(safety_ctx) > 20 and all(m.auto_comments for m in template)


def test_a_translator_starts_from_the_packs_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`coach exercises template PACK` -> a .po a translator fills -> .mo -> check passes."""
    pack = tmp_path / "pack"
    shipped = copy_exercise(pack, "standing-hip-hinge", "quote-test")
    assert main(["exercises", "template", str(pack)]) == 0
    template = read_po(io.BytesIO(capsys.readouterr().out.encode()))
    english = dict(shipped.english.messages("quote-test"))
    assert {m.context: m.id for m in template if m.id} == english
    assert all(m.auto_comments for m in template if m.id)  # what each string is
    dutch = dict(shipped.text("nl").messages("quote-test"))
    entries = {m.context: (m.id, dutch[m.context]) for m in template if m.id}
    write_catalog(pack, "nl", entries)
    assert main(["exercises", "check", str(pack)]) == 0
    (exercise,) = catalog.load_folder(pack)[0]
    assert exercise.text("nl") == shipped.text("nl")


@pytest.mark.parametrize("kind", ["fifo", "huge", "directory", "plural-forms"])
def test_a_hostile_catalog_is_refused_without_harm(pack: Path, kind: str) -> None:
    mo = pack / "locale" / "nl" / "LC_MESSAGES" / "coach-content.mo"
    mo.unlink()
    if kind == "fifo":  # reading it would block for ever
        os.mkfifo(mo)
    elif kind == "huge":
        with mo.open("wb") as f:
            f.truncate(bounded.Cap.CATALOG + 1)
    elif kind == "directory":
        mo.mkdir()
    else:  # a header whose plural formula gettext would otherwise evaluate
        header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; "
        mo.write_bytes(mo_file({"": header + "plural=__import__('os').getpid();\n"}))
    exercises, found = catalog.load_folder(pack)
    assert [e.text("nl").title for e in exercises] == ["Calm belly breathing"]
    if kind != "directory":  # not a catalog file at all: simply no Dutch
        assert [p.path for p in found] == [mo], found


def test_a_pack_written_before_the_catalogs_keeps_its_dutch(tmp_path: Path) -> None:
    """Its [nl] tables are still read, checked as before (as many steps as [en])."""
    pack = tmp_path / "old"
    shipped = copy_exercise(pack, "seated-cat-cow")
    path = pack / "seated-cat-cow.toml"
    data = tomlkit.parse(path.read_text(encoding="utf-8"))
    dutch = shipped.text("nl")
    data["nl"] = {
        "title": dutch.title,
        "why": dutch.why,
        "steps": list(dutch.steps),
        "cautions": list(dutch.cautions),
    }
    path.write_text(tomlkit.dumps(data), encoding="utf-8")
    (exercise,) = catalog.load_folder(pack)[0]
    assert exercise.languages == ("en", "nl") and exercise.text("nl") == dutch
    data["nl"]["steps"] = list(dutch.steps[:-1])
    path.write_text(tomlkit.dumps(data), encoding="utf-8")
    exercises, found = catalog.load_folder(pack)
    assert exercises == [] and [p.field for p in found] == ["nl.steps"]
