"""A salesperson on a team profile sees and syncs only the customers they follow, as WeCom lets
them act; a department head sees the corp. The team server decides it, so a hand-written
request for another member's customers is refused with one sentence, and the team journal,
expiries, behaviour events and chats give a salesperson only those of their own customers
(none before the server's first re-sync). `--sales-see-all` turns it off."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from PySide6.QtWidgets import QMessageBox

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services import team_chats, team_events
from desktop.services.sync import run_sync
from desktop.services.team import TeamServerError, journal_call, team_api_base, team_call
from desktop.services.workspace import open_workspace
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
from desktop.ui.tag_dialogs import DeletionRequestDialog
from desktop.wecom.client import WeComClient
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED
from desktop.wecom.errors import WeComError
from desktop.wecom.write_note import WriteNote
from tests.import_sheets import import_sheet
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    logged_in_home,
    tagdesk,
    team_client,
    wait_for,
)

pytestmark = pytest.mark.integration

SELLER = "xutingyong"      # no department led, not an admin: 69 relations of the corp's 3,654
OTHER_SELLER = "caoxiao"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """3,000 customers, 40 members, 12 of them department heads."""
    data = tmp_path_factory.mktemp("scope-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=3000, members=40,
                                     seed=3)) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def server(postgres: PostgresCluster, corp: SandboxServer,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    process = TeamServerProcess(postgres.new_database(), corp,
                                tmp_path_factory.mktemp("scope-server"), "--admin", "boss")
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def device(server: TeamServerProcess, corp: SandboxServer) -> Callable[[str], str]:
    """A member's device token, their desktop logged in once for the module (a member gets at
    most 5 login codes in 15 minutes)."""
    devices: dict[str, str] = {}

    def of(userid: str) -> str:
        if userid not in devices:
            devices[userid] = log_in(server.url, corp, userid).token
        return devices[userid]

    return of


@pytest.fixture(scope="module")
def session(server: TeamServerProcess, corp: SandboxServer,
            device: Callable[[str], str]) -> Callable[[str], str]:
    """A session token of a member's, from their device of the module."""

    def of(userid: str) -> str:
        with team_client(server.url, corp, device(userid)) as client:
            return client.get_token()

    return of


def _session(url: str, corp: SandboxServer, userid: str) -> str:
    with team_client(url, corp, log_in(url, corp, userid).token) as client:
        return client.get_token()


@contextmanager
def _synced_window(qtbot: Any, home: Path, server: TeamServerProcess, corp: SandboxServer,
                   userid: str, token: str) -> Iterator[GuiSession]:
    """The app on a home logged in as `userid` with their device `token`, shown as at start,
    once its first sync (an empty cache) has ended; closed after."""
    logged_in_home(home, server.url, corp, userid, token=token)
    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    try:
        with qtbot.waitSignal(session.sync.finished, timeout=300_000):
            session.show()         # an empty cache syncs at once
        yield session
    finally:
        session.close()


def _first_resync(server: TeamServerProcess) -> None:
    def ended() -> bool:
        with psycopg.connect(server.db_url) as conn:
            row = conn.execute("SELECT finished_at FROM resync_run").fetchone()
        return row is not None and row[0] is not None

    wait_for(ended, timeout=120, what="the server's first re-sync")


def _head(corp: SandboxServer) -> str:
    with corp.state.transaction() as conn:
        leaders = {str(u) for u, in conn.execute(
            "SELECT userid FROM member_department WHERE is_leader = 1")}
    return sorted(leaders & set(corp.state.follow_users()))[0]


def _synced(env: dict[str, str]) -> tuple[dict[str, Any], str]:
    """`tagdesk sync`'s summary (its last line) and the lines before it."""
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=300)
    assert synced.returncode == 0, synced.stderr
    *text, last = synced.stdout.strip().splitlines()
    summary: dict[str, Any] = json.loads(last)
    return summary, "\n".join(text)


