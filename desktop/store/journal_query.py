"""Reading the audit journal: filters compiled to SQL on its indexes, rows, batch summaries.

Built for a journal of a million rows. A filter becomes one `WHERE` clause
that SQLite answers from the journal's indexes where it can (time, operator,
batch, customer, tag); the matching ids come back as a compact array sorted in
Python (an `ORDER BY id` makes SQLite prefer a full table scan over an index),
and rows are loaded a page at a time by id. Newest first is the order of the
chain: ids are appended in order, so id order is the order things happened.

Changes seen at sync (`observed`) have no operator: they never match an operator
criterion unless `include_observed` asks for those whose probable operator (the
relation's follower) is one of the people named. Rows written before observed rows
lost their operator still carry whoever synced; they are read as having none.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from desktop.domain.retag_plan import AppliedChange
from desktop.store.db import Cache
from desktop.store.in_chunks import placeholders, rows_in

PAGE_SIZE = 200
CHUNK = 500

ROW_COLUMNS = (
    "j.id, j.ts, j.operator, coalesce(mo.name, ''), j.action, j.source, j.batch_id,"
    " j.external_userid, coalesce(c.name, ''), j.userid, coalesce(mu.name, ''), j.tag_id,"
    " j.tag_name, j.group_name, j.before, j.after, j.reason, j.probable_operator, j.seen_after"
)
OBSERVED = "observed"
CALLBACK = "callback"   # team journal: a change on a phone, pushed by WeCom's callback
# Who acted, as far as the journal knows: nobody for a change seen at sync.
OPERATOR_SQL = f"CASE WHEN j.source = '{OBSERVED}' THEN '' ELSE j.operator END"

ROW_JOINS = (
    " LEFT JOIN customer c ON c.external_userid = j.external_userid"
    " LEFT JOIN member mo ON mo.userid = j.operator"
    " LEFT JOIN member mu ON mu.userid = j.userid"
)


@dataclass(frozen=True)
class JournalFilter:
    """Which journal rows to show. Empty criteria match everything.

    `department_id` means the department of the relation's **owner** (the member
    whose customer it is), sub-departments included: "what happened to my
    department's customers" is what supervisors ask. `customer` matches an
    external_userid exactly or part of the customer's name. `groups` matches the
    group name recorded at the time or the group a tag belongs to now, so rows
    written before a group was renamed still show.
    """

    since: float | None = None          # ts >= since
    until: float | None = None          # ts < until
    operators: tuple[str, ...] = ()
    department_id: int | None = None
    actions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tag_ids: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    customer: str = ""
    batch_ids: tuple[str, ...] = ()     # "" selects rows written outside any batch
    include_observed: bool = False      # with operators: also changes seen at sync on their
                                        # relations (they are only the probable operators)

    @property
    def is_empty(self) -> bool:
        return self == JournalFilter()


@dataclass(frozen=True)
class JournalRow:
    id: int
    ts: float
    operator: str
    operator_name: str
    action: str
    source: str
    batch_id: str
    external_userid: str
    customer: str           # the customer's name as the cache knows it now
    userid: str             # owner of the relation
    owner_name: str
    tag_id: str
    tag_name: str           # the name at the time of the change
    group_name: str
    before: str             # JSON text, as written
    after: str
    reason: str
    probable_operator: str = ""   # observed rows: the relation's follower (operator is "")
    seen_after: float = 0.0       # observed rows: the change happened in (seen_after, ts]

    @property
    def observed(self) -> bool:
        """Made outside TagDesk (seen at sync, or pushed by a WeCom callback): WeCom does
        not name who made it, only the relation's follower as the probable operator."""
        return self.source in (OBSERVED, CALLBACK)


@dataclass(frozen=True)
class BatchSummary:
    """One line per batch; rows written outside a batch are grouped per source, operator and day."""

    batch_id: str
    day: date | None            # set only for the rows outside any batch
    first_ts: float
    last_ts: float
    last_id: int
    rows: int
    by_action: dict[str, int]
    operators: tuple[str, ...]
    sources: tuple[str, ...]
    description: str = ""
    status: str = ""
    reverted_by: tuple[tuple[str, str, float], ...] = ()   # (batch id, source, created at)

    def row_filter(self, base: JournalFilter | None = None) -> JournalFilter:
        """The filter that shows exactly this line's rows (within `base`)."""
        base = base or JournalFilter()
        if self.day is None:
            return replace(base, batch_ids=(self.batch_id,))
        start = datetime.combine(self.day, time()).timestamp()
        end = datetime.combine(self.day + timedelta(days=1), time()).timestamp()
        return replace(
            base,
            batch_ids=("",), sources=self.sources,
            operators=tuple(o for o in self.operators if o) or base.operators,
            since=max(start, base.since or start), until=min(end, base.until or end),
        )


