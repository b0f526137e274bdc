"""Auto-tagging keywords and review verdicts on a team profile: kept in PostgreSQL, shared by
every desktop, each keyword edit in the team journal under its editor; a desktop that cannot
reach the server simulates on its cached copy and says so once."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.services.profiles import ProfileStore
from desktop.store import autotag_settings
from desktop.store.db import Cache
from tests.cli_json import last_json
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration

HIGH = "高意向=报价单,采购,试用,演示,合同"


def _ok(*args: str, env: dict[str, str]) -> dict[str, object]:
    done = tagdesk(*args, "--json", env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    return last_json(done.stdout)


def _query(db_url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(sql.encode()).fetchall()


def test_two_desktops_share_keywords_and_verdicts_and_keyword_edits_are_journaled(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    seller, boss = sorted(team_sandbox.state.follow_users())[:2]
    seller_env = desktop_env(tmp_path_factory.mktemp("autotag-seller"))
    boss_env = desktop_env(tmp_path_factory.mktemp("autotag-boss"))
    cli_login(seller_env, team_server.url, team_sandbox, seller)
    cli_login(boss_env, team_server.url, team_sandbox, boss)
    export = str(team_sandbox.state.chat_export_path)
    _ok("autotag", "import-chats", "--profile", "team", export, env=seller_env)
    assert _ok("autotag", "keywords", "--profile", "team", "--set", HIGH, env=seller_env) == {
        "tags": {"高意向": {"keywords": ["报价单", "采购", "试用", "演示", "合同"]}}}

    seen = _ok("autotag", "keywords", "--profile", "team", "--set", "需上门=上门,到家,师傅",
               env=boss_env)
    assert seen["tags"] == {"高意向": {"keywords": ["报价单", "采购", "试用", "演示", "合同"]},
                            "需上门": {"keywords": ["上门", "到家", "师傅"]}}
    _ok("autotag", "keywords", "--profile", "team", "--remove", "需上门", env=seller_env)
    assert _ok("autotag", "keywords", "--profile", "team", env=boss_env)["tags"] == {
        "高意向": {"keywords": ["报价单", "采购", "试用", "演示", "合同"]}}
    journaled = _query(team_server.db_url,
                       "SELECT operator, action, source, tag_name, before, after FROM"
                       " team_journal WHERE action LIKE 'autotag_keywords%' ORDER BY id")
    assert journaled == [
        (seller, "autotag_keywords_set", "settings", "高意向", "",
         '["报价单", "采购", "试用", "演示", "合同"]'),
        (boss, "autotag_keywords_set", "settings", "需上门", "", '["上门", "到家", "师傅"]'),
        (seller, "autotag_keywords_remove", "settings", "需上门", '["上门", "到家", "师傅"]', ""),
    ]
    listed = tagdesk("audit", "list", "--profile", "team", "--source", "settings", env=boss_env,
                     timeout=120)
    assert listed.returncode == 0 and "自动打标关键词" in listed.stdout, listed.stderr

    assert tagdesk("sync", "--profile", "team", env=seller_env, timeout=120).returncode == 0
    applied = _ok("autotag", "apply", "--profile", "team", "--yes", env=seller_env)
    assert applied["status"] == "done" and isinstance(applied["applied"], int)
    assert applied["applied"] > 0
    verdicts = _query(team_server.db_url,
                      "SELECT operator, tag_name, verdict, cardinality(msg_keys) FROM"
                      " autotag_review WHERE tag_name = '高意向' ORDER BY id")
    assert len(verdicts) == applied["would_add"]
    assert {row[:3] for row in verdicts} == {(seller, "高意向", "accepted")}
    assert all(isinstance(row[3], int) and row[3] > 0 for row in verdicts)

    train = tmp_path_factory.mktemp("autotag-train") / "train.jsonl"
    exported = _ok("autotag", "export-training", "--profile", "team", "--out", str(train),
                   "--from", "reviews", env=boss_env)
    training = exported["training"]
    assert isinstance(training, dict)
    customers = len({row[0] for row in _query(
        team_server.db_url,
        "SELECT external_userid FROM autotag_review WHERE tag_name = '高意向'")})
    assert training["高意向"] == {"positives": customers, "negatives": 0,
                                  "sources": {"accepted": customers}, "negative_sources": {}}
    rows = [json.loads(line) for line in train.read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["labels"] == ["高意向"] for row in rows)

    retagged = _ok("retag", "--profile", "team", "--filter", "NOT 高意向", "--add",
                   "意向程度:高意向", "--yes", env=seller_env)
    assert retagged["status"] == "done"
    by_batch = {str(row[0]) for row in _query(
        team_server.db_url, "SELECT external_userid FROM team_journal WHERE source = 'batch'"
        " AND action = 'tag_add' AND tag_name = '高意向'")}
    chatted = {m["external_userid"] for line in Path(export).read_text(encoding="utf-8")
               .splitlines() if (m := json.loads(line))["from"] == m["external_userid"]}
    assert by_batch & chatted
    assert tagdesk("sync", "--profile", "team", env=boss_env, timeout=120).returncode == 0
    simulated = _ok("autotag", "simulate", "--profile", "team", env=boss_env)
    learnt = simulated["training"]
    assert isinstance(learnt, dict)
    assert learnt["高意向"]["sources"]["batch"] == len(by_batch & chatted)
    assert learnt["高意向"]["positives"] == len((by_batch & chatted) | {
        row["customer"] for row in rows})
    assert isinstance(simulated["training_messages"], int)
    assert simulated["training_messages"] > len(rows)
    warnings = simulated["warnings"]
    assert isinstance(warnings, list)
    assert not any("team server is unavailable" in w for w in warnings)

    _move_profile(Path(boss_env["TAGDESK_HOME"]), team_server.url, "http://127.0.0.1:9/")
    offline = tagdesk("autotag", "simulate", "--profile", "team", "--json", env=boss_env,
                      timeout=120)
    assert offline.returncode == 0, offline.stderr
    summary = last_json(offline.stdout)
    offline_warnings = summary["warnings"]
    assert isinstance(offline_warnings, list)
    said = [w for w in offline_warnings if "team server is unavailable" in w]
    assert len(said) == 1 and "Traceback" not in offline.stderr
    assert summary["messages"] == simulated["messages"] and summary["tags"] == ["高意向"]
    assert summary["training_messages"] == len(rows)      # the team journal is away


def _move_profile(home: Path, old_url: str, new_url: str) -> None:
    """Point the desktop's team profile at a server that does not answer."""
    moved = 0
    for path in home.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".ini", ".toml", ".cfg"}:
            text = path.read_text(encoding="utf-8")
            if old_url in text:
                path.write_text(text.replace(old_url, new_url), encoding="utf-8")
                moved += 1
    assert moved == 1


