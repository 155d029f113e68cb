"""Coach's windows through a screen reader's eyes and a keyboard-only user's hands.

Each window runs as its own process on a real X desktop (Xvfb, fluxbox, a private D-Bus
session) with the real AT-SPI bus (at-spi2-core). tests/atspi_probe.py, run by Debian's
Python with python3-gi and gir1.2-atspi-2.0 as a screen reader would be, reads the
accessibility tree, listens for announcements and presses buttons through AT-SPI
actions; xdotool types the keys.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.test_desktop import COACH, RunningCoach, _require_tools
from tests.desktop_session import DesktopSession, wait_for
from tests.tools import tool_missing

pytestmark = pytest.mark.desktop
ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "atspi_probe.py"
SHOW = ROOT / "tests" / "fakes" / "show_window.py"
SYSTEM_PYTHON = "/usr/bin/python3"
CONTROLS = {
    "push button",
    "check box",
    "radio button",
    "spin button",
    "combo box",
    "toggle button",
    "list",
}


def _require_atspi() -> None:
    ok = (
        Path(SYSTEM_PYTHON).exists()
        and subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Atspi', '2.0')"],
            capture_output=True,
        ).returncode
        == 0
    )
    if not ok:
        tool_missing("AT-SPI client missing: python3-gi and gir1.2-atspi-2.0")


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[DesktopSession]:
    _require_tools()
    _require_atspi()
    session = DesktopSession(tmp_path / "desktop").start()
    session.env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    probe(session, "start")  # the AT-SPI bus and registry are up before any Coach window
    yield session
    session.stop()


class Shown:
    """One window in its own process; `said()` is what it printed (answers)."""

    def __init__(self, desktop: DesktopSession, window: str, tmp_path: Path) -> None:
        self.desktop = desktop
        self.out = tmp_path / f"{window}.out"
        env = dict(desktop.env, PYTHONPATH=str(ROOT), HOME=str(tmp_path))
        with open(self.out, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, str(SHOW), window],
                env=env,
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        line = wait_for(lambda: self._line("ready "), 30, f"the {window} window")
        self.wid = str(line).split()[1]

    def _line(self, start: str) -> str:
        lines = self.out.read_text(errors="replace").splitlines()
        return next((x for x in lines if x.startswith(start)), "")

    def said(self, start: str, timeout: float = 10) -> str:
        return str(wait_for(lambda: self._line(start), timeout, f"{start!r} from the window"))

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.desktop.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.15)  # let the window handle each key before the next

    def send(self, command: str) -> None:
        """A command for tests/fakes/show_window.py on its stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{command}\n".encode())
        self.proc.stdin.flush()
        time.sleep(0.5)

    def go_to_break(self) -> None:
        """The tray's "Go to the break" (what `CoachApp.focus_break` calls)."""
        self.send("focus")

    def activate(self) -> None:
        """What a user does by clicking into the window (or the tray's Go to the break)."""
        self.desktop.xdotool("windowactivate", "--sync", self.wid, check=False)
        self.desktop.xdotool("windowfocus", "--sync", self.wid, check=False)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=10)
        if self.proc.stdin is not None:
            self.proc.stdin.close()


@pytest.fixture
def show(desktop: DesktopSession, tmp_path: Path) -> Iterator[object]:
    shown: list[Shown] = []

    def start(window: str) -> Shown:
        shown.append(Shown(desktop, window, tmp_path))
        return shown[-1]

    yield start
    for s in shown:
        s.stop()


def probe(desktop: DesktopSession, *args: str, timeout: float = 30) -> object:
    done = subprocess.run(
        [SYSTEM_PYTHON, "-W", "ignore", str(PROBE), *args],
        env=desktop.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-800:]
    return json.loads(done.stdout.splitlines()[-1])


def tree(desktop: DesktopSession) -> list[dict[str, object]]:
    return probe(desktop, "tree", "Coach")  # type: ignore[return-value]


