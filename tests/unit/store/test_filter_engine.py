"""FilterEngine over a real SQLite cache, checked against a naive evaluation of the same data."""

from __future__ import annotations

import random
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache as cache_result
from pathlib import Path

import pytest
from pyroaring import BitMap

from desktop.domain.filter import (
    AddedTerm,
    AmbiguousTagError,
    And,
    Comparison,
    DeptTerm,
    Expr,
    FilterSyntaxError,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
    UnknownOwnerError,
    UnknownTagError,
    parse,
    resolve,
    to_text,
)
from desktop.domain.sort_key import person_sort_key
from desktop.store import filter_index, filter_sql, sort_keys
from desktop.store.db import Cache
from desktop.store.filter_catalogue import load_catalogue
from desktop.store.filter_engine import ORDER_COLUMNS, FilterCount, FilterEngine

GROUPS = [("g1", "客户等级", 0), ("g2", "复购", 0), ("g3", "行业类型", 0), ("g4", "意向", 0),
          ("g5", "旧分组", 1)]
TAGS = [  # pk, WeCom id, group, name, deleted
    (1, "t1", "g1", "VIP", 0), (2, "t2", "g1", "普通", 0), (3, "t3", "g2", "VIP", 0),
    (4, "t4", "g2", "三次复购客户", 0), (5, "t5", "g3", "教育", 0), (6, "t6", "g3", "教育/K12", 0),
    (7, "t7", "g3", "教育/K12/小学", 0), (8, "t8", "g3", "教育/职业培训", 0),
    (9, "t9", "g3", "金融/银行", 0), (10, "t10", "g3", "教育家", 0), (11, "t11", "g4", "高意向", 0),
    (12, "t12", "g4", "低意向", 0), (13, "t13", "g4", "已流失", 0), (14, "t14", "g4", "作废", 1),
    (15, "t15", "g5", "旧标签", 0), (16, "t16", "g4", "A&B 组合", 0),
]
LIVE_PKS = {pk for pk, _, gid, _, deleted in TAGS if not deleted and gid != "g5"}
DEPARTMENTS = [(1, "总部", 0), (2, "华东", 1), (3, "销售一部", 2), (4, "华南", 1), (5, "销售二部", 4)]
MEMBERS = [("zhangsan", "张三", [3]), ("lisi", "李四", [3, 5]), ("wangwu", "王五", [5]),
           ("zhaoliu", "赵六", [2]), ("boss", "老板", [1])]
CONTACT_WAYS = [("c1", "expo2026", "展会A"), ("c2", "expo2026b", "展会A"), ("c3", "web", "官网")]
STATES = ["", "", "expo2026", "expo2026b", "web", "other"]
WORDS = ["北京", "上海", "腾讯", "Acme", "采购", "王总", "ＶＩＰ客户", "beijing"]
OWNERS = [m[0] for m in MEMBERS] + ["departed"]
BASE_TIME = int(datetime(2024, 6, 1, tzinfo=UTC).timestamp())


@dataclass
class Relation:
    id: int
    customer: str
    owner: str
    remark: str
    description: str
    createtime: int
    state: str
    remark_corp_name: str
    tags: set[int] = field(default_factory=set)


@dataclass
class Dataset:
    customers: dict[str, tuple[str, str, str]]  # external_userid → name, corp name, full name
    relations: list[Relation]


def _words(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 3)))


def build_dataset(seed: int, customers: int = 150) -> Dataset:
    rng = random.Random(seed)
    people = {
        f"wm{i:04d}": (f"客户{i}{_words(rng)}", _words(rng), _words(rng)) for i in range(customers)
    }
    relations: list[Relation] = []
    for external_userid in people:
        for owner in rng.sample(OWNERS, rng.choice([1, 1, 1, 2, 3])):
            relation = Relation(
                id=len(relations) * 3 + 7, customer=external_userid, owner=owner,
                remark=_words(rng), description=_words(rng),
                createtime=BASE_TIME + rng.randrange(0, 400 * 86400), state=rng.choice(STATES),
                remark_corp_name=_words(rng),
            )
            weights = [1 / rank for rank in range(1, len(TAGS) + 1)]
            relation.tags = {TAGS[i][0] for i in rng.choices(range(len(TAGS)), weights, k=4)}
            if rng.random() < 0.15:
                relation.tags.clear()
            relations.append(relation)
    return Dataset(people, relations)


