"""One Coach per user session and data folder: a second `coach run` asks the first to
show itself.

On Linux and macOS the running Coach holds an `flock` on a lock file and listens on a
Unix socket, both in a private runtime folder; the socket is watched by a
QSocketNotifier. That avoids QtNetwork, which would cost some 2.6 MiB all day. On
Windows QLocalServer (a named pipe) does the same.
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)

TIMEOUT_S = 1.0
MAX_SOCKET_PATH = 104  # bytes: sun_path is 108 on Linux, 104 on macOS


def instance_name(key: str) -> str:
    """A short stable name for `key` (the data folder), fit for a socket path. Only
    this user's folders share the namespace, so a checksum tells them apart well
    enough (hashlib would load OpenSSL's code for it: half a MiB all day)."""
    data = key.encode()
    return f"coach-{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def runtime_folder() -> Path:
    """This user's private folder for the lock and the socket: under XDG_RUNTIME_DIR,
    else the temporary folder, else /tmp; the first whose path leaves room for a socket
    name (at most 104 bytes in all, on macOS). Raises OSError when the folder exists but
    is not private, or when no place fits."""
    own = f"coach-{os.getuid()}"
    room = MAX_SOCKET_PATH - len(f"/{own}/{instance_name('')}.sock")
    for base in (os.environ.get("XDG_RUNTIME_DIR", ""), tempfile.gettempdir(), "/tmp"):
        if base and os.path.isdir(base) and len(os.fsencode(base)) < room:
            return _private_folder(Path(base) / own)
    raise OSError("no folder with a path short enough for a socket")


def _private_folder(folder: Path) -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(f"{folder} is not a private folder of this user")
    return folder


class SingleInstance(QObject):
    """`forward_to_running()` once at start; `show_requested` when another start asks."""

    show_requested = Signal()

    def __init__(self, key: str, folder: Path | None = None) -> None:
        super().__init__()
        self.name = instance_name(key)
        self._folder = folder
        self._lock_fd: int | None = None
        self._server: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None

    def forward_to_running(self) -> bool:
        """True when another instance holds the lock (this one should exit, the other
        was asked to show itself); else this one is the instance and listens."""
        import fcntl

        try:
            folder = self._folder or runtime_folder()
            lock_fd = os.open(folder / f"{self.name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("cannot make sure Coach runs only once: %s", exc)
            return False
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock_fd)
            self._ask_running(folder / f"{self.name}.sock")
            return True
        self._lock_fd = lock_fd  # held until the process ends, even by a crash
        self._listen(folder / f"{self.name}.sock")
        return False

    def _ask_running(self, path: Path) -> None:
        """Connect to the running instance: a connection is the request to show itself.
        It may have taken the lock a moment ago and not be listening yet."""
        deadline = time.monotonic() + 2 * TIMEOUT_S
        while True:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(TIMEOUT_S)
                try:
                    client.connect(str(path))
                    client.sendall(b"show\n")
                    return
                except OSError as exc:
                    if time.monotonic() > deadline:
                        log.warning("the running Coach did not answer at %s: %s", path, exc)
                        return
            time.sleep(0.05)

    def _listen(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)  # left by an instance that crashed
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(str(path))
            os.chmod(path, 0o600)
            server.listen(4)
            server.setblocking(False)
        except OSError as exc:
            log.warning("a second start cannot reach this Coach (%s): %s", path, exc)
            return
        self._server = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)

    def close(self) -> None:
        """Stop listening and let go of the lock (at quit; a crash does the same)."""
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        if self._server is not None:
            path = self._server.getsockname()
            self._server.close()
            self._server = None
            Path(path).unlink(missing_ok=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _accept(self) -> None:
        assert self._server is not None
        while True:
            try:
                connection, _address = self._server.accept()
            except (BlockingIOError, InterruptedError):
                return
            connection.close()
            self.show_requested.emit()


class PipeSingleInstance(QObject):
    """The same through QLocalServer (Windows, where there are no Unix sockets)."""

    show_requested = Signal()

    def __init__(self, key: str) -> None:
        import getpass

        super().__init__()
        self.name = instance_name(f"{getpass.getuser()}:{key}")  # pipe names are global
        self.server: QLocalServer | None = None

    def forward_to_running(self) -> bool:
        from PySide6.QtNetwork import QLocalServer, QLocalSocket

        client = QLocalSocket()
        client.connectToServer(self.name)
        if client.waitForConnected(int(TIMEOUT_S * 1000)):
            client.write(b"show\n")
            client.waitForBytesWritten(int(TIMEOUT_S * 1000))
            client.disconnectFromServer()
            return True
        QLocalServer.removeServer(self.name)  # a stale name left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(self.name)
        self.server = server
        return False

    def _on_connection(self) -> None:
        assert self.server is not None
        while (client := self.server.nextPendingConnection()) is not None:
            client.disconnected.connect(client.deleteLater)
            self.show_requested.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None


def single_instance(key: str) -> SingleInstance | PipeSingleInstance:
    return PipeSingleInstance(key) if sys.platform == "win32" else SingleInstance(key)
