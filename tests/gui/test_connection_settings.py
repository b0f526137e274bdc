"""File → Connection settings…: a new app secret after WeCom refused the stored one.

Against the sandbox over real HTTP, with the suite's file keyring: a secret WeCom refuses
(40001) is said in the window and not stored; a right one is stored, used at once, and the
tagging the old one stopped is sent without a restart. The secret never reaches a log line,
a sentence shown or an error. A team profile's window shows its server and login instead.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.domain.bilingual import CHINESE, ENGLISH
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.secrets import load_secret, store_secret
from desktop.services.workspace import Workspace
from desktop.ui.connection_dialog import ConnectionDialog
from desktop.ui.context import AppContext
from desktop.ui.i18n import Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.fixed_ip_relay import RELAY_IP, fixed_ip_relay
from tests.gui.conftest import PROFILE, RESET_SECRET, _profile

pytestmark = pytest.mark.gui

MISTYPED = "mistyped-secret-1111"


def _first(context: AppContext, table: str) -> Any:
    return context.cache.connection().execute(
        f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()[0]


def _pending(context: AppContext) -> int:
    return int(context.cache.connection().execute(
        "SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0])


def _try(qtbot: Any, dialog: ConnectionDialog, secret: str) -> None:
    """Click in the secret field, type the secret and press Enter, as a person does."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.mouseClick(dialog.secret, Qt.MouseButton.LeftButton)
    assert dialog.secret.hasFocus()
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, secret)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)


def _enter_api_base(qtbot: Any, dialog: ConnectionDialog, base: str) -> None:
    """Click in the API base field, type over it and press Enter."""
    assert isinstance(dialog.api_base, QLineEdit)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.mouseClick(dialog.api_base, Qt.MouseButton.LeftButton)
    assert dialog.api_base.hasFocus()
    dialog.api_base.selectAll()
    qtbot.keyClicks(dialog.api_base, base)
    qtbot.keyClick(dialog.api_base, Qt.Key.Key_Return)


def _unused_base() -> str:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{free.getsockname()[1]}/cgi-bin/"


