"""An optional soft chime, played with the desktop's own sound tools (Qt Essentials
ships no audio module): canberra-gtk-play with the sound theme, else paplay with the
freedesktop sound file. Silent, and logged once, when neither is there.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QProcess

log = logging.getLogger(__name__)

SOUNDS = {
    "start": ("message-new-instant", "message-new-instant.oga"),
    "end": ("complete", "complete.oga"),
}
FREEDESKTOP = Path("/usr/share/sounds/freedesktop/stereo")


def command(which: str) -> list[str] | None:
    """The command that plays the `start` or `end` chime here, or None."""
    theme_name, file_name = SOUNDS[which]
    if shutil.which("canberra-gtk-play"):
        return ["canberra-gtk-play", "-i", theme_name, "-d", "Coach"]
    if shutil.which("paplay") and (FREEDESKTOP / file_name).exists():
        return ["paplay", str(FREEDESKTOP / file_name)]
    return None


class Chime:
    def __init__(self) -> None:
        self._warned = False

    def play(self, which: str) -> bool:
        cmd = command(which)
        if cmd is None:
            if not self._warned:
                log.info("no sound player (canberra-gtk-play or paplay): chime is silent")
                self._warned = True
            return False
        return bool(QProcess.startDetached(cmd[0], cmd[1:]))
