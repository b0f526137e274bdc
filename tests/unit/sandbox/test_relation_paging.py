"""batch/get_by_user paging: every relation once, member by member, no empty last page."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.generator import generate_corp
from desktop.sandbox.relations import page_relations
from desktop.sandbox.schema import open_database


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    folder: Path = tmp_path_factory.mktemp("paging")
    connection = open_database(folder)
    generate_corp(connection, SandboxConfig(data_dir=folder, customers=400, members=9), 10**9)
    yield connection
    connection.close()


def _userids(conn: sqlite3.Connection) -> list[str]:
    return [u for (u,) in conn.execute("SELECT userid FROM member WHERE follow_enabled = 1")]


@pytest.mark.parametrize("limit", [1, 7, 50, 100])
def test_pages_cover_every_relation_once(conn: sqlite3.Connection, limit: int) -> None:
    userids = _userids(conn)[::-1]
    seen: list[int] = []
    position: tuple[int, int] | None = (0, 0)
    pages = 0
    while position is not None:
        page, position = page_relations(conn, userids, position, limit)
        assert page, "no empty pages"
        assert len(page) <= limit
        seen.extend(r.id for r in page)
        pages += 1
    expected = [
        rid
        for userid in userids
        for (rid,) in conn.execute(
            "SELECT id FROM relation WHERE userid = ? ORDER BY id", (userid,)
        )
    ]
    assert seen == expected
    assert pages == -(-len(expected) // limit)


def test_a_subset_of_members_pages_only_their_relations(conn: sqlite3.Connection) -> None:
    chosen = _userids(conn)[:2]
    page, position = page_relations(conn, [*chosen, "nobody"], (0, 0), 100_000)
    assert position is None
    assert {r.userid for r in page} == set(chosen)
