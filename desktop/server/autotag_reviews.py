"""Auto-tagging review verdicts on the team server: every desktop's accepts and rejects, with
who and when, so each desktop's learner trains on the whole team's reviews.

`POST /tagdesk/v1/autotag/reviews?access_token=…` takes `{"reviews": [{"external_userid",
"userid", "tag", "tag_id", "group_id", "verdict": "accepted" | "rejected", "msg_keys":
[...]}]}` (the evidence messages by their chat key, which every desktop shares with
`/tagdesk/v1/chats`; the ids optional); the server records the logged-in user and the time, and the tag under
the name it has now (`review_names`: a desktop that has not synced since a rename sends the
old one). `GET …?after_id=N&limit=L` pages them by id, oldest
first, so a desktop fetches only what is new; a salesperson gets the verdicts on their own
relations only (`customer_scope`). Verdicts are appended, never changed: the
latest verdict on a suggestion is the one that counts (a relayed revert of an auto-tagging batch
adds `reverted` ones itself, `autotag_reverts.py`). (The keywords per tag are a kind of
shared team setting, `autotag_keywords`, in `desktop.server.shared_settings`.)
"""

from __future__ import annotations

from typing import Any

import psycopg

from desktop.server import paging, review_names
from desktop.server.identity import Caller
from desktop.server.request_refused import RequestRefused

Conn = psycopg.Connection[tuple[object, ...]]

MIGRATION = """
CREATE TABLE autotag_review (
    id bigserial PRIMARY KEY,
    ts timestamptz NOT NULL DEFAULT now(),
    operator text NOT NULL,
    device_id bigint REFERENCES device (id),
    external_userid text NOT NULL,
    userid text NOT NULL,
    tag_name text NOT NULL,
    verdict text NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    msg_keys text[] NOT NULL
);
CREATE INDEX autotag_review_customer ON autotag_review (external_userid, tag_name);
"""

VERDICTS = ("accepted", "rejected")
MAX_REVIEWS = 5_000
MAX_KEYS = 20
MAX_TEXT = 200
DEFAULT_PAGE = 2_000
MAX_PAGE = 5_000
BAD_REVIEWS = 47001


class ReviewRefused(RequestRefused):
    def __init__(self, errmsg: str) -> None:
        super().__init__(BAD_REVIEWS, errmsg)


def _text(record: dict[str, Any], key: str, index: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise ReviewRefused(f"review {index}: {key} must be a text of 1 to {MAX_TEXT}"
                            " characters")
    return value.strip()


def _checked(record: object, index: int) -> tuple[str, str, str, tuple[str, str], str,
                                                  list[str]]:
    if not isinstance(record, dict):
        raise ReviewRefused(f"review {index} must be an object")
    verdict = record.get("verdict")
    if verdict not in VERDICTS:
        raise ReviewRefused(f"review {index}: verdict must be accepted or rejected")
    keys = record.get("msg_keys")
    if (not isinstance(keys, list) or len(keys) > MAX_KEYS
            or not all(isinstance(k, str) and 0 < len(k) <= MAX_TEXT for k in keys)):
        raise ReviewRefused(f"review {index}: msg_keys must be a list of at most {MAX_KEYS}"
                            " message keys")
    ids = tuple(_text(record, key, index) if record.get(key) is not None else ""
                for key in ("tag_id", "group_id"))
    return (_text(record, "external_userid", index), _text(record, "userid", index),
            _text(record, "tag", index), (ids[0], ids[1]), str(verdict), [str(k) for k in keys])


def record(conn: Conn, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """Check every review, then store them all under the caller (the caller's transaction);
    one bad review stores none."""
    reviews = body.get("reviews")
    if not isinstance(reviews, list) or not reviews:
        raise ReviewRefused("reviews must be a non-empty list")
    if len(reviews) > MAX_REVIEWS:
        raise ReviewRefused(f"at most {MAX_REVIEWS} reviews per request")
    rows = [_checked(r, index) for index, r in enumerate(reviews)]
    wanted = {(tag, ids) for _, _, tag, ids, _, _ in rows if ids[0]}
    if wanted:
        review_names.lock_renames(conn)
    named = {(tag, ids): review_names.current_ref(conn, tag, *ids) for tag, ids in wanted}
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO autotag_review (operator, device_id, external_userid, userid,"
            " tag_name, verdict, msg_keys) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(caller.userid, caller.device_id, customer, userid,
              named.get((tag, ids), tag), verdict, keys)
             for customer, userid, tag, ids, verdict, keys in rows])
    return {"stored": len(rows)}


def page(conn: Conn, after_id: int, limit: int, owner: str | None = None) -> dict[str, Any]:
    """Verdicts with an id above `after_id`, oldest first; on `owner`'s relations only when
    given (a salesperson, as the team journal's rows)."""
    where, params = ("userid = %s", [owner]) if owner is not None else ("TRUE", [])
    return paging.after_id(conn, "autotag_review", {
        "ts": "extract(epoch FROM ts)::float8", "operator": "operator",
        "external_userid": "external_userid", "userid": "userid", "tag": "tag_name",
        "verdict": "verdict", "msg_keys": "msg_keys"}, "reviews", after_id, limit, MAX_PAGE,
        where, params)
