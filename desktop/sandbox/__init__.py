"""A faithful WeCom emulator on loopback with a generated demo corp (powers `--demo`).

The public names load their module on first use, so naming a light part of the package
(its config or data errors) does not start importing the HTTP server.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.sandbox.config import SandboxConfig
    from desktop.sandbox.schema import SandboxDataError
    from desktop.sandbox.server import SandboxServer
    from desktop.sandbox.state import SandboxState
    from desktop.sandbox.stats import SandboxStats

_MODULE_OF = {
    "SandboxConfig": "config",
    "SandboxDataError": "schema",
    "SandboxServer": "server",
    "SandboxState": "state",
    "SandboxStats": "stats",
}

__all__ = ["SandboxConfig", "SandboxDataError", "SandboxServer", "SandboxState", "SandboxStats"]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
