"""The zh_CN build shows no untranslated English: every window, opened with data, walked.

Visible texts (labels, buttons, titles, placeholders, menus, actions, tabs, headers and the
cells of every table) are split into words; an ASCII-only word is untranslated unless it is a
proper noun or identifier from the allow-list, or data from the corp (a tag, a member, an id).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desktop.ui.file_dialogs import file_dialog
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.import_wizard import ImportWizard
from desktop.ui.main_window import MainWindow
from desktop.ui.reports import REDRAW_DELAY_MS
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from desktop.ui.tasks import pending_tasks

pytestmark = pytest.mark.gui

WORD = re.compile(r"[A-Za-z][A-Za-z_'’.-]*[A-Za-z]|[A-Za-z]")
TAG = re.compile(r"<[^>]+>")
FILE_TYPES = {"Drive", "Folder", "File Folder", "驱动器", "文件夹"}
MOMENT = re.compile(r"\d{1,4}[-/. ]\d{1,2}[-/. ]\d{2,4}[ T]\d{1,2}:\d{2}(?::\d{2})?")
ONE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
ALLOWED = {
    # product, platform and format names
    "TagDesk", "English", "WeCom", "WeChat", "CSV", "XLSX", "xlsx", "csv", "Excel", "JSON", "PNG", "SQLite",
    "ID", "IDs", "id", "VIP", "API", "ETA", "OK", "Alt", "Ctrl", "Shift", "Esc", "Del", "Tab",
    "F1", "F2", "F5", "Enter", "pinyin", "Secret",    # WeCom's console names the app secret so
    # the filter language and spreadsheet column names are interfaces, written as such
    "AND", "OR", "NOT", "owner", "group", "added", "tags", "text", "state", "external_userid",
    "owner_userid", "add_tags", "remove_tags", "userid", "gyx", "zhangsan", "dept", "before",
    "after",
    # units
    "s", "ms", "k",
}


def _texts_of(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QDateTimeEdit | QLabel | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QTextEdit):
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QListWidget):
        yield from (widget.item(i).text() for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None \
            and not isinstance(widget, QHeaderView):
        yield from _model_texts(widget.model())
    if widget.isWindow():
        yield widget.windowTitle()


def _model_texts(model: QAbstractItemModel, parent: QModelIndex = QModelIndex(),  # noqa: B008
                 depth: int = 0) -> Iterator[str]:
    for column in range(model.columnCount(parent)):
        yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(parent), 40)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            yield str(index.data() or "")
            if depth < 3 and column == 0 and model.rowCount(index) > 0:
                yield from _model_texts(model, index, depth + 1)


def _visible_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) for the window and every visible widget and action in it."""
    found: list[tuple[str, str]] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if widget.isVisibleTo(window) or widget is window:
            found += [(type(widget).__name__, text) for text in _texts_of(widget)]
    for menu in window.findChildren(QMenu):
        found.append(("QMenu", menu.title()))
    for action in window.findChildren(QAction):
        if not action.isSeparator():
            found.append(("QAction", action.text()))
    return found


def _corp_words(context: Any) -> set[str]:
    """Words that are the corp's own data: tag, group, member and customer names, ids."""
    words: set[str] = set()
    queries = ("SELECT name FROM tag", "SELECT name FROM tag_group", "SELECT userid FROM member",
               "SELECT name FROM member", "SELECT name FROM customer",
               "SELECT corp_name FROM customer", "SELECT external_userid FROM customer",
               "SELECT remark FROM relation", "SELECT state FROM relation",
               "SELECT DISTINCT batch_id FROM journal", "SELECT DISTINCT operator FROM journal",
               "SELECT remark FROM contact_way")
    connection = context.cache.connection()
    for query in queries:
        for (value,) in connection.execute(query):
            words.update(WORD.findall(str(value or "")))
    words.add(context.workspace.profile.name)
    return words


def _untranslated(found: list[tuple[str, str]], corp: set[str]) -> list[tuple[str, str]]:
    bad = []
    for where, text in found:
        plain = TAG.sub(" ", text).replace("&", "")
        plain = re.sub(r"\b\d{8}-\d{6}-[0-9a-f]+\b|\b[0-9a-f]{8,}\b|\d{4}-\d\d-\d\d[ T\d:]*",
                       " ", plain)      # batch ids, hashes and times are not words
        for word in WORD.findall(plain):
            if word not in ALLOWED and word not in corp and word.strip(".") not in corp:
                bad.append((where, text))
                break
    return sorted(set(bad))


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    translations = Translations()
    translations.install(CHINESE)
    try:
        yield
    finally:
        translations.uninstall()


