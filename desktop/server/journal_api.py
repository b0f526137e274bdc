"""The team journal's `/tagdesk/v1/journal[/ACTION]` endpoints for logged-in desktops.

Criteria come as query parameters or, for a POST, as a JSON object of the same names
(lists for the repeatable ones), so a long list of customers or ids never meets a URL
length limit. Actions: (none) a page of rows, `ids` every matching id newest first, `keys`
the values of a person or customer sort column with their rows (all, or those of `sort_key`
and of the code point range `key_from`..`key_to`), `rows` rows by id,
`batches` batch lines, `stats` the reports' counts, `verify` the hash chain. Sorted by
source, `source_order` gives the order of the sources (a desktop's labels). Every answer
says the server's clock (`server_time`, the clock its rows' `ts` are written by), so a
desktop can place a time of its own among them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from psycopg import Connection

from desktop.server import team_audit, team_journal
from desktop.server.team_audit import TeamJournalQuery

Conn = Connection[tuple[object, ...]]
ConnectionFactory = Callable[[], AbstractContextManager[Conn]]
Criteria = Mapping[str, list[str]]
MAX_UTC_OFFSET_S = 14 * 3600
MAX_SOURCE_ORDER = 100
ACTIONS = ("", "ids", "keys", "rows", "batches", "stats", "verify")


class JournalRefused(ValueError):
    """A request the journal cannot answer as asked (errcode 40058 with a sentence)."""


def criteria_of(query: Criteria, body: Mapping[str, Any] | None) -> dict[str, list[str]]:
    """Query parameters and a JSON body's fields as one mapping of lists of text."""
    merged = {key: list(values) for key, values in query.items()}
    for key, value in (body or {}).items():
        values = value if isinstance(value, list) else [value]
        merged.setdefault(key, []).extend(str(v) for v in values if v is not None)
    return merged


def answer(connection: ConnectionFactory, action: str, criteria: Criteria,
           owner: str | None = None) -> dict[str, Any]:
    """`owner`: only the rows on this member's relations (a salesperson's own), else all;
    the criteria's `owner` already says so for the actions that filter."""
    if action not in ACTIONS:
        raise JournalRefused(f"unknown journal action {action!r}")
    with connection() as conn, conn.transaction():
        found: dict[str, Any]
        if action == "verify":
            check = team_journal.verify(conn)
            found = {"ok": check.ok, "rows_checked": check.rows_checked,
                     "first_bad_id": check.first_bad_id}
        elif action == "rows":
            found = {"rows": [row for row in team_audit.rows_by_id(conn, _ints(criteria, "id"))
                              if owner is None or row["userid"] == owner]}
        elif action == "ids":
            found = _ids(conn, criteria)
        elif action == "keys":
            found = _keys(conn, criteria)
        elif action == "batches":
            found = {"batches": team_audit.batches(conn, query_of(criteria), _offset(criteria))}
        elif action == "stats":
            found = _stats(conn, criteria, owner)
        else:
            found = _page(conn, criteria)
    return {"errcode": 0, "errmsg": "ok", "server_time": time.time(), **found}


def query_of(criteria: Criteria) -> TeamJournalQuery:
    def texts(key: str) -> tuple[str, ...]:
        return tuple(criteria.get(key, ()))

    return TeamJournalQuery(
        since=_number(criteria, "since"), until=_number(criteria, "until"),
        operators=texts("operator"), actions=texts("action"), sources=texts("source"),
        batch_ids=texts("batch"), tags=texts("tag"), groups=texts("group"),
        customers=tuple(c for c in texts("customer") if c), owners=texts("owner"),
        reverts=texts("reverts"), include_observed=_one(criteria, "include_observed") == "1",
    )


def _ids(conn: Conn, criteria: Criteria) -> dict[str, Any]:
    """Every matching id, newest first; without criteria only the newest and the oldest
    (ids are appended without gaps and never deleted: the rest is the range between).
    `sort` (a `team_audit.SORT_TERMS` column) and `order` (`asc`, `desc`) order them by a
    column instead, ties newest first; sorted by a person or a customer, `keys` holds each
    row's userid or external_userid, for the desktop to order them by the names it knows;
    by source, `source_order` lists the sources in the order of a desktop's labels (the
    others after them by code)."""
    query = query_of(criteria)
    order_by = _sort(criteria)
    if order_by != "time":
        ids, keys = team_audit.sorted_ids(conn, query, order_by,
                                          _one(criteria, "order") == "desc",
                                          _source_order(criteria, order_by))
        found: dict[str, Any] = {"ids": ids, "sorted_by": order_by}
        if order_by in team_audit.NAMED_SORTS:
            found["keys"] = keys
        return found
    if query == TeamJournalQuery():
        newest, oldest = team_audit.id_bounds(conn)
        return {"newest_id": newest, "oldest_id": oldest}
    return {"ids": team_audit.matching_ids(conn, query)}


