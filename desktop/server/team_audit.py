"""Reading the team journal: every filter runs in PostgreSQL as a bound parameter.

Rows come in pages by id (keyset paging, oldest or newest first), or as the bare ids of
every match (what the desktop's viewer scrolls over), or by id. Batches and the reports'
counts are grouped in PostgreSQL. Indexes on `ts` and on `(column, id)` for operator,
customer, owner, tag id, tag name, group and batch serve the filters (migrations 1 and 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from psycopg import Connection, errors, sql

from desktop.server.team_journal import TEAM_FIELDS

SOURCE_TERM = '(source COLLATE "C")'
"""The source as the indexes within each source lead with it (migrations 22 and 23): equal
to a value exactly when `source` is, as for every deterministic collation. Only the first
page within each source compares it so: a condition on several sources would then read a
source index for the rows of a value, losing their order, where the value's own index walks
them newest first."""
MAX_PAGE = 1000
DEFAULT_PAGE = 500
MAX_IDS = 2_000_000
DAY_S = 86400
Conn = Connection[tuple[object, ...]]
ROW_COLUMNS = ("id", *TEAM_FIELDS)
OBSERVED = "observed"
CALLBACK = "callback"


@dataclass(frozen=True)
class TeamJournalQuery:
    """Empty criteria match everything; `tags` match a tag id or the name at the time;
    `owners` are the members whose customer relations the rows are on."""

    since: float | None = None
    until: float | None = None
    operators: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    batch_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    reverts: tuple[str, ...] = ()
    include_observed: bool = False  # `operators` also match the probable operator of changes
                                    # seen at sync or reported by a callback


def where(query: TeamJournalQuery) -> tuple[sql.Composable, list[object]]:
    """The query as a condition on `team_journal` and its parameters."""
    conditions: list[sql.Composable] = [TRUE]
    params: list[object] = []
    if query.since is not None:
        conditions.append(sql.SQL("ts >= %s"))
        params.append(query.since)
    if query.until is not None:
        conditions.append(sql.SQL("ts < %s"))
        params.append(query.until)
    if query.operators:
        own = "operator = ANY(%s)"
        params.append(list(query.operators))
        if query.include_observed:
            own = f"({own} OR (source = ANY(%s) AND probable_operator = ANY(%s)))"
            params.extend([[OBSERVED, CALLBACK], list(query.operators)])
        conditions.append(sql.SQL(own))  # `own` is always one of the texts above
    for column, values in (("action", query.actions),
                           ("source", query.sources), ("batch_id", query.batch_ids),
                           ("group_name", query.groups), ("external_userid", query.customers),
                           ("userid", query.owners), ("reverts_batch", query.reverts)):
        if values:
            conditions.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(column)))
            params.append(list(values))
    if query.tags:
        conditions.append(sql.SQL("(tag_id = ANY(%s) OR tag_name = ANY(%s))"))
        params.extend([list(query.tags), list(query.tags)])
    return sql.SQL(" AND ").join(conditions), params


def page(conn: Conn, query: TeamJournalQuery, after_id: int = 0,
         limit: int = DEFAULT_PAGE, *, newest_first: bool = False,
         before_id: int | None = None) -> list[dict[str, object]]:
    """Up to `limit` matching rows: oldest first with id > `after_id`, or newest first
    with id < `before_id` (all when None)."""
    condition, params = where(query)
    if newest_first:
        bound, order = sql.SQL("id < %s"), sql.SQL("DESC")
        params.append(before_id if before_id is not None else 2**62)
    else:
        bound, order = sql.SQL("id > %s"), sql.SQL("ASC")
        params.append(after_id)
    # A selective criterion finds its rows on its own index and sorts them (`id + 0`):
    # walking the id index and filtering would read every newer row first.
    key = sql.SQL("id + 0" if _selective(query) else "id")
    statement = sql.SQL("SELECT {} FROM team_journal WHERE {} AND {} ORDER BY {} {} LIMIT %s"
                        ).format(_columns(), condition, bound, key, order)
    params.append(max(1, min(limit, MAX_PAGE)))
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in conn.execute(statement, params)]


def matching_ids(conn: Conn, query: TeamJournalQuery) -> list[int]:
    """Ids of every matching row, newest first (at most MAX_IDS), read as one array: a
    third of the time of a row per id."""
    condition, params = where(query)
    statement = sql.SQL(
        "SELECT coalesce(array_agg(id ORDER BY id DESC), '{{}}') FROM (SELECT id FROM"
        " team_journal WHERE {} ORDER BY id DESC LIMIT %s) AS found").format(condition)
    row = conn.cursor(binary=True).execute(statement, [*params, MAX_IDS]).fetchone()
    return list(row[0]) if row is not None and isinstance(row[0], list) else []


SORT_TERMS = {
    "operator": f"CASE WHEN source IN ('{OBSERVED}', '{CALLBACK}') THEN '' ELSE operator END",
    "action": "action", "source": "source", "customer": "external_userid", "owner": "userid",
    "tag": "tag_name", "group": "group_name", "batch": "batch_id", "reason": "reason",
}
"""Columns the journal sorts by besides time (a whitelist, like the desktop's), in code point
order (`COLLATE "C"`, as SQLite compares): people and customers by their ids, which the
desktop orders by the names it knows; unknown operators first. Each has an index on the
term in that order (migrations 19 and 22): the terms must stay as the indexes spell them."""
NAMED_SORTS = ("operator", "customer", "owner")
MAX_RANGE_KEYS = 2000
WALK_BUDGET_MS = 250
TRUE = sql.SQL("TRUE")


def _sort_term(order_by: str) -> sql.Composable:
    return sql.SQL("({}) COLLATE \"C\"").format(sql.SQL(SORT_TERMS[order_by]))  # whitelisted


def sorted_ids(conn: Conn, query: TeamJournalQuery, order_by: str, descending: bool,
               source_order: Sequence[str] = ()) -> tuple[list[int], list[str]]:
    """Ids of every matching row (at most MAX_IDS) ordered by one of `SORT_TERMS`, ties newest
    first, and, sorted by one of `NAMED_SORTS`, each row's sort value (else no values). Read
    as arrays (one row, binary): a Python object per row would cost more than the sort.
    `source_order` (by "source" only): the sources in this order, others after them by code."""
    condition, params = where(query)
    direction = sql.SQL("DESC" if descending else "ASC")
    values = sql.SQL(", coalesce(array_agg(sort_value), '{}')" if order_by in NAMED_SORTS
                     else "")
    ranked = order_by == "source" and bool(source_order)
    statement = sql.SQL(
        "SELECT coalesce(array_agg(id), '{{}}'){values} FROM (SELECT id, sort_value FROM"
        " (SELECT id, {rank} AS source_rank, {term} AS sort_value FROM team_journal WHERE"
        " {condition}) AS matching ORDER BY source_rank {direction}, sort_value {direction},"
        " id DESC LIMIT %s) AS found").format(
        values=values, rank=_SOURCE_RANK if ranked else sql.SQL("0"), term=_sort_term(order_by),
        condition=condition, direction=direction)
    ranks: list[object] = [list(source_order), len(source_order)] if ranked else []
    row = conn.cursor(binary=True).execute(statement, [*ranks, *params, MAX_IDS]).fetchone()
    if row is None:
        return [], []
    ids = [i for i in _list(row[0]) if isinstance(i, int)]
    return ids, [str(v or "") for v in _list(row[1])] if len(row) > 1 else []


def sorted_page(conn: Conn, query: TeamJournalQuery, order_by: str, descending: bool,
                limit: int = DEFAULT_PAGE, keys: Sequence[str] = (),
                source_order: Sequence[str] = ()) -> list[dict[str, object]]:
    """The first `limit` matching rows in `sorted_ids`' order (people and customers by their
    ids): what a viewer shows while every id is still being sorted. `keys`: only the rows
    with these sort values (a desktop's first page by name, `sort_key_counts`);
    `source_order`: as `sorted_ids`'."""
    limit = max(1, min(limit, MAX_PAGE))
    condition, params = where(query)
    if order_by == "source" and source_order:
        statement, values = _by_source_rank(query, condition, params, descending, limit,
                                            source_order)
        if _ranks_matching(query):
            return _rows(conn, statement, values)
        return _rows_without_jit(conn, statement, values)
    if not keys and not params:
        return _rows(conn, walk_statement(order_by, descending), [limit, limit])
    if not keys and descending and query.sources and not _selective(query) and not query.operators:
        return _rows(conn, *within_sources(order_by, query.sources, condition, params, limit))
    if not keys and not descending and not _selective(query) and not query.operators:
        walked = _walked_briefly(conn, walk_statement(order_by, False, condition),
                                 [*params, limit, limit])
        if walked is not None:
            return walked
    term = _sort_term(order_by)
    if keys:
        condition = sql.SQL("{} AND {} = ANY(%s)").format(condition, term)
        params = [*params, list(keys)]
    # Backwards the column's index holds the page's order; forwards each value's rows come
    # oldest first, and the planner would sort all of a common value's rows to take its
    # newest (seconds at a million rows): ascending, the matching rows are read first
    # (`OFFSET 0` keeps the planner from walking that index) and the first ones kept.
    matching = sql.SQL("SELECT {columns}, {term} AS sort_value FROM team_journal WHERE {condition}"
                       "{fence}").format(columns=_columns(), term=term, condition=condition,
                                         fence=sql.SQL("" if descending else " OFFSET 0"))
    statement = sql.SQL(
        "SELECT {columns} FROM ({matching}) AS matching ORDER BY sort_value {direction}, id DESC"
        " LIMIT %s").format(columns=_columns(), matching=matching,
                            direction=sql.SQL("DESC" if descending else "ASC"))
    return _rows(conn, statement, [*params, limit])


_SOURCE_RANK = sql.SQL("coalesce(array_position(%s::text[], source), %s)")
"""A row's place in a given order of sources (parameters: the order, then its length, the
place of every other source)."""


def _by_source_rank(query: TeamJournalQuery, condition: sql.Composable, params: list[object],
                    descending: bool, limit: int, source_order: Sequence[str],
                    ) -> tuple[sql.Composed, list[object]]:
    """`sorted_page` in a given order of sources and its parameters. Under a broad condition
    (none, sources, actions) each source's newest rows backwards along its index (migration
    22; a range picks them, as in `walk_statement`, or a rare source would read every id),
    the sources found by a walk of that index (one probe each) unless a filter names them;
    for operators, each operator's rows of each source along `(operator, source, id)`
    (migration 24), their sources walked per operator; else the matching rows, ranked."""
    direction = sql.SQL("DESC" if descending else "ASC")
    ranks: list[object] = [list(source_order), len(source_order)]
    if _ranks_matching(query):
        matching = sql.SQL(
            "SELECT {columns}, {rank} AS source_rank, {term} AS sort_value FROM team_journal"
            " WHERE {condition} OFFSET 0").format(columns=_columns(), rank=_SOURCE_RANK,
                                                  term=sql.SQL(SOURCE_TERM), condition=condition)
        return sql.SQL(
            "SELECT {columns} FROM ({matching}) AS matching ORDER BY source_rank {direction},"
            " sort_value {direction}, id DESC LIMIT %s").format(
            columns=_columns(), matching=matching, direction=direction), [
            *ranks, *params, limit]
    sources, named = _listed_sources(query)
    if query.operators:     # each operator's rows are picked by the index, not the ANY
        condition, params = where(replace(query, operators=()))
    rank = sql.SQL("coalesce(array_position(%s::text[], value::text), %s)")
    statement = sql.SQL(
        "SELECT {found} FROM (SELECT *, {rank} AS source_rank FROM ({sources}) AS listed)"
        " AS ranked CROSS JOIN LATERAL (SELECT {columns} FROM team_journal WHERE {picked}"
        " AND {condition}"
        " ORDER BY {source} DESC, id DESC LIMIT %s) AS found"
        " ORDER BY ranked.source_rank {direction}, ranked.value {direction}, found.id DESC"
        " LIMIT %s").format(
        found=sql.SQL(", ").join(sql.Identifier("found", c) for c in ROW_COLUMNS), rank=rank,
        sources=sources, columns=_columns(),
        picked=sql.SQL("operator = ranked.operator AND {source} = ranked.value"
                       if query.operators else "{source} BETWEEN ranked.value AND ranked.value"
                       ).format(source=sql.SQL(SOURCE_TERM)),
        source=sql.SQL(SOURCE_TERM), condition=condition, direction=direction)
    return statement, [*ranks, *named, *params, limit, limit]


def _listed_sources(query: TeamJournalQuery) -> tuple[sql.Composable, list[object]]:
    """The sources (`value`) whose newest rows `_by_source_rank` reads under a broad
    condition, with each of the query's operators (`operator`) when it names some, and
    their parameters: those the filter names, else those found by walking the index of the
    sources (one probe each), or of each operator's sources."""
    if query.sources:
        picked: list[object] = [list(dict.fromkeys(query.sources))]
        if not query.operators:
            return sql.SQL("SELECT unnest(%s::text[]) AS value"), picked
        return sql.SQL("SELECT op.operator, src.value FROM unnest(%s::text[]) AS op(operator)"
                       " CROSS JOIN unnest(%s::text[]) AS src(value)"), [
            list(dict.fromkeys(query.operators)), *picked]
    if not query.operators:
        return sql.SQL(
            "WITH RECURSIVE walk(value) AS ((SELECT {source} FROM team_journal ORDER BY 1"
            " LIMIT 1) UNION ALL SELECT (SELECT {source} FROM team_journal WHERE {source} >"
            " walk.value ORDER BY 1 LIMIT 1) FROM walk WHERE walk.value IS NOT NULL)"
            " SELECT value FROM walk WHERE value IS NOT NULL").format(
            source=sql.SQL(SOURCE_TERM)), []
    return sql.SQL(
        "SELECT op.operator, walked.value FROM unnest(%s::text[]) AS op(operator)"
        " CROSS JOIN LATERAL (WITH RECURSIVE walk(value) AS ((SELECT {source} FROM"
        " team_journal WHERE operator = op.operator ORDER BY 1 LIMIT 1) UNION ALL SELECT"
        " (SELECT {source} FROM team_journal WHERE operator = op.operator AND {source} >"
        " walk.value ORDER BY 1 LIMIT 1) FROM walk WHERE walk.value IS NOT NULL)"
        " SELECT value FROM walk WHERE value IS NOT NULL) AS walked").format(
        source=sql.SQL(SOURCE_TERM)), [list(dict.fromkeys(query.operators))]


def _ranks_matching(query: TeamJournalQuery) -> bool:
    """Whether `_by_source_rank` ranks the matching rows (a selective filter, operators that
    also match the probable operator of changes seen at sync) rather than reading each
    source's newest rows."""
    return _selective(query) or (bool(query.operators) and query.include_observed)


def _walked_briefly(conn: Conn, statement: sql.Composed,
                    params: list[object]) -> list[dict[str, object]] | None:
    """The walk's page under a broad condition (sources, actions), or None if it takes over
    WALK_BUDGET_MS:
    most values' newest rows match such a condition and the page fills at once, but when
    few of them do the walk reads value after value (seconds of a million rows)."""
    with conn.transaction():
        previous = conn.execute("SELECT current_setting('statement_timeout')").fetchone()
        conn.execute("SELECT set_config('statement_timeout', %s, true)", [str(WALK_BUDGET_MS)])
        try:
            with conn.transaction():
                return _rows(conn, statement, params)
        except errors.QueryCanceled:
            return None
        finally:
            conn.execute("SELECT set_config('statement_timeout', %s, true)",
                         [previous[0] if previous else "0"])


def _rows(conn: Conn, statement: sql.Composed, params: list[object]) -> list[dict[str, object]]:
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in conn.execute(statement, params)]


