"""The filter's names are read at each new version of the cache, built again only when changed."""

from __future__ import annotations

from pathlib import Path

from desktop.store.db import Cache
from desktop.store.filter_catalogue import load_catalogue


def test_the_catalogue_is_built_again_only_when_a_name_changed(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        with cache.write() as tx:
            tx.execute("INSERT INTO tag_group (id, name) VALUES ('g1', '意向')")
            tx.execute("INSERT INTO tag (pk, id, group_id, name) VALUES (1, 't1', 'g1', '高意向')")
            tx.execute("INSERT INTO member (userid, name) VALUES ('u1', '张三')")
            tx.execute("INSERT INTO relation (id, external_userid, userid) VALUES (1, 'wm1', 'u1')")
        conn = cache.connection()
        first = load_catalogue(conn)
        with cache.write() as tx:  # relations and links are not names
            tx.execute("INSERT INTO relation_tag (relation_id, tag_pk) VALUES (1, 1)")
        assert load_catalogue(conn) is first
        changes = [
            "UPDATE tag SET name = '超高意向' WHERE pk = 1",
            "INSERT INTO member_department (userid, department_id) VALUES ('u1', 3)",
            "INSERT INTO relation (id, external_userid, userid) VALUES (2, 'wm1', 'gone')",
            "INSERT INTO contact_way (config_id, state, remark) VALUES ('c1', 'expo', '展会')",
        ]
        previous = first
        for change in changes:
            with cache.write() as tx:
                tx.execute(change)
            now = load_catalogue(conn)
            assert now is not previous, change
            previous = now
        assert [t.name for t in previous.tags] == ["超高意向"]
        assert previous.members_by_userid["u1"].departments == (3,)
        assert "gone" in previous.members_by_userid
        assert [c.remark for c in previous.channels] == ["展会"]
