"""Opaque paging cursors: base64url of a small JSON array, tagged with what they page.

Clients must treat cursors as opaque; the tag makes a cursor from one API useless on another.
"""

from __future__ import annotations

import base64
import binascii
import json

from desktop.sandbox.errors import ApiError

CursorPart = str | int


def encode_cursor(kind: str, *parts: CursorPart) -> str:
    raw = json.dumps([kind, *parts], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str) -> list[CursorPart]:
    """The parts given to `encode_cursor`; 40058 for anything this API did not hand out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ApiError(40058, "invalid cursor") from exc
    if not isinstance(value, list) or not value or value[0] != kind:
        raise ApiError(40058, "invalid cursor")
    parts = value[1:]
    if not all(isinstance(part, str | int) for part in parts):
        raise ApiError(40058, "invalid cursor")
    return parts
