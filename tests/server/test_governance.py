"""Governance through the real team server and PostgreSQL, against the sandbox corp: heads
edit only their department's groups, members add sub-tags but not groups, deletions become
approval requests an admin approves with a second code, and every fault is refused with one
sentence, writes nothing and is journaled."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.domain.bilingual import half
from desktop.domain.governance import Actor
from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.team import store_device_token, team_api_base
from desktop.store.members import directory_members
from desktop.ui.approvals_dialog import COLUMNS, ApprovalsDialog
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.scenes_dialog import REVIEW
from desktop.ui.tag_tree_model import Role as TreeRole
from desktop.wecom.client import WeComClient
from desktop.wecom.error_codes import (
    TEAM_APPROVAL_REFUSED,
    TEAM_APPROVAL_REQUIRED,
    TEAM_NOT_ALLOWED,
)
from desktop.wecom.errors import WeComError
from tests.gui.qt_items import cell
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    inbox_size,
    log_in,
    newest_code,
    tagdesk,
    wait_for,
)
from tests.server.test_team_profile_view import _chinese_window, _team_home

pytestmark = pytest.mark.integration

MARKETING, OPERATIONS, SALES_I, NORTH = 2, 3, 5, 7


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """Enough members that 市场部, 运营部 and 销售一部 each have a head and a plain member."""
    data = tmp_path_factory.mktemp("governance-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=80, members=24, seed=5)) as server:
        yield server


def _people(corp: SandboxServer) -> dict[str, str]:
    with corp.state.transaction() as conn:
        rows = conn.execute("SELECT userid, department_id, is_leader FROM member_department"
                            " ORDER BY userid").fetchall()
    heads = {d: u for u, d, leader in rows if leader}
    plain = {d: u for u, d, leader in rows if not leader and u not in heads.values()}
    return {"head_mkt": heads[MARKETING], "head_ops": heads[OPERATIONS],
            "admin": heads[SALES_I], "member_mkt": plain[MARKETING],
            "member_sales": plain[SALES_I], "head_north": heads[NORTH]}


@pytest.fixture(scope="module")
def people(corp: SandboxServer) -> dict[str, str]:
    return _people(corp)


@pytest.fixture(scope="module")
def server(postgres: PostgresCluster, corp: SandboxServer, people: dict[str, str],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    process = TeamServerProcess(postgres.new_database(), corp,
                                tmp_path_factory.mktemp("governance-server"),
                                "--admin", people["admin"])
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def device_token(server: TeamServerProcess, corp: SandboxServer) -> Callable[[str], str]:
    """A userid's device token, logged in once for the module: the server sends a userid at
    most five login codes in 15 minutes."""
    made: dict[str, str] = {}

    def token(userid: str) -> str:
        if userid not in made:
            made[userid] = log_in(server.url, corp, userid).token
        return made[userid]

    return token


@pytest.fixture(scope="module")
def clients(server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
            device_token: Callable[[str], str]) -> Iterator[dict[str, WeComClient]]:
    made = {role: WeComClient(team_api_base(server.url), corp.corp_id,
                              device_token(userid), team_url=server.url)
            for role, userid in people.items()}
    yield made
    for client in made.values():
        client.close()


@pytest.fixture(scope="module")
def admin_env(server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = desktop_env(tmp_path_factory.mktemp("admin-desktop"))
    cli_login(env, server.url, corp, people["admin"])
    return env


def _journal(server: TeamServerProcess, action: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(server.db_url) as conn:
        rows = conn.execute("SELECT operator, tag_name, reason FROM team_journal"
                            " WHERE action = %s ORDER BY id", (action,)).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def _refused(action: object, errcode: int = TEAM_NOT_ALLOWED) -> WeComError:
    with pytest.raises(WeComError) as caught:
        action()  # type: ignore[operator]
    assert caught.value.errcode == errcode, caught.value
    return caught.value


def _approve_cli(env: dict[str, str], corp: SandboxServer, admin: str, approval_id: int,
                 code: str | None = None) -> tuple[subprocess.CompletedProcess[str], str]:
    """`tagdesk approvals approve ID --code-stdin`, typing the code sent to the admin (or
    `code`); returns the run and the code that was sent."""
    seen = inbox_size(corp, admin)
    run = subprocess.Popen([sys.executable, "-m", "desktop", "approvals", "approve",
                            str(approval_id), "--profile", "team", "--code-stdin", "--json"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, env=env)
    try:
        wait_for(lambda: run.poll() is not None or inbox_size(corp, admin) > seen,
                 what="the approval code or the end of approve")
        sent = newest_code(corp, admin, seen) if run.poll() is None else ""
        out, err = run.communicate((code or sent) + "\n", timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    return subprocess.CompletedProcess(run.args, run.returncode, out, err), sent


def test_a_head_edits_their_departments_groups_only(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient]) -> None:
    mkt_tag = corp.state.find_tag("MKT-活动", "线下沙龙")
    ops_tag = corp.state.find_tag("OPS-服务", "已开票")
    assert mkt_tag and ops_tag
    head = clients["head_mkt"]
    head.edit_corp_tag(mkt_tag, name="线下沙龙会")
    assert corp.state.find_tag("MKT-活动", "线下沙龙会") == mkt_tag
    refused = _refused(lambda: head.edit_corp_tag(ops_tag, name="开票完成"))
    assert refused.message_zh.startswith("只有 运营部 负责人或管理员可以修改 OPS- 标签组（errcode")
    assert refused.message_en.startswith(
        "Only the head of 运营部 or an administrator may edit OPS- groups (errcode")
    assert corp.state.find_tag("OPS-服务", "已开票") == ops_tag  # nothing written
    mkt_group = corp.state.find_group("MKT-渠道")
    assert mkt_group
    _refused(lambda: head.edit_corp_tag(mkt_group, name="OPS-渠道"))
    assert corp.state.find_group("MKT-渠道") == mkt_group
    _refused(lambda: clients["member_mkt"].add_corp_tag(group_name="MKT-新群", tags=["a"]))
    refusals = _journal(server, "refused")
    assert [r[1] for r in refusals[:2]] == ["已开票", ""] and "OPS-" in refusals[0][2]
    assert half(refusals[0][2], english=True).startswith("Only the head of 运营部")


def _settings(server: TeamServerProcess, client: WeComClient, *changes: dict[str, Any]
              ) -> requests.Response:
    return requests.post(f"{server.url}tagdesk/v1/settings", timeout=30,
                         params={"access_token": client.get_token()},
                         json={"changes": list(changes)})


def _team_items(server: TeamServerProcess, client: WeComClient) -> dict[tuple[str, str], Any]:
    answer = requests.get(f"{server.url}tagdesk/v1/settings", timeout=30,
                          params={"access_token": client.get_token(), "since": "0"}).json()
    return {(i["kind"], i["key"]): (i["value"], i["author"]) for i in answer["items"]
            if i["value"] is not None}


def test_a_team_set_or_filter_is_changed_only_by_its_author_a_head_or_an_admin(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str]) -> None:
    mkt = [corp.state.find_tag("MKT-活动", name) for name in ("双11预热", "618大促", "直播专场")]
    author, sets = people["member_mkt"], "exclusive_set"
    assert _settings(server, clients["member_mkt"], {"kind": sets, "key": "活动档期",
                                                     "value": mkt[:2]}).json()["errcode"] == 0
    for role, change in (("member_sales", None), ("member_sales", mkt[1:]), ("head_ops", None)):
        refused = _settings(server, clients[role], {"kind": sets, "key": "活动档期",
                                                    "value": change})
        assert refused.status_code == 403 and refused.json() == {
            "errcode": TEAM_NOT_ALLOWED,
            "errmsg": f"只有作者 {author}、市场部 负责人或管理员可以删除或修改团队互斥标签组「活动档期」"
                      f" / Only its author {author}, the head of 市场部 or an administrator may"
                      " delete or change the team exclusive set 活动档期"}
    assert _team_items(server, clients["admin"])[(sets, "活动档期")] == (mkt[:2], author)
    assert _settings(server, clients["head_mkt"], {"kind": sets, "key": "活动档期",
                                                   "value": mkt[1:]}).json()["errcode"] == 0
    assert _team_items(server, clients["admin"])[(sets, "活动档期")] == (mkt[1:], author)
    assert _settings(server, clients["admin"], {"kind": sets, "key": "活动档期",
                                                "value": None}).json()["errcode"] == 0

    saved = {"kind": "saved_filter", "key": "大促客户", "value": "618大促 AND NOT 已成交"}
    assert _settings(server, clients["member_sales"], saved).json()["errcode"] == 0
    refused = _settings(server, clients["head_mkt"], {**saved, "value": None},
                        {"kind": "saved_filter", "key": "另一个", "value": "VIP"})
    assert refused.status_code == 403 and refused.json()["errmsg"].endswith(
        f" / Only its author {people['member_sales']} or an administrator may delete or change"
        " the team saved filter 大促客户")
    items = _team_items(server, clients["head_mkt"])
    assert ("saved_filter", "另一个") not in items      # nothing of a refused request is saved
    assert _settings(server, clients["member_sales"], {**saved, "value": None}
                     ).json()["errcode"] == 0
    assert _settings(server, clients["head_mkt"], saved).json()["errcode"] == 0  # now theirs
    assert _team_items(server, clients["admin"])[("saved_filter", "大促客户")] == (
        saved["value"], people["head_mkt"])


def test_a_team_item_is_decided_before_the_settings_are_locked(
        postgres: PostgresCluster, corp: SandboxServer, people: dict[str, str],
        tmp_path: Path) -> None:
    """Deciding whether a head may change someone's set reads WeCom (the directory, the tags'
    groups): another user's settings write does not wait for those calls."""
    fresh = TeamServerProcess(postgres.new_database(), corp, tmp_path / "server",
                              "--admin", people["admin"])       # nothing of WeCom read yet
    made = {role: WeComClient(team_api_base(fresh.url), corp.corp_id,
                              log_in(fresh.url, corp, people[role]).token, team_url=fresh.url)
            for role in ("member_mkt", "head_mkt", "member_sales")}
    try:
        for client in made.values():
            client.get_token()
        mkt = [corp.state.find_tag("MKT-活动", name) for name in ("双11预热", "618大促")]
        assert _settings(fresh, made["member_mkt"], {"kind": "exclusive_set", "key": "档期",
                                                     "value": mkt}).json()["errcode"] == 0
        corp.configure(latency_ms=1500)
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                deciding = pool.submit(_settings, fresh, made["head_mkt"], {
                    "kind": "exclusive_set", "key": "档期", "value": mkt[::-1]})
                time.sleep(0.75)                          # WeCom is answering its first read
                started = time.perf_counter()
                own = _settings(fresh, made["member_sales"],
                                {"kind": "saved_filter", "key": "我的", "value": "VIP"})
                waited = time.perf_counter() - started
                decided = deciding.result()
        finally:
            corp.configure(latency_ms=0)
        assert own.json()["errcode"] == 0 and decided.json()["errcode"] == 0
        assert waited < 1.0, waited        # the head row was not held through WeCom's answers
    finally:
        for client in made.values():
            client.close()
        fresh.stop()


