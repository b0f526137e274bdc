"""Shared team settings in the window: a team saved filter saved with the 团队 box on one
desktop and an abbreviation set there appear in a second desktop's window after its poll;
with the team server stopped the window keeps its cached settings and says so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMenu

from desktop.sandbox import SandboxServer
from desktop.services import team_settings
from desktop.services.exclusive_sets import ExclusiveSets
from desktop.services.sync import run_sync
from desktop.services.tag_admin import TagAdminService
from desktop.services.tag_catalog import TagCatalog
from desktop.services.workspace import open_workspace
from desktop.ui.context import AppContext
from desktop.ui.i18n import CHINESE, Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController
from desktop.ui.tag_dialogs import AbbreviationDialog
from tests.server.team_support import (
    PostgresCluster,
    TeamServerProcess,
    _free_port,
    desktop_env,
    logged_in_home,
)

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def _synced_home(tmp: Path, sandbox: SandboxServer, url: str, name: str, user: str) -> Path:
    """A desktop home with a logged-in, synced team profile `name` for `user`."""
    home = tmp / name
    logged_in_home(home, url, sandbox, user, name=name)
    with open_workspace(home, name) as ws:
        run_sync(ws.client(), ws.cache)
    return home


@contextmanager
def _window(qtbot: Any, home: Path, name: str) -> Iterator[MainWindow]:
    """The main window on the home's team profile, polled once; closed and idle afterwards."""
    workspace = open_workspace(home, name)
    context = AppContext(workspace)
    try:
        window = MainWindow(context, Settings(home), SyncController(context, context), CHINESE)
        qtbot.addWidget(window)
        window.show()
        yield window
        window.close()
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    translations = Translations()
    translations.install(CHINESE)
    yield
    translations.uninstall()


def _saved_menu(window: MainWindow) -> QMenu:
    menu = window.filter_bar.saved_button.menu()
    menu.aboutToShow.emit()
    return menu


def _abbreviation_dialog(qtbot: Any, window: MainWindow, tag_id: str) -> AbbreviationDialog:
    """The tree's abbreviation editor for one tag, shown."""
    qtbot.waitUntil(lambda: window.tag_tree.model.is_loaded, timeout=30_000)
    tag = next(t for t in window.tag_tree.model.library.tags if t.id == tag_id)
    dialog = AbbreviationDialog(window.context, TagAdminService(window.context.workspace),
                                tag, {}, window)
    dialog.show()
    return dialog


def _abbreviation(window: MainWindow, tag_id: str) -> str:
    return next(t.abbreviation for t in window.tag_tree.model.library.tags if t.id == tag_id)


