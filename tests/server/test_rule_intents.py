"""The chat intents a team rules' run gives its relations, read from the team's chats in
PostgreSQL with the team's keywords and the bundled intent packs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import psycopg
import pytest

from desktop.server import team_chats
from desktop.server.database import migrate
from desktop.server.rule_intents import intents, team_keywords
from desktop.server.team_training import team_tagger
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration

INVOICE, OTHER, ELSEWHERE = "wmInvoice01", "wmOther01", "wmElsewhere01"


@pytest.fixture(scope="module")
def conn(postgres: PostgresCluster) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    url = postgres.new_database()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as connection:
        with connection.transaction():
            team_chats.push(connection, "seller", {"messages": [
                _said(INVOICE, "zhangsan", "in", "税号稍后发你", 1),
                _said(INVOICE, "lisi", "in", "好的，谢谢", 2),
                _said(OTHER, "zhangsan", "in", "请问什么时候发货？", 3),
                _said(OTHER, "zhangsan", "out", "发票随货寄出", 4),
                _said(ELSEWHERE, "zhangsan", "in", "麻烦开张发票", 5)]})
        yield connection


def _said(customer: str, userid: str, direction: str, text: str, n: int) -> dict[str, object]:
    return {"time": 1_780_000_000 + n, "userid": userid, "external_userid": customer,
            "direction": direction, "text": text}


def _keywords(conn: psycopg.Connection[tuple[object, ...]], words: str | None) -> None:
    conn.execute("DELETE FROM team_setting WHERE kind = 'autotag_keywords'")
    if words is not None:
        conn.execute("INSERT INTO team_setting (owner, kind, key, value, version, updated_by)"
                     " VALUES ('', 'autotag_keywords', '开票需求', %s::jsonb, 1, 'admin')",
                     (f'["{words}"]',))


def test_a_customers_own_message_to_a_member_gives_that_relation_the_intent(
        conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """税号 is no keyword: the 开票需求 pack finds it. A member's 发票 counts for nothing, nor
    do customers the run does not evaluate."""
    _keywords(conn, "发票")
    assert intents(conn, {INVOICE, OTHER}) == {(INVOICE, "zhangsan"): frozenset({"开票需求"})}


def test_without_keywords_intents_match_no_one(
        conn: psycopg.Connection[tuple[object, ...]], caplog: pytest.LogCaptureFixture) -> None:
    _keywords(conn, None)
    assert intents(conn, {INVOICE, OTHER, ELSEWHERE}) == {}
    assert "no tag has auto-tagging keywords" in caplog.text


def test_the_trained_engine_is_kept_until_what_it_learns_from_or_the_keywords_change(
        conn: psycopg.Connection[tuple[object, ...]], caplog: pytest.LogCaptureFixture) -> None:
    _keywords(conn, "发票")
    keywords = team_keywords(conn)
    first = team_tagger(conn, keywords)
    assert team_tagger(conn, keywords) is first
    conn.execute("INSERT INTO autotag_review (operator, external_userid, userid, tag_name,"
                 " verdict, msg_keys) SELECT 'boss', external_userid, userid, '开票需求',"
                 " 'rejected', ARRAY[msg_key] FROM chat_message WHERE external_userid = %s",
                 (ELSEWHERE,))
    with caplog.at_level(logging.INFO, logger="tagdesk.server.rules"):
        again = team_tagger(conn, keywords)
    assert again is not first
    assert "intent engine trained on 1 messages of 1 customers" in caplog.text
    assert team_tagger(conn, keywords) is again
    with conn.transaction():      # a customer it does not learn from: nothing to train again
        team_chats.push(conn, "seller", {"messages": [
            _said("wmNewcomer01", "zhangsan", "in", "麻烦开张发票", 9)]})
    assert team_tagger(conn, keywords) is again
    _keywords(conn, "税号")
    assert team_tagger(conn, team_keywords(conn)) is not again