def test_members_add_sub_tags_beneath_a_parent_but_no_groups(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        admin_env: dict[str, str]) -> None:
    opened = tagdesk("policy", "set", "--profile", "team", "--member-subtags", "行业类型",
                     "--json", env=admin_env)
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout.splitlines()[-1])["policy"]["member_subtag_groups"] == [
        "行业类型"]
    group = corp.state.find_group("行业类型")
    member = clients["member_sales"]
    member.add_corp_tag(group_id=group, tags=["教育/K12/高中"])
    assert corp.state.find_tag("行业类型", "教育/K12/高中")
    top = _refused(lambda: member.add_corp_tag(group_id=group, tags=["农业"]))
    assert "顶层" in top.message_zh
    _refused(lambda: member.add_corp_tag(group_id=group, tags=["农业/果园"]))
    _refused(lambda: member.add_corp_tag(group_name="我的新组", tags=["x"]))
    assert corp.state.find_tag("行业类型", "农业") is None
    assert corp.state.find_group("我的新组") is None


def test_a_member_cannot_delete_an_admin_approves_with_a_second_code(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str], admin_env: dict[str, str]) -> None:
    tag = corp.state.find_tag("MKT-渠道", "小红书")
    assert tag
    carriers = [(u, e) for u, e in corp.state.relations()
                if tag in corp.state.relation_tag_ids(u, e)]
    asked = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[tag],
                                                                  reason="并入 抖音"),
                     TEAM_APPROVAL_REQUIRED)
    assert "删除标签需要管理员批准" in asked.message_zh
    assert asked.message_en.startswith("Deleting a tag needs an administrator's approval;"
                                       " request #")
    assert corp.state.find_tag("MKT-渠道", "小红书") == tag          # nothing deleted yet
    first = asked.message_en.split("#")[1].split(" ")[0]
    told = len(_inbox(corp, people["admin"]))
    repeated = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[tag]),
                        TEAM_APPROVAL_REQUIRED)   # asked again (the tree, then a migration)
    assert repeated.explanation_zh == f"删除标签需要管理员批准，申请 #{first} 已在等待管理员批准"
    assert repeated.explanation_en == (f"Deleting a tag needs an administrator's approval; request"
                                f" #{first} is already waiting for the administrators")
    assert len(_inbox(corp, people["admin"])) == told               # no second message
    listed = tagdesk("approvals", "list", "--profile", "team", "--json", env=admin_env)
    assert listed.returncode == 0, listed.stderr
    request = json.loads(listed.stdout.splitlines()[-1])["approvals"][0]
    assert {k: request[k] for k in ("kind", "target", "requester", "status", "customers")} == {
        "kind": "delete_tag", "target": "MKT-渠道/小红书", "requester": people["member_sales"],
        "status": "pending", "customers": len({e for _, e in carriers})}
    assert request["reason"] == "并入 抖音"                          # the desktop's reason
    assert [r for r in _journal(server, "approval_requested") if r[1] == "MKT-渠道/小红书"] == [
        _journal(server, "approval_requested")[-1]]                   # one request, not two
    requested = _journal(server, "approval_requested")[-1][2]         # the reason in either half
    assert half(requested, english=False).startswith(f"#{request['id']} 删除标签需要管理员批准")
    assert half(requested, english=False).endswith("；并入 抖音")
    assert half(requested, english=True).endswith("; 并入 抖音")
    with psycopg.connect(server.db_url) as conn:
        row = conn.execute("SELECT snapshot FROM approval WHERE id = %s",
                           (request["id"],)).fetchone()
    assert row is not None
    assert sorted((s["userid"], s["external_userid"]) for s in row[0]) == sorted(carriers)
    assert any(f"approve {request['id']}" in m.text
               for m in _inbox(corp, people["admin"]))           # admins were told

    run, _ = _approve_cli(admin_env, corp, people["admin"], request["id"])
    assert run.returncode == 0, run.stderr
    assert corp.state.find_tag("MKT-渠道", "小红书") is None          # gone in WeCom
    deleted = [r for r in _journal(server, "tag_delete") if r[1] == "小红书"]
    assert deleted and deleted[0][0] == people["admin"]
    approved = _journal(server, "approval_approved")[-1]
    assert people["member_sales"] in approved[2] and people["admin"] in approved[2]
    number = f"#{request['id']} "                 # in both halves, so in either language
    assert half(approved[2], english=False).startswith(f"{number}申请人 ")
    assert half(approved[2], english=True).startswith(f"{number}Requested by ")
    twice, _ = _approve_cli(admin_env, corp, people["admin"], request["id"])
    assert twice.returncode == 3 and "已经批准" in twice.stderr, twice.stderr

    restored = tagdesk("approvals", "restore", str(request["id"]), "--profile", "team",
                       "--json", env=admin_env)
    assert restored.returncode == 0, restored.stderr
    summary = json.loads(restored.stdout.splitlines()[-1])["restore"]
    back = corp.state.find_tag("MKT-渠道", "小红书")
    assert back and back != tag and summary["restored_tags"] == 1
    assert summary["relations"] == len(carriers) and summary["skipped"] == 0
    assert all(back in corp.state.relation_tag_ids(u, e) for u, e in carriers)
    with psycopg.connect(server.db_url) as conn:
        batch_rows = conn.execute("SELECT action, operator FROM team_journal WHERE batch_id = %s",
                                  (summary["batch_id"],)).fetchall()
    assert sorted(batch_rows).count(("tag_add", people["admin"])) == len(carriers)
    again = tagdesk("approvals", "restore", str(request["id"]), "--profile", "team",
                    env=admin_env)
    assert again.returncode == 3 and "已经恢复" in again.stderr, again.stderr

    assert tagdesk("sync", "--profile", "team", env=admin_env).returncode == 0
    reverted = tagdesk("audit", "revert", summary["batch_id"], "--profile", "team", "--yes",
                       env=admin_env)
    assert reverted.returncode == 0, reverted.stderr
    assert not any(back in corp.state.relation_tag_ids(u, e) for u, e in carriers)


