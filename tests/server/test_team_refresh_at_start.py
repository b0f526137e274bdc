"""A logged-in team desktop reads the tag library through its team server when it starts, once
the window has painted its first rows: a tag someone else deleted since is gone and one renamed
is respelled in a saved filter without pressing F5, for a few WeCom calls (not a whole sync)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from desktop.domain.filter.printer import quote
from desktop.sandbox import SandboxServer
from desktop.services.team import team_api_base
from desktop.services.team_catch_up import CUSTOMER_ACTIONS, MARK_KEY, TAG_ACTIONS
from desktop.services.workspace import open_workspace
from desktop.store import events, outbox, tag_expiry
from desktop.store.snapshot import LAST_SYNC_KEY
from desktop.ui.i18n import Translations
from desktop.ui.session import GuiSession
from desktop.ui.settings import Settings
from desktop.wecom.client import WeComClient
from desktop.wecom.write_note import WriteNote
from tests.server.team_support import (
    TeamServerProcess,
    desktop_env,
    log_in,
    logged_in_home,
    wait_for,
)

RELATION_PAGES = "externalcontact/batch/get_by_user"
# The tag tree reads each rule group's range once a session (the department owning its
# groups), on its own worker: not part of the refresh, counted apart.
RANGES = "externalcontact/customer_strategy/get_range"
CAUGHT_UP_ACTIONS = (*TAG_ACTIONS, *CUSTOMER_ACTIONS)

pytestmark = [pytest.mark.integration, pytest.mark.gui]


def _opened(qtbot: Any, home: Path, order: list[str], *, synced: bool) -> GuiSession:
    """The app's session on the home's team profile, shown as at start (default settings),
    once its first sync (an empty cache) or its refresh of the tag library ended."""
    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    session.window.firstRowsShown.connect(lambda: order.append("rows"))
    session.sync.started.connect(lambda: order.append("sync"))
    ended = session.sync.refreshed if synced else session.sync.finished
    with qtbot.waitSignal(ended, timeout=120_000):
        session.show()
    return session


def _refresh_calls(team_sandbox: SandboxServer) -> int:
    """WeCom calls the sandbox received, but the tag tree's reads of rule group ranges."""
    return team_sandbox.stats.calls() - team_sandbox.stats.calls(RANGES)


def _resynced(team_server: TeamServerProcess) -> None:
    """Wait until the server's first re-sync (its own calls to WeCom, seconds after it
    started) has ended, so that what the sandbox counts next is the desktop's."""
    def ended() -> bool:
        with psycopg.connect(team_server.db_url) as conn:
            row = conn.execute("SELECT last_finished_at >= last_started_at FROM scheduled_job"
                               " WHERE name = 'resync'").fetchone()
        return bool(row and row[0])

    wait_for(ended, timeout=120, what="the server's first re-sync")


