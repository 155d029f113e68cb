""" "It hurts" shows the documents' advice at once, with a way to the full safety
screen; six weeks of complaints show the physiotherapist advice. Screenshots of both
and of the safety screen, en and nl (artifacts/: look at them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from coach import i18n
from coach.core.events import Answer
from coach.exercises import safety
from coach.ui.app import CoachApp
from coach.ui.safety_dialog import AdviceDialog, SafetyDialog, pain_advice, physio_advice

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def _texts(dialog: AdviceDialog) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n\n".join(label.text() for label in dialog.findChildren(QLabel))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_advice_dialogs_in_both_languages(qtbot, lang: str) -> None:  # type: ignore[no-untyped-def]
    texts = safety.load(lang)
    ARTIFACTS.mkdir(exist_ok=True)
    i18n.use(lang)
    try:
        for name, dialog, expected in (
            ("pain-advice", pain_advice(texts, False), [texts.pain_first]),
            ("pain-advice-repeated", pain_advice(texts, True), [texts.pain_repeated]),
            ("physio-advice", physio_advice(texts), [texts.physio_advice]),
        ):
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            shown = _texts(dialog)
            assert all(text in shown for text in expected), name
            assert (texts.pain_repeated in shown) == (name == "pain-advice-repeated")
            buttons = {b.text() for b in dialog.findChildren(QPushButton)}
            assert buttons == (
                {"Close", "Full safety advice"}
                if lang == "en"
                else {"Sluiten", "Volledig veiligheidsadvies"}
            )  # one language
            assert dialog.grab().save(str(ARTIFACTS / f"{name}-{lang}.png"))
            dialog.close()
        screen = SafetyDialog(texts)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        assert screen.grab().save(str(ARTIFACTS / f"safety-{lang}.png"))
    finally:
        i18n.use("en")


def test_the_safety_screen_keeps_document_004(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Any one of swelling, warmth, redness or tenderness; severe or worsening pain;
    hip pain over a few days to the GP; cold for an inflamed or overloaded hip."""
    for lang, words in (
        ("en", ["any one of these", "severe", "keeps getting worse", "a few days", "cold"]),
        ("nl", ["al één van deze", "hevig", "steeds erger", "een paar dagen", "koud"]),
    ):
        texts = safety.load(lang)
        everything = " ".join(texts.gp + texts.physio + texts.self_care)
        assert all(word in everything for word in words), lang
        assert "red, swollen and warm" not in everything


def test_it_hurts_shows_the_advice_at_once_and_links_to_the_safety_screen(
    make_app: Callable[..., CoachApp],
) -> None:
    app = make_app()
    app.take_break_now()
    break_id = app.status().break_id
    assert break_id is not None
    app.answer(break_id, Answer.HURT)
    advice = app._dialog
    assert isinstance(advice, AdviceDialog) and advice.isVisible()
    assert app.safety.pain_first in _texts(advice)
    advice.more.emit()
    assert isinstance(app._dialog, SafetyDialog)