def _governance(server: TeamServerProcess, session: str, action: str,
                body: dict[str, str]) -> dict[str, object]:
    answer = requests.post(f"{server.url}tagdesk/v1/governance/{action}", json=body,
                           params={"access_token": session}, timeout=30).json()
    assert isinstance(answer, dict)
    return answer


def _set_policy(server: TeamServerProcess, session: str, **changes: object) -> None:
    """Change the policy through the server's endpoint, as `tagdesk policy set` does."""
    current = requests.get(f"{server.url}tagdesk/v1/governance/policy", timeout=30,
                           params={"access_token": session}).json()["policy"]
    answer = requests.post(f"{server.url}tagdesk/v1/governance/policy", timeout=30,
                           params={"access_token": session},
                           json={"policy": {**current, **changes}}).json()
    assert answer["errcode"] == 0, answer


def _challenge(server: TeamServerProcess, corp: SandboxServer, session: str, admin: str,
               approval_id: int) -> tuple[str, str]:
    """(challenge id, code) of a fresh approval code sent to `admin`."""
    seen = inbox_size(corp, admin)
    sent = _governance(server, session, f"approvals/{approval_id}/code", {})
    return str(sent["challenge_id"]), newest_code(corp, admin, seen)


def _inbox(corp: SandboxServer, userid: str) -> list[Any]:
    from desktop.sandbox.inbox import read_inbox_from

    return read_inbox_from(corp.config.data_dir, userid)


def test_approval_faults_are_refused_and_journaled(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str], admin_env: dict[str, str]) -> None:
    def request(group: str, name: str) -> int:
        tag = corp.state.find_tag(group, name)
        assert tag
        return int(_refused(lambda: clients["member_mkt"].del_corp_tag(tag_ids=[tag]),
                            TEAM_APPROVAL_REQUIRED).errmsg.split("#")[1].split("，")[0])

    gone = request("MKT-活动", "直播专场")
    corp.state.console_delete_tag(corp.state.find_tag("MKT-活动", "直播专场") or "")
    run, _ = _approve_cli(admin_env, corp, people["admin"], gone)
    assert run.returncode == 3 and "已不存在" in run.stderr, run.stderr

    session = clients["admin"].get_token()

    def governance(action: str, body: dict[str, str]) -> dict[str, object]:
        return _governance(server, session, action, body)

    def challenge(approval_id: int) -> tuple[str, str]:
        return _challenge(server, corp, session, people["admin"], approval_id)

    reused = request("MKT-活动", "618大促")
    expired_id, expired_code = challenge(reused)
    with psycopg.connect(server.db_url) as conn:
        conn.execute("UPDATE approval_code SET expires_at = now() WHERE id = %s", (expired_id,))
    late = governance(f"approvals/{reused}/approve",
                      {"challenge_id": expired_id, "code": expired_code})
    assert late["errcode"] == TEAM_APPROVAL_REFUSED and "过期" in str(late["errmsg"])
    wrong_id, right_code = challenge(reused)
    wrong = governance(f"approvals/{reused}/approve",
                       {"challenge_id": wrong_id, "code": str((int(right_code) + 1) % 10**6)})
    assert "不正确" in str(wrong["errmsg"])
    other = request("MKT-活动", "新品发布会")
    used_id, used_code = challenge(other)
    assert governance(f"approvals/{other}/approve",
                      {"challenge_id": used_id, "code": used_code})["errcode"] == 0
    again = governance(f"approvals/{reused}/approve", {"challenge_id": used_id,
                                                       "code": used_code})
    assert again["errcode"] == TEAM_APPROVAL_REFUSED and "已使用" in str(again["errmsg"])
    assert corp.state.find_tag("MKT-活动", "618大促")                # nothing written

    member = clients["member_mkt"].get_token()
    not_admin = _governance(server, member, f"approvals/{reused}/reject", {"reason": "no"})
    assert not_admin["errcode"] == TEAM_NOT_ALLOWED and "只有管理员" in str(not_admin["errmsg"])
    _set_policy(server, session, admins=[people["member_mkt"]])
    try:
        own_id = str(_governance(server, member, f"approvals/{reused}/code", {}).get("errmsg"))
        assert "自己" in own_id, own_id
    finally:
        _set_policy(server, session, admins=[])

    told = inbox_size(corp, people["member_mkt"])
    rejected = tagdesk("approvals", "reject", str(reused), "--profile", "team", "--reason",
                       "还在用 still in use", env=admin_env)
    assert rejected.returncode == 0, rejected.stderr
    assert "还在用" in _inbox(corp, people["member_mkt"])[told].text

    expiring = request("OPS-售后", "需上门")
    with psycopg.connect(server.db_url) as conn:
        conn.execute("UPDATE approval SET expires_at = now() - interval '1 second'"
                     " WHERE id = %s", (expiring,))
    listed = requests.get(f"{server.url}tagdesk/v1/governance/approvals", timeout=30,
                          params={"access_token": member}).json()
    statuses = {a["id"]: a["status"] for a in listed["approvals"]}
    assert (statuses[gone], statuses[reused], statuses[expiring], statuses[other]) == (
        "gone", "rejected", "expired", "approved")
    actions = {a for a in ("approval_gone", "approval_rejected", "approval_expired")
               if _journal(server, a)}
    assert actions == {"approval_gone", "approval_rejected", "approval_expired"}
    expired_reason = _journal(server, "approval_expired")[-1][2]
    assert half(expired_reason, english=True) == f"#{expiring} Not decided within 7 days"
    assert len(_journal(server, "refused")) >= 4


