"""The main windows under the pseudo-locale (tests/pseudo_locale.py): every word they
show must come from a catalog, so no text escapes translation. A word left in plain
ASCII names the text that is not translatable yet."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabWidget,
    QWidget,
)

from coach import i18n
from coach.config.settings import Settings
from coach.ui.app import CoachApp
from tests import pseudo_locale
from tests.apps import ActiveSampler

# Words that are not translated: the name, language names, units Qt or the OS write
NOT_WORDS = {"Coach", *i18n.NAMES.values()}
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture
def pseudo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(i18n, "LOCALE_DIR", pseudo_locale.build(tmp_path / "locale"))
    monkeypatch.setenv("LANGUAGE", pseudo_locale.LANG)
    yield
    i18n.use("en")


def qt_words() -> set[str]:
    """Month and day names: QLocale writes them (the statistics window's dates)."""
    locale = QLocale("en_US")
    words = set()
    for fmt in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
        words |= {locale.monthName(m, fmt) for m in range(1, 13)}
        words |= {locale.standaloneMonthName(m, fmt) for m in range(1, 13)}
        words |= {locale.dayName(d, fmt) for d in range(1, 8)}
    words |= {"AM", "PM"}
    return words


def texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a window shows or tells a screen reader."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName() or ''}".strip()
        yield where, w.windowTitle() if w.isWindow() else ""
        yield where, w.toolTip()
        yield where, w.accessibleName()
        yield where, w.accessibleDescription()
        if isinstance(w, (QLabel, QAbstractButton)):
            yield where, w.text()
        if isinstance(w, QLineEdit):
            yield where, w.placeholderText()
        if isinstance(w, QGroupBox):
            yield where, w.title()
        if isinstance(w, QComboBox):
            yield from ((where, w.itemText(i)) for i in range(w.count()))
        if isinstance(w, QListWidget):
            yield from ((where, w.item(i).text()) for i in range(w.count()))
        if isinstance(w, QTabWidget):
            yield from ((where, w.tabText(i)) for i in range(w.count()))
        for action in w.actions():
            yield f"{where} action", action.text()


def untranslated(found: Iterator[tuple[str, str]], allowed: set[str]) -> list[str]:
    """Texts with a plain ASCII word (an accented one came from a catalog)."""
    bad = []
    for where, text in found:
        words = [
            w
            for token in text.split()
            if token not in allowed  # a language's own name, accents and all
            and "/" not in token
            and "\\" not in token  # file paths
            for w in ASCII_WORD.findall(token)
            if w not in allowed
        ]
        if words:
            bad.append(f"{where}: {text!r} ({', '.join(words)})")
    return sorted(set(bad))


@pytest.fixture
def app(pseudo: None, make_app: Callable[..., CoachApp]) -> CoachApp:
    app = make_app({"language": "auto"}, sampler=ActiveSampler())
    assert app.lang == pseudo_locale.LANG
    return app


def test_the_main_windows_have_no_untranslatable_text(app: CoachApp) -> None:
    allowed = NOT_WORDS | qt_words()
    shown: list[str] = []
    app.take_break_now()
    shown += untranslated(texts(app.window), allowed)
    for action in app.tray.menu.actions():
        menu = action.menu()
        for a in [action, *(menu.actions() if menu else [])]:
            shown += untranslated(iter([("tray menu", a.text())]), allowed)
    app.answer(app.window.break_id, "done")
    app.open_settings()
    dialog = app._settings_dialog
    assert dialog is not None
    shown += untranslated(texts(dialog), allowed)
    app.show_stats()
    assert app._stats is not None
    shown += untranslated(texts(app._stats), allowed)
    app.show_safety()
    assert app._dialog is not None
    shown += untranslated(texts(app._dialog), allowed)
    app.show_setup()
    shown += untranslated(texts(app._dialog), allowed)
    assert shown == [], "not from a catalog:\n" + "\n".join(shown)


def test_the_pseudo_locale_shows_up_what_is_not_translated(pseudo: None) -> None:
    """The check itself: catalog text passes, a plain English word does not."""
    from coach.ui.setup_window import SetupWindow

    i18n.use("auto")
    window = SetupWindow(Settings(), lambda key: None)
    assert untranslated(texts(window), NOT_WORDS) == []
    QLabel("Not translated", window)
    assert untranslated(texts(window), NOT_WORDS) == ["QLabel: 'Not translated' (Not, translated)"]
    assert i18n._("Take a break now") == pseudo_locale.pseudo("Take a break now")
    assert len(pseudo_locale.pseudo("Take a break now")) >= 1.4 * len("Take a break now")


def test_every_window_with_history_and_every_dialog_has_no_untranslatable_text(
    pseudo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: object
) -> None:
    """The windows the fit test opens (tests/fakes/window_probe.py): the statistics with
    three months of history, the check-in, the escalation and the pain advice too."""
    from tests.fakes.window_probe import windows

    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    lang = i18n.use("auto")
    assert lang == pseudo_locale.LANG
    allowed = NOT_WORDS | qt_words()
    shown = []
    for name, build in windows(lang, tmp_path / "home"):
        window = build()
        shown += [f"{name}: {text}" for text in untranslated(texts(window), allowed)]
        window.close()
        window.deleteLater()
    assert shown == [], "not from a catalog:\n" + "\n".join(shown)
