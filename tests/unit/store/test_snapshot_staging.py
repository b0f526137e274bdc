"""A sync's staged links: split by SQLite as pages arrive, merged as set operations."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from hashlib import blake2b
from pathlib import Path

import pytest

from desktop.store.db import Cache
from desktop.store.snapshot import (
    LAST_SYNC_KEY,
    CustomerRow,
    GroupRow,
    ItemsPage,
    MemberRow,
    RelationRow,
    Snapshot,
    Staging,
    TagRow,
    relation_signature,
    tag_hashes,
    write_snapshot,
)
from tests.unit.store.older_cache import cache_at_version

GROUPS = [GroupRow("g1", "意向")]
TAGS = [TagRow("etA", "g1", "高意向"), TagRow("etB", "g1", "低意向"), TagRow('et"C\\', "g1", "怪")]


def _links(cache: Cache) -> set[tuple[str, str, str]]:
    return set(cache.connection().execute(
        "SELECT r.external_userid, r.userid, t.id FROM relation_tag rt"
        " JOIN relation r ON r.id = rt.relation_id JOIN tag t ON t.pk = rt.tag_pk").fetchall())


def _ids(tags: list[TagRow]) -> list[str]:
    return [t.id for t in tags]


def _write(cache: Cache, *pages: list[RelationRow]) -> int:
    with Staging(cache, _ids(TAGS)) as staging:
        for page in pages:
            staging.add([CustomerRow(r.external_userid, r.external_userid) for r in page], page)
        written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
    return written.tag_links


def test_a_relation_staged_again_keeps_only_its_last_links(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        links = _write(
            cache,
            [RelationRow("wm1", "u1", tag_ids=("etA", "etB")), RelationRow("wm2", "u1")],
            [RelationRow("wm1", "u1", tag_ids=("etB",)),
             RelationRow("wm2", "u2", tag_ids=("etA", "etA", 'et"C\\', "etGone"))],
        )
        assert _links(cache) == {("wm1", "u1", "etB"), ("wm2", "u2", "etA"),
                                 ("wm2", "u2", 'et"C\\')}
        assert links == 3  # an unknown tag id is not a link
        assert cache.scalar("SELECT count(*) FROM relation") == 3
        _write(cache, [RelationRow("wm3", "u1", tag_ids=("etA",)), RelationRow("wm1", "u1"),
                       RelationRow("wm3", "u1", tag_ids=("etB",))])  # twice in one page
        assert _links(cache) == {("wm3", "u1", "etB")}
        assert cache.scalar("SELECT count(*) FROM relation") == 2


def test_a_resync_changes_only_the_links_that_differ(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, [RelationRow("wm1", "u1", tag_ids=("etA", "etB")),
                       RelationRow("wm2", "u1", tag_ids=("etA",))])
        before = dict(cache.connection().execute(
            "SELECT external_userid, id FROM relation").fetchall())
        links = _write(cache, [RelationRow("wm1", "u1", tag_ids=("etB",)),
                                  RelationRow("wm2", "u1", tag_ids=("etA",)),
                                  RelationRow("wm3", "u1", tag_ids=("etB", "etA"))])
        assert _links(cache) == {("wm1", "u1", "etB"), ("wm2", "u1", "etA"),
                                 ("wm3", "u1", "etA"), ("wm3", "u1", "etB")}
        assert links == 4
        after = dict(cache.connection().execute(
            "SELECT external_userid, id FROM relation").fetchall())
        assert {k: after[k] for k in before} == before and after["wm3"] > max(before.values())
        assert cache.scalar("SELECT count(*) FROM journal WHERE action = 'tag_remove'") == 1


def test_a_first_sync_over_rows_already_there_replaces_their_links_silently(
    tmp_path: Path,
) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, [RelationRow("wm1", "u1", tag_ids=("etA",))])
        with cache.write() as tx:
            tx.execute("DELETE FROM meta WHERE key = ?", (LAST_SYNC_KEY,))
        _write(cache, [RelationRow("wm1", "u1", tag_ids=("etB",))])
        assert _links(cache) == {("wm1", "u1", "etB")}
        assert cache.scalar("SELECT count(*) FROM journal") == 0


def test_a_sync_leaves_the_search_text_folded_for_every_relation(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, [RelationRow("wm1", "u1", remark="ＡＢ老板"), RelationRow("wm2", "u1")])
        _write(cache, [RelationRow("wm1", "u1", remark="Ｃd"), RelationRow("wm3", "u2")])
        rows = dict(cache.connection().execute(
            "SELECT r.external_userid, s.folded FROM relation_search s"
            " JOIN relation r ON r.id = s.relation_id").fetchall())
        assert rows == {"wm1": "cd\x1f\x1f\x1fwm1\x1f\x1f\x1fwm1\x1f[]",
                        "wm3": "\x1f\x1f\x1fwm3\x1f\x1f\x1fwm3\x1f[]"}
        assert cache.scalar("SELECT count(*) FROM relation_search") == 2


def test_a_relation_written_by_another_connection_after_it_was_found_unchanged_keeps_it(
    tmp_path: Path,
) -> None:
    start = [RelationRow("wm1", "u1", tag_ids=("etA",)), RelationRow("wm2", "u1")]
    with Cache(tmp_path / "c.sqlite") as cache, Cache(tmp_path / "c.sqlite") as other:
        _write(cache, start)
        page = [*start, RelationRow("wm3", "u1", tag_ids=("etB", "etGone"))]
        with Staging(cache, _ids(TAGS)) as staging:
            staging.add([CustomerRow(r.external_userid, r.external_userid) for r in page],
                        page)  # the first two as cached
            with other.write() as tx:  # a tagging write lands while the sync still reads
                tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) SELECT r.id, t.pk"
                           " FROM relation r, tag t WHERE r.external_userid = 'wm2'"
                           " AND t.id = 'etB'")
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
        # the write came after the page that showed wm2 as cached: it is the newer
        assert _links(cache) == {("wm1", "u1", "etA"), ("wm2", "u1", "etB"),
                                 ("wm3", "u1", "etB")}
        assert written.relations == 3 and written.customers == 3
        assert cache.scalar("SELECT count(*) FROM journal") == 0
        assert cache.scalar("SELECT sync_sig FROM relation WHERE external_userid = 'wm2'") is None
        _write(cache, page)  # the next sync compares wm2 again: WeCom shows no etB
        assert _links(cache) == {("wm1", "u1", "etA"), ("wm3", "u1", "etB")}
        assert cache.scalar("SELECT count(*) FROM journal WHERE action = 'tag_remove'") == 1


def test_a_tag_gone_from_wecom_leaves_the_relations_that_carried_it(tmp_path: Path) -> None:
    both = [RelationRow("wm1", "u1", tag_ids=("etA", "etB"))]
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, both)
        with Staging(cache, _ids(TAGS[:1])) as staging:  # the page names etB, the tags do not
            staging.add([CustomerRow("wm1", "wm1")], both)
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS[:1]), staging)
        assert _links(cache) == {("wm1", "u1", "etA")}
        assert written.tag_links == 1


def test_a_tag_new_in_this_sync_links_new_and_known_relations(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, [RelationRow("wm1", "u1", tag_ids=("etA",))])
        newer = [*TAGS, TagRow("etNew", "g1", "新标签")]
        page = [RelationRow("wm1", "u1", tag_ids=("etA", "etNew")),
                RelationRow("wm2", "u1", tag_ids=("etNew",))]
        with Staging(cache, _ids(newer)) as staging:
            staging.add([CustomerRow(r.external_userid, r.external_userid) for r in page], page)
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=newer), staging)
        assert _links(cache) == {("wm1", "u1", "etA"), ("wm1", "u1", "etNew"),
                                 ("wm2", "u1", "etNew")}
        assert written.tag_links == 3 and written.relations == 2


def _content(cache: Cache) -> list[tuple[object, ...]]:
    conn = cache.connection()
    return [*conn.execute("SELECT * FROM relation ORDER BY id"),
            *conn.execute("SELECT * FROM customer ORDER BY external_userid"),
            *conn.execute("SELECT * FROM relation_tag ORDER BY relation_id, tag_pk")]


def test_a_resync_stages_only_the_rows_that_differ_from_what_the_last_sync_wrote(
    tmp_path: Path,
) -> None:
    first = [RelationRow("wm1", "u1", tag_ids=("etA",)), RelationRow("wm2", "u1", remark="a"),
             RelationRow("wm3", "u1"), RelationRow("wm1", "u2", tag_ids=("etB", "etGone"))]
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, first)
        page = [RelationRow("wm1", "u1", tag_ids=("etA",)), RelationRow("wm2", "u1", remark="b"),
                RelationRow("wm1", "u2", tag_ids=("etGone", "etB", "etB"))]  # wm3 is gone
        customers = [CustomerRow("wm1", "wm1"), CustomerRow("wm2", "王"), CustomerRow("wm1", "wm1")]
        with Staging(cache, _ids(TAGS)) as staging:
            staging.add(customers, page)
            assert staging.count("temp.stage_relation") == 1  # wm2's remark
            assert staging.count("temp.stage_customer") == 1  # wm2's name
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
        assert (written.relations, written.customers, written.tag_links) == (3, 2, 2)
        assert cache.connection().execute(
            "SELECT r.remark, c.name FROM relation r JOIN customer c USING (external_userid)"
            " WHERE r.external_userid = 'wm2'").fetchall() == [("b", "王")]
        assert cache.scalar("SELECT count(*) FROM relation WHERE external_userid = 'wm3'") == 0
        assert cache.scalar("SELECT count(*) FROM relation WHERE sync_sig IS NULL") == 0
        with Staging(cache, _ids(TAGS)) as staging:  # as written: nothing to stage
            staging.add(customers, page)
            assert staging.count("temp.stage_relation") == staging.count(
                "temp.stage_customer") == 0


def test_a_customer_renamed_on_an_unchanged_relation_is_staged_with_it(tmp_path: Path) -> None:
    """A relation's signature covers its customer as its row gave it: no customer has one."""
    page = [RelationRow("wm1", "u1", tag_ids=("etA",)), RelationRow("wm1", "u2"),
            RelationRow("wm2", "u1")]
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, page)
        renamed = [CustomerRow("wm1", "张三"), CustomerRow("wm2", "wm2")]
        with Staging(cache, _ids(TAGS)) as staging:
            staging.add(renamed, page)
            assert staging.count("temp.stage_relation") == 2  # both of wm1's, compared
            assert staging.count("temp.stage_customer") == 1
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
        assert written.observed_changes == 0
        assert cache.scalar("SELECT name FROM customer WHERE external_userid = 'wm1'") == "张三"
        with Staging(cache, _ids(TAGS)) as staging:  # signed with the new name
            staging.add(renamed, page)
            assert staging.count("temp.stage_relation") == staging.count(
                "temp.stage_customer") == 0


