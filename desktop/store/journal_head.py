"""A copy of the journal's head (`id:hash` of its newest row) outside the database.

The file sits beside the cache (`cache.sqlite.head`), readable by its owner only, and
is rewritten after every commit that moved the head. Someone who rewrites the journal
inside the SQLite file (recomputing the chain and `meta`) must also find and rewrite this
file; `journal.verify` compares the two.

Beside it, `cache.sqlite.verified` records the last row a verify found intact (`id:hash`),
so the next verify walks only the rows after it (`--full` walks the whole chain again).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

SUFFIX = ".head"
CHECKPOINT_SUFFIX = ".verified"


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


def checkpoint_path_for(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + CHECKPOINT_SUFFIX)


def read_checkpoint(cache_path: Path) -> str | None:
    """The last verified row (`id:hash`), or None when no verify has recorded one."""
    try:
        return checkpoint_path_for(cache_path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""


def write_checkpoint(cache_path: Path, verified: str) -> None:
    """Record `id:hash` of the last row a verify found intact (atomically, 0600)."""
    _replace(checkpoint_path_for(cache_path), verified)


def set_aside(cache_path: Path) -> None:
    """Rename the head file (and the verify checkpoint) of a cache that is gone
    (`cache.sqlite.head.old`, `cache.sqlite.verified.old`)."""
    source = path_for(cache_path)
    source.replace(source.with_name(source.name + ".old"))
    checkpoint = checkpoint_path_for(cache_path)
    if checkpoint.exists():
        checkpoint.replace(checkpoint.with_name(checkpoint.name + ".old"))


def write(cache_path: Path, head: str) -> None:
    """Replace the head file atomically with `head` unless it already records a later row
    (another process on the same cache got there first)."""
    current = read(cache_path) or ""
    current_id = current.partition(":")[0]
    if current_id.isdigit() and int(current_id) > int(head.partition(":")[0]):
        return
    _replace(path_for(cache_path), head)


def _replace(target: Path, text: str) -> None:
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