def _rows_without_jit(conn: Conn, statement: sql.Composed,
                      params: list[object]) -> list[dict[str, object]]:
    """`_rows` with PostgreSQL's JIT off: the planner's estimate for the first page by 来源
    under a broad filter (a page from each source, ranked) passes the JIT's threshold, and
    compiling it cost more than the statement: 41 -> 13 ms ascending, 43 -> 6 ms descending
    at a million rows (medians, load 12). Ranking a selective filter's rows took as long
    with it as without (one operator's 20,000, about 360 ms before migration 24), and keeps
    it."""
    with conn.transaction():     # an error rolls the setting back with the savepoint
        previous = conn.execute("SELECT current_setting('jit')").fetchone()
        conn.execute("SELECT set_config('jit', 'off', true)")
        rows = _rows(conn, statement, params)
        conn.execute("SELECT set_config('jit', %s, true)", [previous[0] if previous else "on"])
    return rows


def walk_statement(order_by: str, descending: bool,
                   condition: sql.Composable = TRUE) -> sql.Composed:
    """The first page by a column (parameters: the condition's, then the page's size twice)
    read along the column's index: its values one by one in order (each the next one after
    the last), each value's matching rows newest first, until the page is full. A range,
    not an equality, picks each value's rows, so that the planner reads them on that index
    and not on the ids' (a rare value would read them all). For the whole journal, and for
    an ascending page under a broad condition (`_walked_briefly`)."""
    term = _sort_term(order_by)
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    return sql.SQL(
        "WITH RECURSIVE walk(value) AS ("
        "(SELECT {term} FROM team_journal ORDER BY 1 {direction} LIMIT 1)"
        " UNION ALL SELECT (SELECT {term} FROM team_journal WHERE {term} {beyond} walk.value"
        " ORDER BY 1 {direction} LIMIT 1) FROM walk WHERE walk.value IS NOT NULL)"
        " SELECT {found} FROM walk CROSS JOIN LATERAL (SELECT {columns}, {term} AS sort_value"
        " FROM team_journal WHERE {condition} AND {term} BETWEEN walk.value AND walk.value"
        " ORDER BY sort_value DESC, id DESC LIMIT %s) AS found LIMIT %s").format(
        term=term, direction=sql.SQL(direction), beyond=sql.SQL(beyond), columns=_columns(),
        condition=condition, found=sql.SQL(", ").join(sql.Identifier("found", c) for c in ROW_COLUMNS))


