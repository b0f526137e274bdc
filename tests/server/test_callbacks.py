"""Changes made on phones: the sandbox pushes encrypted WeCom callbacks to a real team server,
which answers at once, re-reads WeCom and journals the change (source `callback`, the
follower as probable operator); retries are journaled once; forged callbacks are refused."""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.domain.callback_crypto import CallbackCrypto
from desktop.domain.callback_xml import parse_flat_xml
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.callbacks import CallbackSettings, CallbackSetupError, event_xml
from desktop.server import team_audit, team_journal
from desktop.server.outbox_recovery import SETTLED_CHANNEL
from desktop.services import audit
from desktop.services.journal_reader import TeamJournal
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration

TOKEN = "TagDeskCb2026"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
ROW = ("action", "source", "operator", "probable_operator", "userid", "external_userid",
       "tag_id", "tag_name", "group_name")


@pytest.fixture(scope="module")
def phone_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("phone-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=40, members=4, seed=5)) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def callback_server(postgres: PostgresCluster, phone_sandbox: SandboxServer,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    server = TeamServerProcess(postgres.new_database(), phone_sandbox,
                               tmp_path_factory.mktemp("callback-server"),
                               "--callback-token", TOKEN, "--callback-aes-key", AES_KEY)
    try:
        wait_for(lambda: _one(server.db_url, "SELECT finished_at FROM resync_run"),
                 what="the first re-sync")
        phone_sandbox.set_callback(CallbackSettings(
            server.url + "tagdesk/v1/callback", TOKEN, AES_KEY, timeout_s=2, retries=3,
            retry_delay_s=0.2))
        yield server
    finally:
        phone_sandbox.set_callback(None)
        server.stop()


def _one(db_url: str, query: str, *params: object) -> object:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(query.encode(), params).fetchone()
    return row[0] if row else None


def _rows(db_url: str, where: str, *params: object) -> list[dict[str, object]]:
    with psycopg.connect(db_url) as conn:
        found = conn.execute(f"SELECT {', '.join(ROW)} FROM team_journal WHERE {where}"
                             " ORDER BY id".encode(), params).fetchall()
    return [dict(zip(ROW, row, strict=True)) for row in found]


def _untagged_relation(sandbox: SandboxServer) -> tuple[str, str, str]:
    tags = sandbox.state.tag_ids_by_name()
    for userid, external_userid in sandbox.state.relations():
        present = sandbox.state.relation_tag_ids(userid, external_userid)
        for tag_id in tags.values():
            if tag_id not in present:
                return userid, external_userid, tag_id
    raise AssertionError("every relation carries every tag")


