"""The break window in a short-lived process of its own (coach/ui/break_child.py).

Coach starts it in the 30 s before a break (where the window used to be built ahead)
and ends it when the break closes: what drawing a window costs (Qt's font and glyph
caches, the SVG code, the window's modules, the library and font pages it touches) goes
back to the system with the process, and a day of breaks leaves the tray app as light
as it was at idle (issue 19). Seen from CoachApp it is a break window: the same calls,
the same `answered` signal. When the process cannot start or dies during a break,
`failed` hands the break back, and Coach shows it in a window of its own process.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from coach.core.events import BreakDue
from coach.ui import break_link as link

log = logging.getLogger(__name__)

CHILD = ["-P", "-m", "coach.ui.break_child"]  # -P: not from the working folder
CODE_ROOT = str(Path(__file__).resolve().parents[2])  # where this `coach` package is
NOT_INHERITED = ("SESSION_MANAGER",)  # a window that lives one break is no session client
END_WAIT_MS = 5_000  # told to close, a child still there after this is killed
SHOW_WAIT_MS = 20_000  # a break not on the screen this long after it was sent: failed


class BreakProcess(QObject):
    """One break window process, from just before a break until it closes."""

    answered = Signal(int, str, str)  # break id, outcome, reason (as BreakWindow)
    shown = Signal(int)  # break id: on the screen
    failed = Signal(object)  # the break it was showing (BreakDue), or None

    def __init__(self, lang: str, footer: str, reduced_motion: str, parent: QObject) -> None:
        """`reduced_motion`: the setting; the process asks the desktop where it says so
        (that code and Qt's enums need not load into Coach)."""
        super().__init__(parent)
        self.ready = False
        self._due: BreakDue | None = None  # the break shown
        self._asked_at = 0.0  # perf_counter when it was asked to show it
        self._ending = False
        self._reader = link.Reader()
        self._process = process = QProcess(self)
        process.setProgram(sys.executable)
        process.setArguments(CHILD)
        environment = QProcessEnvironment.systemEnvironment()
        for name in NOT_INHERITED:
            environment.remove(name)
        # the child runs the very code this process runs, whatever else is installed
        paths = [CODE_ROOT, *filter(None, [environment.value("PYTHONPATH")])]
        environment.insert("PYTHONPATH", os.pathsep.join(paths))
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(self._read)
        process.readyReadStandardError.connect(self._log)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self._open = link.Open(lang, footer, reduced_motion)
        self._show_watch = QTimer(self, singleShot=True, interval=SHOW_WAIT_MS)
        self._show_watch.timeout.connect(self._not_shown)

    def start(self) -> None:
        """Start the process and have it build the window (connect `failed` first)."""
        self._process.start()
        self._send(self._open)

    def show_break(self, due: BreakDue) -> None:
        self._due = due
        self._asked_at = time.perf_counter()
        self._send(link.Show(due))
        self._show_watch.start()

    def showing(self) -> bool:
        return self._due is not None

    def focus(self) -> None:
        self._send(link.Focus())

    def relabel(self, lang: str, footer: str, before: str) -> None:  # noqa: ARG002 - as BreakWindow
        self._send(link.Relabel(lang, footer))

    def close_break(self) -> None:
        """End the window and its process (it exits by itself; killed if it hangs)."""
        if self._ending:
            return
        self._ending = True
        self._due = None
        self._show_watch.stop()
        self._send(link.Close())
        self._process.closeWriteChannel()
        QTimer.singleShot(END_WAIT_MS, self._process, self._process.kill)

    def dispose(self) -> None:
        """Close, and let this object go once the process has ended."""
        self.close_break()
        if self._process.state() == QProcess.ProcessState.NotRunning:
            self.deleteLater()
        else:
            self._process.finished.connect(self.deleteLater)

    def wait_ended(self, ms: int) -> None:
        """At quit: give the process `ms` to end, then kill it."""
        if not self._process.waitForFinished(ms):
            self._process.kill()
            self._process.waitForFinished(ms)

    def _send(self, message: link.ToWindow) -> None:
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.write(link.encode(message))

    def _read(self) -> None:
        try:
            messages = self._reader.feed(bytes(self._process.readAllStandardOutput().data()))
        except link.LinkError as exc:
            log.error("break window process: %s", exc)
            self._process.kill()
            return
        for message in messages:
            match message:
                case link.Ready():
                    self.ready = True
                case link.Shown(break_id):
                    self._show_watch.stop()
                    log.info(
                        "break %d on the screen %.0f ms after it was asked for",
                        break_id,
                        (time.perf_counter() - self._asked_at) * 1000,
                    )
                    self.shown.emit(break_id)
                case link.Answered(break_id, answer, reason):
                    self.answered.emit(break_id, answer.value, reason)
                case _:
                    log.warning("break window process said %r", message)

    def _log(self) -> None:
        text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            log.info("break window process: %s", line)

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._lost(f"could not start: {self._process.errorString()}")

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._lost(f"ended ({status.name}, code {code})")

    def _not_shown(self) -> None:
        log.warning("break window process: no break on the screen after %g s", SHOW_WAIT_MS / 1000)
        self._process.kill()  # its end hands the break back (_finished)

    def _lost(self, why: str) -> None:
        """The process is gone without being told (not after `close_break`): hand the
        break back, once."""
        if self._ending:
            return
        self._ending = True
        log.warning("break window process %s", why)
        due, self._due = self._due, None
        self.failed.emit(due)
