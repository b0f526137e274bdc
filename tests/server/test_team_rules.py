"""Team rules through two real server processes on one PostgreSQL database: who sees and
edits which rule, the desktop's `tagdesk rules` on a team profile, and the server running the
enabled rules once per interval across both processes, journaled per relation under source
`rule`, one batch per run, revertible from the desktop; the expiries its rules set, removed
when due under source `expiry`."""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from psycopg.types.json import Jsonb
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.callbacks import CallbackSettings
from desktop.services.sync import run_sync
from desktop.services.team import store_device_token, team_api_base
from desktop.services.workspace import open_workspace
from desktop.ui.context import AppContext
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.rules_dialog import RulesDialog
from desktop.wecom.client import WeComClient
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED, TEAM_REQUEST_REFUSED
from tests.cli_json import last_json
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    wait_for,
)
from tests.server.test_team_profile_view import _team_home

pytestmark = pytest.mark.integration

MARKETING, OPERATIONS, SALES_I = 2, 3, 5
RULES_INTERVAL_S = "1"
EXPIRY_INTERVAL_S = "1"
TOKEN = "TagDeskRules2026"
AES_KEY = "kXnZn8rs6oNpBVxAmSkHuCyna4LB2ukkS7zllS7r3C3"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """Enough members that 市场部 and 运营部 each have a head and 市场部 a plain member."""
    data = tmp_path_factory.mktemp("team-rules-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=60, members=24, seed=5)) as server:
        yield server


@pytest.fixture(scope="module")
def people(corp: SandboxServer) -> dict[str, str]:
    with corp.state.transaction() as conn:
        rows = conn.execute("SELECT userid, department_id, is_leader FROM member_department"
                            " ORDER BY userid").fetchall()
    heads = {d: u for u, d, leader in rows if leader}
    plain = {d: u for u, d, leader in rows if not leader and u not in heads.values()}
    return {"admin": heads[SALES_I], "head_mkt": heads[MARKETING],
            "head_ops": heads[OPERATIONS], "member_mkt": plain[MARKETING]}


@pytest.fixture(scope="module")
def servers(postgres: PostgresCluster, corp: SandboxServer, people: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TeamServerProcess]]:
    """Two processes on one database, each scheduling the team rules and the tag expiry
    every second."""
    db_url = postgres.new_database()
    started: list[TeamServerProcess] = []
    try:
        for index in range(2):
            started.append(TeamServerProcess(
                db_url, corp, tmp_path_factory.mktemp(f"team-rules-server-{index}"),
                "--admin", people["admin"], "--rules-interval", RULES_INTERVAL_S,
                "--expiry-interval", EXPIRY_INTERVAL_S, "--outbox-check-every", "1",
                "--callback-token", TOKEN, "--callback-aes-key", AES_KEY))
        wait_for(lambda: _one(db_url, "SELECT finished_at FROM resync_run"), timeout=60,
                 what="the first re-sync")
        corp.set_callback(CallbackSettings(started[0].url + "tagdesk/v1/callback", TOKEN,
                                           AES_KEY, timeout_s=2, retries=3, retry_delay_s=0.2))
        yield started
    finally:
        corp.set_callback(None)
        for server in started:
            server.stop()


@pytest.fixture(scope="module")
def sessions(servers: list[TeamServerProcess], corp: SandboxServer,
             people: dict[str, str]) -> dict[str, str]:
    found = {}
    for role, userid in people.items():
        with WeComClient(team_api_base(servers[0].url), corp.corp_id,
                         log_in(servers[0].url, corp, userid).token,
                         team_url=servers[0].url) as client:
            found[role] = client.get_token()
    return found


def _one(db_url: str, query: str, *params: object) -> object:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(query.encode(), params).fetchone()
    return row[0] if row else None


def _call(server: TeamServerProcess, session: str, verb: str = "",
          body: dict[str, Any] | None = None, **params: str) -> tuple[int, dict[str, Any]]:
    url = f"{server.url}tagdesk/v1/rules" + (f"/{verb}" if verb else "")
    query = {"access_token": session, **params}
    response = (requests.post(url, json=body, params=query, timeout=30) if body is not None
                else requests.get(url, params=query, timeout=30))
    return response.status_code, dict(response.json())


def _rule(name: str) -> dict[str, Any]:
    """A disabled rule with an expiry."""
    return {"name": name, "enabled": False, "when": {"region": "上海"},
            "then": {"add": ["地区:华东"], "expires": "30d"}}


def _skipped_rule(name: str) -> dict[str, Any]:
    """A rule the server skips (its tag is not in the library): enabling it changes no
    relation behind another test's back."""
    return {"name": name, "enabled": False, "when": {"region": "上海"},
            "then": {"add": ["地区:海外"]}}


