"""A team login in two steps, for a script with no terminal: `tagdesk login --send-code` has the
server send the code and keeps its login id here, `tagdesk login --code CODE` finishes it.

The id is kept in the profile's folder (`profiles/NAME/login.json`, readable by the user only)
with the user it was asked for; it logs nobody in without the code WeCom delivered to that
user, and it is removed once the login succeeds.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.services.home import private_file
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.team import LoginChallenge

FILE_NAME = "login.json"


def keep(home: Path, profile: Profile, challenge: LoginChallenge) -> None:
    """Keep the login the server started for the profile's user (a second one replaces it)."""
    path = _path(home, profile)
    tmp = private_file(path.with_suffix(".tmp"))
    tmp.write_text(json.dumps({"login_id": challenge.login_id, "userid": profile.userid,
                               "expires_in": challenge.expires_in}), encoding="utf-8")
    tmp.replace(path)


def pending(home: Path, profile: Profile) -> LoginChallenge | None:
    """The login started for the profile's current user and not finished yet, if any."""
    try:
        data = json.loads(_path(home, profile).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("userid") != profile.userid:
        return None
    return LoginChallenge(str(data.get("login_id", "")), int(data.get("expires_in", 0)))


def forget(home: Path, profile: Profile) -> None:
    _path(home, profile).unlink(missing_ok=True)


def _path(home: Path, profile: Profile) -> Path:
    return ProfileStore(home).profile_dir(profile.name) / FILE_NAME
