"""The app's secret, kept in the corp's `meta` table and read by every `gettoken`, so a reset
holds at once, also in a sandbox that another process serves, as a reset in WeCom's admin
console (应用管理 → the app → Secret → 重置) does."""

from __future__ import annotations

import secrets
import sqlite3

from desktop.sandbox import tokens
from desktop.sandbox.ids import URLSAFE

SECRET_LENGTH = 43      # as WeCom's


def current_secret(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()[0])


def reset_secret(conn: sqlite3.Connection) -> str:
    """A new random secret in place of the old one, which `gettoken` answers with 40001 from
    now on. The tokens issued are forgotten (40014), so a client holding one meets the reset
    at its next call instead of when its token expires."""
    secret = "".join(secrets.choice(URLSAFE) for _ in range(SECRET_LENGTH))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'secret'", (secret,))
    tokens.invalidate_all(conn)
    return secret