def fill_cache(cache: Cache, data: Dataset) -> None:
    with cache.write() as tx:
        tx.executemany("INSERT INTO tag_group(id, name, deleted) VALUES (?, ?, ?)", GROUPS)
        tx.executemany("INSERT INTO tag(pk, id, group_id, name, deleted) VALUES (?, ?, ?, ?, ?)",
                       TAGS)
        tx.executemany("INSERT INTO department(id, name, parent_id) VALUES (?, ?, ?)",
                       DEPARTMENTS)
        for userid, name, departments in MEMBERS:
            tx.execute("INSERT INTO member(userid, name) VALUES (?, ?)", (userid, name))
            tx.executemany("INSERT INTO member_department(userid, department_id) VALUES (?, ?)",
                           [(userid, d) for d in departments])
        tx.executemany("INSERT INTO contact_way(config_id, state, remark) VALUES (?, ?, ?)",
                       CONTACT_WAYS)
        tx.executemany(
            "INSERT INTO customer(external_userid, name, corp_name, corp_full_name)"
            " VALUES (?, ?, ?, ?)", [(k, *v) for k, v in data.customers.items()],
        )
        tx.executemany(
            "INSERT INTO relation(id, external_userid, userid, remark, description, createtime,"
            " state, remark_corp_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.id, r.customer, r.owner, r.remark, r.description, r.createtime, r.state,
              r.remark_corp_name) for r in data.relations],
        )
        tx.executemany("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)",
                       [(r.id, pk) for r in data.relations for pk in r.tags])
        sort_keys.refresh(tx)
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (999999, 11)")
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, 77)",
                   (data.relations[0].id,))  # a link to a tag the cache does not know
        cache.set_meta(tx, "data_version", "1")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(seed=11)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Path:
    """A cache file holding `dataset`, filled once for the module: each test opens a copy."""
    path = tmp_path_factory.mktemp("filled") / "c.sqlite"
    with Cache(path) as opened:
        fill_cache(opened, dataset)
    return path


@pytest.fixture
def cache(tmp_path: Path, filled: Path) -> Iterator[Cache]:
    shutil.copyfile(filled, tmp_path / "c.sqlite")
    with Cache(tmp_path / "c.sqlite") as opened:
        yield opened


@pytest.fixture(params=["lookups", "customer map", "prepared"])
def engine(cache: Cache, request: pytest.FixtureRequest,
           monkeypatch: pytest.MonkeyPatch) -> FilterEngine:
    """Both ways of counting customers: per-id lookups for few relations, or the map;
    and an engine prepared as after a sync (every structure built in advance)."""
    if request.param == "customer map":
        monkeypatch.setattr(filter_index, "FEW_RELATIONS", 0)
    engine = FilterEngine(cache, tz=UTC)
    if request.param == "prepared":
        engine.prepare()
    return engine


# -- the naive evaluation -------------------------------------------------------------------


def _segments(name: str) -> list[str]:
    return [s.strip() for s in name.split("/") if s.strip()]


@cache_result
def _tag_pks(term: TagTerm) -> set[int]:
    found = set()
    for pk, _, gid, name, _ in TAGS:
        group = next(g for g in GROUPS if g[0] == gid)
        if pk not in LIVE_PKS or (term.group is not None and group[1] != term.group):
            continue
        if term.descendants:
            prefix = _segments(term.name)
            if _segments(name)[: len(prefix)] == prefix:
                found.add(pk)
        elif name == term.name:
            found.add(pk)
    return found


