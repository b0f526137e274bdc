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
    transaction); how many. One query reads, for all the rows at once, the tags the batch
    added that they take off and the latest verdicts on those relations."""
    removed = [entry for entry in entries if entry.action == "tag_remove"]
    if not reverts or not removed:
        return 0
    taken: set[tuple[str, str, str]] = set()
    latest: dict[tuple[str, str, str], tuple[str, object]] = {}
    for external_userid, userid, tag_id, name, verdict, keys in conn.execute(
        "WITH removed (external_userid, userid, tag_id) AS"
        " (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])),"
        " added AS (SELECT DISTINCT external_userid, userid, tag_id FROM team_journal"
        " JOIN removed USING (external_userid, userid, tag_id)"
        " WHERE batch_id = %s AND source = %s AND action = 'tag_add')"
        " SELECT a.external_userid, a.userid, a.tag_id, v.tag_name, v.verdict, v.msg_keys"
        " FROM added a CROSS JOIN LATERAL (SELECT DISTINCT ON (tag_name) tag_name, verdict,"
        " msg_keys FROM autotag_review r WHERE r.external_userid = a.external_userid"
        " AND r.userid = a.userid ORDER BY tag_name, id DESC) v",
        ([e.external_userid for e in removed], [e.userid for e in removed],
         [e.tag_id for e in removed], reverts, AUTOTAG_SOURCE),
    ):
        taken.add((str(external_userid), str(userid), str(tag_id)))
        latest[(str(external_userid), str(userid), str(name))] = (str(verdict), keys)
    catalogue = {e.tag_id: CatalogueTag(e.tag_id, e.tag_name, "", e.group_name) for e in removed}
    operators = {(e.external_userid, e.userid): e.operator for e in removed}
    rows = [(operators[key[:2]], *key, REVERTED, latest[key][1]) for key in reverted_keys(
        taken, {key: verdict for key, (verdict, _) in latest.items()}, catalogue)]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO autotag_review (operator, external_userid, userid, tag_name,"
                " verdict, msg_keys) VALUES (%s, %s, %s, %s, %s, %s)", rows)
    return len(rows)