def filter_sql(cache: Cache, flt: JournalFilter) -> tuple[str, list[object]]:
    """The filter as a `WHERE` clause on `journal j` (or "" for none) and its parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.since is not None:
        clauses.append("j.ts >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("j.ts < ?")
        params.append(flt.until)
    if flt.operators:
        marks = placeholders(flt.operators)
        own = f"(j.operator IN ({marks}) AND j.source != '{OBSERVED}')"
        params.extend(flt.operators)
        if flt.include_observed:
            own = (f"({own} OR (j.source = '{OBSERVED}' AND (j.probable_operator IN ({marks})"
                   f" OR (j.probable_operator = '' AND j.userid IN ({marks})))))")
            params.extend(flt.operators * 2)
        clauses.append(own)
    for column, values in (("j.action", flt.actions),
                           ("j.source", flt.sources), ("j.tag_id", flt.tag_ids),
                           ("j.batch_id", flt.batch_ids)):
        if values:
            clauses.append(f"{column} IN ({placeholders(values)})")
            params.extend(values)
    if flt.department_id is not None:
        owners = department_members(cache, flt.department_id)
        clauses.append(f"j.userid IN ({placeholders(owners)})" if owners else "0")
        params.extend(owners)
    if flt.groups:
        marks = placeholders(flt.groups)
        clauses.append(
            f"(j.group_name IN ({marks}) OR j.tag_id IN (SELECT t.id FROM tag t JOIN tag_group g"
            f" ON g.id = t.group_id WHERE g.name IN ({marks})"
            f" UNION SELECT id FROM tag_group WHERE name IN ({marks})))"
        )
        params.extend(flt.groups * 3)
    if flt.customer.strip():
        text = flt.customer.strip()
        clauses.append(
            "j.external_userid IN (SELECT ? UNION SELECT external_userid FROM customer"
            " WHERE name LIKE ? ESCAPE '\\')"
        )
        params.extend([text, f"%{_escape_like(text)}%"])
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def matching_ids(
    cache: Cache, flt: JournalFilter, *, newest_first: bool = True
) -> Sequence[int]:
    """Ids of every matching row: 8 bytes each, so a million rows take 8 MB (and none at
    all without a filter, where the ids are simply a range; a row cut out of a tampered
    journal is then skipped by `load_rows`)."""
    conn = cache.connection()
    if flt.is_empty:  # ids are appended without gaps: a range, read from the id index ends
        high = conn.execute("SELECT max(id) FROM journal").fetchone()[0]
        if high is None:
            return range(0)
        low = conn.execute("SELECT min(id) FROM journal").fetchone()[0]
        return range(high, low - 1, -1) if newest_first else range(low, high + 1)
    clause, params = filter_sql(cache, flt)
    found = [row[0] for row in conn.execute(f"SELECT j.id FROM journal j{clause}", params)]
    found.sort(reverse=newest_first)
    return array("q", found)


SORT_TERMS = {
    "operator": (f"CASE WHEN j.source = '{OBSERVED}' THEN ''"  # unknown: first
                 " ELSE coalesce(mo.name_sort, j.operator) END", ROW_JOINS),
    "action": ("j.action", ""),
    "source": ("j.source", ""),
    "customer": ("coalesce(c.name_sort, j.external_userid)", ROW_JOINS),
    "owner": ("coalesce(mu.name_sort, j.userid)", ROW_JOINS),
    "tag": ("j.tag_name", ""),
    "group": ("j.group_name", ""),
    "batch": ("j.batch_id", ""),
    "reason": ("j.reason", ""),
}
"""Columns the viewer sorts by besides time (a whitelist): people and customers by pinyin."""


def sorted_ids(cache: Cache, flt: JournalFilter, order_by: str, descending: bool,
               source_order: Sequence[str] = ()) -> Sequence[int]:
    """Ids of every matching row sorted by one of `SORT_TERMS` in SQL, ties newest first
    (or by time alone for "time"). `source_order`: the sources in the order of the labels a
    viewer shows for them, by which "source" sorts (other sources after them, by code)."""
    if order_by == "time":
        return matching_ids(cache, flt, newest_first=descending)
    sql, params = _sorted_sql(cache, flt, order_by, descending, source_order)
    return array("q", (row[0] for row in cache.connection().execute(sql, params)))


def sorted_first_page(cache: Cache, flt: JournalFilter, order_by: str, descending: bool,
                      limit: int = PAGE_SIZE, source_order: Sequence[str] = (),
                      ) -> list[JournalRow]:
    """The first `limit` rows in `sorted_ids`' order (one of `SORT_TERMS`), without sorting
    every id first."""
    sql, params = _sorted_sql(cache, flt, order_by, descending, source_order)
    return load_rows(cache, [row[0] for row in cache.connection().execute(
        f"{sql} LIMIT ?", [*params, limit])])


def _sorted_sql(cache: Cache, flt: JournalFilter, order_by: str, descending: bool,
                source_order: Sequence[str]) -> tuple[str, list[Any]]:
    term, joins = SORT_TERMS[order_by]
    clause, params = filter_sql(cache, flt)
    direction = "DESC" if descending else "ASC"
    ranks: list[Any] = []
    if order_by == "source" and source_order:
        cases = " ".join("WHEN ? THEN ?" for _ in source_order)
        term = f"CASE j.source {cases} ELSE ? END {direction}, {term}"
        ranks = [*(v for rank, code in enumerate(source_order) for v in (code, rank)),
                 len(source_order)]
    sql = f"SELECT j.id FROM journal j{joins}{clause} ORDER BY {term} {direction}, j.id DESC"
    return sql, [*params, *ranks]


def first_page(cache: Cache, flt: JournalFilter, limit: int = PAGE_SIZE) -> list[JournalRow]:
    """The newest matching rows, without finding all of them first (what a view shows first).

    The ids are picked first and the rows read after, so that SQLite sorts bare ids from
    an index rather than whole joined rows."""
    clause, params = filter_sql(cache, flt)
    sql = f"SELECT j.id FROM journal j{clause} ORDER BY j.id DESC LIMIT ?"
    ids = [row[0] for row in cache.connection().execute(sql, [*params, limit])]
    return load_rows(cache, ids)


def count(cache: Cache, flt: JournalFilter) -> int:
    clause, params = filter_sql(cache, flt)
    return int(cache.connection().execute(f"SELECT count(*) FROM journal j{clause}",
                                          params).fetchone()[0])


def load_rows(cache: Cache, ids: Sequence[int]) -> list[JournalRow]:
    """The rows with these ids, in the order given (ids that do not exist are skipped)."""
    found = {raw[0]: _row(raw) for raw in rows_in(
        cache.connection().execute,
        f"SELECT {ROW_COLUMNS} FROM journal j{ROW_JOINS} WHERE j.id IN ({{marks}})", ids)}
    return [found[i] for i in ids if i in found]


def iter_rows(
    cache: Cache, flt: JournalFilter, *, newest_first: bool = False
) -> Iterator[JournalRow]:
    """Every matching row, a chunk at a time (for listing and exporting any number of rows)."""
    ids = matching_ids(cache, flt, newest_first=newest_first)
    for start in range(0, len(ids), CHUNK):
        yield from load_rows(cache, ids[start : start + CHUNK])


def batch_summaries(cache: Cache, flt: JournalFilter) -> list[BatchSummary]:
    """One summary per batch with matching rows, newest first.

    Batches are grouped along the batch index (one pass, no sort); the rows written
    outside any batch (changes seen at sync, mostly) are grouped per source, operator
    and local day, so a year of syncs does not become a million lines.
    """
    clause, params = filter_sql(cache, flt)
    glue = " AND " if clause else " WHERE "
    summaries: list[BatchSummary] = []
    # Grouping along the batch index avoids a sort but walks the whole index; with a
    # criterion that has an index of its own, `+` makes SQLite search that one instead.
    selective = bool(flt.since or flt.until or flt.operators or flt.tag_ids or flt.customer
                     or flt.batch_ids)
    batch = "+j.batch_id" if selective else "j.batch_id"
    if flt.batch_ids != ("",):
        summaries.extend(_batches(cache, f"{clause}{glue}{batch} != ''", params, batch))
    if not flt.batch_ids or "" in flt.batch_ids:
        summaries.extend(_loose_rows(cache, f"{clause}{glue}{batch} = ''", params))
    summaries.sort(key=lambda s: s.last_id, reverse=True)
    return summaries


def _batches(
    cache: Cache, clause: str, params: list[object], group_by: str
) -> Iterator[BatchSummary]:
    conn = cache.connection()
    rows = conn.execute(
        "SELECT j.batch_id, count(*), min(j.ts), max(j.ts), max(j.id), sum(j.action = 'tag_add'),"
        f" sum(j.action = 'tag_remove'), group_concat(DISTINCT {OPERATOR_SQL}),"
        " group_concat(DISTINCT j.source), group_concat(DISTINCT j.action)"
        f" FROM journal j{clause} GROUP BY {group_by}", params,
    ).fetchall()
    headers = batch_headers(cache, [row[0] for row in rows])
    reverts = reverted_by(cache, [row[0] for row in rows])
    for batch_id, n, first, last, last_id, adds, removes, operators, sources, actions in rows:
        by_action = {"tag_add": adds, "tag_remove": removes}
        if set(actions.split(",")) - {"tag_add", "tag_remove"}:  # tree edits: count each kind
            by_action = dict(conn.execute(
                f"SELECT j.action, count(*) FROM journal j{clause} AND j.batch_id = ?"
                " GROUP BY j.action", [*params, batch_id],
            ).fetchall())
        description, status = headers.get(batch_id, ("", ""))
        yield BatchSummary(
            batch_id=batch_id, day=None, first_ts=first, last_ts=last, last_id=last_id, rows=n,
            by_action={k: v for k, v in by_action.items() if v},
            operators=tuple(sorted(o for o in (operators or "").split(",") if o)),
            sources=tuple(sorted(sources.split(","))), description=description, status=status,
            reverted_by=reverts.get(batch_id, ()),
        )


def _loose_rows(cache: Cache, clause: str, params: list[object]) -> Iterator[BatchSummary]:
    lines: dict[tuple[str, str, str], BatchSummary] = {}
    for day, source, operator, action, n, first, last, last_id in cache.connection().execute(
        f"SELECT date(j.ts, 'unixepoch', 'localtime'), j.source, {OPERATOR_SQL}, j.action,"
        " count(*),"
        f" min(j.ts), max(j.ts), max(j.id) FROM journal j{clause} GROUP BY 1, 2, 3, 4", params,
    ):
        line = lines.get((day, source, operator))
        if line is None:
            line = BatchSummary(batch_id="", day=date.fromisoformat(day), first_ts=first,
                                last_ts=last, last_id=last_id, rows=0, by_action={},
                                operators=(operator,) if operator else (), sources=(source,))
        lines[(day, source, operator)] = replace(
            line, first_ts=min(line.first_ts, first), last_ts=max(line.last_ts, last),
            last_id=max(line.last_id, last_id), rows=line.rows + n,
            by_action={**line.by_action, action: n},
        )
    yield from lines.values()


def applied_changes(cache: Cache, flt: JournalFilter) -> list[AppliedChange]:
    """What the matching tag rows did, per relation, counting only the tags they touched.

    For each tag a relation's rows changed: was it there before the first of those rows,
    and after the last? Other people's changes to other tags of the same relation in
    between are not part of it, so reverting these rows leaves them alone.
    """
    clause, params = filter_sql(cache, flt)
    glue = " AND " if clause else " WHERE "
    return applied_from(cache.connection().execute(
        f"SELECT j.external_userid, j.userid, j.tag_id, j.action FROM journal j{clause}{glue}"
        "j.action IN ('tag_add', 'tag_remove') AND j.external_userid != '' ORDER BY j.id",
        params,
    ))


def applied_from(rows: Iterable[tuple[str, str, str, str]]) -> list[AppliedChange]:
    """`applied_changes` of tag rows given as (external_userid, userid, tag_id, action),
    oldest first (rows of other actions are ignored)."""
    first: dict[tuple[str, str, str], bool] = {}
    last: dict[tuple[str, str, str], bool] = {}
    for external_userid, userid, tag_id, action in rows:
        if action not in ("tag_add", "tag_remove") or not external_userid:
            continue
        key = (external_userid, userid, tag_id)
        first.setdefault(key, action == "tag_remove")   # a removal means it was there
        last[key] = action == "tag_add"
    before: dict[tuple[str, str], set[str]] = {}
    after: dict[tuple[str, str], set[str]] = {}
    for (external_userid, userid, tag_id), present in first.items():
        relation = (external_userid, userid)
        before.setdefault(relation, set())
        after.setdefault(relation, set())
        if present:
            before[relation].add(tag_id)
        if last[(external_userid, userid, tag_id)]:
            after[relation].add(tag_id)
    return [AppliedChange(key[0], key[1], frozenset(before[key]), frozenset(after[key]))
            for key in before]


def journal_operators(cache: Cache) -> list[str]:
    """Everyone who ever made a change the journal records, read by hopping along the
    operator index (a few lookups per person instead of a scan of every row). Whoever only
    synced (older journals named them on changes seen at sync) did not act."""
    rows = cache.connection().execute(
        "WITH RECURSIVE ops(o) AS (SELECT min(operator) FROM journal WHERE operator != ''"
        " UNION ALL SELECT (SELECT min(operator) FROM journal WHERE operator > o) FROM ops"
        " WHERE o IS NOT NULL) SELECT o FROM ops WHERE o IS NOT NULL AND EXISTS (SELECT 1"
        f" FROM journal WHERE operator = o AND source != '{OBSERVED}')"
    )
    return [row[0] for row in rows]


def department_members(cache: Cache, department_id: int) -> list[str]:
    """Userids of the members of a department and of all its sub-departments."""
    children: dict[int, list[int]] = {}
    for dept_id, parent_id in cache.connection().execute("SELECT id, parent_id FROM department"):
        children.setdefault(parent_id, []).append(dept_id)
    wanted = {department_id}
    stack = [department_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in wanted:
                wanted.add(child)
                stack.append(child)
    ids = sorted(wanted)
    rows = cache.connection().execute(
        f"SELECT DISTINCT userid FROM member_department WHERE department_id IN ({placeholders(ids)})"
        " ORDER BY userid", ids,
    )
    return [row[0] for row in rows]


def batch_headers(cache: Cache, ids: list[str]) -> dict[str, tuple[str, str]]:
    """batch id -> (description, status) for the batches this cache's outbox holds."""
    return {batch_id: (description, status) for batch_id, description, status in rows_in(
        cache.connection().execute,
        "SELECT id, description, status FROM batch WHERE id IN ({marks})", ids)}