def test_a_head_sees_and_edits_their_departments_rules_only(
        servers: list[TeamServerProcess], sessions: dict[str, str],
        people: dict[str, str]) -> None:
    server = servers[0]
    status, made = _call(server, sessions["head_mkt"], "put", {"rule": _rule("市场部规则")})
    assert status == 200 and made["errcode"] == 0, made
    assert made["rule"]["department"] == "市场部" and made["rule"]["editable"] is True
    status, made = _call(server, sessions["head_ops"], "put", {"rule": _rule("运营部规则")})
    assert status == 200 and made["rule"]["department"] == "运营部"

    def names(role: str) -> dict[str, bool]:
        status, listed = _call(server, sessions[role])
        assert status == 200, listed
        return {r["name"]: r["editable"] for r in listed["rules"]}

    assert names("head_mkt") == {"市场部规则": True}
    assert names("head_ops") == {"运营部规则": True}
    assert names("member_mkt") == {"市场部规则": False}
    assert names("admin") == {"市场部规则": True, "运营部规则": True}

    status, refused = _call(server, sessions["head_mkt"], "get", name="运营部规则")
    assert refused["errcode"] == TEAM_REQUEST_REFUSED and "运营部规则" in refused["errmsg"]
    for verb, body in (("disable", {"name": "运营部规则"}), ("remove", {"name": "运营部规则"}),
                       ("put", {"rule": _rule("运营部规则")})):
        status, refused = _call(server, sessions["head_mkt"], verb, body)
        assert status == 403 and refused["errcode"] == TEAM_NOT_ALLOWED, refused
    status, refused = _call(server, sessions["head_mkt"], "put",
                            {"rule": _rule("借用运营部"), "department": "运营部"})
    assert status == 403 and "只有管理员或「运营部」的负责人可以设置这个部门的规则" in refused["errmsg"]
    assert refused["errmsg"].endswith(" / Only an administrator or the head of 运营部 may set its rules")
    status, refused = _call(server, sessions["member_mkt"], "disable", {"name": "市场部规则"})
    assert status == 403 and "只能由管理员或「市场部」的负责人修改" in refused["errmsg"]
    status, refused = _call(server, sessions["member_mkt"], "put", {"rule": _rule("我的")})
    assert status == 403 and refused["errcode"] == TEAM_NOT_ALLOWED
    status, bad = _call(server, sessions["head_mkt"], "put",
                        {"rule": {"name": "坏规则", "when": {"regoin": "北京"},
                                  "then": {"add": ["x"]}}})
    assert bad["errcode"] == TEAM_REQUEST_REFUSED and "rule.when.regoin" in bad["errmsg"]

    status, shared = _call(server, sessions["admin"], "put",
                           {"rule": _rule("运营部规则"), "visibility": "team"})
    assert status == 200 and shared["rule"]["owner"] != "" and not shared["added"]
    assert names("head_mkt") == {"市场部规则": True, "运营部规则": False}
    status, removed = _call(server, sessions["admin"], "remove", {"name": "运营部规则"})
    assert status == 200 and removed["removed"] == "运营部规则"
    assert names("head_ops") == {}

    with psycopg.connect(server.db_url) as conn:
        rows = conn.execute("SELECT operator, action, source, tag_name FROM team_journal"
                            " WHERE action LIKE 'rule_%' ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        (people["head_mkt"], "rule_added", "settings", "市场部规则"),
        (people["head_ops"], "rule_added", "settings", "运营部规则"),
        (people["admin"], "rule_replaced", "settings", "运营部规则"),
        (people["admin"], "rule_removed", "settings", "运营部规则")]

    status, renamed = _call(server, sessions["head_mkt"], "put",
                            {"rule": _rule("市场部规则改"), "replacing": "市场部规则"})
    assert status == 200 and renamed["rule"]["department"] == "市场部", renamed
    assert names("member_mkt") == {"市场部规则改": False}
    status, refused = _call(server, sessions["head_mkt"], "put",
                            {"rule": _rule("市场部规则改"), "replacing": "没有这条"})
    assert refused["errcode"] == TEAM_REQUEST_REFUSED and "没有这条" in refused["errmsg"]


def test_bad_requests_get_one_sentence_and_change_nothing(
        servers: list[TeamServerProcess], sessions: dict[str, str]) -> None:
    server, head = servers[0], sessions["head_mkt"]
    before = _one(server.db_url, "SELECT count(*) FROM team_journal")
    for verb, body in (("put", {"rule": "北京"}), ("put", {"rules": []}),
                       ("put", {"rules": [_rule(f"r{i}") for i in range(201)]}),
                       ("put", {"rule": _rule("坏部门"), "department": {"id": 1}}),
                       ("put", {"rule": _rule("坏范围"), "visibility": "everyone"}),
                       ("enable", {"name": ""}), ("remove", {"name": "没有这条"}),
                       ("rename", {"name": "x"})):
        status, answer = _call(server, head, verb, body)
        assert answer["errcode"] == TEAM_REQUEST_REFUSED and " / " in answer["errmsg"], answer
        assert status == 200
    status, answer = _call(server, "not-a-token")
    assert answer["errcode"] != 0 and "rules" not in answer and status != 500
    assert requests.post(f"{server.url}tagdesk/v1/rules/put", params={"access_token": head},
                         data=b"{not json", timeout=30).json()["errcode"] == 47001
    assert _one(server.db_url, "SELECT count(*) FROM team_journal") == before

