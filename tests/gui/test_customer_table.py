"""The customer table model and view over a real synced cache (300 customers on the sandbox)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.domain.filter import UnknownTagError
from desktop.domain.sort_key import person_sort_key
from desktop.services.changes import ChangeSet
from desktop.store.relations import load_relations
from desktop.ui import customer_table_model as table_module
from desktop.ui.customer_table_model import (
    PAGE_SIZE,
    Column,
    CustomerTableModel,
    TagsRole,
    WriteStateRole,
)
from desktop.ui.customer_table_view import CustomerTableView

pytestmark = pytest.mark.gui


def _query(qtbot: Any, model: CustomerTableModel, action: Any) -> Any:
    with qtbot.waitSignal(model.queryFinished, timeout=15000) as blocker:
        action()
    return blocker.args[0]


@pytest.fixture
def model(qtbot: Any, synced_context: Any) -> CustomerTableModel:
    model = CustomerTableModel(synced_context)
    _query(qtbot, model, model.refresh)
    return model


def _tag_names(context: Any, relation_id: int) -> set[str]:
    return set(load_relations(context.cache, [relation_id])[0].tag_names)


def test_model_passes_the_model_tester(qtmodeltester: Any, model: CustomerTableModel) -> None:
    assert model.rowCount() > 300
    qtmodeltester.check(model)


def test_row_count_matches_the_filter_engine(qtbot: Any, synced_context: Any,
                                             model: CustomerTableModel) -> None:
    engine = synced_context.filter_engine
    assert model.rowCount() == engine.count("").relations
    result = _query(qtbot, model, lambda: model.set_filter("高意向 OR VIP"))
    expected = engine.count("高意向 OR VIP")
    assert 0 < model.rowCount() == expected.relations < engine.count("").relations
    assert (result.relations, result.customers) == (expected.relations, expected.customers)
    assert result.total_relations == engine.count("").relations


def test_a_bad_filter_reports_the_error_and_keeps_the_rows(
        qtbot: Any, model: CustomerTableModel, caplog: pytest.LogCaptureFixture) -> None:
    before = model.rowCount()
    with caplog.at_level(logging.DEBUG), \
            qtbot.waitSignal(model.queryFailed, timeout=15000) as blocker:
        model.set_filter("没有这个标签")
    assert "没有这个标签" in str(blocker.args[0])
    assert model.rowCount() == before
    assert "没有这个标签" in caplog.text            # one line says what happened ...
    assert "Traceback" not in caplog.text         # ... and a typo is not a bug


def test_a_customer_s_name_read_as_a_tag_hints_at_text(
        qtbot: Any, synced_context: Any, model: CustomerTableModel) -> None:
    """A bare customer's name is read as a tag and names none: the error says how to find
    the customer (`text:NAME`); it said only that no such tag exists."""
    name = next(str(row[0]) for row in synced_context.cache.query(
        "SELECT name FROM customer WHERE name <> '' AND name NOT IN (SELECT name FROM tag)"
        " AND name NOT LIKE '% %' ORDER BY name"))
    with qtbot.waitSignal(model.queryFailed, timeout=15000) as blocker:
        model.set_filter(name)
    error = blocker.args[0]
    assert isinstance(error, UnknownTagError)
    assert f"客户的名字，按客户筛选请写 text:{name}" in error.message_zh
    assert f"write text:{name}" in error.message_en
    assert (error.position, error.end) == (0, len(name))
    result = _query(qtbot, model, lambda: model.set_filter(f"text:{name}"))
    assert result.relations > 0
    with qtbot.waitSignal(model.queryFailed, timeout=15000) as blocker:
        model.set_filter("没有这个标签")
    assert "text:" not in str(blocker.args[0])


def test_a_team_abbreviation_in_the_filter_names_its_tag(
        qtbot: Any, synced_context: Any, model: CustomerTableModel) -> None:
    """`V3` finds 三次复购客户 in the tag tree and the picker; in the filter it is no tag name,
    and the error said only "没有标签“V3”" with no suggestion."""
    from desktop.services.tag_admin import TagAdminService

    high = str(synced_context.cache.query("SELECT id FROM tag WHERE name = '高意向'")[0][0])
    synced_context.publish(TagAdminService(synced_context.workspace).set_abbreviation(high, "V3"))
    with qtbot.waitSignal(model.queryFailed, timeout=15000) as blocker:
        model.set_filter("v3 -VIP")
    error = blocker.args[0]
    assert isinstance(error, UnknownTagError)
    assert error.suggestions[0] == "高意向"
    assert "“v3”是标签 高意向 的缩写：筛选请写 高意向" in error.message_zh
    assert "abbreviates the tag 高意向: write 高意向 in a filter" in error.message_en
    assert (error.position, error.end) == (0, 2)


def test_sorting_by_a_column_is_a_new_sql_order(qtbot: Any, synced_context: Any,
                                                model: CustomerTableModel) -> None:
    engine = synced_context.filter_engine
    _query(qtbot, model, lambda: model.sort(Column.CUSTOMER, Qt.SortOrder.AscendingOrder))
    ids = [model.relation_id(row) for row in range(model.rowCount())]
    assert ids == engine.relation_ids("", order_by="name", descending=False)
    names = [model.data(model.index(row, Column.CUSTOMER)) for row in range(model.rowCount())]
    assert names == sorted(names, key=person_sort_key) != sorted(names)  # 李 before 张
    _query(qtbot, model, lambda: model.sort(Column.OWNER, Qt.SortOrder.DescendingOrder))
    assert [model.relation_id(r) for r in range(model.rowCount())] == engine.relation_ids(
        "", order_by="owner", descending=True)
    assert model.query.order_by == "owner" and model.query.descending


def test_the_tags_column_does_not_sort(qtbot: Any, model: CustomerTableModel) -> None:
    before = model.query
    with qtbot.assertNotEmitted(model.queryStarted):
        model.sort(Column.TAGS, Qt.SortOrder.AscendingOrder)
    assert model.query == before


def test_rows_are_fetched_one_page_at_a_time(model: CustomerTableModel,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = table_module.load_relations

    def counting(cache: Any, ids: Any) -> Any:
        calls.append(len(ids))
        return real(cache, ids)

    monkeypatch.setattr(table_module, "load_relations", counting)
    assert model.rowCount() > PAGE_SIZE
    model.flags(model.index(PAGE_SIZE + 1, 0))
    assert calls == []
    model.data(model.index(0, Column.CUSTOMER))
    model.data(model.index(PAGE_SIZE - 1, Column.OWNER))
    assert calls == [PAGE_SIZE]
    model.data(model.index(PAGE_SIZE + 3, Column.CUSTOMER))
    assert calls == [PAGE_SIZE, min(PAGE_SIZE, model.rowCount() - PAGE_SIZE)]
    model.data(model.index(7, Column.REMARK))
    assert len(calls) == 2


def test_cells_show_the_relation(synced_context: Any, model: CustomerTableModel) -> None:
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0), TagsRole))
    view = load_relations(synced_context.cache, [model.relation_id(row)])[0]
    assert model.data(model.index(row, Column.CUSTOMER)) == view.customer_name
    assert model.data(model.index(row, Column.OWNER)) == view.owner_name
    assert [t.name for t in model.data(model.index(row, Column.TAGS), TagsRole)] == view.tag_names
    assert model.data(model.index(row, Column.ADDED)).count("-") == 2
    assert model.headerData(Column.TAGS, Qt.Orientation.Horizontal) == "Tags"


def test_write_states_change_rows_without_a_reset(qtbot: Any, synced_context: Any,
                                                  model: CustomerTableModel) -> None:
    rid = model.relation_id(5)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        synced_context.write_started.emit(frozenset({rid}))
        assert model.data(model.index(5, 0), WriteStateRole) == "pending"
        assert model.data(model.index(5, 0), Qt.ItemDataRole.DecorationRole) is not None
        synced_context.write_failed.emit("客户关系不存在", frozenset({rid}))
        assert model.data(model.index(5, 0), WriteStateRole) == "failed"
        assert "客户关系不存在" in model.data(model.index(5, 0), Qt.ItemDataRole.ToolTipRole)
        synced_context.write_started.emit(frozenset({rid}))
        synced_context.changed.emit(ChangeSet(relation_ids=frozenset({rid})))
        assert model.data(model.index(5, 0), WriteStateRole) == "done"
    assert changed == [(5, 5)] * 4
    assert model.data(model.index(6, 0), WriteStateRole) is None


def test_a_write_on_scattered_rows_changes_them_in_one_signal(
        qtbot: Any, synced_context: Any, model: CustomerTableModel) -> None:
    """The rows of a toggle on a selection go pending and then done with one dataChanged each
    time: from the first row to the last, or every row for more than a page of them. One per
    run of adjacent rows was about 10,000 signals at the end of a toggle on 57,582 rows, a
    third of a second of frozen window. Rows cached before the write are read again."""
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    few = frozenset(model.relation_id(row) for row in range(1, 150, 3))
    synced_context.write_started.emit(few)
    synced_context.changed.emit(ChangeSet(relation_ids=few))
    assert changed == [(1, 148)] * 2
    assert [model.data(model.index(row, 0), WriteStateRole) for row in (0, 1, 2, 4)] == [
        None, "done", None, "done"]
    changed.clear()
    last = model.rowCount() - 1
    written = [row for row in range(0, last + 1) if row % 3]
    assert len(written) > PAGE_SIZE
    ids = frozenset(model.relation_id(row) for row in written)
    first_id = model.relation_id(1)
    assert model.data(model.index(1, Column.TAGS), TagsRole)       # its page is cached
    with synced_context.cache.write() as tx:
        tx.execute("DELETE FROM relation_tag WHERE relation_id = ?", (first_id,))
    synced_context.write_started.emit(ids)
    assert changed == [(0, last)]
    assert [model.data(model.index(row, 0), WriteStateRole) for row in (0, 1, 2, 3)] == [
        None, "pending", "pending", None]
    synced_context.changed.emit(ChangeSet(relation_ids=ids))
    assert changed == [(0, last)] * 2
    assert {model.data(model.index(row, 0), WriteStateRole) for row in written} == {"done"}
    assert model.data(model.index(1, Column.TAGS), TagsRole) == ()


def test_tagging_updates_the_rows_in_place(qtbot: Any, synced_context: Any, sandbox: Any,
                                           model: CustomerTableModel) -> None:
    target = next(t for t in synced_context.cache.query(
        "SELECT t.id, t.name FROM tag t JOIN tag_group g ON g.id = t.group_id"
        " WHERE t.name = '高意向'"))
    rows = [r for r in range(40) if "高意向" not in _tag_names(
        synced_context, model.relation_id(r))][:3]
    ids = [model.relation_id(r) for r in rows]
    for row in rows:      # the pages are cached before the write
        model.data(model.index(row, Column.TAGS), TagsRole)
    with qtbot.assertNotEmitted(model.modelReset), \
            qtbot.waitSignal(synced_context.changed, timeout=20000):
        synced_context.toggle_tag(ids, target["id"], lambda: "高意向")
    for row, rid in zip(rows, ids, strict=True):
        assert "高意向" in [t.name for t in model.data(model.index(row, Column.TAGS), TagsRole)]
        assert model.data(model.index(row, 0), WriteStateRole) == "done"
        ext, userid = synced_context.cache.query(
            "SELECT external_userid, userid FROM relation WHERE id = ?", (rid,))[0]
        assert target["id"] in sandbox.state.relation_tag_ids(userid, ext)


def test_the_marks_of_done_belong_to_the_last_write_under_any_filter(
        qtbot: Any, synced_context: Any, model: CustomerTableModel) -> None:
    """The rows just tagged keep their ✓ when the filter changes (在表格中显示 filters to a
    batch's rows, which keep theirs); the next write takes the ✓ from the rows of the one
    before, whatever the filter: the marks of an hour of writes piled up under every filter."""
    def tagged(name: str, ids: list[int]) -> None:
        tag = synced_context.tagging.resolve_tag_names([name])[0]
        with qtbot.waitSignal(synced_context.changed, timeout=20000):
            synced_context.toggle_tag(ids, tag, lambda: name)

    def marks(ids: list[int]) -> list[str | None]:
        return [model.data(model.index(row, 0), WriteStateRole) if row is not None else "absent"
                for row in (model.row_of(rid) for rid in ids)]

    first = [model.relation_id(r) for r in range(40)
             if "高意向" not in _tag_names(synced_context, model.relation_id(r))][:3]
    tagged("高意向", first)
    assert marks(first) == ["done"] * 3
    _query(qtbot, model, lambda: model.set_filter("高意向"))
    assert marks(first) == ["done"] * 3
    _query(qtbot, model, lambda: model.set_filter(""))
    second = [model.relation_id(r) for r in range(40, 80)
              if "VIP" not in _tag_names(synced_context, model.relation_id(r))][:2]
    tagged("VIP", second)
    assert marks(second) == ["done"] * 2 and marks(first) == [None] * 3
    _query(qtbot, model, lambda: model.set_filter("高意向"))
    assert marks(first) == [None] * 3


def test_view_selects_many_rows_and_reports_their_ids(qtbot: Any,
                                                      model: CustomerTableModel) -> None:
    view = CustomerTableView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.selectRow(2)
    view.selectionModel().select(
        model.index(7, 0), view.selectionModel().SelectionFlag.Select
        | view.selectionModel().SelectionFlag.Rows)
    assert view.selected_relation_ids() == [model.relation_id(2), model.relation_id(7)]
    view.selectAll()
    assert len(view.selected_relation_ids()) == model.rowCount()
    assert not view.grab().isNull()    # the chips delegate paints


def test_the_model_never_touches_rows_outside_the_list(model: CustomerTableModel) -> None:
    assert model.data(model.index(model.rowCount(), 0)) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.data(model.index(-1, 0)) is None


def test_ctrl_a_never_walks_every_row_through_the_model(qtbot: Any, synced_context: Any) -> None:
    class Counting(CustomerTableModel):
        calls = 0

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            Counting.calls += 1
            return super().rowCount(parent)

    model = Counting(synced_context)
    _query(qtbot, model, model.refresh)
    view = CustomerTableView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    Counting.calls = 0
    view.selectAll()
    qtbot.wait(50)                              # the header and the rows repaint
    assert len(view.selected_rows()) == model.rowCount() > 300
    assert Counting.calls < model.rowCount()    # Qt's own header asked once per cell


def test_a_cold_engine_shows_the_same_rows_from_sql_and_warms_itself(
        qtbot: Any, synced_context: Any, model: CustomerTableModel) -> None:
    engine = synced_context.filter_engine
    for text in ("高意向 OR VIP", "-VIP text:a", "tags>=2", ""):
        # the model's first query found the engine cold too: a warming that started
        # before invalidate() would claim the new index and the filter would not ask
        qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)
        engine.invalidate()
        with qtbot.waitSignal(synced_context.filters_cold, timeout=15000):
            cold = _query(qtbot, model, lambda t=text: model.set_filter(t))
        cold_ids = [model.relation_id(row) for row in range(model.rowCount())]
        qtbot.waitUntil(lambda: not synced_context.warming, timeout=30000)
        warm = _query(qtbot, model, model.refresh)
        assert [model.relation_id(row) for row in range(model.rowCount())] == cold_ids, text
        assert (cold.relations, cold.customers) == (warm.relations, warm.customers), text
        assert cold_ids, text


def test_ctrl_end_and_ctrl_home_select_the_row_they_go_to(qtbot: Any,
                                                          model: CustomerTableModel) -> None:
    """Ctrl+End is the only key to the last row: Qt's Ctrl moved the focus there and kept the
    row selected before, so the detail and T tagged a row out of sight. Ctrl+Shift+End still
    extends the selection."""
    view = CustomerTableView(model)
    qtbot.addWidget(view)
    view.show()
    view.setFocus()
    last = model.rowCount() - 1
    assert last > 10
    view.selectRow(3)
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_rows() == [last]
    assert view.current_relation_id() == model.relation_id(last)
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert view.selected_rows() == [0]
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_rows() == list(range(last + 1))
