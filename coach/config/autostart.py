"""Start Coach at login: XDG autostart (Linux), the Run key (Windows), a LaunchAgent (macOS).

Each backend manages one per-user entry and also notices one installed for all users
(by IT). `sync` makes the entry follow the `autostart` setting, which an employer
policy can default or lock on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from coach import bounded
from coach.atomic import copy_aside, write_private
from coach.config.desktop_entry import COMMENT, localized
from coach.i18n import _

log = logging.getLogger(__name__)

DESKTOP_FILE = "coach.desktop"
OWN_MARK = "X-Coach-Autostart=true"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
RUN_VALUE = "Coach"
AGENT_LABEL = "io.github.coach"


def _read(path: Path) -> bytes:
    """A login entry, bounded like the settings file; OSError naming it if it is not
    one Coach can read (FileNotFoundError passes through)."""
    try:
        return bounded.read_bytes(path, bounded.Cap.SETTINGS)
    except bounded.BoundsError as exc:
        raise OSError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class State:
    """Whether Coach starts at login, and from which entry."""

    enabled: bool
    where: str  # the entry's file or registry path; "" when there is none
    command: str = ""
    all_users: bool = False  # installed for everyone (by IT), not per user

    def describe(self) -> str:
        if self.enabled and self.all_users:
            return _("Coach starts at login for all users ({where}).").format(where=self.where)
        if self.enabled:
            return _("Coach starts when you log in ({where}).").format(where=self.where)
        return _("Coach does not start at login.")


class Backend(Protocol):
    def enable(self, argv: Sequence[str]) -> None: ...

    def disable(self) -> None: ...

    def state(self) -> State: ...


def launch_command(executable: str = sys.executable, platform: str = sys.platform) -> list[str]:
    """How to start the tray app: the installed launcher next to Python, else `-m coach`."""
    folder = Path(executable).parent
    if platform.startswith("win"):
        for candidate in (folder / "coach-gui.exe", folder / "Scripts" / "coach-gui.exe"):
            if candidate.exists():
                return [str(candidate)]
        pythonw = folder / "pythonw.exe"
        return [str(pythonw if pythonw.exists() else executable), "-m", "coach", "run"]
    launcher = folder / "coach"
    if launcher.exists():
        return [str(launcher), "run"]
    return [executable, "-m", "coach", "run"]


# -- Linux and other XDG desktops --------------------------------------------------
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def exec_value(argv: Sequence[str]) -> str:
    """An Exec= value per the Desktop Entry spec: quoting rules, then string escapes."""
    args = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if not arg or any(c in _RESERVED for c in arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        args.append(arg)
    return "".join(_STRING_ESCAPES.get(c, c) for c in " ".join(args))


def desktop_entry(argv: Sequence[str], hidden: bool = False) -> str:
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Coach",
        *localized("Comment", COMMENT),
        f"Exec={exec_value(argv)}",
        "Terminal=false",
        "Categories=Utility;",
        "X-GNOME-Autostart-enabled=true",
        OWN_MARK,
    ]
    if hidden:
        lines.append("Hidden=true")
    return "\n".join(lines) + "\n"


def _entry_keys(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


class XdgAutostart:
    """`~/.config/autostart/coach.desktop`; Hidden=true there overrides an IT-wide entry."""

    def __init__(self, env: Mapping[str, str] = os.environ) -> None:
        home = Path(env.get("HOME") or Path.home())
        config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        self.file = config / "autostart" / DESKTOP_FILE
        dirs = env.get("XDG_CONFIG_DIRS") or "/etc/xdg"
        self.system = [Path(d) / "autostart" / DESKTOP_FILE for d in dirs.split(":") if d]

    def _system_entry(self) -> Path | None:
        return next((p for p in self.system if p.exists()), None)

    def _set_aside_foreign(self) -> None:
        """A coach.desktop the user wrote by hand is kept, not overwritten."""
        with contextlib.suppress(FileNotFoundError):
            data = _read(self.file)
            if OWN_MARK.encode() not in data:
                copy_aside(self.file, data, tag="user")

    def enable(self, argv: Sequence[str]) -> None:
        self._set_aside_foreign()
        write_private(self.file, desktop_entry(argv).encode("utf-8"))

    def disable(self) -> None:
        self._set_aside_foreign()
        if self._system_entry() is not None:  # hide the all-users entry for this user
            write_private(self.file, desktop_entry(launch_command(), hidden=True).encode())
        else:
            with contextlib.suppress(FileNotFoundError):
                self.file.unlink()

    def state(self) -> State:
        try:
            keys = _entry_keys(_read(self.file).decode("utf-8", errors="replace"))
        except FileNotFoundError:
            system = self._system_entry()
            if system is None:
                return State(False, "")
            keys = _entry_keys(_read(system).decode("utf-8", errors="replace"))
            on = keys.get("Hidden") != "true" and keys.get("X-GNOME-Autostart-enabled") != "false"
            return State(on, str(system), keys.get("Exec", ""), all_users=True)
        on = keys.get("Hidden") != "true" and keys.get("X-GNOME-Autostart-enabled") != "false"
        return State(on, str(self.file), keys.get("Exec", ""))


# -- Windows -------------------------------------------------------------------------
class RunKey:
    """HKCU\\...\\Run value "Coach"; HKLM's Run key is the all-users entry."""

    def __init__(self, winreg: Any = None) -> None:
        if winreg is None:  # pragma: no cover - only on Windows
            import winreg as real

            winreg = real
        self.reg = winreg

    def enable(self, argv: Sequence[str]) -> None:
        with self.reg.CreateKeyEx(
            self.reg.HKEY_CURRENT_USER, RUN_KEY, 0, self.reg.KEY_SET_VALUE
        ) as key:
            self.reg.SetValueEx(
                key, RUN_VALUE, 0, self.reg.REG_SZ, subprocess.list2cmdline(list(argv))
            )

    def disable(self) -> None:
        try:
            with self.reg.OpenKey(
                self.reg.HKEY_CURRENT_USER, RUN_KEY, 0, self.reg.KEY_SET_VALUE
            ) as key:
                self.reg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            pass

    def _read(self, hive: Any, path: str) -> Any:
        try:
            with self.reg.OpenKey(hive, path, 0, self.reg.KEY_READ) as key:
                return self.reg.QueryValueEx(key, RUN_VALUE)[0]
        except FileNotFoundError:
            return None

    def state(self) -> State:
        for hive, name, all_users in (
            (self.reg.HKEY_CURRENT_USER, "HKCU", False),
            (self.reg.HKEY_LOCAL_MACHINE, "HKLM", True),
        ):
            command = self._read(hive, RUN_KEY)
            if command is None:
                continue
            approved = self._read(hive, APPROVED_KEY)  # Task Manager's on/off switch
            on = not (isinstance(approved, bytes) and approved[:1] and approved[0] % 2)
            return State(on, f"{name}\\{RUN_KEY}\\{RUN_VALUE}", str(command), all_users)
        return State(False, "")


