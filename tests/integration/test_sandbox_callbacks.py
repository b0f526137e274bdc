"""The sandbox as WeCom's event push, against a small receiver that decrypts like a real one:
the console's URL check, `tagdesk sandbox phone`, retries on failure, giving up, and no event
for changes made through the API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from desktop.domain.callback_crypto import CallbackCrypto, CallbackRefused
from desktop.domain.callback_xml import parse_flat_xml
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.callbacks import CallbackSettings
from desktop.wecom.client import WeComClient

if TYPE_CHECKING:
    from tests.integration.conftest import Cli

TOKEN = "PhoneTest42"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class Receiver(ThreadingHTTPServer):
    """Verifies and decrypts like a WeCom callback receiver; `fail_next` answers HTTP 500."""

    daemon_threads = True

    def __init__(self, corp_id: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.crypto = CallbackCrypto(TOKEN, AES_KEY, corp_id)
        self.events: list[dict[str, str]] = []
        self.posts = 0
        self.fail_next = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/callback"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def _answer(self, status: int, text: str) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(text.encode())))
        self.end_headers()
        self.wfile.write(text.encode())

    def do_GET(self) -> None:
        q = self._query()
        try:
            plain = self.server.crypto.verify_url(q["msg_signature"], q["timestamp"],
                                                  q["nonce"], q["echostr"])
        except CallbackRefused:
            self._answer(403, "bad signature")
            return
        self._answer(200, plain)

    def do_POST(self) -> None:
        q = self._query()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts += 1
        if self.server.fail_next:
            self.server.fail_next -= 1
            self._answer(500, "busy")
            return
        xml = self.server.crypto.open_message(q["msg_signature"], q["timestamp"], q["nonce"],
                                              body)
        self.server.events.append(parse_flat_xml(xml))
        self._answer(200, "success")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("phone-cli")
    with SandboxServer(SandboxConfig(data_dir=data, customers=20, members=3, seed=3)) as server:
        yield server


@pytest.fixture(scope="module")
def receiver(sandbox: SandboxServer) -> Iterator[Receiver]:
    server = Receiver(sandbox.corp_id)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _json(stdout: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return data


def test_the_phone_command_changes_the_corp_and_calls_back(
    cli: Cli, sandbox: SandboxServer, receiver: Receiver
) -> None:
    data = str(sandbox.config.data_dir)
    wrong = cli("sandbox", "callback", "--data", data, "--url", receiver.url, "--token",
                "NotTheToken", "--aes-key", AES_KEY)
    assert wrong.returncode != 0 and "failed verification" in wrong.stderr, wrong
    assert "Traceback" not in wrong.stderr
    saved = cli("sandbox", "callback", "--data", data, "--url", receiver.url, "--token", TOKEN,
                "--aes-key", AES_KEY, "--retry-delay", "0.05", "--timeout", "2")
    assert saved.returncode == 0, saved.stderr

    userid, external_userid = sandbox.state.relations()[0]
    (group, name), tag_id = next(
        (key, tag) for key, tag in sandbox.state.tag_ids_by_name().items()
        if tag not in sandbox.state.relation_tag_ids(userid, external_userid))
    receiver.fail_next = 2  # WeCom retries: the third attempt gets through
    posts_before = receiver.posts
    marked = cli("sandbox", "phone", "--data", data, "--json", "mark", "--userid", userid,
                 "--external-userid", external_userid, "--add", f"{group}/{name}")
    assert marked.returncode == 0, marked.stderr
    assert _json(marked.stdout)["callbacks"] == {"events": 1, "delivered": 1, "attempts": 3,
                                                 "given_up": 0}
    assert receiver.posts - posts_before == 3
    assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    event = receiver.events[-1]
    assert {k: event[k] for k in ("ToUserName", "FromUserName", "MsgType", "Event",
                                  "ChangeType", "UserID", "ExternalUserID")} == {
        "ToUserName": sandbox.corp_id, "FromUserName": "sys", "MsgType": "event",
        "Event": "change_external_contact", "ChangeType": "edit_external_contact",
        "UserID": userid, "ExternalUserID": external_userid}

    unknown = cli("sandbox", "phone", "--data", data, "mark", "--userid", userid,
                  "--external-userid", external_userid, "--add", "没有这个标签")
    assert unknown.returncode != 0 and "No tag" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_console_events_retries_giving_up_and_silence_for_api_changes(
    sandbox: SandboxServer, receiver: Receiver
) -> None:
    sandbox.set_callback(CallbackSettings(receiver.url, TOKEN, AES_KEY, timeout_s=2, retries=2,
                                          retry_delay_s=0.05))
    group_id = sandbox.state.find_group(next(iter(sandbox.state.tag_ids_by_name()))[0])
    assert group_id is not None
    seen = len(receiver.events)
    userid = sandbox.state.relations()[0][0]
    new_customer = sandbox.phone.add_customer(userid, state="expo2026")
    assert sandbox.state.relation_state(userid, new_customer) == "expo2026"
    assert sandbox.callbacks.wait_idle(10)
    assert [(e["ChangeType"], e["State"], e["ExternalUserID"]) for e in receiver.events[seen:]
            ] == [("add_external_contact", "expo2026", new_customer)]
    seen = len(receiver.events)
    scanned_by, scanner = sandbox.phone.scan(sandbox.state.contact_way_ids()["douyin_ad"])
    assert sandbox.callbacks.wait_idle(10)
    assert [(e["ChangeType"], e["State"], e["UserID"], e["ExternalUserID"])
            for e in receiver.events[seen:]] == [
        ("add_external_contact", "douyin_ad", scanned_by, scanner)]
    seen = len(receiver.events)
    sandbox.phone.shuffle(group_id)
    sandbox.phone.shuffle()
    assert sandbox.callbacks.wait_idle(10)
    shuffles = receiver.events[seen:]
    assert [(e["Event"], e["ChangeType"], e["Id"]) for e in shuffles] == [
        ("change_external_tag", "shuffle", group_id), ("change_external_tag", "shuffle", "")]
    assert "TagType" not in shuffles[0]

    given_up = sandbox.callbacks.counts.given_up
    receiver.fail_next = 10
    sandbox.phone.create_tag("回调测试", "一次")
    assert sandbox.callbacks.wait_idle(10)
    assert sandbox.callbacks.counts.given_up == given_up + 2  # the group and the tag
    receiver.fail_next = 0

    seen = len(receiver.events)
    userid, external_userid = sandbox.state.relations()[1]
    tag_id = next(
        t for t in sandbox.state.tag_ids_by_name().values()
        if t not in sandbox.state.relation_tag_ids(userid, external_userid))
    with WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret) as client:
        client.mark_tag(userid, external_userid, add=[tag_id])
    assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
    sandbox.phone.mark(userid, external_userid, remove=[tag_id])  # a marker event after it
    assert sandbox.callbacks.wait_idle(10)
    assert [e["ChangeType"] for e in receiver.events[seen:]] == ["edit_external_contact"]


def test_without_a_callback_url_nothing_is_sent(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(data_dir=tmp_path, customers=5, members=1)) as sandbox:
        userid, external_userid = sandbox.state.relations()[0]
        tag_id = next(iter(sandbox.state.tag_ids_by_name().values()))
        sandbox.phone.mark(userid, external_userid, add=[tag_id])
        assert sandbox.callbacks.counts.events == 0
        assert tag_id in sandbox.state.relation_tag_ids(userid, external_userid)
