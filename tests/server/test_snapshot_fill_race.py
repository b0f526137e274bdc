"""The first re-sync fills the snapshot from a read that may be older than a relayed write
settling at the same moment. The write's transaction does not see the fill's uncommitted rows
and the fill does not see the write's journal rows, so without a lock between them the fill
stored the relation as it was before the write; the desktop's next change of that tag then
looked like no change against that stale snapshot and went unjournaled (found as one journal
row missing after PostgreSQL restarted under load, `test_database_outage.py`)."""

from __future__ import annotations

import threading
from datetime import datetime

import psycopg
import pytest
from psycopg.types.json import Jsonb

from desktop.server import snapshot
from desktop.server.database import migrate
from desktop.server.outbox_recovery import NO_NOTE, record_settled
from desktop.server.resync import fill_chunk
from desktop.store.journal import JournalEntry
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration

RELATION = ("wangfang", "wmAAA")
TAG = "etTAG1"


def _settle_tag_add(url: str, settled: threading.Event) -> None:
    """The relay's end of a mark_tag that added TAG: outbox row, journal, snapshot."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO outbox (operator, path, body, status) VALUES (%s, %s, %s, 'done')"
            " RETURNING id", ("wangfang", "externalcontact/mark_tag", Jsonb({}))).fetchone()
        assert row is not None
        entry = JournalEntry(operator="wangfang", action="tag_add", source="relay",
                             userid=RELATION[0], external_userid=RELATION[1], tag_id=TAG,
                             tag_name="高意向", group_name="客户意向")
        with conn.transaction():
            record_settled(conn, [entry], int(str(row[0])), NO_NOTE, (), lambda _tag: [])
    settled.set()


def test_a_relayed_write_settling_during_the_first_fill_is_not_undone_by_it(
    postgres: PostgresCluster
) -> None:
    url = postgres.new_database()
    migrate(url)
    settled = threading.Event()
    with psycopg.connect(url, autocommit=True) as filler:
        row = filler.execute("SELECT now()").fetchone()
        assert row is not None and isinstance(row[0], datetime)
        started = row[0]
        relay = threading.Thread(target=_settle_tag_add, args=(url, settled))
        with filler.transaction():
            # The re-sync read the relation before the write reached WeCom: no tags.
            fill_chunk(filler, [(*RELATION, [])], started)
            relay.start()
            waited = not settled.wait(1.0)  # the write waits for the chunk to commit
        relay.join(timeout=30)
        assert settled.is_set()
        tags = snapshot.relation_tags(filler, *RELATION)
    assert tags == {TAG}
    assert waited