def test_a_tag_added_on_a_phone_is_journaled_within_seconds(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    userid, external_userid, tag_id = _untagged_relation(phone_sandbox)
    names = {v: k for k, v in phone_sandbox.state.tag_ids_by_name().items()}
    started = time.monotonic()
    phone_sandbox.phone.mark(userid, external_userid, add=[tag_id])
    rows = wait_for(lambda: _rows(callback_server.db_url, "source = 'callback' AND tag_id = %s"
                                  " AND external_userid = %s", tag_id, external_userid),
                    timeout=15, what="the callback's journal row")
    elapsed = time.monotonic() - started
    group_name, tag_name = names[tag_id]
    assert rows == [{"action": "tag_add", "source": "callback", "operator": "",
                     "probable_operator": userid, "userid": userid,
                     "external_userid": external_userid, "tag_id": tag_id,
                     "tag_name": tag_name, "group_name": group_name}]
    assert elapsed < 5, elapsed
    assert phone_sandbox.callbacks.counts.given_up == 0

    phone_sandbox.phone.mark(userid, external_userid, remove=[tag_id])
    wait_for(lambda: _rows(callback_server.db_url, "action = 'tag_remove' AND tag_id = %s"
                           " AND external_userid = %s", tag_id, external_userid),
             timeout=15, what="the removal's journal row")
    with psycopg.connect(callback_server.db_url) as conn, conn.transaction():
        assert team_journal.verify(conn).ok
        assert team_audit.changes_per_operator(conn, 0, 4e9, 10) == []  # nobody named
        for include_observed, found in ((False, 0), (True, 2)):
            query = team_audit.TeamJournalQuery(operators=(userid,), customers=(external_userid,),
                                                include_observed=include_observed)
            assert len(team_audit.page(conn, query)) == found


def test_a_retried_delivery_is_journaled_once(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    userid, external_userid, tag_id = _untagged_relation(phone_sandbox)
    last_row = _one(callback_server.db_url, "SELECT coalesce(max(id), 0) FROM team_journal")
    phone_sandbox.state.console_mark_tag(userid, external_userid, add=[tag_id])  # no callback
    event = event_xml(phone_sandbox.corp_id, {
        "Event": "change_external_contact", "ChangeType": "edit_external_contact",
        "UserID": userid, "ExternalUserID": external_userid}, create_time=int(time.time()))
    crypto = CallbackCrypto(TOKEN, AES_KEY, phone_sandbox.corp_id)
    url = callback_server.url + "tagdesk/v1/callback"
    for attempt in range(3):  # WeCom's first delivery and two retries of the same event
        nonce = str(1000 + attempt)
        timestamp = str(int(time.time()))
        signature, body = crypto.seal_message(event, timestamp, nonce, None)
        sent = time.monotonic()
        answer = requests.post(url, data=body, timeout=10, params={
            "msg_signature": signature, "timestamp": timestamp, "nonce": nonce})
        assert time.monotonic() - sent < 5  # WeCom's limit: the work happens after answering
        assert answer.status_code == 200, answer.text
        assert answer.text == "success"
    wait_for(lambda: _one(callback_server.db_url, "SELECT bool_and(status = 'done')"
                          " FROM callback_event WHERE external_userid = %s AND create_time = %s",
                          external_userid, int(parse_flat_xml(event)["CreateTime"])),
             what="the event handled")
    rows = _rows(callback_server.db_url, "id > %s AND external_userid = %s", last_row,
                 external_userid)
    assert [(r["action"], r["source"]) for r in rows] == [("tag_add", "callback")]


def test_forged_or_oversized_callbacks_are_refused_and_write_nothing(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    url = callback_server.url + "tagdesk/v1/callback"
    events_before = _one(callback_server.db_url, "SELECT count(*) FROM callback_event")
    event = event_xml(phone_sandbox.corp_id, {
        "Event": "change_external_tag", "ChangeType": "create", "Id": "etFORGED",
        "TagType": "tag"})
    ours = CallbackCrypto(TOKEN, AES_KEY, phone_sandbox.corp_id)
    signature, body = ours.seal_message(event, "1700000000", "42", None)

    def post(data: bytes, sig: str) -> requests.Response:
        return requests.post(url, data=data, timeout=10, params={
            "msg_signature": sig, "timestamp": "1700000000", "nonce": "42"})

    refused = post(body, "0" * 40)
    assert (refused.status_code, refused.text) == (403, "bad signature")
    other = CallbackCrypto(TOKEN, AES_KEY, "wwANOTHERCORP")
    signature_other, body_other = other.seal_message(event, "1700000000", "42", None)
    refused = post(body_other, signature_other)
    assert (refused.status_code, refused.text) == (403, "unknown corp")
    refused = post(b"<xml><Encrypt>" + b"A" * 70_000 + b"</Encrypt></xml>", signature)
    assert refused.status_code == 413
    refused = post(b"<xml><Encrypt>not xml", signature)
    assert refused.status_code == 400
    bad_echo = requests.get(url, timeout=10, params={
        "msg_signature": "0" * 40, "timestamp": "1", "nonce": "2", "echostr": "AAAA"})
    assert bad_echo.status_code == 403
    assert _one(callback_server.db_url, "SELECT count(*) FROM callback_event") == events_before
    with pytest.raises(CallbackSetupError):  # WeCom's console refuses a URL that fails its check
        phone_sandbox.set_callback(CallbackSettings(url, "WrongToken", AES_KEY))


def test_console_tag_edits_and_new_customers_are_journaled(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    tag_id = phone_sandbox.phone.create_tag("展会渠道", "春季展")
    wait_for(lambda: _rows(callback_server.db_url, "action = 'tag_create' AND tag_id = %s",
                           tag_id), timeout=15, what="the console's new tag")
    assert _rows(callback_server.db_url, "action = 'group_create' AND group_name = '展会渠道'")

    userid = sorted(phone_sandbox.state.follow_users())[0]
    external_userid = phone_sandbox.phone.add_customer(userid, state="expo2026")
    wait_for(lambda: _one(callback_server.db_url, "SELECT count(*) FROM callback_event"
                          " WHERE state = 'expo2026' AND status = 'done'"), what="the add")
    added = _rows(callback_server.db_url, "external_userid = %s", external_userid)
    assert [(r["action"], r["source"], r["probable_operator"]) for r in added] == [
        ("customer_add", "callback", userid)]
    phone_sandbox.phone.mark(userid, external_userid, add=[tag_id])
    rows = wait_for(lambda: _rows(callback_server.db_url, "external_userid = %s AND action"
                                  " <> 'customer_add'", external_userid), timeout=15,
                    what="the new customer's tag")
    assert [(r["action"], r["tag_name"], r["probable_operator"]) for r in rows] == [
        ("tag_add", "春季展", userid)]

    device = log_in(callback_server.url, phone_sandbox, userid)
    other = next((u, e) for u, e in phone_sandbox.state.relations() if e != external_userid
                 and tag_id not in phone_sandbox.state.relation_tag_ids(u, e))
    with team_client(callback_server.url, phone_sandbox, device.token) as client:
        client.mark_tag(*other, add=[tag_id])  # the relay now knows the tag's name
        phone_sandbox.phone.edit_tag(tag_id, name="春季展会")
        wait_for(lambda: _rows(callback_server.db_url, "action = 'tag_rename' AND tag_id = %s",
                               tag_id), timeout=15, what="the console's rename")
        client.mark_tag(*other, remove=[tag_id])
    relayed = _rows(callback_server.db_url, "operator = %s AND tag_id = %s", userid, tag_id)
    assert [(r["action"], r["tag_name"]) for r in relayed] == [
        ("tag_add", "春季展"), ("tag_remove", "春季展会")]

    phone_sandbox.phone.delete_customer(userid, external_userid)
    wait_for(lambda: _one(callback_server.db_url, "SELECT count(*) = 0 FROM"
                          " relation_tag_snapshot WHERE external_userid = %s", external_userid),
             what="the deleted relation leaving the snapshot")
    deleted = _rows(callback_server.db_url, "action = 'customer_delete' AND external_userid"
                    " = %s", external_userid)
    assert [(r["tag_id"], r["tag_name"]) for r in deleted] == [(tag_id, "春季展会")]
    phone_sandbox.phone.delete_tag(tag_id)
    wait_for(lambda: _rows(callback_server.db_url, "action IN ('tag_delete', 'group_delete')"
                           " AND group_name = '展会渠道'"), timeout=15, what="the deletion")
    assert _one(callback_server.db_url, "SELECT count(*) FROM relation_tag_snapshot"
                " WHERE %s = ANY(tag_ids)", tag_id) == 0


@pytest.mark.parametrize(("flags", "needle"), [
    (("--callback-token", "Tok1"), "together"),
    (("--callback-token", "Tok1", "--callback-aes-key", "short"), "43 characters"),
], ids=["token-alone", "short-key"])
def test_bad_callback_settings_stop_the_server_with_one_sentence(
    tmp_path: Path, flags: tuple[str, ...], needle: str
) -> None:
    started = tagdesk("server", "serve", "--db", "postgresql://nobody@127.0.0.1:1/none",
                      "--wecom-api-base", "http://127.0.0.1:1/cgi-bin/", "--corp-id", "ww1",
                      "--secret-stdin", *flags, stdin="s3cret-value\n",
                      env=desktop_env(tmp_path))
    assert started.returncode == 2, started
    assert needle in started.stderr and "Traceback" not in started.stderr
    assert "short" not in started.stderr.replace("--callback-aes-key", "")


def test_customers_who_came_and_went_are_filtered_and_exported_by_a_desktop(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """What a supervisor's desktop reads: the customer_add / customer_delete rows through the
    team server's journal endpoints, filtered by action and exported with the tags lost."""
    userid = sorted(phone_sandbox.state.follow_users())[1]
    tag_id = sorted(phone_sandbox.state.tag_ids_by_name().values())[0]
    external_userid = phone_sandbox.phone.add_customer(userid, state="fair2026")
    phone_sandbox.phone.mark(userid, external_userid, add=[tag_id])
    wait_for(lambda: _rows(callback_server.db_url, "action = 'tag_add' AND external_userid"
                           " = %s", external_userid), timeout=15, what="the phone's tag")
    phone_sandbox.phone.delete_customer(userid, external_userid)
    wait_for(lambda: _rows(callback_server.db_url, "action = 'customer_delete' AND"
                           " external_userid = %s", external_userid), timeout=15,
             what="the deletion")

    device = log_in(callback_server.url, phone_sandbox, userid)
    session = requests.get(callback_server.url + "cgi-bin/gettoken", timeout=10, params={
        "corpid": phone_sandbox.corp_id, "corpsecret": device.token}).json()["access_token"]
    cache = Cache(tmp_path / "cache.sqlite3")
    try:
        journal = TeamJournal(cache, callback_server.url, lambda: str(session))
        came = journal.first_page(JournalFilter(actions=("customer_add",),
                                                customer=external_userid))
        assert [(r.action, r.probable_operator, r.after) for r in came] == [
            ("customer_add", userid, '{"state": "fair2026"}')]
        export = tmp_path / "gone.csv"
        gone = JournalFilter(actions=("customer_delete",), customer=external_userid)
        assert audit.export_journal(journal, gone, export) == 1
        with export.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.DictReader(handle))
        assert [(line["action"], line["tag_id"], line["userid"]) for line in lines] == [
            ("customer_delete", tag_id, userid)]
    finally:
        cache.close()


def test_a_callback_held_behind_a_relayed_write_is_handled_as_the_write_settles(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    """A phone's change to a relation whose relayed mark_tag has reached WeCom but not
    settled waits for it; the write's settling wakes the worker (not its next poll, 5 s)."""
    userid, customer, relayed = _untagged_relation(phone_sandbox)
    phoned = next(t for t in sorted(phone_sandbox.state.tag_ids_by_name().values())
                  if t != relayed and t not in phone_sandbox.state.relation_tag_ids(
                      userid, customer))
    device = log_in(callback_server.url, phone_sandbox, userid)
    answered: list[str] = []
    hold = phone_sandbox.hold_answers("externalcontact/mark_tag")
    with team_client(callback_server.url, phone_sandbox, device.token) as client:
        def tag() -> None:
            client.mark_tag(userid, customer, add=[relayed])
            answered.append(customer)

        write = threading.Thread(target=tag)
        try:
            write.start()
            assert hold.applied.wait(20), "the relayed mark_tag never reached WeCom"
            phone_sandbox.phone.mark(userid, customer, add=[phoned])
            wait_for(lambda: _one(callback_server.db_url, "SELECT count(*) FROM callback_event"
                                  " WHERE external_userid = %s AND status = 'pending'"
                                  " AND attempts = 0", customer) == 1,
                     timeout=15, what="the phone's callback, waiting for the write")
            time.sleep(0.5)                   # the worker has looked and gone back to sleep
        finally:
            hold.release()
            released = time.monotonic()
            write.join(20)
    assert answered == [customer]
    wait_for(lambda: _rows(callback_server.db_url, "source = 'callback' AND tag_id = %s"
                           " AND external_userid = %s", phoned, customer),
             timeout=15, what="the callback's journal row")
    elapsed = time.monotonic() - released
    assert elapsed < 2.5, elapsed
    assert _rows(callback_server.db_url, "tag_id = %s AND external_userid = %s", relayed,
                 customer)[0]["source"] == "relay"   # journaled once, by the relay


def test_a_relayed_write_no_callback_waits_behind_wakes_no_worker(
    callback_server: TeamServerProcess, phone_sandbox: SandboxServer
) -> None:
    """Settling a write NOTIFYs the server processes' callback workers only when an event
    waits behind it (the test above): a write nothing waits behind sends no notification,
    so no process runs a claim that finds nothing."""
    userid, customer, tag = _untagged_relation(phone_sandbox)
    device = log_in(callback_server.url, phone_sandbox, userid)
    with psycopg.connect(callback_server.db_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {SETTLED_CHANNEL}")
        with team_client(callback_server.url, phone_sandbox, device.token) as client:
            client.mark_tag(userid, customer, add=[tag])
        assert _rows(callback_server.db_url, "tag_id = %s AND external_userid = %s", tag,
                     customer)[0]["source"] == "relay"
        assert [n.channel for n in listener.notifies(timeout=1.0, stop_after=1)] == []
