"""A real desktop for tests and benchmarks: Xvfb, fluxbox (window manager and tray),
a private D-Bus session bus and dunst (notification daemon), driven with xdotool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

TOOLS = ("Xvfb", "fluxbox", "dunst", "xdotool", "xprop", "dbus-daemon", "import")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def wait_for(check: Callable[[], object], timeout: float, what: str, step: float = 0.1) -> object:
    """Poll `check` until it returns something truthy; bounded, for external processes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


class DesktopSession:
    """Start with `start()`, stop with `stop()`; `env` is for programs run inside it."""

    def __init__(self, workdir: Path, size: str = "1280x800", dpi: int = 96) -> None:
        self.workdir = workdir
        self.size = size
        self.dpi = dpi
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env: dict[str, str] = {}
        self.display = ""
        self._bus_pid: int | None = None

    def _spawn(self, args: list[str], **kw: object) -> subprocess.Popen[bytes]:
        with open(self.workdir / f"{Path(args[0]).name}.log", "ab") as log:
            proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, env=self.env or None, **kw
            )  # type: ignore[call-overload]
        self.procs.append(proc)
        return proc

    def start(self, attempts: int = 3) -> DesktopSession:
        """Start Xvfb, a session bus, fluxbox and dunst. A display that stops answering
        while the window manager starts (seen on a loaded machine) gets a fresh Xvfb."""
        for attempt in range(1, attempts + 1):
            try:
                return self._start()
            except (TimeoutError, RuntimeError):
                self.stop()
                if attempt == attempts:
                    raise
                self.procs, self.env, self.display, self._bus_pid = [], {}, "", None
            except BaseException:
                self.stop()
                raise
        raise AssertionError("attempts must be at least 1")

    def _start(self) -> DesktopSession:
        self.workdir.mkdir(parents=True, exist_ok=True)
        read_fd, write_fd = os.pipe()  # Xvfb writes its display number here when ready
        self._spawn(
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                f"{self.size}x24",
                "-dpi",
                str(self.dpi),
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write_fd,),
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start; see Xvfb.log")
        self.display = f":{number}"
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True,
            text=True,
            check=True,
        )
        address, pid = bus.stdout.split()[:2]
        self._bus_pid = int(pid)
        runtime = self.workdir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),  # a throw-away home: fluxbox writes its config here
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": address,
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "xcb",
        }
        wait_for(self._display_answers, 15, f"Xvfb to answer on {self.display}")
        self._start_window_manager()
        self._spawn(["dunst"])
        return self

    def _display_answers(self) -> bool:
        if self.procs[0].poll() is not None:
            raise RuntimeError(f"Xvfb exited: {self._log_tail('Xvfb')}")
        return (
            subprocess.run(
                ["xprop", "-root", "-len", "0"], env=self.env, capture_output=True
            ).returncode
            == 0
        )

    def _start_window_manager(self, attempts: int = 3) -> None:
        """Start fluxbox; on a loaded machine its first connection can fail, so retry."""
        for _ in range(attempts):
            fluxbox = self._spawn(["fluxbox"])
            deadline = time.monotonic() + 20
            while fluxbox.poll() is None and time.monotonic() < deadline:
                if self._wm_ready():
                    return
                time.sleep(0.1)
            fluxbox.kill()
            fluxbox.wait(timeout=5)
            self.procs.remove(fluxbox)
        raise TimeoutError(f"fluxbox did not start on {self.display}: {self._log_tail('fluxbox')}")

    def _log_tail(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")[-400:].strip()

    def _wm_ready(self) -> bool:
        out = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
            env=self.env,
            capture_output=True,
            text=True,
        )
        return "window id" in out.stdout

    def xdotool(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True)
        if check and out.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout.strip() if out.returncode == 0 else ""

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["import", "-display", self.display, "-window", "root", str(path)],
            env=self.env,
            check=True,
            capture_output=True,
        )
        return path

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._bus_pid is not None:
            try:
                os.kill(self._bus_pid, 15)
            except ProcessLookupError:
                pass
