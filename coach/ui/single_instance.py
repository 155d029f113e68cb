"""One Coach per user session: a second `coach run` asks the first to show itself."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 1000


class SingleInstance(QObject):
    show_requested = Signal()

    def __init__(self, key: str) -> None:
        super().__init__()
        digest = hashlib.sha256(f"{getpass.getuser()}:{key}".encode()).hexdigest()[:16]
        self.name = f"coach-{digest}"
        self.server: QLocalServer | None = None

    def forward_to_running(self) -> bool:
        """True when another instance answered (this one should exit); else listen."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(TIMEOUT_MS):
            socket.write(b"show\n")
            socket.waitForBytesWritten(TIMEOUT_MS)
            socket.disconnectFromServer()
            return True
        QLocalServer.removeServer(self.name)  # a stale name left by a crash
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)
        self.server.listen(self.name)
        return False

    def _on_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket) and bytes(socket.readAll().data()).startswith(b"show"):
            self.show_requested.emit()
