"""Does the desktop ask for less motion, or for high contrast? Read without Qt.

Less motion:

- GNOME (and desktops on its settings): `gsettings get org.gnome.desktop.interface
  enable-animations` is false.
- KDE Plasma: `AnimationDurationFactor=0` in the [KDE] group of ~/.config/kdeglobals.
- Windows: SystemParametersInfo(SPI_GETCLIENTAREAANIMATION) is false ("Show animations
  in Windows" off).
- macOS: `defaults read com.apple.universalaccess reduceMotion` is 1.

High contrast (Qt itself reads Windows', macOS' and the settings portal's preference;
this adds what it cannot see on X11): GNOME's `org.gnome.desktop.a11y.interface
high-contrast`.

Each reader answers True (reduce), False (animate) or None (cannot tell here); the
first that can tell wins. Readers take their commands and files as arguments, so the
Windows and macOS ones are tested with fakes on Linux.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Run = Callable[[Sequence[str]], str | None]  # a command's stdout, or None when it failed
SPI_GETCLIENTAREAANIMATION = 0x1042
TIMEOUT_S = 3
GNOME_HIGH_CONTRAST = ("gsettings", "get", "org.gnome.desktop.a11y.interface", "high-contrast")
_asked: dict[tuple[str, ...], subprocess.Popen[str]] = {}  # started by `ask_early`


def ask_early(args: Sequence[str]) -> None:
    """Start a short read-only command now, for `run_command` to take its answer later:
    `coach run` asks GNOME for high contrast while Python loads Qt, and paints its tray
    icon with the answer (a gsettings run is some 5 ms of the launch otherwise)."""
    if shutil.which(args[0]) is None:
        return
    try:
        _asked[tuple(args)] = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
    except OSError:
        pass


def run_command(args: Sequence[str]) -> str | None:
    """Run a short read-only command (or take the answer of the one `ask_early`
    started); None when it is missing or fails."""
    early = _asked.pop(tuple(args), None)
    if early is not None:
        try:
            out, _err = early.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            early.kill()
            early.wait()
            return None
        return out.strip() if early.returncode == 0 else None
    if shutil.which(args[0]) is None:
        return None
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def gnome(run: Run = run_command) -> bool | None:
    out = run(["gsettings", "get", "org.gnome.desktop.interface", "enable-animations"])
    if out in ("true", "false"):
        return out == "false"
    return None


def kde(env: Mapping[str, str] = os.environ) -> bool | None:
    import configparser  # here, as ctypes below: the tray icon's start-up needs neither

    config = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")) / ".config")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(config.expanduser() / "kdeglobals", encoding="utf-8")
        factor = parser.get("KDE", "AnimationDurationFactor", fallback=None)
        return None if factor is None else float(factor) == 0.0
    except (configparser.Error, ValueError, UnicodeDecodeError) as exc:
        log.info("kdeglobals: %s", exc)
        return None


def windows(user32: Any = None) -> bool | None:
    """`user32`: the real one (loaded here on Windows) or a fake with SystemParametersInfoW."""
    import ctypes

    if user32 is None:
        if sys.platform != "win32":
            return None
        user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined,unused-ignore]  # Windows only
    animate = ctypes.c_int(1)
    if not user32.SystemParametersInfoW(SPI_GETCLIENTAREAANIMATION, 0, ctypes.byref(animate), 0):
        return None
    return not animate.value


def macos(run: Run = run_command, platform: str = sys.platform) -> bool | None:
    if platform != "darwin":
        return None
    out = run(["defaults", "read", "com.apple.universalaccess", "reduceMotion"])
    return None if out not in ("0", "1") else out == "1"


def desktop_reduces_motion(
    readers: Sequence[Callable[[], bool | None]] = (windows, macos, kde, gnome),
) -> bool:
    """The desktop's wish, from the first reader that can tell; False when none can."""
    for reader in readers:
        answer = reader()
        if answer is not None:
            log.info("reduced motion %s (from %s)", answer, getattr(reader, "__name__", reader))
            return answer
    return False


def gnome_high_contrast(run: Run = run_command) -> bool:
    out = run(GNOME_HIGH_CONTRAST)
    return out == "true"
