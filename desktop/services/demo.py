"""The built-in demo corp: an in-process sandbox, so TagDesk runs with no WeCom account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.services.profiles import DEMO_PROFILE, Profile

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxServer

DEMO_CUSTOMERS = 5000
DEMO_MEMBERS = 40
DEMO_SEED = 2026


def start_demo_sandbox(home: Path, customers: int = DEMO_CUSTOMERS) -> SandboxServer:
    """Start (and on first use generate) the demo corp under `home`."""
    from desktop.sandbox.config import SandboxConfig
    from desktop.sandbox.server import SandboxServer

    config = SandboxConfig(
        data_dir=home / "demo" / "sandbox", customers=customers, members=DEMO_MEMBERS,
        seed=DEMO_SEED,
    )
    return SandboxServer(config).start()


def demo_profile(server: SandboxServer, userid: str = "") -> Profile:
    return Profile(
        name=DEMO_PROFILE, corp_id=server.corp_id, api_base=server.api_base,
        agent_id=server.agent_id, userid=userid, max_concurrency=5,
    )
