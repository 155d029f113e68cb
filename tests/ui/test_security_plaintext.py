"""Texts from exercise packs and employer policies are shown as plain text: an HTML or
script payload appears literally in the break window, the tray menu, the settings
dialog and notifications; never as markup, a link or an image.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from datetime import timedelta, timezone
from pathlib import Path

import pytest
import tomlkit
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from coach.config.paths import Paths
from coach.config.preferences import Preferences
from coach.core.sample import Sample
from coach.exercises.catalog import LIBRARY_DIR, PICTURES_DIR, load_library
from coach.notify import DBusNotifier
from coach.platform.dbus_call import BusCaller
from coach.ui.app import CoachApp
from coach.ui.settings_dialog import SettingsDialog
from tests.fakes.platform_procs import FakeService, PrivateBus

CET = timezone(timedelta(hours=1))
NOTIFY = "/org/freedesktop/Notifications|org.freedesktop.Notifications|Notify"
PAYLOAD = '<b>Bold</b><img src="file:///etc/x.png"><a href="https://x.example">go</a>&amp;'
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


class Sampler:
    def sample(self, now: float) -> Sample:
        return Sample(idle_s=0.0)


def pack_with_payload(folder: Path) -> Path:
    """An employer pack whose one exercise has the payload in every text."""
    pack = folder / "pack"
    pack.mkdir()
    data = tomllib.loads((LIBRARY_DIR / "seated-cat-cow.toml").read_text())
    data["id"] = "pack-cat-cow"
    for lang in ("en", "nl"):  # nl: the pack's own [nl] table
        data[lang] = {
            "title": f"T{lang} {PAYLOAD}",
            "why": f"W {PAYLOAD}",
            "steps": [f"S{n} {PAYLOAD}" for n in range(4)],
            "cautions": [f"C {PAYLOAD}"],
        }
    (pack / "pack-cat-cow.toml").write_text(tomlkit.dumps(data))
    for name in data["illustration"]:
        (pack / name).write_bytes((PICTURES_DIR / name).read_bytes())
    return pack


def labels_showing(root: QWidget) -> list[QLabel]:
    return [
        w
        for w in [root, *root.findChildren(QLabel)]
        if isinstance(w, QLabel) and "<b>Bold</b>" in w.text()
    ]


def assert_plain(root: QWidget, at_least: int) -> None:
    shown = labels_showing(root)
    assert len(shown) >= at_least, [w.text() for w in root.findChildren(QLabel)]
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
        assert PAYLOAD in label.text()  # literally, entities and all
    for widget in [root, *root.findChildren(QWidget)]:  # tooltips render rich text
        assert "<b>Bold</b>" not in widget.toolTip(), widget


@pytest.fixture
def app(tmp_path: Path, make_app: Callable[..., CoachApp]) -> CoachApp:
    pack = pack_with_payload(tmp_path)
    others = tuple(e.id for e in load_library()[0])
    settings = {
        "exercise_pack": str(pack),
        "disabled_exercises": others,
        "end_of_day_summary": False,
        "weekly_checkin": False,
    }
    return make_app(settings, sampler=Sampler())


def test_pack_texts_in_the_break_window_and_tray_appear_literally(app: CoachApp) -> None:
    app.take_break_now()
    window = app.window
    assert window.isVisible()
    assert_plain(window, at_least=1 + 1 + 4)  # title, why, the steps
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "security-plaintext-break.png"))

    app.answer(window.break_id, "hurt")  # now it is in the tray's "painful" menu
    offered = [a.text() for a in app.tray.painful_menu.actions()]
    assert any(PAYLOAD in text for text in offered)  # menus show text, never markup


def test_policy_texts_in_the_settings_dialog_appear_literally(
    qtbot: object, tmp_path: Path
) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path / "policy.toml")
    paths.policy_file.write_text(
        f"organisation = {json.dumps(PAYLOAD)}\n[lock]\nmicro_every_min = 25\n"
        "[floor]\nexercise_every_min = 60\n"
    )
    dialog = SettingsDialog(Preferences(paths), {"pack-cat-cow": f"T {PAYLOAD}"})
    try:
        assert_plain(dialog, at_least=2)  # the lock and the floor notes
        ARTIFACTS.mkdir(exist_ok=True)
        dialog.grab().save(str(ARTIFACTS / "security-plaintext-settings.png"))
    finally:
        dialog.close()


def test_notifications_escape_markup_where_the_server_would_render_it() -> None:
    """The notification spec: a server with "body-markup" renders <b>, <a>, <img> in
    the body, so the client must escape; one without shows the text as it is."""
    bus = PrivateBus()
    try:
        for caps, expected in (
            (["body", "body-markup"], "&lt;b&gt;Bold&lt;/b&gt;"),
            (["body"], "<b>Bold</b>"),
        ):
            fake = FakeService(
                bus.address,
                {
                    "names": ["org.freedesktop.Notifications"],
                    "methods": {
                        NOTIFY: {"sig": "u", "value": [1]},
                        NOTIFY.replace("Notify", "GetCapabilities"): {"sig": "as", "value": [caps]},
                    },
                },
            )
            notifier = DBusNotifier(BusCaller.session(bus.env()))
            try:
                notifier.notify(f"Coach {PAYLOAD}", f"set by {PAYLOAD}")
                (args,) = [a for member, a in fake.calls() if member == "Notify"]
                assert expected in args[4]
            finally:
                notifier.close()
                fake.stop()
    finally:
        bus.stop()
