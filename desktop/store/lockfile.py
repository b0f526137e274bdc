"""An OS-level exclusive lock beside the cache, so two TagDesk writers never share a cache.

The lock is `filelock`'s (flock on POSIX, msvcrt on Windows): it dies with the process, so
a killed TagDesk never leaves a stale lock behind, and a lock held elsewhere is reported the
same way on every platform. The holder writes "pid N" into a small file beside it, for the
"in use" sentence.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import filelock

from desktop.store.errors import CacheLockedError


class CacheLock:
    def __init__(self, cache_path: Path) -> None:
        self.path = cache_path.with_name(cache_path.name + ".lock")
        self.holder_path = cache_path.with_name(cache_path.name + ".holder")
        self._cache_path = cache_path
        self._lock = filelock.FileLock(self.path, timeout=0, thread_local=False)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise CacheLockedError(self._cache_path, self.holder()) from None
        self.holder_path.write_text(f"pid {os.getpid()}", encoding="utf-8")

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self.holder_path.unlink()
            self._lock.release()

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it ("" when unknown)."""
        try:
            return self.holder_path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
