"""Autostart entries for each OS: XDG .desktop (validated), Windows Run key, macOS agent."""

from __future__ import annotations

import plistlib
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach import cli, i18n
from coach.config import autostart as a
from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    '/home/jo ann/my "venv"/bin/coach',
    "run",
    "--x=$HOME`id`",
    "100%",
    "a\\b",
    "tab\there",
    "/opt/café/coach",
]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


def validate(path: Path) -> str:
    require("desktop-file-validate")
    out = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout + out.stderr


def unquote_exec(value: str) -> list[str]:
    """Read an Exec= value back as the spec says a launcher does."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text, i = "", 0
    while i < len(value):  # 1. string escapes
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in escapes:
            text += escapes[value[i + 1]]
            i += 2
        else:
            text += value[i]
            i += 1
    args, current, quoted, i, started = [], "", False, 0, False
    while i < len(text):  # 2. quoting
        c = text[i]
        if quoted and c == "\\" and i + 1 < len(text):
            current += text[i + 1]
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                args.append(current)
            current, started = "", False
        else:
            current += c
            started = True
        i += 1
    if started:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def xdg(tmp_path: Path) -> a.XdgAutostart:
    return a.XdgAutostart(
        {
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
            "XDG_CONFIG_DIRS": str(tmp_path / "etc"),
        }
    )


def test_linux_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    entry.enable(["/usr/bin/coach", "run"])
    assert entry.file == tmp_path / "cfg" / "autostart" / "coach.desktop"
    validate(entry.file)
    assert "Exec=/usr/bin/coach run" in entry.file.read_text()
    assert stat.S_IMODE(entry.file.stat().st_mode) == 0o600
    assert entry.state() == a.State(True, str(entry.file), "/usr/bin/coach run")


def test_linux_exec_quoting_survives_awkward_paths(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    entry.enable(TRICKY)
    validate(entry.file)
    line = next(x for x in entry.file.read_text().splitlines() if x.startswith("Exec="))
    assert unquote_exec(line.removeprefix("Exec=")) == TRICKY


def test_shipped_desktop_file_is_valid() -> None:
    validate(ROOT / "resources" / "coach.desktop")


def test_linux_disable_removes_only_what_it_should(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    entry.disable()  # nothing there: nothing happens
    assert not entry.file.exists()
    entry.enable(["coach", "run"])
    entry.disable()
    assert not entry.file.exists() and not entry.state().enabled


def test_linux_hides_an_entry_it_installed_for_all_users(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    system = tmp_path / "etc" / "autostart" / "coach.desktop"
    system.parent.mkdir(parents=True)
    system.write_text(a.desktop_entry(["/usr/bin/coach", "run"]))
    state = entry.state()
    assert state.enabled and state.all_users and "all users" in state.describe()
    entry.disable()
    validate(entry.file)
    assert "Hidden=true" in entry.file.read_text() and not entry.state().enabled
    assert system.exists()
    entry.enable(["/usr/bin/coach", "run"])
    assert entry.state().enabled and not entry.state().all_users


def test_linux_keeps_a_hand_written_entry(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    entry.file.parent.mkdir(parents=True)
    mine = "[Desktop Entry]\nType=Application\nName=My coach\nExec=coach --mine\n"
    entry.file.write_text(mine)
    entry.enable(["coach", "run"])
    kept = entry.file.with_name("coach.desktop.user-1")
    assert kept.read_text() == mine and a.OWN_MARK in entry.file.read_text()


class FakeKey:
    def __init__(self, reg: FakeWinreg, hive: str, path: str) -> None:
        self.values = reg.keys.setdefault((hive, path), {})

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    """The part of `winreg` the Run-key backend uses, over a dict."""

    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE = "HKCU", "HKLM"
    KEY_READ, KEY_SET_VALUE, REG_SZ, REG_BINARY = 1, 2, 1, 3

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}

    def CreateKeyEx(self, hive: str, path: str, reserved: int, access: int) -> FakeKey:  # noqa: N802
        return FakeKey(self, hive, path)

    def OpenKey(self, hive: str, path: str, reserved: int, access: int) -> FakeKey:  # noqa: N802
        if (hive, path) not in self.keys:
            raise FileNotFoundError(path)
        return FakeKey(self, hive, path)

    def SetValueEx(
        self,
        key: FakeKey,
        name: str,
        reserved: int,
        kind: int,  # noqa: N802
        value: Any,
    ) -> None:
        key.values[name] = (value, kind)

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[Any, int]:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name]

    def DeleteValue(self, key: FakeKey, name: str) -> None:  # noqa: N802
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]


def test_windows_run_key() -> None:
    reg = FakeWinreg()
    entry = a.RunKey(reg)
    assert not entry.state().enabled
    argv = [r"C:\Users\Jo Ann\AppData\Roaming\Python\Scripts\coach-gui.exe"]
    entry.enable(argv)
    value, kind = reg.keys[("HKCU", a.RUN_KEY)]["Coach"]
    assert kind == reg.REG_SZ
    assert value == '"C:\\Users\\Jo Ann\\AppData\\Roaming\\Python\\Scripts\\coach-gui.exe"'
    assert entry.state().enabled and entry.state().where.startswith("HKCU")
    entry.disable()
    entry.disable()  # twice is fine
    assert not entry.state().enabled


def test_windows_task_manager_switch_and_all_users_entry() -> None:
    reg = FakeWinreg()
    entry = a.RunKey(reg)
    entry.enable(["coach-gui.exe"])
    reg.keys[("HKCU", a.APPROVED_KEY)] = {"Coach": (b"\x03" + bytes(11), reg.REG_BINARY)}
    assert not entry.state().enabled  # switched off in Task Manager
    entry.disable()
    reg.keys[("HKLM", a.RUN_KEY)] = {"Coach": ("coach-gui.exe", reg.REG_SZ)}
    state = entry.state()
    assert state.enabled and state.all_users


def test_macos_launch_agent(tmp_path: Path) -> None:
    entry = a.LaunchAgent(home=tmp_path, system_root=tmp_path / "root")
    argv = ["/Applications/Coach.app/Contents/MacOS/coach", "run"]
    entry.enable(argv)
    data = plistlib.loads(entry.file.read_bytes())
    assert entry.file == tmp_path / "Library" / "LaunchAgents" / f"{a.AGENT_LABEL}.plist"
    assert data == {
        "Label": a.AGENT_LABEL,
        "ProgramArguments": argv,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    assert entry.state().enabled
    entry.disable()
    assert not entry.file.exists() and not entry.state().enabled
    system = tmp_path / "root" / "Library" / "LaunchAgents" / f"{a.AGENT_LABEL}.plist"
    system.parent.mkdir(parents=True)
    system.write_bytes(a.agent_plist(argv))
    assert entry.state().all_users


def test_backend_per_platform(tmp_path: Path) -> None:
    assert isinstance(a.backend("linux", {"HOME": str(tmp_path)}), a.XdgAutostart)
    assert isinstance(a.backend("darwin"), a.LaunchAgent)


def test_launch_command(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    assert a.launch_command(str(python), "linux") == [str(python), "-m", "coach", "run"]
    (tmp_path / "bin" / "coach").touch()
    assert a.launch_command(str(python), "linux") == [str(tmp_path / "bin" / "coach"), "run"]
    (tmp_path / "bin" / "coach-gui.exe").touch()
    assert a.launch_command(str(python), "win32") == [str(tmp_path / "bin" / "coach-gui.exe")]


def test_sync_follows_the_setting_but_never_hides_it_on_a_default(tmp_path: Path) -> None:
    entry = xdg(tmp_path)
    assert a.sync(entry, wanted=True, explicit=False, argv=["coach", "run"])
    assert entry.state().enabled
    assert a.sync(entry, wanted=True, explicit=False) is None  # already on
    assert a.sync(entry, wanted=False, explicit=False) is None  # a default: left alone
    assert entry.state().enabled
    assert a.sync(entry, wanted=False, explicit=True)
    assert not entry.state().enabled


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COACH_POLICY", str(tmp_path / "policy.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.setattr("sys.platform", "linux")
    return tmp_path


def test_cli_enable_status_disable(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["autostart", "enable"]) == 0
    desktop = home / "cfg" / "autostart" / "coach.desktop"
    validate(desktop)
    assert "starts when you log in" in capsys.readouterr().out
    assert "autostart = true" in (home / "home" / "settings.toml").read_text()
    assert cli.main(["autostart", "status"]) == 0
    assert str(desktop) in capsys.readouterr().out
    assert cli.main(["autostart", "disable"]) == 0
    assert not desktop.exists()
    assert "autostart" not in tomllib.loads((home / "home" / "settings.toml").read_text())


def test_cli_cannot_switch_off_what_the_policy_locked(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "policy.toml").write_text("organisation = 'Acme'\n[lock]\nautostart = true\n")
    assert cli.main(["autostart", "disable"]) == 1
    assert "set by Acme" in capsys.readouterr().err
    assert not (home / "home" / "settings.toml").exists()
