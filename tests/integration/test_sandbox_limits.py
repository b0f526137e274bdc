"""Quota windows, fault injection and latency of the sandbox over real HTTP."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from desktop.sandbox import SandboxServer
from tests.integration.sandbox_support import WeComHttp, running_sandbox

FOLLOWERS = "externalcontact/get_follow_user_list"
TAGS = "externalcontact/get_corp_tag_list"


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[WeComHttp]:
    with WeComHttp(sandbox) as client:
        yield client.login()


def test_quota_overrun_answers_45009_and_blocks_only_that_api(
    api: WeComHttp, sandbox: SandboxServer
) -> None:
    sandbox.configure(quota_per_min=3, quota_block_s=0.3)
    assert [api.get(FOLLOWERS)["errcode"] for _ in range(5)] == [0, 0, 0, 45009, 45009]
    assert api.post(TAGS, {})["errcode"] == 0, "another API has its own window"
    time.sleep(0.35)
    assert api.get(FOLLOWERS)["errcode"] == 0, "the block ended and a fresh window began"
    assert sandbox.stats.errors(45009) == 2
    assert sandbox.stats.calls(FOLLOWERS) == 6


def test_gettoken_is_subject_to_the_quota(api: WeComHttp, sandbox: SandboxServer) -> None:
    sandbox.configure(quota_per_min=2, quota_block_s=5)
    assert [api.gettoken()["errcode"] for _ in range(3)] == [0, 0, 45009]
    sandbox.configure(quota_per_min=0)
    assert api.gettoken()["errcode"] == 0


def test_fault_injection_reaches_every_kind(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, fault_rate=1.0) as server, WeComHttp(server) as api:
        assert api.gettoken()["errcode"] == 0, "gettoken is never faulted"
        outcomes: Counter[str] = Counter()
        for _ in range(40):
            try:
                response = api.session.get(api.base + FOLLOWERS, params={"access_token": api.token})
            except requests.ConnectionError:
                outcomes["drop"] += 1
                continue
            if response.status_code == 502:
                assert response.headers["Content-Type"].startswith("text/html")
                assert b"502 Bad Gateway" in response.content
                outcomes["http502"] += 1
            else:
                outcomes[str(response.json()["errcode"])] += 1
        assert set(outcomes) == {"-1", "45009", "http502", "drop"}
        for kind, outcome in (
            ("busy", "-1"),
            ("freq", "45009"),
            ("http502", "http502"),
            ("drop", "drop"),
        ):
            assert server.stats.faults(kind) == outcomes[outcome]


def test_a_dropped_answer_still_applied_the_write(tmp_path: Path) -> None:
    with running_sandbox(tmp_path) as server, WeComHttp(server) as api:
        api.login()
        vip = server.state.find_tag("客户等级", "VIP")
        assert vip
        relation = next(
            r for r in server.state.relations() if vip not in server.state.relation_tag_ids(*r)
        )
        server.configure(fault_rate=1.0)
        body = json.dumps({"userid": relation[0], "external_userid": relation[1], "add_tag": [vip]})
        for _ in range(40):
            try:
                api.post_raw("externalcontact/mark_tag", body.encode())
            except requests.ConnectionError:
                break
            assert vip not in server.state.relation_tag_ids(*relation), (
                "other faults change nothing"
            )
        else:
            pytest.fail("no connection was dropped")
        assert vip in server.state.relation_tag_ids(*relation)


def test_faults_are_repeatable_for_a_seed(tmp_path: Path) -> None:
    def outcomes(folder: Path) -> list[int]:
        with running_sandbox(folder, fault_rate=0.5) as server, WeComHttp(server) as api:
            api.login()
            server.configure(fault_rate=0.5)
            seen = []
            for _ in range(20):
                try:
                    response = api.session.get(
                        api.base + FOLLOWERS, params={"access_token": api.token}
                    )
                    seen.append(response.json()["errcode"] if response.status_code == 200 else 502)
                except requests.ConnectionError:
                    seen.append(-999)
            return seen

    first = outcomes(tmp_path / "a")
    assert first == outcomes(tmp_path / "b")
    assert 0 in first and len(set(first)) > 2


def test_latency_is_added_to_every_call(api: WeComHttp, sandbox: SandboxServer) -> None:
    sandbox.configure(latency_ms=150)
    started = time.perf_counter()
    assert api.get(FOLLOWERS)["errcode"] == 0
    assert api.get(FOLLOWERS, token="bad")["errcode"] == 40014
    assert time.perf_counter() - started >= 0.3
    sandbox.configure(latency_ms=0)
    started = time.perf_counter()
    api.get(FOLLOWERS)
    assert time.perf_counter() - started < 0.15
