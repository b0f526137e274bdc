"""Access tokens: issued by gettoken, checked on every business call, kept in SQLite.

While a token is valid gettoken hands out the same one (with its remaining lifetime), as
WeCom does. Forced expiry makes every issued token answer 42001; invalidation forgets them,
so they answer 40014 like any unknown token.
"""

from __future__ import annotations

import secrets
import sqlite3

from desktop.sandbox.errors import ApiError

TOKEN_BYTES = 96


def issue_token(conn: sqlite3.Connection, now: float, ttl: int) -> tuple[str, int]:
    """(token, expires_in) for a successful gettoken."""
    row = conn.execute(
        "SELECT token, expires_at FROM access_token WHERE expires_at > ?"
        " ORDER BY expires_at DESC LIMIT 1",
        (now + 1,),
    ).fetchone()
    if row is not None:
        return row[0], int(row[1] - now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    conn.execute("INSERT INTO access_token (token, expires_at) VALUES (?, ?)", (token, now + ttl))
    return token, ttl


def check_token(conn: sqlite3.Connection, token: str, now: float) -> None:
    if not token:
        raise ApiError(41001)
    row = conn.execute("SELECT expires_at FROM access_token WHERE token = ?", (token,)).fetchone()
    if row is None:
        raise ApiError(40014)
    if row[0] <= now:
        raise ApiError(42001)


def expire_all(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE access_token SET expires_at = 0")


def invalidate_all(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM access_token")