def within_sources(order_by: str, sources: Sequence[str], condition: sql.Composable,
                   params: Sequence[object], limit: int) -> tuple[sql.Composed, list[object]]:
    """The first page by a column, descending, under a source filter, and its parameters:
    each source's rows in the page's order, read backwards along its index within that source
    (migration 23), then the page of them all; by source, backwards along the source's own
    index. Walking the column's own index instead would first skip the rows of every other
    source with a greater value (a million rows for an app edit, which has no batch: half a
    second)."""
    picked = list(dict.fromkeys(sources))
    if order_by == "source":
        return sql.SQL(
            "SELECT {columns} FROM team_journal WHERE {source} = ANY(%s) AND {condition}"
            " ORDER BY {source} DESC, id DESC LIMIT %s").format(
            columns=_columns(), source=sql.SQL(SOURCE_TERM), condition=condition), [
            picked, *params, limit]
    return sql.SQL(
        "SELECT {found} FROM unnest(%s::text[]) AS picked(source) CROSS JOIN LATERAL"
        " (SELECT {columns}, {term} AS sort_value FROM team_journal WHERE {source} ="
        " picked.source AND {condition} ORDER BY sort_value DESC, id DESC LIMIT %s) AS found"
        " ORDER BY found.sort_value DESC, found.id DESC LIMIT %s").format(
        found=sql.SQL(", ").join(sql.Identifier("found", c) for c in ROW_COLUMNS),
        columns=_columns(), term=_sort_term(order_by), source=sql.SQL(SOURCE_TERM),
        condition=condition), [picked, *params, limit, limit]


