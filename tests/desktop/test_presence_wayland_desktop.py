"""The installed app on a Wayland idle source, with its tray on a real X desktop: the
compositor is the mini compositor (ext-idle-notify version 2), the tray and tooltip are
drawn by Qt under Xvfb with fluxbox. Checks what `coach doctor` and the tray tooltip say
where Coach cannot see fullscreen windows, and saves the tooltip (en, nl; 1x, 2x)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.core.clock import FakeClock
from tests.desktop.test_desktop import COACH, _require_tools
from tests.desktop.test_presence_wayland_v2 import Mini
from tests.desktop_session import DesktopSession, wait_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TRAY_ICON = ("1268", "789")  # fluxbox's tray, bottom right of the 1280x800 screen


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[DesktopSession]:
    _require_tools()
    session = DesktopSession(tmp_path / "desktop").start()
    yield session
    session.stop()


@pytest.fixture
def mini(tmp_path: Path) -> Iterator[Mini]:
    m = Mini(tmp_path / "wayland-0", FakeClock())
    yield m
    m.stop()


@pytest.mark.parametrize(("language", "scale"), [("en", 1), ("nl", 1), ("nl", 2)])
def test_doctor_and_tooltip_on_wayland(
    desktop: DesktopSession, mini: Mini, tmp_path: Path, language: str, scale: int
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(f'language = "{language}"\n')
    env = {
        **desktop.env,
        "COACH_HOME": str(home),
        "WAYLAND_DISPLAY": str(mini.socket),
        "XDG_SESSION_TYPE": "wayland",
        "LANGUAGE": language,
        "QT_SCALE_FACTOR": str(scale),
    }
    doctor = subprocess.run(
        [str(COACH), "doctor"], env=env, capture_output=True, text=True, timeout=60
    ).stdout
    assert "wayland-ext-idle-notify" in doctor
    assert "ext_idle_notifier_v1" in doctor and ("version 2" in doctor or "versie 2" in doctor)
    assert "wayland-idle-inhibited" in doctor
    log = home / "stdout.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(COACH), "-v", "run"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: b"tray icon shown" in log.read_bytes(), 20, "the tray icon")
        # the platform is detected once the icon is shown (start-up puts the icon first)
        wait_for(
            lambda: b"using wayland-ext-idle-notify" in log.read_bytes(), 20, "the idle source"
        )
        desktop.xdotool("mousemove", *TRAY_ICON)
        time.sleep(2.5)  # the tooltip shows after the pointer rests on the icon
        desktop.screenshot(ARTIFACTS / f"presence-wayland-tooltip-{language}-{scale}x.png")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