def test_the_verdicts_endpoint_needs_a_login_and_whole_verdicts(
    team_server: TeamServerProcess, team_sandbox: SandboxServer,
) -> None:
    url = f"{team_server.url}tagdesk/v1/autotag/reviews"
    review = {"external_userid": "wmR1", "userid": "zhangsan", "tag": "投诉",
              "verdict": "rejected", "msg_keys": ["id:m1"]}
    anonymous = requests.post(url, json={"reviews": [review]}, timeout=30).json()
    assert anonymous["errcode"] == 41001                     # no access_token
    assert requests.get(url, params={"access_token": "forged"},
                        timeout=30).json()["errcode"] == 40014
    userid = sorted(team_sandbox.state.follow_users())[2]
    device = log_in(team_server.url, team_sandbox, userid)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        session = client.get_token()
    before = _query(team_server.db_url, "SELECT count(*) FROM autotag_review")[0][0]
    refused = requests.post(url, params={"access_token": session},
                            json={"reviews": [review, {**review, "verdict": "maybe"}]},
                            timeout=30).json()
    assert refused["errcode"] == 47001 and "review 1" in refused["errmsg"]
    assert _query(team_server.db_url, "SELECT count(*) FROM autotag_review")[0][0] == before
    stored = requests.post(url, params={"access_token": session}, json={"reviews": [review]},
                           timeout=30).json()
    assert stored == {"errcode": 0, "errmsg": "ok", "stored": 1}
    page = requests.get(url, params={"access_token": session, "after_id": "0"},
                        timeout=30).json()
    mine = [r for r in page["reviews"] if r["external_userid"] == "wmR1"]
    assert [(r["operator"], r["tag"], r["verdict"], r["msg_keys"]) for r in mine] == [
        (userid, "投诉", "rejected", ["id:m1"])]
    assert mine[0]["ts"] > 0


