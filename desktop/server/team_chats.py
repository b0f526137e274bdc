"""Chat messages on the team server: where a corp's chat-archive export lands for auto-tagging.

`POST /tagdesk/v1/chats?access_token=…` takes `{"messages": [...], "skip_invalid": false}`,
each message in the shape `tagdesk autotag import-chats` reads (TagDesk's five fields or a
decrypted chat-archive record). Every message is checked first; with a bad one nothing is
stored unless `skip_invalid`. Messages are stored once (the archive's msgid, else the fields),
with who pushed them. `GET /tagdesk/v1/chats?access_token=…&after_id=N&limit=L` pages them by
id, so each desktop fetches only what is new before it simulates (`&customer=ID`, repeated,
for some customers only).

Chats are private conversations: a salesperson (`customer_scope`) gets only the messages of
their own relations, and pushes only those (a message of another member's, or with a
customer they do not follow, refuses the push); both wait for the server's relation snapshot
to be filled. Heads and administrators read and push the corp's, and the server's own
learning (`team_training.py`, `rule_intents.py`) reads every message.
"""

from __future__ import annotations

from typing import Any

import psycopg

from desktop.server import customer_scope, paging, snapshot
from desktop.server.request_refused import RequestRefused
from desktop.services.chat_import import BadChatRecord, NothingToClassify, parse_record
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED

Conn = psycopg.Connection[tuple[object, ...]]

MIGRATION = """
CREATE TABLE chat_message (
    id bigserial PRIMARY KEY,
    msg_key text NOT NULL UNIQUE,
    ts double precision NOT NULL,
    userid text NOT NULL,
    external_userid text NOT NULL,
    direction text NOT NULL,
    text text NOT NULL,
    pushed_by text NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_message_ts ON chat_message (ts);
CREATE INDEX chat_message_customer ON chat_message (external_userid, ts);
"""

MAX_MESSAGES = 5_000
MAX_BODY_BYTES = 16 << 20     # 5,000 messages of a few KB; one 100 KB paste fits too
DEFAULT_PAGE = 2_000
MAX_PAGE = 5_000
BAD_MESSAGES = 47001
PROBLEMS_NAMED = 3


class PushRefused(RequestRefused):
    """Pushed messages that are not stored (none of them is); errmsg says why."""


def push(conn: Conn, userid: str, body: dict[str, Any],
         owner: str | None = None) -> dict[str, Any]:
    """Check and store the pushed messages (one transaction is the caller's); `owner` (a
    salesperson) may push only the messages of their own relations."""
    records = body.get("messages")
    if not isinstance(records, list):
        raise PushRefused(BAD_MESSAGES, "messages must be a list")
    if len(records) > MAX_MESSAGES:
        raise PushRefused(BAD_MESSAGES, f"at most {MAX_MESSAGES} messages per request")
    rows, problems, skipped = [], [], 0
    for index, record in enumerate(records):
        try:
            rows.append(parse_record(record))
        except NothingToClassify:
            skipped += 1
        except BadChatRecord as bad:
            problems.append(f"message {index}: {bad.en}")
    if problems and body.get("skip_invalid") is not True:
        named = "; ".join(problems[:PROBLEMS_NAMED])
        raise PushRefused(BAD_MESSAGES, f"{len(problems)} invalid messages, nothing stored"
                                        f" ({named})")
    if owner is not None:
        _check_own(conn, owner, {(row.userid, row.external_userid) for row in rows})
    stored = 0
    with conn.cursor() as cursor:
        for row in rows:
            cursor.execute(
                "INSERT INTO chat_message (msg_key, ts, userid, external_userid, direction,"
                " text, pushed_by) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (msg_key) DO NOTHING",
                (row.msg_key, row.ts, row.userid, row.external_userid, row.direction, row.text,
                 userid))
            stored += cursor.rowcount
    return {"received": len(records), "stored": stored, "duplicates": len(rows) - stored,
            "skipped": skipped, "invalid": len(problems), "problems": problems[:50]}


def page(conn: Conn, after_id: int, limit: int, owner: str | None = None,
         customers: list[str] | None = None) -> dict[str, Any]:
    """Messages with an id above `after_id`, oldest first; of `owner`'s relations only when
    given (a salesperson), none until the relation snapshot is filled; with `customers`
    only when given."""
    if owner is not None and not snapshot.has_baseline(conn):
        return {"messages": [], "next_after_id": None,
                "withheld": customer_scope.withheld("暂不提供聊天记录", "gives you no chats")}
    return paging.after_id(conn, "chat_message", {name: name for name in (
        "msg_key", "ts", "userid", "external_userid", "direction", "text")}, "messages",
        after_id, limit, MAX_PAGE,
        *customer_scope.paged_where(customer_scope.SQL_OWN_RELATION, owner, customers or []))


def _check_own(conn: Conn, owner: str, relations: set[tuple[str, str]]) -> None:
    """Refuse the push unless every message is of one of `owner`'s relations."""
    others = sorted({userid for userid, _ in relations if userid != owner})
    if others:
        raise PushRefused(**customer_scope.others_refused(others))
    if not snapshot.has_baseline(conn):
        raise PushRefused(TEAM_NOT_ALLOWED, customer_scope.withheld(
            "暂不接收您上传的聊天记录", "takes none of your chat uploads"))
    followed = {str(e) for e, in conn.execute(
        "SELECT external_userid FROM relation_tag_snapshot WHERE userid = %s"
        " AND external_userid = ANY(%s)", (owner, sorted(e for _, e in relations)))}
    strangers = sorted({e for _, e in relations} - followed)
    if strangers:
        raise PushRefused(**customer_scope.customer_refused(*strangers[:PROBLEMS_NAMED]))
