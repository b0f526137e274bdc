"""A resolved filter plan as one SQL query: how the engine answers while its bitmaps are cold.

Right after a sync or a tag edit the kept bitmaps are dropped, and building them takes a
second or two at 100,000 customers; a filter asked meanwhile is answered by SQLite from
the cache's indexes instead, with exactly the bitmaps' semantics:

- tags: `relation_tag`; a tag count counts live tags only (as the tag-count buckets do),
  from each relation's kept count of links (`relation.tag_count`);
- text: a substring of the folded text kept in `relation_search` (`search_text`); rows a
  write made stale since the last sync are folded by a Python function meanwhile.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from pyroaring import FrozenBitMap

from desktop.domain.filter.plan import (
    AllRelations,
    CreatedLeaf,
    OwnerLeaf,
    Plan,
    PlanAnd,
    PlanNot,
    PlanOr,
    StateLeaf,
    TagCountLeaf,
    TagLeaf,
    TextLeaf,
)
from desktop.store import search_text
from desktop.store.filter_leaves import DEAD_LINKED_PKS, ROW_SEPARATOR

ORDER_TERMS = {
    "createtime": ("r.createtime", "r.id"),
    "name": ("c.name_sort", "r.id"),
    "corp_name": ("c.corp_name", "r.id"),
    "owner": ("m.name_sort", "r.userid", "c.name_sort", "r.id"),
    "remark": ("r.remark", "r.id"),
    "state": ("r.state", "r.id"),
}
"""The same orders as `filter_leaves.ORDER_SQL`, as ORDER BY terms of this module's query."""

FEW_VALUES = 500  # well under SQLite's 32,766 parameters
NARROW_ROWS = 5000


class _Query:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.params: list[object] = []
        self.customers = False  # the text needs the customer's fields

    def dead_pks(self) -> list[int]:
        """Tag pks with links that are deleted, in a deleted group or unknown."""
        return [row[0] for row in self.conn.execute(DEAD_LINKED_PKS)]

    def where(self, plan: Plan, probe: bool = False) -> str:
        """The condition on `r` for `plan`; with `probe`, tags are looked up for each row
        the other conditions let through instead of listed for all (see `_narrow`)."""
        if isinstance(plan, AllRelations):
            return "1"
        if isinstance(plan, PlanNot):
            return f"NOT ({self.where(plan.operand, probe)})"
        if isinstance(plan, PlanAnd):
            probe = probe or self._narrow(plan.operands)
            return "(" + " AND ".join([self.where(o, probe) for o in plan.operands]
                                      or ["1"]) + ")"
        if isinstance(plan, PlanOr):  # tags or tags: one look at the links, not one each
            tags = [o for o in plan.operands if isinstance(o, TagLeaf)]
            others: list[Plan] = [o for o in plan.operands if not isinstance(o, TagLeaf)]
            if len(tags) > 1:
                others.insert(0, TagLeaf(frozenset().union(*(leaf.pks for leaf in tags))))
            else:
                others = list(plan.operands)
            return "(" + " OR ".join([self.where(o, probe) for o in others] or ["0"]) + ")"
        if isinstance(plan, TagLeaf) and probe:
            return ("EXISTS (SELECT 1 FROM relation_tag WHERE relation_id = r.id AND tag_pk IN"
                    f" ({self._values(sorted(plan.pks))}))")
        if isinstance(plan, TagLeaf):
            return ("r.id IN (SELECT relation_id FROM relation_tag WHERE tag_pk IN"
                    f" ({self._values(sorted(plan.pks))}))")
        if isinstance(plan, OwnerLeaf):
            return f"r.userid IN ({self._values(sorted(plan.userids))})"
        if isinstance(plan, StateLeaf):
            return f"r.state IN ({self._values(sorted(plan.states))})"
        if isinstance(plan, CreatedLeaf):
            return self._created(plan.start, plan.end)
        if isinstance(plan, TextLeaf):
            return self._text(plan.needle)
        if isinstance(plan, TagCountLeaf):
            return self._tag_count(plan.low, plan.high)
        raise TypeError(f"not a filter plan: {plan!r}")

    def _narrow(self, operands: tuple[Plan, ...]) -> bool:
        """Whether an owner, state or date operand of a conjunction matches at most
        `NARROW_ROWS` relations (counted along its index, stopping there): SQLite then
        reads those and probes each one's tags, where listing a tag's relations first
        would cost more than the whole answer."""
        for operand in operands:
            params: list[object]
            if isinstance(operand, OwnerLeaf | StateLeaf):
                column, values = (("userid", operand.userids) if isinstance(operand, OwnerLeaf)
                                  else ("state", operand.states))
                where, params = (f"{column} IN (SELECT value FROM json_each(?))",
                                 [json.dumps(sorted(values), ensure_ascii=False)])
            elif isinstance(operand, CreatedLeaf) and (operand.start, operand.end) != (None, None):
                where, params = ("createtime >= ? AND createtime < ?",
                                 [-2**63 if operand.start is None else operand.start,
                                  2**63 - 1 if operand.end is None else operand.end])
            else:
                continue
            found = self.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM relation WHERE {where}"
                                      f" LIMIT {NARROW_ROWS + 1})", params).fetchone()[0]
            if found <= NARROW_ROWS:
                return True
        return False

    def _tag_count(self, low: int, high: int | None) -> str:
        """Live tags only: links to the (usually no) dead tags linked are taken off the
        kept count (`tag_counts`), which is then no longer a range of its index."""
        counted = "r.tag_count"
        dead = ",".join(str(pk) for pk in self.dead_pks())
        if dead:
            counted = (f"({counted} - (SELECT count(*) FROM relation_tag WHERE relation_id ="
                       f" r.id AND tag_pk IN ({dead})))")
        self.params.append(low)
        if high is None:
            return f"{counted} >= ?"
        self.params.append(high)
        return f"({counted} >= ? AND {counted} < ?)"

    def _values(self, values: Sequence[object]) -> str:
        """The list of an `IN (…)`: integers inline, a few strings as parameters (so SQLite
        looks each up in the column's index), many as `json_each` of one parameter."""
        if all(isinstance(v, int) for v in values):
            return ",".join(str(v) for v in values) or "NULL"
        if len(values) <= FEW_VALUES:
            self.params += [str(v) for v in values]
            return ",".join("?" * len(values)) or "NULL"
        self.params.append(json.dumps([str(v) for v in values], ensure_ascii=False))
        return "SELECT value FROM json_each(?)"

    def _created(self, start: int | None, end: int | None) -> str:
        clauses = []
        if start is not None:
            clauses.append("r.createtime >= ?")
            self.params.append(start)
        if end is not None:
            clauses.append("r.createtime < ?")
            self.params.append(end)
        return "(" + " AND ".join(clauses) + ")" if clauses else "1"

    def _text(self, needle: str) -> str:
        if ROW_SEPARATOR in needle or "\x1f" in needle:  # separators never match
            return "0"
        self.params += search_text.found_params(needle)
        found = f"r.id IN ({search_text.FOUND_IN_FOLDED})"
        if not search_text.has_stale(self.conn):
            return found
        self.customers = True
        self.params.append(needle)
        return (f"({found} OR (r.id IN ({search_text.STALE})"
                f" AND {search_text.FOLDED_CONTAINS}({search_text.FIELDS}, ?)))")


