"""A review verdict from a desktop that has not synced since a rename through the team server
is recorded under the tag's new name, where the rename left the team's other verdicts, so
simulations, reverts and training keep it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.sandbox import SandboxServer
from desktop.services.autotag_keywords import save_for
from desktop.services.autotag_simulation import AutoTagService
from desktop.services.chat_import import import_chats
from desktop.services.sync import run_sync
from desktop.services.team_chats import store_for
from desktop.services.workspace import Workspace, open_workspace
from desktop.store import autotag_settings
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    logged_in_home,
    tagdesk,
    wait_for,
)

pytestmark = pytest.mark.integration

OLD, NEW = "还在考虑", "犹豫观望"


@pytest.fixture
def editor_env(tmp_path: Path, team_server: TeamServerProcess,
               team_sandbox: SandboxServer) -> dict[str, str]:
    """An administrator's command line, which adds the tag the reviewer's keywords name."""
    env = desktop_env(tmp_path / "editor")
    cli_login(env, team_server.url, team_sandbox, sorted(team_sandbox.state.follow_users())[1])
    assert tagdesk("sync", "--profile", "team", env=env, timeout=120).returncode == 0
    added = tagdesk("tags", "add", f"意向程度/{OLD}", "--profile", "team", env=env)
    assert added.returncode == 0, added.stderr
    return env


@pytest.fixture
def reviewer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, team_server: TeamServerProcess,
             team_sandbox: SandboxServer, editor_env: dict[str, str]) -> Iterator[Workspace]:
    """The reviewer's desktop, synced once the tag exists, with a chat its keyword finds."""
    for key, value in desktop_env(tmp_path / "reviewer").items():
        monkeypatch.setenv(key, value)
    with psycopg.connect(team_server.db_url) as conn:
        wait_for(lambda: conn.execute("SELECT finished_at FROM resync_run").fetchone(),
                 timeout=60, what="the server's first re-sync")
    userid, customer = sorted(team_sandbox.state.relations())[0]
    logged_in_home(tmp_path / "desk", team_server.url, team_sandbox, userid)
    export = tmp_path / "chats.jsonl"
    export.write_text(json.dumps({"time": 1_780_000_000, "userid": userid,
                                  "external_userid": customer, "direction": "in",
                                  "text": "价格我再考虑考虑"}, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    with open_workspace(tmp_path / "desk", "team") as ws:
        run_sync(ws.client(), ws.cache)
        assert import_chats(ws.cache, export, store=store_for(ws)).imported == 1
        save_for(ws, {f"意向程度:{OLD}": ["再考虑", "考虑一下", "回头再说"]}, replace_all=True)
        yield ws


def test_a_verdict_under_a_name_renamed_since_the_last_sync_is_kept_under_the_new_name(
        reviewer: Workspace, editor_env: dict[str, str], team_server: TeamServerProcess) -> None:
    service = AutoTagService(reviewer)
    suggestion = next(s for s in service.simulate().suggestions
                      if s.tag_name == f"意向程度:{OLD}")
    renamed = tagdesk("tags", "rename", f"意向程度/{OLD}", NEW, "--profile", "team",
                      env=editor_env)
    assert renamed.returncode == 0, renamed.stderr

    assert service.accept([suggestion]) == 1          # this desktop has not synced since
    with psycopg.connect(team_server.db_url) as conn:
        stored = conn.execute(
            "SELECT tag_name, verdict FROM autotag_review WHERE external_userid = %s",
            (suggestion.external_userid,)).fetchall()
        keywords = conn.execute("SELECT key FROM team_setting WHERE kind = 'autotag_keywords'"
                                " AND value IS NOT NULL").fetchall()
    assert stored == [(f"意向程度:{NEW}", "accepted")]
    assert keywords == [(f"意向程度:{NEW}",)]         # where the rename moved the keywords
    assert [(r.tag_name, r.verdict) for r in autotag_settings.reviews(reviewer.cache)] == [
        (f"意向程度:{NEW}", "accepted")]               # the copy fetched back names it so too

    regrouped = tagdesk("tags", "rename", "意向程度/", "意向阶段", "--profile", "team",
                        env=editor_env)
    assert regrouped.returncode == 0, regrouped.stderr
    assert service.reject([suggestion]) == 1          # its group renamed too, still unsynced
    with psycopg.connect(team_server.db_url) as conn:
        stored = conn.execute(
            "SELECT tag_name, verdict FROM autotag_review WHERE external_userid = %s"
            " ORDER BY id", (suggestion.external_userid,)).fetchall()
    assert stored == [(f"意向阶段:{NEW}", "accepted"), (f"意向阶段:{NEW}", "rejected")]
