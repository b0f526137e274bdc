"""Acting on recorded callbacks after WeCom got its answer: re-read the relation or the tag
library through the server's one transport, journal the difference against the snapshot
(source `callback`, the follower as probable operator), keep the snapshot current.

Every server process runs one worker; an event is claimed with `FOR UPDATE SKIP LOCKED` and
marked done in the same transaction as its journal rows. An event whose server stopped
halfway is claimed again after RECLAIM_AFTER; handling one twice journals nothing twice,
since only the difference from the snapshot is journaled (one relation at a time, under an
advisory lock). A relation with a relayed mark_tag still `sending` waits (its event is not
claimed, and one claimed meanwhile is put back untouched): WeCom may already show that write
while the snapshot does not, and its re-read would journal it again as a phone's change. A
tag event waits likewise for a relayed corp tag edit. A settled write that an event waits
behind, whether the relay settled it or the outbox's recovery in any process did, NOTIFYs
every process's worker (desktop/server/journal_push.py), so a held event goes then, not at
the next poll; a write no event waits behind wakes none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

import psycopg
import psycopg_pool

from desktop.server import relation_facts, rename_respell, snapshot, team_journal
from desktop.server.callbacks import CONTACT, CallbackEvent
from desktop.server.snapshot import Conn, tag_list_shape
from desktop.server.tag_changes import (
    ENDINGS,
    customer_added,
    customer_deleted,
    library_changes,
    relation_changes,
)
from desktop.server.wecom_reads import read_corp_tags, read_relation
from desktop.store.journal import JournalEntry
from desktop.store.journal_query import CALLBACK
from desktop.wecom.errors import WeComError, WeComNetworkError
from desktop.wecom.transport import WeComTransport

log = logging.getLogger("tagdesk.server.callbacks")

ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
POLL_S = 5.0
MAX_ATTEMPTS = 5
RECLAIM_AFTER = "2 minutes"   # a claim this old belongs to a server that stopped halfway
KEEP_EVENTS = "7 days"
PRUNE_EVERY_S = 3600.0
CLOCK_SKEW_S = 300


class NotYetVisible(Exception):
    """A relation just added is not yet in `externalcontact/get` (WeCom may answer 84061
    for a moment after an add): read it again later."""


class WriteInFlight(Exception):
    """A relayed write to what the event names (its relation, or the tag library) is not
    settled yet: handle the event afterwards."""


class CallbackWorker:
    def __init__(self, connection: ConnectionFactory, transport: WeComTransport,
                 poll_s: float = POLL_S,
                 on_library: Callable[[Mapping[str, Any]], None] | None = None,
                 on_contact: Callable[[CallbackEvent], object] | None = None) -> None:
        self._connection = connection
        self._on_contact = on_contact  # after a customer event is journaled (live codes)
        self._transport = transport
        self._on_library = on_library
        self._poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="callback-worker", daemon=True)
        self._pruned_at = 0.0

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Finish the event in hand, then stop (pending ones wait for the next start)."""
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                while not self._stop.is_set() and self.process_one():
                    pass
                self._prune()
            except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
                log.warning("callbacks wait: team database unavailable (%s)",
                            type(exc).__name__)
            except Exception:  # the worker outlives one bad event; it is retried later
                log.exception("callback worker: unexpected failure")
            self._wake.wait(self._poll_s)
            self._wake.clear()

    def process_one(self) -> bool:
        """Handle the oldest waiting event; False when there was none to handle now."""
        with self._connection() as conn:
            row = conn.execute(
                "UPDATE callback_event SET status = 'working', claimed_at = now()"
                " WHERE id = (SELECT id FROM callback_event e WHERE (status = 'pending'"
                f" OR (status = 'working' AND claimed_at < now() - interval '{RECLAIM_AFTER}'))"
                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.status = 'sending' AND"
                " CASE WHEN e.event = %s THEN o.path = %s AND o.body->>'userid' = e.userid"
                " AND o.body->>'external_userid' = e.external_userid"
                " ELSE o.path = ANY(%s) END)"
                " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                " RETURNING id, event, change_type, userid, external_userid, item_id, state,"
                " create_time", (CONTACT, snapshot.MARK_TAG,
                                 list(snapshot.CORP_LIBRARY_WRITES))).fetchone()
        if row is None:
            return False
        event_id = int(str(row[0]))
        event = CallbackEvent(str(row[1]), str(row[2]), str(row[3]), str(row[4]), str(row[5]),
                              str(row[6]), int(str(row[7])), "")
        try:
            with self._connection() as conn, conn.transaction():
                written = apply_event(conn, self._transport, event, self._on_library)
                conn.execute("UPDATE callback_event SET status = 'done', finished_at = now(),"
                             " attempts = attempts + 1 WHERE id = %s AND status = 'working'",
                             (event_id,))
        except WriteInFlight:
            with self._connection() as conn:
                conn.execute("UPDATE callback_event SET status = 'pending' WHERE id = %s"
                             " AND status = 'working'", (event_id,))
            log.info("callback event %d waits for a relayed write to its relation", event_id)
            return True
        except (WeComError, WeComNetworkError, NotYetVisible) as exc:
            with self._connection() as conn:
                conn.execute(
                    "UPDATE callback_event SET attempts = attempts + 1, status = CASE WHEN"
                    " attempts + 1 >= %s THEN 'failed' ELSE 'pending' END, finished_at = CASE"
                    " WHEN attempts + 1 >= %s THEN now() END WHERE id = %s AND status = 'working'",
                    (MAX_ATTEMPTS, MAX_ATTEMPTS, event_id))
            log.warning("callback event %d: re-read failed (%r)", event_id, exc)
            return False
        log.info("callback event %d (%s/%s): %d journal rows", event_id, event.event,
                 event.change_type, written)
        if event.event == CONTACT and self._on_contact is not None:
            self._on_contact(event)
        return True

    def _prune(self) -> None:
        if time.monotonic() - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = time.monotonic()
        with self._connection() as conn:
            conn.execute("DELETE FROM callback_event WHERE status <> 'pending'"
                         f" AND received_at < now() - interval '{KEEP_EVENTS}'")


