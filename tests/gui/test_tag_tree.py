"""The tag tree model and view on the real sandbox: drags reach WeCom, counts follow changes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QStyle,
    QStyleOptionViewItem,
)

from desktop.domain.governance import Actor, OrgChart, Policy, actor_for
from desktop.domain.tag_tree import NodeKind, TagNode
from desktop.domain.tags import TagInfo
from desktop.services.changes import ChangeSet
from desktop.services.governance import TeamRules
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.ui.tag_dialogs import (
    ERROR_COLOUR,
    CreateTagDialog,
    DeletionRequestDialog,
    RenameDialog,
)
from desktop.ui.tag_tree_model import COUNT_COLUMN, TAG_IDS_MIME, Role, TagTreeModel
from desktop.ui.tag_tree_view import TagTreeView
from desktop.wecom.error_codes import TEAM_APPROVAL_REQUIRED
from desktop.wecom.errors import WeComError

pytestmark = pytest.mark.gui

MOVE = Qt.DropAction.MoveAction


@pytest.fixture
def model(qtbot: Any, synced_context: Any) -> TagTreeModel:
    tree_model = TagTreeModel(synced_context)
    qtbot.waitUntil(lambda: tree_model.is_loaded, timeout=10000)
    return tree_model


def _group_index(model: TagTreeModel, name: str) -> QModelIndex:
    node = next(n for n in model.tree.walk() if n.kind is NodeKind.GROUP and n.label == name)
    return model.index_for_key(node.key)


def _child_names(model: TagTreeModel, parent: QModelIndex) -> list[str]:
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


def _child_ids(model: TagTreeModel, parent: QModelIndex, role: Role = Role.TAG_ID) -> list[str]:
    return [model.index(row, 0, parent).data(role) for row in range(model.rowCount(parent))]


def _wait_idle(qtbot: Any, model: TagTreeModel) -> None:
    qtbot.waitUntil(lambda: not model._pending, timeout=10000)
    model.context.wait_idle()
    qtbot.wait(10)  # let the queued result signals reach the model


def _sandbox_sorted(sandbox: Any, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda i: -sandbox.state.tag_order(i))


def test_model_passes_the_model_tester(qtmodeltester: Any, model: TagTreeModel) -> None:
    qtmodeltester.check(model)


def test_sections_groups_and_counts(model: TagTreeModel, synced_context: Any) -> None:
    roots = [model.index(row, 0).data(Role.KEY) for row in range(model.rowCount())]
    assert roots == ["section:corp", "section:strategy"]
    group = _group_index(model, "意向程度")
    names = _child_names(model, group)
    assert set(names) == {"高意向", "中意向", "低意向"}
    cache = synced_context.cache
    for row, name in enumerate(names):
        expected = cache.scalar(
            "SELECT count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            " JOIN tag_group g ON g.id = t.group_id WHERE g.name = '意向程度' AND t.name = ?",
            (name,))
        assert model.index(row, COUNT_COLUMN, group).data() == f"{expected:,}"
    assert model.index(group.row(), COUNT_COLUMN, group.parent()).data() is None  # no sums
    assert "3" in group.data(Qt.ItemDataRole.ToolTipRole)  # "3 tags"
    strategy = model.index(1, 0)
    rule_group = model.index(0, 0, strategy)
    assert model.index(0, 0, rule_group).data(Role.NODE_KIND) == "group"
    assert model.index(0, 0, rule_group).data(Role.READ_ONLY_REASON) == ""


def test_counts_read_with_thousands_separators(model: TagTreeModel) -> None:
    group = _group_index(model, "意向程度")
    index = model.index(0, COUNT_COLUMN, group)
    node = model.node(index)
    assert node is not None
    node.relation_count = 12345
    assert index.data() == "12,345"
    assert "12,345 customer relations" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_path_names_nest_up_to_five_levels(model: TagTreeModel) -> None:
    industry = _group_index(model, "行业类型")
    education = next(model.index(r, 0, industry) for r in range(model.rowCount(industry))
                     if model.index(r, 0, industry).data() == "教育")
    k12 = next(model.index(r, 0, education) for r in range(model.rowCount(education))
               if model.index(r, 0, education).data() == "K12")
    assert set(_child_names(model, k12)) == {"小学", "初中"}
    assert model.index(0, 0, k12).data(Qt.ItemDataRole.ToolTipRole).startswith("教育/K12/")


def test_drag_a_tag_reorders_it_in_wecom_and_survives_a_sync(
    qtbot: Any, qtmodeltester: Any, model: TagTreeModel, synced_context: Any, sandbox: Any
) -> None:
    qtmodeltester.check(model)  # stays attached: the optimistic move and the reload are checked
    group = _group_index(model, "客户阶段")
    ids = _child_ids(model, group)
    last = model.index(len(ids) - 1, 0, group)
    mime = model.mimeData([last])
    assert json.loads(bytes(mime.data(TAG_IDS_MIME).data()))["tag_ids"] == [ids[-1]]
    assert model.canDropMimeData(mime, MOVE, 0, 0, group)
    assert model.dropMimeData(mime, MOVE, 0, 0, group)
    wanted = [ids[-1], *ids[:-1]]
    assert _child_ids(model, group) == wanted  # optimistic: the row moved at once
    assert model.index(0, 0, group).data(Role.PENDING) is True
    _wait_idle(qtbot, model)
    qtbot.waitUntil(lambda: not model.index(0, 0, group).data(Role.PENDING))
    assert _sandbox_sorted(sandbox, ids) == wanted
    assert _child_ids(model, _group_index(model, "客户阶段")) == wanted
    cached = [row[0] for row in synced_context.cache.query(
        "SELECT t.id FROM tag t JOIN tag_group g ON g.id = t.group_id WHERE g.name = '客户阶段'"
        " AND t.deleted = 0 ORDER BY t.sort_order DESC")]
    assert cached == wanted
    run_sync(synced_context.workspace.client(), synced_context.cache)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    assert _child_ids(model, _group_index(model, "客户阶段")) == wanted


def test_drag_a_group_among_groups(qtbot: Any, model: TagTreeModel, sandbox: Any) -> None:
    corp = model.index(0, 0)
    group_ids = _child_ids(model, corp, Role.GROUP_ID)
    first = model.index(0, 0, corp)
    mime = model.mimeData([first])
    assert model.dropMimeData(mime, MOVE, 3, 0, corp)  # before the fourth: lands third
    wanted = [group_ids[1], group_ids[2], group_ids[0], *group_ids[3:]]
    assert _child_ids(model, corp, Role.GROUP_ID) == wanted
    _wait_idle(qtbot, model)
    assert _sandbox_sorted(sandbox, group_ids) == wanted


def test_drop_onto_a_row_puts_it_before_that_row(qtbot: Any, model: TagTreeModel) -> None:
    group = _group_index(model, "客户阶段")
    ids = _child_ids(model, group)
    mime = model.mimeData([model.index(4, 0, group)])
    assert model.dropMimeData(mime, MOVE, -1, 0, model.index(1, 0, group))
    assert _child_ids(model, group) == [ids[0], ids[4], ids[1], ids[2], ids[3], *ids[5:]]
    _wait_idle(qtbot, model)


def test_drops_that_break_the_rules_are_refused(model: TagTreeModel) -> None:
    corp_section = model.index(0, 0)
    stage = _group_index(model, "客户阶段")
    intent = _group_index(model, "意向程度")
    tag_mime = model.mimeData([model.index(0, 0, stage)])
    assert not model.canDropMimeData(tag_mime, MOVE, 0, 0, intent)       # another group
    assert not model.canDropMimeData(tag_mime, MOVE, 0, 0, model.index(0, 0))  # among groups
    assert not model.canDropMimeData(tag_mime, Qt.DropAction.CopyAction, 0, 0, stage)
    group_mime = model.mimeData([stage])
    assert not model.canDropMimeData(group_mime, MOVE, 0, 0, intent)
    strategy_group = model.index(0, 0, model.index(0, 0, model.index(1, 0)))
    assert model.flags(strategy_group) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.canDropMimeData(model.mimeData([strategy_group]), MOVE, 0, 0, corp_section)
    assert not model.canDropMimeData(model.mimeData([strategy_group]), MOVE, 0, 0,
                                     model.index(1, 0, model.index(1, 0)))  # another rule group
    junk = QMimeData()
    junk.setData(TAG_IDS_MIME, b"not json")
    assert not model.canDropMimeData(junk, MOVE, 0, 0, stage)
    assert not model.dropMimeData(junk, MOVE, 0, 0, stage)


def test_a_refused_drop_moves_back_with_a_readable_message(
    qtbot: Any, model: TagTreeModel, synced_context: Any, sandbox: Any
) -> None:
    console_id = sandbox.state.console_add_tag("意向程度", "待判断")
    run_sync(synced_context.workspace.client(), synced_context.cache)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    group = _group_index(model, "意向程度")
    ids = _child_ids(model, group)
    assert ids[-1] == console_id
    before = sandbox.state.tag_order(console_id)
    mime = model.mimeData([model.index(len(ids) - 1, 0, group)])
    with qtbot.waitSignal(model.moveFailed, timeout=10000) as failed:
        assert model.dropMimeData(mime, MOVE, 0, 0, group)
        assert _child_ids(model, group)[0] == console_id
    assert "管理后台" in failed.args[0] or "admin console" in failed.args[0]
    qtbot.waitUntil(lambda: _child_ids(model, _group_index(model, "意向程度")) == ids,
                    timeout=10000)
    assert sandbox.state.tag_order(console_id) == before
    console_row = model.index(len(ids) - 1, 0, _group_index(model, "意向程度"))
    assert not model.flags(console_row) & Qt.ItemFlag.ItemIsDragEnabled
    assert console_row.data(Role.READ_ONLY_REASON)


# -- the view ------------------------------------------------------------------------------------


@pytest.fixture
def view(qtbot: Any, synced_context: Any) -> TagTreeView:
    tree_view = TagTreeView(synced_context)
    qtbot.addWidget(tree_view)
    tree_view.resize(360, 700)
    tree_view.show()
    qtbot.waitUntil(lambda: tree_view.model.is_loaded, timeout=10000)
    return tree_view


def _visible_tags(view: TagTreeView) -> set[str]:
    names = set()
    for node in view.model.tree.walk():
        index = view.model.index_for_key(node.key)
        hidden = False
        probe = index
        while probe.isValid():
            hidden = hidden or view.tree.isRowHidden(probe.row(), probe.parent())
            probe = probe.parent()
        if node.kind is NodeKind.TAG and not hidden:
            names.add(node.full_name)
    return names


def test_a_search_without_hits_says_so(qtbot: Any, view: TagTreeView) -> None:
    qtbot.keyClicks(view.search, "zzqqxx")
    assert _visible_tags(view) == set()
    assert view.no_match.isVisible() and view.no_match.text() == "No tag matches “zzqqxx”"
    view.search.clear()
    assert not view.no_match.isVisible() and "VIP" in _visible_tags(view)
    qtbot.keyClicks(view.search, "gyx")
    assert not view.no_match.isVisible()


def test_type_ahead_by_initials_and_abbreviation(
    qtbot: Any, view: TagTreeView, synced_context: Any, sandbox: Any
) -> None:
    qtbot.keyClicks(view.search, "gyx")
    assert _current(view).full_name == "高意向"
    assert _current(view).key in view.model._matches
    visible = _visible_tags(view)
    assert "高意向" in visible and "VIP" not in visible
    view.search.clear()
    assert "VIP" in _visible_tags(view)
    tag_id = sandbox.state.find_tag("复购", "三次复购客户")
    synced_context.publish(view.model.service.set_abbreviation(tag_id, "V3"))
    qtbot.waitUntil(lambda: [h.tag.id for h in view.model.search_index.search("V3")[:1]]
                    == [tag_id], timeout=10000)
    qtbot.keyClicks(view.search, "v3")
    assert _tag_of(_current(view)).id == tag_id
    assert view.tree.currentIndex().data(Role.ABBREVIATION) == "V3"


def test_clicks_emit_tag_and_group_with_modifiers(qtbot: Any, view: TagTreeView) -> None:
    qtbot.keyClicks(view.search, "gyx")
    index = view.tree.currentIndex()
    tag_id = index.data(Role.TAG_ID)
    rect = view.tree.visualRect(index)
    for modifier in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier,
                     Qt.KeyboardModifier.AltModifier):
        with qtbot.waitSignal(view.tagClicked) as clicked:
            qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, modifier,
                             rect.center())
        assert clicked.args == [tag_id, modifier]
    with qtbot.waitSignal(view.tagClicked) as entered:
        qtbot.keyClick(view.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert entered.args == [tag_id, Qt.KeyboardModifier.ControlModifier]
    group = index.parent()
    with qtbot.waitSignal(view.groupClicked) as group_clicked:
        qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.AltModifier, view.tree.visualRect(group).center())
    assert group_clicked.args == [group.data(Role.GROUP_ID), Qt.KeyboardModifier.AltModifier]


def test_counts_follow_a_toggle(qtbot: Any, view: TagTreeView, synced_context: Any,
                                sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    count = view.model.index_for_key(f"tag:{tag_id}", COUNT_COLUMN).data(Role.COUNT)
    without = [int(row[0]) for row in synced_context.cache.query(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 3", (tag_id,))]
    synced_context.toggle_tag(without, tag_id, lambda: "高意向")
    qtbot.waitUntil(
        lambda: view.model.index_for_key(f"tag:{tag_id}", COUNT_COLUMN).data(Role.COUNT)
        == count + 3,
        timeout=15000)


def test_delete_asks_with_the_customer_count_and_deletes_in_wecom(
    qtbot: Any, view: TagTreeView, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if len(asked) > 1 else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    tag_id = sandbox.state.find_tag("复购", "高频复购")
    impact = view.model.service.deletion_impact([tag_id])
    assert view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
    assert str(impact.customers) in asked[0] and "高频复购" in asked[0]
    view.context.wait_idle()
    assert sandbox.state.find_tag("复购", "高频复购") == tag_id  # "No" changed nothing
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.tree.get(f"tag:{tag_id}") is None, timeout=10000)
    assert sandbox.state.find_tag("复购", "高频复购") is None


def test_a_refused_delete_of_a_console_tag_shows_its_lock_at_once(
    qtbot: Any, view: TagTreeView, synced_context: Any, sandbox: Any,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    console_id = sandbox.state.console_add_tag("复购", "控制台标签")
    run_sync(synced_context.workspace.client(), synced_context.cache)
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        view.model.reload()
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *_args: warned.append(text))
    assert view.select_key(f"tag:{console_id}")
    assert view.model.index_for_key(f"tag:{console_id}").data(Role.READ_ONLY_REASON) == ""
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    qtbot.waitUntil(lambda: bool(view.model.index_for_key(f"tag:{console_id}").data(
        Role.READ_ONLY_REASON)), timeout=10000)
    assert sandbox.state.find_tag("复购", "控制台标签") == console_id
    assert not synced_context.cache.query("SELECT 1 FROM tag_snapshot")   # nothing kept


def test_rename_with_f2(qtbot: Any, view: TagTreeView, sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("意向程度", "低意向")
    view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    dialog = view.dialog
    assert isinstance(dialog, RenameDialog) and dialog.isVisible()
    dialog.name_edit.setText("意向较低")
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert sandbox.state.find_tag("意向程度", "意向较低") == tag_id
    qtbot.waitUntil(lambda: view.model.index_for_key(f"tag:{tag_id}").data() == "意向较低",
                    timeout=10000)


def test_pin_from_the_tree(qtbot: Any, view: TagTreeView, synced_context: Any,
                           sandbox: Any) -> None:
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    pins = view.model.service.pins
    qtbot.waitUntil(lambda: pins(synced_context.operator) == [tag_id], timeout=10000)
    qtbot.keyClick(view.tree, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pins(synced_context.operator) == [], timeout=10000)


def test_read_only_nodes_say_why_and_offer_no_edits(
    qtbot: Any, view: TagTreeView, synced_context: Any
) -> None:
    _refuse_the_console_rule_group(view.model.service)
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        view.model.reload()
    messages: list[str] = []
    synced_context.status_message.connect(messages.append)
    view.tree.setCurrentIndex(_group_index(view.model, "客服-工单类型"))
    assert view.rename_current() is None
    assert messages and "81011" in messages[-1] and view.dialog is None
    view._update_actions(view.current_node())
    assert not view.rename_action.isEnabled() and not view.delete_action.isEnabled()
    assert not view.model.flags(view.tree.currentIndex()) & Qt.ItemFlag.ItemIsDragEnabled


def _refuse_the_console_rule_group(service: Any) -> None:
    """Try to change the generated console-made rule group: WeCom answers 81011, which
    TagDesk remembers for the whole rule group."""
    from desktop.services.tag_admin import ReadOnlyTagError

    group_id = next(g.id for g in service.group_infos() if g.name == "客服-工单类型")
    with pytest.raises(ReadOnlyTagError, match="admin console"):
        service.create_tag(group_id, "退款")


def test_a_rule_groups_tags_are_added_renamed_and_reordered_from_the_tree(
    qtbot: Any, view: TagTreeView, sandbox: Any
) -> None:
    first = sandbox.state.find_tag("华北-跟进阶段", "初访")
    view.select_key(f"tag:{first}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert isinstance(dialog, CreateTagDialog)
    assert dialog.group_box.currentText() == "华北-跟进阶段（华北区域）"
    assert dialog.group_box.findText("客服-工单类型（客服部规则组）") >= 0  # not refused yet
    dialog.name_edit.setText("签约")
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    created = saved.args[0].tag
    assert created.strategy_id == 1
    assert sandbox.state.find_tag("华北-跟进阶段", "签约") == created.id
    qtbot.waitUntil(lambda: view.model.tree.get(f"tag:{created.id}") is not None, timeout=10000)

    assert view.select_key(f"tag:{first}")
    rename = view.rename_current()
    assert isinstance(rename, RenameDialog)
    rename.name_edit.setText("首次拜访")
    with qtbot.waitSignal(rename.saved, timeout=10000):
        qtbot.mouseClick(rename.ok_button, Qt.MouseButton.LeftButton)
    assert sandbox.state.find_tag("华北-跟进阶段", "首次拜访") == first

    model = view.model
    qtbot.waitUntil(lambda: model.index_for_key(f"tag:{first}").data() == "首次拜访",
                    timeout=10000)
    group = _group_index(model, "华北-跟进阶段")
    ids = _child_ids(model, group)
    last = model.index(len(ids) - 1, 0, group)
    moved = last.data(Role.TAG_ID)
    assert model.dropMimeData(model.mimeData([last]), MOVE, 0, 0, group)
    _wait_idle(qtbot, model)
    assert _sandbox_sorted(sandbox, ids)[0] == moved


def test_ctrl_n_creates_a_tag_under_the_current_path(
    qtbot: Any, view: TagTreeView, sandbox: Any
) -> None:
    tag_id = sandbox.state.find_tag("行业类型", "教育/K12")
    view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    tags_before = len(sandbox.state.tag_ids_by_name())
    qtbot.keyClick(view.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert isinstance(dialog, CreateTagDialog)
    assert dialog.group_box.currentText() == "行业类型"
    assert dialog.name_edit.text() == "教育/K12/"
    assert not dialog.ok_button.isEnabled()
    # the path offered is no mistake yet: a grey hint on what to type, not "must not end in /"
    assert dialog.message_label.text() == ("Type a name after “教育/K12/” for a tag under it,"
                                           " or clear the field for a tag beside it.")
    hint = dialog.message_label.palette().color(QPalette.ColorRole.WindowText)
    assert hint != ERROR_COLOUR
    dialog.name_edit.setText("教育/K12/中学/")
    assert "开头或结尾" in dialog.message_label.text()
    assert dialog.message_label.palette().color(QPalette.ColorRole.WindowText) == ERROR_COLOUR
    dialog.name_edit.setText("教育/K12/小学")  # exists already
    assert not dialog.ok_button.isEnabled()
    assert len(sandbox.state.tag_ids_by_name()) == tags_before
    dialog.name_edit.setText("教育/K12/高中")
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    new_key = f"tag:{saved.args[0].tag.id}"
    qtbot.waitUntil(lambda: _current(view).key == new_key, timeout=10000)
    assert _parent(_current(view)).full_name == "教育/K12"


def test_typing_in_the_tree_goes_to_the_search(qtbot: Any, view: TagTreeView) -> None:
    view.tree.setFocus()
    view.tree.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClicks(view.tree, "gyx")
    assert view.search.text() == "gyx"
    assert _current(view).full_name == "高意向"
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == "" and "VIP" in _visible_tags(view)


def test_expansion_and_current_row_survive_a_reload_with_new_rows(
    qtbot: Any, view: TagTreeView, synced_context: Any
) -> None:
    assert view.tree.isExpanded(view.model.index(0, 0))  # sections open on first show
    group = _group_index(view.model, "复购")
    view.tree.expand(group)
    view.tree.collapse(view.model.index(1, 0))
    view.tree.setCurrentIndex(view.model.index(1, 0, group))
    current_key = _current(view).key
    created = view.model.service.create_tag("意向程度", "新来的")
    with qtbot.waitSignal(view.model.modelReset, timeout=10000):
        synced_context.publish(created.changes)
    qtbot.waitUntil(lambda: view.model.tree.get(f"tag:{created.tag.id}") is not None)
    assert view.tree.isExpanded(_group_index(view.model, "复购"))
    assert not view.tree.isExpanded(view.model.index(1, 0))
    assert _current(view).key == current_key


def _child(model: TagTreeModel, parent: QModelIndex, label: str) -> QModelIndex:
    return next(model.index(r, 0, parent) for r in range(model.rowCount(parent))
                if model.index(r, 0, parent).data() == label)


def test_dragging_a_path_level_moves_its_subtree_and_phones_see_the_same_order(
    qtbot: Any, model: TagTreeModel, sandbox: Any, synced_context: Any
) -> None:
    industry = _group_index(model, "行业类型")
    education = _child(model, industry, "教育")
    assert model.rowCount(education) > 0
    assert model.dropMimeData(model.mimeData([education]), MOVE, model.rowCount(industry), 0,
                              industry)
    _wait_idle(qtbot, model)
    industry = _group_index(model, "行业类型")
    assert model.index(model.rowCount(industry) - 1, 0, industry).data() == "教育"
    # WeCom's flat order (what phones list) follows the tree: each subtree in one block.
    group_id = industry.data(Role.GROUP_ID)
    flat = [row[0] for row in synced_context.cache.query(
        "SELECT name FROM tag WHERE group_id = ? AND deleted = 0", (group_id,))]
    by_order = sorted(flat, key=lambda name: -sandbox.state.tag_order(
        sandbox.state.find_tag("行业类型", name)))
    preorder = [node.full_name for node in model.tree.walk()
                if node.tag is not None and node.tag.group_id == group_id]
    assert by_order == preorder
    tail = [name for name in preorder if name.split("/")[0] == "教育"]
    assert preorder[-len(tail):] == tail  # the moved subtree is one block at the end


def test_reorder_inside_a_path_level(qtbot: Any, model: TagTreeModel, sandbox: Any) -> None:
    industry = _group_index(model, "行业类型")
    k12 = _child(model, _child(model, industry, "教育"), "K12")
    names = _child_names(model, k12)
    assert model.dropMimeData(model.mimeData([model.index(len(names) - 1, 0, k12)]), MOVE, 0, 0,
                              k12)
    _wait_idle(qtbot, model)
    k12 = _child(model, _child(model, _group_index(model, "行业类型"), "教育"), "K12")
    assert _child_names(model, k12) == [names[-1], *names[:-1]]
    orders = [sandbox.state.tag_order(sandbox.state.find_tag("行业类型", f"教育/K12/{n}"))
              for n in _child_names(model, k12)]
    assert orders == sorted(orders, reverse=True)


def test_a_console_made_rule_group_shows_a_lock_and_why(
    qtbot: Any, model: TagTreeModel, synced_context: Any
) -> None:
    from desktop.domain.tag_tree import CONSOLE_RULE_GROUP
    from desktop.services.tag_admin import TagAdminService

    _refuse_the_console_rule_group(TagAdminService(synced_context.workspace))
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    rule_group = model.index_for_key(
        next(n.key for n in model.tree.walk() if n.label == "客服部规则组"))
    group = model.index(0, 0, rule_group)
    for index in (rule_group, group, model.index(0, 0, group)):
        assert CONSOLE_RULE_GROUP.zh in index.data(Qt.ItemDataRole.ToolTipRole)
        assert index.data(Role.READ_ONLY_REASON) == CONSOLE_RULE_GROUP.zh
        decoration = index.data(Qt.ItemDataRole.DecorationRole)
        assert decoration.cacheKey() == model._icons["lock"].cacheKey()
    north = model.index_for_key(
        next(n.key for n in model.tree.walk() if n.label == "华北区域"))
    assert model.index(0, 0, north).data(Role.READ_ONLY_REASON) == ""


def test_a_branch_tag_group_is_made_in_the_branchs_new_rule_group(
    qtbot: Any, view: TagTreeView, sandbox: Any
) -> None:
    dialog = view.new_branch_group()
    assert dialog.isVisible() and dialog.branch_box.findText("北京销售组") >= 0
    dialog.branch_box.setCurrentIndex(dialog.branch_box.findText("北京销售组"))
    dialog.group_edit.setText("北京-渠道")
    dialog.name_edit.setText("展会")
    with qtbot.waitSignal(dialog.saved, timeout=10000) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    created = saved.args[0].tag
    with sandbox.state.transaction() as conn:
        scope = conn.execute("SELECT type, partyid FROM strategy_range WHERE strategy_id = ?",
                             (created.strategy_id,)).fetchall()
        head = conn.execute("SELECT admin_list FROM strategy WHERE id = ?",
                            (created.strategy_id,)).fetchone()[0]
    assert scope == [(2, 11)] and json.loads(head)
    assert sandbox.state.find_tag("北京-渠道", "展会") == created.id
    qtbot.waitUntil(lambda: _current(view).key == f"tag:{created.id}", timeout=10000)
    rule_group = _parent(_parent(_current(view)))
    assert rule_group.kind is NodeKind.STRATEGY and rule_group.label == "北京销售组"


def test_a_branch_head_is_offered_only_the_branches_they_manage(
    qtbot: Any, view: TagTreeView
) -> None:
    """On a team profile a non-admin may make a branch group only for a branch they manage
    (a department the policy gives a branch admin, or one below it; the server refuses the
    rest): the box lists those, not 总部 first, and a head of no branch (市场部) is not
    offered the action at all, with the reason as its tooltip."""
    rows = view.model.service.cache.connection().execute(
        "SELECT id, name, parent_id FROM department").fetchall()
    departments = {name: did for did, name, _ in rows}
    chart = OrgChart({did: name for did, name, _ in rows}, {did: parent for did, _, parent in rows})
    north, marketing = departments["华北分公司"], departments["市场部"]
    policy = Policy(admins=("boss",), branch_admins=(("liuyang", "华北分公司"),))
    head = actor_for("fenghansi", chart, policy, (), [(north, True)])
    view.set_rules(TeamRules(policy, chart, head))
    assert view.new_branch_group_action.isEnabled()
    dialog = view.new_branch_group()
    assert [dialog.branch_box.itemText(i) for i in range(dialog.branch_box.count())] == [
        "华北分公司", "北京销售组"]
    dialog.reject()

    view.dialog = None
    view.set_rules(TeamRules(policy, chart, actor_for("wangli", chart, policy, (),
                                                      [(marketing, True)])))
    action = view.new_branch_group_action
    assert not action.isEnabled()
    assert "branch admin" in action.toolTip()
    action.trigger()
    assert view.dialog is None

    view.set_rules(TeamRules(policy, chart, Actor("boss", admin=True)))
    assert view.new_branch_group_action.isEnabled()
    everyone = view.new_branch_group()
    assert everyone.branch_box.count() == len(departments)      # an admin: every department
    everyone.reject()


def _current(view: TagTreeView) -> TagNode:
    node = view.current_node()
    assert node is not None, "no current row"
    return node


def _parent(node: TagNode) -> TagNode:
    assert node.parent is not None, f"{node.full_name} has no parent"
    return node.parent


def _tag_of(node: TagNode) -> TagInfo:
    assert node.tag is not None, f"{node.full_name} is not a tag"
    return node.tag


def test_the_count_column_fits_a_count_with_expiring_tags(qtbot: Any, view: TagTreeView) -> None:
    node = next(n for n in view.model.tree.walk() if n.kind is NodeKind.TAG and n.tag)
    assert node.tag is not None
    index = view.model.index_for_key(node.key, COUNT_COLUMN)
    view.tree.scrollTo(index)
    node.relation_count = 12345
    view.model._loaded.expiring[node.tag.id] = 12
    view.model.loaded.emit()
    assert index.data() == "12,345 ⏳12"
    width = view.tree.header().sectionSize(COUNT_COLUMN)
    assert width >= view.tree.sizeHintForIndex(index).width()



def test_a_search_matching_every_tag_walks_the_tree_once_not_once_per_match(
    qtbot: Any, view: TagTreeView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`*` matches every tag (up to the search's 60): highlighting them changes no count, so
    the count column is not measured again for each, which walked every tag each time (at
    2,000 tags `*` took 0.4 s of the GUI thread that way)."""
    tree = view.model.tree
    walks = [0]
    walk = tree.walk

    def counted() -> Any:
        walks[0] += 1
        return walk()

    monkeypatch.setattr(tree, "walk", counted)
    view.search.setText("*")
    assert len(view.model._matches) >= 20
    assert view.tree.header().sectionSize(COUNT_COLUMN) >= view.tree.sizeHintForIndex(
        view.model.index_for_key(next(iter(view.model._matches)), COUNT_COLUMN)).width()
    assert walks[0] <= 2