def sort_key_counts(conn: Conn, query: TeamJournalQuery, order_by: str,
                    keys: Sequence[str] | None = None, key_from: str | None = None,
                    key_to: str | None = None, cap: int = MAX_PAGE,
                    ) -> tuple[list[list[object]], bool]:
    """[sort value, rows] of the values of a `NAMED_SORTS` column among the matching rows: a
    desktop orders them by the names it knows and asks `sorted_page` for the first ones.
    Every value when `keys` is None. Else, counting at most `cap` rows of each (enough for
    a page) along the column's index (in its order: a bitmap of all of a value's rows would
    be read first): those of `keys` and, at most MAX_RANGE_KEYS, those
    from `key_from` to `key_to` in code point order (both included, None: no bound), which
    the desktop orders by their ids; the flag says the range had more values than that."""
    condition, params = where(query)
    term = _sort_term(order_by)
    if keys is None:
        statement = sql.SQL("SELECT {term}, count(*) FROM team_journal WHERE {condition}"
                            " GROUP BY 1").format(term=term, condition=condition)
        return [[str(key or ""), _int(n)] for key, n in conn.execute(statement, params)], False
    ranged = _values_between(conn, term, key_from, key_to)
    wanted = list(dict.fromkeys([*keys, *ranged[:MAX_RANGE_KEYS]]))
    if query.sources and not _selective(query) and not query.operators:
        statement, values = _counted_within_sources(term, query, max(1, cap))
    else:
        statement, values = sql.SQL(
            "SELECT wanted.value, (SELECT count(*) FROM (SELECT 1 FROM team_journal WHERE"
            " {condition} AND {term} BETWEEN wanted.value AND wanted.value ORDER BY {term}, id"
            " LIMIT %s) AS found)"
            " FROM unnest(%s::text[]) AS wanted(value)").format(
            term=term, condition=condition), [*params, max(1, cap)]
    counted = [[str(key or ""), _int(n)] for key, n in conn.execute(statement, [*values, wanted])]
    return [pair for pair in counted if pair[1]], len(ranged) > MAX_RANGE_KEYS


