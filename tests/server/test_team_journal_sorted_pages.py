"""The team journal's first page in a column's order: read along the column's index when
nothing filters it, and by name in chunks for people and customers; always the head of
the whole sort's ids."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql
import pytest

from desktop.sandbox import SandboxServer
from desktop.server import team_audit
from desktop.server.database import migrate
from desktop.server.team_audit import SORT_TERMS, TeamJournalQuery
from desktop.services import team_name_order
from desktop.services.journal_reader import TeamJournal
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter
from tests.server.team_support import PostgresCluster, TeamServerProcess, log_in, team_client

pytestmark = pytest.mark.integration

FILL = """
INSERT INTO team_journal (id, ts, operator, action, source, batch_id, external_userid, userid,
    tag_id, tag_name, group_name, before, after, reason, prev_hash, hash)
SELECT i, 1.7e9 + i, 'user' || (i % 7), CASE WHEN i % 3 = 0 THEN 'tag_remove' ELSE 'tag_add'
    END, CASE WHEN i % 11 = 0 THEN 'observed' WHEN i % 5 = 0 THEN 'app' ELSE 'batch' END,
    CASE WHEN i % 5 = 0 THEN '' ELSE 'b' || (i / 40) END, 'wm' || lpad((i % 61)::text, 3, '0'),
    'user' || ((i / 3) % 9), 'et' || (i % 13), '标签' || (i % 13), '组' || (i % 4), '[]', '[]',
    CASE WHEN i = 77 THEN 'rare' WHEN i % 2 = 0 THEN 'r' || (i % 9) ELSE '' END, '', ''