@pytest.mark.gui
def test_the_rules_window_shows_owner_and_department_and_locks_other_departments_rules(
        qtbot: Any, servers: list[TeamServerProcess], corp: SandboxServer,
        people: dict[str, str], sessions: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for role, body in (("head_mkt", {"rule": {**_rule("窗口市场部"),
                                              "when": {"state": "rules-window-nobody"}}}),
                       ("head_mkt", {"rule": {**_skipped_rule("窗口海外"), "enabled": True}}),
                       ("head_ops", {"rule": _rule("窗口运营部"), "visibility": "team"})):
        assert _call(servers[0], sessions[role], "put", body)[0] == 200
    home, profile = _team_home(tmp_path, monkeypatch, corp, servers[0].url, people["head_mkt"])
    store_device_token(profile, log_in(servers[0].url, corp, people["head_mkt"]).token)
    translations = Translations()
    translations.install(CHINESE)
    workspace = open_workspace(home, "team")
    context = AppContext(workspace)
    try:
        dialog = RulesDialog(context)
        qtbot.addWidget(dialog)

        def items() -> dict[str, QTreeWidgetItem]:
            found = [dialog.rules.topLevelItem(i) for i in range(dialog.rules.topLevelItemCount())]
            return {item.text(0): item for item in found if item is not None}

        qtbot.waitUntil(lambda: {"窗口市场部", "窗口运营部"} <= set(items()), timeout=30_000)
        assert dialog.summary.text() == ""
        qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
        new = dialog.editor      # saved enabled, the server would run it within minutes
        assert new is not None and not new.enabled.isChecked()
        assert new.enabled.text() == "启用（团队服务器按计划运行，不经试运行直接写入企业微信）"
        assert new.definition()["enabled"] is False
        new.reject()
        header = dialog.rules.headerItem()
        assert [header.text(i) for i in (4, 5)] == ["负责人", "部门"]
        assert [items()["窗口市场部"].text(i) for i in (4, 5)] == [people["head_mkt"], "市场部"]
        assert [items()["窗口运营部"].text(i) for i in (4, 5)] == [people["head_ops"], "运营部"]
        # (not synced yet: the owners' userids; by name below, after a sync)
        dialog.rules.setCurrentItem(items()["窗口运营部"])
        assert not dialog.edit_button.isEnabled() and not dialog.toggle_button.isEnabled()
        assert not dialog.remove_button.isEnabled()
        assert dialog.remove_button.toolTip().startswith("只读")
        dialog.rules.setCurrentItem(items()["窗口市场部"])
        assert dialog.toggle_button.isEnabled() and dialog.remove_button.toolTip() == ""
        dialog.toggle_selected()
        qtbot.waitUntil(lambda: items()["窗口市场部"].text(1) == "✓", timeout=30_000)
        assert _one(servers[0].db_url, "SELECT enabled FROM team_rule WHERE name = %s",
                    "窗口市场部") is True
        toggled = _one(servers[0].db_url, "SELECT now()")
        wait_for(lambda: _one(servers[0].db_url, "SELECT count(*) FROM team_rule_run WHERE"
                              " finished_at > %s", toggled), what="a run after the toggle")
        dialog.reload()
        qtbot.waitUntil(lambda: dialog.server_run.text().startswith("团队服务器上次运行："),
                        timeout=30_000)
        assert not dialog.server_run.isHidden() and "跳过" in dialog.server_run.text()
        assert _call(servers[0], sessions["head_mkt"], "remove", {"name": "窗口海外"})[0] == 200
        run_sync(workspace.client(), workspace.cache)    # the rule's tags and the departments
        names = dict(workspace.cache.connection().execute("SELECT userid, name FROM member"))
        dialog.reload()                                  # owners by name once the cache knows
        qtbot.waitUntil(lambda: items()["窗口运营部"].text(4) == names[people["head_ops"]],
                        timeout=30_000)
        assert items()["窗口运营部"].toolTip(4) == people["head_ops"]
        dialog.rules.setCurrentItem(items()["窗口市场部"])
        dialog.edit_selected()
        editor = dialog.editor
        assert editor is not None
        qtbot.waitUntil(lambda: editor.department.count() > 1, timeout=30_000)
        assert editor.department.currentText() == "市场部"
        assert editor.department_label.text() == "部门："
        assert editor.visibility.currentData() == "department"
        editor.visibility.setCurrentIndex(editor.visibility.findData("team"))
        with qtbot.waitSignal(editor.saved, timeout=30_000):
            editor.save()
        assert _one(servers[0].db_url, "SELECT visibility FROM team_rule WHERE name = %s",
                    "窗口市场部") == "team"
        dialog.close()
        assert _call(servers[0], sessions["head_mkt"], "disable", {"name": "窗口市场部"})[0] == 200
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        translations.uninstall()

@pytest.fixture(scope="module")
def admin_env(servers: list[TeamServerProcess], corp: SandboxServer, people: dict[str, str],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = desktop_env(tmp_path_factory.mktemp("team-rules-admin"))
    cli_login(env, servers[1].url, corp, people["admin"])
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def test_the_desktop_keeps_a_team_profiles_rules_on_the_server(
        servers: list[TeamServerProcess], corp: SandboxServer, people: dict[str, str],
        sessions: dict[str, str], tmp_path: Path) -> None:
    env = desktop_env(tmp_path)
    cli_login(env, servers[0].url, corp, people["head_mkt"])
    assert tagdesk("sync", "--profile", "team", env=env, timeout=120).returncode == 0
    assert _call(servers[0], sessions["head_ops"], "put", {"rule": _rule("运营部专用")})[0] == 200
    rule_file = tmp_path / "rules.json"
    rule_file.write_text(json.dumps({"rules": [_rule("上海归华东"), _rule("运营部专用")]},
                                    ensure_ascii=False), encoding="utf-8")
    refused = tagdesk("rules", "add", str(rule_file), "--profile", "team", env=env)
    assert refused.returncode != 0 and "属于其他部门" in refused.stderr, refused.stderr
    assert _one(servers[0].db_url, "SELECT count(*) FROM team_rule WHERE name = %s",
                "上海归华东") == 0                                     # all or nothing
    rule_file.write_text(json.dumps({"rules": [_rule("上海归华东")]}, ensure_ascii=False),
                         encoding="utf-8")
    added = last_json(tagdesk("rules", "add", str(rule_file), "--profile", "team", "--json",
                               env=env))
    assert added["added"] == ["上海归华东"]
    assert _one(servers[0].db_url, "SELECT department_name FROM team_rule WHERE name = %s",
                "上海归华东") == "市场部"

    listed = last_json(tagdesk("rules", "list", "--profile", "team", "--json", env=env))
    mine = next(r for r in listed["rules"] if r["name"] == "上海归华东")
    assert (mine["owner"], mine["department"], mine["editable"], mine["enabled"]) == (
        people["head_mkt"], "市场部", True, False)
    shown = last_json(tagdesk("rules", "show", "上海归华东", "--profile", "team", "--json",
                               env=env))
    assert shown["definition"]["when"] == {"region": "上海"}
    assert shown["visibility"] == "department" and shown["editable"] is True
    assert shown["owner"] == people["head_mkt"]
    human = tagdesk("rules", "list", "--profile", "team", env=env)
    assert f"上海归华东\t停用 disabled\t{people['head_mkt']} · 市场部\t" in human.stdout
    # before it is enabled: once enabled the server may run it at once
    simulated = last_json(tagdesk("rules", "simulate", "上海归华东", "--profile", "team",
                                   "--json", env=env))
    assert simulated["per_rule"]["上海归华东"] == simulated["would_change"] > 0

    enabled = last_json(tagdesk("rules", "enable", "上海归华东", "--profile", "team", "--json",
                                 env=env))
    assert enabled == {"name": "上海归华东", "enabled": True}
    assert _one(servers[1].db_url, "SELECT enabled FROM team_rule WHERE name = %s",
                "上海归华东") is True
    assert tagdesk("rules", "disable", "上海归华东", "--profile", "team",
                   env=env).returncode == 0

    elsewhere = tagdesk("rules", "add", str(rule_file), "--profile", "team", "--department",
                        "运营部", env=env)
    assert elsewhere.returncode != 0
    assert "只有管理员或「运营部」的负责人可以设置这个部门的规则" in elsewhere.stderr
    assert "Traceback" not in elsewhere.stderr

    removed = last_json(tagdesk("rules", "remove", "上海归华东", "--profile", "team", "--json",
                                 env=env))
    assert removed == {"removed": "上海归华东"}
    audit = tagdesk("audit", "list", "--profile", "team", "--source", "settings", "--action",
                    "rule_removed", env=env)
    assert audit.returncode == 0, audit.stderr
    assert "删除团队规则 team rule removed" in audit.stdout and "上海归华东" in audit.stdout
    assert _one(servers[0].db_url, "SELECT count(*) FROM team_rule WHERE name = %s",
                "上海归华东") == 0


def test_the_server_runs_a_region_rule_once_across_two_processes(
        servers: list[TeamServerProcess], corp: SandboxServer, people: dict[str, str],
        sessions: dict[str, str], admin_env: dict[str, str]) -> None:
    db_url = servers[0].db_url
    target = corp.state.find_tag("地区", "华北")
    assert target
    had = {key for key in corp.state.relations() if target in corp.state.relation_tag_ids(*key)}
    with psycopg.connect(db_url) as conn:
        beijing = {(str(u), str(e)) for u, e in conn.execute(
            "SELECT userid, external_userid FROM relation_fact WHERE concat_ws(' ', remark,"
            " description, corp_name, corp_full_name, remark_corp_name) LIKE '%北京%'")}
    expected = beijing - had
    assert expected, "the sandbox corp has customers in 北京 without 华北"

    status, made = _call(servers[0], sessions["admin"], "put",
                         {"rule": {**_skipped_rule("海外"), "enabled": True}})
    assert status == 200, made
    status, made = _call(servers[0], sessions["admin"], "put", {"rule": {
        "name": "北京归华北", "when": {"region": "北京"}, "then": {"add": ["地区:华北"]}}})
    assert status == 200, made

    def first_run() -> object:
        return _one(db_url, "SELECT batch_id FROM team_rule_run WHERE finished_at IS NOT NULL"
                    " AND '北京归华北' = ANY(rules) ORDER BY id LIMIT 1")

    batch_id = str(wait_for(first_run, timeout=30, what="a run of the team rules"))
    wait_for(lambda: int(str(_one(db_url, "SELECT count(*) FROM team_rule_run WHERE id >"
                                  " (SELECT id FROM team_rule_run WHERE batch_id = %s)"
                                  " AND finished_at IS NOT NULL", batch_id))) >= 3,
             timeout=30, what="three more runs")
    assert all(target in corp.state.relation_tag_ids(*key) for key in beijing)
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT userid, external_userid, operator, action, batch_id, tag_id, reason"
            " FROM team_journal WHERE source = 'rule' AND tag_id = %s ORDER BY id",
            (target,)).fetchall()
        runs = conn.execute(
            "SELECT process, started_at, finished_at, changed, applied FROM team_rule_run"
            " WHERE finished_at IS NOT NULL AND id >= (SELECT id FROM team_rule_run"
            " WHERE batch_id = %s) ORDER BY started_at", (batch_id,)).fetchall()
    assert sorted((str(r[0]), str(r[1])) for r in rows) == sorted(expected)  # once each
    assert {(r[2], r[3], r[4], r[5], r[6]) for r in rows} == {
        (people["admin"], "tag_add", batch_id, target, "规则：北京归华北 / Rules: 北京归华北")}
    assert [r[3] for r in runs if r[3]] == [len(expected)]        # one run changed anything
    assert sum(int(str(r[4])) for r in runs) == len(expected)
    assert all(earlier[2] <= later[1] for earlier, later in itertools.pairwise(runs))
    skipped = _one(db_url, "SELECT skipped FROM team_rule_run WHERE batch_id = %s", batch_id)
    assert isinstance(skipped, dict) and "地区:海外" in skipped["海外"]

    last = last_json(tagdesk("rules", "list", "--profile", "team", "--json",
                              env=admin_env))["server_last_run"]
    assert last["batch_id"].startswith("rule-") and last["finished_at"] is not None
    assert last["rules"] == ["北京归华北"] and "海外" in last["skipped"]
    human = tagdesk("rules", "list", "--profile", "team", env=admin_env).stdout
    assert "Last run on the team server" in human and "skipped 海外" in human
    assert _call(servers[0], sessions["admin"], "remove", {"name": "海外"})[0] == 200

    assert tagdesk("rules", "disable", "北京归华北", "--profile", "team",
                   env=admin_env).returncode == 0
    assert tagdesk("sync", "--profile", "team", env=admin_env, timeout=120).returncode == 0
    reverted = tagdesk("audit", "revert", batch_id, "--profile", "team", "--yes", "--json",
                       env=admin_env, timeout=120)
    assert reverted.returncode == 0, reverted.stderr
    assert not any(target in corp.state.relation_tag_ids(*key) for key in expected)
    assert all(target in corp.state.relation_tag_ids(*key) for key in had)
    assert _one(db_url, "SELECT count(*) FROM team_journal WHERE reverts_batch = %s",
                batch_id) == len(expected)


def test_a_customer_added_through_a_live_code_is_tagged_by_the_next_run(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str],
        people: dict[str, str]) -> None:
    """A relation added since the last re-sync: the callback's re-read gives the server its
    `state`, so a `state` rule tags it at the next run, not an hour later."""
    target = corp.state.find_tag("客户来源", "地推")
    assert target
    status, made = _call(servers[0], sessions["admin"], "put", {"rule": {
        "name": "地推码", "when": {"state": "rules-ditui"}, "then": {"add": ["客户来源:地推"]}}})
    assert status == 200, made
    member = corp.state.follow_users()[2]
    customer = corp.phone.add_customer(member, state="rules-ditui")
    wait_for(lambda: target in corp.state.relation_tag_ids(member, customer), timeout=30,
             what="the rule's tag on the new relation")

    def journaled() -> list[tuple[object, ...]]:   # committed just after WeCom's answer
        with psycopg.connect(servers[0].db_url) as conn:
            return [tuple(r) for r in conn.execute(
                "SELECT operator, tag_id, reason FROM team_journal WHERE source = 'rule'"
                " AND external_userid = %s", (customer,))]

    assert wait_for(journaled, timeout=30, what="the rule's journal row") == [
        (people["admin"], target, "规则：地推码 / Rules: 地推码")]
    assert _call(servers[0], sessions["admin"], "disable", {"name": "地推码"})[0] == 200