def test_a_salesperson_syncs_their_own_customers_and_a_head_the_corp(
    server: TeamServerProcess, corp: SandboxServer, tmp_path: Path
) -> None:
    relations = corp.state.relations()
    mine = [(u, e) for u, e in relations if u == SELLER]
    assert (len(mine), len(relations), len({e for _, e in relations})) == (69, 3654, 3000)

    seller_env = desktop_env(tmp_path / "seller")
    cli_login(seller_env, server.url, corp, SELLER)
    seller, said = _synced(seller_env)
    assert (seller["relations"], seller["customers"]) == (69, len({e for _, e in mine}))
    assert seller["scope"] == "mine"
    assert said.startswith(f"同步完成 / Sync complete · 我的客户 / My customers: {seller['customers']}"
                           " 客户 customers, 69 关系 relations")

    head_env = desktop_env(tmp_path / "head")
    cli_login(head_env, server.url, corp, _head(corp))
    head, said = _synced(head_env)
    assert (head["relations"], head["customers"], head["scope"]) == (3654, 3000, "corp")
    assert said.startswith("同步完成 / Sync complete: 3000 客户 customers, 3654 关系 relations")


@pytest.mark.gui
def test_the_window_says_my_customers_for_a_salesperson_only(
    qtbot: Any, server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    shown: dict[str, tuple[bool, str, int]] = {}
    for userid in (SELLER, _head(corp)):
        with _synced_window(qtbot, tmp_path / userid, server, corp, userid,
                            device(userid)) as session:
            label = session.window.status.scope
            relations = session.context.cache.connection().execute(
                "SELECT count(*) FROM relation").fetchone()[0]
            shown[userid] = (label.isVisible(), label.text(), relations)
    assert shown == {SELLER: (True, "My customers", 69), _head(corp): (False, "My customers", 3654)}


@pytest.mark.gui
def test_a_salesperson_s_deletion_request_counts_their_customers_as_their_own(
    qtbot: Any, server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 申请删除 confirmation counts the customers in the cache: a salesperson's own.
    It said that many customers would lose the tag in WeCom, 6 for a tag the server's
    request counted on 74; it says they are the salesperson's and that other members'
    customers lose it too."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    with _synced_window(qtbot, tmp_path / SELLER, server, corp, SELLER,
                        device(SELLER)) as session:
        tree = session.window.tag_tree
        qtbot.waitUntil(lambda: tree.rules is not None, timeout=30_000)
        tag_id, mine = session.context.cache.connection().execute(
            "SELECT t.id, count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " GROUP BY t.id ORDER BY count(*) DESC LIMIT 1").fetchone()
        everyone = sum(1 for u, e in corp.state.relations()
                       if tag_id in corp.state.relation_tag_ids(u, e))
        assert everyone > mine
        qtbot.waitUntil(lambda: tree.select_key(f"tag:{tag_id}"), timeout=30_000)
        tree.delete_current()
        qtbot.waitUntil(lambda: isinstance(tree.dialog, DeletionRequestDialog)
                        and tree.dialog.isVisible(), timeout=30_000)
        dialog = tree.dialog
        assert isinstance(dialog, DeletionRequestDialog)
        text = dialog.text_label.text()
        dialog.reject()
        assert f"Among your customers, {mine} customers ({mine} relations) will lose it in" \
            " WeCom, and so will the customers of other members who carry it." in text


@pytest.mark.gui
def test_a_salesperson_s_reports_say_they_count_their_own_customers(
    qtbot: Any, server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A salesperson's cache and team journal hold their own customers: the reports' charts
    ("Follow relations per tag": 69 relations at most) read as the corp's."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    with _synced_window(qtbot, tmp_path / SELLER, server, corp, SELLER,
                        device(SELLER)) as session:
        reports = session.window.open_reports()
        drawn: set[str] = set()
        reports.loaded.connect(drawn.add)
        qtbot.waitUntil(lambda: {"tags", "days", "operators", "health"} <= drawn,
                        timeout=60_000)
        titles = [view.chart().title() for view in (
            reports.tags_view, reports.days_view, reports.operators_view, reports.health_view)]
        assert titles == ["Follow relations per tag (My customers)",
                          "Journal rows per day, by source (My customers)",
                          "Changes per operator (seen-at-sync changes left out) (My customers)",
                          "Customers with and without tags (My customers)"]
        reports.close()


def test_an_import_row_for_another_members_customer_says_the_cache_holds_my_customers(
    server: TeamServerProcess, corp: SandboxServer, tmp_path: Path
) -> None:
    """A salesperson's import names a colleague's customer: their cache holds only their own,
    so the row says so and who to ask; it said to sync first and that the customer was
    deleted or outside the app's range, which a sync does not change."""
    theirs = next(e for u, e in corp.state.relations() if u == OTHER_SELLER
                  and (SELLER, e) not in set(corp.state.relations()))
    sheet = import_sheet(tmp_path / "mine.xlsx", [theirs, OTHER_SELLER, "VIP", ""])
    suggestions = {}
    for userid in (SELLER, _head(corp)):
        env = desktop_env(tmp_path / userid)
        cli_login(env, server.url, corp, userid)
        _synced(env)
        checked = tagdesk("import", "--profile", "team", "--dry-run", "--json", str(sheet),
                          env=env)
        problems = json.loads(checked.stdout.strip().splitlines()[-1])["problems"]
        suggestions[userid] = [p["suggestion"] for p in problems]
    [mine] = suggestions[SELLER]
    assert mine.startswith(f"本地缓存只有 {_name(corp, SELLER)} ({SELLER}) 跟进的客户（我的客户）")
    assert "imported by their follower or a supervisor" in mine and "visible range" not in mine
    assert suggestions[_head(corp)] == []      # the head's cache holds the corp


def test_a_salesperson_s_tag_health_judges_no_tag_a_zombie_by_their_own_customers(
    server: TeamServerProcess, corp: SandboxServer, tmp_path: Path
) -> None:
    """A tag none of a salesperson's 69 relations carries, or none of them got lately, is no
    zombie for the corp: their health report leaves zombies and empty groups to a desktop that
    sees the corp, and says its counts are their own customers'; it listed dozens of tags the
    corp uses as zombies."""
    reports, lines = {}, {}
    for userid in (SELLER, _head(corp)):
        env = desktop_env(tmp_path / userid)
        cli_login(env, server.url, corp, userid)
        _synced(env)
        checked = tagdesk("health", "--profile", "team", "--json", env=env)
        assert checked.returncode in (0, 1), checked.stderr
        reports[userid] = json.loads(checked.stdout.strip().splitlines()[-1])
        lines[userid] = checked.stdout + checked.stderr
    mine, corp_wide = reports[SELLER], reports[_head(corp)]
    assert corp_wide["zombies"] and (mine["zombies"], mine["empty_groups"]) == ([], [])
    assert f"只统计 {_name(corp, SELLER)} ({SELLER}) 跟进的客户（我的客户）" in lines[SELLER]
    assert "我的客户" not in lines[_head(corp)]


def _name(corp: SandboxServer, userid: str) -> str:
    with corp.state.transaction() as conn:
        return str(conn.execute("SELECT name FROM member WHERE userid = ?",
                                (userid,)).fetchone()[0])


def test_a_hand_written_request_for_another_members_customers_is_refused(
    server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str]
) -> None:
    theirs = next(e for u, e in corp.state.relations() if u == OTHER_SELLER
                  and (SELLER, e) not in set(corp.state.relations()))
    shared = next(e for u, e in corp.state.relations() if u == SELLER
                  and any(v != SELLER and f == e for v, f in corp.state.relations()))
    calls_before = corp.stats.calls("externalcontact/batch/get_by_user")
    with team_client(server.url, corp, device(SELLER)) as client:
        session = client.get_token()
        assert client.get_follow_user_list() == [SELLER]
        page = client.batch_get_by_user([SELLER])
        assert {f.userid for _, f in page.items} == {SELLER}
        detail = client.get_external_contact(shared)   # a customer other members follow too
        assert [f.userid for f in detail.follow_users] == [SELLER]
        for refused_call in (lambda: client.list_external_contacts(OTHER_SELLER),
                             lambda: client.get_external_contact(theirs),
                             lambda: client.mark_tag(OTHER_SELLER, theirs,
                                                     add=[sorted(corp.state.tag_ids_by_name()
                                                                 .values())[0]])):
            with pytest.raises(WeComError) as caught:
                refused_call()
            assert caught.value.errcode == TEAM_NOT_ALLOWED

    answer = requests.post(
        server.url + "cgi-bin/externalcontact/batch/get_by_user", timeout=30,
        params={"access_token": session},
        json={"userid_list": [SELLER, OTHER_SELLER], "limit": 100}).json()
    assert answer == {
        "errcode": TEAM_NOT_ALLOWED,
        "errmsg": f"销售只能查看和修改自己跟进的客户，不能查看或修改 {OTHER_SELLER} 的客户。"
                  " / A salesperson may see and change only the customers they follow, not"
                  f" those of {OTHER_SELLER}."}
    assert "external_contact_list" not in answer
    # the refused page never reached WeCom; the salesperson's own page did, once
    assert corp.stats.calls("externalcontact/batch/get_by_user") == calls_before + 1


def test_a_salesperson_reads_the_team_journal_rows_of_their_own_relations_only(
    server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str]
) -> None:
    tag_id = sorted(corp.state.tag_ids_by_name().values())[1]
    own = next(e for u, e in corp.state.relations()
               if u == SELLER and tag_id not in corp.state.relation_tag_ids(u, e))
    theirs = next(e for u, e in corp.state.relations()
                  if u == OTHER_SELLER and tag_id not in corp.state.relation_tag_ids(u, e))
    with team_client(server.url, corp, device(_head(corp))) as client:
        client.mark_tag(OTHER_SELLER, theirs, add=[tag_id])
        client.mark_tag(SELLER, own, add=[tag_id])
        head_session = client.get_token()
    with team_client(server.url, corp, device(SELLER)) as client:
        client.mark_tag(SELLER, own, remove=[tag_id])
        session = client.get_token()

    everything = journal_call(server.url, head_session, "", {"limit": 1000})["rows"]
    assert {(r["userid"], r["external_userid"]) for r in everything} == {
        (OTHER_SELLER, theirs), (SELLER, own)}
    rows = journal_call(server.url, session, "", {"limit": 1000})["rows"]
    assert [(r["userid"], r["external_userid"], r["action"]) for r in rows] == [
        (SELLER, own, "tag_add"), (SELLER, own, "tag_remove")]
    ids = journal_call(server.url, session, "ids", {"tag": tag_id})["ids"]
    assert ids == [r["id"] for r in reversed(rows)]
    by_id = journal_call(server.url, session, "rows", {"id": [r["id"] for r in everything]})
    assert [r["userid"] for r in by_id["rows"]] == [SELLER, SELLER]
    batches = journal_call(server.url, session, "batches", {})["batches"]
    assert sum(int(b["rows"]) for b in batches) == 2
    stats = journal_call(server.url, session, "stats", {"since": 0, "until": 4e9})
    assert sorted((o["operator"], o["rows"]) for o in stats["per_operator"]) == sorted(
        [(_head(corp), 1), (SELLER, 1)])
    with pytest.raises(TeamServerError) as caught:
        journal_call(server.url, session, "", {"owner": OTHER_SELLER})
    assert f"不能查看或修改 {OTHER_SELLER} 的客户" in str(caught.value)
    with pytest.raises(TeamServerError):       # nor the stats of another's customers
        journal_call(server.url, session, "stats", {"since": 0, "until": 4e9,
                                                    "owner": [OTHER_SELLER]})
    # a head's department view: the stats of the rows on the members' customers given
    their_rows = [r for r in everything if r["userid"] == OTHER_SELLER]
    theirs_only = journal_call(server.url, head_session, "stats",
                               {"since": 0, "until": 4e9, "owner": [OTHER_SELLER]})
    assert sum(d["rows"] for d in theirs_only["per_day"]) == len(their_rows) == 1
    assert [(o["operator"], o["rows"]) for o in theirs_only["per_operator"]] == [
        (_head(corp), 1)]
    corp_wide = journal_call(server.url, head_session, "stats", {"since": 0, "until": 4e9})
    assert sum(d["rows"] for d in corp_wide["per_day"]) == len(everything) > len(their_rows)


