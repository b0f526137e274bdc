"""The periodic re-sync: WeCom does not call back for changes made through its API (by other
tools, or while callbacks were not set up), so the server re-reads every relation and the
tag library every `interval_s` and journals what differs from its snapshot as `observed`
(operator unknown, the follower as probable operator, the change made since the previous
re-sync).

Once across server processes: it is a `jobs.Job`, run under a session advisory lock
(`pg_try_advisory_lock`) by whichever process claims the period first. The first run on
a new database only fills the snapshot (nothing to compare with). A relation whose snapshot
changed after the run started (a callback, a relayed write), or with a relayed mark_tag still
under way, is left as it is; so is the tag library while a relayed edit of it is under way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.server import relation_facts, rename_respell, snapshot, team_journal
from desktop.server.snapshot import Conn, tag_list_shape
from desktop.server.tag_changes import library_changes, relation_changes
from desktop.server.wecom_reads import read_all_relations, read_corp_tags
from desktop.store.journal import OBSERVED
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.server.resync")

ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
CHUNK = 500
FILL_CHUNK = 5000


@dataclass(frozen=True)
class ResyncResult:
    relations: int
    changes: int
    baseline: bool          # the first run: the snapshot was filled, nothing journaled


class Resync:
    """The `resync` job: `jobs.Scheduler` runs it once per interval across processes."""

    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 on_library: Callable[[Mapping[str, Any]], None] | None = None) -> None:
        self._connection = connection
        self._transport = transport
        self._on_library = on_library  # gets each fresh tag list (`get_corp_tag_list` shape)

    def run(self) -> ResyncResult:
        with self._connection() as conn:
            previous_end = snapshot.last_resync(conn)[1]
            row = conn.execute("INSERT INTO resync_run (started_at) VALUES (now())"
                               " ON CONFLICT (only_row) DO UPDATE SET started_at = now()"
                               " RETURNING started_at").fetchone()
        assert row is not None and isinstance(row[0], datetime)
        started: datetime = row[0]
        baseline = previous_end is None
        seen_after = previous_end.timestamp() if previous_end else 0.0
        log.info("re-sync started%s", " (first: filling the snapshot)" if baseline else "")
        changes = self._library(baseline)
        relations: dict[tuple[str, str], set[str]] = {}
        facts = []
        for userid, external_userid, tags, fact in read_all_relations(self._transport):
            relations[(userid, external_userid)] = set(tags)
            facts.append((userid, external_userid, fact))
        changes += self._relations(relations, started, baseline, seen_after)
        relation_facts.store_all(self._connection, facts, started)
        with self._connection() as conn:
            conn.execute("UPDATE resync_run SET finished_at = now(), relations = %s,"
                         " changes = %s", (len(relations), changes))
        log.info("re-sync done: %d relations, %d changes journaled", len(relations), changes)
        return ResyncResult(len(relations), changes, baseline)

    def _library(self, baseline: bool) -> int:
        """The tag library read and compared under its lock, as a callback does: the relay's
        edits of it settle under that lock too, into the snapshot."""
        with self._connection() as conn, conn.transaction():
            snapshot.lock_library(conn)
            if snapshot.library_write_in_flight(conn):
                log.info("re-sync leaves the tag library to its next run: a relayed edit of"
                         " it is under way")
                return 0
            after = read_corp_tags(self._transport)
            if self._on_library is not None:
                self._on_library(tag_list_shape(after))
            before = snapshot.corp_tags(conn)
            entries = [] if baseline or not before else library_changes(
                before, after, source=OBSERVED, ts=_now(conn))
            return rename_respell.keep_library(conn, before, after, entries)

    def _relations(self, read: dict[tuple[str, str], set[str]], started: datetime,
                   baseline: bool, seen_after: float) -> int:
        with self._connection() as conn:
            known = {(str(u), str(e)): set(snapshot.text_list(tags)) for u, e, tags in conn.execute(
                "SELECT userid, external_userid, tag_ids FROM relation_tag_snapshot")}
            names = snapshot.corp_tags(conn)
        if baseline:
            self._fill(read, started)
            return 0
        differing = [key for key in read.keys() | known.keys() if read.get(key) != known.get(key)]
        written = 0
        for start in range(0, len(differing), CHUNK):
            with self._connection() as conn, conn.transaction():
                entries = []
                now = _now(conn)
                touched = _written_since(conn, started)
                for userid, external_userid in differing[start:start + CHUNK]:
                    snapshot.lock_relation(conn, userid, external_userid)
                    row = conn.execute(
                        "SELECT tag_ids, updated_at FROM relation_tag_snapshot"
                        " WHERE userid = %s AND external_userid = %s",
                        (userid, external_userid)).fetchone()
                    if row is not None and isinstance(row[1], datetime) and row[1] > started:
                        continue  # changed by a callback or the relay after this read began
                    if row is None and (userid, external_userid) in touched:
                        continue  # written since the read: the next re-sync reads it again
                    if snapshot.write_in_flight(conn, userid, external_userid):
                        continue  # the read may show a relayed write not yet journaled
                    tags = read.get((userid, external_userid))
                    if tags is None:
                        snapshot.forget_relation(conn, userid, external_userid)
                        continue
                    snapshot.store_relation(conn, userid, external_userid, tags)
                    before = set(snapshot.text_list(row[0])) if row else set()
                    entries += relation_changes(
                        before, dict.fromkeys(tags, ("", "")), names, userid=userid,
                        external_userid=external_userid, source=OBSERVED, ts=now,
                        seen_after=seen_after)
                written += team_journal.append(conn, entries, None)
        return written

    def _fill(self, read: dict[tuple[str, str], set[str]], started: datetime) -> None:
        """The first run: every relation in bulk; rows a callback or the relay already wrote
        since are newer and stay, and a relation the team journal has a change of since the
        read began is left for the next run (the read may be from before that change: the
        relay does not start a relation it has no whole tag list of)."""
        rows = [(userid, external_userid, sorted(tags))
                for (userid, external_userid), tags in read.items()]
        for start in range(0, len(rows), FILL_CHUNK):
            with self._connection() as conn, conn.transaction():
                fill_chunk(conn, rows[start:start + FILL_CHUNK], started)


def fill_chunk(conn: Conn, rows: list[tuple[str, str, list[str]]], started: datetime) -> None:
    """Store `rows` (read since `started`) in the caller's transaction, leaving out relations
    the relay or a callback journaled since and rows already there; no relayed write settles
    until the transaction ends (`snapshot.hold_fill`)."""
    snapshot.hold_fill(conn)
    written = _written_since(conn, started)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO relation_tag_snapshot (userid, external_userid, tag_ids)"
            " VALUES (%s, %s, %s) ON CONFLICT (userid, external_userid) DO NOTHING",
            [row for row in rows if (row[0], row[1]) not in written])


def _written_since(conn: Conn, started: datetime) -> set[tuple[str, str]]:
    """Relations with a team journal row since `started` (a relayed write, a callback)."""
    return {(str(u), str(e)) for u, e in conn.execute(
        "SELECT DISTINCT userid, external_userid FROM team_journal"
        " WHERE ts >= %s AND external_userid <> ''", (started.timestamp(),))}


def _now(conn: Conn) -> float:
    row = conn.execute("SELECT extract(epoch FROM now())::float8").fetchone()
    return float(str(row[0])) if row else 0.0