def test_a_refused_secret_is_entered_in_the_window_and_the_waiting_tagging_goes_on(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    window, context = refused_secret
    tag_id, relation_id = str(_first(context, "tag")), int(_first(context, "relation"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([relation_id], tag_id, lambda: "toggle")
    assert _pending(context) == 1
    said = window.status.currentMessage()
    assert "File → Connection settings…" in said and "--secret-stdin" not in said, said
    assert window.status.secret_button.isVisibleTo(window)

    window.status.secret_button.click()
    dialog = window._connection
    assert dialog is not None and dialog.isVisible()
    assert dialog.corp_id.text() == sandbox.corp_id
    assert dialog.api_base.text() == sandbox.api_base
    qtbot.waitUntil(lambda: dialog.stored.text() == "Stored in the OS keyring, but WeCom"
                    " refuses it: enter the new one below", timeout=10_000)
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password

    _try(qtbot, dialog, MISTYPED)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    said = dialog.message.text()
    assert said.startswith("WeCom does not accept this secret (errcode 40001)"), said
    assert said.endswith("Nothing was stored.") and MISTYPED not in said
    assert load_secret(PROFILE, sandbox.corp_id) == RESET_SECRET
    assert dialog.save_anyway.isVisibleTo(dialog) and _pending(context) == 1

    _try(qtbot, dialog, sandbox.secret)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert load_secret(PROFILE, sandbox.corp_id) == sandbox.secret
    qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
    done = context.cache.connection().execute(
        "SELECT count(*) FROM outbox WHERE status = 'done'").fetchone()[0]
    assert done == 1
    assert not window.status.secret_button.isVisibleTo(window)
    assert window.status.currentMessage().startswith(
        "The new app secret is stored in the OS keyring and in use."), \
        window.status.currentMessage()
    again = window.open_connection_settings()
    qtbot.waitUntil(lambda: again.stored.text() == "Stored in the OS keyring (not shown)",
                    timeout=10_000)
    again.close()
    context.wait_idle()
    for secret in (RESET_SECRET, MISTYPED, sandbox.secret):
        assert secret not in caplog.text
        assert secret not in window.status.currentMessage()


def test_the_window_opens_on_the_secret_field_once_closes_on_esc_and_fits_1024_pixels(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext]) -> None:
    window, _context = refused_secret
    window.resize(1024, 700)
    dialog = window.open_connection_settings()
    qtbot.waitUntil(lambda: dialog.secret.hasFocus(), timeout=5_000)
    assert window.open_connection_settings() is dialog       # again: the same window
    assert dialog.frameGeometry().width() <= 1024
    assert dialog.minimumSizeHint().width() <= 1024
    qtbot.keyClicks(dialog.secret, MISTYPED)
    qtbot.mouseClick(dialog.show_secret, Qt.MouseButton.LeftButton)
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.show_secret.text() == "Hide"
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.secret.text() == ""            # what was typed is not kept
    window.open_connection_settings()
    assert dialog.isVisible() and dialog.secret.echoMode() == QLineEdit.EchoMode.Password
    qtbot.waitUntil(lambda: dialog.secret.hasFocus(), timeout=5_000)
    dialog.close_button.setFocus()               # Tab to 关闭, Enter presses it
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    window.context.wait_idle()


def test_a_test_can_be_cancelled_and_a_refused_secret_saved_anyway(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = refused_secret
    dialog = window.open_connection_settings()
    _try(qtbot, dialog, MISTYPED)
    assert dialog.busy and dialog.progress.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.busy and dialog.message.text() == "Test cancelled; nothing was stored."
    context.wait_idle()
    qtbot.wait(50)                               # the try's late answer is dropped
    assert dialog.message.text() == "Test cancelled; nothing was stored."
    assert load_secret(PROFILE, sandbox.corp_id) == RESET_SECRET

    _try(qtbot, dialog, MISTYPED)
    qtbot.waitUntil(lambda: dialog.save_anyway.isVisibleTo(dialog), timeout=30_000)
    qtbot.mouseClick(dialog.save_anyway, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert load_secret(PROFILE, sandbox.corp_id) == MISTYPED
    context.wait_idle()

    dialog = window.open_connection_settings()   # Enter in the field tries, never saves untried
    _try(qtbot, dialog, RESET_SECRET)
    assert dialog.busy
    qtbot.waitUntil(lambda: dialog.save_anyway.isVisibleTo(dialog), timeout=30_000)
    assert load_secret(PROFILE, sandbox.corp_id) == MISTYPED
    qtbot.mouseClick(dialog.save_anyway, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert load_secret(PROFILE, sandbox.corp_id) == RESET_SECRET
    context.wait_idle()


def test_a_team_profile_says_the_secret_is_on_the_team_server(
        qtbot: Any, gui_home: Path) -> None:
    from desktop.services.team import store_device_token

    url = "http://127.0.0.1:9/"
    profile = Profile(name="team", corp_id="ww-team", api_base=url + "cgi-bin/",
                      userid="zhangsan", team_url=url)
    ProfileStore(gui_home).add(profile)
    store_device_token(profile, "device-token-2222")
    workspace = Workspace(gui_home, profile, "device-token-2222")
    context = AppContext(workspace)
    try:
        dialog = ConnectionDialog(context)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.team_url.text() == url
        assert not dialog.secret.isVisibleTo(dialog) and not dialog.test_button.isVisibleTo(dialog)
        assert "the WeCom app secret lives on the team server" in dialog.intro.text()
        qtbot.waitUntil(lambda: dialog.signed_in.text() == "Logged in as zhangsan",
                        timeout=10_000)
        with qtbot.waitSignal(dialog.loginRequested, timeout=1_000):
            qtbot.keyClick(dialog, Qt.Key.Key_Return)     # Enter: log in again
    finally:
        context.cancel_all()
        context.wait_idle()
        workspace.close()


def test_a_batch_window_stopped_by_the_refused_secret_goes_on_once_a_new_one_is_saved(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    from desktop.ui.batch_progress import BatchProgressPanel

    window, context = refused_secret
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 4", (tag_id,))]
    batch_id = context.tagging.submit(context.tagging.plan(ids, add=[tag_id]), source="batch")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.batchFinished, timeout=30_000):
        panel.start(batch_id)
    assert panel.state == "stopped"
    assert "File → Connection settings…" in panel.message.text(), panel.message.text()

    dialog = window.open_connection_settings()
    _try(qtbot, dialog, sandbox.secret)
    qtbot.waitUntil(lambda: panel.state == "done", timeout=30_000)
    assert context.tagging.batch(batch_id).applied == 4
    context.wait_idle()


def test_an_untrusted_ip_on_a_solo_profile_points_to_the_window_that_takes_a_relay(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    """WeCom trusts only the relay's address: the sync, a toggle and a batch window say to
    enter a relay in File → Connection settings…, as a refused secret says where to enter
    it; once the relay is saved, the batch window goes on by itself. A team profile, whose
    window cannot change the API base, keeps the error table's sentence."""
    from desktop.ui.batch_progress import BatchProgressPanel
    from desktop.ui.errors import readable
    from desktop.wecom import WeComError

    window, context = refused_secret
    store_secret(PROFILE, sandbox.corp_id, sandbox.secret)
    context.workspace.use_login(context.workspace.profile, sandbox.secret)
    sandbox.configure(trusted_ips=[RELAY_IP])
    with qtbot.waitSignal(window.sync.failed, timeout=30_000):
        window.start_sync()
    said = window.status.currentMessage()
    assert said.startswith("Sync failed: This computer's IP is not in the app's trusted IP"
                           " list: an administrator adds it in the app's settings (then click"
                           " Retry in the status bar), or enter a relay with a fixed IP as the"
                           " API base in File → Connection settings…; the tagging waiting to be"
                           " sent goes on after either."), said
    assert "errcode 60020" in said, said

    tag_id, relation_id = str(_first(context, "tag")), int(_first(context, "relation"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([relation_id], tag_id, lambda: "toggle")
    said = window.status.currentMessage()
    assert "a relay with a fixed IP as the API base in File → Connection settings…" in said, said
    (vip,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) AND id != ? ORDER BY id LIMIT 4",
        (vip, relation_id))]
    batch_id = context.tagging.submit(context.tagging.plan(ids, add=[vip]), source="batch")
    panel = BatchProgressPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.batchFinished, timeout=30_000):
        panel.start(batch_id)
    assert panel.state == "stopped"
    assert "File → Connection settings…" in panel.message.text(), panel.message.text()

    with fixed_ip_relay(sandbox.api_base) as relay_base:
        _enter_api_base(qtbot, window.open_connection_settings(), relay_base)
        qtbot.waitUntil(lambda: panel.state == "done", timeout=30_000)
        qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
        context.wait_idle()
    assert context.tagging.batch(batch_id).applied == 4
    refused_ip = WeComError(60020, "not allow to access from your ip", "externalcontact/mark_tag")
    assert readable(refused_ip).startswith("本机 IP 不在应用的企业可信 IP 列表中：请管理员在应用设置中"
                                           "添加，或在配置中改用固定 IP 的中转地址。")


@pytest.fixture
def waiting_session(qtbot: Any, gui_home: Path, sandbox: Any) -> Iterator[Any]:
    """A session whose tagging waits for WeCom after an outage, as automatic resuming
    keeps it (retries of milliseconds, the first probe after half a second)."""
    from desktop.services.auto_resume import Backoff
    from desktop.services.sync import run_sync
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession
    from tests.quick_workspace import QuickWorkspace

    ProfileStore(gui_home).add(_profile(sandbox))
    ws = QuickWorkspace(gui_home, _profile(sandbox), sandbox.secret)
    run_sync(ws.client(), ws.cache)
    session = GuiSession(ws, Settings(gui_home), Translations())
    session.auto_resume.backoff = Backoff(first_s=0.5, max_s=1.0)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.model.queryFinished, timeout=15_000):
        session.show()
    try:
        yield session
    finally:
        session.close()


def test_batches_waiting_for_wecom_that_meet_a_reset_secret_resume_at_once_with_the_new_one(
        qtbot: Any, waiting_session: Any, sandbox: Any) -> None:
    from desktop.services.auto_resume import Backoff, waiting_batches
    from desktop.store import outbox

    session, context = waiting_session, waiting_session.context
    status, resume = session.window.status, waiting_session.auto_resume
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 6", (tag_id,))]
    port, corp_id = sandbox.port, sandbox.corp_id
    sandbox.stop()                                   # an outage
    context.toggle_tag(ids, tag_id, lambda: "VIP")
    qtbot.waitUntil(lambda: resume.state.kind == "waiting", timeout=30_000)
    (waiting,) = waiting_batches(context.cache)
    store_secret(PROFILE, corp_id, RESET_SECRET)                    # reset meanwhile
    context.workspace.use_login(context.workspace.profile, RESET_SECRET)
    sandbox.config.port = port
    sandbox.start()
    qtbot.waitUntil(lambda: resume.state.kind == "attention", timeout=30_000)
    assert "File → Connection settings…" in status.resume_state.toolTip()
    assert "--secret-stdin" not in status.resume_state.toolTip()
    assert status.secret_button.isVisibleTo(session.window) and context.secret_is_refused

    resume.backoff = Backoff(first_s=600.0, max_s=600.0)   # the next try comes at once, not in 10 min
    dialog = session.window.open_connection_settings()
    qtbot.waitUntil(lambda: dialog.stored.text() == "Stored in the OS keyring, but WeCom"
                    " refuses it: enter the new one below", timeout=10_000)
    _try(qtbot, dialog, sandbox.secret)
    qtbot.waitUntil(lambda: context.tagging.batch(waiting.id).status == outbox.DONE,
                    timeout=30_000)
    assert context.tagging.batch(waiting.id).applied == 6
    qtbot.waitUntil(lambda: resume.state.kind == "idle", timeout=10_000)
    assert not status.secret_button.isVisibleTo(session.window)
    assert not context.secret_is_refused


def test_batches_waiting_for_wecom_that_meet_an_untrusted_ip_point_to_the_window_and_go_on(
        qtbot: Any, waiting_session: Any, sandbox: Any) -> None:
    from desktop.services.auto_resume import waiting_batches
    from desktop.store import outbox

    session, context = waiting_session, waiting_session.context
    status, resume = session.window.status, waiting_session.auto_resume
    (tag_id,) = context.tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 5", (tag_id,))]
    port = sandbox.port
    sandbox.stop()                                   # an outage
    context.toggle_tag(ids, tag_id, lambda: "VIP")
    qtbot.waitUntil(lambda: resume.state.kind == "waiting", timeout=30_000)
    (waiting,) = waiting_batches(context.cache)
    sandbox.config.port = port
    sandbox.config.trusted_ips = (RELAY_IP,)         # back, trusting only the relay
    sandbox.start()
    qtbot.waitUntil(lambda: resume.state.kind == "attention", timeout=30_000)
    said = status.resume_state.toolTip()
    assert said.startswith("Waiting batches need attention: This computer's IP is not in the"
                           " app's trusted IP list"), said
    assert "File → Connection settings…" in said and "errcode 60020" in said, said

    dialog = session.window.open_connection_settings()
    with fixed_ip_relay(sandbox.api_base) as relay_base:
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
        qtbot.keyClicks(dialog.secret, sandbox.secret)
        _enter_api_base(qtbot, dialog, relay_base)
        qtbot.waitUntil(lambda: context.tagging.batch(waiting.id).status == outbox.DONE,
                        timeout=30_000)
        qtbot.waitUntil(lambda: resume.state.kind == "idle", timeout=10_000)
        context.wait_idle()
    assert context.tagging.batch(waiting.id).applied == 5


def test_a_secret_being_stored_is_stored_and_used_though_the_window_closes_meanwhile(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = refused_secret
    dialog = window.open_connection_settings()
    dialog.secret.setText(sandbox.secret)
    with qtbot.waitSignal(dialog.saved, timeout=30_000):
        dialog.save_without_test()
        assert dialog.busy and not dialog.cancel_button.isVisibleTo(dialog)
        dialog.close()                            # Esc while the keyring is written
    assert load_secret(PROFILE, sandbox.corp_id) == sandbox.secret
    assert window.status.currentMessage().startswith("The new app secret is stored")
    context.wait_idle()


def test_each_refusal_says_what_to_do_and_that_nothing_was_stored(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    """60020 from a sandbox that trusts only a relay's address and an API base nobody answers
    are real answers over HTTP; the sandbox has no 40091, made as the client raises it."""
    from desktop.wecom import WeComError

    window, context = refused_secret
    dialog = window.open_connection_settings()
    sandbox.configure(trusted_ips=[RELAY_IP])
    _try(qtbot, dialog, sandbox.secret)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    untrusted = dialog.message.text()
    assert untrusted.startswith("This computer's IP, 127.0.0.1 as WeCom sees it, is not in"
                                " the app's trusted IP list (errcode 60020)"), untrusted
    assert "enter a relay with a fixed IP as the API base" in untrusted
    assert "“Save anyway” keeps it" in untrusted
    assert sandbox.stats.errors(60020) == 1 and dialog.save_anyway.isVisibleTo(dialog)
    assert load_secret(PROFILE, sandbox.corp_id) == RESET_SECRET
    sandbox.configure(trusted_ips=[])
    other_app = dialog.why_refused(WeComError(40091, "secret is invalid", "gettoken"))
    assert other_app.startswith("WeCom does not accept this secret (errcode 40091)")
    for said in (untrusted, other_app):
        assert said.endswith("Nothing was stored.")

    dialog.api_base.setText(_unused_base())
    _try(qtbot, dialog, sandbox.secret)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.message.text().startswith("无法连接企业微信接口 127.0.0.1"), \
        dialog.message.text()
    assert dialog.message.text().endswith("Nothing was stored.")
    assert load_secret(PROFILE, sandbox.corp_id) == RESET_SECRET
    dialog.close()
    context.wait_idle()


def test_a_relay_typed_as_the_api_base_is_tried_with_the_stored_secret_then_saved_and_used(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any,
        gui_home: Path) -> None:
    """WeCom trusts only the relay's address (60020 for this computer); the keyring holds the
    right secret: the relay typed alone is tried with it, saved in the profile and used by the
    open workspace, whose held toggle then goes through the relay."""
    window, context = refused_secret
    store_secret(PROFILE, sandbox.corp_id, sandbox.secret)
    context.workspace.use_login(context.workspace.profile, sandbox.secret)
    sandbox.configure(trusted_ips=[RELAY_IP])
    tag_id, relation_id = str(_first(context, "tag")), int(_first(context, "relation"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([relation_id], tag_id, lambda: "toggle")
    assert _pending(context) == 1

    dialog = window.open_connection_settings()
    assert isinstance(dialog.api_base, QLineEdit) and dialog.api_base.text() == sandbox.api_base
    _enter_api_base(qtbot, dialog, "qyapi.weixin.qq.com/cgi-bin/")
    assert dialog.message.text().startswith("The API base must be an http(s) address")
    assert not dialog.busy and dialog.api_base.hasFocus()

    nobody = _unused_base()
    _enter_api_base(qtbot, dialog, nobody)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.message.text().startswith("无法连接企业微信接口 127.0.0.1"), dialog.message.text()
    assert ProfileStore(gui_home).get(PROFILE).api_base == sandbox.api_base

    refusals = sandbox.stats.errors(60020)
    with fixed_ip_relay(sandbox.api_base) as relay_base:
        _enter_api_base(qtbot, dialog, relay_base)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
        assert ProfileStore(gui_home).get(PROFILE).api_base == relay_base
        assert context.workspace.profile.api_base == relay_base
        assert load_secret(PROFILE, sandbox.corp_id) == sandbox.secret
        qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
        said = window.status.currentMessage()
        assert said.startswith(f"WeCom is called through {relay_base} from now on."), said
        assert context.workspace.client().get_follow_user_list()
        context.wait_idle()
    assert sandbox.stats.errors(60020) == refusals     # every call went through the relay
    dialog = window.open_connection_settings()
    assert dialog.api_base.text() == relay_base
    dialog.close()


def test_a_new_api_base_is_tried_with_the_secret_typed_with_it_and_both_are_saved(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any,
        gui_home: Path) -> None:
    """The keyring holds the reset secret: the relay alone is refused (40001, the stored secret
    was tried); typed with the right secret both are saved and the stopped tagging is sent.
    The status bar says so in sentences as the language writes them: one space between them
    in English, none in Chinese."""
    window, context = refused_secret
    sandbox.configure(trusted_ips=[RELAY_IP])
    tag_id, relation_id = str(_first(context, "tag")), int(_first(context, "relation"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([relation_id], tag_id, lambda: "toggle")
    dialog = window.open_connection_settings()
    translations = Translations()
    translations.install(ENGLISH)
    try:
        with fixed_ip_relay(sandbox.api_base) as relay_base:
            _enter_api_base(qtbot, dialog, relay_base)
            qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
            assert dialog.message.text().startswith(
                "WeCom does not accept this secret (errcode 40001)"), dialog.message.text()
            assert ProfileStore(gui_home).get(PROFILE).api_base == sandbox.api_base
            _try(qtbot, dialog, sandbox.secret)
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
            assert ProfileStore(gui_home).get(PROFILE).api_base == relay_base
            assert load_secret(PROFILE, sandbox.corp_id) == sandbox.secret
            qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
            assert window.status.currentMessage() == (
                "The new app secret is stored in the OS keyring and in use."
                f" WeCom is called through {relay_base} from now on."
                " Sending the tagging it stopped again: 1 batch.")
            context.wait_idle()
        translations.install(CHINESE)
        sandbox.configure(trusted_ips=[])
        dialog = window.open_connection_settings()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
        qtbot.keyClicks(dialog.secret, sandbox.secret)
        _enter_api_base(qtbot, dialog, sandbox.api_base)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
        assert window.status.currentMessage() == (
            f"新的应用 Secret 已存入系统钥匙串并已启用。从现在起通过 {sandbox.api_base} 调用企业微信。")
    finally:
        translations.uninstall()
    context.wait_idle()


def _store_from_the_command_line(secret: str) -> None:
    """`echo "$SECRET" | tagdesk profile add test --secret-stdin` in a terminal beside the app."""
    done = subprocess.run([sys.executable, "-m", "desktop", "profile", "add", PROFILE,
                           "--secret-stdin"], input=secret + "\n", text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_secret_stored_from_the_command_line_is_used_when_the_window_is_back_in_front(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = refused_secret
    tag_id, relation_id = str(_first(context, "tag")), int(_first(context, "relation"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([relation_id], tag_id, lambda: "toggle")
    assert window.status.secret_button.isVisibleTo(window)
    dialog = window.open_connection_settings()   # another window in front meanwhile
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    _store_from_the_command_line(sandbox.secret)
    assert _pending(context) == 1
    window.activateWindow()
    qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
    assert not window.status.secret_button.isVisibleTo(window)
    assert window.status.currentMessage().startswith(
        "The app secret stored from the command line is in use now."), \
        window.status.currentMessage()
    assert context.workspace.uses_secret(sandbox.secret)
    context.wait_idle()


def test_a_secret_stored_from_the_command_line_is_used_when_the_refused_work_is_tried_again(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = refused_secret
    tag_id = str(_first(context, "tag"))
    first, second = (int(r[0]) for r in context.cache.connection().execute(
        "SELECT id FROM relation ORDER BY id LIMIT 2"))
    with qtbot.waitSignal(context.write_failed, timeout=30_000):
        context.toggle_tag([first], tag_id, lambda: "toggle")
    _store_from_the_command_line(sandbox.secret)
    context.toggle_tag([second], tag_id, lambda: "toggle")    # refused once more, then sent
    qtbot.waitUntil(lambda: _pending(context) == 0, timeout=30_000)
    done = context.cache.connection().execute(
        "SELECT count(*) FROM outbox WHERE status = 'done'").fetchone()[0]
    assert done == 2
    assert not window.status.secret_button.isVisibleTo(window)
    context.wait_idle()


def test_the_open_window_says_a_secret_stored_from_the_command_line_is_in_use(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext], sandbox: Any) -> None:
    window, context = refused_secret
    dialog = window.open_connection_settings()
    qtbot.waitUntil(lambda: dialog.stored.text() == "Stored in the OS keyring (not shown)",
                    timeout=10_000)
    _store_from_the_command_line(sandbox.secret)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.message.text() ==
                    "The secret stored meanwhile from the command line is in use now.",
                    timeout=30_000)
    assert context.workspace.uses_secret(sandbox.secret)
    dialog.close()
    context.wait_idle()


class _CountingKeyring(PlaintextKeyring):
    """The suite's file keyring, counting the reads of a secret."""

    reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        secret: str | None = super().get_password(service, username)
        return secret


@pytest.fixture
def counted_keyring(gui_home: Path) -> Iterator[_CountingKeyring]:
    before = keyring.get_keyring()
    counting = _CountingKeyring()
    keyring.set_keyring(counting)
    try:
        yield counting
    finally:
        keyring.set_keyring(before)


def _reads_settled(qtbot: Any, context: AppContext, counting: _CountingKeyring) -> int:
    qtbot.wait(100)                   # activation events after the window came to the front
    context.wait_idle()
    return counting.reads


def test_the_window_reads_the_keyring_once_each_time_it_comes_to_the_front(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext],
        counted_keyring: _CountingKeyring) -> None:
    """Opened, shown and activated at once, it read the keyring twice: the first open read at
    construction and again on activation; brought to the front, on the menu item and again
    on activation."""
    window, context = refused_secret
    dialog = window.open_connection_settings()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    qtbot.waitUntil(lambda: dialog.stored.text() == "Stored in the OS keyring (not shown)",
                    timeout=10_000)
    assert _reads_settled(qtbot, context, counted_keyring) == 1
    window.activateWindow()                      # the main window in front, this one behind
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    assert _reads_settled(qtbot, context, counted_keyring) == 1
    assert window.open_connection_settings() is dialog
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    assert _reads_settled(qtbot, context, counted_keyring) == 2
    dialog.close()
    window.open_connection_settings()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)
    assert _reads_settled(qtbot, context, counted_keyring) == 3
    dialog.close()
    context.wait_idle()


def _whole(widget: Any) -> bool:
    """The widget has at least the height it needs (a word-wrapped label: for its width)."""
    needed = (widget.heightForWidth(widget.width()) if widget.hasHeightForWidth()
              else widget.minimumSizeHint().height())
    return bool(widget.height() >= needed)


def test_a_refusal_said_in_the_window_makes_it_taller_and_is_gone_when_it_opens_again(
        qtbot: Any, refused_secret: tuple[MainWindow, AppContext]) -> None:
    """The sentence and 仍然保存 take rows the window did not have: it grows to hold them,
    in either language, instead of squeezing the fields; Esc forgets the refusal too. The
    Chinese sentences follow each other without the English space."""
    window, context = refused_secret
    dialog = window.open_connection_settings()
    qtbot.waitUntil(lambda: dialog.stored.text() != "", timeout=10_000)
    qtbot.wait(50)
    _try(qtbot, dialog, MISTYPED)
    qtbot.waitUntil(lambda: dialog.save_anyway.isVisibleTo(dialog), timeout=30_000)
    fields = (dialog.api_base, dialog.secret, dialog.message, dialog.save_anyway)
    qtbot.waitUntil(lambda: all(_whole(field) for field in fields), timeout=2_000)
    translations = Translations()
    translations.install("zh_CN")
    try:
        qtbot.waitUntil(lambda: dialog.message.text().startswith("企业微信不接受这个 Secret"),
                        timeout=2_000)
        assert dialog.message.text().endswith("中重新复制。未保存任何内容。"), \
            dialog.message.text()
        qtbot.waitUntil(lambda: all(_whole(field) for field in fields), timeout=2_000)
    finally:
        translations.uninstall()

    qtbot.keyClick(dialog.secret, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    window.open_connection_settings()
    assert dialog.message.text() == "" and not dialog.save_anyway.isVisibleTo(dialog)
    context.wait_idle()
