"""Records a team shares through its server: pushed in chunks with the user's login, fetched
back page by page after the last server id this cache has seen.

Chats (`team_chats.py`), behaviour events (`team_events.py`) and auto-tagging verdicts
(`team_autotag.py`) travel this way; each says
its endpoint, the key its records sit under, and how a fetched page is stored in the cache.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.services.customer_scope import cache_scope
from desktop.services.progress import Progress, ProgressCallback
from desktop.services.team import team_call
from desktop.services.workspace import Workspace

PUSH_CHUNK = 1_000
WITHHELD = "withheld"       # the progress phase of the server's sentence on what it withholds
CUSTOMERS_PER_CALL = 100    # the team server's most `customer` values a page


@dataclass(frozen=True)
class SharedRecords:
    path: str                 # the server's endpoint, e.g. tagdesk/v1/chats
    key: str                  # the records' key in a request and an answer
    phase: str                # progress phase
    fetched_up_to_key: str    # meta key: the highest server id fetched into this cache
    noun_zh: str              # 条消息 / 个事件
    noun_en: str              # messages / events
    store: Callable[[sqlite3.Connection, Sequence[Mapping[str, Any]]], int]
    by_customer: bool = False  # a salesperson gets their own customers' only (events, chats)

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
        its sentence is the progress message (phase `WITHHELD`) and the next fetch asks again.

        A salesperson's server gives them only their own customers' records (`by_customer`),
        so a customer who became theirs since the last fetch may have older records below the
        cache's place: those customers' records are fetched first, from the start."""
        after_id = int(ws.cache.get_meta(self.fetched_up_to_key, "0") or 0)
        token = _token(ws)
        own = self._own_customers(ws)
        fetched = 0
        if after_id and own is not None:
            covered = set(json.loads(ws.cache.get_meta(self._covered_key, "[]")))
            new = sorted(own - covered)
            for start in range(0, len(new), CUSTOMERS_PER_CALL):
                fetched = self._pages(ws, token, 0, new[start:start + CUSTOMERS_PER_CALL],
                                      fetched, progress)
        fetched = self._pages(ws, token, after_id, [], fetched, progress)
        if own is not None:
            with ws.cache.write() as conn:
                ws.cache.set_meta(conn, self._covered_key, json.dumps(sorted(own)))
        return fetched

    def _pages(self, ws: Workspace, token: str, after_id: int, customers: list[str],
               fetched: int, progress: ProgressCallback) -> int:
        """Fetch after `after_id` to the end (of `customers` only when given: the cache's
        place is then left as it is); returns `fetched` plus how many were new."""
        while True:
            answer = team_call("GET", ws.profile.team_url, self.path, None,
                               {"access_token": token, "after_id": after_id,
                                **({"customer": customers} if customers else {})})
            page = answer.get(self.key) or []
            if page:
                after_id = int(page[-1]["id"])
                with ws.cache.write() as conn:
                    fetched += self.store(conn, page)
                    if not customers:
                        ws.cache.set_meta(conn, self.fetched_up_to_key, str(after_id))
                progress(Progress(self.phase, fetched, 0,
                                  f"已从团队服务器取得 {fetched:,} {self.noun_zh}"
                                  f" / {fetched:,} {self.noun_en} from the team server"))
            withheld = answer.get("withheld")
            if isinstance(withheld, str):      # a salesperson's, before the server knows whose
                progress(Progress(WITHHELD, fetched, 0, withheld))
            if not isinstance(answer.get("next_after_id"), int):
                return fetched

    @property
    def _covered_key(self) -> str:
        """Meta key: the customers the cache's place covers (a salesperson's cache only)."""
        return self.fetched_up_to_key + "_customers"

    def _own_customers(self, ws: Workspace) -> set[str] | None:
        """The customers of a salesperson's cache (records the server scopes by customer),
        None for a cache of the corp's."""
        if not self.by_customer or cache_scope(ws.cache, ws.profile.is_team,
                                               ws.profile.userid) != "mine":
            return None
        return {str(row[0]) for row in ws.cache.connection().execute(
            "SELECT DISTINCT external_userid FROM relation")}


class Withheld:
    """A progress callback keeping what the team server says it withholds from a fetch (a
    salesperson's records before its first re-sync: it cannot tell yet whose customers are
    whose), each sentence once."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def noted(self, event: Progress) -> None:
        if event.phase == WITHHELD and event.text not in self.sentences:
            self.sentences.append(event.text)


def _token(ws: Workspace) -> str:
    with ws.client() as client:
        return client.get_token()