class Listener:
    """What a screen reader hears from Coach for `seconds` (started before Coach is)."""

    def __init__(self, desktop: DesktopSession, seconds: float, until: str = "") -> None:
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, "-W", "ignore", str(PROBE), "listen", "Coach", str(seconds), until],
            env=desktop.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def heard(self) -> list[dict[str, object]]:
        out, err = self.proc.communicate(timeout=90)
        assert self.proc.returncode == 0, err[-800:]
        return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]

    def close(self) -> None:
        """After a failed test too: no listener or open pipe is left behind."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=10)


@pytest.fixture
def listen(desktop: DesktopSession) -> Iterator[object]:
    started: list[Listener] = []

    def start(seconds: float, until: str = "") -> Listener:
        started.append(Listener(desktop, seconds, until))
        return started[-1]

    yield start
    for listener in started:
        listener.close()


def unnamed_controls(nodes: list[dict[str, object]]) -> list[str]:
    return [
        f"{n['role']} at {n['path']}"
        for n in nodes
        if n["role"] in CONTROLS and "showing" in n["states"] and not n["name"]
    ]


def named(nodes: list[dict[str, object]], role: str) -> list[str]:
    return [str(n["name"]) for n in nodes if n["role"] == role and "showing" in n["states"]]


def test_break_window_reads_well_is_announced_and_answers_through_atspi(
    desktop: DesktopSession, show, tmp_path: Path, listen
) -> None:
    listener = listen(12)
    window = show("break")  # the break itself comes 3 s later, with the listener ready
    window.said("shown", timeout=20)
    heard = listener.heard()
    announcements = [h for h in heard if h["type"] == "object:announcement"]
    assert announcements, f"no announcement heard: {heard}"
    assert "time for a break, Standing hip hinge" in announcements[0]["any_data"]
    assert "Go to the break" in announcements[0]["any_data"]

    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    assert {"Done", "Snooze", "Skip", "It hurts"} <= set(named(nodes, "push button"))
    labels = named(nodes, "label")
    assert "Standing hip hinge" in labels
    assert any(x.startswith("Step 1 of 4: ") for x in labels)
    assert "Dose: 8 times" in labels
    # the countdown (it runs for the planned dose, here 32 s) is readable
    assert any(re.fullmatch(r"\d:[0-5]\d", x) for x in labels)
    current = [n for n in nodes if n["description"] == "current step"]
    assert len(current) == 1 and re.match(r"Step [1-4] of 4", str(current[0]["name"]))
    assert any(n["role"] == "progress bar" and n["name"] == "Time left" for n in nodes)
    done = next(n for n in nodes if n["role"] == "push button" and n["name"] == "Done")
    assert done["description"] == "I did the break"
    # nothing took the keyboard when the window appeared
    assert not any("focused" in n["states"] for n in nodes)

    probe(desktop, "act", "Coach", "push button", "Snooze", "Press")
    assert window.said("answered") == "answered snooze "


def test_break_window_from_the_keyboard(desktop: DesktopSession, show) -> None:
    window = show("break")
    window.said("shown", timeout=20)
    window.go_to_break()  # the documented path: the tray's "Go to the break"
    nodes = tree(desktop)
    focused = [n["name"] for n in nodes if "focused" in n["states"]]
    assert focused == ["Done"]  # on the window's request only, and then on Done
    window.keys("Shift+Tab")
    nodes = tree(desktop)
    before = next(n["name"] for n in nodes if "focused" in n["states"])
    assert before == "Snooze"
    window.keys("Right")
    nodes = tree(desktop)
    after = next(n["name"] for n in nodes if "focused" in n["states"])
    order = ["Skip", "Snooze", "Done"]
    assert order.index(after) == (order.index(before) + 1) % 3
    while after != "Done":
        window.keys("Right")
        after = next(n["name"] for n in tree(desktop) if "focused" in n["states"])
    window.keys("Return")
    assert window.said("answered") == "answered done "


def test_checkin_from_the_keyboard(desktop: DesktopSession, show) -> None:
    window = show("checkin")
    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    assert {f"{n} out of 10" for n in range(11)} | {"Skip this week"} <= set(
        named(nodes, "push button")
    )
    window.activate()
    focused = [n["name"] for n in tree(desktop) if "focused" in n["states"]]
    assert focused == ["0 out of 10"]
    window.keys(*["Right"] * 7, "Return")
    assert window.said("answered") == "answered 7"


def test_checkin_esc_skips(desktop: DesktopSession, show) -> None:
    window = show("checkin")
    window.activate()
    window.keys("Escape")
    assert window.said("skipped") == "skipped"


def test_settings_names_and_keyboard(desktop: DesktopSession, show) -> None:
    window = show("settings")
    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    window.activate()
    window.keys("End")  # focus starts in the page list: its last page, Accessibility
    nodes = tree(desktop)
    showing = [n for n in nodes if "showing" in n["states"]]
    assert any(n["name"] == "Reduce motion" and n["role"] == "label" for n in showing)
    # Qt names a combo box by its current choice on Linux; its label reaches a screen
    # reader as the labelled-by relation, and its explanation as the description
    combo = next(n for n in showing if n["role"] == "combo box")
    assert combo["name"] == "Same as the desktop"
    assert combo["labelled_by"] == ["Reduce motion"]
    assert str(combo["description"]).startswith("Show an exercise's key poses still")
    window.keys("Tab")  # straight to the page's first field
    focused = [n for n in tree(desktop) if "focused" in n["states"] and n["role"] == "combo box"]
    assert [n["name"] for n in focused] == ["Same as the desktop"]
    window.keys("Down")
    assert window.said("applied") == "applied reduced_motion=on"
    window.keys("Escape")
    assert window.said("closed") == "closed"


def test_safety_screen_names_and_keyboard(desktop: DesktopSession, show) -> None:
    window = show("safety")
    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    assert "I understand" in named(nodes, "push button")
    window.activate()
    window.keys("Return")
    assert window.said("accepted") == "accepted"


def test_first_run_setup_names_and_keyboard(desktop: DesktopSession, show) -> None:
    window = show("setup")
    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    assert {"My low back", "Hollow back", "I have a hip replacement"} <= set(
        named(nodes, "radio button")
    )
    window.activate()
    answers = {"My low back": "low-back", "My hips": "hip", "Both": "both"}
    focused = [n["name"] for n in tree(desktop) if "focused" in n["states"]]
    assert len(focused) == 1 and focused[0] in answers  # the first question
    window.keys("Down")  # arrows move the answer within a question
    after = [n["name"] for n in tree(desktop) if "focused" in n["states"]]
    order = [*answers, "Nothing yet: I want to prevent it"]
    assert after == [order[order.index(focused[0]) + 1]]
    window.keys("space", "Return")  # Space chooses it, Enter saves
    chosen = {**answers, "Nothing yet: I want to prevent it": "prevention"}[after[0]]
    assert window.said("chosen") == f"chosen focus={chosen}"


def test_statistics_charts_have_text_reachable_by_keyboard(desktop: DesktopSession, show) -> None:
    window = show("stats")
    nodes = tree(desktop)
    assert unnamed_controls(nodes) == []
    assert {"Previous day", "Next day"} <= set(named(nodes, "push button"))
    periods = {n["name"]: n["states"] for n in nodes if n["role"] == "radio button"}
    assert {"Week", "Month"} <= set(periods)  # an exclusive pair, not two check boxes
    assert "checked" in periods["Week"] and "checked" not in periods["Month"]
    window.activate()
    seen: dict[str, str] = {}
    for _ in range(12):  # Tab round the window: every chart gets the focus with its summary
        window.keys("Tab")
        for n in tree(desktop):
            if "focused" in n["states"] and n["description"]:
                seen[str(n["name"])] = str(n["description"])
    assert {"Timeline of the day", "Sitting per day", "Getting better?"} <= set(seen)
    assert "sitting " in seen["Timeline of the day"] and "break at " in seen["Timeline of the day"]
    assert "in long bouts" in seen["Sitting per day"]
    assert "breaks taken" in seen["Getting better?"]
    window.keys("Escape")
    wait_for(lambda: window.proc.poll() is not None, 10, "Esc to close the statistics")


def test_tray_menu_by_keyboard_takes_a_break_then_goes_to_it(
    desktop: DesktopSession, show, listen
) -> None:
    """The whole key path in the real app object: the tray menu (Down, Enter) starts a
    break, which is announced without taking the keyboard; "Go to the break" then brings
    it to the keyboard, and Enter answers it."""
    listener = listen(14)
    tray = show("tray")  # the menu opens 3 s after start, as if from the tray icon
    time.sleep(4.5)
    tray.keys("Down", "Return")  # the first entry: Take a break now
    heard = listener.heard()
    menus = [h for h in heard if h["role"] == "popup menu" and h["items"]]
    assert menus, heard
    items = [
        name
        for role, name, states in menus[0]["items"]
        if role == "menu item" and "visible" in states
    ]
    for wanted in ("Take a break now", "Pause", "Statistics", "Settings", "Quit Coach"):
        assert wanted in items, items
    assert all(name for name in items)
    assert "Go to the break" not in items  # only while a break waits
    focused = [h["name"] for h in heard if h["type"].endswith("focused") and h["detail1"]]
    assert focused[0] == "Take a break now"
    announced = [h["any_data"] for h in heard if h["type"] == "object:announcement"]
    assert announced and "time for a break" in announced[0]
    nodes = tree(desktop)
    assert not any("focused" in n["states"] for n in nodes)  # the keyboard stayed put

    listener = listen(6)
    tray.send("menu")
    time.sleep(1.5)
    tray.keys("Down", "Return")  # now the first entry is Go to the break
    heard = listener.heard()
    focused = [h["name"] for h in heard if h["type"].endswith("focused") and h["detail1"]]
    assert focused[:2] == ["Go to the break", "Done"]
    tray.keys("Return")
    wait_for(
        lambda: not any(n["name"] == "Done" for n in tree(desktop)), 10, "Done to close the break"
    )


def test_installed_app_announces_a_break_and_a_second_start_goes_to_it(
    desktop: DesktopSession, tmp_path: Path, listen
) -> None:
    """The installed `coach run`: the break is announced while the keyboard stays where it
    was; the documented key path (start Coach again, e.g. from a desktop shortcut) puts
    the keyboard on Done, and Enter records the break as done."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text(
        "micro_every_min = 0.25\nexercise_every_min = 30\nidle_after_s = 30\n"
        "micro_duration_s = 20\n"
    )
    listener = listen(90, until="object:announcement")
    coach = RunningCoach(desktop, home)
    try:
        coach.wait_for_break(60)
        heard = listener.heard()
        announced = [h["any_data"] for h in heard if h["type"] == "object:announcement"]
        assert announced and "time for a break" in announced[0], heard
        assert not any("focused" in n["states"] for n in tree(desktop))
        again = subprocess.run(
            [str(COACH), "run"], env=coach.env, capture_output=True, text=True, timeout=30
        )
        assert again.returncode == 0
        wait_for(
            lambda: any("focused" in n["states"] and n["name"] == "Done" for n in tree(desktop)),
            15,
            "the keyboard on Done",
        )
        desktop.xdotool("key", "Return")
        wait_for(lambda: coach.breaks() == [("micro", "done")], 10, "Done to be recorded")
    finally:
        coach.stop()
        print(coach.log.read_text(errors="replace"))