def test_restricted_groups_are_tagged_only_from_the_owning_department(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str]) -> None:
    session = clients["admin"].get_token()
    _set_policy(server, session, restricted_tagging_groups=["OPS-售后"])
    tag = corp.state.find_tag("OPS-售后", "待回访")
    assert tag
    try:
        for role, allowed in (("head_mkt", False), ("head_ops", True)):
            userid = people[role]
            euid = next(e for u, e in corp.state.relations() if u == userid)
            had = tag in corp.state.relation_tag_ids(userid, euid)
            change: dict[str, Any] = {"remove": [tag]} if had else {"add": [tag]}
            if allowed:
                clients[role].mark_tag(userid, euid, **change)
            else:
                refused = _refused(lambda c=clients[role], u=userid, e=euid, k=change:
                                   c.mark_tag(u, e, **k))
                assert "运营部" in refused.message_zh
            assert (tag in corp.state.relation_tag_ids(userid, euid)) is (had != allowed)
    finally:
        _set_policy(server, session, restricted_tagging_groups=[])


def test_a_restricted_rule_group_is_tagged_only_from_inside_its_range(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str]) -> None:
    """The policy names the rule group 华北区域: its tags go on customers only from callers in
    华北分公司 (its range), even on the relation of a follower WeCom itself lets carry them."""
    session = clients["admin"].get_token()
    tag = corp.state.find_tag("华北-跟进阶段", "初访")
    assert tag
    follower = people["head_north"]
    euid = next(e for u, e in corp.state.relations() if u == follower)
    _set_policy(server, session, restricted_tagging_groups=["华北区域"])
    try:
        had = tag in corp.state.relation_tag_ids(follower, euid)
        change: dict[str, Any] = {"remove": [tag]} if had else {"add": [tag]}
        refused = _refused(lambda: clients["head_mkt"].mark_tag(follower, euid, **change))
        assert refused.message_zh.startswith("规则组 华北区域 的标签只有 华北分公司 的成员可以给客户打")
        assert (tag in corp.state.relation_tag_ids(follower, euid)) is had
        assert any(r[1] == "初访" and "华北区域" in r[2] for r in _journal(server, "refused"))
        reads = corp.stats.calls("externalcontact/customer_strategy/get")
        clients["head_north"].mark_tag(follower, euid, **change)
        assert (tag in corp.state.relation_tag_ids(follower, euid)) is not had
        assert corp.stats.calls("externalcontact/customer_strategy/get") == reads  # kept
    finally:
        _set_policy(server, session, restricted_tagging_groups=[])


def test_policy_show_and_refusals_from_the_cli(
        server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
        admin_env: dict[str, str], tmp_path: Path) -> None:
    shown = tagdesk("policy", "show", "--profile", "team", "--json", env=admin_env)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout.splitlines()[-1])
    assert data["me"]["roles"] == ["admin", "head"] and data["policy"]["prefixes"] == {
        "MKT-": "市场部", "OPS-": "运营部"}
    bad = tmp_path / "policy.json"
    bad.write_text(json.dumps({"prefixes": {"LAW-": "法务部"}}), encoding="utf-8")
    refused = tagdesk("policy", "set", "--profile", "team", "--file", str(bad), env=admin_env)
    assert refused.returncode == 3 and "法务部" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    typo = tmp_path / "typo.json"          # a mistyped admin would leave no real admin
    typo.write_text(json.dumps({**data["policy"], "admins": [f"{people['admin']}x"]}),
                    encoding="utf-8")
    mistyped = tagdesk("policy", "set", "--profile", "team", "--file", str(typo),
                       env=admin_env)
    assert mistyped.returncode == 3, mistyped.stderr
    assert f"管理员（admins）中的 {people['admin']}x 不是企业微信成员" in mistyped.stderr
    assert f"{people['admin']}x is not a member of the WeCom corp" in mistyped.stderr
    assert tagdesk("policy", "show", "--profile", "team", "--json",
                   env=admin_env).stdout.splitlines()[-1] == shown.stdout.splitlines()[-1]


def test_a_branch_head_creates_the_branch_rule_group_and_its_regional_tags(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str]) -> None:
    """华北分公司 is a branch (the policy gives it a branch admin): its head makes its rule
    group; 市场部 is none, so its head may not make one even for 市场部."""
    north = people["head_north"]
    session = clients["admin"].get_token()
    refused = _refused(lambda: clients["head_north"].create_strategy(
        "华北区域", admin_list=[north], departments=[NORTH]))
    assert "策略中没有分公司管理员管辖 华北分公司，不是分公司" in refused.message_zh
    _set_policy(server, session, branch_admins={people["member_sales"]: "华北分公司"})
    try:
        refused = _refused(lambda: clients["head_mkt"].create_strategy(
            "华北区域", admin_list=[people["head_mkt"]], departments=[NORTH]))
        assert "只有管理员或 华北分公司 的负责人可以创建这个规则组" in refused.message_zh
        own = _refused(lambda: clients["head_mkt"].create_strategy(
            "市场部", admin_list=[people["head_mkt"]], departments=[MARKETING]))
        assert "策略中没有分公司管理员管辖 市场部，不是分公司" in own.message_zh
        strategy = clients["head_north"].create_strategy("华北区域", admin_list=[north],
                                                         departments=[NORTH])
    finally:
        _set_policy(server, session, branch_admins={})
    group = clients["head_north"].add_strategy_tag(strategy, group_name="华北-区域",
                                                   tags=["天津", "石家庄"])
    assert {t.name for t in group.tags} == {"天津", "石家庄"}
    taken = _refused(lambda: clients["head_mkt"].add_strategy_tag(
        strategy, group_id=group.id, tags=["太原"]))
    assert "华北分公司" in taken.message_zh
    assert {t.name for g in clients["head_north"].list_strategy_tags(strategy) for t in g.tags
            } == {"天津", "石家庄"}


def test_renaming_a_tag_on_many_customers_needs_approval(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str], admin_env: dict[str, str]) -> None:
    tag = corp.state.find_tag("MKT-渠道", "抖音")
    assert tag
    customers = {e for u, e in corp.state.relations() if tag in corp.state.relation_tag_ids(u, e)}
    assert customers
    session = clients["admin"].get_token()
    _set_policy(server, session, rename_threshold=len(customers) - 1)
    try:
        asked = _refused(lambda: clients["head_mkt"].edit_corp_tag(
            tag, name="抖音直播", reason=" 渠道改做直播 "), TEAM_APPROVAL_REQUIRED)
        assert f"{len(customers)} 位客户" in asked.message_zh
        assert corp.state.find_tag("MKT-渠道", "抖音") == tag
        approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
        listed = requests.get(f"{server.url}tagdesk/v1/governance/approvals", timeout=30,
                              params={"access_token": session}).json()["approvals"]
        assert [(a["kind"], a["reason"]) for a in listed if a["id"] == approval_id] == [
            ("rename_tag", "渠道改做直播")]     # the requester's 申请理由, as a deletion's
        challenge, code = _challenge(server, corp, session, people["admin"], approval_id)
        done = _governance(server, session, f"approvals/{approval_id}/approve",
                           {"challenge_id": challenge, "code": code})
        assert done["errcode"] == 0, done
        assert corp.state.find_tag("MKT-渠道", "抖音直播") == tag
    finally:
        _set_policy(server, session, rename_threshold=100)


