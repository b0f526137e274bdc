"""Journal filters return exactly the rows a plain Python filter picks, newest first."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from desktop.domain.retag_plan import AppliedChange
from desktop.store import journal
from desktop.store.db import Cache
from desktop.store.journal_query import (
    JournalFilter,
    JournalRow,
    applied_changes,
    batch_summaries,
    count,
    department_members,
    first_page,
    iter_rows,
    journal_operators,
    load_rows,
    matching_ids,
)

T0 = datetime(2025, 3, 1, 9, 0).timestamp()
OPERATORS = ("zhangsan", "lisi", "wangwu")
OWNERS = ("zhangsan", "lisi", "wangwu", "zhaoliu")
TAGS = (("etA", "高意向", "意向程度"), ("etB", "低意向", "意向程度"), ("etC", "VIP", "客户等级"),
        ("etD", "已成交", "客户阶段"))
SOURCES = ("app", "batch", "import", "observed", "undo", "revert")
CUSTOMERS = {"wmA1": "王小明", "wmB2": "李%华", "wmC3": "张_三", "wmD4": "Acme 公司"}


def _directory(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO department (id, name, parent_id) VALUES (?, ?, ?)",
                     [(1, "总部", 0), (2, "销售部", 1), (3, "销售一组", 2), (4, "市场部", 1)])
    conn.executemany("INSERT INTO member (userid, name) VALUES (?, ?)",
                     [(u, u.title()) for u in OWNERS])
    conn.executemany("INSERT INTO member_department (userid, department_id) VALUES (?, ?)",
                     [("zhangsan", 2), ("lisi", 3), ("wangwu", 4), ("zhaoliu", 1)])
    conn.executemany("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     list(CUSTOMERS.items()))
    conn.executemany("INSERT INTO tag_group (id, name) VALUES (?, ?)",
                     [("grp1", "意向程度"), ("grp2", "客户等级（新）"), ("grp3", "客户阶段")])
    conn.executemany("INSERT INTO tag (id, group_id, name) VALUES (?, ?, ?)",
                     [("etA", "grp1", "高意向"), ("etB", "grp1", "低意向"),
                      ("etC", "grp2", "VIP"), ("etD", "grp3", "已成交")])
    conn.execute("INSERT INTO batch (id, created_at, operator, source, description, status)"
                 " VALUES ('b1', 0, 'lisi', 'batch', '春季重标', 'done')")


def _entries(n: int) -> list[journal.JournalEntry]:
    rng = random.Random(5)
    entries = []
    batch, source, operator = "", "app", "zhangsan"
    for i in range(n):
        if i % 10 == 0:
            source = rng.choice(SOURCES)
            operator = rng.choice(OPERATORS)
            batch = "" if source in ("observed", "app") else f"b{i // 10 % 4 + 1}"
        tag_id, tag_name, group_name = rng.choice(TAGS)
        owner = rng.choice(OWNERS)
        seen = source == "observed"  # no operator: the follower is the probable one
        entries.append(journal.JournalEntry(
            operator="" if seen else operator, action=rng.choice(("tag_add", "tag_remove")),
            source=source, batch_id=batch, external_userid=rng.choice(list(CUSTOMERS)),
            userid=owner, tag_id=tag_id, tag_name=tag_name, group_name=group_name,
            before="[]", after=f'["{tag_name}"]', ts=T0 + i * 3600,
            probable_operator=owner if seen else "", seen_after=T0 + i * 3600 - 60 if seen else 0,
        ))
    entries.append(journal.JournalEntry(operator="lisi", action="tag_rename", source="tree",
                                        batch_id="b9", tag_id="grp2", tag_name="",
                                        group_name="客户等级（新）", before='"客户等级"',
                                        after='"客户等级（新）"', ts=T0 + n * 3600))
    return entries


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Cache:
    cache = Cache(Path(tmp_path_factory.mktemp("jq")) / "c.sqlite")
    with cache.write() as conn:
        _directory(conn)
        journal.append(conn, _entries(300))
    return cache


@pytest.fixture(scope="module")
def everything(cache: Cache) -> list[JournalRow]:
    return load_rows(cache, list(range(1, 302)))


def _ids(rows: list[JournalRow], keep: Callable[[JournalRow], bool]) -> list[int]:
    return sorted((r.id for r in rows if keep(r)), reverse=True)


CASES: list[tuple[str, JournalFilter, Callable[[JournalRow], bool]]] = [
    ("nothing", JournalFilter(), lambda r: True),
    ("since", JournalFilter(since=T0 + 100 * 3600), lambda r: r.ts >= T0 + 100 * 3600),
    ("until", JournalFilter(until=T0 + 100 * 3600), lambda r: r.ts < T0 + 100 * 3600),
    ("range", JournalFilter(since=T0 + 10 * 3600, until=T0 + 20 * 3600),
     lambda r: T0 + 10 * 3600 <= r.ts < T0 + 20 * 3600),
    ("operator", JournalFilter(operators=("lisi",)), lambda r: r.operator == "lisi"),
    ("two operators", JournalFilter(operators=("lisi", "wangwu")),
     lambda r: r.operator in ("lisi", "wangwu")),
    ("operator with changes seen at sync on their relations",
     JournalFilter(operators=("lisi",), include_observed=True),
     lambda r: r.operator == "lisi" or (r.source == "observed" and r.userid == "lisi")),
    ("action", JournalFilter(actions=("tag_remove",)), lambda r: r.action == "tag_remove"),
    ("source", JournalFilter(sources=("observed", "revert")),
     lambda r: r.source in ("observed", "revert")),
    ("tag", JournalFilter(tag_ids=("etC",)), lambda r: r.tag_id == "etC"),
    ("group by the name at the time", JournalFilter(groups=("意向程度",)),
     lambda r: r.group_name == "意向程度"),
    ("group by the tag's group now", JournalFilter(groups=("客户等级（新）",)),
     lambda r: r.tag_id in ("etC", "grp2")),
    ("customer id", JournalFilter(customer="wmA1"), lambda r: r.external_userid == "wmA1"),
    ("customer name part", JournalFilter(customer="小明"), lambda r: r.external_userid == "wmA1"),
    ("customer name with %", JournalFilter(customer="%"), lambda r: r.external_userid == "wmB2"),
    ("customer name with _", JournalFilter(customer="_"), lambda r: r.external_userid == "wmC3"),
    ("batch", JournalFilter(batch_ids=("b2",)), lambda r: r.batch_id == "b2"),
    ("outside any batch", JournalFilter(batch_ids=("",)), lambda r: r.batch_id == ""),
    ("owner's department with sub-departments", JournalFilter(department_id=2),
     lambda r: r.userid in ("zhangsan", "lisi")),
    ("department without members", JournalFilter(department_id=99), lambda r: False),
    ("all together", JournalFilter(since=T0, operators=("zhangsan", "lisi"), actions=("tag_add",),
                                   sources=("batch", "import", "undo"), department_id=1),
     lambda r: r.operator in ("zhangsan", "lisi") and r.action == "tag_add"
     and r.source in ("batch", "import", "undo")),
]


@pytest.mark.parametrize(("flt", "keep"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_filters_match_a_plain_python_filter(
    cache: Cache, everything: list[JournalRow], flt: JournalFilter,
    keep: Callable[[JournalRow], bool],
) -> None:
    expected = _ids(everything, keep)
    assert list(matching_ids(cache, flt)) == expected
    assert list(matching_ids(cache, flt, newest_first=False)) == expected[::-1]
    assert count(cache, flt) == len(expected)
    assert [r.id for r in first_page(cache, flt, limit=7)] == expected[:7]
    assert [r.id for r in iter_rows(cache, flt)] == expected[::-1]


def test_an_operator_never_matches_changes_seen_at_sync_unless_asked(
    cache: Cache, everything: list[JournalRow]
) -> None:
    followed = [r.id for r in everything if r.source == "observed" and r.userid == "zhaoliu"]
    assert followed and not any(r.operator for r in everything if r.source == "observed")
    assert count(cache, JournalFilter(operators=("zhaoliu",))) == 0  # zhaoliu never acted
    asked = JournalFilter(operators=("zhaoliu",), include_observed=True)
    assert sorted(matching_ids(cache, asked)) == sorted(followed)
    assert "zhaoliu" not in journal_operators(cache)


def test_some_cases_really_narrow_the_journal(everything: list[JournalRow]) -> None:
    sizes = {name: len(_ids(everything, keep)) for name, _, keep in CASES}
    assert all(0 < n < 301 for name, n in sizes.items()
               if name not in ("nothing", "department without members"))


def test_rows_carry_names_from_the_cache(cache: Cache) -> None:
    row = next(r for r in iter_rows(cache, JournalFilter(customer="wmD4")))
    assert row.customer == "Acme 公司"
    assert row.operator_name == row.operator.title() and row.owner_name == row.userid.title()
    assert load_rows(cache, [3, 1, 999, 2])[0].id == 3
    assert [r.id for r in load_rows(cache, [3, 1, 999, 2])] == [3, 1, 2]


def test_department_members_include_sub_departments(cache: Cache) -> None:
    assert department_members(cache, 2) == ["lisi", "zhangsan"]
    assert department_members(cache, 1) == ["lisi", "wangwu", "zhangsan", "zhaoliu"]
    assert department_members(cache, 4) == ["wangwu"]


def test_batch_summaries_count_every_row_once(
    cache: Cache, everything: list[JournalRow]
) -> None:
    summaries = batch_summaries(cache, JournalFilter())
    assert sum(s.rows for s in summaries) == len(everything)
    assert [s.last_id for s in summaries] == sorted((s.last_id for s in summaries), reverse=True)
    for summary in summaries:
        rows = [everything[i - 1] for i in matching_ids(cache, summary.row_filter())]
        assert len(rows) == summary.rows
        assert summary.first_ts == min(r.ts for r in rows)
        assert summary.last_ts == max(r.ts for r in rows)
        assert summary.operators == tuple(sorted({r.operator for r in rows} - {""}))
        assert summary.sources == tuple(sorted({r.source for r in rows}))
        actions = {a: sum(r.action == a for r in rows) for a in {r.action for r in rows}}
        assert summary.by_action == actions


def test_batch_summaries_show_headers_and_tree_edits(cache: Cache) -> None:
    summaries = {s.batch_id: s for s in batch_summaries(cache, JournalFilter()) if s.batch_id}
    assert summaries["b1"].description == "春季重标" and summaries["b1"].status == "done"
    assert summaries["b9"].by_action == {"tag_rename": 1}


def test_rows_outside_batches_group_by_source_operator_and_local_day(cache: Cache) -> None:
    loose = [s for s in batch_summaries(cache, JournalFilter(batch_ids=("",)))]
    assert loose and all(s.day is not None and not s.batch_id for s in loose)
    for summary in loose:
        assert summary.day is not None
        start = datetime.combine(summary.day, time()).timestamp()
        assert start <= summary.first_ts <= summary.last_ts < start + 25 * 3600
        assert len(summary.sources) == 1
        assert len(summary.operators) == (0 if summary.sources == ("observed",) else 1)
    assert len({(s.day, s.sources, s.operators) for s in loose}) == len(loose)


def test_a_narrowed_summary_stays_inside_the_base_filter(cache: Cache) -> None:
    base = JournalFilter(actions=("tag_add",), since=T0 + 5 * 3600)
    for summary in batch_summaries(cache, base):
        assert count(cache, summary.row_filter(base)) == summary.rows


def test_batch_summaries_of_one_day_without_a_batch(cache: Cache) -> None:
    day = date.fromtimestamp(T0)
    flt = JournalFilter(since=datetime.combine(day, time()).timestamp(),
                        until=datetime.combine(day + timedelta(days=1), time()).timestamp())
    summaries = batch_summaries(cache, flt)
    assert sum(s.rows for s in summaries) == count(cache, flt)


def test_an_empty_journal(tmp_path: Path) -> None:
    with Cache(tmp_path / "empty.sqlite") as empty:
        assert list(matching_ids(empty, JournalFilter())) == []
        assert first_page(empty, JournalFilter()) == []
        assert batch_summaries(empty, JournalFilter()) == []


def test_a_row_cut_out_of_the_journal_is_skipped(tmp_path: Path) -> None:
    with Cache(tmp_path / "cut.sqlite") as cut:
        with cut.write() as conn:
            journal.append(conn, _entries(5))
        raw = sqlite3.connect(cut.path)
        raw.execute("DROP TRIGGER journal_no_delete")
        raw.execute("DELETE FROM journal WHERE id = 3")
        raw.commit()
        raw.close()
        assert [r.id for r in iter_rows(cut, JournalFilter())] == [1, 2, 4, 5, 6]


def test_journal_operators_lists_everyone_who_wrote(cache: Cache) -> None:
    assert journal_operators(cache) == sorted(OPERATORS)


def test_applied_changes_net_each_touched_tag_per_relation(tmp_path: Path) -> None:
    def row(action: str, tag_id: str, operator: str = "zhangsan",
            customer: str = "wmA1") -> journal.JournalEntry:
        return journal.JournalEntry(operator=operator, action=action, source="app",
                                    external_userid=customer, userid="lisi", tag_id=tag_id)

    with Cache(tmp_path / "applied.sqlite") as small:
        with small.write() as conn:
            journal.append(conn, [
                row("tag_add", "etA"),                  # added, then removed: no net change
                row("tag_remove", "etA"),
                row("tag_remove", "etB"),               # removed: present before, not after
                row("tag_add", "etC", operator="wangwu"),   # someone else's change
                row("tag_add", "etD", customer="wmB2"),
                row("tag_rename", "etD"),               # not a tag on a relation
            ])
        found = applied_changes(small, JournalFilter(operators=("zhangsan",)))
    assert found == [
        AppliedChange("wmA1", "lisi", frozenset({"etB"}), frozenset()),
        AppliedChange("wmB2", "lisi", frozenset(), frozenset({"etD"})),
    ]
