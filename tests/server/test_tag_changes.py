"""What the server journals from a fresh read against its snapshot (pure functions)."""

from __future__ import annotations

import json

from desktop.server.snapshot import CorpTag
from desktop.server.tag_changes import library_changes, relation_changes

BEFORE = {"et1": CorpTag("VIP", "eg1", "客户等级"), "et2": CorpTag("普通", "eg1", "客户等级"),
          "et3": CorpTag("已报价", "eg2", "阶段"), "et4": CorpTag("已成交", "eg2", "阶段")}


def _rows(before: dict[str, CorpTag], after: dict[str, CorpTag]) -> list[tuple[str, ...]]:
    return [(e.action, e.tag_id, e.tag_name, e.group_name, e.before, e.after)
            for e in library_changes(before, after, source="callback", ts=1.0)]


def test_a_deleted_group_is_one_row_and_a_deleted_tag_another() -> None:
    after = {"et1": BEFORE["et1"]}
    assert _rows(BEFORE, after) == [
        ("group_delete", "eg2", "阶段", "阶段", json.dumps({"name": "阶段"}, ensure_ascii=False),
         ""),
        ("tag_delete", "et2", "普通", "客户等级",
         json.dumps({"name": "普通"}, ensure_ascii=False), ""),
    ]


def test_created_and_renamed_tags_and_groups() -> None:
    after = {**BEFORE, "et2": CorpTag("普通客户", "eg1", "客户等级"),
             "et3": CorpTag("已报价", "eg2", "销售阶段"), "et4": CorpTag("已成交", "eg2", "销售阶段"),
             "et5": CorpTag("春季展", "eg3", "展会")}
    assert [(action, tag_id) for action, tag_id, *_ in _rows(BEFORE, after)] == [
        ("group_rename", "eg2"), ("group_create", "eg3"), ("tag_rename", "et2"),
        ("tag_create", "et5")]
    assert _rows(BEFORE, dict(BEFORE)) == []


def test_relation_rows_name_the_follower_as_probable_operator() -> None:
    rows = relation_changes({"et1", "et3"}, {"et1": ("VIP", "客户等级"), "et2": ("", "")},
                            BEFORE, userid="zhangsan", external_userid="wmX", source="callback",
                            ts=5.0)
    assert [(r.action, r.tag_id, r.tag_name, r.group_name, r.operator, r.probable_operator,
             r.userid, r.ts) for r in rows] == [
        ("tag_add", "et2", "普通", "客户等级", "", "zhangsan", "zhangsan", 5.0),
        ("tag_remove", "et3", "已报价", "阶段", "", "zhangsan", "zhangsan", 5.0)]
    assert {(r.before, r.after) for r in rows} == {('["et1", "et3"]', '["et1", "et2"]')}
    assert "WeCom callback" in rows[0].reason
