"""Adopting a console-made group on a team profile: an administrator adopts through the
relay; a member's adoption becomes an approval request (what group, how many relations and
calls) that an admin approves with a second code, and the server carries it out as one batch
in the team journal; a rejection tells the requester."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.sandbox.inbox import read_inbox_from
from desktop.services.team import team_api_base
from desktop.services.workspace import open_workspace
from desktop.ui.adopt_dialog import AdoptDialog
from desktop.ui.approvals_dialog import ApprovalsDialog
from desktop.ui.context import AppContext
from desktop.ui.i18n import CHINESE, Translations
from desktop.wecom.client import WeComClient
from tests.gui.qt_items import cell
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    inbox_size,
    log_in,
    newest_code,
    tagdesk,
)

pytestmark = pytest.mark.integration

GROUP, TWIN_GROUP = "客户来源", "客户来源(TagDesk)"


def _desktop(tmp: pytest.TempPathFactory, server: TeamServerProcess, corp: SandboxServer,
             userid: str) -> dict[str, str]:
    env = desktop_env(tmp.mktemp(f"adopt-{userid}"))
    cli_login(env, server.url, corp, userid)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def test_a_member_only_asks_and_an_admin_adopts_through_the_relay(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    corp = team_sandbox
    follow_users = sorted(corp.state.follow_users())
    member, admin = follow_users[0], follow_users[1]
    old = corp.state.find_tag(GROUP, "朋友推荐") or ""
    carriers = {key for key in corp.state.relations() if old in corp.state.relation_tag_ids(*key)}
    assert carriers

    refused = tagdesk("migrate", "--profile", "team", "--adopt", GROUP, "--yes",
                      env=_desktop(tmp_path_factory, team_server, corp, member), timeout=120)
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "收编标签组需要管理员批准" in lines[0], refused.stderr
    assert corp.state.find_group(TWIN_GROUP) is None

    adopted = tagdesk("migrate", "--profile", "team", "--adopt", GROUP, "--yes", "--json",
                      env=_desktop(tmp_path_factory, team_server, corp, admin), timeout=180)
    assert adopted.returncode == 0, adopted.stderr
    summary = json.loads(adopted.stdout.strip().splitlines()[-1])
    twin = corp.state.find_tag(TWIN_GROUP, "朋友推荐") or ""
    assert summary["twins"][old] == twin
    assert {key for key in corp.state.relations()
            if twin in corp.state.relation_tag_ids(*key)} == carriers
    with psycopg.connect(team_server.db_url) as conn:
        journaled = conn.execute("SELECT count(DISTINCT external_userid || userid) FROM"
                                 " team_journal WHERE batch_id = %s",
                                 (summary["batch_id"],)).fetchone()
    assert journaled is not None and journaled[0] == summary["applied"]


OWN_GROUP, OWN_TWIN = "收编审批", "收编审批(TagDesk)"


def _governance(server: TeamServerProcess, session: str, action: str,
                body: dict[str, str]) -> dict[str, object]:
    answer = requests.post(f"{server.url}tagdesk/v1/governance/{action}", json=body,
                           params={"access_token": session}, timeout=60).json()
    assert isinstance(answer, dict)
    return answer


def test_a_members_adoption_is_a_request_an_admin_approves_as_one_journaled_batch(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    corp = team_sandbox
    member, admin = sorted(corp.state.follow_users())[:2]
    with WeComClient(team_api_base(team_server.url), corp.corp_id,
                     log_in(team_server.url, corp, admin).token,
                     team_url=team_server.url) as client:
        session = client.get_token()
        made = client.add_corp_tag(tags=["甲", "乙"], group_name=OWN_GROUP)
        first, second = (t.id for t in made.tags)
        relations = sorted(corp.state.relations())[:3]
        for index, (userid, euid) in enumerate(relations):
            client.mark_tag(userid, euid, add=[first if index else second])

    env = _desktop(tmp_path_factory, team_server, corp, member)
    asked = tagdesk("migrate", "--profile", "team", "--adopt", OWN_GROUP, "--yes", "--json",
                    "--reason", "统一由本应用管理", env=env, timeout=120)
    assert asked.returncode == 3, asked.stderr
    assert "收编标签组需要管理员批准" in asked.stderr and "Traceback" not in asked.stderr
    summary = json.loads(asked.stdout.strip().splitlines()[-1])
    assert summary["status"] == "approval_requested"
    approval_id = int(summary["approval_id"])
    assert corp.state.find_group(OWN_TWIN) is None                  # nothing written yet

    listed = requests.get(f"{team_server.url}tagdesk/v1/governance/approvals", timeout=30,
                          params={"access_token": session}).json()["approvals"]
    request = next(a for a in listed if a["id"] == approval_id)
    assert (request["kind"], request["target"], request["requester"], request["status"]) == (
        "adopt_group", f"{OWN_GROUP} → {OWN_TWIN}", member, "pending")
    assert (request["relations"], request["api_calls"]) == (3, 4)
    assert request["reason"] == "统一由本应用管理"
    assert any(f"approvals approve {approval_id}" in m.text and "收编标签组" in m.text
               for m in read_inbox_from(corp.config.data_dir, admin))

    seen = inbox_size(corp, admin)
    challenge = _governance(team_server, session, f"approvals/{approval_id}/code", {})
    told = inbox_size(corp, member)
    done = _governance(team_server, session, f"approvals/{approval_id}/approve", {
        "challenge_id": str(challenge["challenge_id"]), "code": newest_code(corp, admin, seen)})
    assert done["errcode"] == 0, done
    assert (done["relations"], done["failed"]) == (3, 0)
    twins = {corp.state.find_tag(OWN_TWIN, name) for name in ("甲", "乙")}
    for index, key in enumerate(relations):
        carried = corp.state.relation_tag_ids(*key)
        assert first not in carried and second not in carried
        assert corp.state.find_tag(OWN_TWIN, "甲" if index else "乙") in carried
    assert None not in twins
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute("SELECT operator, source, count(*) FROM team_journal"
                            " WHERE batch_id = %s GROUP BY operator, source",
                            (done["batch_id"],)).fetchall()
    assert rows and all(r[0] == admin and r[1] == "migration" for r in rows)
    assert sum(int(str(r[2])) for r in rows) >= 6                  # 3 removed + 3 added
    outcome = read_inbox_from(corp.config.data_dir, member)[told:]
    assert any(f"#{approval_id}" in m.text and "3 个客户关系已移到新标签组" in m.text
               for m in outcome)

    assert tagdesk("sync", "--profile", "team", env=env, timeout=120).returncode == 0
    reverted = tagdesk("audit", "revert", str(done["batch_id"]), "--profile", "team", "--yes",
                       env=env, timeout=120)
    assert reverted.returncode == 0, reverted.stderr
    for index, key in enumerate(relations):                        # one batch, undone
        carried = corp.state.relation_tag_ids(*key)
        assert (first if index else second) in carried and not twins & carried

    again = tagdesk("migrate", "--profile", "team", "--adopt", "客户等级", "--yes", "--json",
                    "--new-group", "客户等级(审批)", env=env, timeout=120)
    rejected_id = int(json.loads(again.stdout.strip().splitlines()[-1])["approval_id"])
    told = inbox_size(corp, member)
    refused = _governance(team_server, session, f"approvals/{rejected_id}/reject",
                          {"reason": "先不收编"})
    assert refused["errcode"] == 0, refused
    assert corp.state.find_group("客户等级(审批)") is None
    assert any("先不收编" in m.text for m in read_inbox_from(corp.config.data_dir, member)[told:])


@pytest.mark.gui
def test_the_adopt_dialog_sends_a_members_adoption_for_approval(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    corp = team_sandbox
    member = sorted(corp.state.follow_users())[0]
    env = _desktop(tmp_path_factory, team_server, corp, member)
    for key in ("TAGDESK_HOME", "PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME"):
        monkeypatch.setenv(key, env[key])
    translations = Translations()
    translations.install(CHINESE)
    workspace = open_workspace(Path(env["TAGDESK_HOME"]), "team")
    context = AppContext(workspace)
    try:
        dialog = AdoptDialog(context, corp.state.find_group("意向程度") or "", "意向程度")
        qtbot.addWidget(dialog)
        dialog.new_name.setText("意向程度(申请)")
        dialog.reason.setText("统一管理意向标签")
        qtbot.waitUntil(lambda: dialog.plan is not None and dialog.run_button.isEnabled()
                        and dialog.plan.twin_group_name == "意向程度(申请)", timeout=30_000)
        relations = dialog.plan.relations if dialog.plan else 0
        with qtbot.waitSignal(dialog.requested, timeout=60_000) as asked:
            dialog.run_button.click()
        approval_id = asked.args[0]
        assert dialog.preview_text.text().startswith("收编标签组需要管理员批准，已提交申请")
        assert corp.state.find_group("意向程度(申请)") is None
        context.wait_idle()

        inbox = ApprovalsDialog(workspace.profile)
        qtbot.addWidget(inbox)
        qtbot.waitUntil(lambda: bool(inbox.approvals) and inbox._task is None, timeout=30_000)
        row = next(i for i, a in enumerate(inbox.approvals) if a["id"] == approval_id)
        target = cell(inbox.table, row, 2)
        assert target is not None and target.text() == (
            f"意向程度 → 意向程度(申请)（{relations} 个客户关系，{relations + 1} 次 API 调用）")
        reason = inbox.table.item(row, 6)
        assert reason is not None and reason.text() == "统一管理意向标签"
        assert [cell(inbox.table, row, column).text() for column in (1, 5)] == ["收编标签组", "待审批"]
        inbox.close()
        dialog.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        translations.uninstall()
