"""A team profile's tag expiries live on its team server, which removes each tag once when it
runs out (even with every desktop closed). The desktop copies them into its cache after a
sync and whenever its expiring-tags window reads them, for that window, the tag tree's ⏳
counts and the detail pane. An expiry set on tags relations already carry (`tagdesk expiry
set`, the window's Change expiry…) is sent to the server, then the copy is fetched again."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.services.team import NotLoggedInError, TeamServerError, team_call
from desktop.services.workspace import Workspace
from desktop.store import tag_expiry
from desktop.store.tag_expiry import Expiry
from desktop.wecom.errors import WeComNetworkError

PATH = "tagdesk/v1/expiries"
SET_CHUNK = 5_000


def set_on(ws: Workspace, carried: Sequence[tuple[str, str, str]], seconds: int) -> int:
    """These (userid, external_userid, tag_id) expire `seconds` from now on the team server
    (where it knows the relation carries the tag); how many it recorded. The copy is then
    fetched again."""
    token = _token(ws)
    recorded = 0
    for start in range(0, len(carried), SET_CHUNK):
        answer = team_call("POST", ws.profile.team_url, PATH, {"set": [
            {"userid": u, "external_userid": e, "tag_id": t, "expires_in_s": seconds}
            for u, e, t in carried[start:start + SET_CHUNK]]}, {"access_token": token})
        recorded += int(answer.get("recorded", 0))
    fetch(ws)
    return recorded


def fetch(ws: Workspace) -> int:
    """Copy every expiry the team server keeps into the cache (replacing the last copy);
    how many."""
    token = _token(ws)
    found: list[Expiry] = []
    after = ""
    while True:
        answer = team_call("GET", ws.profile.team_url, PATH, None,
                           {"access_token": token, "after": after})
        for row in answer.get("expiries") or []:
            found.append(Expiry(str(row["external_userid"]), str(row["userid"]),
                                str(row["tag_id"]), float(row["due_at"]), _origin(row)))
        after = str(answer.get("next_after") or "")
        if not after:
            return tag_expiry.replace_team(ws.cache, found)


def unreachable(exc: Exception) -> bool:
    """The team server gave no answer (down, or no network), as opposed to a refusal."""
    if isinstance(exc, WeComNetworkError):
        return True
    return isinstance(exc, TeamServerError) and not isinstance(exc, NotLoggedInError) \
        and exc.errcode is None


def fetch_if_team(ws: Workspace) -> int:
    return fetch(ws) if ws.profile.is_team else 0


def _origin(row: dict[str, object]) -> str:
    """As a local expiry says where it came from: `rule:BATCH`, `batch:BATCH`, `set:USERID`."""
    batch = str(row["batch_id"])
    if row.get("rule"):
        return f"rule:{batch}"
    return batch if batch.startswith("set:") else f"batch:{batch}"


def _token(ws: Workspace) -> str:
    with ws.client() as client:
        return client.get_token()