def _page(conn: Conn, criteria: Criteria) -> dict[str, Any]:
    """A page of rows by id (`after_id` / `before_id`); with `sort` (not time), the first
    page in the `ids` action's order, unnamed (people and customers by their ids)."""
    limit = _limit(criteria)
    newest_first = _one(criteria, "order") == "desc"
    order_by = _sort(criteria)
    if order_by != "time":
        return {"rows": team_audit.sorted_page(conn, query_of(criteria), order_by, newest_first,
                                               limit, tuple(criteria.get("sort_key", ())),
                                               _source_order(criteria, order_by)),
                "sorted_by": order_by, "next_after_id": None, "next_before_id": None}
    before = _number(criteria, "before_id")
    rows = team_audit.page(conn, query_of(criteria), int(_number(criteria, "after_id") or 0),
                           limit, newest_first=newest_first,
                           before_id=None if before is None else int(before))
    more = len(rows) == limit
    return {"rows": rows,
            "next_after_id": rows[-1]["id"] if more and not newest_first else None,
            "next_before_id": rows[-1]["id"] if more and newest_first else None}


def _keys(conn: Conn, criteria: Criteria) -> dict[str, Any]:
    order_by = _sort(criteria)
    if order_by not in team_audit.NAMED_SORTS:
        raise JournalRefused(f"keys need sort, one of {', '.join(team_audit.NAMED_SORTS)}")
    ranged = any(key in criteria for key in ("sort_key", "key_from", "key_to"))
    counts, range_full = team_audit.sort_key_counts(
        conn, query_of(criteria), order_by,
        tuple(criteria.get("sort_key", ())) if ranged else None,
        _bound(criteria, "key_from"), _bound(criteria, "key_to"), _limit(criteria))
    return {"sorted_by": order_by, "keys": counts, "range_full": range_full}


def _stats(conn: Conn, criteria: Criteria, owner: str | None) -> dict[str, Any]:
    since, until = _number(criteria, "since"), _number(criteria, "until")
    if since is None or until is None:
        raise JournalRefused("stats need since and until")
    top = int(_number(criteria, "top") or 15)
    owners = (owner,) if owner is not None else tuple(criteria.get("owner", ()))
    return {
        "per_day": [{"day": d, "source": s, "rows": n} for d, s, n in
                    team_audit.changes_per_day(conn, since, until, _offset(criteria), owners)],
        "per_operator": [{"operator": o, "rows": n} for o, n in
                         team_audit.changes_per_operator(conn, since, until, top, owners)],
    }


def _sort(criteria: Criteria) -> str:
    order_by = _one(criteria, "sort") or "time"
    if order_by != "time" and order_by not in team_audit.SORT_TERMS:
        raise JournalRefused(f"sort must be time or one of {', '.join(team_audit.SORT_TERMS)}")
    return order_by


def _source_order(criteria: Criteria, order_by: str) -> tuple[str, ...]:
    order = tuple(dict.fromkeys(criteria.get("source_order", ())))
    if len(order) > MAX_SOURCE_ORDER:
        raise JournalRefused(f"source_order lists at most {MAX_SOURCE_ORDER} sources")
    return order if order_by == "source" else ()


def _offset(criteria: Criteria) -> int:
    offset = int(_number(criteria, "utc_offset") or 0)
    if abs(offset) > MAX_UTC_OFFSET_S:
        raise JournalRefused("utc_offset must be within ±14 hours (in seconds)")
    return offset


def _limit(criteria: Criteria) -> int:
    return max(1, min(int(_number(criteria, "limit") or team_audit.DEFAULT_PAGE),
                      team_audit.MAX_PAGE))


def _bound(criteria: Criteria, key: str) -> str | None:
    values = criteria.get(key)
    return values[-1] if values else None


def _one(criteria: Criteria, key: str) -> str:
    values = criteria.get(key) or [""]
    return values[-1]


def _number(criteria: Criteria, key: str) -> float | None:
    text = _one(criteria, key)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise JournalRefused(f"{key} must be a number") from None
    if value != value or abs(value) > 2**62:
        raise JournalRefused(f"{key} is out of range")
    return value


def _ints(criteria: Criteria, key: str) -> list[int]:
    values = criteria.get(key, [])
    if len(values) > team_audit.MAX_PAGE or not all(v.isdigit() and len(v) < 19 for v in values):
        raise JournalRefused(f"{key} must be at most {team_audit.MAX_PAGE} row ids")
    return [int(v) for v in values]