def test_a_rule_whose_owner_may_not_tag_a_restricted_group_is_skipped(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str]) -> None:
    """Governance's tagging restriction holds for the server's runs as for the owner's own
    mark_tag: a 市场部 rule adding an OPS- tag only 运营部 may set is skipped and said."""
    url = f"{servers[0].url}tagdesk/v1/governance/policy"
    admin = {"access_token": sessions["admin"]}
    policy = requests.get(url, params=admin, timeout=30).json()["policy"]
    answer = requests.post(url, params=admin, timeout=30, json={
        "policy": {**policy, "restricted_tagging_groups": ["OPS-售后"]}}).json()
    assert answer["errcode"] == 0, answer
    tag = corp.state.find_tag("OPS-售后", "待回访")
    try:
        status, made = _call(servers[0], sessions["head_mkt"], "put", {"rule": {
            "name": "北京回访", "when": {"region": "北京"}, "then": {"add": ["OPS-售后:待回访"]}}})
        assert status == 200, made

        def skipped() -> object:
            return _one(servers[0].db_url, "SELECT skipped->>'北京回访' FROM team_rule_run"
                        " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1")

        reason = str(wait_for(skipped, timeout=30, what="the rule skipped by a run"))
        assert "运营部" in reason and reason.startswith("负责人 ")
        assert _one(servers[0].db_url, "SELECT count(*) FROM team_journal WHERE source = 'rule'"
                    " AND tag_id = %s", tag) == 0
    finally:
        _call(servers[0], sessions["head_mkt"], "disable", {"name": "北京回访"})
        requests.post(url, params=admin, timeout=30, json={"policy": policy})