def test_a_team_desktop_refreshes_its_tag_library_at_start_in_a_few_calls(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    user = sorted(team_sandbox.state.follow_users())[0]
    logged_in_home(home, team_server.url, team_sandbox, user)

    first: list[str] = []
    session = _opened(qtbot, home, first, synced=False)    # an empty cache syncs at once
    try:
        assert first[0] == "sync"
        live = outbox.tag_catalogue(session.context.cache)
        whole_sync = session.sync.last_result
        assert whole_sync is not None
    finally:
        session.close()
    gone = next(t for t in live if t.group_name.startswith("MKT-"))
    renamed = next(t for t in live if t.group_id != gone.group_id)
    saved = f"{quote(renamed.group_name)}:{quote(renamed.name)}"
    Settings(home).save_filter("team", "saved", saved)
    team_sandbox.state.console_delete_tag(gone.id)   # someone else, while this desktop was closed
    team_sandbox.state.console_edit_tag(renamed.id, name="改名后的标签")

    again: list[str] = []
    _resynced(team_server)
    calls_before = _refresh_calls(team_sandbox)
    pages_before = team_sandbox.stats.calls(RELATION_PAGES)
    session = _opened(qtbot, home, again, synced=True)
    try:
        calls = _refresh_calls(team_sandbox) - calls_before
        rule_groups = len(session.context.cache.connection().execute(
            "SELECT id FROM strategy").fetchall())
        assert again == ["rows", "sync"]             # the first paint did not wait for it
        assert gone.id not in outbox.live_tag_ids(session.context.cache)
        # the tag list, then the rule groups' list and two calls a rule group (here 4)
        assert calls == 2 + 2 * rule_groups < whole_sync.api_calls
        assert team_sandbox.stats.calls(RELATION_PAGES) == pages_before   # no relation read
        assert Settings(home).saved_filters("team") == [
            ("saved", f"{quote(renamed.group_name)}:改名后的标签")]
        assert session.window.status.currentMessage().startswith("Tag library refreshed:")
    finally:
        session.close()


def test_the_refresh_at_start_brings_the_teams_events_and_expiries_without_a_relation_read(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    users = sorted(team_sandbox.state.follow_users())
    logged_in_home(home, team_server.url, team_sandbox, users[0])
    _opened(qtbot, home, [], synced=False).close()      # an empty cache syncs at once

    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[2]
    (userid, customer), (other_userid, other) = [
        (u, e) for u, e in sorted(team_sandbox.state.relations())
        if tag_id not in team_sandbox.state.relation_tag_ids(u, e)][:2]
    colleague = log_in(team_server.url, team_sandbox, users[3])   # on another desktop
    with WeComClient(team_api_base(team_server.url), team_sandbox.corp_id, colleague.token,
                     team_url=team_server.url) as client:
        before = tuple(sorted(team_sandbox.state.relation_tag_ids(userid, customer)))
        with client.noting(WriteNote(batch_id="later-1", source="app", before=before,
                                     expiring=((tag_id, 3600),))) as noted:
            noted.mark_tag(userid, customer, add=[tag_id])   # journaled with the tags after
        client.mark_tag(other_userid, other, add=[tag_id])   # a client saying nothing more
        session = client.get_token()
    pushed = requests.post(f"{team_server.url}tagdesk/v1/events", timeout=30,
                           params={"access_token": session},
                           json={"events": [{"id": "later-event", "time": "2026-12-01 09:30",
                                             "external_userid": customer,
                                             "type": "coupon_used"}]})
    assert pushed.status_code == 200, pushed.text

    _resynced(team_server)
    calls_before = _refresh_calls(team_sandbox)
    session_again = _opened(qtbot, home, [], synced=True)
    try:
        cache = session_again.context.cache
        rule_groups = len(cache.connection().execute("SELECT id FROM strategy").fetchall())
        assert _refresh_calls(team_sandbox) - calls_before == 2 + 2 * rule_groups  # no more
        carried = outbox.relation_states_by_key(cache, [(customer, userid), (other, other_userid)])
        assert [tag_id in state.tag_ids for state in carried.values()] == [True, True]
        assert session_again.sync.last_catch_up is not None
        assert session_again.sync.last_catch_up.relations_changed == 2
        assert "the team's changes since the last sync: 2 relations" in \
            session_again.window.status.currentMessage()
        assert [e.type for e, _ in events.listed(cache, customer=customer)] == ["coupon_used"]
        assert [(x.userid, x.tag_id) for x in tag_expiry.expiries(cache, table=tag_expiry.TEAM)
                if x.external_userid == customer] == [(userid, tag_id)]
    finally:
        session_again.close()


def test_a_cache_synced_before_it_kept_a_mark_catches_up_from_its_last_sync(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No mark (synced by an older TagDesk): the rows since the last sync ended are read at
    the next start, not only after the next F5; the team's older rows are not read again."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    users = sorted(team_sandbox.state.follow_users())
    logged_in_home(home, team_server.url, team_sandbox, users[0])
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[3]
    (before_userid, before_customer), (userid, customer) = [
        (u, e) for u, e in sorted(team_sandbox.state.relations())
        if tag_id not in team_sandbox.state.relation_tag_ids(u, e)][:2]
    colleague = log_in(team_server.url, team_sandbox, users[3])
    with WeComClient(team_api_base(team_server.url), team_sandbox.corp_id, colleague.token,
                     team_url=team_server.url) as client:
        client.mark_tag(before_userid, before_customer, add=[tag_id])   # the sync reads it
        session = _opened(qtbot, home, [], synced=False)
        try:
            cache = session.context.cache
            with cache.write() as conn:
                conn.execute("DELETE FROM meta WHERE key = ?", (MARK_KEY,))
            synced_at = float(cache.get_meta(LAST_SYNC_KEY) or 0)
        finally:
            session.close()
        client.mark_tag(userid, customer, add=[tag_id])
    with psycopg.connect(team_server.db_url) as conn:
        since = conn.execute("SELECT count(*) FROM team_journal WHERE ts >= %s AND action ="
                             " ANY(%s)", (synced_at, list(CAUGHT_UP_ACTIONS))).fetchone()
        older = conn.execute("SELECT count(*) FROM team_journal WHERE ts < %s AND action ="
                             " ANY(%s)", (synced_at, list(CAUGHT_UP_ACTIONS))).fetchone()
    assert since is not None and older is not None and older[0] >= 1

    session = _opened(qtbot, home, [], synced=True)
    try:
        caught_up = session.sync.last_catch_up
        assert caught_up is not None and caught_up.failed is None
        assert 1 <= caught_up.rows <= since[0]
        assert caught_up.relations_changed == 1
        state = outbox.relation_states_by_key(session.context.cache, [(customer, userid)])
        assert tag_id in state[(customer, userid)].tag_ids
        assert session.context.cache.get_meta(MARK_KEY)
    finally:
        session.close()


def test_a_catch_up_the_server_refuses_leaves_the_refreshed_library_and_says_so(
    qtbot: Any, team_server: TeamServerProcess, team_sandbox: SandboxServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tag library is refreshed and shown; the team's events and expiries, copied before
    the journal refused, are said copied, the rest not read, and the next refresh reads the
    journal from the same mark."""
    for key, value in desktop_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "home"
    users = sorted(team_sandbox.state.follow_users())
    logged_in_home(home, team_server.url, team_sandbox, users[1])
    session = _opened(qtbot, home, [], synced=False)
    tag_id = sorted(team_sandbox.state.tag_ids_by_name().values())[4]
    userid, customer = next((u, e) for u, e in sorted(team_sandbox.state.relations())
                            if tag_id not in team_sandbox.state.relation_tag_ids(u, e))
    colleague = log_in(team_server.url, team_sandbox, users[3])
    with WeComClient(team_api_base(team_server.url), team_sandbox.corp_id, colleague.token,
                     team_url=team_server.url) as client:
        with client.noting(WriteNote(batch_id="later-2", source="app",
                                     expiring=((tag_id, 3600),))) as noted:
            noted.mark_tag(userid, customer, add=[tag_id])
        pushed = requests.post(f"{team_server.url}tagdesk/v1/events", timeout=30,
                               params={"access_token": client.get_token()},
                               json={"events": [{"id": "refused-event",
                                                 "time": "2026-12-02 10:00",
                                                 "external_userid": customer,
                                                 "type": "coupon_used"}]})
    assert pushed.status_code == 200, pushed.text
    try:
        live = outbox.tag_catalogue(session.context.cache)
        refused = str(2**62 + 2**20)           # an id the journal refuses as out of range
        with session.context.cache.write() as conn:
            session.context.cache.set_meta(conn, MARK_KEY, refused)
    finally:
        session.close()
    gone = next(t for t in live if t.group_name.startswith("MKT-"))
    team_sandbox.state.console_delete_tag(gone.id)

    session = GuiSession(open_workspace(home, "team"), Settings(home), Translations())
    qtbot.addWidget(session.window)
    failed: list[BaseException] = []
    session.sync.failed.connect(failed.append)
    try:
        with qtbot.waitSignal(session.sync.idle, timeout=120_000):
            session.show()
        assert not failed
        cache = session.context.cache
        assert gone.id not in outbox.live_tag_ids(cache)
        caught_up = session.sync.last_catch_up
        assert caught_up is not None and caught_up.failed is not None
        expiries = cache.connection().execute("SELECT userid, external_userid, tag_id FROM"
                                              " team_tag_expiry").fetchall()
        assert (caught_up.events, caught_up.expiries) == (1, len(expiries))
        assert (userid, customer, tag_id) in expiries     # the journal row not read yet
        assert [e.type for e, _ in events.listed(cache, customer=customer)] == ["coupon_used"]
        message = session.window.status.currentMessage()
        assert message.startswith("Tag library refreshed:")
        assert re.search(r"the team's changes since the last sync were read in part \(0"
                         rf" relations, 1 events? and {len(expiries)} tag expir", message)
        assert "the rest not read: " in message and "errcode 40058" in message
        assert message.endswith("the next start or F5 reads the rest")
        assert cache.get_meta(MARK_KEY) == refused
    finally:
        session.close()
