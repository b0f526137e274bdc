"""Batch descriptions and journal reasons stored in two languages ("中文 / English", and the
older "规则 rule: …" forms) are shown in the UI language only, in every window that shows
them: the audit log's rows, row detail, batches and batch detail, the unfinished batches and
the progress window that resumes them."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from desktop.domain.bilingual import both
from desktop.domain.rule_reverts import rule_reason
from desktop.services.adoption import adoption_description
from desktop.store import journal
from desktop.ui.audit_model import BatchColumn, RowColumn
from desktop.ui.audit_viewer import AuditViewer
from desktop.ui.batch_progress import BatchProgressDialog, offer_unfinished_batches
from desktop.ui.i18n import CHINESE, ENGLISH, Translations

pytestmark = pytest.mark.gui

DESCRIPTIONS = (                              # as batches store them, older forms first
    "规则 rule: 北京归华北, 付款即成交",
    "收编 adopt 客户阶段 → 客户阶段（新）",
    "重标 replace 客户阶段 +已成交 到期 expires 30d",
    rule_reason(["北京归华北", "付款即成交"]),
    adoption_description("客户阶段", "客户阶段（新）"),
    both("导入 名单.xlsx：2/2 行", "import 名单.xlsx: 2/2 rows"),
)
REASONS = (                                   # as a team server's journal rows hold them
    "到期 expired, 规则 rule: 开票提醒",
    "到期 expired",
    both("到期，规则：开票提醒", "expired, rules: 开票提醒"),
)
CHINESE_WORDS = re.compile("规则|收编|重标|到期|导入")
ENGLISH_WORDS = re.compile(r"\b(?:rules?|adopt|replace|expire[sd]|import)\b", re.IGNORECASE)


@pytest.fixture
def stored(synced_context: Any, sandbox: Any) -> Any:
    """Unfinished batches (their pilot of one written) with every form of description, and
    journal rows with every form of reason."""
    context = synced_context
    ws, tagging = context.workspace, context.tagging
    won = sandbox.state.find_tag("客户阶段", "已成交")
    ids = [r[0] for r in ws.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id", (won,))]
    for n, description in enumerate(DESCRIPTIONS):
        plan = tagging.plan(ids[2 * n:2 * n + 2], [won])
        assert tagging.run(tagging.submit(plan, source="batch", description=description,
                                          pilot_size=1)).pending == 1
    (userid, external_userid), = ws.cache.connection().execute(
        "SELECT userid, external_userid FROM relation WHERE id = ?", (ids[-1],)).fetchall()
    with ws.cache.write() as conn:
        journal.append(conn, [
            journal.JournalEntry(operator="tagdesk-server", action="tag_remove",
                                 source="expiry", external_userid=external_userid,
                                 userid=userid, tag_id=won, tag_name="已成交",
                                 group_name="客户阶段", before="[]", after="[]", reason=reason,
                                 ts=time.time() + i)
            for i, reason in enumerate(REASONS)])
    return context


@pytest.fixture(params=[CHINESE, ENGLISH])
def language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    translations = Translations()
    assert translations.install(request.param)
    yield request.param
    translations.uninstall()


def _one_language(texts: list[str], language: str) -> None:
    other = ENGLISH_WORDS if language == CHINESE else CHINESE_WORDS
    whole = [text for text in texts if other.search(text)]
    assert not whole, f"shown with both languages: {whole}"


def test_stored_descriptions_and_reasons_read_in_the_ui_language(
        qtbot: Any, stored: Any, language: str) -> None:
    viewer = AuditViewer(stored)
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.rows_model.complete and viewer.rows_model.rowCount() > 0,
                    timeout=10000)
    rows = viewer.rows_model
    reasons = [rows.data(rows.index(r, RowColumn.REASON)) or "" for r in range(rows.rowCount())]
    assert sum(bool(r) for r in reasons) >= len(REASONS), reasons
    shown = list(reasons)
    for r in range(rows.rowCount()):
        if reasons[r] or rows.data(rows.index(r, RowColumn.BATCH)):
            viewer.select_row(r)
            shown.append(viewer.detail.toPlainText())
    with qtbot.waitSignal(viewer.batches_model.loaded, timeout=10000):
        viewer.batches_button.click()
    batches = viewer.batches_model
    described = [batches.data(batches.index(r, BatchColumn.DESCRIPTION)) or ""
                 for r in range(batches.rowCount())]
    assert sum(bool(CHINESE_WORDS.search(d) or ENGLISH_WORDS.search(d))
               for d in described) == len(DESCRIPTIONS), described
    shown += described
    for r in range(batches.rowCount()):
        viewer.select_row(r)
        shown.append(viewer.detail.toPlainText())
    dialog = offer_unfinished_batches(stored)
    assert dialog is not None
    qtbot.addWidget(dialog)
    listed = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert len(listed) == len(DESCRIPTIONS), listed
    dialog.close()
    for info in stored.tagging.unfinished_batches():    # the progress window, as resumed
        progress = BatchProgressDialog(stored, info.id)
        qtbot.addWidget(progress)
        listed.append(progress.panel.title.text())
        qtbot.waitUntil(lambda p=progress: p.panel.state == "done", timeout=20000)
    _one_language(shown + listed, language)