def test_a_relation_left_with_two_exclusive_tags_is_left_alone(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str]) -> None:
    """The team's exclusive sets hold for the server's runs as for a desktop's batch."""
    referred, called = corp.state.find_tag("客户来源", "朋友推荐"), corp.state.find_tag(
        "客户来源", "电话咨询")
    assert referred and called
    expected = [key for key in corp.state.relations()
                if referred in (tags := corp.state.relation_tag_ids(*key)) and called not in tags]
    assert expected
    settings = f"{servers[0].url}tagdesk/v1/settings"
    admin = {"access_token": sessions["admin"]}

    def exclusive(value: list[str] | None) -> None:
        answer = requests.post(settings, params=admin, timeout=30, json={"changes": [
            {"kind": "exclusive_set", "key": "来源二选一", "value": value}]}).json()
        assert answer["errcode"] == 0, answer

    exclusive([referred, called])
    try:
        status, made = _call(servers[0], sessions["admin"], "put", {"rule": {
            "name": "推荐转电话", "when": {"has": "客户来源:朋友推荐"},
            "then": {"add": ["客户来源:电话咨询"]}}})
        assert status == 200, made

        def run() -> object:
            with psycopg.connect(servers[0].db_url) as conn:
                return conn.execute(
                    "SELECT changed, contested FROM team_rule_run WHERE finished_at IS NOT NULL"
                    " AND '推荐转电话' = ANY(rules) ORDER BY id LIMIT 1").fetchone()

        assert wait_for(run, timeout=30, what="a run of 推荐转电话") == (0, len(expected))
        assert not any(called in corp.state.relation_tag_ids(*key) for key in expected)
    finally:
        _call(servers[0], sessions["admin"], "disable", {"name": "推荐转电话"})
        exclusive(None)


def test_an_intent_rule_tags_the_customer_who_asks_for_an_invoice_as_the_desktop_simulates(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str],
        people: dict[str, str], admin_env: dict[str, str]) -> None:
    """The server finds chat intents in the team's chats with the team's keywords and the
    bundled packs, as a desktop's `rules simulate` does: both pick the same relation."""
    target = corp.state.find_tag("OPS-服务", "续费提醒")
    assert target
    asks, other = [key for key in corp.state.relations()
                   if target not in corp.state.relation_tag_ids(*key)][:2]
    admin = {"access_token": sessions["admin"]}
    answer = requests.post(f"{servers[0].url}tagdesk/v1/settings", params=admin, timeout=30,
                           json={"changes": [{"kind": "autotag_keywords", "key": "开票需求",
                                              "value": ["发票", "税号"]}]}).json()
    assert answer["errcode"] == 0, answer

    def said(key: tuple[str, str], direction: str, text: str, ts: int) -> dict[str, Any]:
        return {"time": ts, "userid": key[0], "external_userid": key[1],
                "direction": direction, "text": text}

    pushed = requests.post(f"{servers[0].url}tagdesk/v1/chats", params=admin, timeout=30, json={
        "messages": [said(asks, "in", "麻烦开张发票，抬头写公司名，税号稍后发你", 1_780_000_000),
                     said(other, "in", "请问什么时候发货？", 1_780_000_100),
                     said(other, "out", "发票随货寄出，税号已登记", 1_780_000_200)]}).json()
    assert pushed["stored"] == 3, pushed
    status, made = _call(servers[0], sessions["admin"], "put", {"rule": {
        "name": "开票提醒", "enabled": False, "when": {"intent": "开票需求"},
        "then": {"add": ["OPS-服务:续费提醒"]}}})
    assert status == 200, made

    simulated = last_json(tagdesk("rules", "simulate", "开票提醒", "--profile", "team",
                                   "--json", env=admin_env, timeout=120))
    assert [(c["userid"], c["external_userid"]) for c in simulated["changes"]] == [asks]
    assert simulated["changes"][0]["why"] == {"开票提醒": ["intent 开票需求"]}

    assert _call(servers[0], sessions["admin"], "enable", {"name": "开票提醒"})[0] == 200
    try:
        def run() -> object:
            return _one(servers[0].db_url, "SELECT batch_id FROM team_rule_run WHERE"
                        " finished_at IS NOT NULL AND '开票提醒' = ANY(rules) ORDER BY id LIMIT 1")

        batch_id = wait_for(run, timeout=30, what="a run of 开票提醒")
        with psycopg.connect(servers[0].db_url) as conn:
            rows = conn.execute("SELECT userid, external_userid, tag_id, batch_id, reason"
                                " FROM team_journal WHERE source = 'rule' AND reason LIKE"
                                " '%开票提醒%'").fetchall()
        assert [tuple(r) for r in rows] == [(*asks, target, batch_id, "规则：开票提醒 / Rules: 开票提醒")]
        assert target in corp.state.relation_tag_ids(*asks)
        assert target not in corp.state.relation_tag_ids(*other)
    finally:
        _call(servers[0], sessions["admin"], "disable", {"name": "开票提醒"})


