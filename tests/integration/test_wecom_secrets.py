"""A real HTTP run with DEBUG logging everywhere: no log record carries the secret or token."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from desktop.wecom import RateLimits, WeComClient, WeComError

pytestmark = pytest.mark.integration


def test_debug_logs_of_a_real_run_hold_neither_secret_nor_token(
    sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    limits = RateLimits(
        max_retries=6, backoff_base_s=0.005, backoff_max_s=0.01, rate_limit_pause_s=0.05
    )
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret, limits=limits) as client:
        first_token = client.get_token()
        sandbox.expire_tokens()
        sandbox.configure(fault_rate=0.5, quota_block_s=0.05)
        for userid in client.get_follow_user_list()[:4]:
            client.list_external_contacts(userid)
        sandbox.configure(fault_rate=0.0)
        second_token = client.get_token()
    bad = WeComClient(sandbox.api_base, sandbox.corp_id, "wrong-secret-123456")
    with bad, pytest.raises(WeComError):
        bad.list_corp_tags()
    assert first_token != second_token
    urllib3_lines = [r for r in caplog.records if r.name.startswith("urllib3")]
    assert any("gettoken" in r.getMessage() for r in urllib3_lines)  # they were logged...
    for record in caplog.records:  # ...and redacted, like ours
        message = record.getMessage()
        for secret in (sandbox.secret, first_token, second_token, "wrong-secret-123456"):
            assert secret not in message, record.name
