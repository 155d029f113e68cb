"""Launching tray apps on the benchmark desktop (Xvfb + fluxbox + dunst, see
tests/desktop_session.py) and telling when their tray icon is shown.

"Tray icon shown" means both: the app logged "tray icon shown in the system tray", and a
window of the app's process that carries `_XEMBED_INFO` (the XEmbed tray icon) is
viewable, i.e. the tray has embedded and mapped it.
"""

from __future__ import annotations

import compileall
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.desktop_session import DesktopSession, wait_for

ROOT = Path(__file__).resolve().parent.parent


def compiled(tree: Path) -> Path:
    """`tree` with its modules byte-compiled, as an installed Coach has them (with
    PYTHONDONTWRITEBYTECODE set, a tree without them compiles every module at every run)."""
    compileall.compile_dir(tree / "coach", quiet=1)
    return tree


COACH = Path(sys.executable).with_name("coach")
MARKER = b"tray icon shown in the system tray"
FLOOR = [sys.executable, "-m", "bench.floor_app"]  # with APScheduler: bench_idle's floor
BARE_FLOOR = [*FLOOR, "--bare"]  # a QApplication and a tray icon: the launch floor


def coach_command() -> list[str]:
    if not COACH.exists():
        raise SystemExit(f"{COACH} is missing: run `.venv/bin/pip install .` first")
    return [str(COACH), "-v", "run"]


def tray_window(session: DesktopSession, pid: int) -> str | None:
    """The app's embedded, viewable tray icon window, if there is one."""
    ids = session.xdotool("search", "--onlyvisible", "--pid", str(pid), check=False).split()
    for window in ids:
        out = subprocess.run(
            ["xprop", "-id", window, "_XEMBED_INFO"],
            env=session.env,
            capture_output=True,
            text=True,
        ).stdout
        if "_XEMBED_INFO(_XEMBED_INFO) = " in out:
            return window
    return None


@dataclass
class Launched:
    proc: subprocess.Popen[bytes]
    log: Path
    to_tray_s: float

    def stop(self) -> None:
        """SIGTERM (a clean quit), SIGKILL after 20 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            print(f"  (did not quit on SIGTERM within 20 s: killed; see {self.log})")


def launch(
    session: DesktopSession,
    command: list[str],
    env: dict[str, str],
    log: Path,
    marker: bytes | None = MARKER,
    cwd: Path = ROOT,
) -> Launched:
    """Start `command` and wait until its tray icon is shown; time it from just before
    the process is created. `marker=None` for other apps (Workrave, Safe Eyes): the
    embedded tray window alone tells."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)

    def shown() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{command[0]} exited with {proc.returncode}; see {log}")
        logged = marker is None or marker in log.read_bytes()
        return logged and tray_window(session, proc.pid) is not None

    try:
        wait_for(shown, 30, "the tray icon", step=0.005)
    except BaseException:
        proc.kill()
        raise
    return Launched(proc, log, time.perf_counter() - start)


def environment(session: DesktopSession, home: Path) -> dict[str, str]:
    """The desktop's environment, with Coach's files under `home` and no policy."""
    return dict(session.env, COACH_HOME=str(home), COACH_POLICY=str(home / "no-policy.toml"))


def start_desktop(workdir: Path) -> DesktopSession:
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LANG", "C.UTF-8")
    return DesktopSession(workdir).start()