def reverted_by(cache: Cache, ids: list[str]) -> dict[str, tuple[tuple[str, str, float], ...]]:
    """batch id -> the batches of this cache's outbox that revert, undo or redo it (the
    `reverts` of their plan): (id, source, created at), oldest first."""
    found: dict[str, list[tuple[str, str, float]]] = {}
    for reverted, batch_id, source, created_at in rows_in(
            cache.connection().execute,
            "SELECT json_extract(plan, '$.reverts'), id, source, created_at FROM batch"
            " WHERE json_extract(plan, '$.reverts') IN ({marks}) ORDER BY created_at", ids):
        found.setdefault(reverted, []).append((batch_id, source, created_at))
    return {batch_id: tuple(batches) for batch_id, batches in found.items()}


def _row(raw: Sequence[Any]) -> JournalRow:
    observed = raw[5] == OBSERVED
    return JournalRow(
        id=int(raw[0]), ts=float(raw[1]), operator="" if observed else raw[2],
        operator_name="" if observed else raw[3], action=raw[4],
        source=raw[5], batch_id=raw[6], external_userid=raw[7], customer=raw[8], userid=raw[9],
        owner_name=raw[10], tag_id=raw[11], tag_name=raw[12], group_name=raw[13],
        before=raw[14], after=raw[15], reason=raw[16],
        probable_operator=(raw[17] or raw[9]) if observed else "",
        seen_after=float(raw[18] or 0),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
