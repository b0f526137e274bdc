"""The facts team rules read (remark, corp names, state …): a re-sync replaces them whole,
except a relation a callback re-read after the re-sync began, which keeps the newer read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg
import pytest

from desktop.server import relation_facts, snapshot
from desktop.server.database import migrate
from desktop.server.relation_facts import RelationFacts
from desktop.server.snapshot import Conn
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration


def test_a_resync_keeps_what_a_callback_read_after_it_began(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    migrate(url)

    @contextmanager
    def connection() -> Iterator[Conn]:
        with psycopg.connect(url, autocommit=True) as conn:
            yield conn

    with connection() as conn:
        relation_facts.store(conn, "u1", "gone", RelationFacts(remark="已删除"))
        row = conn.execute("SELECT clock_timestamp()").fetchone()
        assert row is not None and isinstance(row[0], datetime)
        started: datetime = row[0]
        snapshot.store_relation(conn, "u1", "new", ["t1"])     # a callback, after the start
        relation_facts.store(conn, "u1", "new", RelationFacts(state="expo2026", remark="北京"))
    relation_facts.store_all(connection, [
        ("u1", "old", RelationFacts(remark="上海")),
        ("u1", "new", RelationFacts(remark="read before the callback"))], started)
    with connection() as conn:
        found = relation_facts.read_all(conn)
    assert found == {("u1", "old"): RelationFacts(remark="上海"),
                     ("u1", "new"): RelationFacts(state="expo2026", remark="北京")}
