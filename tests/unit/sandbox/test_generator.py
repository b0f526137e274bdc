"""The generated demo corp: deterministic by seed, the promised size, skewed like a real one."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.sandbox.chat_export import CHAT_EXPORT_FILENAME
from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.generator import generate_corp
from desktop.sandbox.schema import open_database

ANCHOR = 1_767_225_600  # 2026-01-01


def _generate(folder: Path, **settings: Any) -> sqlite3.Connection:
    config = SandboxConfig(data_dir=folder, **settings)
    conn = open_database(folder)
    generate_corp(conn, config, ANCHOR)
    return conn


@pytest.fixture(scope="module")
def corp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = _generate(tmp_path_factory.mktemp("corp"), customers=3000, members=40, seed=3)
    yield conn
    conn.close()


def _scalar(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def test_same_seed_gives_the_same_corp_and_chat(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a", customers=200, members=10, seed=5)
    second = _generate(tmp_path / "b", customers=200, members=10, seed=5)
    other = _generate(tmp_path / "c", customers=200, members=10, seed=6)
    assert list(first.iterdump()) == list(second.iterdump())
    assert list(first.iterdump()) != list(other.iterdump())
    chat = (tmp_path / "a" / CHAT_EXPORT_FILENAME).read_bytes()
    assert chat == (tmp_path / "b" / CHAT_EXPORT_FILENAME).read_bytes()
    assert chat != (tmp_path / "c" / CHAT_EXPORT_FILENAME).read_bytes()


def test_sizes_match_the_config(corp: sqlite3.Connection) -> None:
    assert _scalar(corp, "SELECT COUNT(*) FROM customer") == 3000
    assert _scalar(corp, "SELECT COUNT(*) FROM member") == 40
    relations = _scalar(corp, "SELECT COUNT(*) FROM relation")
    assert 3000 * 1.15 <= relations <= 3000 * 1.3
    followers = Counter(
        n for (n,) in corp.execute("SELECT COUNT(*) FROM relation GROUP BY external_userid")
    )
    assert set(followers) == {1, 2, 3}
    assert 0.15 <= (followers[2] + followers[3]) / 3000 <= 0.21
    links = _scalar(corp, "SELECT COUNT(*) FROM relation_tag")
    assert 7.0 <= links / relations <= 9.0


def test_tag_usage_is_skewed(corp: sqlite3.Connection) -> None:
    relations = _scalar(corp, "SELECT COUNT(*) FROM relation")
    usage = [
        n
        for (n,) in corp.execute(
            "SELECT COUNT(rt.relation_id) FROM tag t LEFT JOIN relation_tag rt ON rt.tag_key = t.key"
            " GROUP BY t.key ORDER BY 1 DESC"
        )
    ]
    assert usage[0] > 0.3 * relations, "the most used tag sits on a third of the relations"
    assert sum(usage[:10]) > 0.35 * sum(usage), "ten of 94 tags carry over a third of the links"
    assert usage[-1] < 0.02 * relations, "a long tail of rarely used tags"
    per_relation = Counter(
        n for (n,) in corp.execute("SELECT COUNT(*) FROM relation_tag GROUP BY relation_id")
    )
    assert min(per_relation) <= 3 and max(per_relation) >= 13


def test_relations_are_believable(corp: sqlite3.Connection) -> None:
    assert not corp.execute(
        "SELECT 1 FROM relation r JOIN member m USING (userid) WHERE m.follow_enabled = 0"
    ).fetchone()
    states = dict(corp.execute("SELECT state, COUNT(*) FROM relation GROUP BY state").fetchall())
    assert {"expo2025", "douyin_ad", "wx_article_03"} <= set(states)
    assert not corp.execute("SELECT 1 FROM relation WHERE state != '' AND add_way != 1").fetchone()
    scanned = corp.execute(
        "SELECT COUNT(*) FROM relation WHERE state != '' AND oper_userid = external_userid"
    ).fetchone()[0]
    assert scanned == _scalar(corp, "SELECT COUNT(*) FROM relation WHERE state != ''")
    personal = _scalar(corp, "SELECT COUNT(DISTINCT relation_id) FROM personal_tag")
    assert 0.05 < personal / _scalar(corp, "SELECT COUNT(*) FROM relation") < 0.15
    years = _scalar(corp, "SELECT MAX(createtime) - MIN(createtime) FROM relation") / 86_400 / 365
    assert 1.8 < years <= 2.0
    types = dict(corp.execute("SELECT type, COUNT(*) FROM customer GROUP BY type").fetchall())
    assert types[1] > types[2] > 0
    assert not corp.execute(
        "SELECT 1 FROM customer WHERE type = 2 AND (corp_name = '' OR corp_full_name = '')"
    ).fetchone()


def test_console_groups_and_strategy_tags(corp: sqlite3.Connection) -> None:
    owned = dict(corp.execute("SELECT name, app_owned FROM tag_group WHERE strategy_id IS NULL"))
    assert owned["客户来源"] == 0 and owned["地区"] == 0
    assert owned["客户等级"] == 1 and owned["MKT-活动"] == 1 and owned["OPS-售后"] == 1
    outside_range = corp.execute(
        "SELECT COUNT(*) FROM relation_tag rt JOIN tag t ON t.key = rt.tag_key"
        " JOIN tag_group g ON g.key = t.group_key JOIN relation r ON r.id = rt.relation_id"
        " JOIN member m ON m.userid = r.userid"
        " WHERE g.strategy_id = 1 AND m.main_department NOT IN (7, 11)"
        " AND r.userid NOT IN (SELECT userid FROM member_department WHERE department_id IN (7, 11))"
    ).fetchone()[0]
    assert outside_range == 0
    assert (
        _scalar(
            corp,
            "SELECT COUNT(*) FROM relation_tag rt JOIN tag t ON t.key = rt.tag_key"
            " WHERE t.id LIKE 'st%'",
        )
        > 0
    )


def test_directory_has_leaders_and_pinyin_userids(corp: sqlite3.Connection) -> None:
    userids = [u for (u,) in corp.execute("SELECT userid FROM member")]
    assert all(u.isascii() and u.isalnum() and u.islower() for u in userids)
    leaders = _scalar(
        corp, "SELECT COUNT(DISTINCT department_id) FROM member_department WHERE is_leader = 1"
    )
    assert leaders == _scalar(corp, "SELECT COUNT(DISTINCT department_id) FROM member_department")
    names = {n for (n,) in corp.execute("SELECT name FROM department")}
    assert {"总部", "市场部", "运营部", "销售一部", "销售二部", "华北分公司", "华南分公司"} <= names


def test_chat_export_has_sales_talk(tmp_path: Path) -> None:
    conn = _generate(tmp_path, customers=1500, members=12, seed=2)
    relations = set(conn.execute("SELECT userid, external_userid FROM relation"))
    lines = (tmp_path / CHAT_EXPORT_FILENAME).read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines]
    assert len(messages) > 500
    keys = {"msgid", "msgtime", "from", "tolist", "external_userid", "userid", "msgtype", "content"}
    assert all(set(m) == keys and m["msgtype"] == "text" for m in messages)
    assert all((m["userid"], m["external_userid"]) in relations for m in messages)
    assert all(m["from"] in (m["userid"], m["external_userid"]) for m in messages)
    times = [m["msgtime"] for m in messages]
    assert times == sorted(times) and times[0] > 10**12
    text = "\n".join(m["content"] for m in messages)
    for phrase in ("太贵了", "超出预算", "不值这个价", "不贵", "太桂了", "报价单"):
        assert phrase in text


@pytest.mark.parametrize(("customers", "members"), [(0, 1), (10, 1), (25, 3)])
def test_tiny_corps_generate(tmp_path: Path, customers: int, members: int) -> None:
    conn = _generate(tmp_path, customers=customers, members=members, seed=1)
    assert _scalar(conn, "SELECT COUNT(*) FROM customer") == customers
    assert _scalar(conn, "SELECT COUNT(*) FROM member WHERE follow_enabled = 1") >= 1
    assert _scalar(conn, "SELECT COUNT(*) FROM contact_way") == 6
