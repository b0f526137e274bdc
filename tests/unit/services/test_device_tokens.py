"""Team device tokens in the keyring are kept per user: two homes on one computer with a team
profile of the same name (two people sharing a desk) each keep their own login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from desktop.services import secrets
from desktop.services.profiles import Profile
from desktop.services.team import NotLoggedInError, load_device_token, store_device_token


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[None]:
    before = keyring.get_keyring()
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(ring)
    yield
    keyring.set_keyring(before)


def _profile(userid: str) -> Profile:
    return Profile(name="team", corp_id="ww1", api_base="http://127.0.0.1:1/",
                   team_url="http://127.0.0.1:1/", userid=userid)


def test_a_second_persons_login_leaves_the_first_persons_token_alone() -> None:
    supervisor, salesperson = _profile("caolanping"), _profile("zenghai")
    store_device_token(supervisor, "token-of-caolanping")
    store_device_token(salesperson, "token-of-zenghai")
    assert load_device_token(supervisor) == "token-of-caolanping"
    assert load_device_token(salesperson) == "token-of-zenghai"


def test_a_login_kept_before_tokens_were_per_user_is_still_read() -> None:
    secrets.store_secret("team", "ww1", "an-older-login")
    assert load_device_token(_profile("caolanping")) == "an-older-login"
    store_device_token(_profile("zenghai"), "token-of-zenghai")
    assert load_device_token(_profile("caolanping")) == "an-older-login"


def test_no_token_for_the_user_means_log_in() -> None:
    with pytest.raises(NotLoggedInError):
        load_device_token(_profile("caolanping"))
