"""Settings of one sandbox corp: its size, its limits and the faults it injects."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class SandboxConfig:
    """How big the generated corp is and how hostile the emulated WeCom behaves.

    `customers`, `members` and `seed` only matter when `data_dir` is empty: an existing
    sandbox is reused as it is, so a restart keeps the corp id, secret, tags and relations.
    """

    data_dir: Path
    customers: int = 5000
    members: int = 40
    seed: int = 1
    quota_per_min: int = 0
    quota_block_s: float = 60.0
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    token_ttl: int = 7200
    mark_tag_concurrency: int = 5
    host: str = "127.0.0.1"
    port: int = 0
    corp_tag_cap: int = 10_000
    relation_tag_cap: int = 3_000
    strategy_tags_in_get: bool = True
    trusted_ips: tuple[str, ...] = ()
    """The app's trusted IPs (企业可信IP): a call from any other address answers 60020, as
    WeCom answers an app created since 2022-06-20; empty: every address is trusted."""
    console_rule_groups_listed: bool = True
    """False: as WeCom's documentation says, the app sees no rule group made in the admin
    console (not listed, unknown to every rule-group call); True: listed and read-only."""

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.trusted_ips = ip_addresses(self.trusted_ips)
        if self.members < 1:
            raise ValueError("a sandbox corp needs at least one member")
        if self.customers < 0:
            raise ValueError("customers must not be negative")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate is a share between 0 and 1")
        if self.token_ttl < 1 or self.mark_tag_concurrency < 1:
            raise ValueError("token_ttl and mark_tag_concurrency must be positive")


def ip_addresses(addresses: Iterable[str]) -> tuple[str, ...]:
    """The addresses as the sandbox's HTTP server reports callers (ValueError: not an IP)."""
    return tuple(str(ipaddress.ip_address(address.strip())) for address in addresses)
