"""Reverting an auto-tagging batch on the team server marks reverted exactly the accepted
suggestions whose tags the batch added and the revert takes off (one query for all rows)."""

from __future__ import annotations

import psycopg

from desktop.server import autotag_reverts, team_journal
from desktop.server.database import migrate
from desktop.store.journal import JournalEntry
from tests.server.team_support import PostgresCluster


def _entry(operator: str, action: str, source: str, batch_id: str, customer: str
           ) -> JournalEntry:
    return JournalEntry(operator=operator, action=action, source=source, batch_id=batch_id,
                        userid="u1", external_userid=customer, tag_id="t1", tag_name="需上门",
                        group_name="OPS-售后")


def test_a_revert_marks_the_accepted_suggestions_its_autotag_batch_added(
        postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    migrate(url)
    with psycopg.connect(url) as conn, conn.transaction():
        team_journal.append(conn, [_entry("seller", "tag_add", "autotag", "auto-1", customer)
                                   for customer in ("wm1", "wm2", "wm3")], None)
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO autotag_review (operator, external_userid, userid, tag_name,"
                " verdict, msg_keys) VALUES ('seller', %s, 'u1', %s, %s, %s)", [
                    ("wm1", "需上门", "rejected", ["id:m0"]),
                    ("wm1", "需上门", "accepted", ["id:m1"]),      # the latest verdict counts
                    ("wm2", "OPS-售后:需上门", "accepted", ["id:m2"]),
                    ("wm2", "投诉", "accepted", ["id:m3"]),        # a tag the revert keeps
                    ("wm3", "需上门", "rejected", ["id:m4"]),
                    ("wm4", "需上门", "accepted", ["id:m5"]),      # not added by the batch
                ])
        marked = autotag_reverts.remember(conn, [
            _entry("boss", "tag_remove", "revert", "revert-1", customer)
            for customer in ("wm1", "wm2", "wm3", "wm4")], "auto-1")
        rows = conn.execute("SELECT operator, external_userid, tag_name, msg_keys"
                            " FROM autotag_review WHERE verdict = 'reverted' ORDER BY id").fetchall()
    assert marked == 2
    assert rows == [("boss", "wm1", "需上门", ["id:m1"]), ("boss", "wm2", "OPS-售后:需上门", ["id:m2"])]
