"""Live codes in team mode: a desktop makes the code through the relay and gives its tags to
the team server; a customer added through it on a phone is tagged within seconds of WeCom's
add_external_contact callback, journaled under source `livecode`, and only once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.sandbox.callbacks import CallbackSettings
from tests.cli_json import last_json
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    cli_login,
    desktop_env,
    tagdesk,
    wait_for,
)

pytestmark = pytest.mark.integration

TOKEN = "TagDeskLive2026"
AES_KEY = "kXnZn8rs6oNpBVxAmSkHuCyna4LB2ukkS7zllS7r3C3"


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    data = tmp_path_factory.mktemp("livecode-sandbox")
    with SandboxServer(SandboxConfig(data_dir=data, customers=30, members=4, seed=9)) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def server(postgres: PostgresCluster, corp: SandboxServer,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServerProcess]:
    process = TeamServerProcess(postgres.new_database(), corp,
                                tmp_path_factory.mktemp("livecode-server"),
                                "--callback-token", TOKEN, "--callback-aes-key", AES_KEY)
    try:
        wait_for(lambda: _one(process.db_url, "SELECT finished_at FROM resync_run"),
                 what="the first re-sync")
        corp.set_callback(CallbackSettings(process.url + "tagdesk/v1/callback", TOKEN, AES_KEY,
                                           timeout_s=2, retries=3, retry_delay_s=0.2))
        yield process
    finally:
        corp.set_callback(None)
        process.stop()


@pytest.fixture(scope="module")
def desktop(server: TeamServerProcess, corp: SandboxServer,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = desktop_env(tmp_path_factory.mktemp("livecode-desktop"))
    cli_login(env, server.url, corp, corp.state.follow_users()[0])
    synced = tagdesk("sync", "--profile", "team", env=env, timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env


def _one(db_url: str, query: str, *params: object) -> object:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(query.encode(), params).fetchone()
    return row[0] if row else None


def test_the_server_tags_a_live_codes_customer_within_seconds(
        server: TeamServerProcess, corp: SandboxServer, desktop: dict[str, str],
        tmp_path: Path) -> None:
    names = sorted(corp.state.tag_ids_by_name().items())
    (group_a, tag_a), id_a = names[0]
    (group_b, tag_b), id_b = next(item for item in names if item[0][0] != group_a)
    member = corp.state.follow_users()[1]
    made = last_json(tagdesk("livecodes", "create", "--profile", "team", "--state", "expo2026",
                              "--members", member, "--tags",
                              f"{group_a}:{tag_a},{group_b}:{tag_b}", "--json", env=desktop))
    assert made["config_id"] in corp.state.contact_way_ids().values()
    assert _one(server.db_url, "SELECT tag_ids FROM livecode_tag WHERE state = 'expo2026'") \
        == [id_a, id_b]

    started = time.monotonic()
    customer = corp.phone.add_customer(member, state="expo2026")
    wait_for(lambda: {id_a, id_b} <= corp.state.relation_tag_ids(member, customer),
             timeout=20, what="the live code's tags on the new relation")
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed

    def journaled() -> list[tuple[object, ...]]:   # committed just after WeCom answered
        with psycopg.connect(server.db_url) as conn:
            return conn.execute(
                "SELECT action, source, operator, tag_id, batch_id FROM team_journal"
                " WHERE external_userid = %s AND source = 'livecode' ORDER BY tag_id",
                (customer,)).fetchall()

    rows = wait_for(lambda: len(journaled()) == 2 and journaled(), timeout=10,
                    what="the live code's journal rows")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("tag_add", "livecode", corp.state.follow_users()[0], t) for t in sorted([id_a, id_b])]
    assert all(str(r[4]).startswith("livecode-") and str(r[4]).endswith("expo2026")
               for r in rows)

    other = corp.phone.add_customer(member, state="another_channel")
    listed = last_json(tagdesk("livecodes", "list", "--profile", "team", "--json",
                                env=desktop))["livecodes"]
    code = next(c for c in listed if c["config_id"] == made["config_id"])
    assert code["relations_tagged"] == 1 and code["tags"] == [f"{group_a}:{tag_a}",
                                                                f"{group_b}:{tag_b}"]
    assert not {id_a, id_b} & corp.state.relation_tag_ids(member, other)

    synced = last_json(tagdesk("sync", "--profile", "team", "--json", env=desktop,
                                timeout=120))
    assert synced["arrivals"]["tagged"] == {}   # the server did it; the desktop adds nothing
    assert _one(server.db_url, "SELECT count(*) FROM team_journal WHERE source = 'livecode'"
                " AND external_userid = %s", customer) == 2


def test_the_server_applies_pre_tags_when_their_customer_arrives(
        server: TeamServerProcess, corp: SandboxServer, desktop: dict[str, str]) -> None:
    names = sorted(corp.state.tag_ids_by_name().items())
    (group, name), tag_id = names[-1]
    label = f"{group}:{name}"
    members = corp.state.follow_users()
    followed = {e for u, e in corp.state.relations() if u == members[2]}
    existing = next(e for u, e in sorted(corp.state.relations()) if e not in followed)
    by_id = last_json(tagdesk("pretag", "add", "--profile", "team", "--external-userid",
                               existing, "--tags", label, "--json", env=desktop))
    by_phone = last_json(tagdesk("pretag", "add", "--profile", "team", "--phone",
                                  "+86 139 0013 9000", "--tags", label, "--json", env=desktop))
    dropped = last_json(tagdesk("pretag", "add", "--profile", "team", "--unionid", "oNobody",
                                 "--tags", label, "--json", env=desktop))
    last_json(tagdesk("pretag", "cancel", str(dropped["id"]), "--profile", "team", "--json",
                       env=desktop))

    corp.phone.add_customer(members[2], external_userid=existing)
    wait_for(lambda: tag_id in corp.state.relation_tag_ids(members[2], existing), timeout=20,
             what="the pre-tag on the new relation")
    newcomer = corp.phone.add_customer(members[2])
    with corp.state.transaction() as conn:   # the member types the number into the remark
        conn.execute("UPDATE relation SET remark_mobiles = ? WHERE userid = ? AND"
                     " external_userid = ?", (json.dumps(["13900139000"]), members[2], newcomer))
    other = next(t for t in corp.state.tag_ids_by_name().values() if t != tag_id)
    corp.phone.mark(members[2], newcomer, add=[other])       # an edit: WeCom calls back
    wait_for(lambda: tag_id in corp.state.relation_tag_ids(members[2], newcomer), timeout=20,
             what="the phone pre-tag after the remark edit")

    wait_for(lambda: _one(server.db_url, "SELECT count(*) FROM pretag WHERE status ="
                          " 'applied'") == 2, timeout=10, what="both pre-tags spent")
    listed = {p["id"]: p for p in last_json(tagdesk(
        "pretag", "list", "--profile", "team", "--json", env=desktop))["pretags"]}
    assert [listed[i]["status"] for i in (by_id["id"], by_phone["id"], dropped["id"])] == [
        "applied", "applied", "cancelled"]
    assert listed[by_id["id"]]["batch_id"].startswith("pretag-")
    assert _one(server.db_url, "SELECT count(*) FROM team_journal WHERE source = 'pretag'") == 2
