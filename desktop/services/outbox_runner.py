"""Sending queued `mark_tag` calls: concurrent, one call per customer at a time, resumable.

Workers take outbox rows in plan order. A per-cache gate caps the calls in flight (the
profile's concurrency, WeCom allows about 5) and never lets two calls for the same
external_userid overlap (WeCom answers 45033 otherwise), even across two runs in one process.
Backoff, 45009 pauses and token refresh are the client's job; what reaches the runner is
final for that attempt:

- a confirmed call commits row + cache + journal in one transaction (`outbox.commit_applied`);
- a permanent error (84061, 60111, 81011, ...) fails that row with WeCom's explanation and
  the batch goes on; 40068 re-reads the tag library, strips ids that no longer exist and
  retries once;
- a passing error (network, busy, 45009, 45033 after the client's retries) puts the row back
  at the end of the queue, a few rounds at most, then leaves it pending for a later resume;
  many of them in a row stop the run, as do configuration errors (wrong secret, IP not
  trusted), which every other row would hit too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.bilingual import both
from desktop.services.autotag_reverts import AutotagRevertMemory
from desktop.services.rule_reverts import REVERT_SOURCE, RevertMemory
from desktop.store import outbox, tag_expiry
from desktop.store.db import Cache
from desktop.store.outbox import OutboxRow
from desktop.wecom.error_codes import ErrorKind
from desktop.wecom.errors import CallCancelled, WeComError, WeComNetworkError
from desktop.wecom.write_note import WriteNote

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient

log = logging.getLogger("tagdesk.services.outbox")

INVALID_TAG = 40068
MAX_ROUNDS = 3                 # tries of one row within one run after passing errors
TAG_LIST_MAX_AGE_S = 30.0      # re-read the tag library on 40068 at most this often
POLL_S = 0.05

_TRANSIENT_KINDS = (ErrorKind.RETRYABLE, ErrorKind.RATE_LIMITED, ErrorKind.CONCURRENCY,
                    ErrorKind.TOKEN)


def explain(error: BaseException) -> str:
    """The readable reason stored on a row: WeCom's explanation in Chinese and English."""
    if isinstance(error, WeComError | WeComNetworkError):
        return f"{error.explanation_zh} / {error.explanation_en}"
    return str(error)