@cache_result
def _owners_in(dept: int) -> set[str]:
    subtree = {dept}
    while True:
        more = {d for d, _, parent in DEPARTMENTS if parent in subtree} - subtree
        if not more:
            break
        subtree |= more
    return {userid for userid, _, departments in MEMBERS if subtree & set(departments)}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _compare(value: int, op: Comparison, first: int, end: int) -> bool:
    return {
        Comparison.EQ: first <= value < end, Comparison.NE: not first <= value < end,
        Comparison.LT: value < first, Comparison.LE: value < end,
        Comparison.GT: value >= end, Comparison.GE: value >= first,
    }[op]


def naive(expr: Expr, data: Dataset, r: Relation) -> bool:
    if isinstance(expr, MatchAll):
        return True
    if isinstance(expr, Not):
        return not naive(expr.operand, data, r)
    if isinstance(expr, And):
        return all(naive(e, data, r) for e in expr.operands)
    if isinstance(expr, Or):
        return any(naive(e, data, r) for e in expr.operands)
    if isinstance(expr, TagTerm):
        return bool(r.tags & _tag_pks(expr))
    if isinstance(expr, GroupTerm):
        gids = {g[0] for g in GROUPS if g[1] == expr.group}
        return any(pk in r.tags and pk in LIVE_PKS for pk, _, gid, _, _ in TAGS if gid in gids)
    if isinstance(expr, OwnerTerm):
        return r.owner == expr.value
    if isinstance(expr, DeptTerm):
        return r.owner in _owners_in(int(expr.value))
    if isinstance(expr, StateTerm):
        states = {expr.value} | {s for _, s, remark in CONTACT_WAYS if remark == expr.value}
        return r.state in states
    if isinstance(expr, TextTerm):
        fields = [r.remark, r.description, r.remark_corp_name, *data.customers[r.customer]]
        return any(_folded(expr.value) in _folded(f) for f in fields)
    if isinstance(expr, AddedTerm):
        first = int(datetime.combine(expr.when.first, datetime.min.time(), UTC).timestamp())
        end = int(datetime.combine(expr.when.end, datetime.min.time(), UTC).timestamp())
        return _compare(r.createtime, expr.op, first, end)
    if isinstance(expr, TagCountTerm):
        return _compare(len(r.tags & LIVE_PKS), expr.op, expr.count, expr.count + 1)
    raise TypeError(expr)


def expected_ids(text: str, data: Dataset) -> BitMap:
    expr = parse(text)
    return BitMap(r.id for r in data.relations if naive(expr, data, r))


def expected_count(text: str, data: Dataset) -> FilterCount:
    ids = expected_ids(text, data)
    customers = {r.customer for r in data.relations if r.id in ids}
    return FilterCount(len(ids), len(customers))


# -- each construct -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "", "高意向", "客户等级:VIP", "复购:VIP", "'A&B 组合'", "「A&B 组合」", "group:客户等级",
    "分组:意向", "教育/*", "教育/K12/*", "行业类型:教育/*", "金融/*", "教育家",
    "高意向 客户等级:VIP", "高意向 AND 低意向", "高意向 且 普通", "高意向 & 普通",
    "高意向 OR 低意向", "高意向 或 已流失", "高意向 | 普通", "NOT 高意向", "非 高意向", "-高意向",
    "!已流失", "高意向 -已流失", "-(高意向 | 低意向) 普通", "（高意向 或 低意向） 且 非 已流失",
    "owner:zhangsan", "owner:departed", "负责人:lisi", "dept:3", "部门:4", "dept:1",
    "state:expo2026", "渠道:展会A", "state:web", "state:nothing",
    "text:北京", "搜索:acme", "text:ｖｉｐ客户", "text:vip客户", "text:BEIJING",
    'text:"京\x1f"', "text:客户1", "text:王总采购",
    "added>2025-01-01", "added<2025-01-01", "added>=2024-12", "added<=2024-12", "added:2025",
    "added!=2025-03", "添加时间>=2025-02-10", "before:2024-08-01", "after:2025-06-30",
    "tags>=3", "tags:0", "tags<2", "tags!=1", "tags>2", "标签数<=1",
    "(高意向 | group:复购) owner:lisi -tags:0 added>=2024-10",
])
def test_each_construct_matches_the_naive_evaluation(
    text: str, engine: FilterEngine, dataset: Dataset
) -> None:
    assert engine.evaluate(text) == expected_ids(text, dataset)
    assert engine.count(text) == expected_count(text, dataset)