def test_a_salesperson_gets_and_sets_the_expiries_of_their_own_relations_only(
    server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str],
    session: Callable[[str], str]
) -> None:
    tag_id = sorted(corp.state.tag_ids_by_name().values())[2]
    targets = [next((u, e) for u, e in corp.state.relations()
                    if u == userid and tag_id not in corp.state.relation_tag_ids(u, e))
               for userid in (SELLER, OTHER_SELLER)]
    with WeComClient(team_api_base(server.url), corp.corp_id, device(_head(corp)),
                     team_url=server.url) as client:
        for userid, customer in targets:
            before = tuple(sorted(corp.state.relation_tag_ids(userid, customer)))
            with client.noting(WriteNote(batch_id=f"expiring-{userid}", source="app",
                                         before=before, expiring=((tag_id, 3600),))) as noted:
                noted.mark_tag(userid, customer, add=[tag_id])
        head_session = client.get_token()
    seller = session(SELLER)

    def listed(token: str) -> list[tuple[str, str]]:
        answer = team_call("GET", server.url, "tagdesk/v1/expiries", None,
                           {"access_token": token})
        return sorted((e["userid"], e["external_userid"]) for e in answer["expiries"])

    assert listed(head_session) == sorted(targets)
    assert listed(seller) == [targets[0]]
    userid, customer = targets[1]
    with pytest.raises(TeamServerError) as caught:
        team_call("POST", server.url, "tagdesk/v1/expiries", {"set": [
            {"userid": userid, "external_userid": customer, "tag_id": tag_id,
             "expires_in_s": 60}]}, {"access_token": seller})
    assert f"不能查看或修改 {OTHER_SELLER} 的客户" in str(caught.value)


