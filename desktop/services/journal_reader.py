"""Where a profile's audit journal is read: this computer's cache, or the team journal.

A solo profile's journal is the local one. A team profile's journal is the team server's:
the viewer, `audit list/export/revert` and the reports read it through the server, whose
filters run in PostgreSQL; names the server does not keep (customers, members) come from
this computer's cache. The local journal of a team profile is only the mirror of what this
desktop sent (and saw at sync), so it is never mixed into the team's.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from desktop.domain.errors import UserError
from desktop.domain.retag_plan import AppliedChange
from desktop.services import audit, team_name_order
from desktop.services.audit import DaySeries, OperatorCount
from desktop.services.workspace import Workspace
from desktop.store import chats, journal_query
from desktop.store.db import Cache
from desktop.store.in_chunks import rows_in
from desktop.store.journal_query import PAGE_SIZE, BatchSummary, JournalFilter, JournalRow

if TYPE_CHECKING:
    from desktop.services.team_push import JournalFollower, JournalNews

ROWS_PER_REQUEST = 1000
NOTHING = None   # criteria that can match no row (an empty department)


class JournalReader(Protocol):
    """The reads every audit view needs, whichever journal it is."""

    @property
    def remote(self) -> bool:
        """Rows come over the network: never read them on the GUI thread."""
        ...

    @property
    def team_url(self) -> str:
        """The team server whose journal this is ("" for this computer's)."""
        ...

    def first_page(self, flt: JournalFilter, limit: int = PAGE_SIZE) -> list[JournalRow]: ...

    def matching_ids(self, flt: JournalFilter) -> Sequence[int]: ...

    @property
    def sort_keys(self) -> tuple[str, ...]:
        """What `sorted_ids` can order by: "time" always."""
        ...

    def sorted_ids(self, flt: JournalFilter, order_by: str, descending: bool,
                   source_order: Sequence[str] = ()) -> Sequence[int]:
        """`source_order`: the sources in the order of the labels a viewer shows, by which
        "source" sorts (other sources after them, by code)."""
        ...

    def sorted_first_page(self, flt: JournalFilter, order_by: str, descending: bool,
                          limit: int = PAGE_SIZE, source_order: Sequence[str] = (),
                          ) -> list[JournalRow] | None:
        """The first rows in `sorted_ids`' order (not "time"), read without sorting every id;
        None when only the whole sort can tell them."""
        ...

    def load_rows(self, ids: Sequence[int]) -> list[JournalRow]: ...

    def iter_rows(self, flt: JournalFilter) -> Iterator[JournalRow]: ...

    def batch_summaries(self, flt: JournalFilter) -> list[BatchSummary]: ...

    def applied_changes(self, flt: JournalFilter) -> list[AppliedChange]: ...

    def changes_per_day(self, since: float, until: float,
                        owners: Sequence[str] | None = None) -> DaySeries: ...

    def changes_per_operator(self, since: float, until: float, top: int = 15,
                             owners: Sequence[str] | None = None) -> list[OperatorCount]: ...


class LocalJournal:
    """The journal in this computer's cache (a solo profile's one truth)."""

    remote = False
    team_url = ""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    def first_page(self, flt: JournalFilter, limit: int = PAGE_SIZE) -> list[JournalRow]:
        return journal_query.first_page(self._cache, flt, limit)

    def matching_ids(self, flt: JournalFilter) -> Sequence[int]:
        return journal_query.matching_ids(self._cache, flt)

    sort_keys = ("time", *journal_query.SORT_TERMS)

    def sorted_ids(self, flt: JournalFilter, order_by: str, descending: bool,
                   source_order: Sequence[str] = ()) -> Sequence[int]:
        return journal_query.sorted_ids(self._cache, flt, order_by, descending, source_order)

    def sorted_first_page(self, flt: JournalFilter, order_by: str, descending: bool,
                          limit: int = PAGE_SIZE, source_order: Sequence[str] = (),
                          ) -> list[JournalRow] | None:
        return journal_query.sorted_first_page(self._cache, flt, order_by, descending, limit,
                                               source_order)

    def load_rows(self, ids: Sequence[int]) -> list[JournalRow]:
        return journal_query.load_rows(self._cache, ids)

    def iter_rows(self, flt: JournalFilter) -> Iterator[JournalRow]:
        return journal_query.iter_rows(self._cache, flt)

    def batch_summaries(self, flt: JournalFilter) -> list[BatchSummary]:
        return journal_query.batch_summaries(self._cache, flt)

    def applied_changes(self, flt: JournalFilter) -> list[AppliedChange]:
        return journal_query.applied_changes(self._cache, flt)

    def changes_per_day(self, since: float, until: float,
                        owners: Sequence[str] | None = None) -> DaySeries:
        return audit.changes_per_day(self._cache, since, until, owners)

    def changes_per_operator(self, since: float, until: float, top: int = 15,
                             owners: Sequence[str] | None = None) -> list[OperatorCount]:
        return audit.changes_per_operator(self._cache, since, until, top=top, owners=owners)


class TeamJournal:
    """The team journal on the team server, read through `/tagdesk/v1/journal`."""

    remote = True

    def __init__(self, cache: Cache, team_url: str, session: Callable[[], str]) -> None:
        """`session()` returns a session token for the logged-in device."""
        self._cache = cache
        self.team_url = team_url
        self._session = session
        self._follower: JournalFollower | None = None
        self._follower_lock = threading.Lock()

    def first_page(self, flt: JournalFilter, limit: int = PAGE_SIZE) -> list[JournalRow]:
        from desktop.services import team  # its HTTP client loads only for a team profile

        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return []
        data = self._call("", {**criteria, "order": "desc", "limit": limit})
        return self._named([team.team_row(r) for r in data.get("rows") or []])

    def matching_ids(self, flt: JournalFilter) -> Sequence[int]:
        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return []
        found = self._call("ids", criteria)
        newest, oldest = found.get("newest_id"), found.get("oldest_id")
        if isinstance(newest, int) and isinstance(oldest, int):  # no criteria: every id
            return range(newest, oldest - 1, -1)
        return array("q", (int(i) for i in found.get("ids") or []))

    sort_keys = ("time", *journal_query.SORT_TERMS)

    def sorted_ids(self, flt: JournalFilter, order_by: str, descending: bool,
                   source_order: Sequence[str] = ()) -> Sequence[int]:
        """Sorted by the server; rows sorted by a person or a customer come with their ids,
        ordered here again by the names in this cache (pinyin, as this computer's journal
        sorts), ties kept newest first; by source, in `source_order` (a server older than
        that order sorts the sources by code)."""
        if order_by == "time":
            ids = self.matching_ids(flt)
            return ids if descending else ids[::-1]
        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return []
        found = self._call("ids", {**criteria, **_sort(order_by, descending, source_order)})
        if found.get("sorted_by") != order_by:
            raise UserError(
                "团队服务器版本较旧，团队日志只能按时间排序；请管理员升级服务器。",
                "The team server is older and sorts its journal by time only; ask the"
                " administrator to update it.")
        ids = [int(i) for i in found.get("ids") or []]
        keys = found.get("keys")
        if order_by not in _NAMED or not isinstance(keys, list) or len(keys) != len(ids):
            return array("q", ids)
        names = team_name_order.name_sort_keys(self._cache, _NAMED[order_by],
                                               {str(k) for k in keys})
        order = sorted(range(len(ids)), key=lambda i: names.get(str(keys[i])) or str(keys[i]),
                       reverse=descending)
        return array("q", (ids[i] for i in order))

    def sorted_first_page(self, flt: JournalFilter, order_by: str, descending: bool,
                          limit: int = PAGE_SIZE, source_order: Sequence[str] = (),
                          ) -> list[JournalRow] | None:
        """Sorted by the server; people and customers by their names here: the server counts
        the rows of each person or customer, and sends the rows of the first ones by name."""
        from desktop.services import team

        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return []
        sort = {**criteria, **_sort(order_by, descending, source_order)}
        if order_by in _NAMED and team_name_order.knows_names(self._cache, _NAMED[order_by]):
            raw = self._first_by_name(sort, order_by, descending, limit)
        else:
            data = self._call("", {**sort, "limit": limit})
            raw = data.get("rows") if data.get("sorted_by") == order_by else None
        if raw is None:
            return None   # an older server pages by time only
        return self._named([team.team_row(r) for r in raw])

    def _first_by_name(self, sort: dict[str, Any], order_by: str, descending: bool,
                       limit: int) -> list[dict[str, Any]] | None:
        """The first `limit` raw rows in `sorted_ids`' order by a person's or customer's name:
        every row of the first values by name (`team_name_order`), then the newest of the
        value the page ends in (read newest first either way: one value's rows have no
        other order, and backwards along the column's index they come in it)."""
        ranked = team_name_order.ranked_counts(self._call, self._cache, _NAMED[order_by], sort,
                                               descending, limit)
        if ranked is None:
            return None
        chosen: list[str] = []
        before_last = total = 0
        for _name, key, count in ranked:
            chosen.append(key)
            before_last, total = total, total + count
            if total >= limit:
                break
        rows: list[dict[str, Any]] = []
        for keys, wanted in ((chosen[:-1], before_last), (chosen[-1:], limit - before_last)):
            if keys and wanted > 0:
                rows += self._call("", {**sort, "sort_key": keys, "limit": wanted,
                                        "order": "desc"}).get("rows") or []
        rank = {key: number for number, key in enumerate(chosen)}
        rows.sort(key=lambda row: (rank.get(_sort_value(row, order_by), len(rank)),
                                   -int(row["id"])))
        return rows[:limit]

    def load_rows(self, ids: Sequence[int]) -> list[JournalRow]:
        from desktop.services import team

        found: dict[int, JournalRow] = {}
        for start in range(0, len(ids), ROWS_PER_REQUEST):
            chunk = [int(i) for i in ids[start : start + ROWS_PER_REQUEST]]
            for raw in self._call("rows", {"id": chunk}).get("rows") or []:
                row = team.team_row(raw)
                found[row.id] = row
        named = {row.id: row for row in self._named(list(found.values()))}
        return [named[i] for i in ids if i in named]

    def iter_rows(self, flt: JournalFilter) -> Iterator[JournalRow]:
        from desktop.services import team

        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return
        pages = team.iter_team_journal(self.team_url, self._session(), criteria,
                                       page_size=ROWS_PER_REQUEST)
        chunk: list[JournalRow] = []
        for row in pages:
            chunk.append(row)
            if len(chunk) == ROWS_PER_REQUEST:
                yield from self._named(chunk)
                chunk = []
        yield from self._named(chunk)

    def batch_summaries(self, flt: JournalFilter) -> list[BatchSummary]:
        criteria = self.criteria(flt)
        if criteria is NOTHING:
            return []
        lines = self._call("batches", {**criteria, "utc_offset": _utc_offset()}).get(
            "batches") or []
        ids = [str(line["batch_id"]) for line in lines if line["batch_id"]]
        headers = journal_query.batch_headers(self._cache, ids)
        reverts = journal_query.reverted_by(self._cache, ids)
        summaries = []
        for line in lines:
            batch_id = str(line["batch_id"])
            description, status = headers.get(batch_id, ("", ""))
            day = line.get("day")
            summaries.append(BatchSummary(
                batch_id=batch_id,
                day=date(1970, 1, 1) + timedelta(days=day) if isinstance(day, int) else None,
                first_ts=float(line["first_ts"]), last_ts=float(line["last_ts"]),
                last_id=int(line["last_id"]), rows=int(line["rows"]),
                by_action={str(k): int(v) for k, v in dict(line["by_action"]).items()},
                operators=tuple(str(o) for o in line["operators"]),
                sources=tuple(str(s) for s in line["sources"]),
                description=description, status=status,
                reverted_by=reverts.get(batch_id, ()),
            ))
        return summaries

    def applied_changes(self, flt: JournalFilter) -> list[AppliedChange]:
        tag_rows = replace(flt, actions=("tag_add", "tag_remove"))
        return journal_query.applied_from(
            (row.external_userid, row.userid, row.tag_id, row.action)
            for row in self.iter_rows(tag_rows))

    def changes_per_day(self, since: float, until: float,
                        owners: Sequence[str] | None = None) -> DaySeries:
        """`owners`: only the rows on their relations (a department's members')."""
        if owners is not None and not owners:
            return audit.day_series(since, until, [])
        stats = self._call("stats", {"since": since, "until": until,
                                     "utc_offset": _utc_offset(since), **_owners(owners)})
        epoch = date(1970, 1, 1)
        return audit.day_series(since, until, (
            ((epoch + timedelta(days=int(c["day"]))).isoformat(), str(c["source"]),
             int(c["rows"])) for c in stats.get("per_day") or []))

    def changes_per_operator(self, since: float, until: float, top: int = 15,
                             owners: Sequence[str] | None = None) -> list[OperatorCount]:
        if owners is not None and not owners:
            return []
        stats = self._call("stats", {"since": since, "until": until, "top": top,
                                     **_owners(owners)})
        counts = [(str(c["operator"]), int(c["rows"])) for c in stats.get("per_operator") or []]
        names = _member_names(self._cache, [operator for operator, _ in counts])
        return [OperatorCount(operator, names.get(operator) or operator, n)
                for operator, n in counts]

    def criteria(self, flt: JournalFilter) -> dict[str, Any] | None:
        """The filter as the server's criteria; None when it can match nothing. Names are
        resolved here: a department to its members (and sub-departments'), a customer's
        name to the customers whose names contain it."""
        criteria: dict[str, Any] = {
            "operator": list(flt.operators), "action": list(flt.actions),
            "source": list(flt.sources), "batch": list(flt.batch_ids),
            "tag": list(flt.tag_ids), "group": list(flt.groups),
        }
        if flt.since is not None:
            criteria["since"] = flt.since
        if flt.until is not None:
            criteria["until"] = flt.until
        if flt.department_id is not None:
            owners = journal_query.department_members(self._cache, flt.department_id)
            if not owners:
                return NOTHING
            criteria["owner"] = owners
        if flt.customer.strip():
            criteria["customer"] = _customers_named(self._cache, flt.customer.strip())
        if flt.include_observed:
            criteria["include_observed"] = "1"
        return {key: value for key, value in criteria.items() if value != []}

    @property
    def follower(self) -> JournalFollower:
        """The one wait on the journal's push that whatever follows it on this desktop shares."""
        from desktop.services.team_push import JournalFollower

        with self._follower_lock:
            if self._follower is None:
                self._follower = JournalFollower(self.wait_newer)
            return self._follower

    def wait_newer(self, after: int, cancel: threading.Event) -> JournalNews:
        """Block until a row newer than `after` commits on the server (or its wait ends)."""
        from desktop.services import team_push

        return team_push.wait_newer(self.team_url, self._session(), after, cancel)

    def _call(self, action: str, criteria: Mapping[str, Any]) -> dict[str, Any]:
        from desktop.services import team

        return team.journal_call(self.team_url, self._session(), action, criteria)

    def _named(self, rows: list[JournalRow]) -> list[JournalRow]:
        """The rows with the customer's, operator's and owner's names from this cache."""
        customers = chats.customer_names(self._cache, {r.external_userid for r in rows})
        members = _member_names(self._cache, {p for r in rows for p in (r.operator, r.userid)})
        return [replace(row, customer=customers.get(row.external_userid, ""),
                        operator_name=members.get(row.operator, ""),
                        owner_name=members.get(row.userid, "")) for row in rows]


def _owners(owners: Sequence[str] | None) -> dict[str, Any]:
    """The stats' criteria keeping the rows on `owners`' relations (none: every row)."""
    return {"owner": list(owners)} if owners else {}


def _sort(order_by: str, descending: bool, source_order: Sequence[str]) -> dict[str, Any]:
    """The server's sort criteria; by source, with the order of the labels a viewer shows."""
    sort: dict[str, Any] = {"sort": order_by, "order": "desc" if descending else "asc"}
    if order_by == "source" and source_order:
        sort["source_order"] = list(source_order)
    return sort


def reader_for(workspace: Workspace) -> JournalReader:
    """The journal a profile's audit views read: the team's for a team profile."""
    if not workspace.profile.is_team:
        return LocalJournal(workspace.cache)

    def session() -> str:
        with workspace.client() as client:
            return client.get_token()

    return TeamJournal(workspace.cache, workspace.profile.team_url, session)


def _utc_offset(at: float | None = None) -> int:
    moment = datetime.fromtimestamp(time.time() if at is None else at).astimezone()
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _member_names(cache: Cache, userids: Sequence[str] | set[str]) -> dict[str, str]:
    return dict(rows_in(cache.connection().execute,
                        "SELECT userid, name FROM member WHERE userid IN ({marks})",
                        sorted({u for u in userids if u})))


_NAMED = {"operator": "member", "owner": "member", "customer": "customer"}
"""Sort columns the server orders by id, with the table whose names order them here."""
OBSERVED_SOURCES = ("observed", "callback")   # rows whose operator WeCom does not name


def _sort_value(row: Mapping[str, Any], order_by: str) -> str:
    """A raw team journal row's value in a `_NAMED` sort column (the server's `SORT_TERMS`)."""
    if order_by == "operator":
        return "" if row.get("source") in OBSERVED_SOURCES else str(row.get("operator") or "")
    return str(row.get("external_userid" if order_by == "customer" else "userid") or "")


def _customers_named(cache: Cache, text: str) -> list[str]:
    """`text` itself (an external_userid) and every customer whose name contains it."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    named = [row[0] for row in cache.connection().execute(
        "SELECT external_userid FROM customer WHERE name LIKE ? ESCAPE '\\'",
        (f"%{escaped}%",))]
    return list(dict.fromkeys([text, *named]))