@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_names_stay_readable_in_an_800_by_600_window(
    qtbot: Any, synced_context: Any, sandbox: Any, gui_home: Any, language: str
) -> None:
    """Tag names of up to six characters fit whole in the tree pane at 800×600 (the badge
    gives way first), longer ones lose their middle; the badge comes back when the window is
    wide."""
    from desktop.ui.i18n import Translations
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.sync_controller import SyncController
    from desktop.ui.tag_tree_view import BadgeDelegate

    high = sandbox.state.find_tag("意向程度", "高意向")
    synced_context.publish(TagAdminService(synced_context.workspace).set_abbreviation(high, "WWWWWWWW"))
    translations = Translations()
    translations.install(language)
    try:
        window = MainWindow(synced_context, Settings(gui_home),
                            SyncController(synced_context, synced_context), language)
        qtbot.addWidget(window)
        window.resize(800, 600)
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            window.show()
        pane = window.tag_tree
        qtbot.waitUntil(lambda: pane.model.is_loaded and bool(
            pane.model.index_for_key(f"tag:{high}").data(Role.ABBREVIATION)), timeout=15000)
        pane.tree.expandAll()
        delegate = pane.tree.itemDelegateForColumn(0)
        assert isinstance(delegate, BadgeDelegate)

        def layouts() -> dict[str, tuple[str, int, int, bool]]:
            """Name → (the text shown, its width, the room for it, whether the badge shows)
            for every tag."""
            found = {}
            for node in pane.model.tree.walk():
                index = pane.model.index_for_key(node.key)
                option = QStyleOptionViewItem()
                option.initFrom(pane.tree)
                option.widget = pane.tree
                option.rect = pane.tree.visualRect(index)
                delegate.initStyleOption(option, index)
                text, badge = delegate.layout(option, index)
                if node.kind is NodeKind.TAG:
                    found[node.full_name] = (
                        option.text, option.fontMetrics.horizontalAdvance(option.text),
                        text.width(), badge is not None)
            return found

        assert pane.width() < 260                     # the pane really is narrow
        narrow = layouts()
        assert narrow["高意向"][3] is False           # the badge gives way to the name
        margin = pane.tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        cut = {name: label for name, (label, width, room, _) in narrow.items()
               if width + 2 * margin > room}
        assert all(len(label) > 6 for label in cut.values()), cut   # longer ones lose their
        assert pane.tree.textElideMode() == Qt.TextElideMode.ElideMiddle   # middle only
        window.resize(1400, 860)
        qtbot.waitUntil(lambda: pane.width() > 300, timeout=5000)
        assert layouts()["高意向"][3] is True
    finally:
        translations.uninstall()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_group_names_stay_whole_in_a_1024_pixel_window(
    qtbot: Any, synced_context: Any, gui_home: Any, language: str
) -> None:
    """Rows without a count (sections, rule groups, groups, path levels) give their name the
    count column's width too, so at 1,024 × 700 no group name loses its middle."""
    from desktop.ui.i18n import Translations
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.style import apply_style
    from desktop.ui.sync_controller import SyncController
    from desktop.ui.tag_tree_view import BadgeDelegate

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, palette = app.font(), app.palette()
    apply_style(app)                    # the app's font and padding, as `tagdesk` shows it
    translations = Translations()
    translations.install(language)
    try:
        window = MainWindow(synced_context, Settings(gui_home),
                            SyncController(synced_context, synced_context), language)
        qtbot.addWidget(window)
        window.resize(1024, 700)
        with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
            window.show()
        pane = window.tag_tree
        qtbot.waitUntil(lambda: pane.model.is_loaded, timeout=15000)
        pane.tree.expandAll()
        delegate = pane.tree.itemDelegateForColumn(0)
        assert isinstance(delegate, BadgeDelegate)
        margin = pane.tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        cut = {}
        for node in pane.model.tree.walk():
            if node.kind is NodeKind.TAG:
                continue
            index = pane.model.index_for_key(node.key)
            option = QStyleOptionViewItem()
            option.initFrom(pane.tree)
            option.widget = pane.tree
            option.rect = pane.tree.visualRect(index)
            delegate.initStyleOption(option, index)
            text, _badge = delegate.layout(option, index)
            if option.fontMetrics.horizontalAdvance(option.text) + 2 * margin > text.width():
                cut[option.text] = text.width()
        assert pane.width() < 260                     # the pane really is narrow
        assert cut == {}
    finally:
        translations.uninstall()
        app.styleHints().colorSchemeChanged.disconnect()
        app.setStyleSheet("")
        app.setFont(font)
        app.setPalette(palette)