def test_a_salesperson_reads_the_auto_tagging_verdicts_on_their_own_relations_only(
    server: TeamServerProcess, corp: SandboxServer, session: Callable[[str], str]
) -> None:
    """Which customer got which tag is the journal's kind of record: scoped as its rows."""
    own, theirs, shared, colleague = _customers(corp)
    verdicts = [(SELLER, own, "accepted"), (OTHER_SELLER, theirs, "rejected"),
                (colleague, shared, "accepted"), (SELLER, shared, "rejected")]
    head = session(_head(corp))
    stored = team_call("POST", server.url, REVIEWS, {"reviews": [
        {"external_userid": customer, "userid": userid, "tag": "高意向", "verdict": verdict,
         "msg_keys": []} for userid, customer, verdict in verdicts]}, {"access_token": head})
    assert stored["stored"] == len(verdicts)

    def listed(token: str) -> list[tuple[str, str, str]]:
        return [(r["userid"], r["external_userid"], r["verdict"])
                for r in _read(server.url, REVIEWS, token)["reviews"]]

    assert listed(head)[-4:] == verdicts
    assert [v for v in listed(session(SELLER)) if v in verdicts] == [verdicts[0], verdicts[3]]
    assert {userid for userid, _, _ in listed(session(SELLER))} == {SELLER}


