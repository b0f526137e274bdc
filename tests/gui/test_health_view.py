"""The tag health window: findings in a table, filter / select / export, and the migrate wizard."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtWidgets import QStyle

from desktop.domain.governance import Actor, OrgChart, Policy
from desktop.domain.migration_plan import Strategy
from desktop.services.governance import TeamRules
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.health_view import HealthModel, HealthWindow
from desktop.ui.i18n import CHINESE, ENGLISH, Translations
from desktop.ui.migrate_wizard import MigrateDialog
from desktop.ui.tag_tree_view import TagTreeView
from desktop.wecom.error_codes import TEAM_APPROVAL_REQUIRED
from desktop.wecom.errors import WeComError

pytestmark = pytest.mark.gui


@pytest.fixture
def context(synced_context: Any, sandbox: Any) -> Any:
    won = sandbox.state.find_tag("客户阶段", "已成交")
    lost = sandbox.state.find_tag("客户阶段", "无效客户")
    with synced_context.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("成交状态", json.dumps([won, lost])))
    return synced_context


@pytest.fixture
def window(qtbot: Any, context: Any) -> Any:
    view = HealthWindow(context)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        pass
    yield view
    context.wait_idle()


def _row(window: HealthWindow, category: str, name: str) -> int:
    model = window.model
    for row, finding in enumerate(model.findings):
        tags = model.data(model.index(row, HealthModel.TAGS))
        if finding.category == category and name in tags:
            return row
    raise AssertionError(f"no {category} finding naming {name}")


def _select(window: HealthWindow, row: int) -> None:
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
             | QItemSelectionModel.SelectionFlag.Rows)
    window.table.selectionModel().select(window.model.index(row, 0), flags)


def test_the_seeded_findings_show_with_relation_counts(window: HealthWindow) -> None:
    model = window.model
    row = _row(window, "duplicate", "電話諮詢")
    assert model.data(model.index(row, HealthModel.CATEGORY)) == "Duplicate"
    assert "客户来源:电话咨询" in model.data(model.index(row, HealthModel.TAGS))
    assert int(model.data(model.index(row, HealthModel.RELATIONS)).replace(",", "")) > 0
    for category, name in (("zombie", "春节礼盒"), ("empty_group", "春节拜年"),
                           ("deep_path", "工业园区"), ("risky_name", "专场活动")):
        _row(window, category, name)
    assert {"conflict_relation", "conflict_cross_follower"} <= {
        f.category for f in model.findings}
    assert "/3,000" in window.capacity.text()       # numbers with separators
    cache = window.context.cache
    names = {**dict(cache.connection().execute("SELECT external_userid, name FROM customer")),
             **dict(cache.connection().execute("SELECT userid, name FROM member"))}
    for row, finding in enumerate(model.findings):     # people by name, not by id
        if finding.category.startswith("conflict_"):
            (customer,) = finding.external_userids
            said = model.data(model.index(row, HealthModel.FINDING))
            assert names[customer] in said and customer not in said, said


def test_filter_to_the_customers_of_a_conflict_and_select_a_tag(
    qtbot: Any, window: HealthWindow, sandbox: Any
) -> None:
    row = next(i for i, f in enumerate(window.model.findings)
               if f.category == "conflict_cross_follower")
    _select(window, row)
    customer = window.model.findings[row].external_userids[0]
    with qtbot.waitSignal(window.filterRequested) as asked:
        window.filter_button.click()
    assert asked.args == [f"text:{customer}"]
    _select(window, _row(window, "zombie", "春节礼盒"))
    assert window.filter_expression() == "2023春节活动:春节礼盒"
    with qtbot.waitSignal(window.tagRequested) as shown:
        window.select_button.click()
    assert shown.args == [sandbox.state.find_tag("2023春节活动", "春节礼盒")]


def test_export_writes_every_finding(qtbot: Any, window: HealthWindow, tmp_path: Path) -> None:
    path = tmp_path / "health.xlsx"
    window.export_to(path)
    qtbot.waitUntil(lambda: "Exported" in window.notice.text(), timeout=10000)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == len(window.model.findings) + 1


def test_migrating_a_duplicate_merges_it_and_the_report_follows(
    qtbot: Any, window: HealthWindow, sandbox: Any
) -> None:
    source = sandbox.state.find_tag("历史标签", "高意向客户")
    target = sandbox.state.find_tag("意向程度", "高意向")
    carriers = {key for key in sandbox.state.relations()
                if source in sandbox.state.relation_tag_ids(*key)}
    _select(window, _row(window, "zombie", "春节礼盒"))
    first = window.migrate_selected()
    _select(window, _row(window, "duplicate", "高意向客户"))
    wizard = window.migrate_selected()
    assert wizard is not None and wizard is first          # one wizard, planning the new choice
    assert len(window.findChildren(MigrateDialog)) == 1
    qtbot.addWidget(wizard)
    assert wizard.target.text() == "意向程度:高意向"
    assert wizard.sources.text() == "历史标签:高意向客户"
    wizard.delete_source.setChecked(True)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.delete_source
                    and wizard.run_button.isEnabled(), timeout=10000)
    plan = wizard.plan
    assert plan is not None and plan.strategy is Strategy.RELABEL
    assert "API calls in all" in wizard.preview_text.text()       # 3 or more
    assert "a revert can no longer put them back" in wizard.preview_text.text()
    with qtbot.waitSignal(wizard.migrated, timeout=30000):
        wizard.run_button.click()
    assert sandbox.state.find_tag("历史标签", "高意向客户") is None
    assert wizard.panel.title.text().endswith("· 迁移 高意向客户 → 高意向")   # not "迁移 migrate …"
    assert all(target in sandbox.state.relation_tag_ids(*key) for key in carriers)
    qtbot.waitUntil(lambda: not any(
        "高意向客户" in window.model.data(window.model.index(r, HealthModel.TAGS))
        for r in range(window.model.rowCount())), timeout=10000)


def test_the_wizard_refuses_a_tag_into_itself(qtbot: Any, context: Any, sandbox: Any) -> None:
    hot = sandbox.state.find_tag("意向程度", "高意向")
    wizard = MigrateDialog(context, [hot], "意向程度:高意向")
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: "迁移到它自己" in wizard.preview_text.text(), timeout=10000)
    assert not wizard.run_button.isEnabled()
    context.wait_idle()


def test_the_tag_tree_footer_gauges_capacity(qtbot: Any, context: Any, sandbox: Any) -> None:
    tree = TagTreeView(context)
    qtbot.addWidget(tree)
    qtbot.waitUntil(lambda: tree.model.is_loaded, timeout=10000)
    used = sandbox.state.counts()["tags"]
    assert tree.capacity.text() == f"{used} of 3,000 tags used"
    assert tree.capacity.toolTip() == ""
    context.wait_idle()


def test_the_tree_context_menu_opens_the_wizard_on_the_tag(
    qtbot: Any, context: Any, sandbox: Any
) -> None:
    tree = TagTreeView(context)
    qtbot.addWidget(tree)
    qtbot.waitUntil(lambda: tree.model.is_loaded, timeout=10000)
    tag_id = sandbox.state.find_tag("历史标签", "官网资询")
    assert tree.select_key(f"tag:{tag_id}")
    tree._update_actions(tree.current_node())
    assert tree.migrate_action.isEnabled()
    wizard = tree.migrate_current()
    assert wizard is not None and wizard.sources.text() == "历史标签:官网资询"
    wizard.target.setText("MKT-渠道:官网咨询")
    qtbot.waitUntil(lambda: wizard.plan is not None
                    and wizard.plan.target.group_name == "MKT-渠道", timeout=10000)
    assert wizard.run_button.isEnabled()
    wizard.close()
    context.wait_idle()


def test_a_refreshed_report_keeps_the_findings_selected(qtbot: Any, window: HealthWindow) -> None:
    """A change anywhere redraws the report (a saved filter, a sync): the findings the user
    selected stay selected, so 选中这些标签 still acts on them; the reset dropped them."""
    row = _row(window, "duplicate", "電話諮詢")
    _select(window, row)
    chosen = window.selected()
    assert window.select_button.isEnabled()
    with qtbot.waitSignal(window.loaded, timeout=20000):
        window.refresh()
    assert window.selected() == chosen and window.select_button.isEnabled()


def test_a_click_on_a_header_sorts_the_findings_and_the_selection_follows(
        window: HealthWindow) -> None:
    model, header = window.model, window.table.horizontalHeader()
    conflict = next(i for i, f in enumerate(model.findings) if f.category.startswith("conflict"))
    chosen = model.findings[conflict]
    _select(window, conflict)
    header.setSortIndicator(HealthModel.RELATIONS, Qt.SortOrder.DescendingOrder)
    counts = [f.relations for f in model.findings]
    assert model.report is not None
    assert counts == sorted(counts, reverse=True) and counts != [
        f.relations for f in model.report.findings()]          # by number, not by "1,683"
    (selected,) = window.table.selectionModel().selectedRows()
    assert model.findings[selected.row()] is chosen
    header.setSortIndicator(HealthModel.CATEGORY, Qt.SortOrder.AscendingOrder)
    kinds = [model.data(model.index(row, HealthModel.CATEGORY)) for row in range(len(counts))]
    assert kinds == sorted(kinds)


def test_in_english_findings_read_as_english_and_each_kind_fits_its_column(
        qtbot: Any, window: HealthWindow) -> None:
    translations = Translations()
    try:
        translations.install(ENGLISH)
        qtbot.waitUntil(lambda: window.windowTitle() == "Tag health", timeout=5000)
        window.show()
        qtbot.waitExposed(window)
        model, table = window.model, window.table
        for row, finding in enumerate(model.findings):
            said = model.data(model.index(row, HealthModel.FINDING))
            assert not set("、「」（）：") & set(said), said
            kind = model.data(model.index(row, HealthModel.CATEGORY))
            width = table.fontMetrics().horizontalAdvance(kind)
            assert table.columnWidth(HealthModel.CATEGORY) > width, (kind, finding.category)
        assert any(f.category == "conflict_cross_follower" for f in model.findings)
    finally:
        translations.uninstall()


def _cut_cells(window: HealthWindow) -> list[str]:
    """The findings and tag lists in sight that do not fit their cell whole: wrapped at the
    column's width, their lines are taller than the row."""
    table, model = window.table, window.model
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    metrics = table.fontMetrics()
    cut = []
    for row in range(max(table.rowAt(0), 0), model.rowCount()):
        if table.rowViewportPosition(row) >= table.viewport().height():
            break
        for column in (HealthModel.FINDING, HealthModel.TAGS):
            text = model.data(model.index(row, column))
            width = table.columnWidth(column) - margin
            lines = metrics.boundingRect(QRect(0, 0, width, 10_000),
                                         Qt.TextFlag.TextWordWrap, text)
            if (not table.wordWrap() and metrics.horizontalAdvance(text) > width) \
                    or lines.height() > table.rowHeight(row):
                cut.append(text)
    return cut