def test_names_resolve_through_the_cache(engine: FilterEngine, dataset: Dataset) -> None:
    assert engine.evaluate("负责人:张三") == expected_ids("owner:zhangsan", dataset)
    assert engine.evaluate("dept:销售一部") == expected_ids("dept:3", dataset)
    assert engine.evaluate("dept:华南/销售二部") == expected_ids("dept:5", dataset)
    assert engine.evaluate("客户等级:vip") == expected_ids("客户等级:VIP", dataset)


def test_blank_filter_is_every_relation(engine: FilterEngine, dataset: Dataset) -> None:
    everything = BitMap(r.id for r in dataset.relations)
    assert engine.evaluate("  ") == everything
    assert engine.count("") == FilterCount(len(dataset.relations), len(dataset.customers))


def test_dangling_links_and_deleted_tags_stay_out(engine: FilterEngine) -> None:
    assert 999999 not in engine.evaluate("高意向")
    with pytest.raises(UnknownTagError):
        engine.evaluate("作废")
    with pytest.raises(UnknownTagError):
        engine.evaluate("旧标签")


def test_universe_with_and_without_gaps(tmp_path: Path) -> None:
    with Cache(tmp_path / "dense.sqlite") as cache:
        engine = FilterEngine(cache)
        assert engine.count("") == FilterCount(0, 0)
        assert engine.relation_ids("") == []
        with cache.write() as tx:
            tx.executemany("INSERT INTO relation(id, external_userid, userid, createtime)"
                           " VALUES (?, ?, ?, ?)", [(i, f"wm{i % 4}", f"u{i}", i) for i in range(1, 11)])
            cache.set_meta(tx, "data_version", "1")
        assert engine.evaluate("") == BitMap(range(1, 11))
        assert engine.count("") == FilterCount(10, 4)
        assert engine.count("tags:0") == FilterCount(10, 4)
        with cache.write() as tx:
            tx.execute("DELETE FROM relation WHERE id IN (4, 8)")
            cache.set_meta(tx, "data_version", "2")
        assert engine.evaluate("") == BitMap([1, 2, 3, 5, 6, 7, 9, 10])
        assert engine.count("") == FilterCount(8, 3)
        assert engine.relation_ids("", limit=2) == [10, 9]


def test_ambiguous_and_unknown_names_raise(engine: FilterEngine) -> None:
    with pytest.raises(AmbiguousTagError) as caught:
        engine.count("高意向 VIP")
    assert caught.value.candidates == ["复购:VIP", "客户等级:VIP"]
    assert caught.value.position == 4
    with pytest.raises(UnknownTagError) as caught_tag:
        engine.evaluate("高意相")
    assert caught_tag.value.suggestions[0] == "高意向"
    with pytest.raises(UnknownOwnerError):
        engine.relation_ids("owner:nobody")
    with pytest.raises(FilterSyntaxError):
        engine.count("高意向 AND")
    assert engine.check("高意向") is not None
    with pytest.raises(UnknownTagError):
        engine.check("没有这个")


def test_parse_needs_no_cache(engine: FilterEngine) -> None:
    assert engine.parse("高意向 VIP") == And((TagTerm("高意向"), TagTerm("VIP")))


# -- random expressions ---------------------------------------------------------------------

