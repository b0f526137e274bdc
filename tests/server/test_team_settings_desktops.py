"""Shared team settings between real desktops (own homes, own logins) through a real team
server on PostgreSQL: one sets, the other sees after its poll; favourites follow a user to
a new computer; edits are in the team journal under the editor's name; a stopped server
leaves the cached settings in place and is named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from desktop.domain.errors import UserError
from desktop.sandbox import SandboxServer
from desktop.services import team_settings
from desktop.services.exclusive_sets import ExclusiveSets
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminError, TagAdminService
from desktop.services.tag_catalog import TagCatalog
from desktop.services.team import (
    TeamServerError,
    iter_team_journal,
)
from desktop.services.workspace import Workspace, open_workspace
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    desktop_env,
    logged_in_home,
    tagdesk,
)

pytestmark = pytest.mark.integration


class Desktops:
    """Desktops of one test: each its own home (and profile name: one keyring file)."""

    def __init__(self, tmp: Path, sandbox: SandboxServer, url: str) -> None:
        self.tmp, self.sandbox, self.url = tmp, sandbox, url
        self.stack = ExitStack()

    def prepare(self, name: str, userid: str) -> Path:
        """A home with team profile `name` logged in as `userid` and synced; its path."""
        home = self.tmp / name
        logged_in_home(home, self.url, self.sandbox, userid, name=name)
        with open_workspace(home, name) as ws:
            run_sync(ws.client(), ws.cache)
        return home

    def open(self, name: str, userid: str) -> Workspace:
        return self.stack.enter_context(open_workspace(self.prepare(name, userid), name))


@pytest.fixture
def desktops(team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktops]:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    made = Desktops(tmp_path, team_sandbox, team_server.url)
    with made.stack:
        yield made


def _tag(sandbox: SandboxServer, n: int) -> tuple[str, str]:
    (_, name), tag_id = sorted(sandbox.state.tag_ids_by_name().items())[n]
    return tag_id, name


def _abbreviations(ws: Workspace) -> dict[str, str]:
    return {tag.id: tag.abbreviation for tag in TagCatalog(ws.cache).library(counts=False).tags
            if tag.abbreviation}


def test_one_desktop_sets_and_another_sees_after_its_poll(
    desktops: Desktops, team_sandbox: SandboxServer
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    seller = desktops.open("seller", users[0])
    other = desktops.open("other", users[1])
    team_settings.pull(other)
    (first, first_name), (second, _) = _tag(team_sandbox, 0), _tag(team_sandbox, 1)

    TagAdminService(seller).set_abbreviation(first, "gy")
    team_settings.save_filter(seller, "高意向未成交", "高意向 AND NOT 已成交")
    ExclusiveSets(seller).add("成交状态", [first, second])
    assert _abbreviations(other) == {}

    pulled = team_settings.pull(other)
    assert pulled.applied == 3 and pulled.changes.prefs_changed
    assert _abbreviations(other) == {first: "gy"}
    assert team_settings.saved_filters(other.cache) == [("高意向未成交", "高意向 AND NOT 已成交")]
    assert [(s.name, s.tag_ids) for s in ExclusiveSets(other).list()] == [
        ("成交状态", (first, second))]
    for name, text in (("", "VIP"), ("空", "  "), ("长", "x" * 4001)):
        with pytest.raises(UserError):
            team_settings.save_filter(other, name, text)
    again = team_settings.pull(other)
    assert again.applied == 0 and not again.changes.prefs_changed
    with other.cache.write() as conn:  # as if the team's database had been replaced
        other.cache.set_meta(conn, team_settings.VERSION_KEY, str(pulled.version + 1000))
    reread = team_settings.pull(other)
    assert reread.version == pulled.version and reread.applied >= 3

    ExclusiveSets(other).remove("成交状态")
    TagAdminService(other).set_abbreviation(first, "")
    team_settings.remove_filter(other, "高意向未成交")
    team_settings.pull(seller)
    assert (_abbreviations(seller), team_settings.saved_filters(seller.cache),
            ExclusiveSets(seller).list()) == ({}, [], [])

    rows = list(iter_team_journal(desktops.url, seller.client().get_token(),
                                  {"source": "settings"}))
    assert [(r.operator, r.action, r.tag_name) for r in rows] == [
        (users[0], "abbreviation_set", first_name),
        (users[0], "saved_filter_save", "高意向未成交"),
        (users[0], "exclusive_set_add", "成交状态"),
        (users[1], "exclusive_set_remove", "成交状态"),
        (users[1], "abbreviation_set", first_name),
        (users[1], "saved_filter_remove", "高意向未成交"),
    ]
    assert rows[0].before == "" and rows[0].after == '"gy"'


def test_favourites_follow_their_user_to_a_new_computer(
    desktops: Desktops, team_sandbox: SandboxServer
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    office = desktops.open("office", users[2])
    colleague = desktops.open("colleague", users[3])
    tags = [_tag(team_sandbox, n)[0] for n in (2, 3, 4)]
    admin = TagAdminService(office)
    for tag_id in tags:
        admin.pin(users[2], tag_id)
    admin.unpin(users[2], tags[1])
    admin.reorder_pins(users[2], [tags[2], tags[0]])
    TagAdminService(colleague).pin(users[3], tags[1])

    laptop = desktops.open("laptop", users[2])
    team_settings.pull(laptop)
    assert TagAdminService(laptop).pins(users[2]) == [tags[2], tags[0]]
    team_settings.pull(colleague)
    assert TagAdminService(colleague).pins(users[3]) == [tags[1]]


def test_cli_exclusive_commands_work_on_a_team_profile(
    desktops: Desktops, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    first, second = (f"{g}:{n}" for (g, n) in sorted(team_sandbox.state.tag_ids_by_name())[:2])
    env = desktop_env(tmp_path)
    one = ["--profile", "one", "--home", str(desktops.prepare("one", users[4]))]
    two = ["--profile", "two", "--home", str(desktops.prepare("two", users[5]))]
    added = tagdesk("exclusive", "add", "阶段互斥", "--tags", f"{first},{second}", *one, env=env)
    assert added.returncode == 0, added.stderr
    journal = tagdesk("audit", "list", "--source", "settings", "--operator", users[4],
                      "--action", "exclusive_set_add", "--json", *two, env=env)
    assert journal.returncode == 0, journal.stderr
    *rows, _summary = (json.loads(line) for line in journal.stdout.strip().splitlines())
    assert [(r["operator"], r["action"], r["tag_name"]) for r in rows] == [
        (users[4], "exclusive_set_add", "阶段互斥")]
    listed = tagdesk("exclusive", "list", *two, env=env)
    assert listed.returncode == 0 and "阶段互斥" in listed.stdout, listed.stderr
    refused = tagdesk("exclusive", "remove", "阶段互斥", *two, env=env)   # not theirs
    assert refused.returncode == 2 and f"Only its author {users[4]} or an administrator" in (
        refused.stderr) and "Traceback" not in refused.stderr
    assert "阶段互斥" in tagdesk("exclusive", "list", *two, env=env).stdout
    removed = tagdesk("exclusive", "remove", "阶段互斥", *one, env=env)
    assert removed.returncode == 0, removed.stderr
    assert "阶段互斥" not in tagdesk("exclusive", "list", *one, env=env).stdout


def test_a_stopped_server_leaves_the_cached_settings_and_is_named(
    postgres: PostgresCluster, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server")
    desks = Desktops(tmp_path, team_sandbox, server.url)
    with desks.stack:
        try:
            ws = desks.open("offline", sorted(team_sandbox.state.follow_users())[0])
            tag_id = _tag(team_sandbox, 0)[0]
            TagAdminService(ws).set_abbreviation(tag_id, "V1")
            team_settings.save_filter(ws, "VIP", "客户等级:VIP")
            ExclusiveSets(ws).add("成交状态", [tag_id, _tag(team_sandbox, 1)[0]])
            team_settings.pull(ws)
        finally:
            assert server.stop() == 0
        with pytest.raises(TeamServerError) as caught:
            team_settings.pull(ws)
        assert f"团队服务器不可用（{server.url}）" in str(caught.value)
        assert _abbreviations(ws) == {tag_id: "V1"}
        assert team_settings.saved_filters(ws.cache) == [("VIP", "客户等级:VIP")]
        with pytest.raises(TeamServerError):
            TagAdminService(ws).set_abbreviation(tag_id, "V2")
        assert _abbreviations(ws) == {tag_id: "V1"}
        listed = tagdesk("exclusive", "list", "--profile", "offline", "--home",
                         str(tmp_path / "offline"), env=desktop_env(tmp_path))
        assert listed.returncode == 0 and "成交状态" in listed.stdout, listed.stderr
        assert "团队设置未更新，使用本机缓存的副本" in listed.stderr
        assert f"The team server is unavailable ({server.url})" in listed.stderr


def test_an_abbreviation_taken_on_another_desktop_meanwhile_is_refused_by_name(
    desktops: Desktops, team_sandbox: SandboxServer
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    first = desktops.open("first", users[4])
    second = desktops.open("second", users[5])
    (tag_a, name_a), (tag_b, _) = _tag(team_sandbox, 5), _tag(team_sandbox, 6)
    TagAdminService(first).set_abbreviation(tag_a, "Dup")
    with pytest.raises(TagAdminError) as caught:  # `second` has not polled since
        TagAdminService(second).set_abbreviation(tag_b, "dup")
    assert f"缩写 dup 已被标签「{name_a}」使用" in str(caught.value)
    team_settings.pull(second)
    assert _abbreviations(second) == {tag_a: "Dup"}
