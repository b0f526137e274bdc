"""`tagdesk sandbox serve`: run a sandbox in the foreground until SIGTERM or Ctrl-C.

The first stdout line is one JSON object (api_base, corp_id, secret, agent_id) so that a
parent process can read where to connect; nothing is printed before it.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from types import FrameType
from typing import TextIO

from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.server import SandboxServer

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def serve(config: SandboxConfig, out: TextIO = sys.stdout) -> int:
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
    try:
        with SandboxServer(config) as server:
            out.write(json.dumps(server.info, ensure_ascii=False) + "\n")
            out.flush()
            while not stop.wait(0.5):
                pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
