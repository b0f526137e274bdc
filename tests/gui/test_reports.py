"""The reports window draws the service numbers as charts, follows writes, saves PNGs."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from desktop.services import audit
from desktop.services.changes import ChangeSet
from desktop.store.journal_query import department_members
from desktop.ui.i18n import ENGLISH, Translations
from desktop.ui.reports import ReportsWindow, _bar_chart

pytestmark = pytest.mark.gui

REPORTS = ("tags", "days", "operators", "health")


@pytest.fixture
def context(synced_context: Any, sandbox: Any) -> Any:
    ws = synced_context.workspace
    keen = sandbox.state.find_tag("意向程度", "高意向")
    low = sandbox.state.find_tag("意向程度", "低意向")
    tagging = synced_context.tagging
    ids = [r[0] for r in ws.cache.connection().execute("SELECT id FROM relation ORDER BY id")]
    plan = tagging.plan(ids[:30], add=[keen, low], allow_conflicts=True)
    tagging.run(tagging.submit(plan, source="batch"))
    synced_context.setProperty("planned_rows", sum(len(c.add) for c in plan.changes))
    with ws.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("意向", json.dumps([keen, low])))
    return synced_context


@pytest.fixture
def window(qtbot: Any, context: Any) -> Any:
    loaded: set[str] = set()
    view = ReportsWindow(context)
    qtbot.addWidget(view)
    view.loaded.connect(loaded.add)
    qtbot.waitUntil(lambda: loaded >= set(REPORTS), timeout=10000)
    yield view
    context.wait_idle()


def _bars(view: QChartView) -> tuple[list[str], dict[str, list[float]]]:
    chart = view.chart()
    series = chart.series()[0]
    assert isinstance(series, QAbstractBarSeries)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    values = {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}
    return axis.categories(), values


def test_tag_chart_shows_the_most_used_tags(window: ReportsWindow, context: Any) -> None:
    expected = audit.relations_per_tag(context.cache, top=window.top.value())
    categories, values = _bars(window.tags_view)
    assert categories == [f"{c.group_name}：{c.tag_name}" for c in reversed(expected)]
    assert values == {"Relations": [float(c.relations) for c in reversed(expected)]}
    assert "意向程度：高意向" in categories
    axis = next(a for a in window.tags_view.chart().axes() if isinstance(a, QBarCategoryAxis))
    assert not axis.truncateLabels()   # tag names show in full, not as "..."


def test_english_tag_labels_take_a_plain_colon(qtbot: Any, context: Any) -> None:
    translations = Translations()
    translations.install(ENGLISH)
    try:
        loaded: set[str] = set()
        view = ReportsWindow(context)
        qtbot.addWidget(view)
        view.loaded.connect(loaded.add)
        qtbot.waitUntil(lambda: "tags" in loaded, timeout=10000)
        categories, _ = _bars(view.tags_view)
        assert "意向程度: 高意向" in categories and not any("：" in c for c in categories)
        context.wait_idle()
    finally:
        translations.uninstall()


def test_tag_chart_per_group(qtbot: Any, window: ReportsWindow, context: Any) -> None:
    index = window.scope.findText("Group: 意向程度")
    assert index > 0
    window.scope.setCurrentIndex(index)
    with qtbot.waitSignal(window.loaded, timeout=10000):
        window.scope.activated.emit(index)
    categories, _ = _bars(window.tags_view)
    group_id = window.scope.itemData(index)
    names = {c.tag_name for c in audit.relations_per_tag(context.cache, group_id=group_id)}
    assert set(categories) == names and "高意向" in names and "低意向" in names


def test_changes_per_day_stack_by_source(window: ReportsWindow, context: Any) -> None:
    series = window.days
    assert series is not None
    categories, values = _bars(window.days_view)
    assert categories == [day[5:] for day in series.days]
    assert values == {"Batch": [float(n) for n in series.counts["batch"]]}
    assert values["Batch"][-1] == context.property("planned_rows") > 30   # all today


def test_changes_per_operator(window: ReportsWindow, context: Any) -> None:
    categories, values = _bars(window.operators_view)
    assert [c.operator for c in window.operators] == [context.operator]
    assert values == {"Changes": [float(context.property("planned_rows"))]}
    assert len(categories) == 1


def test_health_panel(window: ReportsWindow) -> None:
    health = window.health
    assert health is not None and health.conflicts[0].relations == 30
    pie = window.health_view.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    assert [int(s.value()) for s in pie.slices()] == [
        health.customers - health.untagged_customers, health.untagged_customers]
    text = window.health_text.text()
    assert "意向" in text and "30 relations" in text


def test_reports_redraw_after_a_write(qtbot: Any, window: ReportsWindow, context: Any) -> None:
    before = window.days
    ids = [r[0] for r in context.cache.connection().execute("SELECT id FROM relation LIMIT 5")]
    vip = next(t for t in context.tagging.resolve_tag_names(["VIP"]))
    context.tagging.run(context.tagging.submit(context.tagging.plan(ids, add=[vip])))
    with qtbot.waitSignal(window.loaded, timeout=10000):
        context.publish(ChangeSet(journal_appended=True))
    qtbot.waitUntil(lambda: window.days is not before and window.days is not None
                    and "app" in window.days.counts, timeout=10000)


def test_charts_save_as_png(window: ReportsWindow, tmp_path: Path) -> None:
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        target = tmp_path / f"chart-{index}.png"
        assert window.save_png(target)
        image = QImage(str(target))
        assert not image.isNull() and image.width() > 100 and image.height() > 100
        assert time.time() - target.stat().st_mtime < 60


@pytest.mark.parametrize("top", [1, 2, 3, 7, 2643])
def test_count_axes_label_whole_numbers_only(qapp: Any, top: int) -> None:
    chart = _bar_chart("t", ["a", "b"], [("n", [top, 0])])
    axis = next(a for a in chart.axes() if isinstance(a, QValueAxis))
    step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
    assert step >= 1 and step == int(step)   # "%d" labels never repeat (0 0 0 0 1)


def test_health_numbers_read_with_thousands_separators(window: ReportsWindow) -> None:
    window._draw_health(audit.Health(customers=5000, untagged_customers=1234, relations=61200,
                                     untagged_relations=145, conflicts=()))
    assert "1,234 of 5,000 customers" in window.health_text.text()
    assert "61,200" in window.health_text.text()
    pie = window.health_view.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    assert pie.slices()[0].label().endswith(" 3,766")


def test_value_axis_labels_read_with_thousands_separators(qtbot: Any) -> None:
    chart = _bar_chart("t", ["a", "b"], [("n", [26430, 120])], horizontal=True)
    axis = next(a for a in chart.axes() if isinstance(a, QValueAxis))
    assert axis.labelFormat() == "%'d" and not chart.localizeNumbers()
    view = QChartView(chart)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    grouped = view.grab().toImage()
    axis.setLabelFormat("%d")                      # 10000 20000: no separators
    # the labels are drawn, with commas: without them the picture changes
    qtbot.waitUntil(lambda: view.grab().toImage() != grouped, timeout=3000)


def test_a_head_sees_the_changes_of_the_departments_they_manage(
        qtbot: Any, context: Any, sandbox: Any) -> None:
    """Changes per day and per operator were the corp's alone: a department head could not
    see their department's. Once the team's rules say which departments they manage, a
    department chosen counts only the rows on its members' customers (its sub-departments'
    too), as the audit log's department filter does, and the charts' titles name it."""
    from desktop.domain.governance import Actor, OrgChart, Policy
    from desktop.services.governance import TeamRules
    from desktop.ui.governance_monitor import GovernanceMonitor

    cache = context.cache
    departments = dict(cache.connection().execute("SELECT name, id FROM department"))
    marketing = department_members(cache, departments["市场部"])

    def relations(inside: bool) -> list[int]:
        return [r for (r,) in cache.connection().execute(
            f"SELECT id FROM relation WHERE userid {'' if inside else 'NOT '}IN"
            f" ({','.join('?' * len(marketing))}) ORDER BY id DESC LIMIT 2", marketing)]

    tagging = context.tagging      # changes on 市场部's customers and on others'
    tiktok = sandbox.state.find_tag("MKT-渠道", "抖音")
    tagging.run(tagging.submit(tagging.plan([*relations(True), *relations(False)],
                                            remove=[tiktok]), source="app"))
    tagging.run(tagging.submit(tagging.plan([*relations(True), *relations(False)],
                                            add=[tiktok]), source="app"))

    def counted(owners: list[str] | None) -> tuple[dict[str, int], list[tuple[str, int]]]:
        """Rows per source and per operator in the cache's journal, on `owners`' relations."""
        where = "" if owners is None else f" AND userid IN ({','.join('?' * len(owners))})"
        rows = cache.connection().execute(
            f"SELECT source, count(*) FROM journal WHERE 1 = 1{where} GROUP BY source",
            owners or []).fetchall()
        people = cache.connection().execute(
            f"SELECT operator, count(*) FROM journal WHERE source != 'observed'{where}"
            " GROUP BY operator", owners or []).fetchall()
        return dict(rows), [(str(o), int(n)) for o, n in people]

    expected = {name: counted(department_members(cache, departments[name]))
                for name in ("市场部", "运营部")}
    expected["Whole corp"] = counted(None)
    assert 0 < sum(expected["市场部"][0].values()) < sum(expected["Whole corp"][0].values())
    monitor = GovernanceMonitor(context)
    loaded: set[str] = set()
    view = ReportsWindow(context, governance=monitor)
    qtbot.addWidget(view)
    view.loaded.connect(loaded.add)
    view.show()
    qtbot.waitUntil(lambda: loaded >= set(REPORTS), timeout=10000)
    led = {name for (name,) in cache.connection().execute(
        "SELECT d.name FROM department d JOIN member_department m ON m.department_id = d.id"
        " WHERE m.userid = ? AND m.is_leader = 1", (context.operator,))}

    def offered() -> set[str]:
        return {view.department.itemText(n) for n in range(1, view.department.count())}

    qtbot.waitUntil(lambda: offered() == led, timeout=10000)    # as WeCom's directory says
    assert view.department.isHidden() == (not led) and view.department.itemText(0) == "Whole corp"
    chart = OrgChart({did: name for name, did in departments.items()}, {})
    head = Actor(context.operator, headed=frozenset({departments["市场部"], departments["运营部"]}))
    monitor.rules = TeamRules(Policy(), chart, head)        # as the team's rules say
    monitor.rulesChanged.emit(monitor.rules)
    qtbot.waitUntil(lambda: offered() == led | {"市场部", "运营部"}, timeout=10000)
    assert not view.department.isHidden()

    def chosen(name: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
        loaded.clear()
        view.department.setCurrentIndex(view.department.findText(name))
        view.department.activated.emit(view.department.currentIndex())
        qtbot.waitUntil(lambda: {"days", "operators"} <= loaded, timeout=10000)
        assert view.days is not None
        return ({source: sum(counts) for source, counts in view.days.counts.items()},
                [(c.operator, c.changes) for c in view.operators])

    for name in ("市场部", "运营部", "Whole corp"):
        assert chosen(name) == expected[name], name
    assert view.days_view.chart().title() == "Journal rows per day, by source"
    chosen("市场部")
    assert view.days_view.chart().title() == "Journal rows per day, by source (department 市场部)"
    view.tabs.setCurrentIndex(2)                   # the same controls over the other chart
    assert view.changes_controls.parentWidget() is view.tabs.widget(2)
    qtbot.waitUntil(lambda: view.department.isVisible() and view.period.isVisible(),
                    timeout=5000)
    monitor.stop()