def test_sales_see_all_lets_a_salesperson_read_the_corp(
    postgres: PostgresCluster, corp: SandboxServer, tmp_path: Path
) -> None:
    open_server = TeamServerProcess(postgres.new_database(), corp, tmp_path, "--admin", "boss",
                                    "--sales-see-all")
    try:
        device = log_in(open_server.url, corp, SELLER)
        with team_client(open_server.url, corp, device.token) as client:
            assert sorted(client.get_follow_user_list()) == sorted(corp.state.follow_users())
            page = client.batch_get_by_user([OTHER_SELLER])
            assert {f.userid for _, f in page.items} == {OTHER_SELLER}
            token = client.get_token()
        theirs = _customers(corp)[1]
        team_call("POST", open_server.url, CHATS, {"messages": [
            _message(OTHER_SELLER, theirs, "销售也能看全公司")]}, {"access_token": token})
        assert [(m["userid"], m["external_userid"]) for m in _read(
            open_server.url, CHATS, token)["messages"]] == [(OTHER_SELLER, theirs)]
        team_call("POST", open_server.url, REVIEWS, {"reviews": [
            {"external_userid": theirs, "userid": OTHER_SELLER, "tag": "高意向",
             "verdict": "accepted", "msg_keys": []}]}, {"access_token": token})
        assert [(r["userid"], r["external_userid"]) for r in _read(
            open_server.url, REVIEWS, token)["reviews"]] == [(OTHER_SELLER, theirs)]
    finally:
        open_server.stop()


