"""重试 / Retry in the status bar after WeCom refused this computer's IP (60020).

Against the sandbox over real HTTP: it trusts only a relay's address, so a toggle and a batch
window are refused and held; once an administrator adds the computer's IP (the sandbox trusts
every address again), Retry or any later call that succeeds sends what was held, and the
button goes.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services.secrets import store_secret
from desktop.ui.context import AppContext
from desktop.ui.main_window import MainWindow
from tests.fixed_ip_relay import RELAY_IP
from tests.gui.conftest import PROFILE

pytestmark = pytest.mark.gui


def _pending(context: AppContext) -> int:
    return int(context.cache.connection().execute(
        "SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0])


def _untagged(context: AppContext, tag_id: str, count: int) -> list[int]:
    return [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT ?",
        (tag_id, count))]


@pytest.fixture
def untrusted(refused_secret: tuple[MainWindow, AppContext],
              sandbox: Any) -> tuple[MainWindow, AppContext]:
    """A synced solo profile with the right secret, on a sandbox that trusts only the relay's
    address: every call of this computer meets 60020."""
    window, context = refused_secret
    store_secret(PROFILE, sandbox.corp_id, sandbox.secret)
    context.workspace.use_login(context.workspace.profile, sandbox.secret)
    sandbox.configure(trusted_ips=[RELAY_IP])
    return window, context


def test_retry_sends_the_tagging_held_once_an_administrator_has_added_the_ip(
        qtbot: Any, untrusted: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    from desktop.ui.batch_progress import BatchProgressPanel

    window, context = untrusted
    retry = window.status.retry_button
    assert not retry.isVisibleTo(window)
    (vip,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    first, *rest = _untagged(context, vip, 5)
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([first], vip, lambda: "toggle")
    assert retry.isVisibleTo(window) and context.ip_is_refused
    assert retry.text() == "Retry" and "60020" in retry.toolTip()
    assert "then click Retry in the status bar" in window.status.currentMessage()
    batch_id = context.tagging.submit(context.tagging.plan(rest, add=[vip]), source="batch")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.batchFinished, timeout=30_000):
        panel.start(batch_id)
    assert panel.state == "stopped" and _pending(context) == 5

    refusals = sandbox.stats.errors(60020)
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)      # not added yet
    qtbot.waitUntil(lambda: sandbox.stats.errors(60020) > refusals and retry.isEnabled(),
                    timeout=30_000)
    assert "errcode 60020" in window.status.currentMessage()
    assert retry.isVisibleTo(window) and _pending(context) == 5

    sandbox.configure(trusted_ips=[])                        # the administrator added it
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state == "done", timeout=30_000)
    qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
    context.wait_idle()
    assert not retry.isVisibleTo(window) and not context.ip_is_refused
    assert window.status.currentMessage() == (
        "WeCom answers this computer again; the tagging waiting is being sent.")
    assert context.tagging.batch(batch_id).applied == 4
    assert set(_untagged(context, vip, 1000)).isdisjoint([first, *rest])


def test_a_sync_that_succeeds_after_the_refusal_sends_the_held_tagging_and_ends_the_state(
        qtbot: Any, untrusted: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = untrusted
    (vip,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = _untagged(context, vip, 3)
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag(ids, vip, lambda: "toggle")
    with qtbot.waitSignal(window.sync.failed, timeout=30_000):
        window.start_sync()
    assert window.status.retry_button.isVisibleTo(window) and _pending(context) == 3

    sandbox.configure(trusted_ips=[])
    with qtbot.waitSignal(window.sync.finished, timeout=60_000):
        window.start_sync()
    qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
    context.wait_idle()
    assert not window.status.retry_button.isVisibleTo(window)
    assert not context.ip_is_refused
    assert set(_untagged(context, vip, 1000)).isdisjoint(ids)