def _counted_within_sources(term: sql.Composable, query: TeamJournalQuery, cap: int,
                            ) -> tuple[sql.Composed, list[object]]:
    """`sort_key_counts`' statement under a source filter and its parameters but the wanted
    values (last): each value's rows counted along its index within each source (migration
    23), at most `cap` of each source's and `cap` in all; the index's source alone picks a
    source's rows (`source = ANY` would read each row's own). Along the column's own index the
    count would read every row of the value until `cap` of them match (a tenth of a second
    for 50 operators under a source of 1 row in 7)."""
    condition, params = where(replace(query, sources=()))
    return sql.SQL(
        "SELECT wanted.value, (SELECT count(*) FROM (SELECT 1 FROM unnest(%s::text[]) AS"
        " picked(source) CROSS JOIN LATERAL (SELECT 1 FROM team_journal WHERE {source} ="
        " picked.source AND {condition} AND {term} BETWEEN wanted.value AND wanted.value"
        " ORDER BY {term}, id LIMIT %s) AS within LIMIT %s) AS found)"
        " FROM unnest(%s::text[]) AS wanted(value)").format(
        source=sql.SQL(SOURCE_TERM), condition=condition, term=term), [
        list(dict.fromkeys(query.sources)), *params, cap, cap]


def _values_between(conn: Conn, term: sql.Composable, low: str | None,
                    high: str | None) -> list[str]:
    """Up to MAX_RANGE_KEYS + 1 values of a sort term from `low` to `high`, walked along its
    index (one probe per value, not a read of every row between)."""
    above = TRUE if low is None else sql.SQL("{} >= %s").format(term)
    below = TRUE if high is None else sql.SQL("{} <= %s").format(term)
    bounds = [value for value in (low, high) if value is not None]
    statement = sql.SQL(
        "WITH RECURSIVE walk(value) AS ("
        "(SELECT {term} FROM team_journal WHERE {above} AND {below} ORDER BY 1 LIMIT 1)"
        " UNION ALL SELECT (SELECT {term} FROM team_journal WHERE {term} > walk.value AND"
        " {below} ORDER BY 1 LIMIT 1) FROM walk WHERE walk.value IS NOT NULL)"
        " SELECT value FROM walk WHERE value IS NOT NULL LIMIT %s").format(
        term=term, above=above, below=below)
    return [str(value) for value, in conn.execute(
        statement, [*bounds, *([high] if high is not None else []), MAX_RANGE_KEYS + 1])]