def _each_page_reads_whole(qtbot: Any, window: HealthWindow) -> None:
    table = window.table
    table.scrollToBottom()     # rows grown as they come into sight bring others into it
    qtbot.waitUntil(lambda: not _cut_cells(window), timeout=5000)
    bar = table.verticalScrollBar()
    for value in range(bar.maximum() + 1):
        bar.setValue(value)
        qtbot.waitUntil(lambda: not _cut_cells(window), timeout=5000)
    bar.setValue(0)


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
def test_every_finding_reads_whole_in_its_row_at_the_window_size_and_narrower(
        qtbot: Any, window: HealthWindow, language: str) -> None:
    """Findings wrap onto more lines, each row in sight as tall as they need: in English at
    the window's 1,000 px (on a 1,366 px screen) they ended in "…", the whole text only in
    a tooltip."""
    translations = Translations()
    try:
        translations.install(language)
        window.resize(1000, 620)
        window.show()
        qtbot.waitExposed(window)
        table, model = window.table, window.model
        longest = max(table.fontMetrics().horizontalAdvance(
            model.data(model.index(row, HealthModel.FINDING))) for row in range(model.rowCount()))
        assert longest > table.columnWidth(HealthModel.FINDING)    # some need two lines
        assert table.verticalScrollBar().maximum() > 0             # and some are out of sight
        _each_page_reads_whole(qtbot, window)
        window.resize(760, 620)
        _each_page_reads_whole(qtbot, window)
        assert max(table.rowHeight(row) for row in range(model.rowCount())) \
            > 2 * table.fontMetrics().height()
        table.sortByColumn(HealthModel.FINDING, Qt.SortOrder.DescendingOrder)
        _each_page_reads_whole(qtbot, window)
    finally:
        translations.uninstall()


