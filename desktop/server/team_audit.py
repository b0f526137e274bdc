"""Reading the team journal: filters run in PostgreSQL, pages by id (keyset paging).

Every filter is a bound parameter; the indexes on `ts`, `(operator, id)` and
`(external_userid, id)` serve the common questions (a period, one person, one customer).
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Connection, sql

from desktop.store.journal import EXTENSIONS, FIELDS

MAX_PAGE = 1000
DEFAULT_PAGE = 500
Conn = Connection[tuple[object, ...]]


@dataclass(frozen=True)
class TeamJournalQuery:
    """Empty criteria match everything; `tags` match a tag id or the name at the time."""

    since: float | None = None
    until: float | None = None
    operators: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    batch_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    customer: str = ""


def page(conn: Conn, query: TeamJournalQuery, after_id: int = 0,
         limit: int = DEFAULT_PAGE) -> list[dict[str, object]]:
    """Up to `limit` rows with id > `after_id` matching `query`, oldest first."""
    conditions: list[sql.Composable] = [sql.SQL("id > %s")]
    params: list[object] = [after_id]

    def add(condition: str, value: object) -> None:
        conditions.append(sql.SQL(condition))  # `condition` is always one of the texts below
        params.append(value)

    if query.since is not None:
        add("ts >= %s", query.since)
    if query.until is not None:
        add("ts < %s", query.until)
    for column, values in (("operator", query.operators), ("action", query.actions),
                           ("source", query.sources), ("batch_id", query.batch_ids),
                           ("group_name", query.groups)):
        if values:
            conditions.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(column)))
            params.append(list(values))
    if query.tags:
        add("(tag_id = ANY(%s) OR tag_name = ANY(%s))", list(query.tags))
        params.append(list(query.tags))
    if query.customer:
        add("external_userid = %s", query.customer)
    columns = ("id", *FIELDS, *EXTENSIONS)
    statement = sql.SQL("SELECT {} FROM team_journal WHERE {} ORDER BY id LIMIT %s").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        sql.SQL(" AND ").join(conditions),
    )
    params.append(max(1, min(limit, MAX_PAGE)))
    return [dict(zip(columns, row, strict=True)) for row in conn.execute(statement, params)]
