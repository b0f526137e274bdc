"""Whether a user may overwrite someone else's team item is decided before the settings'
head row is locked; an item that changed between the decision and the lock is decided again,
and a request that keeps meeting such changes is refused with one sentence, nothing saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from desktop.domain.governance import Actor, OrgChart, Policy
from desktop.server.database import migrate
from desktop.server.identity import Caller
from desktop.server.request_refused import RequestRefused
from desktop.server.shared_settings import CHECK_ATTEMPTS, Change, SharedSettings
from desktop.wecom.error_codes import TEAM_REQUEST_REFUSED
from desktop.wecom.ratelimit import RateLimits
from desktop.wecom.transport import WeComTransport
from tests.server.team_support import PostgresCluster

FILTER = ("", "saved_filter", "大促客户")
ALICE, BOSS = Caller("alice", 1), Caller("boss", 2)


@pytest.fixture
def url(postgres: PostgresCluster) -> str:
    made = postgres.new_database()
    migrate(made)
    with psycopg.connect(made) as conn:
        for caller in (ALICE, BOSS):
            conn.execute("INSERT INTO device (id, userid, name, token_hash) VALUES (%s, %s, %s,"
                         " %s)", (caller.device_id, caller.userid, "desktop", caller.userid))
    return made


def _settings(url: str, standing: Callable[[str], tuple[Policy, OrgChart, Actor]]
              ) -> SharedSettings:
    @contextmanager
    def connection() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        with psycopg.connect(url) as conn:
            yield conn

    unused = WeComTransport("http://127.0.0.1:9/", "corp", "secret", limits=RateLimits())
    return SharedSettings(connection, unused, standing)   # a filter names no tag to look up


def _meanwhile(url: str, value: str) -> None:
    """Another desktop of alice's saves the filter again (its author stays alice)."""
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE team_setting SET value = to_jsonb(%s::text)"
                     " WHERE owner = %s AND kind = %s AND key = %s", (value, *FILTER))


def _value(url: str) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT value FROM team_setting WHERE owner = %s AND kind = %s"
                           " AND key = %s", FILTER).fetchone()
    return None if row is None else row[0]


def test_an_item_changed_after_the_decision_is_decided_again(url: str) -> None:
    decisions: list[str] = []

    def standing(userid: str) -> tuple[Policy, OrgChart, Actor]:
        decisions.append(userid)
        if len(decisions) == 1:
            _meanwhile(url, "618大促")
        return Policy(), OrgChart({}, {}), Actor(userid, admin=True)

    settings = _settings(url, standing)
    settings.write(ALICE, [Change(*FILTER, "双11")])
    saved = settings.write(BOSS, [Change(*FILTER, "VIP")])
    assert decisions == ["boss", "boss"]
    items = saved["items"]
    assert isinstance(items, list) and [item["value"] for item in items] == ["VIP"]
    assert _value(url) == "VIP"


def test_an_item_that_keeps_changing_refuses_the_request_and_saves_nothing(url: str) -> None:
    decisions: list[str] = []

    def standing(userid: str) -> tuple[Policy, OrgChart, Actor]:
        decisions.append(userid)
        _meanwhile(url, f"改动 {len(decisions)}")
        return Policy(), OrgChart({}, {}), Actor(userid, admin=True)

    settings = _settings(url, standing)
    settings.write(ALICE, [Change(*FILTER, "双11")])
    with pytest.raises(RequestRefused) as refused:
        settings.write(BOSS, [Change("", "saved_filter", "另一个", "VIP"),
                              Change(*FILTER, "VIP")])
    assert refused.value.errcode == TEAM_REQUEST_REFUSED
    assert refused.value.errmsg.endswith(" / These team settings are being changed by someone"
                                         " else at the same time; try again later")
    assert len(decisions) == CHECK_ATTEMPTS
    assert _value(url) == f"改动 {CHECK_ATTEMPTS}"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM team_setting WHERE key = '另一个'"
                            ).fetchone() == (0,)