def test_a_salesperson_is_not_offered_to_ask_wecom_which_groups_are_ours(
        window: HealthWindow) -> None:
    """On a cache of one follower's customers the probe, which edits every group, is
    disabled with the reason as its tooltip; a salesperson was offered it."""
    report = window.model.report
    assert report is not None and window.probe_button.isEnabled()
    window._show(replace(report, only_follower="唐霞悦 (tangxiayue)"))
    assert not window.probe_button.isEnabled()
    assert "whole corp" in window.probe_button.toolTip()
    window._show(report)
    assert window.probe_button.isEnabled() and window.probe_button.toolTip() == ""


def test_a_salesperson_is_not_offered_to_migrate_or_adopt(window: HealthWindow) -> None:
    """Migrating retags every customer of a tag and adopting changes a group's owner for the
    team: on a cache of one follower's customers both are disabled, the reason as tooltip."""
    report = window.model.report
    assert report is not None
    _select(window, _row(window, "duplicate", "電話諮詢"))
    assert window.migrate_button.isEnabled()
    window._show(replace(report, only_follower="唐霞悦 (tangxiayue)"))
    assert window.selected() and not window.migrate_button.isEnabled()
    assert not window.adopt_button.isEnabled()
    assert "whole corp" in window.migrate_button.toolTip()
    window._show(report)
    assert window.migrate_button.isEnabled() and window.migrate_button.toolTip() == ""