def test_a_pending_request_names_its_tag_as_it_is_called_after_a_rename(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient]
) -> None:
    tag, group = corp.state.find_tag("OPS-服务", "合同到期"), corp.state.find_group("OPS-服务")
    assert tag and group
    asked = _refused(lambda: clients["member_mkt"].del_corp_tag(tag_ids=[tag]),
                     TEAM_APPROVAL_REQUIRED)
    approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
    session = clients["admin"].get_token()

    def named() -> tuple[object, object]:
        listed = requests.get(f"{server.url}tagdesk/v1/governance/approvals", timeout=30,
                              params={"access_token": session}).json()["approvals"]
        with psycopg.connect(server.db_url) as conn:
            row = conn.execute("SELECT tag_names FROM approval WHERE id = %s",
                               (approval_id,)).fetchone()
        assert row is not None
        return next(a["target"] for a in listed if a["id"] == approval_id), row[0]

    assert named() == ("OPS-服务/合同到期", {tag: ["OPS-服务", "合同到期"]})
    try:
        clients["admin"].edit_corp_tag(tag, name="合同已到期")        # relayed renames
        clients["admin"].edit_corp_tag(group, name="OPS-客服")
        assert named() == ("OPS-客服/合同已到期", {tag: ["OPS-客服", "合同已到期"]})
    finally:
        clients["admin"].edit_corp_tag(group, name="OPS-服务")
        clients["admin"].edit_corp_tag(tag, name="合同到期")
    assert named() == ("OPS-服务/合同到期", {tag: ["OPS-服务", "合同到期"]})
    rejected = _governance(server, session, f"approvals/{approval_id}/reject",
                           {"reason": "还在用 still in use"})
    approval = rejected["approval"]
    assert isinstance(approval, dict) and approval["target"] == "OPS-服务/合同到期"


@pytest.mark.gui
def test_the_window_disables_what_the_server_refuses_and_decides_approvals(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer,
        clients: dict[str, WeComClient], people: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    head = people["head_mkt"]
    home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, head)
    store_device_token(profile, log_in(server.url, corp, head).token)
    session = clients["admin"].get_token()
    with _chinese_window(qtbot, home) as (window, _workspace):
        with qtbot.waitSignal(window.sync.finished, timeout=120_000):
            window.start_sync()
        monitor = window.governance
        assert monitor is not None and window.approvals_action.isVisible()
        qtbot.waitUntil(lambda: window.tag_tree.rules is not None and not monitor.busy,
                        timeout=30_000)
        tree = window.tag_tree
        ops_tag, mkt_tag = corp.state.find_tag("OPS-服务", "已开票"), corp.state.find_tag(
            "MKT-渠道", "展会")
        qtbot.waitUntil(lambda: tree.model.index_for_key(f"tag:{ops_tag}").isValid(),
                        timeout=30_000)                 # the tree reloads after the sync
        assert tree.select_key(f"tag:{ops_tag}")
        tree._update_actions(tree.current_node())
        assert not tree.rename_action.isEnabled()
        assert tree.rename_action.toolTip() == "只有 运营部 负责人或管理员可以修改 OPS- 标签组"
        with qtbot.waitSignal(window.context.status_message, timeout=5000) as said:
            qtbot.keyClick(tree.tree, Qt.Key.Key_F2)            # the key says why, as the menu
        assert said.args == ["只有 运营部 负责人或管理员可以修改 OPS- 标签组"]
        assert tree.dialog is None or not tree.dialog.isVisible()
        assert tree.delete_action.isEnabled()
        assert "删除需要管理员批准" in tree.delete_action.toolTip()
        assert tree.select_key(f"tag:{mkt_tag}")
        tree._update_actions(tree.current_node())
        assert tree.rename_action.isEnabled() and "只有" not in tree.rename_action.toolTip()
        assert tree.new_group_action.isEnabled()                    # a head may
        rules = tree.rules
        assert rules is not None
        tree.set_rules(replace(rules, actor=Actor(people["member_mkt"],
                                                  departments=frozenset({MARKETING}))))
        assert not tree.new_group_action.isEnabled()                # a member may not
        assert tree.new_group_action.toolTip() == "只有管理员或部门负责人可以新建标签组。"
        tree.set_rules(rules)
        owned = tree.model.index_for_key(f"group:{corp.state.find_group('MKT-渠道')}")
        public = tree.model.index_for_key(f"group:{corp.state.find_group('客户等级')}")
        assert owned.data(TreeRole.OWNER) == "市场部" and public.data(TreeRole.OWNER) == ""
        regional = tree.model.index_for_key(f"group:{corp.state.find_group('华北-跟进阶段')}")
        qtbot.waitUntil(lambda: regional.data(TreeRole.OWNER) != "", timeout=30_000)
        assert regional.data(TreeRole.OWNER) == "华北分公司"   # first in its rule group's range
        assert "归属 市场部：由该部门负责人或管理员修改" in owned.data(Qt.ItemDataRole.ToolTipRole)

        _set_policy(server, session, admins=[head])
        try:
            doomed = corp.state.find_tag("OPS-服务", "续费提醒")
            assert doomed
            asked = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[doomed]),
                             TEAM_APPROVAL_REQUIRED)
            approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
            monitor.refresh()
            qtbot.waitUntil(lambda: monitor.pending > 0 and not monitor.busy, timeout=30_000)
            assert window.approvals_action.text() == f"审批（{monitor.pending}）(&A)…"

            dialog = window.open_approvals()
            qtbot.waitUntil(lambda: dialog.admin and bool(dialog.approvals), timeout=30_000)
            row = next(i for i, a in enumerate(dialog.approvals) if a["id"] == approval_id)
            requester = people["member_sales"]
            name = dict(directory_members(window.context.cache))[requester]
            assert cell(dialog.table, row, 3).text() == f"{name} ({requester})"
            assert cell(dialog.table, row, 4).text() == str(dialog.approvals[row]["customers"])
            assert dialog.roles.text() == f"你是 {dict(directory_members(window.context.cache))[head]}" \
                f" ({head})（管理员、部门负责人），管理 市场部。"     # whose groups they edit
            for column in (2, 3):           # the target and the requester are never cut short
                assert dialog.table.columnWidth(column) >= dialog.table.sizeHintForColumn(column)
            screen = dialog.screen()
            assert screen is not None
            qtbot.waitUntil(  # once the widened window is laid out again (asynchronous); a
                # window as wide as its screen scrolls what is still wider
                lambda: dialog.table.horizontalHeader().length()
                == dialog.table.viewport().width()
                or dialog.width() >= screen.availableGeometry().width(), timeout=10_000)
            assert dialog._cell({"customers": 0}, "customers") == "0"  # a tag on no customer
            dialog.table.selectRow(row)
            assert dialog.send_button.isEnabled() and not dialog.approve_button.isEnabled()
            seen = inbox_size(corp, head)
            qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: dialog.challenge is not None and dialog._task is None,
                            timeout=30_000)
            assert dialog.focusWidget() is dialog.code     # the six digits are typed next
            qtbot.keyClicks(dialog.code, newest_code(corp, head, seen))
            assert dialog.approve_button.isEnabled()
            with qtbot.waitSignal(dialog.decided, timeout=60_000), \
                    qtbot.waitSignal(window.sync.finished, timeout=120_000):
                qtbot.keyClick(dialog.code, Qt.Key.Key_Return)   # approves; sent a new code
            assert inbox_size(corp, head) == seen + 1
            assert corp.state.find_tag("OPS-服务", "续费提醒") is None
            qtbot.waitUntil(lambda: not tree.model.index_for_key(f"tag:{doomed}").isValid(),
                            timeout=30_000)        # the deleted tag leaves the window's tree
            qtbot.waitUntil(lambda: dialog._task is None, timeout=30_000)
            assert dialog.message.text().startswith(f"申请 {approval_id} 已批准并执行。")
            head_name = dict(directory_members(window.context.cache))[head]
            assert cell(dialog.table, row, 7).text() == f"{head_name} ({head})"  # who decided
            assert dialog._cell({"decided_by": head, "decision_reason": "还在用"},
                                "decision") == f"{head_name} ({head})：还在用"
            rejected = _reject_with_enter(qtbot, dialog, corp, clients, head)
            english = Translations()
            english.install(ENGLISH)
            try:
                qtbot.waitUntil(lambda: dialog.approve_button.text() == "Approve", timeout=5000)
                assert dialog.message.text().startswith(f"Request {rejected} was rejected")
                row = next(i for i, a in enumerate(dialog.approvals) if a["id"] == approval_id)
                assert cell(dialog.table, row, 0).text() == str(approval_id)  # rows stay
                assert cell(dialog.table, row, 5).text() == "Approved"   # in English
            finally:
                english.uninstall()
            dialog.close()
        finally:
            _set_policy(server, session, admins=[])


