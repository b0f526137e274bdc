"""Settling outbox rows left `sending` by a server process that died mid-call.

Whether WeCom applied such a write is unknown, so it is re-read from WeCom: a `mark_tag` is
done when the relation carries every tag it added and none it removed; an `add_corp_tag`
when its tags exist (their new ids are read back); a `del_corp_tag` when its tags and groups
are gone; an `edit_corp_tag` when the tag has the new name. A done row gets its team journal
rows, a failed one none, in the same transaction as the status, and only while the row is
still `sending` for the same dead owner: however many processes look at a row, it is settled
and journaled exactly once. Writes that cannot be re-read (contact ways, messages) are
settled failed with a note that their outcome is unknown.

Runs at start (before serving), as a periodic job in every process (desktop/server/jobs.py)
for siblings that died, and inline when a desktop retries a call whose row is orphaned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from psycopg.types.json import Jsonb

from desktop.server import (
    autotag_reverts,
    expiry_records,
    leases,
    rename_respell,
    rule_reverts,
    snapshot,
    team_journal,
)
from desktop.server.callbacks import CONTACT
from desktop.server.db_health import Conn, ConnectionFactory
from desktop.server.expiry_records import Expiring
from desktop.server.identity import Caller
from desktop.server.rename_respell import OtherTags
from desktop.server.snapshot import CorpTag
from desktop.server.write_notes import read_note
from desktop.store.journal import JournalEntry
from desktop.wecom.client import WeComClient
from desktop.wecom.errors import WeComError
from desktop.wecom.transport import WeComTransport
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server")

EntryBuilder = Callable[[Caller, str, Mapping[str, Any], Mapping[str, Any], WriteNote],
                        Iterable[JournalEntry]]
NO_NOTE = WriteNote()
MARK_TAG = snapshot.MARK_TAG
# The key of a write's reason in its outbox row's `write_note` (a reason is never a header):
# a settled call is journaled with it too.
REASON_KEY = "reason"
# ... and what a rename renamed (WriteNote.renamed), so a rename settled after a restart
# journals its old name.
RENAMED_KEY = "renamed"
# An own row younger than this may be between its INSERT and being marked active.
OWN_ROW_GRACE = timedelta(seconds=10)
OK_ANSWER: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
# NOTIFY channel of a settled write that a callback event waits behind, delivered at commit
# to every server process (desktop/server/journal_push.py): the event may go.
SETTLED_CHANNEL = "tagdesk_outbox_settled"


@dataclass(frozen=True)
class OutboxRow:
    id: int
    operator: str
    device_id: int | None
    path: str
    body: Mapping[str, Any]
    owner: int | None
    note: WriteNote = NO_NOTE
    expiring: tuple[Expiring, ...] = ()   # tags a rule run's mark_tag adds that run out


@dataclass(frozen=True)
class Outcome:
    applied: bool
    note: str
    answer: Mapping[str, Any]


def outbox_row(values: tuple[object, ...]) -> OutboxRow:
    """An OutboxRow from the columns id, operator, device_id, path, body, owner, write_note."""
    body, headers = values[4], values[6]
    return OutboxRow(
        id=int(str(values[0])), operator=str(values[1]),
        device_id=None if values[2] is None else int(str(values[2])), path=str(values[3]),
        body=body if isinstance(body, dict) else {},
        owner=None if values[5] is None else int(str(values[5])),
        note=replace(read_note(headers), reason=str(headers.get(REASON_KEY) or ""),
                     renamed=_renamed(headers.get(RENAMED_KEY))
                     ) if isinstance(headers, dict) else NO_NOTE,
        expiring=expiry_records.from_note(headers) if isinstance(headers, dict) else (),
    )


def record_settled(conn: Conn, entries: Sequence[JournalEntry], outbox_id: int,
                   note: WriteNote, expiring: Sequence[Expiring], other_tags: OtherTags,
                   created: Mapping[str, CorpTag] | None = None) -> None:
    """What a write WeCom applied leaves beside its outbox row, in the row's transaction: its
    team journal rows, what rule and auto-tagging reverts remember, the server's view of the
    relation, the team filters a rename respells and the expiries of the tags it added. The
    journal's head, locked first, keeps two settles of one relation from reading its
    snapshot at the same time; a first re-sync's fill chunk, from storing what it read
    before this write (`snapshot.share_fill`). A tag library edit (`created`: the corp tags
    an add_corp_tag made) first takes the library's lock, as a re-sync or a callback storing
    the library does, before the journal's head. A settle, done or failed, NOTIFYs
    `SETTLED_CHANNEL` when a callback event waits behind the write (`notify_held`)."""
    if created or any(entry.action in snapshot.LIBRARY_EDITS for entry in entries):
        snapshot.lock_library(conn)
        snapshot.store_created(conn, created or {})
    snapshot.share_fill(conn)
    team_journal.append(conn, entries, outbox_id, note.reverts)
    rule_reverts.remember(conn, entries, note.reverts)
    autotag_reverts.remember(conn, entries, note.reverts)
    snapshot.follow_relay(conn, entries)
    rename_respell.follow_renames(conn, entries, other_tags)
    expiry_records.record(conn, entries, expiring, note.batch_id)
    notify_held(conn, outbox_id)


def notify_held(conn: Conn, outbox_id: int) -> None:
    """NOTIFY `SETTLED_CHANNEL` if a callback event waits behind outbox row `outbox_id` (an
    event on its relation, or a tag event behind a library edit; as the callback worker's
    claim holds them), so every process's worker does not run a claim that finds nothing for
    each settled write. Its row, locked by the settle, keeps an event from being stored
    between this look and the commit (`CallbackReceiver.record` waits for it)."""
    conn.execute(
        "SELECT pg_notify(%s, '') FROM outbox o WHERE o.id = %s AND EXISTS (SELECT 1 FROM"
        " callback_event e WHERE e.status IN ('pending', 'working') AND CASE WHEN e.event = %s"
        " THEN o.path = %s AND e.userid = o.body->>'userid'"
        " AND e.external_userid = o.body->>'external_userid' ELSE o.path = ANY(%s) END)",
        (SETTLED_CHANNEL, outbox_id, CONTACT, MARK_TAG, list(snapshot.CORP_LIBRARY_WRITES)))


class OutboxRecovery:
    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 entries: EntryBuilder, process_id: int,
                 is_active: Callable[[int], bool], other_tags: OtherTags) -> None:
        self._connection = connection
        self._client = WeComClient.over(transport)
        self._entries = entries
        self._process_id = process_id
        self._is_active = is_active
        self._other_tags = other_tags

    def settle_orphans(self) -> int:
        """Settle every `sending` row whose process is gone, and this process's own rows
        that no thread sends any more (their end could not be written: the database was
        down); how many were settled."""
        with self._connection() as conn:
            rows = [(outbox_row(values[:7]), bool(values[7])) for values in conn.execute(
                "SELECT id, operator, device_id, path, body, owner, write_note,"
                " created_at < now() - %s FROM outbox WHERE status = 'sending' ORDER BY id",
                (OWN_ROW_GRACE,))]
            owners = {row.owner for row, _ in rows} - {self._process_id}
            dead = {owner for owner in owners if not leases.alive(conn, owner)}
        orphans = [row for row, old in rows if row.owner in dead or (
            row.owner == self._process_id and old and not self._is_active(row.id))]
        settled = sum(self.settle(row) for row in orphans)
        if settled:
            log.warning("settled %d outbox rows left sending by stopped server processes",
                        settled)
        return settled

    def settle(self, row: OutboxRow) -> bool:
        """Re-read `row`'s write from WeCom and settle it; False when another process did."""
        outcome = self._reread(row)
        entries = list(self._entries(Caller(row.operator, row.device_id or 0), row.path,
                                     row.body, outcome.answer, row.note)
                       ) if outcome.applied else []
        with self._connection() as conn, conn.transaction():
            updated = conn.execute(
                "UPDATE outbox SET status = %s, answer = %s, settled_how = %s,"
                " finished_at = now()"
                " WHERE id = %s AND status = 'sending' AND owner IS NOT DISTINCT FROM %s"
                " RETURNING id",
                ("done" if outcome.applied else "failed",
                 Jsonb(dict(outcome.answer)) if outcome.applied else None, outcome.note,
                 row.id, row.owner),
            ).fetchone()
            if updated is None:
                return False
            record_settled(conn, entries, row.id, row.note, row.expiring, self._other_tags,
                           snapshot.created_tags(row.path, outcome.answer)
                           if outcome.applied else None)
        log.warning("outbox row %d (%s by %s) left sending by process %s: %s", row.id,
                    row.path, row.operator, row.owner, outcome.note)
        return True

    def _reread(self, row: OutboxRow) -> Outcome:
        body = row.body
        if row.path == MARK_TAG:
            return self._reread_mark_tag(body)
        if row.path == "externalcontact/add_corp_tag":
            return self._reread_add_corp_tag(body)
        if row.path == "externalcontact/del_corp_tag":
            present = self._corp_tag_ids()
            gone = not (set(_strings(body.get("tag_id"))) & present[0]
                        or set(_strings(body.get("group_id"))) & present[1])
            return Outcome(gone, "applied: gone from WeCom" if gone
                           else "not applied: still on WeCom", OK_ANSWER)
        if row.path == "externalcontact/edit_corp_tag":
            names = self._corp_tag_names()
            applied = names.get(str(body.get("id", ""))) == body.get("name")
            return Outcome(applied, "applied: found on WeCom" if applied
                           else "not applied: not found on WeCom", OK_ANSWER)
        return Outcome(False, "outcome unknown: this write cannot be re-read from WeCom",
                       OK_ANSWER)

    def _reread_mark_tag(self, body: Mapping[str, Any]) -> Outcome:
        userid = str(body.get("userid", ""))
        try:
            detail = self._client.get_external_contact(str(body.get("external_userid", "")))
        except WeComError as err:
            return Outcome(False, f"not applied: the relation cannot be read"
                           f" (errcode {err.errcode})", OK_ANSWER)
        tags = {tag.tag_id for follower in detail.follow_users if follower.userid == userid
                for tag in follower.tags if tag.tag_id}
        applied = (set(_strings(body.get("add_tag"))) <= tags
                   and not set(_strings(body.get("remove_tag"))) & tags)
        return Outcome(applied, "applied: found on WeCom" if applied
                       else "not applied: not found on WeCom", OK_ANSWER)

    def _reread_add_corp_tag(self, body: Mapping[str, Any]) -> Outcome:
        wanted = {str(tag.get("name", "")) for tag in body.get("tag") or []
                  if isinstance(tag, dict)}
        group_id, group_name = body.get("group_id"), body.get("group_name")
        for group in self._client.list_corp_tags():
            if group.id != group_id and group.name != group_name:
                continue
            found = [tag for tag in group.tags if tag.name in wanted]
            if {tag.name for tag in found} == wanted:
                answer = {**OK_ANSWER, "tag_group": {
                    "group_id": group.id, "group_name": group.name,
                    "tag": [{"id": tag.id, "name": tag.name} for tag in found]}}
                return Outcome(True, "applied: found on WeCom", answer)
        return Outcome(False, "not applied: not found on WeCom", OK_ANSWER)

    def _corp_tag_ids(self) -> tuple[set[str], set[str]]:
        groups = self._client.list_corp_tags()
        return ({tag.id for group in groups for tag in group.tags if not tag.deleted},
                {group.id for group in groups if not group.deleted})

    def _corp_tag_names(self) -> dict[str, str]:
        return {tag.id: tag.name for group in self._client.list_corp_tags()
                for tag in group.tags}


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _renamed(value: object) -> tuple[str, ...]:
    if isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value):
        return tuple(value)
    return ()