def test_a_migration_whose_deletion_becomes_a_request_says_so_and_ends_as_news(
    qtbot: Any, context: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A department head's migration that deletes its source on a team profile: the preview
    said a revert could no longer put the source back, and the server's "request #N sent"
    ended the finished migration as an error with its errcode, the source fields open again
    and no migrated signal. Now the preview says the deletion waits for an administrator
    and the end is the migration's news, the approvals count told at once."""
    departments = dict(context.cache.connection().execute("SELECT name, id FROM department"))
    chart = OrgChart({did: name for name, did in departments.items()}, {})
    head = Actor("dongfangwei", managed=frozenset({departments["市场部"]}),
                 departments=frozenset({departments["市场部"]}))
    source = sandbox.state.find_tag("历史标签", "官网资询")
    wizard = MigrateDialog(context, [source], "MKT-渠道:官网咨询",
                           rules=TeamRules(Policy(), chart, head))
    qtbot.addWidget(wizard)
    wizard.delete_source.setChecked(True)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.delete_source
                    and wizard.run_button.isEnabled(), timeout=10000)
    preview = wizard.preview_text.text()
    assert "needs an administrator's approval" in preview
    assert "a revert can no longer put them back" not in preview
    sent: list[list[str]] = []

    def the_team_server_answers(tag_ids: Any) -> Any:
        sent.append(list(tag_ids))
        raise WeComError(TEAM_APPROVAL_REQUIRED, "删除标签需要管理员批准，已提交申请 #5，等待管理员"
                         "批准 / Deleting a tag needs an administrator's approval; request #5"
                         " was sent to the administrators", "externalcontact/del_corp_tag")

    monkeypatch.setattr(wizard.service._admin, "delete_tags", the_team_server_answers)
    requested: list[bool] = []
    context.approval_requested.connect(lambda: requested.append(True))
    with qtbot.waitSignal(wizard.migrated, timeout=30000):
        wizard.run_button.click()
    assert sent == [[source]] and requested == [True]
    assert wizard.preview_text.text() == \
        "Migration finished.删除标签需要管理员批准，已提交申请 #5，等待管理员批准"
    assert not wizard.sources.isEnabled()
    assert sandbox.state.find_tag("历史标签", "官网资询") == source
    context.wait_idle()