def apply_event(conn: Conn, transport: WeComTransport, event: CallbackEvent,
                on_library: Callable[[Mapping[str, Any]], None] | None = None) -> int:
    """Re-read what the event names, update the snapshot, journal; returns journal rows.
    `on_library` gets a fresh tag list (as `get_corp_tag_list` shapes it)."""
    now = time.time()
    ts = float(event.create_time) if 0 < event.create_time <= now + CLOCK_SKEW_S else now
    if event.event == CONTACT:
        return _relation_event(conn, transport, event, ts)
    snapshot.lock_library(conn)
    if snapshot.library_write_in_flight(conn):
        raise WriteInFlight("the tag library")
    after = read_corp_tags(transport)
    before = snapshot.corp_tags(conn)
    entries = library_changes(before, after, source=CALLBACK, ts=ts) if before else []
    if on_library is not None:
        on_library(tag_list_shape(after))
    return rename_respell.keep_library(conn, before, after, entries)


def _relation_event(conn: Conn, transport: WeComTransport, event: CallbackEvent,
                    ts: float) -> int:
    userid, external_userid = event.userid, event.external_userid
    snapshot.lock_relation(conn, userid, external_userid)
    if snapshot.write_in_flight(conn, userid, external_userid):
        raise WriteInFlight(userid, external_userid)
    read = (None if event.change_type == "del_external_contact"
            else read_relation(transport, userid, external_userid))
    if read is None and event.change_type.startswith("add_"):
        raise NotYetVisible(userid, external_userid)
    if read is None and event.change_type not in ENDINGS:
        # Ended after this event was sent: the ending's own event journals it from the
        # snapshot, which must therefore stay as it is until then.
        log.info("callback for a relation that has since ended: left to its ending's event")
        return 0
    before = snapshot.relation_tags(conn, userid, external_userid)
    entries = _customer_entries(conn, event, before, ts)
    if read is None:
        snapshot.forget_relation(conn, userid, external_userid)
        relation_facts.forget(conn, userid, external_userid)
        return team_journal.append(conn, entries, None)
    snapshot.store_relation(conn, userid, external_userid, read.tags)
    relation_facts.store(conn, userid, external_userid, read.facts)
    if before is None and not snapshot.has_baseline(conn):
        log.info("callback for a relation not yet re-synced: its tags are the baseline")
        return team_journal.append(conn, entries, None)
    entries += relation_changes(before or set(), read.tags, snapshot.corp_tags(conn),
                                userid=userid, external_userid=external_userid,
                                source=CALLBACK, ts=ts)
    return team_journal.append(conn, entries, None)


def _customer_entries(conn: Conn, event: CallbackEvent, before: set[str] | None,
                      ts: float) -> list[JournalEntry]:
    """The customer added or deleted, once: an event handled again (a retry) finds its row."""
    userid, external_userid = event.userid, event.external_userid
    if event.change_type == "add_external_contact":
        entries = [customer_added(userid=userid, external_userid=external_userid,
                                  state=event.state, ts=ts)]
    elif event.change_type in ENDINGS and before is not None:
        entries = customer_deleted(before, snapshot.corp_tags(conn), userid=userid,
                                   external_userid=external_userid,
                                   change_type=event.change_type, ts=ts)
    else:
        return []
    seen = conn.execute(
        "SELECT 1 FROM team_journal WHERE external_userid = %s AND userid = %s"
        " AND action = %s AND ts = %s LIMIT 1",
        (external_userid, userid, entries[0].action, ts)).fetchone()
    return [] if seen else entries
