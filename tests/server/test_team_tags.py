"""`tagdesk tags …` on a team profile: the tree edits go through the team server's relay and
the team journal holds them under the logged-in user, rule-group calls included."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.domain.rule_reverts import definition_key
from desktop.sandbox import SandboxServer
from desktop.services.profiles import ProfileStore
from desktop.store import autotag_settings
from desktop.store.db import Cache
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration


def _team_rule(conn: psycopg.Connection[tuple[Any, ...]]) -> dict[str, Any]:
    row = conn.execute("SELECT definition FROM team_rule WHERE name = '复购升级'").fetchone()
    assert row is not None
    return dict(row[0])


def _journal(db_url: str, operator: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT action, source, tag_name, group_name, reason FROM team_journal"
            " WHERE operator = %s AND action NOT IN ('tag_add', 'tag_remove') ORDER BY id",
            (operator,),
        ).fetchall()


def test_tree_edits_of_a_team_profile_are_journaled_under_the_operator(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    editor = sorted(team_sandbox.state.follow_users())[1]   # an admin of the team server
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, editor)
    assert tagdesk("sync", "--profile", "team", env=env).returncode == 0

    added = tagdesk("tags", "add", "意向程度/团队新标签", "--profile", "team", "--json", env=env)
    assert added.returncode == 0, added.stderr
    tag_id = json.loads(added.stdout.strip().splitlines()[-1])["id"]
    assert team_sandbox.state.find_tag("意向程度", "团队新标签") == tag_id
    branch = tagdesk("tags", "add-group", "北京-团队", "--tag", "展会", "--branch", "北京销售组",
                     "--profile", "team", "--json", env=env)
    assert branch.returncode == 0, branch.stderr
    assert json.loads(branch.stdout.strip().splitlines()[-1])["rule_group"]["created"]
    deleted = tagdesk("tags", "delete", "意向程度/团队新标签", "--yes", "--reason", "试用结束",
                      "--profile", "team", env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert team_sandbox.state.find_tag("意向程度", "团队新标签") is None

    assert _journal(team_server.db_url, editor) == [
        ("tag_create", "tree", "团队新标签", "意向程度", ""),
        ("rule_group_create", "tree", "北京销售组", "北京销售组", ""),
        ("tag_create", "tree", "展会", "北京-团队", ""),
        ("tag_delete", "tree", "团队新标签", "意向程度", "试用结束"),
    ]


def test_each_tree_action_is_one_batch_in_the_team_journal(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The team journal's rows of one rename, add or delete carry the batch id the desktop
    gave that action (its own journal's), so the viewer groups them and revert goes by it."""
    editor = sorted(team_sandbox.state.follow_users())[1]
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, editor)
    assert tagdesk("sync", "--profile", "team", env=env).returncode == 0

    def run(*args: str) -> str:
        done = tagdesk("tags", *args, "--profile", "team", "--json", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        return str(json.loads(done.stdout.strip().splitlines()[-1])["batch_id"])

    made = [run("add-group", "批次测试组", "--tag", "甲"), run("add", "批次测试组/乙")]
    renamed = run("rename", "批次测试组/乙", "丙")
    regrouped = run("rename", "批次测试组", "批次改名组")
    moved = run("move", "批次改名组/丙", "--before", "批次改名组/甲")
    deleted = run("delete", "批次改名组", "--yes")
    batches = [*made, renamed, regrouped, moved, deleted]
    assert len(set(batches)) == 6 and all(b.startswith("tree-") for b in batches)
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute(
            "SELECT batch_id, action, tag_name, group_name, before, after FROM team_journal"
            " WHERE operator = %s AND batch_id = ANY(%s) ORDER BY id",
            (editor, batches)).fetchall()
    edits = [b for b, *_ in rows if b == moved]
    assert edits and all(a == "externalcontact/edit_corp_tag" for b, a, *_ in rows
                         if b == moved)   # every order a move sends, in the move's batch
    assert [(b, a) for b, a, *_ in rows if b != moved] == [
        (made[0], "tag_create"), (made[1], "tag_create"),   # the relay names no new group
        (renamed, "tag_rename"), (regrouped, "group_rename"),
        (deleted, "group_delete")]
    assert [row[2:] for row in rows if row[0] in (renamed, regrouped)] == [
        ("丙", "批次测试组", '{"name": "乙"}', '{"name": "丙"}'),   # old → new, like a solo rename
        ("批次改名组", "批次改名组", '{"name": "批次测试组"}', '{"name": "批次改名组"}')]
    assert [row[2:] for row in rows if row[0] == deleted] == [   # names what it deleted
        ("批次改名组", "批次改名组", '{"name": "批次改名组"}', "")]
    listed = tagdesk("audit", "list", "--profile", "team", "--batch", renamed, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "\t重命名标签 tag renamed\t标签库编辑 tag library edit\t" in listed.stdout  # any window's


def test_a_rename_through_the_server_respells_the_teams_saved_filters_and_rules(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    editor, author = users[1], users[3]          # users[1] is an administrator
    url = f"{team_server.url}tagdesk/v1/settings"
    with team_client(team_server.url, team_sandbox,
                     log_in(team_server.url, team_sandbox, author).token) as client:
        session = client.get_token()
    saved = requests.post(url, params={"access_token": session}, timeout=30, json={"changes": [
        {"kind": "saved_filter", "key": "复购客户", "value": "复购:二次复购 -VIP"},
        {"kind": "saved_filter", "key": "未改", "value": "VIP"}]}).json()
    with team_client(team_server.url, team_sandbox,
                     log_in(team_server.url, team_sandbox, editor).token) as client:
        ruled = requests.post(f"{team_server.url}tagdesk/v1/rules/put", timeout=30,
                              params={"access_token": client.get_token()},
                              json={"visibility": "team", "rules": [{
                                  "name": "复购升级", "when": {"has": "复购:二次复购"},
                                  "then": {"add": ["复购:三次复购客户"]}}]}).json()
    assert ruled["errcode"] == 0, ruled
    with psycopg.connect(team_server.db_url) as conn:
        conn.execute("INSERT INTO team_rule_revert (rule_name, userid, external_userid, tag_id,"
                     " action, definition_key, reverted_batch) SELECT name, 'u1', 'wm1', 't1',"
                     " 'tag_add', %s, 'revert-1' FROM team_rule WHERE name = '复购升级'",
                     (definition_key(_team_rule(conn)),))
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, editor)
    assert tagdesk("sync", "--profile", "team", env=env).returncode == 0
    for args in (("复购/二次复购", "复购两次"), ("复购/", "复购 次数")):
        renamed = tagdesk("tags", "rename", *args, "--profile", "team", env=env)
        assert renamed.returncode == 0, renamed.stderr
    polled = requests.get(url, params={"access_token": session, "since": str(saved["version"])},
                          timeout=30).json()
    assert [(i["key"], i["value"], i["updated_by"], i["author"]) for i in polled["items"]] == [
        ("复购客户", '"复购 次数":复购两次 -VIP', editor, author)]
    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute("SELECT operator, tag_name, before, after FROM team_journal"
                            " WHERE action = 'saved_filter_save' AND operator = %s ORDER BY id",
                            (editor,)).fetchall()
    with psycopg.connect(team_server.db_url) as conn:
        rule = conn.execute("SELECT definition FROM team_rule WHERE name = '复购升级'").fetchone()
        left_alone = conn.execute("SELECT definition_key FROM team_rule_revert").fetchall()
        replaced = conn.execute("SELECT count(*) FROM team_journal WHERE action = 'rule_replaced'"
                                " AND operator = %s AND tag_name = '复购升级'", (editor,)
                                ).fetchone()
    assert rule is not None and rule[0]["when"] == {"has": "复购 次数:复购两次"}
    assert rule[0]["then"]["add"] == ["复购 次数:三次复购客户"] and replaced == (2,)
    assert left_alone == [(definition_key(rule[0]),)]   # a respelled rule is the same rule
    steps = ["复购:二次复购 -VIP", "复购:复购两次 -VIP", '"复购 次数":复购两次 -VIP']
    assert rows == [(editor, "复购客户", *(json.dumps(t, ensure_ascii=False) for t in pair))
                    for pair in pairwise(steps)]


def _cached_verdicts(env: dict[str, str]) -> list[tuple[str, str]]:
    cache = Cache(ProfileStore(Path(env["TAGDESK_HOME"])).cache_path("team"))
    try:
        return [(r.tag_name, r.verdict) for r in autotag_settings.reviews(cache)]
    finally:
        cache.close()


def test_a_rename_through_the_server_moves_the_teams_verdicts_and_each_desktops_copy(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    editor, reviewer = users[1], users[4]        # users[1] is an administrator
    with team_client(team_server.url, team_sandbox,
                     log_in(team_server.url, team_sandbox, reviewer).token) as client:
        session = client.get_token()
    recorded = requests.post(
        f"{team_server.url}tagdesk/v1/autotag/reviews", params={"access_token": session},
        timeout=30, json={"reviews": [
            {"external_userid": "wm1", "userid": reviewer, "tag": tag, "verdict": verdict,
             "msg_keys": []}
            for tag, verdict in (("意向程度:低意向", "accepted"), ("意向程度:低意向", "rejected"),
                                 ("意向程度:中意向", "accepted"))]}).json()
    assert recorded["errcode"] == 0, recorded
    editor_env, reviewer_env = desktop_env(tmp_path / "editor"), desktop_env(tmp_path / "reviewer")
    cli_login(editor_env, team_server.url, team_sandbox, editor)
    cli_login(reviewer_env, team_server.url, team_sandbox, reviewer)
    for env in (editor_env, reviewer_env):
        assert tagdesk("sync", "--profile", "team", env=env, timeout=120).returncode == 0
    fetched = tagdesk("autotag", "export-training", "--profile", "team", "--out",
                      str(tmp_path / "train.jsonl"), env=reviewer_env, timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    before = [("意向程度:低意向", "accepted"), ("意向程度:低意向", "rejected"),
              ("意向程度:中意向", "accepted")]
    assert _cached_verdicts(reviewer_env) == before

    renamed = tagdesk("tags", "rename", "意向程度/低意向", "意向偏低", "--profile", "team",
                      env=editor_env)
    assert renamed.returncode == 0, renamed.stderr
    after = [("意向程度:意向偏低", "accepted"), ("意向程度:意向偏低", "rejected"),
             ("意向程度:中意向", "accepted")]
    with psycopg.connect(team_server.db_url) as conn:
        stored = conn.execute("SELECT tag_name, verdict FROM autotag_review WHERE operator = %s"
                              " ORDER BY id", (reviewer,)).fetchall()
    assert stored == after
    assert tagdesk("sync", "--profile", "team", env=reviewer_env, timeout=120).returncode == 0
    assert _cached_verdicts(reviewer_env) == after    # the copy it had fetched follows too
