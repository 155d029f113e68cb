"""Camera and microphone use: fake device nodes held open by child processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.platform import presence
from coach.platform.base import Unavailable
from coach.platform.devwatch import OpenCloseWatch
from coach.platform.presence import DeviceInUse
from tests.fakes.platform_procs import DeviceHolder

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")


@pytest.fixture
def dev(tmp_path: Path) -> Path:
    d = tmp_path / "dev"
    (d / "snd").mkdir(parents=True)
    for name in ("video0", "video1", "snd/pcmC0D0c", "snd/pcmC0D0p"):
        (d / name).write_bytes(b"")
    return d


@pytest.fixture
def holders() -> Iterator[list[DeviceHolder]]:
    started: list[DeviceHolder] = []
    yield started
    for h in started:
        h.stop()


def test_camera_in_use_while_another_process_holds_it(
    dev: Path, holders: list[DeviceHolder]
) -> None:
    camera = DeviceInUse.camera([str(dev / "video*")])
    assert camera.kind == "busy" and camera.active() is False
    holder = DeviceHolder(dev / "video1")
    holders.append(holder)
    assert camera.active() is True
    [found] = camera.holders()
    assert found.pid == holder.pid and found.device == str(dev / "video1")
    assert found.command.startswith("python")
    holder.stop()
    assert camera.active() is False


def test_microphone_counts_capture_devices_only(dev: Path, holders: list[DeviceHolder]) -> None:
    mic = DeviceInUse.microphone([str(dev / "snd/pcmC*D*c")])
    holders.append(DeviceHolder(dev / "snd/pcmC0D0p"))  # playback: not a call
    assert mic.active() is False
    holders.append(DeviceHolder(dev / "snd/pcmC0D0c"))
    assert mic.active() is True


def test_our_own_open_devices_do_not_count(dev: Path) -> None:
    camera = DeviceInUse.camera([str(dev / "video*")])
    with open(dev / "video0", "rb"):
        assert camera.active() is False


def test_a_fake_proc_tree(tmp_path: Path, dev: Path) -> None:
    """The proc root is injectable: symlinks stand in for /proc/PID/fd entries."""
    proc = tmp_path / "proc"
    for pid, target in [("100", dev / "video0"), ("200", Path("/dev/null")), ("300", None)]:
        fd_dir = proc / pid / "fd"
        fd_dir.mkdir(parents=True)
        (proc / pid / "comm").write_text(f"app{pid}\n")
        if target is not None:
            (fd_dir / "3").symlink_to(target)
    (proc / "self").mkdir()  # not a pid: ignored
    camera = DeviceInUse("camera", [str(dev / "video*")], proc_root=str(proc))
    assert [(h.pid, h.command) for h in camera.holders()] == [(100, "app100")]
    assert (
        DeviceInUse("camera", [str(dev / "video*")], proc_root=str(proc), own_pid=100).holders()
        == []
    )
    other_user = DeviceInUse(
        "camera", [str(dev / "video*")], proc_root=str(proc), uid=os.getuid() + 1
    )
    assert other_user.holders() == []


def test_no_devices_means_not_in_use(tmp_path: Path) -> None:
    camera = DeviceInUse.camera([str(tmp_path / "video*")])
    assert camera.active() is False and camera.holders() == []


def test_rejected_without_proc(tmp_path: Path) -> None:
    with pytest.raises(Unavailable, match="is not readable"):
        DeviceInUse.camera(proc_root=str(tmp_path / "no-proc"))


def test_a_failure_inside_the_scan_never_raises(tmp_path: Path) -> None:
    camera = DeviceInUse.camera([str(tmp_path / "video*")])
    (tmp_path / "video0").write_bytes(b"")
    camera.proc_root = str(tmp_path / "gone")  # /proc vanished mid-run
    assert camera.active() is False
    assert camera.problem is not None


def test_proc_is_scanned_only_when_a_device_opens_closes_or_appears(
    dev: Path, holders: list[DeviceHolder]
) -> None:
    camera = DeviceInUse.camera([str(dev / "video*")])
    assert [camera.active() for _ in range(3)] == [False] * 3
    assert camera.scans == 1  # nothing opened or closed since: the answer stands
    holder = DeviceHolder(dev / "video1")
    holders.append(holder)
    assert [camera.active() for _ in range(3)] == [True] * 3
    assert camera.scans == 2
    holder.stop()
    assert camera.active() is False and camera.scans == 3
    (dev / "video2").write_bytes(b"")  # plugged in
    holders.append(DeviceHolder(dev / "video2"))
    assert camera.active() is True
    camera.close()
    camera.close()  # idempotent


def test_without_inotify_every_poll_scans(
    dev: Path, holders: list[DeviceHolder], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_inotify(paths: object) -> OpenCloseWatch:
        raise OSError(24, "inotify_init1: Too many open files")

    monkeypatch.setattr(presence, "OpenCloseWatch", no_inotify)
    camera = DeviceInUse.camera([str(dev / "video*")])
    assert [camera.active() for _ in range(3)] == [False] * 3
    assert camera.scans == 3
    holders.append(DeviceHolder(dev / "video0"))
    assert camera.active() is True


def test_a_device_that_cannot_be_watched_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="watching .*missing"):
        OpenCloseWatch([str(tmp_path / "missing")])
