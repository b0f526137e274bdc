"""Where TagDesk keeps its data: `--home`, `TAGDESK_HOME`, or the platform's folders.

The data (names, remarks and phone numbers in the cache, the journal, the logs) is for the
user alone: on POSIX TagDesk's folders are 0700 and its files 0600, whatever the umask.
Folders that already exist are tightened when TagDesk opens them. Windows' per-user
folders already carry a user-only ACL.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from desktop import APP_NAME

HOME_ENV = "TAGDESK_HOME"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
PRIVATE_UMASK = 0o077
POSIX = os.name == "posix"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit `--home`, else `$TAGDESK_HOME`, else the user data dir."""
    if explicit:
        home = Path(explicit)
    elif os.environ.get(HOME_ENV):
        home = Path(os.environ[HOME_ENV])
    else:
        return private_dir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))).resolve()
    # A folder the user named may be shared (`--home /tmp/x`): made private when TagDesk
    # creates it, else left as it is (what TagDesk puts inside is private either way).
    return private_dir(home, tighten=not home.exists()).resolve()


def log_dir(home: Path, explicit_home: bool) -> Path:
    """Logs go beside an explicit home (isolated runs), else to the platform's log folder."""
    if explicit_home:
        path = home / "logs"
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    return private_dir(path)


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """`path` created if missing and readable by the user alone (0700 on POSIX); an
    existing folder is tightened too unless `tighten` is false."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if tighten and POSIX and stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR_MODE:
        with contextlib.suppress(PermissionError):   # a folder someone else owns stays as is
            path.chmod(PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` created empty if missing, and readable by the user alone (0600 on POSIX).

    Only a regular file is tightened: a log pointed at a device or a pipe is left alone."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    try:
        if POSIX:
            mode = os.fstat(fd).st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) != PRIVATE_FILE_MODE:
                with contextlib.suppress(PermissionError):
                    os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return path


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Every file and folder made meanwhile, by TagDesk or a library (SQLite's -wal and -shm,
    Qt's settings, a rotated log), is the user's alone."""
    if not POSIX:
        yield
        return
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)
