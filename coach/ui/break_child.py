"""The break window's own process: `python -m coach.ui.break_child`, started by Coach
(coach/ui/break_process.py) shortly before a break and ended after it.

Reads the messages of coach/ui/break_link.py on stdin and answers on stdout; logs to
stderr, which Coach writes to its log. Ends when told to (Close) or when Coach is gone
(stdin at its end), so a killed Coach never leaves a window behind.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from coach import i18n
from coach.core.events import Answer
from coach.ui import a11y
from coach.ui import break_link as link
from coach.ui.break_window import BreakWindow

log = logging.getLogger("coach.break_window")


class BreakChild(QObject):
    """The window and the two ends of the pipe."""

    def __init__(self, stdin: int, stdout: int, end: Callable[[int], None]) -> None:
        """`end(code)`: end the process (the event loop's exit)."""
        super().__init__()
        self.end = end
        self.stdout = stdout
        self.reader = link.Reader()
        self.window: BreakWindow | None = None
        self._waiting_to_show = 0  # the break id whose window is not on the screen yet
        os.set_blocking(stdin, False)
        self.stdin = stdin
        self.notifier = QSocketNotifier(stdin, QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            data = os.read(self.stdin, 65536)
        except BlockingIOError:
            return
        if not data:  # Coach is gone
            self._stop(0)
            return
        try:
            messages = self.reader.feed(data)
        except link.LinkError as exc:
            log.error("%s: ending", exc)
            self._stop(2)
            return
        for message in messages:
            try:
                self._handle(message)
            except Exception:  # noqa: BLE001 - whatever it was, Coach shows the break itself
                log.exception("cannot do %s: ending", type(message).__name__)
                self._stop(2)
                return

    def _handle(self, message: object) -> None:
        match message:
            case link.Open(lang, footer, motion):
                i18n.use(lang)
                reduce = a11y.reduce_motion(motion)
                self.window = BreakWindow(lang, footer, reduce_motion=reduce)
                self.window.answered.connect(self._answered)
                self._send(link.Ready())
            case link.Show(due) if self.window is not None:
                self.window.show_break(due)
                self._when_on_screen(due.break_id)
            case link.Relabel(lang, footer) if self.window is not None:
                before = self.window.lang
                i18n.use(lang)
                self.window.relabel(lang, footer, before)
            case link.Focus() if self.window is not None:
                self.window.focus()
            case link.Close():
                if self.window is not None:
                    self.window.close_break()
                self._stop(0)
            case _:  # another version of Coach, or a window that could not be built
                raise ValueError("not understood here")

    def _when_on_screen(self, break_id: int) -> None:
        """Say Shown once the window is exposed and its first paint has run."""
        assert self.window is not None
        handle = self.window.windowHandle()
        if handle is not None and handle.isExposed():
            self._send(link.Shown(break_id))
            return
        self._waiting_to_show = break_id
        if handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Expose and self._waiting_to_show:
            watched.removeEventFilter(self)
            shown, self._waiting_to_show = self._waiting_to_show, 0
            QTimer.singleShot(0, lambda: self._send(link.Shown(shown)))  # after the paint
        return False

    def _answered(self, break_id: int, answer: str, reason: str) -> None:
        self._send(link.Answered(break_id, Answer(answer), reason))

    def _send(self, message: link.FromWindow) -> None:
        data = link.encode(message)
        try:
            while data:
                data = data[os.write(self.stdout, data) :]
        except OSError:  # Coach is gone
            self._stop(0)

    def _stop(self, code: int) -> None:
        """Read no more; the process ends with `code`."""
        self.notifier.setEnabled(False)
        self.end(code)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stdout = os.dup(1)  # the messages' own channel: nothing else may write into it
    os.dup2(2, 1)
    qapp = QApplication(["coach"])  # its windows are named and grouped as the tray app's
    qapp.setApplicationName("Coach")
    qapp.setQuitOnLastWindowClosed(False)
    child = BreakChild(sys.stdin.fileno(), stdout, qapp.exit)
    code = qapp.exec()
    del child
    return code


if __name__ == "__main__":
    sys.exit(main())
