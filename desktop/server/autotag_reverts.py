"""Reverted auto-tagging on the team server: a relayed revert of an auto-tagging batch marks
the accepted suggestions whose tags it takes off `reverted` (`desktop/domain/autotag_reverts.py`),
in the transaction that journals the revert, under the one who reverted. Every desktop copies
the verdict with the others (`GET /tagdesk/v1/autotag/reviews`): its review shows the row
reverted, not accepted, and no learner trains on it."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import Connection

from desktop.domain.autotag_reverts import AUTOTAG_SOURCE, REVERTED, reverted_keys
from desktop.domain.rules import CatalogueTag
from desktop.store.journal import JournalEntry

Conn = Connection[tuple[object, ...]]

MIGRATION = """
ALTER TABLE autotag_review DROP CONSTRAINT autotag_review_verdict_check;
ALTER TABLE autotag_review ADD CONSTRAINT autotag_review_verdict_check
    CHECK (verdict IN ('accepted', 'rejected', 'reverted'));
"""


def remember(conn: Conn, entries: Sequence[JournalEntry], reverts: str) -> int:
    """The journal rows of a relayed revert of batch `reverts`: the accepted suggestions whose
    tags they take off that auto-tagging batch get the verdict `reverted` (in the caller's
    transaction); how many."""
    if not reverts:
        return 0
    rows = []
    for entry in entries:
        if entry.action != "tag_remove" or not _added_by_autotag(conn, reverts, entry):
            continue
        latest = {(entry.external_userid, entry.userid, str(name)): (str(verdict), keys)
                  for name, verdict, keys in conn.execute(
                      "SELECT DISTINCT ON (tag_name) tag_name, verdict, msg_keys"
                      " FROM autotag_review WHERE external_userid = %s AND userid = %s"
                      " ORDER BY tag_name, id DESC", (entry.external_userid, entry.userid))}
        tag = CatalogueTag(entry.tag_id, entry.tag_name, "", entry.group_name)
        for key in reverted_keys([(entry.external_userid, entry.userid, entry.tag_id)],
                                 {k: verdict for k, (verdict, _) in latest.items()},
                                 {entry.tag_id: tag}):
            rows.append((entry.operator, *key, REVERTED, latest[key][1]))
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO autotag_review (operator, external_userid, userid, tag_name,"
                " verdict, msg_keys) VALUES (%s, %s, %s, %s, %s, %s)", rows)
    return len(rows)


def _added_by_autotag(conn: Conn, batch_id: str, entry: JournalEntry) -> bool:
    return conn.execute(
        "SELECT 1 FROM team_journal WHERE batch_id = %s AND source = %s AND action = 'tag_add'"
        " AND userid = %s AND external_userid = %s AND tag_id = %s LIMIT 1",
        (batch_id, AUTOTAG_SOURCE, entry.userid, entry.external_userid, entry.tag_id),
    ).fetchone() is not None
