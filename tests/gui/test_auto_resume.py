"""Queued writes resume on their own when WeCom comes back: the sandbox goes down during a
tagging, the status bar counts down to the next try, the sandbox comes back on the same
address, and the batch finishes without anyone resuming it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.auto_resume import Backoff, waiting_batches
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.store import outbox
from tests.quick_workspace import QuickWorkspace

pytestmark = [pytest.mark.gui, pytest.mark.integration]



@pytest.fixture
def session(qtbot: Any, gui_home: Path, sandbox: Any) -> Iterator[Any]:
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession
    from desktop.ui.settings import Settings

    owner = sorted(sandbox.state.relations())[0][0]
    ws = QuickWorkspace(gui_home, Profile(name="test", corp_id=sandbox.corp_id,
                                          api_base=sandbox.api_base, userid=owner),
                        sandbox.secret)
    run_sync(ws.client(), ws.cache)
    session = GuiSession(ws, Settings(gui_home), Translations())
    session.auto_resume.backoff = Backoff(first_s=0.5, max_s=1.0)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.model.queryFinished, timeout=15000):
        session.show()
    try:
        yield session
    finally:
        session.close()


def test_a_batch_stopped_by_an_outage_resumes_when_wecom_comes_back(
    qtbot: Any, session: Any, sandbox: Any
) -> None:
    context, status = session.context, session.window.status
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 12", (tag_id,))]
    port = sandbox.port
    sandbox.stop()  # WeCom (the network) goes away

    context.toggle_tag(ids, tag_id, lambda: "VIP")
    qtbot.waitUntil(lambda: session.auto_resume.state.kind == "waiting", timeout=30000)
    (waiting,) = waiting_batches(context.cache)
    assert waiting.pending == 12
    assert status.resume_state.isVisible()
    assert re.search(r"企业微信暂时无法访问，\d+ 秒后自动重试：1 个批量任务（12 个调用）待发",
                     status.resume_state.text())
    assert "WeCom cannot be reached" in status.resume_state.toolTip()
    qtbot.waitUntil(lambda: session.auto_resume.state.kind == "checking", timeout=10000)
    qtbot.waitUntil(lambda: session.auto_resume.state.kind == "waiting", timeout=30000)
    assert context.tagging.batch(waiting.id).pending == 12  # a failed probe sends nothing

    sandbox.config.port = port
    sandbox.start()  # WeCom is back on the same address
    qtbot.waitUntil(lambda: context.tagging.batch(waiting.id).status == outbox.DONE,
                    timeout=30000)
    qtbot.waitUntil(lambda: session.auto_resume.state.kind == "idle", timeout=10000)
    assert not status.resume_state.isVisible()
    assert context.tagging.batch(waiting.id).applied == 12
    keys = [context.cache.connection().execute(
        "SELECT userid, external_userid FROM relation WHERE id = ?", (rid,)).fetchone()
        for rid in ids]
    assert all(tag_id in sandbox.state.relation_tag_ids(*key) for key in keys)


def test_the_batch_window_says_a_stopped_batch_resumes_on_its_own(
    qtbot: Any, session: Any, sandbox: Any
) -> None:
    from desktop.ui.batch_progress import BatchProgressPanel

    context = session.context
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 12")]
    batch_id = context.tagging.submit(context.tagging.plan(ids, add=[tag_id]), source="batch")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    session.auto_resume.stop()  # the batch stays stopped while the window is read
    sandbox.stop()
    with qtbot.waitSignal(panel.batchFinished, timeout=30000):
        panel.start(batch_id)
    assert panel.state == "stopped"
    assert panel.message.text().endswith("企业微信恢复后，TagDesk 会自动继续发送。")


def test_the_batch_window_shows_a_stopped_batch_done_once_it_resumed_on_its_own(
    qtbot: Any, session: Any, sandbox: Any
) -> None:
    from desktop.ui.batch_progress import BatchProgressPanel

    context = session.context
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 8", (tag_id,))]
    batch_id = context.tagging.submit(context.tagging.plan(ids, add=[tag_id]), source="batch")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    port = sandbox.port
    sandbox.stop()
    with qtbot.waitSignal(panel.batchFinished, timeout=30000):
        panel.start(batch_id)
    assert panel.state == "stopped" and not panel.continue_button.isHidden()

    sandbox.config.port = port
    sandbox.start()  # the app resumes the batch itself; the open window follows it
    qtbot.waitUntil(lambda: context.tagging.batch(batch_id).status == outbox.DONE,
                    timeout=30000)
    qtbot.waitUntil(lambda: panel.state == "done", timeout=10000)
    assert panel.bar.value() == panel.bar.maximum() == 8
    assert panel.message.text() == "Done."
    assert "8 of 8 applied" in panel.counts.text()
    assert panel.continue_button.isHidden() and panel.cancel_button.isHidden()