def test_a_cache_without_signatures_is_compared_row_by_row_and_ends_as_a_signed_one(
    tmp_path: Path,
) -> None:
    page = [RelationRow("wm1", "u1", tag_ids=("etA",), remark_mobiles=("138",)),
            RelationRow("wm2", "u1", tag_ids=("etB", "etA"))]
    with Cache(tmp_path / "a.sqlite") as signed, Cache(tmp_path / "b.sqlite") as unsigned:
        for cache in (signed, unsigned):
            _write(cache, page)
        with unsigned.write() as tx:  # as a cache from before signatures migrates
            tx.execute("UPDATE relation SET sync_sig = NULL")
        with Staging(unsigned, _ids(TAGS)) as staging:
            staging.add([CustomerRow(r.external_userid, r.external_userid) for r in page], page)
            assert staging.count("temp.stage_relation") == 2
            write_snapshot(unsigned, Snapshot(groups=GROUPS, tags=TAGS), staging)
        assert _content(unsigned) == _content(signed)
        assert unsigned.scalar("SELECT count(*) FROM journal") == 0


def test_staging_is_merged_only_with_the_tag_list_it_signed_with(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache, Staging(cache, _ids(TAGS)) as staging:
        staging.add([], [RelationRow("wm1", "u1", tag_ids=("etA",))])
        with pytest.raises(ValueError):
            write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS[:1]), staging)
        assert cache.scalar("SELECT count(*) FROM relation") == 0


