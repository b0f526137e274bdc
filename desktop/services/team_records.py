"""Records a team shares through its server: pushed in chunks with the user's login, fetched
back page by page after the last server id this cache has seen.

Chats (`team_chats.py`), behaviour events (`team_events.py`) and auto-tagging verdicts
(`team_autotag.py`) travel this way; each says
its endpoint, the key its records sit under, and how a fetched page is stored in the cache.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.services.progress import Progress, ProgressCallback
from desktop.services.team import team_call
from desktop.services.workspace import Workspace

PUSH_CHUNK = 1_000


@dataclass(frozen=True)
class SharedRecords:
    path: str                 # the server's endpoint, e.g. tagdesk/v1/chats
    key: str                  # the records' key in a request and an answer
    phase: str                # progress phase
    fetched_up_to_key: str    # meta key: the highest server id fetched into this cache
    noun_zh: str              # 条消息 / 个事件
    noun_en: str              # messages / events
    store: Callable[[sqlite3.Connection, Sequence[Mapping[str, Any]]], int]

    def push(self, ws: Workspace, records: Sequence[Mapping[str, object]],
             progress: ProgressCallback) -> int:
        """Store the records on the team server, then fetch them (and anything others
        pushed) into the cache; returns how many the server had not stored before."""
        stored = 0
        token = _token(ws)
        for start in range(0, len(records), PUSH_CHUNK):
            chunk = list(records[start:start + PUSH_CHUNK])
            answer = team_call("POST", ws.profile.team_url, self.path, {self.key: chunk},
                               {"access_token": token})
            stored += int(answer.get("stored", 0))
            done = start + len(chunk)
            progress(Progress(self.phase, done, len(records),
                              f"已发送到团队服务器 {done:,}/{len(records):,}"
                              " / sent to the team server"))
        self.fetch(ws, progress)
        return stored

    def fetch(self, ws: Workspace, progress: ProgressCallback) -> int:
        """Copy the server's records this cache has not seen into it; returns how many. When
        the server withholds them (a salesperson's, until it knows whose customers are whose)
        its sentence is the progress message and the next fetch asks again."""
        after_id = int(ws.cache.get_meta(self.fetched_up_to_key, "0") or 0)
        token = _token(ws)
        fetched = 0
        while True:
            answer = team_call("GET", ws.profile.team_url, self.path, None,
                               {"access_token": token, "after_id": after_id})
            page = answer.get(self.key) or []
            if page:
                after_id = int(page[-1]["id"])
                with ws.cache.write() as conn:
                    fetched += self.store(conn, page)
                    ws.cache.set_meta(conn, self.fetched_up_to_key, str(after_id))
                progress(Progress(self.phase, fetched, 0,
                                  f"已从团队服务器取得 {fetched:,} {self.noun_zh}"
                                  f" / {fetched:,} {self.noun_en} from the team server"))
            withheld = answer.get("withheld")
            if isinstance(withheld, str):      # a salesperson's, before the server knows whose
                progress(Progress(self.phase, fetched, 0, withheld))
            if not isinstance(answer.get("next_after_id"), int):
                return fetched


def _token(ws: Workspace) -> str:
    with ws.client() as client:
        return client.get_token()
