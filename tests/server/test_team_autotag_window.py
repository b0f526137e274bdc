"""The auto-tagging review window on a team profile: verdicts go to the team server; with the
server stopped, a verdict is refused and put back, and a simulation runs on the cached copy
and says so once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt

from desktop.sandbox import SandboxServer
from desktop.services import audit, autotag_keywords
from desktop.services.sync import run_sync
from desktop.services.workspace import open_workspace
from desktop.ui.autotag_review import AutoTagReviewWindow, SuggestionModel
from desktop.ui.context import AppContext
from desktop.ui.i18n import CHINESE, Translations
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    desktop_env,
    logged_in_home,
)

pytestmark = [pytest.mark.integration, pytest.mark.gui]

WAIT_MS = 60_000


@pytest.fixture
def own_server(postgres: PostgresCluster, team_sandbox: SandboxServer,
               tmp_path: Path) -> Iterator[TeamServerProcess]:
    """A team server of this test's own, which the test stops."""
    server = TeamServerProcess(postgres.new_database(), team_sandbox, tmp_path / "server")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def context(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, own_server: TeamServerProcess,
            team_sandbox: SandboxServer) -> Iterator[AppContext]:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "desk"
    user = sorted(team_sandbox.state.follow_users())[0]
    logged_in_home(home, own_server.url, team_sandbox, user)
    workspace = open_workspace(home, "team")
    run_sync(workspace.client(), workspace.cache)
    app_context = AppContext(workspace)
    try:
        yield app_context
    finally:
        app_context.cancel_all()
        app_context.wait_idle()
        workspace.close()


def _review_window(qtbot: Any, context: AppContext, sandbox: SandboxServer
                   ) -> AutoTagReviewWindow:
    """The review window with keywords for 高意向 and the sandbox's chats imported."""
    autotag_keywords.save_for(context.workspace, {"高意向": ["报价单", "采购", "试用", "演示"]})
    window = AutoTagReviewWindow(context)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.chatsImported, timeout=WAIT_MS):
        window.import_chats(sandbox.state.chat_export_path)
    window.since.setDate(QDate(2000, 1, 1))
    return window


def _simulate(qtbot: Any, window: AutoTagReviewWindow) -> Any:
    with qtbot.waitSignal(window.simulated, timeout=WAIT_MS) as done:
        window.simulate_button.click()
    return done.args[0]


def test_verdicts_go_to_the_team_server_and_offline_the_window_keeps_its_copy(
        qtbot: Any, context: AppContext, own_server: TeamServerProcess,
        team_sandbox: SandboxServer) -> None:
    window = _review_window(qtbot, context, team_sandbox)
    name = team_sandbox.state.chat_export_path.name
    assert re.search(rf"^{name}: [\d,]+ messages stored on the team server\.$",
                     window.summary.text())                 # where the messages went
    translations = Translations()
    try:
        translations.install(CHINESE)
        qtbot.waitUntil(lambda: re.search(
            rf"^{name}：[\d,]+ 条消息已保存到团队服务器。$",
            window.summary.text()) is not None, timeout=5000)
    finally:
        translations.uninstall()
    online = _simulate(qtbot, window)
    assert len(online.suggestions) >= 2
    assert not any("unavailable" in w for w in online.warnings)
    window.table.selectRow(0)
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS) as saved:
        window.accept_button.click()
    assert saved.args == [1]
    with psycopg.connect(own_server.db_url) as conn:
        stored = conn.execute("SELECT operator, tag_name, verdict FROM autotag_review").fetchall()
    assert stored == [(context.workspace.operator, "高意向", "accepted")]

    own_server.stop()
    model = window.model
    window.table.selectRow(1)
    window.reject_button.click()
    qtbot.waitUntil(lambda: "团队服务器不可用" in window.summary.text(), timeout=WAIT_MS)
    assert model.data(model.index(1, SuggestionModel.DECISION)) == ""
    assert model.decisions == {0: "accepted"}

    offline = _simulate(qtbot, window)
    said = [w for w in offline.warnings if "team server is unavailable" in w]
    assert len(said) == 1
    assert offline.messages == online.messages
    assert offline.training_messages == len(online.suggestions[0].evidence)
    assert "使用本机保存的关键词、聊天和审阅" in window.summary.text()   # the UI's language


