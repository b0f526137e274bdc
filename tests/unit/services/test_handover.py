"""The command-to-app hand-over over 127.0.0.1: token, progress, result, stale endpoints."""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
from pathlib import Path

import pytest

from desktop.services.handover import (
    HandoverFailed,
    HandoverReply,
    HandoverServer,
    endpoint_path,
    request_sync,
)
from desktop.services.progress import Progress


def _answering(reply: HandoverReply) -> None:
    reply.progress(Progress("relations", 1, 2, "page 1"))
    reply.done({"relations": 2})


def test_a_request_gets_the_apps_progress_and_summary(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    server = HandoverServer(cache, _answering)
    server.start()
    events: list[Progress] = []
    pids: list[int] = []
    try:
        assert request_sync(cache, events.append, pids.append) == {"relations": 2}
    finally:
        server.stop()
    assert events == [Progress("relations", 1, 2, "page 1")]
    assert pids == [os.getpid()]
    assert not endpoint_path(cache).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_endpoint_is_readable_by_the_user_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    server = HandoverServer(cache, _answering)
    server.start()
    try:
        assert stat.S_IMODE(endpoint_path(cache).stat().st_mode) == 0o600
    finally:
        server.stop()


def test_a_wrong_token_is_refused_and_the_command_finds_no_app(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    handled: list[HandoverReply] = []
    server = HandoverServer(cache, handled.append)
    server.start()
    endpoint = endpoint_path(cache)
    real = endpoint.read_text(encoding="utf-8")
    try:
        endpoint.write_text(json.dumps({**json.loads(real), "token": "guessed"}), encoding="utf-8")
        assert request_sync(cache, lambda _: None) is None
    finally:
        endpoint.write_text(real, encoding="utf-8")
        server.stop()
    assert handled == []


def test_an_endpoint_left_by_a_dead_app_means_no_app(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint_path(cache).write_text(json.dumps({"port": port, "token": "t", "pid": 1}))
    assert request_sync(cache, lambda _: None) is None
    assert request_sync(tmp_path / "other.sqlite", lambda _: None) is None


def test_a_failed_sync_in_the_app_fails_the_command_with_its_sentence(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    server = HandoverServer(cache, lambda reply: reply.fail("同步失败。 / The sync failed."))
    server.start()
    try:
        with pytest.raises(HandoverFailed, match=r"同步失败。 / The sync failed\."):
            request_sync(cache, lambda _: None)
    finally:
        server.stop()


def test_an_app_closing_mid_sync_tells_the_command(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    server = HandoverServer(cache, lambda reply: server.stop())
    server.start()
    with pytest.raises(HandoverFailed, match="closed before the sync finished"):
        request_sync(cache, lambda _: None)
