"""What a desktop tells its TagDesk team server about a write, besides the call itself.

A team server journals every write it relays under the user its session token belongs to;
these headers only say which batch and source the call belongs to, the relation's tags as
the desktop's cache knew them before the call (so the server can journal before / after
and only what really changed), for a revert, which batch it reverts and, for a `mark_tag`
adding tags that expire, in how many seconds each runs out (the server then removes it when
due). They are sent to a team server only, never to WeCom.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

BATCH_HEADER = "X-TagDesk-Batch"
SOURCE_HEADER = "X-TagDesk-Source"
BEFORE_HEADER = "X-TagDesk-Before"
REVERTS_HEADER = "X-TagDesk-Reverts"
EXPIRES_HEADER = "X-TagDesk-Expires"


@dataclass(frozen=True)
class WriteNote:
    batch_id: str = ""
    source: str = ""
    before: tuple[str, ...] | None = None   # None: the desktop does not know the relation
    reverts: str = ""                        # the batch this write reverts
    reason: str = ""                         # why (a tree edit's reason; never a header)
    renamed: tuple[str, ...] = ()  # a rename: ("tag" or "group", the old name, the
    #                                     tag's group), kept by the server (never a header)
    call_key: str = ""  # the same on every attempt of one queued call, even after a restart:
    #                     a team server sends a call key to WeCom at most once
    expiring: tuple[tuple[str, int], ...] = ()  # (tag id, seconds left) of added tags

    def headers(self) -> dict[str, str]:
        """The note as HTTP headers (ASCII: JSON escapes anything else)."""
        found = {BATCH_HEADER: self.batch_id, SOURCE_HEADER: self.source,
                 REVERTS_HEADER: self.reverts}
        headers = {name: value for name, value in found.items() if value}
        if self.before is not None:
            headers[BEFORE_HEADER] = json.dumps(sorted(self.before))
        if self.expiring:
            headers[EXPIRES_HEADER] = json.dumps(dict(sorted(self.expiring)))
        return headers