def test_every_window_is_in_chinese(qtbot: Any, chinese: None, synced_context: Any,
                                    sandbox: Any, gui_home: Path, tmp_path: Path) -> None:
    context = synced_context
    keen = sandbox.state.find_tag("意向程度", "高意向")
    ids = context.filter_engine.relation_ids("", order_by="createtime")[:30]
    tagging = context.tagging
    tagging.run(tagging.submit(tagging.plan(ids[:8], add=[keen]), source="batch"))
    window = MainWindow(context, Settings(gui_home), SyncController(context, context), CHINESE)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.model.queryFinished, timeout=15000):
        window.show()
    qtbot.waitUntil(lambda: window.tag_tree.model.rowCount() > 0, timeout=15000)
    window.tag_tree.tree.expandToDepth(1)
    window.table.selectRow(0)
    corp = _corp_words(context)
    found = _visible_texts(window)
    found += [("row menu", a.text()) for a in window.row_menu().actions()]

    audit = window.open_audit_viewer()
    qtbot.waitUntil(lambda: audit.rows_model.rowCount() > 0, timeout=15000)
    audit.rows_view.selectRow(0)
    found += _visible_texts(audit)
    audit.batches_button.click()
    qtbot.waitUntil(lambda: audit.batches_model.rowCount() > 0, timeout=15000)
    audit.select_row(0)
    found += _visible_texts(audit)
    reports = window.open_reports()
    found += _visible_texts(reports)
    window.table.selectAll()
    retag = window.open_retag_dialog()
    assert retag is not None
    qtbot.waitUntil(lambda: retag.group.count() > 0, timeout=15000)
    found += _visible_texts(retag)
    retag.pilot.setValue(5)
    with qtbot.waitSignal(retag.previewReady, timeout=15000):
        retag.add_chooser.add_tag(sandbox.state.find_tag("客户阶段", "已发货"))
    found += _visible_texts(retag)
    with qtbot.waitSignal(retag.progress.pilotFinished, timeout=20000):
        retag.start_button.click()
    found += _visible_texts(retag)        # the pilot's result, totals and rate
    retag.progress.cancel()
    export = window.open_export_dialog()
    assert export is not None
    found += _visible_texts(export)
    found += _visible_texts(window.open_exclusive_sets())
    syntax = window.open_filter_syntax()
    found += _visible_texts(syntax)
    login = window.open_team_login()
    found += _visible_texts(login)
    login.close()
    connection = window.open_connection_settings()
    qtbot.waitUntil(lambda: connection.stored.text() == "未保存：请在下面输入", timeout=15000)
    found += _visible_texts(connection)
    connection.close()
    profile = context.workspace.profile
    corp |= {*WORD.findall(profile.corp_id), *WORD.findall(profile.api_base)}   # as they are

    book = Workbook()
    book.active.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    book.active.append(["13800138000", "", "高意向", ""])
    book.active.append(["wm-nobody", "", "高意象", ""])
    sheet = tmp_path / "import.xlsx"
    book.save(sheet)
    wizard: ImportWizard = window.open_import_wizard()
    found += _visible_texts(wizard)
    wizard.set_path(sheet)
    with qtbot.waitSignal(wizard.checked, timeout=20000):
        wizard.check()
    found += _visible_texts(wizard)
    picker = file_dialog(wizard, wizard.tr("Import spreadsheet"), "Excel (*.xlsx)", save=False)
    qtbot.addWidget(picker)
    picker.show()
    files = [(where, text) for where, text in _visible_texts(picker)   # not the file names
             if where not in ("QTreeView", "QListView", "QComboBox") or text in FILE_TYPES]
    picker.close()
    corp |= {"import.xlsx", "wm-nobody"}

    moments = [m for _w, text in found for m in MOMENT.findall(text)]
    assert moments and [(w, t) for w, t in found for m in MOMENT.findall(t) if not ONE_FORMAT.fullmatch(m)] == []
    bad = _untranslated(found + files, corp)
    assert not bad, "\n".join(f"{where}: {text!r}" for where, text in bad)
    for dialog in (audit, reports, retag, export, wizard, syntax):
        dialog.close()
    qtbot.wait(REDRAW_DELAY_MS + 100)    # the reports redraw after the pilot's write
    qtbot.waitUntil(lambda: not pending_tasks(), timeout=15000)
