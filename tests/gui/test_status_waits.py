"""The status bar says when WeCom's frequency limit holds the corp's calls back: during a
sync in its progress line, otherwise in a count-down of its own (toggles, undo, tree edits)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.progress import Progress

pytestmark = pytest.mark.gui


@pytest.fixture
def session(qtbot: Any, synced_workspace: Any, gui_home: Path) -> Iterator[Any]:
    from desktop.ui.i18n import Translations
    from desktop.ui.session import GuiSession
    from desktop.ui.settings import Settings

    session = GuiSession(synced_workspace, Settings(gui_home), Translations())
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.model.queryFinished, timeout=15000):
        session.show()
    try:
        yield session
    finally:
        session.context.cancel_all()
        session.context.wait_idle()
        session.handover.stop()
        session.auto_resume.stop()
        session.translations.uninstall()   # a language switched to stays with the process


def test_a_45009_pause_counts_down_in_the_status_bar_until_it_ends(
    qtbot: Any, session: Any
) -> None:
    status = session.window.status
    assert not status.rate_limit.isVisible()
    session.workspace.transport().limiter.pause(2.5)  # whoever hit it: a toggle, an undo
    qtbot.waitUntil(status.rate_limit.isVisible, timeout=3000)
    # 3 s, or less when the label showed late on a loaded machine; never more than the pause
    shown = re.fullmatch(r"已被企业微信频率限制暂停，(\d+) 秒后继续", status.rate_limit.text())
    assert shown is not None and 1 <= int(shown[1]) <= 3, status.rate_limit.text()
    qtbot.waitUntil(lambda: not status.rate_limit.isVisible(), timeout=5000)


def test_a_sync_shows_its_wait_in_front_of_its_progress(session: Any) -> None:
    status = session.window.status
    status.sync_started()
    status.sync_progress(Progress(
        "relations", 3, 10, "读取客户 3/10 / Reading customers 3/10",
        "已被企业微信频率限制暂停，42 秒后继续 / paused by WeCom's frequency limit, resuming in 42 s"))
    assert status.progress_text.text() == "已被企业微信频率限制暂停，42 秒后继续 · 读取客户 3/10"
    assert status.progress.value() == 3
    status.sync_idle()


def test_a_long_resume_state_does_not_widen_an_800_pixel_window(qtbot: Any,
                                                                 session: Any) -> None:
    from desktop.services.auto_resume import ResumeState

    window, status = session.window, session.window.status
    window.resize(800, 600)
    before = window.minimumSizeHint().width()
    assert before <= 800
    url = "http://tagdesk-team-server.branch-office.example.com:8800/"
    status.set_resume_state(ResumeState("waiting", 3, 1_250, 280.0, team_url=url))
    assert status.resume_state.isVisible()
    assert window.minimumSizeHint().width() <= 800, "the window would grow past 800 px"
    assert url in status.resume_state.text() and url in status.resume_state.toolTip()
    qtbot.waitUntil(lambda: window.width() == 800, timeout=3000)
    qtbot.waitUntil(lambda: status.resume_state.width() >= 250, timeout=3000)  # still readable
    assert status.profile.toolTip() == status.profile.text() != ""  # the profile, whole


def test_at_1024_pixels_the_wait_for_wecom_shows_when_it_tries_again(qtbot: Any,
                                                                     session: Any) -> None:
    """The countdown came last, so at 1,024 px the status bar cut it off:
    "企业微信暂时无法访问：1 个批量任务（1166 个调用）待发，5 …"."""
    from PySide6.QtCore import Qt

    from desktop.services.auto_resume import ResumeState

    window, status = session.window, session.window.status
    window.resize(1024, 700)
    status.set_resume_state(ResumeState("waiting", 1, 1_166, 28.0))
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=3000)
    label = status.resume_state
    qtbot.waitUntil(lambda: label.width() >= 250, timeout=3000)
    shown = label.fontMetrics().elidedText(label.text(), Qt.TextElideMode.ElideRight,
                                           label.contentsRect().width())
    assert "28 秒后自动重试" in shown, shown
    assert "1,166 个调用" in label.text()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_at_1366_pixels_the_wait_for_the_team_server_shows_when_it_tries_again(
        qtbot: Any, session: Any, language: str) -> None:
    """A team profile's wait named the server's URL and the counts before the countdown, so
    at 1,366 px the English status bar ended in "…(1 call) waiting, tr…"."""
    from PySide6.QtCore import Qt

    from desktop.services.auto_resume import ResumeState

    window, status = session.window, session.window.status
    session.switch_language(language)
    try:
        url = "http://192.168.10.25:8810/"
        status.set_profile("team", "dongxuelin", url)
        status.set_team_unavailable("团队服务器不可用 / The team server is unavailable")
        status.scope.show()
        status.set_counts(145, 121, 145, 121)
        window.resize(1366, 740)
        status.set_resume_state(ResumeState("waiting", 1, 1_166, 28.0, team_url=url))
        qtbot.waitUntil(lambda: window.width() == 1366, timeout=3000)
        label = status.resume_state
        qtbot.waitUntil(lambda: label.width() >= 250, timeout=3000)
        shown = label.fontMetrics().elidedText(label.text(), Qt.TextElideMode.ElideRight,
                                               label.contentsRect().width())
        assert ("retrying in 28 s" if language == "en" else "28 秒后自动重试") in shown, shown
        assert url in label.toolTip() and "1,166" in label.toolTip()
    finally:
        session.switch_language("zh_CN")