EVENTS, CHATS = "tagdesk/v1/events", "tagdesk/v1/chats"
REVIEWS = "tagdesk/v1/autotag/reviews"


def _customers(corp: SandboxServer) -> tuple[str, str, str, str]:
    """A customer of the salesperson's alone, one of another's alone, and a customer the
    salesperson shares with a colleague, with that colleague."""
    relations = set(corp.state.relations())
    followers: dict[str, set[str]] = {}
    for userid, customer in relations:
        followers.setdefault(customer, set()).add(userid)
    own = min(e for e, users in followers.items() if users == {SELLER})
    theirs = min(e for e, users in followers.items() if users == {OTHER_SELLER})
    shared = min(e for e, users in followers.items() if SELLER in users and len(users) > 1)
    return own, theirs, shared, min(followers[shared] - {SELLER})


def _message(userid: str, customer: str, text: str) -> dict[str, str]:
    return {"time": "2026-12-01 09:30", "userid": userid, "external_userid": customer,
            "direction": "in", "text": text}


def _read(url: str, path: str, token: str) -> dict[str, Any]:
    return team_call("GET", url, path, None, {"access_token": token, "limit": 5000})


def test_a_salesperson_reads_the_events_of_the_customers_they_follow_only(
    server: TeamServerProcess, corp: SandboxServer, session: Callable[[str], str]
) -> None:
    own, theirs, shared, _colleague = _customers(corp)
    head = session(_head(corp))
    pushed = team_call("POST", server.url, EVENTS, {"events": [
        {"id": f"scope-{customer}", "time": "2026-12-01 09:30", "external_userid": customer,
         "type": "order_paid"} for customer in (own, theirs, shared)]}, {"access_token": head})
    assert pushed["stored"] == 3
    _first_resync(server)

    def customers(token: str) -> set[str]:
        return {e["external_userid"] for e in _read(server.url, EVENTS, token)["events"]}

    assert customers(head) == {own, theirs, shared}
    assert customers(session(SELLER)) == {own, shared}


def test_a_salesperson_reads_and_pushes_the_chats_of_their_own_relations_only(
    server: TeamServerProcess, corp: SandboxServer, session: Callable[[str], str]
) -> None:
    own, theirs, shared, colleague = _customers(corp)
    head, seller = session(_head(corp)), session(SELLER)
    team_call("POST", server.url, CHATS, {"messages": [
        _message(SELLER, own, "我的客户问价格"), _message(colleague, shared, "同事和共同客户的私聊"),
        _message(OTHER_SELLER, theirs, "别人的客户")]}, {"access_token": head})
    _first_resync(server)

    def texts(token: str) -> set[tuple[str, str, str]]:
        return {(m["userid"], m["external_userid"], m["text"])
                for m in _read(server.url, CHATS, token)["messages"]}

    assert texts(head) == {(SELLER, own, "我的客户问价格"), (colleague, shared, "同事和共同客户的私聊"),
                           (OTHER_SELLER, theirs, "别人的客户")}
    assert texts(seller) == {(SELLER, own, "我的客户问价格")}

    taken = team_call("POST", server.url, CHATS, {"messages": [
        _message(SELLER, shared, "我和共同客户的聊天")]}, {"access_token": seller})
    assert taken["stored"] == 1
    assert texts(seller) == {(SELLER, own, "我的客户问价格"), (SELLER, shared, "我和共同客户的聊天")}
    with pytest.raises(TeamServerError) as others:
        team_call("POST", server.url, CHATS, {"messages": [
            _message(SELLER, own, "夹带的消息"), _message(OTHER_SELLER, theirs, "冒充别人的消息")]},
            {"access_token": seller})
    assert others.value.errcode == TEAM_NOT_ALLOWED
    assert f"不能查看或修改 {OTHER_SELLER} 的客户" in str(others.value)
    with pytest.raises(TeamServerError) as stranger:
        team_call("POST", server.url, CHATS, {"messages": [
            _message(SELLER, theirs, "不是我跟进的客户")]}, {"access_token": seller})
    assert f"您没有跟进客户 {theirs}" in str(stranger.value)
    assert not {t for _, _, t in texts(head)} & {"夹带的消息", "冒充别人的消息", "不是我跟进的客户"}


