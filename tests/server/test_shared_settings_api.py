"""`/tagdesk/v1/settings` over real HTTP and PostgreSQL: versions to poll, last writer wins,
team items journaled under the writer's name, a user's favourites kept to that user."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from tests.server.team_support import TeamServerProcess, log_in, team_client

pytestmark = pytest.mark.integration


class _Desk:
    """One logged-in desktop speaking to the settings endpoint with its session token."""

    def __init__(self, server: TeamServerProcess, sandbox: SandboxServer, userid: str) -> None:
        self.userid = userid
        self.url = server.url + "tagdesk/v1/settings"
        device = log_in(server.url, sandbox, userid)
        with team_client(server.url, sandbox, device.token) as client:
            self.session: str = client.get_token()

    def get(self, since: int = 0) -> dict[str, Any]:
        answer: dict[str, Any] = requests.get(
            self.url, params={"access_token": self.session, "since": str(since)}, timeout=30).json()
        return answer

    def post(self, *changes: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = requests.post(
            self.url, params={"access_token": self.session}, json={"changes": list(changes)},
            timeout=30).json()
        return answer


@pytest.fixture(scope="module")
def desks(team_server: TeamServerProcess, team_sandbox: SandboxServer) -> tuple[_Desk, _Desk]:
    users = sorted(team_sandbox.state.follow_users())
    return _Desk(team_server, team_sandbox, users[3]), _Desk(team_server, team_sandbox, users[4])


def _values(answer: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    return {(i["scope"], i["kind"], i["key"]): i["value"] for i in answer["items"]}


def test_a_change_reaches_the_other_desktop_once_and_is_journaled_by_name(
    desks: tuple[_Desk, _Desk], team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    seller, other = desks
    start = other.get()["version"]
    (_, tag_name), tag_id = sorted(team_sandbox.state.tag_ids_by_name().items())[0]
    written = seller.post({"kind": "abbreviation", "key": tag_id, "value": "ＧＹ1"},
                          {"kind": "saved_filter", "key": "高意向'; DROP TABLE x;--",
                           "value": "高意向 AND NOT 已成交"})
    assert written["errcode"] == 0 and written["version"] > start
    seen = other.get(start)
    assert _values(seen) == {("team", "abbreviation", tag_id): "GY1",
                             ("team", "saved_filter", "高意向'; DROP TABLE x;--"):
                             "高意向 AND NOT 已成交"}
    assert {i["updated_by"] for i in seen["items"]} == {seller.userid}
    assert other.get(seen["version"])["items"] == []
    assert seller.post({"kind": "abbreviation", "key": tag_id, "value": "GY1"})["items"] == []

    later = other.post({"kind": "abbreviation", "key": tag_id, "value": "GY2"})
    assert _values(seller.get(seen["version"])) == {("team", "abbreviation", tag_id): "GY2"}
    cleared = seller.post({"kind": "abbreviation", "key": tag_id, "value": ""})
    assert _values(other.get(later["version"])) == {("team", "abbreviation", tag_id): None}
    assert cleared["version"] > later["version"]

    with psycopg.connect(team_server.db_url) as conn:
        rows = conn.execute(
            "SELECT operator, action, source, tag_id, tag_name, before, after FROM team_journal"
            " WHERE source = 'settings' AND tag_id = %s ORDER BY id", (tag_id,)).fetchall()
    assert rows == [
        (seller.userid, "abbreviation_set", "settings", tag_id, tag_name, "", '"GY1"'),
        (other.userid, "abbreviation_set", "settings", tag_id, tag_name, '"GY1"', '"GY2"'),
        (seller.userid, "abbreviation_set", "settings", tag_id, tag_name, '"GY2"', ""),
    ]


def test_favourites_belong_to_their_user(desks: tuple[_Desk, _Desk]) -> None:
    seller, other = desks
    before = other.get()["version"]
    seller.post({"kind": "favourites", "value": ["t1", "t2", "t1"]})
    assert _values(seller.get(before)) == {("user", "favourites", ""): ["t1", "t2"]}
    assert other.get(before)["items"] == []


@pytest.mark.parametrize(("changes", "says"), [
    ([{"kind": "colour", "key": "x", "value": "red"}], "unknown kind"),
    ([{"kind": "abbreviation", "key": "t1", "value": "a b"}], "letters, digits"),
    ([{"kind": "exclusive_set", "key": "成交状态", "value": ["t1", "t1"]}], "at least 2"),
    ([{"kind": "saved_filter", "key": "", "value": "x"}], "key"),
    ([{"kind": "saved_filter", "key": "ok", "value": "VIP"}, "not an object"], "object"),
    ([], "non-empty list"),
])
def test_bad_changes_are_refused_whole_and_save_nothing(
    desks: tuple[_Desk, _Desk], changes: list[Any], says: str
) -> None:
    seller, _ = desks
    version = seller.get()["version"]
    answer = requests.post(seller.url, params={"access_token": seller.session},
                           json={"changes": changes}, timeout=30).json()
    assert answer["errcode"] == 40058 and says in answer["errmsg"]
    assert seller.get(version) == {"errcode": 0, "errmsg": "ok", "version": version, "items": []}


def test_settings_need_a_login(team_server: TeamServerProcess) -> None:
    url = team_server.url + "tagdesk/v1/settings"
    assert requests.get(url, params={"since": 0}, timeout=30).json()["errcode"] == 41001
    forged = requests.post(url, params={"access_token": "forged"}, timeout=30,
                           json={"changes": [{"kind": "saved_filter", "key": "k", "value": "v"}]})
    assert forged.json()["errcode"] == 40014


def test_concurrent_writers_get_distinct_versions_and_the_last_one_wins(
    desks: tuple[_Desk, _Desk]
) -> None:
    start = desks[0].get()["version"]

    def write(n: int) -> int:
        answer = desks[n % 2].post({"kind": "autotag_keywords", "key": "并发",
                                    "value": [f"v{n}"]})
        return int(answer["version"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = list(pool.map(write, range(24)))
    assert len(set(versions)) == 24 and min(versions) > start
    last = versions.index(max(versions))
    assert _values(desks[1].get(start)) == {("team", "autotag_keywords", "并发"): [f"v{last}"]}


@pytest.mark.parametrize(("since", "errcode"), [("1e30", 0), ("-5", 0), ("abc", 40058)])
def test_odd_versions_are_answered(desks: tuple[_Desk, _Desk], since: str, errcode: int) -> None:
    answer = requests.get(desks[0].url, params={"access_token": desks[0].session,
                                                "since": since}, timeout=30).json()
    assert answer["errcode"] == errcode
    if since == "1e30":
        assert answer["items"] == []


def test_two_server_processes_on_one_database_number_writes_in_commit_order(
    desks: tuple[_Desk, _Desk], team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    second = TeamServerProcess(team_server.db_url, team_sandbox, tmp_path / "second")
    try:
        urls = [team_server.url + "tagdesk/v1/settings", second.url + "tagdesk/v1/settings"]
        start = desks[0].get()["version"]

        def write(n: int) -> int:
            desk = desks[n % 2]
            answer = requests.post(urls[n // 2 % 2], params={"access_token": desk.session},
                                   json={"changes": [{"kind": "autotag_keywords", "key": "两台",
                                                      "value": [f"v{n}"]}]}, timeout=30).json()
            return int(answer["version"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            versions = list(pool.map(write, range(24)))
        assert len(set(versions)) == 24
        polls = [requests.get(url, params={"access_token": desks[1].session, "since": start},
                              timeout=30).json() for url in urls]
        assert polls[0] == polls[1]
        last = versions.index(max(versions))
        assert _values(polls[0]) == {("team", "autotag_keywords", "两台"): [f"v{last}"]}
    finally:
        assert second.stop() == 0