def id_bounds(conn: Conn) -> tuple[int | None, int | None]:
    """The newest and the oldest row's ids (None, None for an empty journal)."""
    row = conn.execute("SELECT max(id), min(id) FROM team_journal").fetchone()
    if row is None or row[0] is None:
        return None, None
    return _int(row[0]), _int(row[1])


def rows_by_id(conn: Conn, ids: Sequence[int]) -> list[dict[str, object]]:
    """The rows with these ids (at most MAX_PAGE), in id order; missing ids are skipped."""
    statement = sql.SQL("SELECT {} FROM team_journal WHERE id = ANY(%s) ORDER BY id").format(
        _columns())
    wanted = [int(i) for i in ids[:MAX_PAGE]]
    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in conn.execute(statement, [wanted])]


@dataclass
class _Line:
    batch_id: str
    day: int | None
    first_ts: float
    last_ts: float
    last_id: int
    rows: int = 0
    by_action: dict[str, int] = field(default_factory=dict)
    operators: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, object]:
        return {"batch_id": self.batch_id, "day": self.day, "first_ts": self.first_ts,
                "last_ts": self.last_ts, "last_id": self.last_id, "rows": self.rows,
                "by_action": self.by_action, "operators": sorted(self.operators),
                "sources": sorted(self.sources)}


