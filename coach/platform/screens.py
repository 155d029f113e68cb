"""Busy while a new, unknown screen is connected (a projector, a meeting-room display).

Linux lists connected screens under /sys/class/drm (`card0-HDMI-A-1/status` reads
"connected", `edid` holds the screen's identity), whatever the desktop. A screen is
known once Coach has seen it as the user's own: every screen connected the first
time Coach looks (there is no list yet), and any screen the user marks as usual
(`coach doctor --usual-screens`). An unknown screen is busy until it is
disconnected; connected again later, it is unknown again.

The list of known screens is a small JSON file in Coach's data folder; a broken
file is reported (`coach doctor`), kept as it is, and no screen counts as new.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from coach.atomic import write_private
from coach.i18n import _
from coach.platform.base import OnceLog, Unavailable, guarded

log = logging.getLogger(__name__)

DRM = "/sys/class/drm"
KNOWN_FILE = "screens.json"  # in Coach's data folder
EDID_NAME_TAG = 0xFC  # EDID display descriptor: monitor name


@dataclass(frozen=True)
class Screen:
    """A connected screen: `key` identifies it (from its EDID), `label` is for people."""

    key: str
    label: str


def _edid_name(edid: bytes) -> str:
    for offset in (54, 72, 90, 108):
        block = edid[offset : offset + 18]
        if len(block) == 18 and block[:3] == b"\0\0\0" and block[3] == EDID_NAME_TAG:
            return block[5:].split(b"\n", 1)[0].decode("ascii", "replace").strip()
    return ""


def connected(drm: str = DRM) -> list[Screen]:
    """The screens connected now, by connector (card0-HDMI-A-1), with their identity."""
    screens = []
    for status in sorted(glob.glob(os.path.join(drm, "card*-*", "status"))):
        folder = os.path.dirname(status)
        try:
            with open(status, encoding="ascii", errors="replace") as f:
                if f.read().strip() != "connected":
                    continue
            with open(os.path.join(folder, "edid"), "rb") as f:
                edid = f.read()
        except OSError:
            continue
        connector = os.path.basename(folder).split("-", 1)[1]
        key = hashlib.sha256(edid).hexdigest()[:16] if edid else f"connector:{connector}"
        name = _edid_name(edid)
        screens.append(Screen(key, f"{name} ({connector})" if name else connector))
    return screens


class KnownScreens:
    """The JSON file of the user's own screens: {"screens": {key: label}}."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None

    def load(self) -> dict[str, str] | None:
        """The known screens, or None when there is no list yet."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            screens = data["screens"]
            if not isinstance(screens, dict):
                raise TypeError("screens is not an object")
            self.problem = None
            return {str(k): str(v) for k, v in screens.items()}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:
            if self.problem is None:
                log.warning("cannot read %s: %s", self.path, e)
            self.problem = _("{file} cannot be read ({error}); no screen counts as new").format(
                file=self.path, error=e
            )
            return {}

    def add(self, screens: list[Screen]) -> None:
        """Remember these screens as the user's own (keeps the ones there already)."""
        known = self.load() or {}
        if self.problem is not None:
            return  # never overwrite a file we could not read
        known.update({s.key: s.label for s in screens})
        write_private(self.path, (json.dumps({"screens": known}, indent=2) + "\n").encode())


class NewScreen:
    """Busy while a screen that is not one of the user's own is connected."""

    name = "new-screen"
    kind = "busy"
    interval_s = 10.0

    def __init__(self, known: KnownScreens, drm: str = DRM) -> None:
        self.known = known
        self.drm = drm
        self.unknown: list[Screen] = []
        self._health = OnceLog(log, "new screen detection")

    @property
    def meaning(self) -> str:
        """What this adapter means for the user, translated."""
        return _(
            "While a screen you have not used before is connected (a projector, a "
            "meeting-room display), break popups wait."
        )

    @classmethod
    def probe(cls, known_file: Path | None, drm: str = DRM) -> NewScreen:
        """Works where the kernel lists screens; the first screens seen are the user's."""
        if known_file is None:
            raise Unavailable(_("no data folder to remember your screens in"))
        if not glob.glob(os.path.join(drm, "card*-*", "status")):
            raise Unavailable(_("the kernel lists no screens in {folder}").format(folder=drm))
        known = KnownScreens(known_file)
        if known.load() is None:
            known.add(connected(drm))
        return cls(known, drm)

    @property
    def problem(self) -> str | None:
        """What is wrong right now, or None."""
        return self._health.problem or self.known.problem

    def _read(self) -> bool:
        known = self.known.load() or {}
        if self.known.problem is not None:  # an unreadable list: no screen counts as new
            self.unknown = []
            return False
        self.unknown = [s for s in connected(self.drm) if s.key not in known]
        return bool(self.unknown)

    def active(self) -> bool:
        """True while an unknown screen is connected."""
        return guarded(self._health, self._read, False)

    def close(self) -> None:
        """Nothing to release."""