def _from(query: _Query, where: str, *, customers: bool = False, members: bool = False) -> str:
    joins = ""
    if query.customers or customers:
        joins += " LEFT JOIN customer c ON c.external_userid = r.external_userid"
    if members:
        joins += " LEFT JOIN member m ON m.userid = r.userid"
    return f" FROM relation r{joins} WHERE {where}"


def narrow(conn: sqlite3.Connection, plan: Plan) -> bool:
    """Whether `plan` is a conjunction SQL answers by probing the tags of a few relations."""
    return isinstance(plan, PlanAnd) and _Query(conn)._narrow(plan.operands)


def matching(conn: sqlite3.Connection, plan: Plan) -> FrozenBitMap:
    """Ids of the relations `plan` matches."""
    query = _Query(conn)
    where = query.where(plan)
    return FrozenBitMap(row[0] for row in search_text.with_functions(conn).execute(
        "SELECT r.id" + _from(query, where), query.params))


def count(conn: sqlite3.Connection, plan: Plan) -> tuple[int, int]:
    """(relations, distinct customers) `plan` matches."""
    query = _Query(conn)
    where = query.where(plan)
    relations, customers = search_text.with_functions(conn).execute(
        "SELECT count(*), count(DISTINCT r.external_userid)" + _from(query, where),
        query.params).fetchone()
    return int(relations), int(customers)


def ordered(conn: sqlite3.Connection, plan: Plan, order_by: str, descending: bool,
            limit: int | None) -> list[int]:
    """Ids of the matching relations in one of the `ORDER_TERMS` orders."""
    query = _Query(conn)
    where = query.where(plan)
    terms = ORDER_TERMS[order_by]
    direction = " DESC" if descending else ""
    sql = ("SELECT r.id" + _from(query, where,
                                 customers=any(t.startswith("c.") for t in terms),
                                 members=any(t.startswith("m.") for t in terms))
           + " ORDER BY " + ", ".join(term + direction for term in terms))
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in search_text.with_functions(conn).execute(sql, query.params)]
