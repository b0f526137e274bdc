"""Personal tags (个人标签): not synced, so the tag tree shows no empty 个人标签 section.

WeCom returns a customer's personal tags only through `externalcontact/get`, one call per
customer (`batch/get_by_user` leaves them out). Filling them for 100,000 customers would take
100,000 calls of that API's 150,000/hour corp quota on every sync, so TagDesk does not: the
detail pane loads one customer's on request, and the tree has a 个人标签 section only when the
cache holds some.
"""

from __future__ import annotations

from typing import Any

import pytest

from desktop.domain.tag_tree import NodeKind
from desktop.ui.tag_tree_model import Role, TagTreeModel
from desktop.wecom.models import FollowUserTag

pytestmark = pytest.mark.gui

CUSTOMERS_TO_ASK = 80


def _roots(qtbot: Any, context: Any) -> tuple[TagTreeModel, list[str]]:
    model = TagTreeModel(context)
    qtbot.waitUntil(lambda: model.is_loaded, timeout=10000)
    return model, [model.index(row, 0).data(Role.KEY) for row in range(model.rowCount())]


def test_wecom_has_personal_tags_but_the_tree_shows_no_empty_section(
        qtbot: Any, synced_context: Any) -> None:
    cache = synced_context.cache
    client = synced_context.workspace.client()
    customers = [str(row["external_userid"]) for row in cache.query(
        "SELECT DISTINCT external_userid FROM relation ORDER BY external_userid LIMIT ?",
        (CUSTOMERS_TO_ASK,))]
    in_wecom = [tag.tag_name for external in customers
                for follower in client.get_external_contact(external).follow_users
                for tag in follower.tags if tag.type == FollowUserTag.PERSONAL]
    assert in_wecom                                         # WeCom has some ...
    assert cache.scalar("SELECT count(*) FROM personal_tag") == 0   # ... a sync skips them
    model, roots = _roots(qtbot, synced_context)
    assert "section:personal" not in roots
    assert roots == ["section:corp", "section:strategy"]
    assert not any(node.label in in_wecom for node in model.tree.walk()
                   if node.kind is NodeKind.TAG)


def test_the_section_appears_read_only_when_the_cache_holds_personal_tags(
        qtbot: Any, synced_context: Any) -> None:
    rid = int(synced_context.cache.scalar("SELECT min(id) FROM relation"))
    with synced_context.cache.write() as conn:
        conn.execute("INSERT INTO personal_tag VALUES (?, '我的标签', '爱喝茶')", (rid,))
    model, roots = _roots(qtbot, synced_context)
    assert roots[-1] == "section:personal"
    node = next(n for n in model.tree.walk() if n.kind is NodeKind.TAG and n.label == "爱喝茶")
    assert node.relation_count == 1 and node.restriction is not None
