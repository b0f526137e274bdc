"""A team desktop's tag expiries live on the team server: a retag with `--expires` sends them
with its writes, the server records them and removes each tag once when due (the desktop
never removes them itself), and desktops read them (`GET /tagdesk/v1/expiries`) for
`tagdesk expiry list`, the expiring-tags window, the tree's ⏳ counts and the detail pane;
`expiry set` and the window's Change expiry… set them on the server (`POST`)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.services.profiles import ProfileStore
from desktop.services.team import team_api_base
from desktop.services.workspace import open_workspace
from desktop.store import tag_expiry
from desktop.store.db import Cache
from desktop.ui.context import AppContext
from desktop.ui.detail_pane import DetailPane
from desktop.ui.expiring_tags_dialog import ExpiringTagsDialog
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.tag_tree_model import Role, TagTreeModel
from desktop.wecom.client import WeComClient
from desktop.wecom.write_note import EXPIRES_HEADER
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    wait_for,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(postgres: PostgresCluster, team_sandbox: SandboxServer,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    """A team server removing due expiries every second."""
    started = TeamServerProcess(postgres.new_database(), team_sandbox,
                                tmp_path_factory.mktemp("expiry-server"),
                                "--expiry-interval", "1")
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def seller(team_sandbox: SandboxServer) -> str:
    return sorted(team_sandbox.state.follow_users())[0]


@pytest.fixture(scope="module")
def seller_env(server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
               tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = desktop_env(tmp_path_factory.mktemp("expiry-seller"))
    cli_login(env, server.url, team_sandbox, seller)
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def _last(result: Any) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _rows(db_url: str, tag_id: str) -> list[tuple[object, ...]]:
    with psycopg.connect(db_url) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT external_userid, rule_name, batch_id,"
            " round(extract(epoch FROM due_at - set_at)) FROM team_tag_expiry"
            " WHERE tag_id = %s ORDER BY external_userid", (tag_id,))]


def _tag(sandbox: SandboxServer, seller: str, index: int) -> tuple[str, str, list[str]]:
    """A tag none of the seller's relations carries: its 组:名, id and those relations."""
    relations = sorted(e for u, e in sandbox.state.relations() if u == seller)
    free = [(key, tag_id) for key, tag_id in sorted(sandbox.state.tag_ids_by_name().items())
            if not any(tag_id in sandbox.state.relation_tag_ids(seller, e) for e in relations)]
    (group, name), tag_id = free[index]
    return f"{group}:{name}", tag_id, relations


def test_a_team_desktops_expiry_is_kept_and_removed_once_by_the_server(
        server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
        seller_env: dict[str, str]) -> None:
    tag, tag_id, relations = _tag(team_sandbox, seller, 0)
    batch = _last(tagdesk("retag", "--profile", "team", "--filter", f"owner:{seller}",
                          "--add", tag, "--expires", "1h", "--yes", "--json", env=seller_env,
                          timeout=120))["batch_id"]
    recorded = _rows(server.db_url, tag_id)      # the seconds left when each call was sent
    assert [r[:3] for r in recorded] == [(e, "", batch) for e in relations]
    assert all(3500 < int(str(r[3])) <= 3600 for r in recorded), recorded
    cache = Cache(ProfileStore(Path(seller_env["TAGDESK_HOME"])).cache_path("team"))
    with cache:                                  # its copy has them before any fetch
        assert sorted(str(e) for (e,) in cache.connection().execute(
            "SELECT external_userid FROM team_tag_expiry WHERE tag_id = ?", (tag_id,))
        ) == relations

    listed = _last(tagdesk("expiry", "list", "--profile", "team", "--json", env=seller_env,
                           timeout=120))["expiries"]
    assert sorted((e["external_userid"], e["tag_id"], e["origin"]) for e in listed) == [
        (e, tag_id, f"batch:{batch}") for e in relations]

    with psycopg.connect(server.db_url) as conn:
        conn.execute("UPDATE team_tag_expiry SET due_at = now() WHERE tag_id = %s", (tag_id,))
    wait_for(lambda: not any(tag_id in team_sandbox.state.relation_tag_ids(seller, e)
                             for e in relations), timeout=30, what="the due tags removed")
    wait_for(lambda: not _rows(server.db_url, tag_id), timeout=30, what="the expiries gone")
    with psycopg.connect(server.db_url) as conn:
        removed = conn.execute(
            "SELECT external_userid, operator, reason FROM team_journal WHERE source = 'expiry'"
            " AND tag_id = %s ORDER BY external_userid", (tag_id,)).fetchall()
    assert [tuple(r) for r in removed] == [(e, "tagdesk-server", "到期 / Expired")
                                           for e in relations]

    ran = _last(tagdesk("expiry", "run", "--profile", "team", "--json", env=seller_env,
                        timeout=120))
    assert (ran["status"], ran["batch_id"]) == ("team_server", None)
    synced = _last(tagdesk("sync", "--profile", "team", "--json", env=seller_env, timeout=120))
    assert synced["expiry"]["status"] == "team_server"
    with psycopg.connect(server.db_url) as conn:   # nobody removed them a second time
        assert conn.execute("SELECT count(*) FROM team_journal WHERE source = 'expiry'"
                            " AND tag_id = %s", (tag_id,)).fetchone() == (len(relations),)