def batches(conn: Conn, query: TeamJournalQuery, utc_offset_s: int) -> list[dict[str, object]]:
    """One line per batch with matching rows; rows outside any batch one line per local day
    (UTC + `utc_offset_s`, as a day number since 1970), source and operator. Newest first."""
    condition, params = where(query)
    statement = sql.SQL(
        "SELECT batch_id, CASE WHEN batch_id = '' THEN floor((ts + %s) / {day})::bigint END"
        " AS day, CASE WHEN batch_id = '' THEN source ELSE '' END AS line_source,"
        " CASE WHEN batch_id = '' THEN operator ELSE '' END AS line_operator, action,"
        " count(*), min(ts), max(ts), max(id), array_agg(DISTINCT operator),"
        " array_agg(DISTINCT source) FROM team_journal WHERE {condition}"
        " GROUP BY batch_id, day, line_source, line_operator, action"
    ).format(day=sql.Literal(DAY_S), condition=condition)
    lines: dict[tuple[object, ...], _Line] = {}
    for (batch_id, day, source, operator, action, n, first, last, last_id, operators,
         sources) in conn.execute(statement, [utc_offset_s, *params]):
        line = lines.setdefault((batch_id, day, source, operator), _Line(
            str(batch_id), None if day is None else _int(day), _float(first), _float(last),
            _int(last_id)))
        line.first_ts = min(line.first_ts, _float(first))
        line.last_ts = max(line.last_ts, _float(last))
        line.last_id = max(line.last_id, _int(last_id))
        line.rows += _int(n)
        line.by_action[str(action)] = _int(n)
        line.operators.update(str(o) for o in _list(operators) if o)
        line.sources.update(str(s) for s in _list(sources))
    ordered = sorted(lines.values(), key=lambda line: line.last_id, reverse=True)
    return [line.as_json() for line in ordered]


def changes_per_day(conn: Conn, since: float, until: float, utc_offset_s: int,
                    owners: Sequence[str] = ()) -> list[tuple[int, str, int]]:
    """(local day number since 1970, source, rows) for rows in [since, until) (on `owners`'
    relations only, when given: a salesperson's own, a department's members')."""
    rows = conn.execute(
        sql.SQL("SELECT floor((ts + %s) / {})::bigint AS day, source, count(*) FROM team_journal"
                " WHERE ts >= %s AND ts < %s AND (cardinality(%s::text[]) = 0"
                " OR userid = ANY(%s)) GROUP BY day, source ORDER BY day, source"
                ).format(sql.Literal(DAY_S)),
        (utc_offset_s, since, until, list(owners), list(owners)))
    return [(_int(day), str(source), _int(n)) for day, source, n in rows]


def changes_per_operator(conn: Conn, since: float, until: float, top: int,
                         owners: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Rows per operator in [since, until) (on `owners`' relations only, when given), most
    first; changes seen at sync or reported by a callback (whose operator WeCom does not
    name) left out."""
    rows = conn.execute(
        "SELECT operator, count(*) AS n FROM team_journal WHERE ts >= %s AND ts < %s"
        " AND source <> ALL(%s) AND (cardinality(%s::text[]) = 0 OR userid = ANY(%s))"
        " GROUP BY operator ORDER BY n DESC, operator LIMIT %s",
        (since, until, [OBSERVED, CALLBACK], list(owners), list(owners), max(1, top)))
    return [(str(operator), _int(n)) for operator, n in rows]


def _selective(query: TeamJournalQuery) -> bool:
    return bool(query.tags or query.customers or query.batch_ids or query.reverts
                or query.owners or query.since is not None or query.until is not None)


def _columns() -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(c) for c in ROW_COLUMNS)


def _float(value: object) -> float:
    return float(str(value))


def _int(value: object) -> int:
    return int(str(value))


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