def test_the_server_keeps_and_removes_the_expiries_its_rules_set(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str],
        admin_env: dict[str, str]) -> None:
    """A rule with `expires` run by the server records each expiry with its journal rows; a
    relation that loses the tag on a phone forgets it; once due, the `tag-expiry` job removes
    the tag once across both processes, journaled under source `expiry`, drops an expiry
    whose call WeCom refuses, and the desktop reverts that batch."""
    db_url = servers[0].db_url
    target = corp.state.find_tag("客户来源", "自然到店")
    assert target
    member = corp.state.follow_users()[3]
    kept, untagged = (corp.phone.add_customer(member, state="rules-expiry") for _ in range(2))
    status, made = _call(servers[0], sessions["admin"], "put", {"rule": {
        "name": "到店一小时", "when": {"state": "rules-expiry"},
        "then": {"add": ["客户来源:自然到店"], "expires": "1h"}}})
    assert status == 200, made

    def expiries() -> list[tuple[object, ...]]:
        with psycopg.connect(db_url) as conn:
            return [tuple(r) for r in conn.execute(
                "SELECT external_userid, tag_id, rule_name, batch_id,"
                " round(extract(epoch FROM due_at - set_at)) FROM team_tag_expiry"
                " WHERE userid = %s AND tag_id = %s ORDER BY external_userid",
                (member, target))]

    wait_for(lambda: len(expiries()) == 2, timeout=30, what="the expiries of the rule's tag")
    assert _call(servers[0], sessions["admin"], "disable", {"name": "到店一小时"})[0] == 200
    added = _rule_batch(db_url, kept, target)
    assert str(added).startswith("rule-")
    assert expiries() == [(c, target, "到店一小时", _rule_batch(db_url, c, target), 3600)
                          for c in sorted((kept, untagged))]   # each with the batch that tagged it
    assert _one(db_url, "SELECT write_note->'expiring' FROM outbox WHERE body->>"
                "'external_userid' = %s", kept) == [[target, 3600, "到店一小时"]]  # for recovery
    assert all(target in corp.state.relation_tag_ids(member, c) for c in (kept, untagged))

    corp.phone.mark(member, untagged, remove=[target])
    wait_for(lambda: [r[0] for r in expiries()] == [kept], timeout=30,
             what="the expiry forgotten with its tag")
    with psycopg.connect(db_url) as conn:   # due now; and one on a relation WeCom refuses
        conn.execute("UPDATE team_tag_expiry SET due_at = now() - interval '1 second'"
                     " WHERE userid = %s AND tag_id = %s", (member, target))
        conn.execute("INSERT INTO team_tag_expiry (userid, external_userid, tag_id, due_at,"
                     " rule_name, batch_id) VALUES (%s, 'wm-no-such-customer', %s, now(),"
                     " '到店一小时', %s)", (member, target, added))
    wait_for(lambda: target not in corp.state.relation_tag_ids(member, kept), timeout=30,
             what="the due tag removed")
    wait_for(lambda: not expiries(), timeout=30, what="the expiry rows deleted")
    with psycopg.connect(db_url) as conn:
        removed = [tuple(r) for r in conn.execute(
            "SELECT userid, external_userid, operator, action, tag_id, batch_id"
            " FROM team_journal WHERE source = 'expiry' AND userid = %s", (member,))]
    assert len(removed) == 1                                   # once across both processes
    assert removed[0][:5] == (member, kept, "tagdesk-server", "tag_remove", target)
    expiry_batch = str(removed[0][5])
    assert expiry_batch.startswith("expiry-")

    assert tagdesk("sync", "--profile", "team", env=admin_env, timeout=120).returncode == 0
    reverted = tagdesk("audit", "revert", expiry_batch, "--profile", "team", "--yes", "--json",
                       env=admin_env, timeout=120)
    assert reverted.returncode == 0, reverted.stderr
    assert target in corp.state.relation_tag_ids(member, kept)
    assert target not in corp.state.relation_tag_ids(member, untagged)