def _chart_and_marketing_head(view: TagTreeView) -> tuple[OrgChart, Actor]:
    """The cache's departments as an org chart, and 市场部's head (dongfangwei) in it."""
    departments = dict((name, did) for did, name in view.model.service.cache.connection()
                       .execute("SELECT id, name FROM department"))
    marketing = departments["市场部"]
    return (OrgChart({did: name for name, did in departments.items()}, {}),
            Actor("dongfangwei", managed=frozenset({marketing}),
                  departments=frozenset({marketing})))


def test_a_rule_group_s_tag_group_shows_the_department_that_owns_it(
    qtbot: Any, view: TagTreeView, sandbox: Any
) -> None:
    """A tag group in a rule group that the policy does not place belongs to the first
    department in the rule group's range, as the team server judges it: the tree shows that
    department's badge (corp groups showed theirs, rule groups' none) and lets its head
    rename the group."""
    chart, head = _chart_and_marketing_head(view)
    node = next(n for n in view.model.tree.walk()
                if n.kind is NodeKind.GROUP and n.label == "华北-跟进阶段")
    assert node.group is not None and node.group.strategy_id is not None
    with sandbox.state.transaction() as conn:
        (first,) = conn.execute("SELECT partyid FROM strategy_range WHERE strategy_id = ?"
                                " AND type = 2 ORDER BY seq LIMIT 1",
                                (node.group.strategy_id,)).fetchone()
    branch = chart.name(first)
    branch_head = Actor("zhaolei", managed=frozenset({first}), departments=frozenset({first}))
    view.set_rules(TeamRules(Policy(), chart, branch_head))
    index = view.model.index_for_key(node.key)
    qtbot.waitUntil(lambda: index.data(Role.OWNER) == branch, timeout=10000)
    assert f"Owned by {branch}" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert view.model.index_for_key(_group_index(view.model, "MKT-活动").data(Role.KEY)).data(
        Role.OWNER) == "市场部"                      # a corp group's badge, as before
    assert view.select_key(node.key)
    assert view.rename_action.isEnabled()           # the branch's head may rename it
    view.set_rules(TeamRules(Policy(), chart, head))
    assert view.select_key(node.key)
    assert not view.rename_action.isEnabled()       # 市场部's head may not
    assert branch in view.rename_action.toolTip()


