"""XScreenSaver idle time and fullscreen detection against a real Xvfb."""

from __future__ import annotations

import ctypes
import os
import subprocess
from collections.abc import Iterator

import pytest

from coach.platform.base import Unavailable
from coach.platform.presence import FullscreenX11
from coach.platform.x11 import XScreenSaverIdle
from coach.platform.xlib import XDisplay
from tests.fakes.platform_procs import poll_until, xvfb
from tests.fakes.platform_xprops import XProps
from tests.tools import require


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with xvfb() as name:
        yield name


def test_idle_grows_and_a_mouse_move_resets_it(display: str) -> None:
    require("xdotool")
    idle = XScreenSaverIdle.probe({"DISPLAY": display})
    try:
        assert idle.name == "x11-xscreensaver"
        start = idle.idle_seconds()
        assert poll_until(lambda: idle.idle_seconds() >= start + 0.3, timeout_s=5)
        before = idle.idle_seconds()
        env = {**os.environ, "DISPLAY": display}
        for x in (10, 20):  # move twice: a move to where the pointer is changes nothing
            subprocess.run(
                ["xdotool", "mousemove", str(x), str(x)], env=env, check=True, timeout=10
            )
        assert idle.idle_seconds() < before
        assert idle.idle_seconds() < 0.3
        assert idle.problem is None
    finally:
        idle.close()
        idle.close()  # idempotent


def test_rejects_without_display() -> None:
    with pytest.raises(Unavailable, match=r"no X display \(DISPLAY unset\)"):
        XScreenSaverIdle.probe({})


def test_rejects_a_display_nobody_serves() -> None:
    with pytest.raises(Unavailable, match="cannot open X display :4077"):
        XScreenSaverIdle.probe({"DISPLAY": ":4077"})


def test_rejects_when_libxss_is_missing(display: str) -> None:
    def load(name: str) -> ctypes.CDLL:
        if name == "libXss.so.1":
            raise OSError(f"{name}: cannot open shared object file")
        return ctypes.CDLL(name)

    with pytest.raises(Unavailable, match=r"libXss.so.1 not found \(install libxss1\)"):
        XScreenSaverIdle.probe({"DISPLAY": display}, load=load)


def test_rejects_in_a_wayland_session(display: str) -> None:
    env = {"DISPLAY": display, "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    with pytest.raises(Unavailable, match="Wayland session"):
        XScreenSaverIdle.probe(env)


def test_rejects_when_the_extension_is_absent() -> None:
    with xvfb("-extension", "MIT-SCREEN-SAVER") as name:
        with pytest.raises(Unavailable, match="no MIT-SCREEN-SAVER extension"):
            XScreenSaverIdle.probe({"DISPLAY": name})


def test_a_shared_display_is_left_open(display: str) -> None:
    dpy = XDisplay.open({"DISPLAY": display})
    try:
        idle = XScreenSaverIdle.probe({"DISPLAY": display}, display=dpy)
        idle.close()
        assert dpy.ptr  # not closed by the adapter that did not open it
        assert dpy.get_cardinals(dpy.root, dpy.atom("_COACH_NOT_SET")) is None
    finally:
        dpy.close()


@pytest.fixture
def wm(display: str) -> Iterator[XProps]:
    """Plays an EWMH window manager: publishes _NET_SUPPORTED on the root window."""
    props = XProps(display)
    props.set_atoms(
        props.dpy.root,
        "_NET_SUPPORTED",
        ["_NET_ACTIVE_WINDOW", "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN"],
    )
    yield props
    props.set_atoms(props.dpy.root, "_NET_SUPPORTED", [])
    props.set_window(props.dpy.root, "_NET_ACTIVE_WINDOW", 0)
    props.close()


def test_fullscreen_follows_the_active_window(display: str, wm: XProps) -> None:
    fullscreen = FullscreenX11.probe({"DISPLAY": display})
    try:
        assert fullscreen.active() is False  # no active window yet
        win = wm.window()
        wm.set_window(wm.dpy.root, "_NET_ACTIVE_WINDOW", win)
        assert fullscreen.active() is False
        wm.set_atoms(
            win, "_NET_WM_STATE", ["_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_FULLSCREEN"]
        )
        assert fullscreen.active() is True
        other = wm.window()
        wm.set_window(wm.dpy.root, "_NET_ACTIVE_WINDOW", other)
        assert fullscreen.active() is False
        assert fullscreen.problem is None
    finally:
        fullscreen.close()


def test_fullscreen_survives_a_vanished_active_window(display: str, wm: XProps) -> None:
    """A BadWindow error must not reach Xlib's default handler (which exits)."""
    fullscreen = FullscreenX11.probe({"DISPLAY": display})
    try:
        win = wm.window()
        wm.set_window(wm.dpy.root, "_NET_ACTIVE_WINDOW", win)
        wm.lib.XDestroyWindow(wm.dpy.ptr, win)
        wm.lib.XSync(wm.dpy.ptr, 0)
        assert fullscreen.active() is False
        wm.set_window(wm.dpy.root, "_NET_ACTIVE_WINDOW", 0x7FFFFF0)  # never existed
        assert fullscreen.active() is False
    finally:
        fullscreen.close()


def test_fullscreen_rejects_without_an_ewmh_window_manager(display: str) -> None:
    with pytest.raises(Unavailable, match="does not publish _NET_ACTIVE_WINDOW"):
        FullscreenX11.probe({"DISPLAY": display})