def test_a_scene_template_a_head_may_not_create_is_said_before_apply(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """标签 → 场景模板… for 市场部's head: the after-sales template's public group 售后-关怀 is
    one only an administrator creates. The last step said nothing, Apply sent the group and the
    server's refusal came back with its errcode; now the step says the server's sentence and
    Apply stays disabled, and a template mapped onto existing tags applies."""
    head = people["head_mkt"]
    home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, head)
    store_device_token(profile, log_in(server.url, corp, head).token)
    with _chinese_window(qtbot, home) as (window, _workspace):
        with qtbot.waitSignal(window.sync.finished, timeout=120_000):
            window.start_sync()
        monitor = window.governance
        assert monitor is not None
        qtbot.waitUntil(lambda: monitor.rules is not None and not monitor.busy, timeout=30_000)
        dialog = window.open_scenes()
        dialog.select("after-sales-care")
        qtbot.waitUntil(dialog.next_button.isEnabled, timeout=10_000)
        for _step in range(3):
            dialog.next_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REVIEW, timeout=10_000)
        assert "新建标签组：售后-关怀" in dialog.details.toPlainText()
        assert dialog.summary.text() == (
            "团队服务器会拒绝：只有管理员可以新建 公共标签组 售后-关怀。请在第 2 步为模板标签选用已有标签"
            "或在你自己的组中新建，或请管理员应用此模板。")
        assert not dialog.apply_button.isEnabled()
        assert corp.state.find_group("售后-关怀") is None
        dialog.back()
        dialog.back()
        existing = {("售后-关怀", "待回访客户"): "OPS-售后:待回访", ("售后-关怀", "已回访客户"): "OPS-售后:已回访",
                    ("售后-关怀", "投诉中"): "OPS-售后:投诉处理中", ("售后-关怀", "好评"): "OPS-售后:满意"}
        for (group, tag), label in existing.items():
            dialog.mapping.choose(f"{group}:{tag}", label)
        dialog.next_button.click()
        dialog.next_button.click()
        qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10_000)
        assert dialog.summary.text() == ""
        dialog.apply()          # the rules kept disabled: the server runs enabled ones itself
        qtbot.waitUntil(lambda: dialog.summary.text().startswith("已应用"), timeout=30_000)
        assert "（已停用：团队服务器按计划运行启用的规则）" in dialog.summary.text()
        with psycopg.connect(server.db_url) as conn:
            kept: dict[str, bool] = dict(conn.execute("SELECT name, enabled FROM team_rule"
                                                      " WHERE name LIKE '售后·%'").fetchall())
        assert kept == {"售后·扫售后卡": False, "售后·投诉": False}
        dialog.close()


def _reject_with_enter(qtbot: Any, dialog: ApprovalsDialog, corp: SandboxServer,
                       clients: dict[str, WeComClient], head: str) -> int:
    """A reason typed and Enter rejects the selected request (its id is returned); it asked
    for an approval code (the button clicked last)."""
    kept = corp.state.find_tag("OPS-服务", "已开票")
    assert kept
    asked = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[kept]),
                     TEAM_APPROVAL_REQUIRED)
    approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog._task is None and any(
        a["id"] == approval_id for a in dialog.approvals), timeout=30_000)
    dialog.table.selectRow(next(i for i, a in enumerate(dialog.approvals)
                                if a["id"] == approval_id))
    seen = inbox_size(corp, head)
    dialog.reason.setFocus()
    dialog.reason.setText("还在用")
    with qtbot.waitSignal(dialog.decided, timeout=60_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog._task is None, timeout=30_000)
    assert dialog.message.text().startswith(f"申请 {approval_id} 已驳回")
    assert inbox_size(corp, head) == seen and corp.state.find_tag("OPS-服务", "已开票") == kept
    return approval_id


def _policy_dialog(qtbot: Any, server: TeamServerProcess, corp: SandboxServer, userid: str,
                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   token: str | None = None) -> ApprovalsDialog:
    tmp_path.mkdir()
    _home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, userid)
    store_device_token(profile, token or log_in(server.url, corp, userid).token)
    dialog = ApprovalsDialog(profile, members=[(userid, "我")], groups=["OPS-售后"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.me) and dialog._task is None, timeout=30_000)
    return dialog


@pytest.mark.gui
def test_a_request_from_another_desktop_counts_in_the_approvals_item_within_seconds(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer,
        clients: dict[str, WeComClient], people: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator's File → 审批（N） showed 1 while 3 requests waited, until the
    minute's poll: the journal push (a request is a journal row) now refreshes it."""
    admin = people["admin"]
    home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, admin)
    store_device_token(profile, log_in(server.url, corp, admin).token)
    with _chinese_window(qtbot, home) as (window, _workspace):
        monitor = window.governance
        assert monitor is not None
        qtbot.waitUntil(lambda: window.tag_tree.rules is not None and not monitor.busy,
                        timeout=30_000)
        before = monitor.pending
        doomed = corp.state.find_tag("MKT-渠道", "展会")      # rejected below: kept
        assert doomed
        asked = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[doomed]),
                         TEAM_APPROVAL_REQUIRED)
        approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
        try:
            qtbot.waitUntil(lambda: monitor.pending == before + 1, timeout=15_000)
            assert window.approvals_action.text() == f"审批（{before + 1}）(&A)…"
        finally:
            _governance(server, clients["admin"].get_token(),
                        f"approvals/{approval_id}/reject", {"reason": "test"})
        qtbot.waitUntil(lambda: monitor.pending == before, timeout=15_000)