def test_a_rule_group_s_range_changed_in_wecom_moves_its_badge_at_the_next_sync(
    qtbot: Any, view: TagTreeView, sandbox: Any, synced_context: Any
) -> None:
    """The ranges were read once: a rule group's range changed in the admin console (华北
    handed to 华南) kept the old department's badge until TagDesk was started again. A sync
    (F5) reads them again."""
    from desktop.ui.sync_controller import SyncController

    chart, _head = _chart_and_marketing_head(view)
    node = next(n for n in view.model.tree.walk()
                if n.kind is NodeKind.GROUP and n.label == "华北-跟进阶段")
    assert node.group is not None and node.group.strategy_id is not None
    strategy_id = node.group.strategy_id
    with sandbox.state.transaction() as conn:
        (first,) = conn.execute("SELECT partyid FROM strategy_range WHERE strategy_id = ?"
                                " AND type = 2 ORDER BY seq LIMIT 1", (strategy_id,)).fetchone()
    south = chart.find("华南分公司")
    assert south is not None and south != first
    view.set_rules(TeamRules(Policy(), chart, Actor("boss", admin=True)))
    index = view.model.index_for_key(node.key)
    qtbot.waitUntil(lambda: index.data(Role.OWNER) == chart.name(first), timeout=10000)
    with sandbox.state.transaction() as conn:      # as the admin console's range editor does
        conn.execute("UPDATE strategy_range SET partyid = ? WHERE strategy_id = ? AND type = 2"
                     " AND partyid = ?", (south, strategy_id, first))
    sync = SyncController(synced_context, synced_context)
    with qtbot.waitSignal(sync.finished, timeout=30000):
        assert sync.start()
    qtbot.waitUntil(lambda: view.model.index_for_key(node.key).data(Role.OWNER) == "华南分公司",
                    timeout=10000)