_LEAVES = [
    "高意向", "低意向", "已流失", "普通", "客户等级:VIP", "复购:VIP", "三次复购客户", "教育/*",
    "教育/K12/*", "金融/银行", "'A&B 组合'", "group:客户等级", "group:复购", "owner:zhangsan",
    "owner:lisi", "owner:departed", "dept:2", "dept:5", "state:expo2026", "渠道:展会A",
    "text:北京", "text:acme", "text:客户2", "added>=2025-01", "added<2024-09-15", "added:2025-02",
    "before:2025-03-01", "tags>=3", "tags:0", "tags!=2", "tags<2",
]


def _random_filter(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(_LEAVES)
    shape = rng.randrange(4)
    if shape == 0:
        return f"-({_random_filter(rng, depth - 1)})"
    operator = rng.choice([" ", " AND ", " 且 ", " OR ", " | ", " 或 "])
    parts = [_random_filter(rng, depth - 1) for _ in range(rng.randrange(2, 4))]
    return "(" + operator.join(parts) + ")"


def test_random_expressions_match_the_naive_evaluation(
    engine: FilterEngine, dataset: Dataset
) -> None:
    rng = random.Random(4242)
    for _ in range(300):
        text = _random_filter(rng, 3)
        assert engine.count(text) == expected_count(text, dataset), text
        assert engine.evaluate(to_text(parse(text))) == expected_ids(text, dataset), text


# -- ordering ------------------------------------------------------------------------------


def _sort_key(order_by: str, r: Relation, data: Dataset) -> tuple[object, ...]:
    names = {userid: name for userid, name, _ in MEMBERS}
    key = {
        "createtime": (r.createtime,), "name": (person_sort_key(data.customers[r.customer][0]),),
        "corp_name": (data.customers[r.customer][1],), "remark": (r.remark,),
        "state": (r.state,), "owner": (names.get(r.owner) is not None,
                                       person_sort_key(names.get(r.owner, "")), r.owner,
                                       person_sort_key(data.customers[r.customer][0])),
    }[order_by]
    return (*key, r.id)


@pytest.mark.parametrize("order_by", ORDER_COLUMNS)
@pytest.mark.parametrize("text", ["", "高意向 | owner:lisi"])
def test_relation_ids_are_ordered(
    order_by: str, text: str, engine: FilterEngine, cache: Cache, dataset: Dataset
) -> None:
    wanted = expected_ids(text, dataset)
    rows = sorted((r for r in dataset.relations if r.id in wanted),
                  key=lambda r: _sort_key(order_by, r, dataset))
    ascending = [r.id for r in rows]
    assert engine.relation_ids(text, order_by=order_by, descending=False) == ascending
    assert engine.relation_ids(text, order_by=order_by) == ascending[::-1]
    assert engine.relation_ids(text, order_by, False, limit=5) == ascending[:5]
    conn = cache.connection()        # as SQL answers a cold engine
    plan = resolve(parse(text), load_catalogue(conn), UTC)
    assert filter_sql.ordered(conn, plan, order_by, False, None) == ascending


def test_order_by_is_a_whitelist(engine: FilterEngine) -> None:
    assert set(ORDER_COLUMNS) == {"createtime", "name", "corp_name", "owner", "remark", "state"}
    with pytest.raises(ValueError, match="cannot order by"):
        engine.relation_ids("", order_by="name; DROP TABLE relation")


def test_default_order_is_newest_first(engine: FilterEngine, dataset: Dataset) -> None:
    newest = max(dataset.relations, key=lambda r: (r.createtime, r.id))
    assert engine.relation_ids("", limit=1) == [newest.id]
    assert engine.relation_ids("", limit=0) == []


# -- keeping results fresh -----------------------------------------------------------------------


def _retag(cache: Cache, relation_id: int, pk: int, bump: str | None) -> None:
    with cache.write() as tx:
        tx.execute("INSERT OR IGNORE INTO relation_tag(relation_id, tag_pk) VALUES (?, ?)",
                   (relation_id, pk))
        if bump is not None:
            cache.set_meta(tx, "data_version", bump)


def _untagged(dataset: Dataset, pk: int) -> Relation:
    return next(r for r in dataset.relations if pk not in r.tags)


def test_a_data_version_bump_drops_kept_results(
    cache: Cache, engine: FilterEngine, dataset: Dataset
) -> None:
    target = _untagged(dataset, 12)
    before = engine.count("低意向")
    assert target.id not in engine.evaluate("低意向")
    _retag(cache, target.id, 12, bump="2")
    assert target.id in engine.evaluate("低意向")
    assert engine.count("低意向").relations == before.relations + 1


def test_invalidate_drops_kept_results(
    cache: Cache, engine: FilterEngine, dataset: Dataset
) -> None:
    target = _untagged(dataset, 13)
    assert target.id not in engine.evaluate("已流失")
    assert engine.count("tags>=0").relations == len(dataset.relations)
    _retag(cache, target.id, 13, bump=None)
    assert target.id not in engine.evaluate("已流失")  # kept: nobody said the cache changed
    engine.invalidate()
    assert target.id in engine.evaluate("已流失")


def test_new_relations_join_the_universe_after_a_bump(
    cache: Cache, engine: FilterEngine, dataset: Dataset
) -> None:
    assert engine.count("").relations == len(dataset.relations)
    with cache.write() as tx:
        tx.execute("INSERT INTO customer(external_userid, name) VALUES ('wmnew', '新客户')")
        tx.execute("INSERT INTO relation(id, external_userid, userid, createtime)"
                   " VALUES (5, 'wmnew', 'lisi', 0)")
        cache.set_meta(tx, "data_version", "new")
    assert engine.count("") == FilterCount(len(dataset.relations) + 1,
                                           len(dataset.customers) + 1)
    assert engine.relation_ids("text:新客户") == [5]
    assert engine.relation_ids("-tags>=1", order_by="createtime", descending=False)[0] == 5


def test_reads_inside_an_open_write_transaction(
    cache: Cache, engine: FilterEngine, dataset: Dataset
) -> None:
    target = _untagged(dataset, 12)
    with cache.write() as tx:
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, 12)", (target.id,))
        cache.set_meta(tx, "data_version", "inside")
        assert target.id in engine.evaluate("低意向")
    assert target.id in engine.evaluate("低意向")