def test_a_team_filter_and_an_abbreviation_reach_the_other_window_after_its_poll(
    qtbot: Any, chinese: None, team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    ((_, tag_name), tag_id), (_, second_id) = sorted(
        team_sandbox.state.tag_ids_by_name().items())[:2]
    seller = _synced_home(tmp_path, team_sandbox, team_server.url, "seller", users[0])
    other = _synced_home(tmp_path, team_sandbox, team_server.url, "other", users[1])
    with _window(qtbot, other, "other") as watching:
        qtbot.waitUntil(lambda: watching.tag_tree.model.is_loaded, timeout=30_000)
        with _window(qtbot, seller, "seller") as window:
            window.filter_bar.edit.setText(f"{tag_name} AND NOT VIP")
            next(a for a in _saved_menu(window).actions()
                 if a.text().startswith("保存当前筛选")).trigger()
            dialog = window.filter_bar.save_dialog
            assert dialog is not None and dialog.team.text() == "团队：团队所有人可见"
            dialog.name.setText("热线索")
            dialog.team.setChecked(True)
            with qtbot.waitSignal(window.context.changed, timeout=30_000):
                dialog.accept()
            assert "已为团队保存筛选 热线索" in window.status.currentMessage()
            abbreviation = _abbreviation_dialog(qtbot, window, tag_id)
            abbreviation.code_edit.setText("RX")
            with qtbot.waitSignal(abbreviation.saved, timeout=30_000):
                qtbot.mouseClick(abbreviation.ok_button, Qt.MouseButton.LeftButton)
            ExclusiveSets(window.context.workspace).add("成交状态", [tag_id, second_id])

        sets = watching.open_exclusive_sets()
        assert sets.list.count() == 0
        poller = watching.team_settings
        assert poller is not None
        with qtbot.waitSignal(poller.polled, timeout=30_000,
                              check_params_cb=lambda result: result.applied > 0):
            poller.timer.setInterval(100)
        qtbot.waitUntil(lambda: _abbreviation(watching, tag_id) == "RX", timeout=30_000)
        assert sets.list.item(0).data(Qt.ItemDataRole.UserRole) == "成交状态"
        shared = next(a for a in _saved_menu(watching).actions() if a.text() == "热线索（团队）")
        with qtbot.waitSignal(watching.filter_bar.filterRequested) as applied:
            shared.trigger()
        assert applied.args == [f"{tag_name} AND NOT VIP"]
        assert Settings(other).saved_filters("other") == []


def test_a_stopped_team_server_leaves_the_cached_settings_and_says_so(
    qtbot: Any, chinese: None, postgres: PostgresCluster, team_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    db_url, port = postgres.new_database(), _free_port()
    server = TeamServerProcess(db_url, team_sandbox, tmp_path / "server", "--port", str(port))
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[0]
    try:
        home = _synced_home(tmp_path, team_sandbox, server.url, "desk",
                            sorted(team_sandbox.state.follow_users())[2])
        with open_workspace(home, "desk") as ws:
            TagAdminService(ws).set_abbreviation(tag_id, "K1")
            team_settings.save_filter(ws, "VIP客户", "客户等级:VIP")
    finally:
        assert server.stop() == 0
    with _window(qtbot, home, "desk") as window:
        poller = window.team_settings
        assert poller is not None
        qtbot.waitUntil(lambda: poller.failing, timeout=30_000)
        message = window.status.currentMessage()
        assert "团队设置未更新，正在使用本机的副本。" in message
        assert f"团队服务器不可用（{server.url}）" in message
        qtbot.waitUntil(lambda: window.tag_tree.model.is_loaded, timeout=30_000)
        assert _abbreviation(window, tag_id) == "K1"
        dialog = _abbreviation_dialog(qtbot, window, tag_id)
        dialog.code_edit.setText("K2")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
        assert f"团队服务器不可用（{server.url}）" in dialog.message_label.text()
        assert dialog.isVisible() and dialog.code_edit.text() == "K2"
        cached = TagCatalog(window.context.cache).library(counts=False).tags
        assert next(t.abbreviation for t in cached if t.id == tag_id) == "K1"
        assert "VIP客户（团队）" in [a.text() for a in _saved_menu(window).actions()]
        down = window.status.team_down      # stays, where the sentence went after 8 s
        assert down.isVisible() and down.text() == "团队服务器不可用"
        assert f"团队服务器不可用（{server.url}）" in down.toolTip()
        server = TeamServerProcess(db_url, team_sandbox, tmp_path / "again", "--port", str(port))
        try:
            poller.poll()
            qtbot.waitUntil(lambda: not poller.failing, timeout=30_000)
            assert not down.isVisible()
        finally:
            assert server.stop() == 0


def test_suggested_favourites_are_added_from_the_favourites_menu(
    qtbot: Any, chinese: None, team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    users = sorted(team_sandbox.state.follow_users())
    lead = _synced_home(tmp_path, team_sandbox, team_server.url, "lead", users[2])
    newcomer = _synced_home(tmp_path, team_sandbox, team_server.url, "newcomer", users[3])
    tags = sorted(team_sandbox.state.tag_ids_by_name().values())[5:8]
    with open_workspace(lead, "lead") as ws:
        admin = TagAdminService(ws)
        for tag_id in tags:
            admin.pin(users[2], tag_id)
    with _window(qtbot, lead, "lead") as window:
        qtbot.waitUntil(lambda: len(window.favourites.model.tags) == 3, timeout=30_000)
        suggest, _ = window.favourites.team_menu().actions()
        assert suggest.text() == "推荐给团队：把这些常用标签设为团队推荐"
        with qtbot.waitSignal(window.context.changed, timeout=30_000):
            suggest.trigger()

    with open_workspace(newcomer, "newcomer") as ws:
        TagAdminService(ws).pin(users[3], tags[1])
    with _window(qtbot, newcomer, "newcomer") as window:
        poller = window.team_settings
        assert poller is not None
        qtbot.waitUntil(lambda: not poller.busy, timeout=30_000)
        _, adopt = window.favourites.team_menu().actions()
        assert adopt.text() == "添加团队推荐的常用标签（2 个）" and adopt.isEnabled()
        with qtbot.waitSignal(window.context.changed, timeout=30_000):
            adopt.trigger()
        qtbot.waitUntil(lambda: [t.id for t in window.favourites.model.tags]
                        == [tags[1], tags[0], tags[2]], timeout=30_000)
        assert not window.favourites.team_menu().actions()[1].isEnabled()


def test_a_team_set_or_filter_of_someone_else_cannot_be_removed_and_says_who_may(
    qtbot: Any, chinese: None, team_server: TeamServerProcess, team_sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    users = sorted(team_sandbox.state.follow_users())     # users[1] is an administrator
    author = _synced_home(tmp_path, team_sandbox, team_server.url, "author", users[0])
    colleague = _synced_home(tmp_path, team_sandbox, team_server.url, "colleague", users[2])
    stages = [team_sandbox.state.find_tag("客户阶段", name) for name in ("已成交", "无效客户")]
    with open_workspace(author, "author") as ws:
        ExclusiveSets(ws).add("阶段归属", [str(t) for t in stages])
        team_settings.save_filter(ws, "阶段客户", "已成交 OR 无效客户")
    set_refusal = f"只有作者 {users[0]}或管理员可以删除或修改团队互斥标签组「阶段归属」"
    filter_refusal = f"只有作者 {users[0]}或管理员可以删除或修改团队筛选「阶段客户」"

    def team_delete_action(window: MainWindow) -> Any:
        remove = next(a for a in _saved_menu(window).actions() if a.text() == "删除已保存的筛选")
        submenu = remove.menu()
        assert isinstance(submenu, QMenu)
        return next(a for a in submenu.actions() if a.text() == "阶段客户（团队）")

    for home, name, refusals in ((colleague, "colleague", (set_refusal, filter_refusal)),
                                 (author, "author", ("", ""))):
        with _window(qtbot, home, name) as window:
            governance = window.governance
            assert governance is not None
            qtbot.waitUntil(lambda g=governance: g.rules is not None, timeout=30_000)
            sets = window.open_exclusive_sets()
            qtbot.waitUntil(lambda s=sets: bool(s.list.findItems("阶段归属",
                                                                Qt.MatchFlag.MatchStartsWith)),
                            timeout=30_000)
            item = sets.list.findItems("阶段归属", Qt.MatchFlag.MatchStartsWith)[0]
            sets.list.setCurrentItem(item)
            assert item.toolTip() == refusals[0]
            assert sets.remove_button.isEnabled() == (not refusals[0])
            assert sets.remove_button.toolTip() == refusals[0]
            delete = team_delete_action(window)
            assert delete.isEnabled() == (not refusals[1])
            assert delete.toolTip() == (refusals[1] or delete.text())   # Qt's default: the text
            window.filter_bar.edit.setText("已成交")
            next(a for a in _saved_menu(window).actions()
                 if a.text().startswith("保存当前筛选")).trigger()
            dialog = window.filter_bar.save_dialog
            assert dialog is not None
            dialog.name.setText("阶段客户")
            dialog.team.setChecked(True)                 # replacing the team's filter
            save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
            assert save.isEnabled() == (not refusals[1])
            assert dialog.message.text() == refusals[1] or not refusals[1]
            dialog.reject()
