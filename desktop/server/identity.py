"""Who is at a desktop: one-time login codes, device tokens and short-lived sessions.

A desktop asks for a code for a WeCom userid; the server sends six digits to that member
through `message/send` and keeps only a hash. The right code, within 5 minutes, once,
buys a device token (shown once, kept only in the desktop's keyring; the server keeps its
hash). The desktop then uses the device token as its "secret": `gettoken` exchanges it for
a session token that every relayed call carries, exactly as WeCom's access token. A revoked
device's sessions are refused on the next call.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

from desktop.server.request_refused import RequestRefused
from desktop.wecom.error_codes import (
    TEAM_CODE_EXPIRED,
    TEAM_CODE_WRONG,
    TEAM_NOT_LOGGED_IN,
    TEAM_TOKEN_REVOKED,
    TEAM_TOO_MANY_ATTEMPTS,
)

CODE_TTL_S = 300
CODE_DIGITS = 6
MAX_WRONG_ATTEMPTS = 5            # per code; then the code is spent
MAX_CODES_PER_WINDOW = 5          # per userid within the window
CODE_WINDOW_S = 15 * 60
SESSION_TTL_S = 7200
DEVICE_TOKEN_PREFIX = "tdd_"


class IdentityRefused(RequestRefused):
    """A login or token refused with a TagDesk or WeCom errcode (see error_codes.py)."""


@dataclass(frozen=True)
class Caller:
    """The authenticated user behind one relayed call."""

    userid: str
    device_id: int


@dataclass(frozen=True)
class Device:
    id: int
    userid: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None

    def as_json(self) -> dict[str, object]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value is not None else None

        return {"id": self.id, "userid": self.userid, "name": self.name,
                "created_at": iso(self.created_at), "last_seen_at": iso(self.last_seen_at),
                "revoked_at": iso(self.revoked_at)}


Conn = Connection[tuple[object, ...]]


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_message(code: str) -> str:
    """The text sent to the member: the code is its only run of six digits (it appears once)."""
    return (f"TagDesk 登录验证码 / login code: {code}\n"
            "五分钟内有效，仅可使用一次；如非本人操作请忽略。"
            " / Valid for five minutes, single use; ignore it if you did not try to log in.")


def create_code(conn: Conn, userid: str, code: str) -> str:
    """Store a new code for `userid` (refused when too many were asked for); its login id."""
    row = conn.execute(
        "SELECT count(*) FROM login_code WHERE userid = %s"
        " AND created_at > now() - make_interval(secs => %s)",
        (userid, CODE_WINDOW_S),
    ).fetchone()
    if row is not None and int(str(row[0])) >= MAX_CODES_PER_WINDOW:
        raise IdentityRefused(TEAM_TOO_MANY_ATTEMPTS, "too many login codes requested")
    login_id = secrets.token_urlsafe(18)
    conn.execute(
        "INSERT INTO login_code (id, userid, code_hash, expires_at)"
        " VALUES (%s, %s, %s, now() + make_interval(secs => %s))",
        (login_id, userid, digest(f"{login_id}:{code}"), CODE_TTL_S),
    )
    return login_id


def redeem_code(conn: Conn, login_id: str, code: str, device_name: str) -> tuple[Device, str]:
    """Check `code` for `login_id` and, when right, register a device; (device, token).

    A wrong code counts an attempt before it raises: the caller commits even then.
    """
    row = conn.execute(
        "SELECT userid, code_hash, expires_at > now(), attempts, used_at IS NOT NULL"
        " FROM login_code WHERE id = %s FOR UPDATE",
        (login_id,),
    ).fetchone()
    if row is None:
        raise IdentityRefused(TEAM_CODE_EXPIRED, "unknown login")
    userid, code_hash, fresh, attempts, used = row
    if used or not fresh:
        raise IdentityRefused(TEAM_CODE_EXPIRED, "login code expired or used")
    if int(str(attempts)) >= MAX_WRONG_ATTEMPTS:
        raise IdentityRefused(TEAM_TOO_MANY_ATTEMPTS, "too many wrong codes")
    if not secrets.compare_digest(str(code_hash), digest(f"{login_id}:{code.strip()}")):
        conn.execute("UPDATE login_code SET attempts = attempts + 1 WHERE id = %s", (login_id,))
        raise IdentityRefused(TEAM_CODE_WRONG, "wrong login code")
    conn.execute("UPDATE login_code SET used_at = now() WHERE id = %s", (login_id,))
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device_row = conn.execute(
        "INSERT INTO device (userid, name, token_hash) VALUES (%s, %s, %s)"
        " RETURNING id, userid, name, created_at, last_seen_at, revoked_at",
        (userid, device_name[:200], digest(token)),
    ).fetchone()
    assert device_row is not None
    return _device(device_row), token


def open_session(conn: Conn, device_token: str) -> tuple[str, int]:
    """Exchange a device token for a session token; (token, expires_in seconds)."""
    row = conn.execute(
        "SELECT id, revoked_at IS NOT NULL FROM device WHERE token_hash = %s",
        (digest(device_token),),
    ).fetchone()
    if row is None:
        raise IdentityRefused(TEAM_NOT_LOGGED_IN, "unknown device token")
    device_id, revoked = row
    if revoked:
        raise IdentityRefused(TEAM_TOKEN_REVOKED, "device token revoked")
    session = secrets.token_urlsafe(32)
    conn.execute("DELETE FROM device_session WHERE device_id = %s AND expires_at < now()",
                 (device_id,))
    conn.execute(
        "INSERT INTO device_session (token_hash, device_id, expires_at)"
        " VALUES (%s, %s, now() + make_interval(secs => %s))",
        (digest(session), device_id, SESSION_TTL_S),
    )
    conn.execute("UPDATE device SET last_seen_at = now() WHERE id = %s", (device_id,))
    return session, SESSION_TTL_S


def authenticate(conn: Conn, session_token: str) -> Caller:
    """The user behind a session token, or WeCom's token errcodes / TagDesk's revoked one."""
    if not session_token:
        raise IdentityRefused(41001, "access_token missing")
    row = conn.execute(
        "SELECT d.id, d.userid, d.revoked_at IS NOT NULL, s.expires_at > now()"
        " FROM device_session s JOIN device d ON d.id = s.device_id WHERE s.token_hash = %s",
        (digest(session_token),),
    ).fetchone()
    if row is None:
        raise IdentityRefused(40014, "invalid access_token")
    device_id, userid, revoked, fresh = row
    if revoked:
        raise IdentityRefused(TEAM_TOKEN_REVOKED, "device token revoked")
    if not fresh:
        raise IdentityRefused(42001, "access_token expired")
    return Caller(str(userid), int(str(device_id)))


def list_devices(conn: Conn) -> list[Device]:
    return [
        _device(row) for row in conn.execute(
            "SELECT id, userid, name, created_at, last_seen_at, revoked_at FROM device ORDER BY id"
        )
    ]


def revoke_device(conn: Conn, device_id: int) -> Device | None:
    """Revoke a device (its sessions end at once); None when there is no such device."""
    row = conn.execute(
        "UPDATE device SET revoked_at = coalesce(revoked_at, now()) WHERE id = %s"
        " RETURNING id, userid, name, created_at, last_seen_at, revoked_at",
        (device_id,),
    ).fetchone()
    return _device(row) if row is not None else None


def _device(row: tuple[object, ...]) -> Device:
    device_id, userid, name, created_at, last_seen_at, revoked_at = row
    assert isinstance(created_at, datetime)
    return Device(
        int(str(device_id)), str(userid), str(name), created_at,
        last_seen_at if isinstance(last_seen_at, datetime) else None,
        revoked_at if isinstance(revoked_at, datetime) else None,
    )
