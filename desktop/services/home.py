"""Where TagDesk keeps its data: `--home`, `TAGDESK_HOME`, or the platform's folders."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from desktop import APP_NAME

HOME_ENV = "TAGDESK_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit `--home`, else `$TAGDESK_HOME`, else the user data dir."""
    if explicit:
        home = Path(explicit)
    elif os.environ.get(HOME_ENV):
        home = Path(os.environ[HOME_ENV])
    else:
        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home.resolve()


def log_dir(home: Path, explicit_home: bool) -> Path:
    """Logs go beside an explicit home (isolated runs), else to the platform's log folder."""
    if explicit_home:
        path = home / "logs"
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
