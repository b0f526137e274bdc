"""标签 → 行为事件…: the events window counts and lists what `tagdesk events list|summary` print
for the same filters, loads further pages as it is scrolled, exports what it shows, and the
detail pane lists the selected customer's newest events."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt

from desktop.cli import main
from desktop.domain.events import type_name
from desktop.services.event_import import import_events
from desktop.services.profiles import ProfileStore
from desktop.services.secrets import store_secret
from desktop.ui import events_browser
from desktop.ui.detail_pane import DetailPane
from desktop.ui.events_browser import EventsBrowser
from desktop.ui.i18n import datetime_text, is_english
from tests.gui.qt_items import laid_out_lines

pytestmark = pytest.mark.gui


def _cli(home: Path, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, Any]:
    capsys.readouterr()
    code = main(["events", *options, "--profile", "test", "--json", "--home", str(home)])
    assert code == 0
    return dict(json.loads(capsys.readouterr().out.splitlines()[-1]))


def _settled(qtbot: Any, browser: EventsBrowser) -> None:
    qtbot.waitUntil(lambda: browser.loaded is not None
                    and browser.loaded.generation == browser.generation, timeout=20_000)


def _keys(browser: EventsBrowser) -> list[str]:
    return [event.event_key for event, _source in browser.model.rows]


@pytest.fixture
def written(synced_context: Any, sandbox: Any, gui_home: Path) -> list[dict[str, Any]]:
    """The sandbox's events file, imported into the cache; the profile saved for the CLI."""
    path = sandbox.state.events_path
    result = import_events(synced_context.cache, path)
    assert result.status == "imported"
    profile = synced_context.workspace.profile
    ProfileStore(gui_home).add(profile)
    store_secret(profile.name, profile.corp_id, sandbox.secret)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_window_shows_what_the_cli_prints_for_the_same_filters(
        qtbot: Any, synced_context: Any, written: list[dict[str, Any]], gui_home: Path,
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = 100                     # the small corp's events fill three pages
    monkeypatch.setattr(events_browser, "PAGE", page)
    assert len(written) > 2 * page
    browser = EventsBrowser(synced_context)
    qtbot.addWidget(browser)
    _settled(qtbot, browser)
    assert browser.loaded is not None
    summary = _cli(gui_home, capsys, "summary")
    assert browser.loaded.total == len(written) == sum(summary["totals"].values())
    assert summary["totals"] == dict(Counter(e["type"] for e in written))
    items = [browser.per_day.topLevelItem(n) for n in range(browser.per_day.topLevelItemCount())]
    shown = [[item.text(c) for c in range(3)] for item in items if item is not None]
    assert shown == [[r["day"], type_name(r["type"], is_english()), f"{r['events']:,}"]
                     for r in summary["rows"]]                 # 订单支付, not order_paid
    assert f"{len(written):,} events match" in browser.summary.text()

    assert browser.model.rowCount() == page
    browser.table.scrollToBottom()
    qtbot.waitUntil(lambda: browser.model.rowCount() == 2 * page,
                    timeout=20_000)
    everything = _cli(gui_home, capsys, "list", "--limit", str(len(written)))["events"]
    assert _keys(browser) == [e["event_key"] for e in everything][:browser.model.rowCount()]

    kind = "order_paid"
    browser.kind.setCurrentIndex(browser.kind.findData(kind))
    middle = date.fromtimestamp(sorted(e["time"] for e in written)[len(written) // 2])
    browser.since.setDate(QDate(middle.year, middle.month, middle.day))
    _settled(qtbot, browser)
    while browser.model.canFetchMore(QModelIndex()):
        browser.model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not browser.model.loading, timeout=20_000)
    listed = _cli(gui_home, capsys, "list", "--type", kind, "--since", middle.isoformat(),
                  "--limit", str(len(written)))["events"]
    assert 0 < len(listed) < len(written)
    assert _keys(browser) == [e["event_key"] for e in listed]
    assert browser.loaded is not None and browser.loaded.total == len(listed)

    customer = listed[0]["external_userid"]
    browser.customer.setText(customer)
    browser.customer.returnPressed.emit()
    until = date.fromtimestamp(listed[0]["time"])
    browser.until.setDate(QDate(until.year, until.month, until.day))
    _settled(qtbot, browser)
    theirs = _cli(gui_home, capsys, "list", "--type", kind, "--since", middle.isoformat(),
                  "--until", until.isoformat(), "--customer", customer)["events"]
    assert theirs and _keys(browser) == [e["event_key"] for e in theirs]

    exported = tmp_path / "events.csv"
    browser.export(exported)
    assert not browser.export_button.isEnabled() and browser.cancel_export.isVisibleTo(browser)
    qtbot.waitUntil(lambda: browser.exporting is None, timeout=20_000)
    assert browser.export_button.isEnabled() and not browser.cancel_export.isVisibleTo(browser)
    assert f"Exported {len(theirs)} events to events.csv" in browser.summary.text()
    with exported.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:2] == ["time", "external_userid"] and len(rows) == len(theirs) + 1
    assert {row[1] for row in rows[1:]} == {customer} and {row[4] for row in rows[1:]} == {kind}
    synced_context.wait_idle()


def test_the_detail_pane_lists_the_customers_newest_events(
        qtbot: Any, synced_context: Any, written: list[dict[str, Any]], tmp_path: Path) -> None:
    quiet = [str(row[0]) for row in synced_context.cache.query(
        "SELECT DISTINCT external_userid FROM relation WHERE external_userid NOT IN"
        " (SELECT external_userid FROM event) ORDER BY external_userid LIMIT 2")]
    busy, still = quiet
    now = time.time()
    path = tmp_path / "visits.jsonl"
    path.write_text("\n".join(json.dumps({
        "id": f"visit-{n}", "time": now - n * 3600, "external_userid": busy,
        "type": f"visit_{n:02d}", "name": "价格页", "value": n}) for n in range(12)),
        encoding="utf-8")
    assert import_events(synced_context.cache, path).imported == 12
    pane = DetailPane(synced_context)
    qtbot.addWidget(pane)
    pane.show_relation(_relation_of(synced_context, busy))
    section = pane.browser.visible_text().split("Behaviour events", 1)[1]
    lines = [line for line in section.splitlines() if line.strip()]
    assert lines[:2] == [datetime_text(now), "visit_00 · 价格页 · 0"]       # the newest first
    assert [line.split(" · ")[0] for line in lines if line.startswith("visit_")] == [
        f"visit_{n:02d}" for n in range(10)]                              # ten of twelve
    pane.resize(160, 600)                  # a narrow pane breaks between words, not in them
    pane.show()
    qtbot.waitExposed(pane)
    pane.browser.document().setTextWidth(pane.browser.viewport().width())
    laid_out = laid_out_lines(pane.browser)
    assert any("价格页" in line for line in laid_out), laid_out
    assert any(line.strip() == datetime_text(now) for line in laid_out), laid_out

    pane.show_relation(_relation_of(synced_context, still))
    assert "No behaviour events." in pane.browser.visible_text()


def _relation_of(context: Any, external_userid: str) -> int:
    return int(context.cache.scalar(
        "SELECT id FROM relation WHERE external_userid = ? LIMIT 1", (external_userid,)))


def test_every_column_title_fits_after_a_language_switch(
        qtbot: Any, synced_context: Any, written: list[dict[str, Any]]) -> None:
    from desktop.ui.i18n import CHINESE, Translations

    browser = EventsBrowser(synced_context)
    qtbot.addWidget(browser)
    browser.show()
    _settled(qtbot, browser)
    header = browser.table.horizontalHeader()
    translations = Translations()
    translations.install(CHINESE)
    try:
        qtbot.waitUntil(lambda: browser.windowTitle() == "行为事件", timeout=5000)
        assert browser.model.headerData(6, Qt.Orientation.Horizontal) == "金额/数值"
        narrow = [column for column in range(browser.model.COLUMNS - 1)  # the last stretches
                  if browser.table.columnWidth(column) < header.sectionSizeHint(column)]
        assert narrow == []
    finally:
        translations.uninstall()
