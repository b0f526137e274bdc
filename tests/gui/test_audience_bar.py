"""Picking an audience as WeCom's mass messaging does: OR within a group, AND across groups."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def _tags_by_group(context: Any) -> dict[str, list[tuple[str, int]]]:
    """Corp tags carried by some relations: group id → [(tag id, tag pk)], most used first."""
    rows = context.cache.query(
        "SELECT t.id, t.pk, t.group_id, COUNT(rt.relation_id) AS n FROM tag t"
        " JOIN relation_tag rt ON rt.tag_pk = t.pk WHERE t.deleted = 0"
        " GROUP BY t.pk ORDER BY n DESC")
    groups: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        groups.setdefault(str(row["group_id"]), []).append((str(row["id"]), int(row["pk"])))
    return groups


def _with_any(context: Any, pks: list[int]) -> set[int]:
    marks = ",".join("?" * len(pks))
    return {int(row["relation_id"]) for row in context.cache.query(
        f"SELECT relation_id FROM relation_tag WHERE tag_pk IN ({marks})", tuple(pks))}


def _click(qtbot: Any, window: MainWindow, tag_id: str) -> None:
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.tag_tree.tagClicked.emit(tag_id, Qt.KeyboardModifier.NoModifier)


def test_picked_tags_select_the_relations_wecom_would(qtbot: Any, window: MainWindow,
                                                      synced_context: Any) -> None:
    groups = [tags for tags in _tags_by_group(synced_context).values() if len(tags) >= 2]
    assert len(groups) >= 2
    (a, a_pk), (b, b_pk) = groups[0][:2]
    (c, c_pk) = groups[1][0]
    window.audience_action.trigger()
    assert window.audience_bar.isVisible()
    for tag_id in (a, c, b):
        _click(qtbot, window, tag_id)
    expected = (_with_any(synced_context, [a_pk, b_pk])
                & _with_any(synced_context, [c_pk]))
    result = window.model.last_result
    assert result is not None and result.query.text == window.filter_bar.text()
    assert set(result.ids) == expected
    assert " OR " in window.filter_bar.text() and " AND " in window.filter_bar.text()
    assert [len(group.tags) for group in window.audience_bar.audience.groups()] == [2, 1]

    chip = next(chip for chip in window.audience_bar.chips.findChildren(type(
        window.audience_bar.clear_button)) if chip.property("tagId") == c)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        chip.click()
    result = window.model.last_result
    assert result is not None and set(result.ids) == _with_any(synced_context, [a_pk, b_pk])


def test_closing_the_strip_keeps_the_filter_and_forgets_the_picks(
        qtbot: Any, window: MainWindow, synced_context: Any) -> None:
    tags = next(iter(_tags_by_group(synced_context).values()))
    window.audience_action.trigger()
    _click(qtbot, window, tags[0][0])
    picked = window.filter_bar.text()
    assert picked
    window.audience_action.trigger()
    assert not window.audience_bar.isVisible()
    assert window.filter_bar.text() == picked
    assert not window.audience_bar.audience.tags
    window.audience_action.trigger()
    _click(qtbot, window, tags[0][0])          # a fresh audience of that one tag
    assert window.filter_bar.text() == picked