# -- macOS ---------------------------------------------------------------------------
def agent_plist(argv: Sequence[str]) -> bytes:
    import plistlib  # macOS only: not loaded (with an XML parser) elsewhere

    return plistlib.dumps(
        {
            "Label": AGENT_LABEL,
            "ProgramArguments": list(argv),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


class LaunchAgent:
    """`~/Library/LaunchAgents/<label>.plist`; `/Library/LaunchAgents` is all users."""

    def __init__(self, home: Path | None = None, system_root: Path = Path("/")) -> None:
        name = f"{AGENT_LABEL}.plist"
        self.file = (home or Path.home()) / "Library" / "LaunchAgents" / name
        self.system = system_root / "Library" / "LaunchAgents" / name

    def enable(self, argv: Sequence[str]) -> None:
        write_private(self.file, agent_plist(argv))

    def disable(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.file.unlink()

    def state(self) -> State:
        import plistlib

        for path, all_users in ((self.file, False), (self.system, True)):
            try:
                data = plistlib.loads(_read(path))
            except (FileNotFoundError, plistlib.InvalidFileException):
                continue
            on = data.get("Label") == AGENT_LABEL and not data.get("Disabled", False)
            return State(
                on, str(path), " ".join(map(str, data.get("ProgramArguments", []))), all_users
            )
        return State(False, "")


def backend(platform: str = sys.platform, env: Mapping[str, str] = os.environ) -> Backend:
    """The autostart mechanism of this OS."""
    if platform.startswith("win"):
        return RunKey()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart(env)


def sync(
    entry: Backend, wanted: bool, explicit: bool, argv: Sequence[str] | None = None
) -> str | None:
    """Make the login entry follow the setting; returns what changed, if anything.

    Switching off only happens when the user (or the policy) asked for it explicitly,
    so an entry IT installed for all users is not hidden just because of a default.
    """
    state = entry.state()
    if wanted and not state.enabled:
        entry.enable(argv or launch_command())
        log.info("autostart enabled")
        return _("Coach will now start when you log in.")
    if not wanted and explicit and state.enabled:
        entry.disable()
        log.info("autostart disabled")
        return _("Coach will no longer start when you log in.")
    return None