def test_a_one_call_migration_says_one_api_call(qtbot: Any, context: Any, sandbox: Any) -> None:
    """A rename is one call: the English preview read "1 API calls in all"."""
    translations = Translations()
    try:
        translations.install(ENGLISH)
        source = sandbox.state.find_tag("历史标签", "官网资询")
        wizard = MigrateDialog(context, [source], "官网咨询（旧）")
        qtbot.addWidget(wizard)
        wizard.delete_source.setChecked(True)
        qtbot.waitUntil(lambda: wizard.plan is not None
                        and wizard.plan.strategy is Strategy.RENAME, timeout=10000)
        assert wizard.preview_text.text().endswith(" 1 API call in all, about 1 s.")
    finally:
        translations.uninstall()
    context.wait_idle()


def test_a_migration_whose_rename_becomes_a_request_tells_it_as_news(
    qtbot: Any, context: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One source into a new name is a rename; on a team profile, for a tag on more customers
    than the threshold, the server files a request. It was shown as an error with its errcode
    and API path, the fields open again for another try."""
    source = sandbox.state.find_tag("MKT-渠道", "展会")
    wizard = MigrateDialog(context, [source], "展会（线下）")
    qtbot.addWidget(wizard)
    wizard.delete_source.setChecked(True)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.strategy is Strategy.RENAME
                    and wizard.run_button.isEnabled(), timeout=10000)

    def the_team_server_answers(tag_id: str, name: str, **_: Any) -> Any:
        raise WeComError(TEAM_APPROVAL_REQUIRED, "改名的标签有 980 位客户在用，超过 100 位需要管理员批准，"
                         "已提交申请 #6，等待管理员批准 / The tag is on 980 customers, more than 100:"
                         " renaming it needs an administrator's approval; request #6 was sent to"
                         " the administrators", "externalcontact/edit_corp_tag")

    monkeypatch.setattr(wizard.service._admin, "rename", the_team_server_answers)
    requested: list[bool] = []
    context.approval_requested.connect(lambda: requested.append(True))
    wizard.run_button.click()
    qtbot.waitUntil(lambda: bool(requested), timeout=10000)
    assert wizard.preview_text.text() == \
        "改名的标签有 980 位客户在用，超过 100 位需要管理员批准，已提交申请 #6，等待管理员批准"
    assert not wizard.sources.isEnabled() and not wizard.run_button.isEnabled()
    assert sandbox.state.find_tag("MKT-渠道", "展会") == source
    context.wait_idle()


def test_a_rename_over_the_threshold_is_said_to_become_a_request_before_run(
    qtbot: Any, context: Any, sandbox: Any
) -> None:
    """A migration that is a rename of a tag on more customers than the team's threshold
    becomes a request, and the preview said only "one call moves all N relations": the plan
    counted relations, the server customers. The preview now counts the customers in the
    cache as the server does and says it before Run, for a head, not for an administrator
    nor under the threshold."""
    source = sandbox.state.find_tag("MKT-渠道", "展会")
    customers = len({e for u, e in sandbox.state.relations()
                     if source in sandbox.state.relation_tag_ids(u, e)})
    relations = sum(1 for u, e in sandbox.state.relations()
                    if source in sandbox.state.relation_tag_ids(u, e))
    assert relations > customers > 2     # a customer followed by two members counts once
    departments = dict(context.cache.connection().execute("SELECT name, id FROM department"))
    chart = OrgChart({did: name for name, did in departments.items()}, {})
    head = Actor("dongfangwei", managed=frozenset({departments["市场部"]}),
                 departments=frozenset({departments["市场部"]}))
    admin = Actor("shenyingyi", admin=True)
    translations = Translations()
    translations.install(CHINESE)
    try:
        for actor, threshold, said in ((head, customers - 1, True), (head, customers, False),
                                       (admin, 0, False)):
            wizard = MigrateDialog(context, [source], "展会（线下）", rules=TeamRules(
                Policy(rename_threshold=threshold), chart, actor))
            qtbot.addWidget(wizard)
            wizard.delete_source.setChecked(True)
            qtbot.waitUntil(lambda w=wizard: w.plan is not None and w.plan.strategy is
                            Strategy.RENAME and w.run_button.isEnabled(), timeout=10000)
            preview = wizard.preview_text.text()
            request = (f"改名的标签有 {customers} 位客户在用，超过 {threshold} 位需要管理员批准。"
                       "点“开始迁移”会提交申请，管理员批准前不会有任何改动。")
            assert (request in preview) is said, preview
            assert preview.startswith(f"改名：一次调用即迁移全部 {relations:,} 个客户关系。")
            wizard.close()
    finally:
        translations.uninstall()
    context.wait_idle()


def test_a_head_is_not_offered_to_ask_wecom_which_groups_are_ours(
        qtbot: Any, context: Any) -> None:
    """On a team profile the probe edits every group through the team server, which lets only
    an administrator edit public groups and other departments': a head's question stopped at
    the first public group with errcode 9001010. Disabled, with the reason, for a non-admin."""
    monitor = GovernanceMonitor(context)
    window = HealthWindow(context, None, monitor)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=20000):
        pass
    assert window.probe_button.isEnabled()          # the roles not read yet: the server says
    departments = dict(context.cache.connection().execute("SELECT name, id FROM department"))
    chart = OrgChart({did: name for name, did in departments.items()}, {})
    head = Actor("dongfangwei", managed=frozenset({departments["市场部"]}),
                 departments=frozenset({departments["市场部"]}))
    for actor, offered in ((head, False), (Actor("shenyingyi", admin=True), True)):
        monitor.rules = TeamRules(Policy(), chart, actor)
        monitor.rulesChanged.emit(monitor.rules)
        assert window.probe_button.isEnabled() is offered
        assert window.probe_button.toolTip().startswith(
            "Only an administrator asks WeCom") is not offered
    monitor.stop()
    context.wait_idle()


def test_a_chinese_migration_preview_joins_its_sentences_without_a_space(
        qtbot: Any, context: Any, sandbox: Any) -> None:
    """Two sources into a new tag: a relabel whose target is created first, then the count.
    In Chinese each sentence follows the last without the English space (…。先创建目标标签。…)."""
    translations = Translations()
    try:
        translations.install(CHINESE)
        sources = [sandbox.state.find_tag("历史标签", "官网资询"),
                   sandbox.state.find_tag("MKT-渠道", "展会")]
        wizard = MigrateDialog(context, sources, "合并后的新标签")
        qtbot.addWidget(wizard)
        qtbot.waitUntil(lambda: wizard.plan is not None, timeout=10000)
        assert wizard.plan is not None and wizard.plan.create_target
        text = wizard.preview_text.text()
        assert text.count("。") >= 3 and "。 " not in text, text
    finally:
        translations.uninstall()
    context.wait_idle()
