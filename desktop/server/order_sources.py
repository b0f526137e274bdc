"""Where the team server reads orders for its scheduled reconciliation.

A source is a CSV / JSON file path or an http(s) URL answering JSON (read like `tagdesk
reconcile --orders`, `services/orders.py`), or `postgresql:` followed by a SQL query run on
a PostgreSQL database (the team database unless another DSN is given) in a read-only
transaction with a statement timeout. The query's columns are found by the same names as a
CSV's: `external_userid` (required), `status` or a boolean `paid`, and optionally
`order_id`, `amount`, `paid_at`; rows are numbered from 1 in the order the query returns them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg

from desktop.domain.echo import echo
from desktop.server.database import CONNECT_TIMEOUT_S, describe_target
from desktop.services.orders import COLUMNS, OrderFeed, OrdersError, read_order_items, read_orders

SQL_PREFIX = "postgresql:"
STATEMENT_TIMEOUT_S = 60
FETCH_ROWS = 5000


def is_query(source: str) -> bool:
    return source.startswith(SQL_PREFIX) and not source.startswith(SQL_PREFIX + "//")


def shown(source: str) -> str:
    """The source as status answers and journal reasons show it to every logged-in user: a
    URL without its user, password and query string (where API keys tend to be)."""
    if "://" in source and not is_query(source):
        parts = urlsplit(source)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        source = f"{parts.scheme}://{host}{port}{parts.path}{'?…' if parts.query else ''}"
    return echo(source, 200)


def check(source: str, dsn: str) -> None:
    """Refuse, with one sentence, a source that cannot work: an empty query or one that does
    not run or has no customer column, a URL that is not http(s), a file that cannot be read
    or has no customer column. (Bad rows in a file are not refused: each run reports them.)"""
    if is_query(source):
        columns = _query_columns(_query(source), dsn)
        if not columns & set(COLUMNS["external_userid"]):
            raise OrdersError(
                f"订单查询的结果里没有客户列（external_userid 或 客户ID），它的列是："
                f"{'、'.join(sorted(columns)) or '无'}。",
                "The orders query returns no customer column (external_userid or 客户ID);"
                f" its columns are: {', '.join(sorted(columns)) or 'none'}.")
    elif "://" in source:
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise OrdersError(f"订单地址 {echo(source)} 须是 http(s):// 地址。",
                              f"The orders address {echo(source)} must be an http(s):// URL.")
    else:
        read_orders(source)


def read(source: str, dsn: str) -> OrderFeed:
    """The orders now; OrdersError when the source cannot be read at all (naming a URL as
    `shown` does)."""
    if is_query(source):
        return read_order_items(shown(source), _rows(_query(source), dsn))
    try:
        return read_orders(source)
    except OrdersError as exc:
        said, safe = echo(source), shown(source)
        raise OrdersError(exc.message_zh.replace(said, safe),
                          exc.message_en.replace(said, safe)) from None


def _query(source: str) -> str:
    query = source[len(SQL_PREFIX):].strip().rstrip(";").strip()
    if not query:
        raise OrdersError("postgresql: 后面要跟一条 SQL 查询。",
                          "postgresql: must be followed by a SQL query.")
    return query


def _query_columns(query: str, dsn: str) -> set[str]:
    with _connection(dsn) as conn, _failing(dsn):
        cur = conn.execute(f"SELECT * FROM ({query}) AS orders LIMIT 0".encode())
        return {column.name.strip().lower() for column in cur.description or ()}


def _rows(query: str, dsn: str) -> Iterator[dict[str, object]]:
    with _connection(dsn) as conn, _failing(dsn), conn.cursor(name="tagdesk_orders") as cur:
        cur.itersize = FETCH_ROWS
        cur.execute(f"SELECT * FROM ({query}) AS orders".encode())
        names = [column.name for column in cur.description or ()]
        for row in cur:
            yield {name: _text(value) for name, value in zip(names, row, strict=True)}


@contextmanager
def _failing(dsn: str) -> Iterator[None]:
    """Database failures of the orders query as one OrdersError sentence."""
    target = describe_target(dsn)
    try:
        yield
    except psycopg.errors.QueryCanceled:
        raise OrdersError(f"订单查询超过 {STATEMENT_TIMEOUT_S} 秒没有完成（{target}）。",
                          f"The orders query did not finish within {STATEMENT_TIMEOUT_S} s"
                          f" ({target}).") from None
    except psycopg.OperationalError:
        raise OrdersError(f"连不上订单数据库 {target}。",
                          f"Cannot reach the orders database {target}.") from None
    except psycopg.Error as exc:
        reason = echo(exc.diag.message_primary or type(exc).__name__)
        raise OrdersError(f"订单查询失败（{target}）：{reason}",
                          f"The orders query failed ({target}): {reason}") from None


def _connection(dsn: str) -> psycopg.Connection[tuple[Any, ...]]:
    try:
        conn = psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error:
        raise OrdersError(f"连不上订单数据库 {describe_target(dsn)}。",
                          f"Cannot reach the orders database {describe_target(dsn)}.") from None
    conn.read_only = True
    conn.execute("SELECT set_config('statement_timeout', %s, true)",
                 (f"{STATEMENT_TIMEOUT_S}s",))
    return conn


def _text(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
