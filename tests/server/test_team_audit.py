"""`tagdesk audit list` on a team profile reads the team journal through the server: a
supervisor on another computer sees a salesperson's changes under the salesperson's name."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.sandbox import SandboxServer
from desktop.services.journal_reader import TeamJournal
from desktop.services.team import TeamServerError, iter_team_journal, journal_call
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter
from tests.server.team_support import (
    TeamServerProcess,
    cli_login,
    desktop_env,
    log_in,
    tagdesk,
    team_client,
)

pytestmark = pytest.mark.integration


def _lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.strip().splitlines()]


def test_a_supervisor_sees_a_salespersons_changes_under_their_name(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    seller, supervisor = users[0], users[1]
    names = team_sandbox.state.tag_ids_by_name()
    (group_name, tag_name), tag_id = sorted(names.items())[0]
    targets = [(u, e) for u, e in team_sandbox.state.relations()
               if tag_id not in team_sandbox.state.relation_tag_ids(u, e)][:3]
    device = log_in(team_server.url, team_sandbox, seller)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        for userid, euid in targets:
            client.mark_tag(userid, euid, add=[tag_id])

    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, supervisor)
    listed = tagdesk("audit", "list", "--profile", "team", "--operator", seller,
                     "--tag", tag_name, "--since", "1h", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    *rows, summary = _lines(listed.stdout)
    assert [(r["operator"], r["action"], r["external_userid"], r["tag_name"], r["group_name"])
            for r in rows] == [(seller, "tag_add", euid, tag_name, group_name)
                               for _, euid in targets]
    assert summary["rows"] == 3 and summary["by_source"] == {"relay": 3}

    text = tagdesk("audit", "list", "--profile", "team", "--customer", targets[0][1], env=env)
    assert text.returncode == 0 and seller in text.stdout and tag_name in text.stdout

    nobody = tagdesk("audit", "list", "--profile", "team", "--operator", "x' OR '1'='1",
                     "--json", env=env)
    assert _lines(nobody.stdout)[-1]["rows"] == 0


def test_audit_list_sorts_the_team_journal_on_the_server(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    writer = sorted(team_sandbox.state.follow_users())[5]
    named = sorted(team_sandbox.state.tag_ids_by_name().items())[-2:]
    userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                        if not {t for _, t in named} & team_sandbox.state.relation_tag_ids(u, e))
    device = log_in(team_server.url, team_sandbox, writer)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        client.mark_tag(userid, euid, add=[named[1][1]])
        client.mark_tag(userid, euid, add=[named[0][1]])
        client.mark_tag(userid, euid, remove=[named[1][1]])
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, writer)

    def listed(*options: str) -> list[tuple[str, int]]:
        done = tagdesk("audit", "list", "--profile", "team", "--operator", writer, "--json",
                       *options, env=env)
        assert done.returncode == 0, done.stderr
        *rows, summary = _lines(done.stdout)
        assert summary["rows"] == 3
        return [(str(r["tag_name"]), int(str(r["id"]))) for r in rows]

    oldest_first = listed()
    newest_first = listed("--order", "desc")
    assert newest_first == oldest_first[::-1]
    by_tag = listed("--sort", "tag", "--order", "desc")
    assert len({name for name, _ in by_tag}) == 2
    assert by_tag == sorted(oldest_first, reverse=True)   # by tag name, ties newest first
    exported = tmp_path / "by-tag.csv"
    done = tagdesk("audit", "export", "--profile", "team", "--operator", writer, "--sort", "tag",
                   "--order", "desc", str(exported), env=env)
    assert done.returncode == 0, done.stderr
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        assert [int(row[0]) for row in list(csv.reader(handle))[1:]] == [i for _, i in by_tag]
    refused = tagdesk("audit", "list", "--profile", "team", "--sort", "mood", env=env)
    assert refused.returncode == 2 and "mood" in refused.stderr


def test_the_server_reads_a_sorted_first_page_without_sorting_every_id(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    writer = sorted(team_sandbox.state.follow_users())[4]
    tag_ids = sorted(team_sandbox.state.tag_ids_by_name().values())[5:9]
    device = log_in(team_server.url, team_sandbox, writer)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        for tag_id in tag_ids:
            userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                                if tag_id not in team_sandbox.state.relation_tag_ids(u, e))
            client.mark_tag(userid, euid, add=[tag_id])
        session = client.get_token()
    for sort in ("tag", "batch", "source", "operator", "reason"):
        for order in ("asc", "desc"):
            every = journal_call(team_server.url, session, "ids", {"sort": sort, "order": order})
            first = journal_call(team_server.url, session, "",
                                 {"sort": sort, "order": order, "limit": 3})
            assert first["sorted_by"] == sort and len(every["ids"]) > 3
            assert [row["id"] for row in first["rows"]] == every["ids"][:3], (sort, order)
    reader_cache = Cache(tmp_path / "cache.sqlite")
    reader = TeamJournal(reader_cache, team_server.url, lambda: session)
    page = reader.sorted_first_page(JournalFilter(operators=(writer,)), "tag", False, 2)
    assert [row.id for row in page or []] == list(
        reader.sorted_ids(JournalFilter(operators=(writer,)), "tag", False))[:2]
    with psycopg.connect(team_server.db_url) as conn:   # names ordering people unlike ids
        userids = sorted({str(u) for u, in conn.execute("SELECT DISTINCT userid FROM team_journal")}
                         | {str(o) for o, in conn.execute("SELECT DISTINCT operator FROM team_journal")})
        customers = sorted(str(c) for c, in conn.execute(
            "SELECT DISTINCT external_userid FROM team_journal WHERE external_userid != ''"))
    with reader_cache.write() as conn:
        conn.executemany("INSERT INTO member (userid, name, name_sort) VALUES (?, ?, ?)",
                         [(u, u, f"{len(userids) - n:04d}") for n, u in enumerate(userids) if u])
        conn.executemany("INSERT INTO customer (external_userid, name, name_sort) VALUES (?, ?, ?)",
                         [(c, c, f"{n % 3}{c}") for n, c in enumerate(customers)])
    for sort in ("customer", "owner", "operator"):
        for descending in (False, True):
            in_order = list(reader.sorted_ids(JournalFilter(), sort, descending))
            for limit in (1, 3, 7):
                page_rows = reader.sorted_first_page(JournalFilter(), sort, descending, limit)
                assert [row.id for row in page_rows or []] == in_order[:limit], (sort, descending)
    with pytest.raises(TeamServerError, match="40058"):
        journal_call(team_server.url, session, "", {"sort": "mood"})
    with psycopg.connect(team_server.db_url) as conn:   # along an index, not a sort of all
        for plan_kind in ("seqscan", "bitmapscan", "sort"):   # what a big journal rules out
            conn.execute(f"SET enable_{plan_kind} = off".encode())
        for column, index in (("tag_name", "team_journal_tag_sort"),
                              ("group_name", "team_journal_group_sort")):
            for direction in ("ASC", "DESC"):
                plan = "\n".join(str(line) for line, in conn.execute(
                    f'EXPLAIN SELECT id FROM team_journal WHERE TRUE ORDER BY {column}'
                    f' COLLATE "C" {direction}, id DESC LIMIT 200'.encode()))
                assert index in plan, plan


def test_the_team_journal_is_read_in_pages_and_only_when_logged_in(
    team_server: TeamServerProcess, team_sandbox: SandboxServer
) -> None:
    reader_id = sorted(team_sandbox.state.follow_users())[2]
    reader = log_in(team_server.url, team_sandbox, reader_id)
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[1]
    userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                        if tag_id not in team_sandbox.state.relation_tag_ids(u, e))
    with team_client(team_server.url, team_sandbox, reader.token) as client:
        changes: list[dict[str, Any]] = [{"add": [tag_id]}, {"remove": [tag_id]},
                                         {"add": [tag_id]}]
        for change in changes:
            client.mark_tag(userid, euid, **change)
        session = client.get_token()
    mine = {"operator": reader_id}
    whole = list(iter_team_journal(team_server.url, session, mine))
    paged = list(iter_team_journal(team_server.url, session, mine, page_size=2))
    assert [row.action for row in whole] == ["tag_add", "tag_remove", "tag_add"]
    assert paged == whole
    assert [row.id for row in whole] == sorted(row.id for row in whole)
    refused = requests.get(team_server.url + "tagdesk/v1/journal", timeout=10,
                           params={"access_token": "made-up"}).json()
    assert refused["errcode"] == 40014 and "rows" not in refused


def test_audit_verify_checks_the_team_journal_on_the_server(
    team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[3]
    userid, euid = next((u, e) for u, e in team_sandbox.state.relations()
                        if tag_id not in team_sandbox.state.relation_tag_ids(u, e))
    writer = log_in(team_server.url, team_sandbox, users[3])
    with team_client(team_server.url, team_sandbox, writer.token) as client:
        client.mark_tag(userid, euid, add=[tag_id])
    env = desktop_env(tmp_path)
    cli_login(env, team_server.url, team_sandbox, users[4])
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        total = conn.execute("SELECT count(*) FROM team_journal").fetchone()
        row_id, operator = conn.execute(
            "SELECT id, operator FROM team_journal WHERE tag_id = %s ORDER BY id DESC LIMIT 1",
            (tag_id,)).fetchone() or (0, "")
    intact = tagdesk("audit", "verify", "--profile", "team", "--json", env=env)
    assert intact.returncode == 0, intact.stderr
    rows = total[0] if total else -1
    assert _lines(intact.stdout)[-1] == {"ok": True, "rows_checked": rows,
                                         "first_bad_id": None, "problem": "",
                                         "problems": [], "rows_walked": rows, "full": True}
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE team_journal DISABLE TRIGGER team_journal_append_only")
        try:
            conn.execute("UPDATE team_journal SET operator = 'someone-else' WHERE id = %s",
                         (row_id,))
            broken = tagdesk("audit", "verify", "--profile", "team", env=env)
        finally:
            conn.execute("UPDATE team_journal SET operator = %s WHERE id = %s",
                         (operator, row_id))
            conn.execute("ALTER TABLE team_journal ENABLE TRIGGER team_journal_append_only")
    assert broken.returncode == 1
    assert f"row {row_id}" in broken.stdout
