"""A team profile's tag expiries live on its team server, which removes each tag once when it
runs out (even with every desktop closed). The desktop copies them into its cache after a
sync and whenever its expiring-tags window reads them, for that window, the tag tree's ⏳
counts and the detail pane."""

from __future__ import annotations

from desktop.services.team import team_call
from desktop.services.workspace import Workspace
from desktop.store import tag_expiry
from desktop.store.tag_expiry import Expiry

PATH = "tagdesk/v1/expiries"


def fetch(ws: Workspace) -> int:
    """Copy every expiry the team server keeps into the cache (replacing the last copy);
    how many."""
    with ws.client() as client:
        token = client.get_token()
    found: list[Expiry] = []
    after = ""
    while True:
        answer = team_call("GET", ws.profile.team_url, PATH, None,
                           {"access_token": token, "after": after})
        for row in answer.get("expiries") or []:
            batch = str(row["batch_id"])
            found.append(Expiry(str(row["external_userid"]), str(row["userid"]),
                                str(row["tag_id"]), float(row["due_at"]),
                                f"rule:{batch}" if row.get("rule") else f"batch:{batch}"))
        after = str(answer.get("next_after") or "")
        if not after:
            return tag_expiry.replace_team(ws.cache, found)


def fetch_if_team(ws: Workspace) -> int:
    return fetch(ws) if ws.profile.is_team else 0