FROM generate_series(1, 420) AS i
"""
COLUMN_INDEXES = {"operator": "team_journal_operator_sort", "action": "team_journal_action_sort",
                  "source": "team_journal_source_sort", "customer": "team_journal_customer_sort",
                  "owner": "team_journal_owner_sort", "tag": "team_journal_tag_sort",
                  "group": "team_journal_group_sort", "batch": "team_journal_batch_sort",
                  "reason": "team_journal_reason_sort"}


@pytest.fixture(scope="module")
def filled(postgres: PostgresCluster) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    url = postgres.new_database()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FILL)
        conn.execute("ANALYZE team_journal")
        yield conn


def test_every_sort_column_has_its_code_point_index() -> None:
    assert set(COLUMN_INDEXES) == set(SORT_TERMS)


@pytest.mark.parametrize("order_by", sorted(SORT_TERMS))
def test_the_whole_journals_first_page_is_walked_along_the_columns_index(
    filled: psycopg.Connection[tuple[Any, ...]], order_by: str
) -> None:
    for descending in (False, True):
        every, _ = team_audit.sorted_ids(filled, TeamJournalQuery(), order_by, descending)
        assert len(every) == 420
        for limit in (1, 7, 60, 420):
            page = team_audit.sorted_page(filled, TeamJournalQuery(), order_by, descending, limit)
            assert [row["id"] for row in page] == every[:limit], (order_by, descending, limit)
    for query in (TeamJournalQuery(sources=("app", "observed")), TeamJournalQuery(
            operators=("user3",)), TeamJournalQuery(batch_ids=("b2", "b9"))):
        for descending in (False, True):
            every, _ = team_audit.sorted_ids(filled, query, order_by, descending)
            page = team_audit.sorted_page(filled, query, order_by, descending, 25)
            assert [row["id"] for row in page] == every[:25], (order_by, query, descending)
    plan = _walk_plan(filled, order_by)
    assert COLUMN_INDEXES[order_by] in plan and "Sort" not in plan and "Seq Scan" not in plan


@pytest.mark.parametrize("order_by", sorted(SORT_TERMS))
def test_a_descending_first_page_under_a_source_filter_reads_each_sources_rows_in_order(
    filled: psycopg.Connection[tuple[Any, ...]], order_by: str
) -> None:
    for sources in (("app",), ("observed", "app", "observed"), ("batch", "nowhere")):
        query = TeamJournalQuery(sources=sources, actions=("tag_add",))
        every, _ = team_audit.sorted_ids(filled, query, order_by, True)
        for limit in (1, 25, 420):
            page = team_audit.sorted_page(filled, query, order_by, True, limit)
            assert [row["id"] for row in page] == every[:limit], (order_by, sources, limit)
    index = ("team_journal_source_sort" if order_by == "source"
             else f"team_journal_source_{order_by}_sort")
    plan = _within_sources_plan(filled, order_by)
    assert index in plan and "Backward" in plan and "Seq Scan" not in plan, plan
    assert plan.count("Sort Key") == (order_by != "source")  # the page of each source's rows


def _within_sources_plan(conn: psycopg.Connection[tuple[Any, ...]], order_by: str) -> str:
    """The plan of the first page within sources, when every other way costs more than on a
    big journal (where walking the column's own index skips every other source first)."""
    condition, params = team_audit.where(TeamJournalQuery(sources=("app", "observed")))
    with conn.transaction():
        for plan_kind in ("seqscan", "bitmapscan"):
            conn.execute(f"SET LOCAL enable_{plan_kind} = off".encode())
        statement, values = team_audit.within_sources(order_by, ["app", "observed"],
                                                      condition, params, 5)
        return "\n".join(str(line) for line, in conn.execute(
            b"EXPLAIN " + statement.as_string(conn).encode(), values))


def test_the_first_page_in_an_order_of_sources_reads_each_source_on_its_index(
    filled: psycopg.Connection[tuple[Any, ...]]
) -> None:
    """Each source's newest rows backwards along the source's index, a rare one too: along
    the ids' index a source of a few rows would read every id to fill its page."""
    for query in (TeamJournalQuery(), TeamJournalQuery(actions=("tag_add",)),
                  TeamJournalQuery(sources=("observed", "app"))):
        condition, params = team_audit.where(query)
        with filled.transaction():
            for plan_kind in ("seqscan", "bitmapscan"):
                filled.execute(f"SET LOCAL enable_{plan_kind} = off".encode())
            statement, values = team_audit._by_source_rank(query, condition, params, False, 5,
                                                           ("observed", "batch", "app"))
            plan = "\n".join(str(line) for line, in filled.execute(
                b"EXPLAIN " + statement.as_string(filled).encode(), values))
        assert "Index Scan Backward using team_journal_source_sort" in plan, plan
        assert "team_journal_pkey" not in plan, plan


def test_one_operators_first_page_in_an_order_of_sources_reads_each_source_on_its_index(
    filled: psycopg.Connection[tuple[Any, ...]]
) -> None:
    """Each of the operator's sources, walked and then read newest first, backwards along
    `(operator, source, id)`: ranking every row of the operator (20,000 at a million rows)
    took 300-360 ms. With the changes seen at sync, which the index cannot pick, they are
    ranked still."""
    for query in (TeamJournalQuery(operators=("user3",)),
                  TeamJournalQuery(operators=("user3", "user5"), actions=("tag_add",)),
                  TeamJournalQuery(operators=("user3",), sources=("observed", "app"))):
        every, _ = team_audit.sorted_ids(filled, query, "source", False,
                                         ("observed", "batch", "app"))
        for limit in (1, 5, 420):
            page = team_audit.sorted_page(filled, query, "source", False, limit,
                                          source_order=("observed", "batch", "app"))
            assert [row["id"] for row in page] == every[:limit], (query, limit)
        plan = _by_source_rank_plan(filled, query)
        assert "Index Scan Backward using team_journal_operator_source" in plan, plan
        assert "team_journal_pkey" not in plan and "team_journal_operator on" not in plan, plan
    plan = _by_source_rank_plan(filled, TeamJournalQuery(operators=("user3",),
                                                         include_observed=True))
    assert "array_position" in plan and "team_journal_operator_source" not in plan, plan


def _by_source_rank_plan(conn: psycopg.Connection[tuple[Any, ...]],
                         query: TeamJournalQuery) -> str:
    """The plan of the first page by 来源, when every other way costs more than on a big
    journal."""
    condition, params = team_audit.where(query)
    with conn.transaction():
        for plan_kind in ("seqscan", "bitmapscan"):
            conn.execute(f"SET LOCAL enable_{plan_kind} = off".encode())
        statement, values = team_audit._by_source_rank(query, condition, params, False, 5,
                                                       ("observed", "batch", "app"))
        return "\n".join(str(line) for line, in conn.execute(
            b"EXPLAIN VERBOSE " + statement.as_string(conn).encode(), values))


def test_the_first_page_in_an_order_of_sources_is_not_compiled_by_the_jit(
    filled: psycopg.Connection[tuple[Any, ...]]
) -> None:
    """The JIT compiled the first page by 来源 at a million rows (10–35 ms, more than the
    statement took): here with its threshold at 0 (auto_explain shows each statement's plan)
    it compiles a count of the journal, but not that page; after it JIT is on again."""
    plans: list[str] = []

    def plan_shown(notice: psycopg.errors.Diagnostic) -> None:
        plans.append(notice.message_primary or "")

    filled.add_notice_handler(plan_shown)
    try:
        with filled.transaction():
            filled.execute("LOAD 'auto_explain'")
            for setting in ("jit = on", "jit_above_cost = 0", "auto_explain.log_min_duration = 0",
                            "client_min_messages = log"):
                filled.execute(f"SET LOCAL {setting}".encode())
            filled.execute("SELECT count(*) FROM team_journal WHERE source <> 'x'")
            page = team_audit.sorted_page(filled, TeamJournalQuery(), "source", False, 5,
                                          source_order=("observed", "batch", "app"))
            jit_after = filled.execute("SHOW jit").fetchone()
    finally:
        filled.remove_notice_handler(plan_shown)
    counted, ranked = [next(plan for plan in plans if marker in plan)
                       for marker in ("source <> 'x'", "array_position")]
    assert len(page) == 5 and jit_after == ("on",)
    assert "JIT:" in counted, counted
    assert "JIT:" not in ranked, ranked


def test_a_walk_over_its_budget_gives_way_and_leaves_the_timeout_as_it_was(
    filled: psycopg.Connection[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team_audit, "WALK_BUDGET_MS", 20)
    with filled.transaction():
        filled.execute("SET LOCAL statement_timeout = '7s'")
        slow = psycopg.sql.SQL("SELECT {} FROM (SELECT pg_sleep(%s)) AS slow, team_journal"
                               " LIMIT %s").format(psycopg.sql.SQL(", ").join(
                                   psycopg.sql.Identifier(c) for c in team_audit.ROW_COLUMNS))
        assert team_audit._walked_briefly(filled, slow, [0.5, 1]) is None
        assert team_audit._walked_briefly(filled, slow, [0, 1]) is not None
        assert filled.execute("SHOW statement_timeout").fetchone() == ("7s",)


def _walk_plan(conn: psycopg.Connection[tuple[Any, ...]], order_by: str) -> str:
    """The walk's plan when every other way costs more than on a big journal."""
    with conn.transaction():
        for plan_kind in ("seqscan", "bitmapscan", "sort"):
            conn.execute(f"SET LOCAL enable_{plan_kind} = off".encode())
        statement = team_audit.walk_statement(order_by, descending=False)
        return "\n".join(str(line) for line, in conn.execute(
            b"EXPLAIN " + statement.as_string(conn).encode(), [5, 5]))


def test_the_values_of_a_range_are_counted_up_to_bounds(
    filled: psycopg.Connection[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    counts, full = team_audit.sort_key_counts(filled, TeamJournalQuery(), "customer",
                                              ["wm050"], "wm010", "wm012")
    assert sorted(counts) == [["wm010", 7], ["wm011", 7], ["wm012", 7], ["wm050", 7]]
    assert not full
    monkeypatch.setattr(team_audit, "MAX_RANGE_KEYS", 2)
    counts, full = team_audit.sort_key_counts(filled, TeamJournalQuery(), "customer",
                                              [], "wm010", None)
    assert counts == [["wm010", 7], ["wm011", 7]] and full
    counts, full = team_audit.sort_key_counts(filled, TeamJournalQuery(), "customer",
                                              ["wm050", "nobody"], "wm059", None, cap=3)
    assert counts == [["wm050", 3], ["wm059", 3], ["wm060", 3]] and not full


@pytest.mark.parametrize("order_by", team_audit.NAMED_SORTS)
def test_the_values_under_a_source_filter_are_counted_within_each_source_up_to_the_cap(
    filled: psycopg.Connection[tuple[Any, ...]], order_by: str
) -> None:
    for sources in (("app",), ("observed", "app", "observed"), ("batch", "nowhere")):
        for query in (TeamJournalQuery(sources=sources),
                      TeamJournalQuery(sources=sources, actions=("tag_add",))):
            _, values = team_audit.sorted_ids(filled, query, order_by, False)
            every = Counter(values)
            for cap in (1, 4, 9, 1000):
                counts, full = team_audit.sort_key_counts(
                    filled, query, order_by, [*every, "nobody"], cap=cap)
                assert sorted(counts) == sorted([value, min(n, cap)] for value, n
                                                in every.items()), (sources, query, cap)
                assert not full
    plan = _counted_within_sources_plan(filled, order_by)
    assert f"team_journal_source_{order_by}_sort" in plan and "Seq Scan" not in plan, plan


def _counted_within_sources_plan(conn: psycopg.Connection[tuple[Any, ...]],
                                 order_by: str) -> str:
    """The plan of the counts within sources, when every other way costs more than on a
    big journal (where the column's own index reads every row of each value)."""
    with conn.transaction():
        for plan_kind in ("seqscan", "bitmapscan"):
            conn.execute(f"SET LOCAL enable_{plan_kind} = off".encode())
        statement, values = team_audit._counted_within_sources(
            team_audit._sort_term(order_by), TeamJournalQuery(sources=("app", "observed")), 5)
        return "\n".join(str(line) for line, in conn.execute(
            b"EXPLAIN " + statement.as_string(conn).encode(), [*values, ["user1", "wm001"]]))


@pytest.fixture(scope="module")
def team_reader(team_server: TeamServerProcess, team_sandbox: SandboxServer,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamJournal]:
    """A reader of a 420-row team journal whose cache names some people and customers (some
    alike, some among the ids of those it has no name for) and not others."""
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        start = conn.execute("SELECT coalesce(max(id), 0) FROM team_journal").fetchone()
        conn.execute(FILL.replace("SELECT i,", f"SELECT i + {start[0] if start else 0},"))
    writer = sorted(team_sandbox.state.follow_users())[0]
    device = log_in(team_server.url, team_sandbox, writer)
    with team_client(team_server.url, team_sandbox, device.token) as client:
        session = client.get_token()
    cache = Cache(tmp_path_factory.mktemp("sorted-pages") / "cache.sqlite")
    with cache.write() as conn:
        conn.executemany(
            "INSERT INTO member (userid, name, name_sort) VALUES (?, ?, ?)",
            [(f"user{n}", f"u{n}", sort) for n, sort in
             ((0, "zz"), (1, "aa"), (2, "user5a"), (3, "mm"), (4, "mm"), (6, "b"))])
        conn.executemany(
            "INSERT INTO customer (external_userid, name, name_sort) VALUES (?, ?, ?)",
            [(f"wm{n:03d}", f"c{n}", _customer_sort(n)) for n in range(61) if n % 4 != 3])
    yield TeamJournal(cache, team_server.url, lambda: session)


def _customer_sort(n: int) -> str:
    """Alike names, names before, among and after the ids `wm…` of the unnamed customers."""
    return ("张三", f"wm{60 - n:03d}\x1f", f"a{n % 5}", f"zhang{n}")[n % 4]


@pytest.mark.parametrize(("flt", "few_rows"), [
    (JournalFilter(), False), (JournalFilter(sources=("app",)), False),
    (JournalFilter(sources=("observed",), include_observed=True), False),
    (JournalFilter(operators=("user2",)), True), (JournalFilter(batch_ids=("b3", "b7", "")), True),
], ids=["none", "source", "observed", "operator", "batches"])
def test_the_first_page_by_name_is_the_head_of_every_id_sorted_by_name(
    team_reader: TeamJournal, flt: JournalFilter, few_rows: bool,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter that leaves few rows counts all of them at once; the others by name."""
    monkeypatch.setattr(team_name_order, "FIRST_CHUNK", 1)
    monkeypatch.setattr(team_name_order, "GROWTH", 2)
    asked: list[Mapping[str, Any]] = []
    call = team_reader._call

    def recorded(action: str, criteria: Mapping[str, Any]) -> dict[str, Any]:
        if action == "keys":
            asked.append(criteria)
        return call(action, criteria)

    monkeypatch.setattr(team_reader, "_call", recorded)
    for order_by in ("customer", "owner", "operator"):
        for descending in (False, True):
            every = list(team_reader.sorted_ids(flt, order_by, descending))
            assert every
            for limit in (1, 5, 37, 500):
                page = team_reader.sorted_first_page(flt, order_by, descending, limit)
                assert [row.id for row in page or []] == every[:limit], (
                    order_by, descending, limit)
    assert asked and all(("sort_key" in criteria) != few_rows for criteria in asked)


def test_a_few_names_fill_a_page_of_the_whole_journal_in_one_request(
    team_reader: TeamJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(team_name_order, "FIRST_CHUNK", 4)
    counted: list[int] = []
    call = team_reader._call

    def recorded(action: str, criteria: Mapping[str, Any]) -> dict[str, Any]:
        found = call(action, criteria)
        if action == "keys":
            counted.append(len(found["keys"]))
        return found

    monkeypatch.setattr(team_reader, "_call", recorded)
    page = team_reader.sorted_first_page(JournalFilter(), "customer", False, 20)
    assert [row.id for row in page or []] == list(
        team_reader.sorted_ids(JournalFilter(), "customer", False))[:20]
    assert counted == [4]   # the first four customers by name, not all 61


def test_a_cache_without_names_takes_the_servers_order(
    team_reader: TeamJournal, tmp_path: Path
) -> None:
    nameless = TeamJournal(Cache(tmp_path / "cache.sqlite"), team_reader.team_url,
                           team_reader._session)
    for order_by in ("customer", "operator"):
        every = list(nameless.sorted_ids(JournalFilter(), order_by, False))
        page = nameless.sorted_first_page(JournalFilter(), order_by, False, 30)
        assert [row.id for row in page or []] == every[:30]


@pytest.mark.parametrize("flt", [
    JournalFilter(), JournalFilter(sources=("app", "batch", "relay")),
    JournalFilter(actions=("tag_add",)), JournalFilter(operators=("user2", "user3")),
    JournalFilter(operators=("user1",), sources=("app", "batch", "relay")),
], ids=["none", "sources", "action", "operators", "operator-sources"])
def test_by_the_sources_labels_each_sources_rows_come_in_the_order_given(
    team_reader: TeamJournal, team_server: TeamServerProcess, flt: JournalFilter,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """The viewer's 来源 column sorts by its labels (手动 shou, 批量 pi, 同步时发现 tong), not
    by the stored codes; the rows of a source it has no label for go after the labelled. The
    server sorts them so: one request for every id, one for the first page."""
    with psycopg.connect(team_server.db_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM team_journal WHERE source = 'relay'").fetchone():
            conn.execute(                       # two rows like the first ones, relayed
                "INSERT INTO team_journal SELECT id + (SELECT max(id) FROM team_journal), ts,"
                " operator, action, 'relay', batch_id, external_userid, userid, tag_id,"
                " tag_name, group_name, before, after, reason, outbox_id, prev_hash, hash"
                " FROM team_journal ORDER BY id LIMIT 2")
    labelled = ("observed", "batch", "app")     # neither the codes' order nor its reverse
    matching = sorted(team_reader.matching_ids(flt))
    asked: list[str] = []
    call = team_reader._call

    def recorded(action: str, criteria: Mapping[str, Any]) -> dict[str, Any]:
        asked.append(action)
        return call(action, criteria)

    monkeypatch.setattr(team_reader, "_call", recorded)
    for descending in (False, True):
        asked.clear()
        every = list(team_reader.sorted_ids(flt, "source", descending, labelled))
        assert asked == ["ids"]
        assert sorted(every) == matching
        sources = [row.source for row in team_reader.load_rows(every)]
        blocks = list(dict.fromkeys(sources))
        assert len(sources) == len(every) and len(blocks) == len(set(sources))  # grouped
        order = [s for s in labelled if s in sources]
        others = [s for s in blocks if s not in labelled]
        assert len(order) >= 2 and others
        assert blocks == ([*others, *order[::-1]] if descending else [*order, *others])
        for source in blocks:                   # each source's rows newest first
            ids = [i for i, s in zip(every, sources, strict=True) if s == source]
            assert ids == sorted(ids, reverse=True)
        for limit in (1, 5, 300, 1000):
            asked.clear()
            page = team_reader.sorted_first_page(flt, "source", descending, limit, labelled)
            assert [row.id for row in page or []] == every[:limit], (descending, limit)
            assert asked == [""]