def _second_desktop(tmp_path: Path, server: TeamServerProcess, sandbox: SandboxServer,
                    user: str) -> AppContext:
    home = tmp_path / f"desk-{user}"
    logged_in_home(home, server.url, sandbox, user)
    workspace = open_workspace(home, "team")
    run_sync(workspace.client(), workspace.cache)
    return AppContext(workspace)


def test_a_colleagues_verdicts_show_on_the_rows_of_the_next_simulation(
        qtbot: Any, context: AppContext, own_server: TeamServerProcess,
        team_sandbox: SandboxServer, tmp_path: Path) -> None:
    supervisor = _review_window(qtbot, context, team_sandbox)
    first = _simulate(qtbot, supervisor)
    for row, button in ((0, supervisor.accept_button), (1, supervisor.reject_button)):
        supervisor.table.selectRow(row)
        with qtbot.waitSignal(supervisor.reviewsSaved, timeout=WAIT_MS):
            button.click()
    decided = {first.suggestions[0].key: "accepted", first.suggestions[1].key: "rejected"}

    colleague_id = sorted(team_sandbox.state.follow_users())[2]
    colleague = _second_desktop(tmp_path, own_server, team_sandbox, colleague_id)
    try:
        window = AutoTagReviewWindow(colleague)
        qtbot.addWidget(window)
        window.since.setDate(QDate(2000, 1, 1))
        seen = _simulate(qtbot, window)
        model = window.model
        shown = {seen.suggestions[row].key: decision
                 for row, decision in model.decisions.items()}
        assert shown == decided
        row = next(r for r, s in enumerate(seen.suggestions) if s.key == first.suggestions[0].key)
        names = dict(colleague.cache.connection().execute("SELECT userid, name FROM member"))
        assert model.data(model.index(row, SuggestionModel.DECISION)) == "✓ accepted"
        assert names[context.workspace.operator] in model.data(
            model.index(row, SuggestionModel.DECISION), Qt.ItemDataRole.ToolTipRole)
        assert window.preview_button.isEnabled()      # the accepted row can be tagged here

        again = _simulate(qtbot, supervisor)             # and on the supervisor's own desktop
        assert {again.suggestions[r].key: d for r, d in supervisor.model.decisions.items()} == (
            decided)
    finally:
        colleague.cancel_all()
        colleague.wait_idle()
        colleague.workspace.close()


def test_a_revert_of_the_windows_batch_shows_its_rows_reverted_when_it_lands(
        qtbot: Any, context: AppContext, own_server: TeamServerProcess,
        team_sandbox: SandboxServer) -> None:
    """The server marks the batch's accepted suggestions reverted as the revert settles; the
    window reads the team's verdicts then, as a solo window reads its cache's, not only at
    the next simulation."""
    window = _review_window(qtbot, context, team_sandbox)
    simulation = _simulate(qtbot, window)
    adds = [row for row, s in enumerate(simulation.suggestions) if s.change == "add"][:2]
    assert len(adds) == 2
    selection = window.table.selectionModel()
    selection.clearSelection()
    for row in adds:
        selection.select(window.proxy.mapFromSource(window.model.index(row, 0)),
                         QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    with qtbot.waitSignal(window.reviewsSaved, timeout=WAIT_MS):
        window.accept_button.click()
    window.pilot.setValue(0)
    with qtbot.waitSignal(window.previewReady, timeout=WAIT_MS):
        window.preview_button.click()
    with qtbot.waitSignal(window.batch_progress.batchFinished, timeout=WAIT_MS) as finished:
        window.start_button.click()
    assert finished.args[0].status == "done"
    context.wait_idle()

    tagging = context.tagging
    outcome = audit.run_revert(tagging, audit.preview_batch_revert(context.cache, tagging,
                                                                   window.batch_id),
                               pilot_size=0)
    assert outcome.result.status == "done"
    with psycopg.connect(own_server.db_url) as conn:
        marked = conn.execute("SELECT count(*) FROM autotag_review WHERE verdict = 'reverted'"
                              ).fetchone()
    assert marked == (2,)
    context.publish(outcome.result.changes)               # as the audit log's revert does
    model = window.model
    qtbot.waitUntil(lambda: [model.data(model.index(row, SuggestionModel.DECISION))
                             for row in adds] == ["↺ reverted"] * 2, timeout=10000)
    assert model.with_decision("accepted") == []