def test_a_deletion_that_becomes_a_request_says_so_and_its_answer_is_no_fault(
    qtbot: Any, view: TagTreeView, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A head's deletion on a team profile is a request: the confirmation says nothing is
    lost until an administrator approves, and the server's "request #N sent" answer is
    told as news, without an errcode, not warned about."""
    chart, head = _chart_and_marketing_head(view)
    asked: list[str] = []
    told: list[tuple[str, str]] = []
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _parent, _title, text, *_args: _no(asked, text))
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, title, text, *_args: told.append((title, text)))
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *_args: warned.append(text))
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    view.set_rules(TeamRules(Policy(), chart, head))
    assert view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: isinstance(view.dialog, DeletionRequestDialog)
                    and view.dialog.isVisible(), timeout=10000)
    request_dialog = view.dialog
    assert isinstance(request_dialog, DeletionRequestDialog)
    as_head = request_dialog.text_label.text()
    request_dialog.reject()
    view.set_rules(TeamRules(Policy(), chart, Actor("shenyingyi", admin=True)))
    view.delete_current()       # offscreen, a key after a closed dialog misses the tree
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
    as_admin, = asked
    assert "nothing changes until it is approved" in as_head and "Once approved, " in as_head
    assert "approv" not in as_admin and "will lose it in WeCom" in as_admin
    assert sandbox.state.find_tag("意向程度", "高意向") == tag_id

    view._show_error(WeComError(
        TEAM_APPROVAL_REQUIRED, "删除标签需要管理员批准，已提交申请 #3，等待管理员批准 / Deleting"
        " a tag needs an administrator's approval; request #3 was sent to the administrators",
        "externalcontact/del_corp_tag"))
    assert told and not warned
    assert told[0][1] == "删除标签需要管理员批准，已提交申请 #3，等待管理员批准"


def test_a_deletion_request_carries_the_reason_typed_in_its_confirmation(
    qtbot: Any, view: TagTreeView, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """申请删除 has a one-line reason, sent with the request as its 申请理由; requests from
    the tree were sent without one, so the administrators saw an empty 申请理由."""
    chart, head = _chart_and_marketing_head(view)
    view.set_rules(TeamRules(Policy(), chart, head))
    service = view.model.service
    sent: list[tuple[list[str], str]] = []

    def server_answers(tag_ids: Any, *, reason: str = "") -> ChangeSet:
        sent.append((list(tag_ids), reason))
        raise WeComError(TEAM_APPROVAL_REQUIRED, "删除标签需要管理员批准，已提交申请 #4，等待管理员"
                         "批准 / Deleting a tag needs an administrator's approval; request #4"
                         " was sent to the administrators", "externalcontact/del_corp_tag")

    monkeypatch.setattr(service, "delete_tags", server_answers)
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: None)
    tag_id = sandbox.state.find_tag("意向程度", "高意向")
    assert view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: isinstance(view.dialog, DeletionRequestDialog)
                    and view.dialog.isVisible(), timeout=10000)
    dialog = view.dialog
    assert isinstance(dialog, DeletionRequestDialog)
    dialog.reason_edit.setText(" 秋季展会已结束 ")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(sent), timeout=10000)
    assert sent == [([tag_id], "秋季展会已结束")]


def test_f2_and_del_follow_the_current_tag_once_the_team_rules_arrive(
    qtbot: Any, view: TagTreeView, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team's rules arrive before any tag is current; a tag clicked afterwards renames
    with F2 and deletes with Del, without a context menu opened first."""
    chart, _ = _chart_and_marketing_head(view)
    view.set_rules(TeamRules(Policy(), chart, Actor("shenyingyi", admin=True)))
    tag_id = sandbox.state.find_tag("意向程度", "低意向")
    assert view.select_key(f"tag:{tag_id}")
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    assert isinstance(view.dialog, RenameDialog) and view.dialog.isVisible()
    view.dialog.reject()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _parent, _title, text, *_args: _no(asked, text))
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)