def test_a_member_named_as_before_keeps_its_sort_key_and_a_renamed_one_is_keyed_again(
    tmp_path: Path,
) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        before = [MemberRow("u1", "张三"), MemberRow("u2", "李四")]
        write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS, members=before))
        with cache.write() as tx:  # a key no sync would make: kept only if not made again
            tx.execute("UPDATE member SET name_sort = 'kept'")
        after = [MemberRow("u1", "张三", position="经理"), MemberRow("u2", "王五")]
        write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS, members=after))
        keys = dict(cache.connection().execute("SELECT userid, name_sort FROM member"))
        assert keys["u1"] == "kept" and keys["u2"] not in ("kept", "")


def test_a_relation_signs_its_tags_in_any_order_once_each_and_only_the_listed_ones() -> None:
    hashes = tag_hashes(_ids(TAGS))
    customer = CustomerRow("wm1", "张三")

    def signed(*tag_ids: str) -> int:
        return relation_signature(RelationRow("wm1", "u1", tag_ids=tag_ids), hashes, customer)

    both = signed("etA", "etB")
    assert signed("etB", "etA") == signed("etA", "etB", "etA", "etGone") == both
    assert len({both, signed("etA"), signed("etB"), signed(), signed("etA", "etB", 'et"C\\')}) == 5
    assert -(2 ** 63) <= both < 2 ** 63  # an SQLite INTEGER