def test_expiries_and_their_header_are_checked(
        server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
        seller_env: dict[str, str]) -> None:
    url = f"{server.url}tagdesk/v1/expiries"
    assert requests.get(url, timeout=30).json()["errcode"] != 0          # not logged in
    with WeComClient(team_api_base(server.url), team_sandbox.corp_id,
                     log_in(server.url, team_sandbox, seller).token,
                     team_url=server.url) as client:
        token = client.get_token()
    for bad in ("0", "x", "20001"):
        answer = requests.get(url, params={"access_token": token, "limit": bad},
                              timeout=30).json()
        assert answer["errcode"] == 40058 and "limit" in answer["errmsg"]
    assert requests.get(url, params={"access_token": token, "after": "a/b"},
                        timeout=30).json()["errcode"] == 40058
    wrong: object
    for wrong, errcode in (({"set": []}, 40058), ({"set": [{"userid": seller}]}, 40058),
                         ({"set": [{"userid": seller, "external_userid": "wm", "tag_id": "et",
                                    "expires_in_s": "1d"}]}, 40058), ([1], 47001)):
        answer = requests.post(url, params={"access_token": token}, json=wrong,
                               timeout=30).json()
        assert answer["errcode"] == errcode, answer
    assert requests.post(url, json={"set": [{"userid": seller, "external_userid": "wm",
                                             "tag_id": "et", "expires_in_s": 60}]},
                         timeout=30).json()["errcode"] not in (0, 40058)     # not logged in
    _, tag_id, relations = _tag(team_sandbox, seller, 1)
    body = {"userid": seller, "external_userid": relations[0], "add_tag": [tag_id]}
    for bad in ("[1]", '{"x": 0}', '{"x": "1h"}', "nope"):
        answer = requests.post(f"{server.url}cgi-bin/externalcontact/mark_tag",
                               params={"access_token": token}, json=body,
                               headers={EXPIRES_HEADER: bad}, timeout=30).json()
        assert answer["errcode"] == 47001 and EXPIRES_HEADER in answer["errmsg"]
    assert tag_id not in team_sandbox.state.relation_tag_ids(seller, relations[0])


def _tagged_for_two_days(sandbox: SandboxServer, seller: str, seller_env: dict[str, str],
                         index: int) -> tuple[str, str, list[str]]:
    """`_tag`'s tag added to the seller's relations by `retag --expires 2d`."""
    tag, tag_id, relations = _tag(sandbox, seller, index)
    _last(tagdesk("retag", "--profile", "team", "--filter", f"owner:{seller}", "--add", tag,
                  "--expires", "2d", "--yes", "--json", env=seller_env, timeout=120))
    return tag, tag_id, relations