def _no(asked: list[str], text: str) -> QMessageBox.StandardButton:
    """A question answered No, its text kept."""
    asked.append(text)
    return QMessageBox.StandardButton.No


def test_a_rename_that_becomes_a_request_says_so_before_it_is_sent(
    qtbot: Any, view: TagTreeView, sandbox: Any
) -> None:
    """A head's rename of a tag on more customers than the team's threshold is a request:
    the rename window says so before OK (it looked like any rename, and the answer came
    after), counted by customers as the server counts them; an admin's stays a rename."""
    chart, head = _chart_and_marketing_head(view)
    tag_id = sandbox.state.find_tag("MKT-活动", "2025秋季展会")
    customers = view.model.service.deletion_impact([tag_id]).customers
    assert customers > 10
    titles: dict[str, tuple[str, bool, str]] = {}
    for who, actor, threshold in (("head", head, 10), ("head, under", head, customers),
                                  ("admin", Actor("shenyingyi", admin=True), 10)):
        view.set_rules(TeamRules(Policy(rename_threshold=threshold), chart, actor))
        view.dialog = None
        assert view.select_key(f"tag:{tag_id}")
        view.rename_action.trigger()      # F2
        qtbot.waitUntil(lambda: isinstance(view.dialog, RenameDialog), timeout=10000)
        dialog = view.dialog
        assert isinstance(dialog, RenameDialog)
        titles[who] = (dialog.windowTitle(), "approves it" in " ".join(
            label.text() for label in dialog.findChildren(QLabel)), dialog.ok_button.text())
        dialog.reject()
    assert titles == {"head": ("Request a rename", True, "Send request"),   # as 申请删除's
                      "head, under": ("Rename", False, "OK"), "admin": ("Rename", False, "OK")}