def test_uncommitted_data_is_not_kept(cache: Cache, dataset: Dataset) -> None:
    engine = FilterEngine(cache)
    target = _untagged(dataset, 12)
    with pytest.raises(RuntimeError), cache.write() as tx:
        tx.execute("INSERT INTO relation_tag(relation_id, tag_pk) VALUES (?, 12)", (target.id,))
        assert target.id in engine.evaluate("低意向")
        raise RuntimeError("roll back")
    assert target.id not in engine.evaluate("低意向")


def test_threads_share_the_engine(engine: FilterEngine, dataset: Dataset) -> None:
    texts = ["高意向 -已流失", "text:北京 | tags>=3", "dept:2 added>=2025-01", "group:复购"]
    wanted = {text: expected_ids(text, dataset) for text in texts}
    failures: list[str] = []

    def work(offset: int) -> None:
        for i in range(40):
            text = texts[(i + offset) % len(texts)]
            if i % 10 == 0:
                engine.invalidate()
            if engine.evaluate(text) != wanted[text]:
                failures.append(text)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_dates_follow_the_engine_zone(cache: Cache) -> None:
    late_january_utc = int(datetime(2025, 1, 31, 20, 0, tzinfo=UTC).timestamp())
    with cache.write() as tx:
        tx.execute("INSERT INTO customer(external_userid) VALUES ('wmlate')")
        tx.execute("INSERT INTO relation(id, external_userid, userid, createtime)"
                   " VALUES (3, 'wmlate', 'lisi', ?)", (late_january_utc,))
        cache.set_meta(tx, "data_version", "late")
    east8 = timezone(timedelta(hours=8))
    assert 3 in FilterEngine(cache, tz=UTC).evaluate("added:2025-01")
    assert 3 not in FilterEngine(cache, tz=east8).evaluate("added:2025-01")
    assert 3 in FilterEngine(cache, tz=east8).evaluate("added:2025-02-01")