@pytest.mark.gui
def test_the_policy_form_saves_what_it_shows_and_a_member_only_reads_it(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer,
        clients: dict[str, WeComClient], people: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = clients["admin"].get_token()

    def stored() -> dict[str, Any]:
        return dict(requests.get(f"{server.url}tagdesk/v1/governance/policy", timeout=30,
                                 params={"access_token": session}).json()["policy"])

    dialog = _policy_dialog(qtbot, server, corp, people["admin"], tmp_path / "admin",
                            monkeypatch)
    form = dialog.policy
    assert dialog.admin and form.policy() == stored()
    assert not dialog.save_button.isEnabled()   # nothing changed yet
    try:
        form.prefixes.add_row(("LAW-", ""))
        assert not dialog.save_button.isEnabled()
        assert form.sentence.text() == "部门前缀（prefixes）必须是“名称 → 部门”的对象。"
        form.prefixes.remove_selected()
        form.threshold.setValue(55)
        form.restricted.add_row(("OPS-售后",))
        assert dialog.save_button.isEnabled()
        with qtbot.waitSignal(dialog.decided, timeout=30_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog._task is None, timeout=30_000)
        saved = stored()
        assert saved == form.policy()
        assert saved["rename_threshold"] == 55 and saved["restricted_tagging_groups"] == [
            "OPS-售后"]
        dialog.close()

        member = _policy_dialog(qtbot, server, corp, people["member_mkt"],
                                tmp_path / "member", monkeypatch)
        assert not member.admin and member.policy.policy() == saved
        assert member.save_button.isHidden() and member.policy.json.isReadOnly()
        assert member.policy.prefixes.add_button.isHidden()
        member.close()
    finally:
        _set_policy(server, session, rename_threshold=100, restricted_tagging_groups=[])


def test_a_requester_withdraws_their_own_pending_request_and_nobody_elses(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str], tmp_path: Path) -> None:
    """A head's request stayed until an administrator rejected it or 7 days passed; now
    `tagdesk approvals withdraw` closes it `withdrawn`, journaled, gone from the
    administrators' pending requests, and nobody else (an administrator neither) may."""
    tag = corp.state.find_tag("MKT-渠道", "公众号")
    assert tag
    asked = _refused(lambda: clients["head_mkt"].del_corp_tag(tag_ids=[tag]),
                     TEAM_APPROVAL_REQUIRED)
    approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
    admin, head = clients["admin"].get_token(), clients["head_mkt"].get_token()

    def pending() -> int:
        return int(requests.get(f"{server.url}tagdesk/v1/governance/approvals", timeout=30,
                                params={"access_token": admin}).json()["pending"])

    waiting = pending()
    for other in ("head_ops", "admin"):
        refused = _governance(server, clients[other].get_token(),
                              f"approvals/{approval_id}/withdraw", {})
        assert refused["errcode"] == TEAM_NOT_ALLOWED, refused
        assert half(str(refused["errmsg"]), english=False) == (
            f"只能撤回自己提交的申请：申请 #{approval_id} 由 {people['head_mkt']} 提交")
    assert pending() == waiting

    env = desktop_env(tmp_path)
    cli_login(env, server.url, corp, people["head_mkt"])
    run = tagdesk("approvals", "withdraw", str(approval_id), "--profile", "team", "--json",
                  env=env)
    assert run.returncode == 0, run.stderr
    withdrawn = json.loads(run.stdout.splitlines()[-1])["approval"]
    assert (withdrawn["id"], withdrawn["status"]) == (approval_id, "withdrawn")
    assert pending() == waiting - 1
    listed = tagdesk("approvals", "list", "--profile", "team", "--json", env=env)
    mine = json.loads(listed.stdout.splitlines()[-1])["approvals"]
    assert [a["status"] for a in mine if a["id"] == approval_id] == ["withdrawn"]
    assert _journal(server, "approval_withdrawn")[-1][:2] == (people["head_mkt"],
                                                              "MKT-渠道/公众号")
    again = tagdesk("approvals", "withdraw", str(approval_id), "--profile", "team", env=env)
    assert again.returncode == 3 and "已由申请人撤回，不能再撤回" in again.stderr, again.stderr
    late = _governance(server, admin, f"approvals/{approval_id}/code", {})
    assert late["errcode"] == TEAM_APPROVAL_REFUSED and "已由申请人撤回" in str(late["errmsg"])
    assert _governance(server, head, "approvals/999999/withdraw", {})["errcode"] == (
        TEAM_APPROVAL_REFUSED)
    assert corp.state.find_tag("MKT-渠道", "公众号") == tag          # nothing deleted


@pytest.mark.gui
def test_a_withdrawn_request_leaves_the_administrators_count_within_seconds(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer,
        clients: dict[str, WeComClient], people: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, device_token: Callable[[str], str]) -> None:
    admin = people["admin"]
    home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, admin)
    store_device_token(profile, device_token(admin))
    with _chinese_window(qtbot, home) as (window, _workspace):
        monitor = window.governance
        assert monitor is not None
        qtbot.waitUntil(lambda: window.tag_tree.rules is not None and not monitor.busy,
                        timeout=30_000)
        before = monitor.pending
        tag = corp.state.find_tag("MKT-渠道", "百度推广")
        assert tag
        asked = _refused(lambda: clients["member_sales"].del_corp_tag(tag_ids=[tag]),
                         TEAM_APPROVAL_REQUIRED)
        approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
        qtbot.waitUntil(lambda: monitor.pending == before + 1, timeout=15_000)
        done = _governance(server, clients["member_sales"].get_token(),
                           f"approvals/{approval_id}/withdraw", {})
        assert done["errcode"] == 0, done
        qtbot.waitUntil(lambda: monitor.pending == before, timeout=15_000)


@pytest.mark.gui
def test_the_requesters_window_withdraws_their_pending_request_after_asking(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer,
        clients: dict[str, WeComClient], people: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, device_token: Callable[[str], str]) -> None:
    tag = corp.state.find_tag("MKT-渠道", "官网咨询")
    assert tag
    asked = _refused(lambda: clients["head_mkt"].del_corp_tag(tag_ids=[tag]),
                     TEAM_APPROVAL_REQUIRED)
    approval_id = int(asked.errmsg.split("#")[1].split("，")[0])
    translations = Translations()
    translations.install(CHINESE)
    try:
        dialog = _policy_dialog(qtbot, server, corp, people["head_mkt"], tmp_path / "head",
                                monkeypatch, device_token(people["head_mkt"]))
        dialog.show()
        qtbot.waitExposed(dialog)
        row = next(i for i, a in enumerate(dialog.approvals) if a["id"] == approval_id)
        assert dialog.withdraw_button.isVisible() and not dialog.withdraw_button.isEnabled()
        assert dialog.withdraw_button.text() == "撤回申请"
        dialog.table.selectRow(row)
        assert dialog.withdraw_button.isEnabled()
        asked_texts: list[str] = []
        answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

        def question(_parent: Any, _title: str, text: str) -> QMessageBox.StandardButton:
            asked_texts.append(text)
            return answers.pop(0)

        monkeypatch.setattr(QMessageBox, "question", question)
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
        assert len(asked_texts) == 1 and f"#{approval_id}" not in asked_texts[0]
        assert f"撤回申请 {approval_id}（MKT-渠道/官网咨询）" in asked_texts[0]
        assert dialog._task is None                                   # "No": nothing sent
        with qtbot.waitSignal(dialog.decided, timeout=30_000):
            qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog._task is None and any(
            a["id"] == approval_id and a["status"] == "withdrawn" for a in dialog.approvals),
            timeout=30_000)
        row = next(i for i, a in enumerate(dialog.approvals) if a["id"] == approval_id)
        assert cell(dialog.table, row, COLUMNS.index("status")).text() == "已撤回"
        assert dialog.message.text().startswith(f"申请 {approval_id} 已撤回。")
        dialog.table.selectRow(row)
        assert not dialog.withdraw_button.isEnabled()
        dialog.close()
    finally:
        translations.uninstall()


