"""Receiving WeCom's callbacks at `/tagdesk/v1/callback` (the URL entered in WeCom's console).

GET is the console's URL check: verify, decrypt `echostr`, answer its plaintext bare.
POST is an event: verify the signature, decrypt, check it is for this corp, record it once
(retries carry the same event: a unique key on its identifying elements drops them) and
answer "success" at once; `callback_worker` re-reads WeCom and journals afterwards. A bad
signature, another corp, an unreadable or oversized body: one log line, a plain answer
with a 4xx status, nothing written.

A repeat of an event still waiting is dropped; a repeat of one already being handled or
handled puts it back in the queue, since it may stand for a second change: re-reading costs
one call and journals only what still differs, so a retried delivery is journaled once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import psycopg
import psycopg_pool
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from desktop.domain.callback_crypto import CallbackCrypto, CallbackRefused, Refusal
from desktop.domain.callback_xml import MalformedXml, parse_flat_xml
from desktop.server.snapshot import CORP_LIBRARY_WRITES, MARK_TAG, Conn

log = logging.getLogger("tagdesk.server.callbacks")

PATH = "/tagdesk/v1/callback"
MAX_CALLBACK_BYTES = 64 * 1024
CONTACT = "change_external_contact"
TAG = "change_external_tag"
_STATUS = {Refusal.BAD_SIGNATURE: 403, Refusal.UNKNOWN_CORP: 403, Refusal.MALFORMED: 400}
ConnectionFactory = Callable[[], AbstractContextManager[Conn]]


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class CallbackEvent:
    """The elements of a customer or tag event the server acts on."""

    event: str
    change_type: str
    userid: str
    external_userid: str
    item_id: str           # change_external_tag: the tag or group id ("" = every group)
    state: str             # add_external_contact: the contact way's state
    create_time: int
    sender: str            # FromUserName

    @classmethod
    def parse(cls, xml: str) -> CallbackEvent:
        try:
            fields = parse_flat_xml(xml)
        except MalformedXml:
            raise CallbackRefused(Refusal.MALFORMED) from None
        created = fields.get("CreateTime", "")
        return cls(fields.get("Event", ""), fields.get("ChangeType", ""),
                   fields.get("UserID", ""), fields.get("ExternalUserID", ""),
                   fields.get("Id", ""), fields.get("State", ""),
                   int(created) if created.isdigit() else 0, fields.get("FromUserName", ""))

    @property
    def dedupe_key(self) -> str:
        """A retry carries the same elements as the first delivery. So may a second change
        of the same kind in the same second: an event seen again after its re-read began is
        re-read once more (journaling only what differs, so a retry adds no row)."""
        parts = (self.sender, str(self.create_time), self.event, self.change_type, self.userid,
                 self.external_userid, self.item_id)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class CallbackReceiver:
    def __init__(self, connection: ConnectionFactory, crypto: CallbackCrypto, corp_id: str,
                 wake: Callable[[], None]) -> None:
        self._connection = connection
        self._crypto = crypto
        self._corp_id = corp_id
        self._wake = wake

    def verify_url(self, query: dict[str, str]) -> str:
        return self._crypto.verify_url(query.get("msg_signature", ""), query.get("timestamp", ""),
                                       query.get("nonce", ""), query.get("echostr", ""))

    def open(self, query: dict[str, str], body: bytes) -> CallbackEvent:
        try:
            addressed_to = parse_flat_xml(body).get("ToUserName", "")
        except MalformedXml:
            raise CallbackRefused(Refusal.MALFORMED) from None
        if addressed_to and addressed_to != self._corp_id:
            raise CallbackRefused(Refusal.UNKNOWN_CORP)
        xml = self._crypto.open_message(query.get("msg_signature", ""),
                                        query.get("timestamp", ""), query.get("nonce", ""), body)
        return CallbackEvent.parse(xml)

    def record(self, event: CallbackEvent) -> bool:
        """Store a customer or tag event once; True when it is new (the worker is woken)."""
        if event.event not in (CONTACT, TAG):
            log.info("callback %s/%s ignored", event.event or "-", event.change_type or "-")
            return False
        with self._connection() as conn, conn.transaction():
            _wait_for_settles(conn, event)
            row = conn.execute(
                "INSERT INTO callback_event (dedupe_key, event, change_type, userid,"
                " external_userid, item_id, state, create_time)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (dedupe_key) DO UPDATE SET status = 'pending', attempts = 0"
                " WHERE callback_event.status <> 'pending' RETURNING id",
                (event.dedupe_key, event.event, event.change_type, event.userid,
                 event.external_userid, event.item_id, event.state, event.create_time),
            ).fetchone()
        if row is None:
            log.info("callback %s/%s repeated while waiting: dropped", event.event,
                     event.change_type)
            return False
        log.info("callback %s/%s received (event %s)", event.event, event.change_type, row[0])
        self._wake()
        return True


def _wait_for_settles(conn: Conn, event: CallbackEvent) -> None:
    """Take a share of the relayed writes still `sending` that the event will wait behind
    (its relation's mark_tag, or a tag library edit): a settle under way holds its row, so
    the event is stored after that settle commits and its claim finds the write settled; a
    settle after this sees the stored event and NOTIFYs (outbox_recovery.notify_held)."""
    if event.event == CONTACT:
        conn.execute("SELECT 1 FROM outbox WHERE status = 'sending' AND path = %s"
                     " AND body->>'userid' = %s AND body->>'external_userid' = %s FOR SHARE",
                     (MARK_TAG, event.userid, event.external_userid))
    else:
        conn.execute("SELECT 1 FROM outbox WHERE status = 'sending' AND path = ANY(%s)"
                     " FOR SHARE", (list(CORP_LIBRARY_WRITES),))


def callback_routes(receiver: CallbackReceiver | None) -> list[Route]:
    """GET and POST at PATH; without callback settings both answer 404 with a sentence."""

    async def endpoint(request: Request) -> Response:
        if receiver is None:
            log.warning("callback refused: the server was started without --callback-token"
                        " and --callback-aes-key")
            return PlainTextResponse("callbacks are not configured on this TagDesk server",
                                     status_code=404)
        query = dict(request.query_params)
        try:
            if request.method == "GET":
                return PlainTextResponse(receiver.verify_url(query))
            event = receiver.open(query, await _body(request))
        except CallbackRefused as refused:
            log.warning("callback refused from %s: %s",
                        request.client.host if request.client else "?", refused.reason.value)
            return PlainTextResponse(refused.reason.value, status_code=_STATUS[refused.reason])
        except _TooLarge:
            log.warning("callback refused from %s: body over %d bytes",
                        request.client.host if request.client else "?", MAX_CALLBACK_BYTES)
            return PlainTextResponse("body too large", status_code=413)
        try:
            await run_in_threadpool(receiver.record, event)
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
            log.error("callback not recorded, team database unavailable (%s): WeCom retries",
                      type(exc).__name__)
            return PlainTextResponse("team database unavailable", status_code=503)
        return PlainTextResponse("success")

    return [Route(PATH, endpoint, methods=["GET", "POST"])]


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_CALLBACK_BYTES:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_CALLBACK_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)
