"""One window never mixes two languages: the break window's chrome and its exercise come
from different places (the UI catalog, the content catalogs, a pack's own catalogs, a
live language switch), and must still agree."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QListWidget, QWidget

from coach.exercises.catalog import load_library
from coach.i18n import LOCALE_DIR
from coach.ui.app import CoachApp
from tests.apps import ActiveSampler
from tests.packs import copy_exercise, translations, write_catalog


def dutch_pairs() -> dict[str, str]:
    """English -> Dutch for every entry of both domains where the two differ."""
    pairs: dict[str, str] = {}
    for domain in ("coach", "coach-content"):
        with (LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
            for m in read_po(f):
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strs = m.string if isinstance(m.string, tuple) else (m.string,)
                pairs.update((i, s) for i, s in zip(ids, strs, strict=False) if i and s and i != s)
    return pairs


def shown_texts(window: QWidget) -> list[str]:
    """What the window shows and says: labels, buttons, names for screen readers."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # replaced steps
    texts = [window.windowTitle(), window.accessibleDescription()]
    for w in window.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            texts.append(w.text().replace("&", ""))
        texts.append(w.accessibleName())
    return [t for t in texts if t]


def foreign(texts: list[str], words: set[str]) -> list[str]:
    return [t for t in texts if any(w in t for w in words if len(w) > 12)]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """One exercise with a Dutch catalog of the pack's own, one in English only."""
    pack = tmp_path / "pack"
    shipped = copy_exercise(pack, "belly-breathing", "office-breathing")
    write_catalog(pack, "nl", translations(shipped, "nl", as_id="office-breathing"))
    copy_exercise(pack, "seated-cat-cow", "english-only")
    return pack


def make(make_app: Callable[..., CoachApp], pack: Path, language: str) -> CoachApp:
    settings = {
        "language": language,
        "exercise_pack": str(pack),
        "disabled_exercises": tuple(e.id for e in load_library()[0]),
        "end_of_day_summary": False,
        "weekly_checkin": False,
    }
    return make_app(settings, sampler=ActiveSampler())


def test_a_pack_exercise_without_the_ui_language_is_left_out(
    make_app: Callable[..., CoachApp], pack: Path
) -> None:
    app = make(make_app, pack, "nl")
    assert any("english-only" in n and "Nederlands" in n for n in app.notices)
    pairs = dutch_pairs()
    english, dutch = set(pairs), set(pairs.values())
    titles = set()
    for _ in range(6):
        app.take_break_now()
        window = app.window
        texts = shown_texts(window)
        titles.add(window.title.text())
        assert foreign(texts, english) == [], texts
        assert window.kind_label.text() in dutch
        app.answer(window.break_id, "done")
    assert "Seated cat-cow" not in titles and "Rustig buikademen" in titles


def test_a_language_switch_relabels_the_open_break_entirely(
    make_app: Callable[..., CoachApp], pack: Path
) -> None:
    app = make(make_app, pack, "nl")
    pairs = dutch_pairs()
    app.take_break_now()
    while app.window.title.text() != "Rustig buikademen":  # not the stand-up fallback
        app.answer(app.window.break_id, "done")
        app.take_break_now()
    window = app.window
    assert foreign(shown_texts(window), set(pairs)) == []
    app.apply_settings(dataclasses.replace(app.settings, language="en"))
    texts = shown_texts(window)
    assert window.title.text() == "Calm belly breathing"
    assert foreign(texts, set(pairs.values())) == [], texts  # no Dutch left, dose included
    app.apply_settings(dataclasses.replace(app.settings, language="nl"))
    assert window.title.text() == "Rustig buikademen"
    assert foreign(shown_texts(window), set(pairs)) == []


def test_the_settings_exercise_list_follows_a_language_switch(
    make_app: Callable[..., CoachApp], pack: Path
) -> None:
    app = make(make_app, pack, "nl")
    app.open_settings()
    dialog = app._settings_dialog
    assert dialog is not None

    def offered() -> list[str]:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the old pages
        (items,) = [w for w in dialog.findChildren(QListWidget) if w.objectName() != "groups"]
        return [items.item(i).text() for i in range(items.count())]

    listed = offered()
    assert "Rustig buikademen" in listed and "Seated cat-cow" not in listed  # never offered
    assert len(listed) == len(load_library()[0]) + 1
    dialog.commit("language", "en")
    listed = offered()
    assert "Calm belly breathing" in listed and "Seated cat-cow" in listed
    assert "Rustig buikademen" not in listed
    assert foreign(listed, set(dutch_pairs().values())) == []