def test_a_rename_request_carries_the_reason_typed_in_its_window(
    qtbot: Any, view: TagTreeView, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """申请改名 has the one-line reason 申请删除 has, sent with the request as its 申请理由;
    a plain rename has none."""
    chart, head = _chart_and_marketing_head(view)
    service = view.model.service
    sent: list[tuple[str, str, str]] = []

    def server_answers(item_id: str, new_name: str, *, reason: str = "") -> ChangeSet:
        sent.append((item_id, new_name, reason))
        raise WeComError(TEAM_APPROVAL_REQUIRED, "改名标签需要管理员批准，已提交申请 #5，等待管理员"
                         "批准 / Renaming a tag needs an administrator's approval; request #5"
                         " was sent to the administrators", "externalcontact/edit_corp_tag")

    monkeypatch.setattr(service, "rename", server_answers)
    monkeypatch.setattr(QMessageBox, "information", lambda *_args: None)
    tag_id = sandbox.state.find_tag("MKT-活动", "2025秋季展会")
    view.set_rules(TeamRules(Policy(rename_threshold=10), chart, head))
    assert view.select_key(f"tag:{tag_id}")
    view.rename_action.trigger()
    qtbot.waitUntil(lambda: isinstance(view.dialog, RenameDialog), timeout=10000)
    dialog = view.dialog
    assert isinstance(dialog, RenameDialog) and dialog.reason_edit is not None
    dialog.name_edit.setText("2025秋季展会（华东）")
    dialog.reason_edit.setText(" 只办了华东场 ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(sent), timeout=10000)
    assert sent == [(tag_id, "2025秋季展会（华东）", "只办了华东场")]

    view.set_rules(TeamRules(Policy(rename_threshold=10), chart, Actor("shenyingyi", admin=True)))
    view.dialog = None
    assert view.select_key(f"tag:{tag_id}")
    view.rename_action.trigger()
    qtbot.waitUntil(lambda: isinstance(view.dialog, RenameDialog), timeout=10000)
    assert isinstance(view.dialog, RenameDialog) and view.dialog.reason_edit is None
    view.dialog.reject()
