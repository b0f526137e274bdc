"""A copy of the journal's head (`id:hash` of its newest row) outside the database.

The file sits beside the cache (`cache.sqlite.head`), readable by its owner only, and
is rewritten after every commit that moved the head. Someone who rewrites the journal
inside the SQLite file (recomputing the chain and `meta`) must also find and rewrite this
file; `journal.verify` compares the two.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SUFFIX = ".head"


def path_for(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + SUFFIX)


def read(cache_path: Path) -> str | None:
    """The recorded head, or None when there is no head file."""
    try:
        return path_for(cache_path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""


def set_aside(cache_path: Path) -> None:
    """Rename the head file of a cache that is gone (`cache.sqlite.head.old`)."""
    source = path_for(cache_path)
    source.replace(source.with_name(source.name + ".old"))


def write(cache_path: Path, head: str) -> None:
    """Replace the head file atomically with `head` unless it already records a later row
    (another process on the same cache got there first)."""
    current = read(cache_path) or ""
    current_id = current.partition(":")[0]
    if current_id.isdigit() and int(current_id) > int(head.partition(":")[0]):
        return
    target = path_for(cache_path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(head + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
