"""A faithful WeCom emulator on loopback with a generated demo corp (powers `--demo`)."""

from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.schema import SandboxDataError
from desktop.sandbox.server import SandboxServer
from desktop.sandbox.state import SandboxState
from desktop.sandbox.stats import SandboxStats

__all__ = ["SandboxConfig", "SandboxDataError", "SandboxServer", "SandboxState", "SandboxStats"]