class CustomerGate:
    """Calls in flight for one cache: at most `limit`, and one per customer."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cond = threading.Condition()
        self._customers: set[str] = set()

    @contextmanager
    def hold(self, external_userid: str, stop: threading.Event) -> Iterator[bool]:
        """Yields True once a slot for this customer is held, False if `stop` came first."""
        held = False
        with self._cond:
            while not stop.is_set():
                if external_userid not in self._customers and len(self._customers) < self.limit:
                    self._customers.add(external_userid)
                    held = True
                    break
                self._cond.wait(POLL_S)
        try:
            yield held
        finally:
            if held:
                with self._cond:
                    self._customers.discard(external_userid)
                    self._cond.notify_all()


_gates: dict[Path, CustomerGate] = {}
_gates_lock = threading.Lock()


def gate_for(cache: Cache, limit: int) -> CustomerGate:
    """The one gate of this cache file in this process (shared by concurrent runs)."""
    with _gates_lock:
        gate = _gates.setdefault(cache.path.resolve(), CustomerGate(limit))
        gate.limit = limit
        return gate


@dataclass
class RunTally:
    """What one run did, for progress and the result."""

    applied: int = 0
    failed: int = 0
    skipped: int = 0
    changed: set[int] = field(default_factory=set)
    stop_reason: str = ""

    @property
    def settled(self) -> int:
        return self.applied + self.failed + self.skipped


class OutboxRunner:
    """Runs a list of pending rows to the end, a stop, or a cancel."""

    def __init__(
        self,
        cache: Cache,
        client: WeComClient,
        *,
        operator: str,
        source: str,
        concurrency: int,
        stop: threading.Event,
        pause: threading.Event | None = None,
        reverts: str = "",
    ) -> None:
        self._cache = cache
        self._client = client
        self._operator = operator
        self._source = source
        self._reverts = reverts
        # a solo revert or undo marks the accepted auto-tagging suggestions whose tags it
        # takes off, and a revert (not an undo) remembers the rule changes it undoes (a team
        # server does both for a team)
        solo_revert = bool(reverts) and not client.relays_to_team
        self._revert_memory = RevertMemory(cache, reverts) \
            if solo_revert and source == REVERT_SOURCE else None
        self._autotag_memory = AutotagRevertMemory(cache, reverts, operator) \
            if solo_revert else None
        self._concurrency = max(1, concurrency)
        self._gate = gate_for(cache, self._concurrency)
        self._stop = stop
        self._pause = pause
        self._lock = threading.Lock()
        self._queue: deque[tuple[OutboxRow, int]] = deque()
        self._busy = 0
        self._consecutive_transient = 0
        self._live_tags: tuple[float, frozenset[str]] | None = None
        self._tags_lock = threading.Lock()
        self.tally = RunTally()

    @property
    def paused(self) -> bool:
        return self._pause is not None and self._pause.is_set()

    def start(self, rows: list[OutboxRow]) -> list[threading.Thread]:
        """Start the workers; the caller joins them (so it can watch cancel and progress)."""
        self._queue.extend((row, 0) for row in rows)
        workers = [
            threading.Thread(target=self._work, name=f"tagdesk-outbox-{i}", daemon=True)
            for i in range(min(self._concurrency, len(rows)))
        ]
        for worker in workers:
            worker.start()
        return workers

    # -- the worker loop ------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            item = self._next()
            if item is None:
                return
            row, rounds = item
            try:
                with self._gate.hold(row.external_userid, self._stop) as held:
                    retry = held and self._execute(row, rounds)
            except Exception as exc:  # a bug or a broken cache: stop, keep the row pending
                log.exception("outbox row %s failed unexpectedly", row.id)
                self._halt(explain(exc))
                retry = False
            self._done_with(row, rounds, retry)

    def _next(self) -> tuple[OutboxRow, int] | None:
        while True:
            if self._stop.is_set():
                return None
            if self.paused:
                time.sleep(POLL_S)
                continue
            with self._lock:
                if self._queue:
                    self._busy += 1
                    return self._queue.popleft()
                if self._busy == 0:
                    return None
            time.sleep(POLL_S)  # a row in flight may come back for another round

    def _done_with(self, row: OutboxRow, rounds: int, retry: bool) -> None:
        with self._lock:
            self._busy -= 1
            if retry:
                self._queue.append((row, rounds + 1))

    def _halt(self, reason: str) -> None:
        with self._lock:
            if not self.tally.stop_reason:
                self.tally.stop_reason = reason
        self._stop.set()

    # -- one row ----------------------------------------------------------------------------

    def _execute(self, row: OutboxRow, rounds: int) -> bool:
        """Send one row and settle it; True means "put it back for another round"."""
        add, remove = row.add, row.remove
        attempts = 0
        note = ""
        outbox.mark_sent(self._cache, row.id)
        while True:
            attempts += 1
            sent = self._note(row, add, remove)
            try:
                self._client.mark_tag(row.userid, row.external_userid, add, remove, note=sent)
            except CallCancelled:
                return False
            except WeComError as err:
                if err.kind is ErrorKind.CONFIGURATION:
                    self._halt(explain(err))
                    return False
                if err.kind in _TRANSIENT_KINDS:
                    return self._passing(row, rounds, err)
                if err.errcode == INVALID_TAG and attempts == 1:
                    try:
                        stripped = self._strip_stale(add, remove)
                    except CallCancelled:
                        return False
                    except WeComNetworkError as lost:
                        return self._passing(row, rounds, lost)
                    if stripped is not None:
                        add, remove, note = stripped
                        if add or remove:
                            continue
                        self._settle_failed(row, err, note, attempts, outbox.SKIPPED)
                        return False
                self._settle_failed(row, err, explain(err), attempts, outbox.FAILED)
                return False
            except WeComNetworkError as err:
                return self._passing(row, rounds, err)
            self._commit(row, add, remove, attempts, note)
            if sent is not None and sent.expiring:
                tag_expiry.copy_sent(self._cache, row.external_userid, row.userid, sent.expiring,
                                     sent.before or (), row.batch_id, time.time())
            return False

    def _note(self, row: OutboxRow, add: tuple[str, ...],
              remove: tuple[str, ...]) -> WriteNote | None:
        """What a team server journals with the call (batch, source, the relation's tags
        before it as this cache knows them, the expiries set on the tags it adds, which
        the server then removes when due) and its call key; nothing for WeCom itself.

        The key is made of the row and what it sends, so a batch resumed after a restart
        sends the same key and a call the server already made is answered, not made again;
        a call sent again without a stale tag is a new call."""
        if not self._client.relays_to_team:
            return None
        key = (row.external_userid, row.userid)
        state = outbox.relation_states_by_key(self._cache, [key]).get(key)
        call = json.dumps([row.batch_id, row.id, sorted(add), sorted(remove)])
        return WriteNote(batch_id=row.batch_id, source=self._source,
                         before=tuple(sorted(state.tag_ids)) if state is not None else None,
                         reverts=self._reverts,
                         call_key=hashlib.sha256(call.encode()).hexdigest()[:32],
                         expiring=tag_expiry.seconds_left(self._cache, *key, add, row.batch_id,
                                                           time.time()))

    def _commit(self, row: OutboxRow, add: tuple[str, ...], remove: tuple[str, ...],
                attempts: int, note: str) -> None:
        changed = outbox.commit_applied(
            self._cache, row, sent_add=add, sent_remove=remove, operator=self._operator,
            source=self._source, attempts=attempts, note=note,
        )
        if self._revert_memory is not None:
            self._revert_memory.record(row.external_userid, row.userid, add, remove)
        if self._autotag_memory is not None:
            self._autotag_memory.record(row.external_userid, row.userid, remove)
        with self._lock:
            self._consecutive_transient = 0
            self.tally.applied += 1
            self.tally.changed |= changed

    def _settle_failed(self, row: OutboxRow, err: WeComError, reason: str, attempts: int,
                       status: str) -> None:
        outbox.record_failure(self._cache, row.id, errcode=err.errcode, reason=reason,
                              attempts=attempts, status=status)
        with self._lock:
            self._consecutive_transient = 0
            if status == outbox.SKIPPED:
                self.tally.skipped += 1
            else:
                self.tally.failed += 1

    def _passing(self, row: OutboxRow, rounds: int, err: Exception) -> bool:
        """A passing failure: another round later, or pending for a later resume."""
        reason = explain(err)
        outbox.note_attempt(self._cache, row.id, reason)
        with self._lock:
            self._consecutive_transient += 1
            too_many = self._consecutive_transient >= max(3, 2 * self._concurrency)
        if too_many:
            self._halt(reason)
            return False
        return rounds + 1 < MAX_ROUNDS

    # -- 40068: stale tag ids ---------------------------------------------------------------

    def _strip_stale(
        self, add: tuple[str, ...], remove: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
        """The lists without ids WeCom no longer has, and a note naming them; None when
        every id still exists (the 40068 has another cause)."""
        try:
            live = self._live_tag_ids()
        except WeComError:
            return None
        stale = sorted({*add, *remove} - live)
        if not stale:
            return None
        note = both(f"已忽略企业微信中已删除的标签 {'、'.join(stale)}",
                    f"ignored tags deleted in WeCom: {', '.join(stale)}")
        return (tuple(t for t in add if t in live), tuple(t for t in remove if t in live), note)

    def _live_tag_ids(self) -> frozenset[str]:
        """Ids of every live corp and rule-group tag, re-read at most every 30 s."""
        with self._tags_lock:
            now = time.monotonic()
            if self._live_tags is None or now - self._live_tags[0] >= TAG_LIST_MAX_AGE_S:
                groups = [*self._client.list_corp_tags(), *self._client.list_strategy_tags()]
                self._live_tags = (now, frozenset(
                    tag.id for group in groups if not group.deleted
                    for tag in group.tags if not tag.deleted
                ))
            return self._live_tags[1]
