"""Switch the language of windows that are already built, without building them again.

Static texts set through `_()` are mapped back to their English original and translated
into the language now in use; texts that are not from the catalog stay as they are.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QWidget

from coach import i18n
from coach.i18n import _

_PAIRS = {  # class -> (getter, setter) pairs of texts to switch
    QAction: (("text", "setText"), ("toolTip", "setToolTip")),
    QMenu: (("title", "setTitle"),),
    QLabel: (("text", "setText"),),
    QAbstractButton: (("text", "setText"),),
    QWidget: (
        ("windowTitle", "setWindowTitle"),
        ("toolTip", "setToolTip"),
        ("accessibleName", "setAccessibleName"),
    ),
}


def retranslate(root: QObject, old_language: str) -> None:
    """Every static text under `root`, from `old_language` into the current one."""
    back = i18n.originals(old_language)
    for obj in [root, *root.findChildren(QObject)]:
        for cls, pairs in _PAIRS.items():
            if not isinstance(obj, cls):
                continue
            for getter, setter in pairs:
                text = getattr(obj, getter)()
                if not text:
                    continue
                source = back.get(text, text if old_language == "en" else None)
                if source is not None and _(source) != text:
                    getattr(obj, setter)(_(source))
