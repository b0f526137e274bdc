"""A salesperson on a team profile sees and syncs only the customers they follow, as WeCom lets
them act; a department head sees the corp. The team server decides it, so a hand-written
request for another member's customers is refused with one sentence, and the team journal
gives a salesperson only the rows on their own relations. `--sales-see-all` turns it off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.team import TeamServerError, journal_call, team_api_base, team_call
from desktop.services.workspace import open_workspace
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
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


def _head(corp: SandboxServer) -> str:
    with corp.state.transaction() as conn:
        leaders = {str(u) for u, in conn.execute(
            "SELECT userid FROM member_department WHERE is_leader = 1")}
    return sorted(leaders & set(corp.state.follow_users()))[0]


def _synced(env: dict[str, str]) -> dict[str, int]:
    synced = tagdesk("sync", "--profile", "team", "--json", env=env, timeout=300)
    assert synced.returncode == 0, synced.stderr
    summary: dict[str, int] = json.loads(synced.stdout.strip().splitlines()[-1])
    return summary


def test_a_salesperson_syncs_their_own_customers_and_a_head_the_corp(
    server: TeamServerProcess, corp: SandboxServer, tmp_path: Path
) -> None:
    relations = corp.state.relations()
    mine = [(u, e) for u, e in relations if u == SELLER]
    assert (len(mine), len(relations), len({e for _, e in relations})) == (69, 3654, 3000)

    seller_env = desktop_env(tmp_path / "seller")
    cli_login(seller_env, server.url, corp, SELLER)
    seller = _synced(seller_env)
    assert (seller["relations"], seller["customers"]) == (69, len({e for _, e in mine}))

    head_env = desktop_env(tmp_path / "head")
    cli_login(head_env, server.url, corp, _head(corp))
    head = _synced(head_env)
    assert (head["relations"], head["customers"]) == (3654, 3000)


@pytest.mark.gui
def test_the_window_says_my_customers_for_a_salesperson_only(
    qtbot: Any, server: TeamServerProcess, corp: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    shown: dict[str, tuple[bool, str, int]] = {}
    for userid in (SELLER, _head(corp)):
        home = tmp_path / userid
        logged_in_home(home, server.url, corp, userid)
        session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
        qtbot.addWidget(session.window)
        try:
            with qtbot.waitSignal(session.sync.finished, timeout=300_000):
                session.show()         # an empty cache syncs at once
            label = session.window.status.scope
            relations = session.context.cache.connection().execute(
                "SELECT count(*) FROM relation").fetchone()[0]
            shown[userid] = (label.isVisible(), label.text(), relations)
        finally:
            session.close()
    assert shown == {SELLER: (True, "My customers", 69), _head(corp): (False, "My customers", 3654)}


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


def _name(corp: SandboxServer, userid: str) -> str:
    with corp.state.transaction() as conn:
        return str(conn.execute("SELECT name FROM member WHERE userid = ?",
                                (userid,)).fetchone()[0])


def test_a_hand_written_request_for_another_members_customers_is_refused(
    server: TeamServerProcess, corp: SandboxServer
) -> None:
    device = log_in(server.url, corp, SELLER)
    theirs = next(e for u, e in corp.state.relations() if u == OTHER_SELLER
                  and (SELLER, e) not in set(corp.state.relations()))
    shared = next(e for u, e in corp.state.relations() if u == SELLER
                  and any(v != SELLER and f == e for v, f in corp.state.relations()))
    calls_before = corp.stats.calls("externalcontact/batch/get_by_user")
    with team_client(server.url, corp, device.token) as client:
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
    server: TeamServerProcess, corp: SandboxServer
) -> None:
    tag_id = sorted(corp.state.tag_ids_by_name().values())[1]
    own = next(e for u, e in corp.state.relations()
               if u == SELLER and tag_id not in corp.state.relation_tag_ids(u, e))
    theirs = next(e for u, e in corp.state.relations()
                  if u == OTHER_SELLER and tag_id not in corp.state.relation_tag_ids(u, e))
    head = log_in(server.url, corp, _head(corp))
    with team_client(server.url, corp, head.token) as client:
        client.mark_tag(OTHER_SELLER, theirs, add=[tag_id])
        client.mark_tag(SELLER, own, add=[tag_id])
        head_session = client.get_token()
    seller = log_in(server.url, corp, SELLER)
    with team_client(server.url, corp, seller.token) as client:
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


def test_a_salesperson_gets_and_sets_the_expiries_of_their_own_relations_only(
    server: TeamServerProcess, corp: SandboxServer
) -> None:
    tag_id = sorted(corp.state.tag_ids_by_name().values())[2]
    targets = [next((u, e) for u, e in corp.state.relations()
                    if u == userid and tag_id not in corp.state.relation_tag_ids(u, e))
               for userid in (SELLER, OTHER_SELLER)]
    head = log_in(server.url, corp, _head(corp))
    with WeComClient(team_api_base(server.url), corp.corp_id, head.token,
                     team_url=server.url) as client:
        for userid, customer in targets:
            before = tuple(sorted(corp.state.relation_tag_ids(userid, customer)))
            with client.noting(WriteNote(batch_id=f"expiring-{userid}", source="app",
                                         before=before, expiring=((tag_id, 3600),))) as noted:
                noted.mark_tag(userid, customer, add=[tag_id])
        head_session = client.get_token()
    seller = log_in(server.url, corp, SELLER)
    with team_client(server.url, corp, seller.token) as client:
        session = client.get_token()

    def listed(token: str) -> list[tuple[str, str]]:
        answer = team_call("GET", server.url, "tagdesk/v1/expiries", None,
                           {"access_token": token})
        return sorted((e["userid"], e["external_userid"]) for e in answer["expiries"])

    assert listed(head_session) == sorted(targets)
    assert listed(session) == [targets[0]]
    userid, customer = targets[1]
    with pytest.raises(TeamServerError) as caught:
        team_call("POST", server.url, "tagdesk/v1/expiries", {"set": [
            {"userid": userid, "external_userid": customer, "tag_id": tag_id,
             "expires_in_s": 60}]}, {"access_token": session})
    assert f"不能查看或修改 {OTHER_SELLER} 的客户" in str(caught.value)


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
    finally:
        open_server.stop()