def test_a_rule_runs_call_left_sending_by_a_dead_process_keeps_its_expiry(
        servers: list[TeamServerProcess], corp: SandboxServer, people: dict[str, str]) -> None:
    """A rule run's mark_tag whose process died before settling it: the process that settles
    it (outbox recovery) journals it with the reason and records the expiry its outbox row
    keeps."""
    db_url = servers[0].db_url
    target = corp.state.find_tag("客户来源", "自然到店")
    assert target
    member = corp.state.follow_users()[4]
    customer = corp.phone.add_customer(member)
    body = {"userid": member, "external_userid": customer, "add_tag": [target]}
    corp.phone.mark(member, customer, add=[target])     # WeCom applied it; nobody settled it
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO outbox (operator, path, body, status, write_note) VALUES (%s,"
            " 'externalcontact/mark_tag', %s, 'sending', %s)",
            (people["admin"], Jsonb(body), Jsonb({
                "X-TagDesk-Batch": "rule-20260101-000000-dead", "X-TagDesk-Source": "rule",
                "X-TagDesk-Before": "[]", "expiring": [[target, 3600, "孤儿规则"]],
                "reason": "规则：孤儿规则 / rules: 孤儿规则"})))

    def recorded() -> object:
        return _one(db_url, "SELECT rule_name || ' ' || batch_id FROM team_tag_expiry"
                    " WHERE userid = %s AND external_userid = %s AND tag_id = %s",
                    member, customer, target)

    assert wait_for(recorded, timeout=30, what="the settled call's expiry") == (
        "孤儿规则 rule-20260101-000000-dead")
    assert _one(db_url, "SELECT reason FROM team_journal WHERE source = 'rule' AND"
                " batch_id = 'rule-20260101-000000-dead'") == "规则：孤儿规则 / rules: 孤儿规则"