@pytest.mark.parametrize("how", ["audit revert", "batch undo"])
def test_a_reverted_or_undone_team_batch_marks_its_suggestions_reverted_for_every_desktop(
    how: str, team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    seller = users[3] if how == "audit revert" else users[5]
    taker = users[4] if how == "audit revert" else seller  # a batch undo is the seller's own
    seller_env = desktop_env(tmp_path_factory.mktemp("revert-seller"))
    cli_login(seller_env, team_server.url, team_sandbox, seller)
    taker_env = seller_env
    if taker != seller:
        taker_env = desktop_env(tmp_path_factory.mktemp("revert-supervisor"))
        cli_login(taker_env, team_server.url, team_sandbox, taker)
    _ok("autotag", "import-chats", "--profile", "team", str(team_sandbox.state.chat_export_path),
        env=seller_env)
    _ok("autotag", "keywords", "--profile", "team", "--set", "需上门=上门,到家,师傅",
        env=seller_env)
    assert tagdesk("sync", "--profile", "team", env=seller_env, timeout=120).returncode == 0
    applied = _ok("autotag", "apply", "--profile", "team", "--tags", "需上门", "--yes",
                  env=seller_env)
    assert applied["status"] == "done" and isinstance(applied["applied"], int)
    assert applied["applied"] > 0
    batch = str(applied["batch_id"])
    accepted = _latest(team_server.db_url)
    assert accepted and set(accepted.values()) == {("accepted", seller)}
    assert _positives(seller_env, tmp_path_factory.mktemp("before")) > 0

    assert tagdesk("sync", "--profile", "team", env=taker_env, timeout=120).returncode == 0
    taken = tagdesk(*how.split(), batch, "--profile", "team", "--yes", env=taker_env,
                    timeout=180)
    assert taken.returncode == 0, taken.stderr
    latest = _latest(team_server.db_url)
    assert latest.keys() == accepted.keys() and set(latest.values()) == {("reverted", taker)}
    if how == "batch undo":     # its team journal rows name the batch they undo
        said = f"撤销批次 {batch} / Undoes batch {batch}"
        assert set(_query(team_server.db_url, "SELECT DISTINCT source, reason, reverts_batch"
                          f" FROM team_journal WHERE reverts_batch = '{batch}'")) == {
            ("undo", said, batch)}

    assert _positives(seller_env, tmp_path_factory.mktemp("after")) == 0
    cache = Cache(ProfileStore(Path(seller_env["TAGDESK_HOME"])).cache_path("team"))
    try:
        copied = autotag_settings.latest_reviews(cache)
    finally:
        cache.close()
    mine = {key: r.verdict for key, r in copied.items() if key[2] == "需上门"}
    assert len(mine) == len(accepted) and set(mine.values()) == {"reverted"}


def _latest(db_url: str) -> dict[tuple[str, str], tuple[str, str]]:
    """Each relation's latest verdict on 需上门 and who gave it."""
    return {(str(e), str(u)): (str(verdict), str(operator)) for e, u, verdict, operator in _query(
        db_url, "SELECT DISTINCT ON (external_userid, userid) external_userid, userid, verdict,"
        " operator FROM autotag_review WHERE tag_name = '需上门'"
        " ORDER BY external_userid, userid, id DESC")}


def _positives(env: dict[str, str], folder: Path) -> int:
    """Customers the team's reviews teach 需上门 on this desktop."""
    exported = _ok("autotag", "export-training", "--profile", "team", "--from", "reviews",
                   "--out", str(folder / "train.jsonl"), env=env)
    training = exported["training"]
    assert isinstance(training, dict)
    return int(training.get("需上门", {}).get("positives", 0))