def test_a_page_signed_on_another_thread_is_staged_as_added(tmp_path: Path) -> None:
    first = [RelationRow("wm1", "u1", tag_ids=("etA",)), RelationRow("wm2", "u1", remark="a")]
    page = [(CustomerRow(r.external_userid, r.external_userid), r)
            for r in [RelationRow("wm1", "u1", tag_ids=("etA",)),
                      RelationRow("wm2", "u1", remark="b"), RelationRow("wm3", "u1")]]
    with Cache(tmp_path / "c.sqlite") as cache:
        _write(cache, first)
        with Staging(cache, _ids(TAGS)) as staging, ThreadPoolExecutor(1) as chain:
            signed = chain.submit(staging.prepare_page, ItemsPage(page)).result()
            hashes = tag_hashes(_ids(TAGS))
            assert [sig for *_, sig in signed.relations] == [
                relation_signature(r, hashes, c) for c, r in page]
            staging.add_prepared(signed)
            assert staging.count("temp.stage_relation") == 2  # wm2's remark, wm3
            write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
        assert cache.connection().execute(
            "SELECT external_userid, remark FROM relation ORDER BY id").fetchall() == [
            ("wm1", ""), ("wm2", "b"), ("wm3", "")]


def _signed_before_tag_hashes(r: RelationRow, customer: CustomerRow) -> int:
    """A relation's signature as TagDesk wrote it until schema 23: its tag ids sorted and
    joined among its fields."""
    text = "\x00".join((
        r.remark, r.description, str(r.createtime), str(r.add_way), r.state, r.oper_userid,
        r.remark_corp_name, "\x01".join(r.remark_mobiles), "\x01".join(sorted(r.tag_ids)),
        "\x02", customer.name, str(customer.type), str(customer.gender), customer.corp_name,
        customer.corp_full_name, customer.position, customer.unionid)).encode()
    return int.from_bytes(blake2b(text, digest_size=8).digest(), "little", signed=True)


def test_signatures_of_the_release_before_are_dropped_and_every_row_compared_once(
    tmp_path: Path,
) -> None:
    page = [RelationRow("wm1", "u1", tag_ids=("etB", "etA")), RelationRow("wm2", "u1")]
    customers = [CustomerRow(r.external_userid, r.external_userid) for r in page]
    conn = cache_at_version(tmp_path / "c.sqlite", 23)
    conn.execute("INSERT INTO meta (key, value) VALUES (?, '1700000000')", (LAST_SYNC_KEY,))
    conn.execute("INSERT INTO tag_group (id, name) VALUES ('g1', '意向')")
    conn.executemany("INSERT INTO tag (pk, id, group_id, name) VALUES (?, ?, 'g1', ?)",
                     [(pk, t.id, t.name) for pk, t in enumerate(TAGS, start=1)])
    for rid, (r, c) in enumerate(zip(page, customers, strict=True), start=1):
        conn.execute("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     (c.external_userid, c.name))
        conn.execute("INSERT INTO relation (id, external_userid, userid) VALUES (?, ?, ?)",
                     (rid, r.external_userid, r.userid))
        conn.executemany("INSERT INTO relation_tag (relation_id, tag_pk) SELECT ?, pk FROM tag"
                         " WHERE id = ?", [(rid, t) for t in r.tag_ids])
        conn.execute("UPDATE relation SET sync_sig = ? WHERE id = ?",
                     (_signed_before_tag_hashes(r, c), rid))
    conn.commit()
    conn.close()
    with Cache(tmp_path / "c.sqlite") as cache:
        assert cache.scalar("SELECT count(*) FROM relation WHERE sync_sig IS NOT NULL") == 0
        with Staging(cache, _ids(TAGS)) as staging:  # the first sync after the upgrade
            staging.add(customers, page)
            assert staging.count("temp.stage_relation") == 2
            written = write_snapshot(cache, Snapshot(groups=GROUPS, tags=TAGS), staging)
        assert written.observed_changes == 0 and written.tag_links == 2
        assert cache.scalar("SELECT count(*) FROM journal") == 0
        with Staging(cache, _ids(TAGS)) as staging:  # signed anew: nothing to stage
            staging.add(customers, page)
            assert staging.count("temp.stage_relation") == 0