@pytest.mark.gui
def test_a_head_creates_a_templates_tags_in_their_own_group(
        qtbot: Any, server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        device_token: Callable[[str], str]) -> None:
    """Step 2 offered a head only the template's public group (refused) or existing tags, so
    a template tag 市场部 had no tag for needed an administrator; it now offers 在我的组 MKT-…
    中新建 for the groups the head may add to, and Apply creates the tags there, the rules and
    live codes naming them."""
    head = people["head_mkt"]
    home, profile = _team_home(tmp_path, monkeypatch, corp, server.url, head)
    store_device_token(profile, device_token(head))
    refusals = len(_journal(server, "refused"))
    with _chinese_window(qtbot, home) as (window, _workspace):
        with qtbot.waitSignal(window.sync.finished, timeout=120_000):
            window.start_sync()
        monitor = window.governance
        assert monitor is not None
        qtbot.waitUntil(lambda: monitor.rules is not None and not monitor.busy, timeout=30_000)
        dialog = window.open_scenes()
        dialog.select("after-sales-care")
        qtbot.waitUntil(dialog.next_button.isEnabled, timeout=10_000)
        dialog.next_button.click()
        combo = dialog.mapping.combos[("售后-关怀", "投诉中")]
        offered = [combo.itemText(n) for n in range(combo.count())]
        assert offered[:3] == ["在 售后-关怀 中新建", "在我的组 MKT-活动 中新建",
                               "在我的组 MKT-渠道 中新建"]
        assert not any("我的组" in text and "MKT-" not in text for text in offered)
        dialog.mapping.choose("售后-关怀:待回访客户", "OPS-售后:待回访")
        dialog.mapping.choose("售后-关怀:已回访客户", "OPS-售后:已回访")
        dialog.mapping.create_in("售后-关怀:投诉中", "MKT-活动")
        dialog.mapping.create_in("售后-关怀:好评", "MKT-活动")
        dialog.next_button.click()
        dialog.next_button.click()
        qtbot.waitUntil(lambda: dialog.pages.currentIndex() == REVIEW, timeout=10_000)
        details = dialog.details.toPlainText()
        assert "新建标签：MKT-活动:投诉中" in details and "新建标签：售后-关怀" not in details
        assert "在你的组中新建：售后-关怀:好评 → MKT-活动:好评" in details
        assert "新建标签组" not in details
        assert dialog.summary.text() == "" and dialog.apply_button.isEnabled()
        dialog.apply()
        qtbot.waitUntil(lambda: dialog.summary.text().startswith("已应用"), timeout=30_000)
        assert corp.state.find_tag("MKT-活动", "投诉中") and corp.state.find_tag("MKT-活动", "好评")
        assert corp.state.find_group("售后-关怀") is None
        with psycopg.connect(server.db_url) as conn:
            rule = conn.execute("SELECT definition::text FROM team_rule"
                                " WHERE name = '售后·投诉'").fetchone()
        assert rule is not None and "MKT-活动:投诉中" in str(rule[0])
        assert "售后-关怀" not in str(rule[0])
        dialog.close()
    assert len(_journal(server, "refused")) == refusals


def test_a_migration_dry_run_says_when_the_team_server_will_make_it_a_request(
        server: TeamServerProcess, corp: SandboxServer, clients: dict[str, WeComClient],
        people: dict[str, str], tmp_path: Path) -> None:
    """`tagdesk migrate --dry-run` on a team profile said nothing of governance: a head's
    rename over the threshold, or the sources' deletion, came back as a request only when
    run. The plan now says it (customers counted in the cache, as the server counts them)."""
    tag = corp.state.find_tag("OPS-售后", "已回访")
    assert tag
    customers = len({e for u, e in corp.state.relations()
                     if tag in corp.state.relation_tag_ids(u, e)})
    env = desktop_env(tmp_path)
    cli_login(env, server.url, corp, people["head_ops"])
    assert tagdesk("sync", "--profile", "team", env=env).returncode == 0
    session = clients["admin"].get_token()

    def dry_run(*args: str) -> tuple[bool, str]:
        run = tagdesk("migrate", "--profile", "team", "--from", "OPS-售后:已回访", *args,
                      "--dry-run", "--json", env=env)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout.splitlines()[-1])["needs_approval"], run.stderr

    _set_policy(server, session, rename_threshold=customers - 1)
    try:
        needed, said = dry_run("--to", "已回访客户", "--delete-source")
        assert needed and (f"改名的标签有 {customers} 位客户在用，超过 {customers - 1} 位需要管理员"
                           "批准：运行后会提交申请，管理员批准前不会有任何改动。") in said
        _set_policy(server, session, rename_threshold=customers)
        needed, said = dry_run("--to", "已回访客户", "--delete-source")
        assert not needed and "管理员批准" not in said
        needed, said = dry_run("--to", "OPS-售后:满意", "--delete-source")
        assert needed and "删除标签需要管理员批准：客户迁移完成后会提交删除申请" in said
        assert not dry_run("--to", "OPS-售后:满意")[0]
    finally:
        _set_policy(server, session, rename_threshold=100)
    assert corp.state.find_tag("OPS-售后", "已回访") == tag


def test_scenes_apply_creates_a_heads_template_tags_in_their_group_and_keeps_rules_off(
        server: TeamServerProcess, corp: SandboxServer, people: dict[str, str],
        tmp_path: Path) -> None:
    """`tagdesk scenes apply --create-in` on a team profile, as 运营部's head: the template's
    public group is one only an administrator creates, so its tags go into OPS-服务; the
    rules are kept as disabled team rules naming them, and the command says why."""
    env = desktop_env(tmp_path)
    cli_login(env, server.url, corp, people["head_ops"])
    assert tagdesk("sync", "--profile", "team", env=env).returncode == 0
    refusals = len(_journal(server, "refused"))
    homes = [arg for tag in ("体验项目", "疗程卡", "复购提醒")
             for arg in ("--create-in", f"美业-阶段:{tag}=OPS-服务")]
    run = tagdesk("scenes", "apply", "beauty-salon", "--profile", "team", *homes, "--json",
                  env=env)
    assert run.returncode == 0, run.stderr
    applied = json.loads(run.stdout.splitlines()[-1])
    assert applied["applied"] and applied["new_groups"] == []
    assert sorted(c["to"] for c in applied["created_in"]) == [
        "OPS-服务:体验项目", "OPS-服务:复购提醒", "OPS-服务:疗程卡"]
    assert "规则已停用：团队服务器按计划运行启用的规则" in run.stderr + run.stdout
    assert all(corp.state.find_tag("OPS-服务", t) for t in ("体验项目", "疗程卡", "复购提醒"))
    assert corp.state.find_group("美业-阶段") is None
    with psycopg.connect(server.db_url) as conn:
        rules: dict[str, str] = dict(conn.execute("SELECT name, definition::text FROM team_rule"
                                  " WHERE name LIKE '美业·%' AND NOT enabled").fetchall())
    assert set(rules) == {"美业·体验券", "美业·疗程复购"}
    assert "OPS-服务:疗程卡" in rules["美业·疗程复购"] and "美业-阶段" not in "".join(rules.values())
    assert len(_journal(server, "refused")) == refusals