def test_before_its_first_resync_the_server_gives_a_salesperson_no_events_or_chats(
    postgres: PostgresCluster, corp: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    closed = TeamServerProcess(postgres.new_database(), corp, tmp_path, "--admin", "boss",
                               "--resync-interval", "0")
    try:
        own = _customers(corp)[0]
        head = _session(closed.url, corp, _head(corp))
        logged_in_home(tmp_path / "seller", closed.url, corp, SELLER)
        workspace = open_workspace(tmp_path / "seller", "team")
        with workspace.client() as client:
            seller = client.get_token()
        team_call("POST", closed.url, EVENTS, {"events": [
            {"time": "2026-12-01 09:30", "external_userid": own, "type": "order_paid"}]},
            {"access_token": head})
        team_call("POST", closed.url, CHATS, {"messages": [_message(SELLER, own, "问价格")]},
                  {"access_token": head})
        why = ("团队服务器尚未读完企业的客户关系（首次同步未完成），还不能确定您跟进哪些客户，因此{}。"
               " / The team server has not finished reading the corp's relations (its first"
               " re-sync), so it cannot tell yet which customers you follow and {} until then.")
        assert _read(closed.url, EVENTS, seller) == {
            "errcode": 0, "errmsg": "ok", "events": [], "next_after_id": None,
            "withheld": why.format("暂不提供客户的行为事件", "gives you no behaviour events")}
        assert _read(closed.url, CHATS, seller) == {
            "errcode": 0, "errmsg": "ok", "messages": [], "next_after_id": None,
            "withheld": why.format("暂不提供聊天记录", "gives you no chats")}
        assert len(_read(closed.url, EVENTS, head)["events"]) == 1
        assert len(_read(closed.url, CHATS, head)["messages"]) == 1
        with pytest.raises(TeamServerError) as refused:
            team_call("POST", closed.url, CHATS, {"messages": [_message(SELLER, own, "再问")]},
                      {"access_token": seller})
        assert refused.value.errcode == TEAM_NOT_ALLOWED
        upload = why.format("暂不接收您上传的聊天记录", "takes none of your chat uploads")
        zh, en = upload.split(" / ")
        assert zh in refused.value.message_zh and en in refused.value.message_en

        said: list[str] = []     # the desktop's fetch says why and asks again next time
        assert team_events.fetch(workspace, lambda p: said.append(p.text)) == 0
        assert said == [why.format("暂不提供客户的行为事件", "gives you no behaviour events")]
        assert workspace.cache.get_meta("team_events_after_id", "0") == "0"
        workspace.close()
        env = {**desktop_env(tmp_path), "TAGDESK_HOME": str(tmp_path / "seller")}
        events_withheld = why.format("暂不提供客户的行为事件", "gives you no behaviour events")
        synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
        assert synced.returncode == 0, synced.stderr
        assert synced.stdout.splitlines()[1] == events_withheld    # after the summary line
        as_json = tagdesk("sync", "--profile", "team", "--json", env=env, timeout=120)
        assert as_json.returncode == 0, as_json.stderr
        summary = json.loads(as_json.stdout.splitlines()[-1])
        assert summary["withheld"] == [events_withheld] and summary["scope"] == "mine"
    finally:
        closed.stop()


def test_a_customer_who_becomes_a_salespersons_brings_their_earlier_events_and_chats(
    postgres: PostgresCluster, corp: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The desktop fetches after the last record it got; a customer who was another's when
    their records came was skipped then, and is fetched from the start once theirs."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    moving = TeamServerProcess(postgres.new_database(), corp, tmp_path, "--admin", "boss",
                               "--resync-interval", "5")
    own, theirs, _shared, _colleague = _customers(corp)
    try:
        head = _session(moving.url, corp, _head(corp))
        _first_resync(moving)
        team_call("POST", moving.url, EVENTS, {"events": [
            {"time": "2026-12-01 09:30", "external_userid": customer, "type": "order_paid"}
            for customer in (theirs, own)]}, {"access_token": head})
        team_call("POST", moving.url, CHATS, {"messages": [
            _message(SELLER, theirs, "加好友前的聊天"), _message(SELLER, own, "老客户的聊天")]},
            {"access_token": head})
        logged_in_home(tmp_path / "seller", moving.url, corp, SELLER)
        workspace = open_workspace(tmp_path / "seller", "team")

        def fetched() -> tuple[set[str], set[str]]:
            run_sync(workspace.client(), workspace.cache)
            team_events.fetch(workspace)
            team_chats.fetch(workspace)
            db = workspace.cache.connection()
            return ({str(e) for e, in db.execute("SELECT external_userid FROM event")},
                    {str(e) for e, in db.execute("SELECT external_userid FROM chat_message")})

        try:
            assert fetched() == ({own}, {own})
            corp.phone.add_customer(SELLER, external_userid=theirs)
            try:
                def in_snapshot() -> bool:
                    with psycopg.connect(moving.db_url) as conn:
                        return conn.execute(
                            "SELECT 1 FROM relation_tag_snapshot WHERE userid = %s AND"
                            " external_userid = %s", (SELLER, theirs)).fetchone() is not None

                wait_for(in_snapshot, timeout=120, what="the re-sync reading the new relation")
                assert fetched() == ({own, theirs}, {own, theirs})
            finally:
                corp.state.delete_relation(SELLER, theirs)
        finally:
            workspace.close()
    finally:
        moving.stop()


@pytest.mark.gui
def test_a_deletion_request_filed_here_counts_in_the_approvals_item_at_once(
    qtbot: Any, server: TeamServerProcess, corp: SandboxServer, device: Callable[[str], str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """File → Approvals (N) counted the request only at the next minute's poll: it said 0
    (or the count before) for up to a minute after 申请删除 was sent. Last in the module:
    the request is a team journal row the tests above do not expect."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(QMessageBox, "information",
                        lambda *_a: QMessageBox.StandardButton.Ok)   # "Request sent", modal
    home = tmp_path / SELLER
    logged_in_home(home, server.url, corp, SELLER, token=device(SELLER))
    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    try:
        with qtbot.waitSignal(session.sync.finished, timeout=300_000):
            session.show()
        window, tree = session.window, session.window.tag_tree
        monitor = window.governance
        assert monitor is not None
        qtbot.waitUntil(lambda: tree.rules is not None and not monitor.busy, timeout=30_000)
        before = monitor.pending
        (tag_id,) = session.context.cache.connection().execute(
            "SELECT t.id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " GROUP BY t.id ORDER BY count(*) LIMIT 1").fetchone()
        qtbot.waitUntil(lambda: tree.select_key(f"tag:{tag_id}"), timeout=30_000)
        tree.delete_current()
        qtbot.waitUntil(lambda: isinstance(tree.dialog, DeletionRequestDialog)
                        and tree.dialog.isVisible(), timeout=30_000)
        dialog = tree.dialog
        assert isinstance(dialog, DeletionRequestDialog)
        dialog.reason_edit.setText("不再使用")
        with qtbot.waitSignal(session.context.status_message, timeout=30_000):
            dialog.accept()
        qtbot.waitUntil(lambda: monitor.pending == before + 1, timeout=15_000)
        assert window.approvals_action.text() == f"&Approvals ({before + 1})…"
    finally:
        session.close()
