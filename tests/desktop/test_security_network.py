"""Coach opens no network connection, ever.

The installed `coach run` goes through a working session on a real X desktop (tray,
notifications, a break shown and answered, a second instance asking for the status,
the CLI commands) under two guards:
- strace follows every process and thread and logs each connect, bind, sendto and
  sendmsg; any IPv4 or IPv6 address fails the test (local Unix sockets are fine: X11,
  D-Bus, the single-instance socket);
- a Python audit hook (sitecustomize) fails any socket call, name lookup or URL opening
  that is not a Unix socket, at the line that made it.
Afterwards every file Coach wrote is readable by the user only.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop_session import DesktopSession, missing_tools, wait_for
from tests.tools import tool_missing

pytestmark = pytest.mark.desktop
COACH = Path(sys.executable).with_name("coach")
WINDOW_TITLE = "Coach: time to move"

GUARD = """
import os, socket, sys

_LOG = os.environ["COACH_NET_GUARD_LOG"]
_LOCAL = {getattr(socket, "AF_UNIX", None), getattr(socket, "AF_NETLINK", None)}
_EVENTS = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"}
_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
            "socket.gethostbyaddr", "urllib.Request", "http.client.connect"}


def _guard(event, args):
    if event in _EVENTS and args and getattr(args[0], "family", None) in _LOCAL:
        return
    if event in _EVENTS or event in _LOOKUPS:
        import traceback
        with open(_LOG, "a") as out:
            out.write(f"{event} {args!r}\\n" + "".join(traceback.format_stack()) + "\\n")
        raise RuntimeError(f"network access is not allowed: {event} {args!r}")


sys.addaudithook(_guard)
"""

NETWORK = re.compile(r"sa_family=AF_INET6?\b")


@pytest.fixture
def desktop(tmp_path: Path) -> DesktopSession:
    missing = missing_tools()
    if shutil.which("strace") is None:
        missing.append("strace")
    if missing:
        tool_missing(f"tools missing: {', '.join(missing)}")
    session = DesktopSession(tmp_path / "desktop").start()
    yield session  # type: ignore[misc]
    session.stop()


def test_coach_opens_no_network_connection(desktop: DesktopSession, tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "settings.toml").write_text(
        "micro_every_min = 0.25\nexercise_every_min = 30\n"
        "idle_after_s = 30\nmicro_duration_s = 20\n"
    )
    os.chmod(home / "settings.toml", 0o600)
    trace, violations = tmp_path / "strace.log", tmp_path / "guard.log"
    env = dict(
        desktop.env,
        COACH_HOME=str(home),
        COACH_POLICY=str(tmp_path / "none.toml"),
        PYTHONPATH=str(guard),
        COACH_NET_GUARD_LOG=str(violations),
    )

    def traced(*args: str) -> list[str]:
        return [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=connect,bind,sendto,sendmsg",
            "-e",
            "signal=none",
            "-o",
            f"{trace}.{len(list(tmp_path.glob('strace*')))}",
            str(COACH),
            *args,
        ]

    # the guard itself works: a lookup from Python under it fails and is logged
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('example.org', 443)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert "network access is not allowed" in probe.stderr
    violations.unlink()

    log = tmp_path / "run.log"
    with open(log, "wb") as out:
        app = subprocess.Popen(traced("-v", "run"), env=env, stdout=out, stderr=subprocess.STDOUT)
    moves = iter(range(10**6))
    try:
        wait_for(lambda: b"tray icon shown" in log.read_bytes(), 60, "the tray icon")

        def poll() -> str:
            desktop.xdotool("mousemove", str(200 + next(moves) % 50), "200")
            return desktop.xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE, check=False)

        window = str(wait_for(poll, 90, "the break window", step=0.5))
        desktop.xdotool("mousemove", "--window", window, "60", "30")
        desktop.xdotool("click", "1")
        desktop.xdotool("key", "d")  # Done
        wait_for(
            lambda: (
                not desktop.xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE, check=False)
            ),
            20,
            "Done",
        )
        for command in (
            ["run"],
            ["stats", "--json"],
            ["doctor"],
            ["exercises"],
            ["export", "--format", "json", "--out", str(home / "export.json")],
        ):
            done = subprocess.run(
                traced(*command), env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, (command, done.stderr)
        wait_for(
            lambda: b"notification 'Coach' shown" in log.read_bytes(), 20, "the status notification"
        )
    finally:
        for child in Path(f"/proc/{app.pid}/task/{app.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)  # coach itself, not strace
        code = app.wait(timeout=60)
    text = log.read_text(errors="replace")
    assert code == 0, text

    assert not violations.exists(), violations.read_text()
    calls = "".join(p.read_text() for p in tmp_path.glob("strace.log.*"))
    assert "sa_family=AF_UNIX" in calls  # the trace saw the X11 and D-Bus connections
    network = [line for line in calls.splitlines() if NETWORK.search(line)]
    assert network == [], "\n".join(network)

    # everything Coach wrote is the user's only
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        assert mode == wanted, f"{path} is {oct(mode)}, not {oct(wanted)}"
