"""Close the app as its close button does when the system asks it to stop.

SIGTERM (logging out, shutting down, `kill`) and SIGINT (Ctrl+C in the terminal that started
it) would otherwise end Python at once, inside Qt's event loop: the window's layout, sort and
last filter would not be saved and running work would not stop in order. Python runs a signal
handler only when it gets control back, so the signal also writes a byte to a socket the
event loop watches.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class TerminationWatch(QObject):
    """Calls `close` on the GUI thread when the process gets SIGTERM or SIGINT."""

    def __init__(self, close: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._close = close
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._stop) for number in STOP_SIGNALS}

    def uninstall(self) -> None:
        """Give the signals back to the handlers that had them."""
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def _stop(self, _number: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, self._close)

    def _drain(self) -> None:
        with contextlib.suppress(OSError):     # drained already
            self._reader.recv(512)