def _seller_app(seller_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AppContext:
    for key, value in seller_env.items():
        monkeypatch.setenv(key, value)
    return AppContext(open_workspace(Path(seller_env["TAGDESK_HOME"]), "team"))


def test_the_app_shows_the_servers_expiries(
        qtbot: Any, server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
        seller_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    tag, tag_id, relations = _tagged_for_two_days(team_sandbox, seller, seller_env, 2)
    done = _last(tagdesk("expiry", "set", "--profile", "team", "--filter", f"owner:{seller}",
                         "--tag", tag, "--expires", "1d", "--json", env=seller_env,
                         timeout=120))
    assert done["relations"] == len(relations)
    assert _rows(server.db_url, tag_id) == [(e, "", f"set:{seller}", 86400) for e in relations]
    context = _seller_app(seller_env, monkeypatch)
    workspace = context.workspace
    try:
        with workspace.cache.write() as conn:     # only the server's are shown
            conn.execute("DELETE FROM tag_expiry")
        window = ExpiringTagsDialog(context)
        qtbot.addWidget(window)
        def shown() -> list[int]:
            return [n for n, r in enumerate(window.rows) if r.expiry.tag_id == tag_id]

        qtbot.waitUntil(lambda: len(shown()) == len(relations), timeout=30_000)
        assert window.remove_due_button.isHidden() and not window.change_button.isHidden()
        tree = TagTreeModel(context)
        qtbot.waitUntil(lambda: tree.is_loaded, timeout=30_000)
        index = tree.index_for_key(f"tag:{tag_id}")
        assert tree.data(index, Role.EXPIRING) == len(relations)
        pane = DetailPane(context)
        qtbot.addWidget(pane)
        pane.show_relation(int(str(workspace.cache.scalar(
            "SELECT id FROM relation WHERE external_userid = ? AND userid = ?",
            (relations[0], seller)))))
        assert "⏳" in pane.browser.visible_text()

        for n in range(window.table.topLevelItemCount()):   # a row of this tag (sorted)
            item = window.table.topLevelItem(n)
            assert item is not None
            item.setSelected(True)
            if window.selected()[0].tag_id == tag_id:
                break
            item.setSelected(False)
        [chosen] = window.selected()
        assert chosen.tag_id == tag_id
        window.change_selected("3d")                 # Change expiry…: sent to the server
        qtbot.waitUntil(lambda: (chosen.external_userid, "", f"set:{seller}", 3 * 86400)
                        in _rows(server.db_url, tag_id), timeout=30_000)
        window.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def test_the_window_shows_the_last_copy_while_the_server_cannot_be_reached(
        qtbot: Any, server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
        seller_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The expiring-tags window (in Chinese) of a team profile whose server is unreachable
    lists the expiries last copied from it, under a line saying so and when it was copied."""
    tag, tag_id, relations = _tag(team_sandbox, seller, 3)
    _last(tagdesk("retag", "--profile", "team", "--filter", f"owner:{seller}", "--add", tag,
                  "--expires", "2d", "--yes", "--json", env=seller_env, timeout=120))
    for key, value in seller_env.items():
        monkeypatch.setenv(key, value)
    translations = Translations()
    translations.install(CHINESE)
    workspace = open_workspace(Path(seller_env["TAGDESK_HOME"]), "team")
    context = AppContext(workspace)
    try:
        window = ExpiringTagsDialog(context)
        qtbot.addWidget(window)

        def shown() -> list[str]:
            return [r.expiry.external_userid for r in window.rows if r.expiry.tag_id == tag_id]

        qtbot.waitUntil(lambda: sorted(shown()) == relations, timeout=30_000)
        assert window.stale.isHidden()
        copied_at = tag_expiry.team_copied_at(workspace.cache)
        assert copied_at is not None and time.time() - copied_at < 60
        with socket.socket() as unused:           # a port nothing listens on
            unused.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{unused.getsockname()[1]}/"
        workspace.profile = replace(workspace.profile, team_url=dead)
        window.rows = []
        window.reload()
        qtbot.waitUntil(lambda: not window.stale.isHidden(), timeout=30_000)
        assert sorted(shown()) == relations
        text = window.stale.text()
        assert text.startswith("不是最新：团队服务器无法连接"), text
        assert f"（{datetime.fromtimestamp(copied_at).strftime('%Y-%m-%d %H:%M')} 的副本）" in text
        window.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
        translations.uninstall()


def test_the_window_lists_an_expiry_the_server_keeps_before_this_desktop_has_synced_its_tag(
        qtbot: Any, server: TeamServerProcess, team_sandbox: SandboxServer, seller: str,
        seller_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _name, tag_id, relations = _tagged_for_two_days(team_sandbox, seller, seller_env, 4)
    context = _seller_app(seller_env, monkeypatch)
    workspace = context.workspace
    try:
        with workspace.cache.write() as conn:     # as if a server rule had tagged them since
            conn.execute("DELETE FROM relation_tag WHERE tag_pk = (SELECT pk FROM tag"
                         " WHERE id = ?)", (tag_id,))
        window = ExpiringTagsDialog(context)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.summary.text() != "", timeout=30_000)
        qtbot.waitUntil(lambda: sorted(r.expiry.external_userid for r in window.rows
                                       if r.expiry.tag_id == tag_id) == relations,
                        timeout=30_000)
        window.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()
