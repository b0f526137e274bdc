"""Reading a desktop's note on a relayed write (`desktop.wecom.write_note`): its batch,
source, the relation's tags before the call, the batch a revert reverts and the seconds
left of the added tags that expire.

A note never names the operator: that is always the user of the session token. Whatever a
note says is checked here, and a note that is not well formed refuses the call (errcode
47001 with the header named) rather than journaling guesses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from desktop.wecom.write_note import (
    BATCH_HEADER,
    BEFORE_HEADER,
    EXPIRES_HEADER,
    REVERTS_HEADER,
    SOURCE_HEADER,
    WriteNote,
)

# What the desktop's own journal calls its writes (changes seen at sync are never relayed).
SOURCES = frozenset({"app", "batch", "import", "rule", "migration", "autotag", "undo", "redo",
                     "revert", "tree", "restore", "reconcile", "expiry", "livecode",
                     "pretag"})
MAX_ID_LENGTH = 64
MAX_BEFORE_TAGS = 10_000
MAX_EXPIRY_S = 10 * 366 * 86_400   # an expiry at most about ten years away


class BadNote(ValueError):
    """A header of the note that is not well formed; the message names it."""


def read_note(headers: Mapping[str, str]) -> WriteNote:
    source = headers.get(SOURCE_HEADER, "")
    if source and source not in SOURCES:
        raise BadNote(f"{SOURCE_HEADER} must be one of {', '.join(sorted(SOURCES))}")
    before_text = headers.get(BEFORE_HEADER)
    return WriteNote(
        batch_id=_identifier(headers, BATCH_HEADER), source=source,
        before=None if before_text is None else _tag_ids(before_text),
        reverts=_identifier(headers, REVERTS_HEADER),
        expiring=_expiring(headers.get(EXPIRES_HEADER)),
    )


def _identifier(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name, "")
    if len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise BadNote(f"{name} must be at most {MAX_ID_LENGTH} printable characters")
    return value


def _tag_ids(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if (not isinstance(value, list) or len(value) > MAX_BEFORE_TAGS
            or not all(isinstance(v, str) and 0 < len(v) <= MAX_ID_LENGTH for v in value)):
        raise BadNote(f"{BEFORE_HEADER} must be a JSON list of tag ids")
    return tuple(sorted(set(value)))


def _expiring(text: str | None) -> tuple[tuple[str, int], ...]:
    """{tag id: seconds left} → ((tag id, seconds), ...); nothing when there is no header."""
    if text is None:
        return ()
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if (not isinstance(value, dict) or len(value) > MAX_BEFORE_TAGS
            or not all(0 < len(tag) <= MAX_ID_LENGTH and type(seconds) is int
                       and 0 < seconds <= MAX_EXPIRY_S for tag, seconds in value.items())):
        raise BadNote(f"{EXPIRES_HEADER} must be a JSON object of tag id to seconds left"
                      f" (1 to {MAX_EXPIRY_S})")
    return tuple(sorted(value.items()))
