"""A new app secret is tried against WeCom (the sandbox over real HTTP) before it is stored:
a refused one says so with WeCom's errcode and leaves the keyring as it was; a right one is
stored and used by the open workspace at once."""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from desktop.services.profiles import Profile, ProfileStore
from desktop.services.secret_check import (
    adopt_stored_secret,
    secret_to_try,
    store_and_use,
    try_secret,
)
from desktop.services.secrets import load_secret, store_secret
from desktop.services.workspace import Workspace
from desktop.wecom import WeComError
from desktop.wecom.errors import CallCancelled, WeComNetworkError
from tests.fixed_ip_relay import RELAY_IP, fixed_ip_relay

pytestmark = pytest.mark.integration

WRONG = "reset-secret-0000"


@pytest.fixture(autouse=True)
def _file_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def _profile(sandbox: Any, api_base: str = "") -> Profile:
    return Profile(name="acme", corp_id=sandbox.corp_id, api_base=api_base or sandbox.api_base,
                   userid="zhangsan")


def test_a_wrong_secret_is_refused_with_wecoms_errcode_and_never_logged(
        sandbox: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(WeComError) as refused:
        try_secret(_profile(sandbox), WRONG)
    assert (refused.value.errcode, refused.value.path) == (40001, "gettoken")
    assert WRONG not in str(refused.value) and WRONG not in caplog.text
    try_secret(_profile(sandbox), sandbox.secret)           # the right one: no error
    assert sandbox.secret not in caplog.text


def test_a_computer_outside_the_trusted_ips_is_refused_with_60020_and_a_relay_gets_through(
        sandbox: Any) -> None:
    sandbox.configure(trusted_ips=[RELAY_IP])
    with pytest.raises(WeComError) as refused:
        try_secret(_profile(sandbox), sandbox.secret)
    assert (refused.value.errcode, refused.value.path) == (60020, "gettoken")
    assert "from ip: 127.0.0.1," in refused.value.errmsg
    with fixed_ip_relay(sandbox.api_base) as relay_base:
        try_secret(_profile(sandbox, relay_base), sandbox.secret)


def test_an_api_base_nobody_answers_is_a_network_error_within_seconds(sandbox: Any) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(WeComNetworkError):
        try_secret(_profile(sandbox, f"http://127.0.0.1:{port}/cgi-bin/"), sandbox.secret)
    assert time.monotonic() - started < 10


def test_a_cancelled_try_stops_before_asking(sandbox: Any) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CallCancelled):
        try_secret(_profile(sandbox), sandbox.secret, cancel)


def test_a_stored_secret_is_used_by_the_open_workspace_at_once(
        sandbox: Any, tmp_path: Path) -> None:
    profile = _profile(sandbox)
    with Workspace(tmp_path / "home", profile, WRONG) as workspace:
        assert adopt_stored_secret(workspace) is None          # the keyring holds none
        store_secret(profile.name, profile.corp_id, WRONG)
        assert adopt_stored_secret(workspace) is False         # the one in use
        with pytest.raises(WeComError):
            workspace.client().get_follow_user_list()
        store_and_use(workspace, sandbox.secret)
        assert workspace.client().get_follow_user_list()
    assert load_secret(profile.name, profile.corp_id) == sandbox.secret


def test_a_secret_stored_from_the_command_line_is_taken_into_use_once(
        sandbox: Any, tmp_path: Path) -> None:
    profile = _profile(sandbox)
    store_secret(profile.name, profile.corp_id, WRONG)
    with Workspace(tmp_path / "home", profile, WRONG) as workspace:
        with pytest.raises(WeComError):
            workspace.client().get_follow_user_list()
        store_secret(profile.name, profile.corp_id, sandbox.secret)   # `profile add` meanwhile
        assert adopt_stored_secret(workspace) is True
        assert workspace.uses_secret(sandbox.secret)
        assert workspace.client().get_follow_user_list()
        assert adopt_stored_secret(workspace) is False


def test_a_new_api_base_is_saved_in_the_profile_and_used_by_the_open_workspace_at_once(
        sandbox: Any, tmp_path: Path) -> None:
    """Only the API base of the saved profile changes: a limit the command line changed
    while the window was open stays."""
    home = tmp_path / "home"
    home.mkdir()
    profile = _profile(sandbox)
    store = ProfileStore(home)
    store.add(profile)
    store_secret(profile.name, profile.corp_id, sandbox.secret)
    sandbox.configure(trusted_ips=[RELAY_IP])
    with Workspace(home, profile, sandbox.secret) as workspace, \
            fixed_ip_relay(sandbox.api_base) as relay_base:
        store.add(replace(profile, calls_per_minute=50))
        with pytest.raises(WeComError):
            workspace.client().get_follow_user_list()
        store_and_use(workspace, secret_to_try(profile, ""), relay_base)
        assert workspace.client().get_follow_user_list()
        assert workspace.profile.api_base == relay_base
        saved = store.get(profile.name)
        assert (saved.api_base, saved.calls_per_minute) == (relay_base, 50)