@pytest.mark.gui
def test_a_reverted_rule_change_is_left_alone_until_the_rule_is_edited(
        qtbot: Any, servers: list[TeamServerProcess], corp: SandboxServer,
        sessions: dict[str, str], people: dict[str, str], admin_env: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`audit revert` of a rule run's batch sticks while the rule stays enabled: the next runs
    leave those relations' tag alone (counted in the rules list), a new customer still gets
    it, and once the rule is edited it applies to the reverted relations again."""
    db_url = servers[0].db_url
    target = corp.state.find_tag("MKT-渠道", "展会")
    assert target
    member = corp.state.follow_users()[4]
    first = [corp.phone.add_customer(member, state="rules-revert") for _ in range(2)]
    rule = {"name": "展会码", "when": {"state": "rules-revert"}, "then": {"add": ["MKT-渠道:展会"]}}
    assert _call(servers[0], sessions["admin"], "put", {"rule": rule})[0] == 200
    try:
        wait_for(lambda: all(target in corp.state.relation_tag_ids(member, c) for c in first),
                 timeout=30, what="the rule's tag on both relations")
        batch, _ = [_rule_batch(db_url, c, target) for c in first]   # both rows written
        assert _one(db_url, "SELECT write_note->>'reason' FROM outbox WHERE write_note->>"
                    "'X-TagDesk-Batch' = %s AND body->>'external_userid' = %s", batch,
                    first[0]) == "规则：展会码 / Rules: 展会码"     # for a recovery, should it be needed
        with psycopg.connect(db_url) as conn:       # the other may have come in another run
            undone = sorted(str(e) for (e,) in conn.execute(
                "SELECT external_userid FROM team_journal WHERE batch_id = %s AND tag_id = %s",
                (batch, target)))
        kept = [c for c in first if c not in undone]
        assert tagdesk("sync", "--profile", "team", env=admin_env, timeout=120).returncode == 0
        reverted = tagdesk("audit", "revert", batch, "--profile", "team", "--yes", "--json",
                           env=admin_env, timeout=120)
        assert reverted.returncode == 0, reverted.stderr
        assert not any(target in corp.state.relation_tag_ids(member, c) for c in undone)
        runs = int(str(_one(db_url, "SELECT max(id) FROM team_rule_run")))
        wait_for(lambda: int(str(_one(db_url, "SELECT max(id) FROM team_rule_run"))) >= runs + 3,
                 timeout=30, what="three more rule runs")
        assert not any(target in corp.state.relation_tag_ids(member, c) for c in undone)
        assert all(target in corp.state.relation_tag_ids(member, c) for c in kept)

        def left_alone() -> int:
            listed = _call(servers[0], sessions["admin"])[1]["rules"]
            return int(next(r["reverted_left_alone"] for r in listed if r["name"] == "展会码"))

        assert left_alone() == len(undone)
        later = corp.phone.add_customer(member, state="rules-revert")
        wait_for(lambda: target in corp.state.relation_tag_ids(member, later), timeout=30,
                 what="the rule's tag on a new relation")
        assert not any(target in corp.state.relation_tag_ids(member, c) for c in undone)
        shown = last_json(tagdesk("rules", "show", "展会码", "--profile", "team", "--json",
                                   env=admin_env, timeout=120))
        assert shown["reverted_left_alone"] == len(undone)
        _rules_window_says_left_alone(qtbot, admin_env, monkeypatch, len(undone))

        # A revert whose process died before settling it: recovery remembers it as well.
        later_batch = wait_for(lambda: _one(
            db_url, "SELECT batch_id FROM team_journal WHERE source = 'rule'"
            " AND external_userid = %s AND tag_id = %s", later, target), what="its journal row")
        corp.phone.mark(member, later, remove=[target])   # WeCom applied it; nobody settled it
        with psycopg.connect(db_url) as conn:
            conn.execute(
                "INSERT INTO outbox (operator, path, body, status, write_note) VALUES (%s,"
                " 'externalcontact/mark_tag', %s, 'sending', %s)",
                (people["admin"], Jsonb({"userid": member, "external_userid": later,
                                         "remove_tag": [target]}),
                 Jsonb({"X-TagDesk-Batch": "revert-dead", "X-TagDesk-Source": "revert",
                        "X-TagDesk-Reverts": later_batch,
                        "X-TagDesk-Before": json.dumps([target])})))
        wait_for(lambda: left_alone() == len(undone) + 1, timeout=30,
                 what="the recovered revert remembered")

        edited = {**rule, "description": "展会二维码的客户"}
        assert _call(servers[0], sessions["admin"], "put", {"rule": edited})[0] == 200
        wait_for(lambda: all(target in corp.state.relation_tag_ids(member, c)
                             for c in (*first, later)),
                 timeout=30, what="the edited rule applied to the reverted relations again")
        assert left_alone() == 0
    finally:
        _call(servers[0], sessions["admin"], "disable", {"name": "展会码"})



def test_a_reverted_change_stays_reverted_for_every_rule_that_made_it_and_its_chain(
        servers: list[TeamServerProcess], corp: SandboxServer, sessions: dict[str, str],
        admin_env: dict[str, str]) -> None:
    """Two rules add 展会 and a third adds 待回访 because of 展会: after `audit revert` of the
    run's batch, editing one of the two (or the chained one) makes nothing come back; once
    both that made 展会 are edited, 展会 and what follows from it are applied again; a revert of
    a revert makes the changes again and forgets them."""
    db_url = servers[0].db_url
    expo, call_back = corp.state.find_tag("MKT-渠道", "展会"), corp.state.find_tag("OPS-售后", "待回访")
    assert expo and call_back
    member = corp.state.follow_users()[5]
    customer = corp.phone.add_customer(member, state="multi-revert")
    state = {"state": "multi-revert"}
    rules = [{"name": "展会码甲", "when": state, "then": {"add": ["MKT-渠道:展会"]}},
             {"name": "展会码乙", "when": state, "then": {"add": ["MKT-渠道:展会"]}},
             {"name": "展会回访", "when": {"all": [state, {"has": "MKT-渠道:展会"}]},
              "then": {"add": ["OPS-售后:待回访"]}}]

    def put(rule: dict[str, Any]) -> None:
        assert _call(servers[0], sessions["admin"], "put", {"rule": rule})[0] == 200

    def tags() -> set[str]:
        return set(corp.state.relation_tag_ids(member, customer)) & {expo, call_back}

    def three_more_runs() -> None:
        runs = int(str(_one(db_url, "SELECT max(id) FROM team_rule_run")))
        wait_for(lambda: int(str(_one(db_url, "SELECT max(id) FROM team_rule_run"))) >= runs + 3,
                 timeout=30, what="three more rule runs")

    for rule in rules:
        put(rule)
    try:
        wait_for(lambda: tags() == {expo, call_back}, timeout=30, what="both tags")
        for tag in (expo, call_back):
            _rule_batch(db_url, customer, tag)
        with psycopg.connect(db_url) as conn:
            batches = sorted({str(b) for (b,) in conn.execute(
                "SELECT batch_id FROM team_journal WHERE source = 'rule' AND external_userid"
                " = %s AND tag_id = ANY(%s)", (customer, [expo, call_back]))})
        assert tagdesk("sync", "--profile", "team", env=admin_env, timeout=120).returncode == 0
        for batch in batches:
            reverted = tagdesk("audit", "revert", batch, "--profile", "team", "--yes",
                               "--json", env=admin_env, timeout=120)
            assert reverted.returncode == 0, reverted.stderr
        assert tags() == set()
        put({**rules[0], "description": "改过"})
        put({**rules[2], "description": "改过"})
        three_more_runs()
        assert tags() == set()
        put({**rules[1], "description": "改过"})
        wait_for(lambda: tags() == {expo, call_back}, timeout=30,
                 what="both tags again once every rule that made 展会 is edited")

        # Reverting the revert makes the changes again and forgets them.
        latest = sorted({_rule_batch(db_url, customer, tag, not_in=batches)
                         for tag in (expo, call_back)})
        assert tagdesk("sync", "--profile", "team", env=admin_env, timeout=120).returncode == 0
        undoes = [last_json(tagdesk("audit", "revert", batch, "--profile", "team", "--yes",
                                    "--json", env=admin_env, timeout=120))["batch_id"]
                  for batch in latest]
        assert tags() == set()
        assert _one(db_url, "SELECT count(*) FROM team_rule_revert WHERE external_userid = %s",
                    customer) == 3          # 展会 for 展会码甲 and 展会码乙, 待回访 for 展会回访
        for undo in undoes:
            redone = tagdesk("audit", "revert", undo, "--profile", "team", "--yes", "--json",
                             env=admin_env, timeout=120)
            assert redone.returncode == 0, redone.stderr
        assert tags() == {expo, call_back}
        assert _one(db_url, "SELECT count(*) FROM team_rule_revert WHERE external_userid = %s",
                    customer) == 0
    finally:
        for rule in rules:
            _call(servers[0], sessions["admin"], "disable", {"name": rule["name"]})

def _rule_batch(db_url: str, customer: str, tag_id: str, *, not_in: Collection[str] = ()) -> str:
    """The batch of the newest rule journal row for this customer's tag, once the server has
    written it: it commits just after WeCom's answer, so after the sandbox shows the tag."""
    def newest() -> object:
        found = _one(db_url, "SELECT batch_id FROM team_journal WHERE source = 'rule' AND"
                     " external_userid = %s AND tag_id = %s ORDER BY id DESC LIMIT 1",
                     customer, tag_id)
        return found if found is not None and str(found) not in not_in else None

    return str(wait_for(newest, timeout=30, what=f"the rule's journal row for {customer}"))


def _rules_window_says_left_alone(qtbot: Any, env: dict[str, str],
                                  monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The Rules window (in Chinese) says how many reverted relations 展会码 leaves alone."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    translations = Translations()
    translations.install(CHINESE)
    workspace = open_workspace(Path(env["TAGDESK_HOME"]), "team")
    context = AppContext(workspace)
    try:
        dialog = RulesDialog(context)
        qtbot.addWidget(dialog)

        def then_text() -> str:
            found = [dialog.rules.topLevelItem(i) for i in range(dialog.rules.topLevelItemCount())]
            return next((item.text(3) for item in found
                         if item is not None and item.text(0) == "展会码"), "")

        qtbot.waitUntil(lambda: bool(then_text()), timeout=30_000)
        assert then_text().endswith(f"{count} 个已回滚的客户关系不再更改")
        dialog.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        translations.uninstall()
