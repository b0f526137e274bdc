"""Keyset paging of the records desktops fetch: oldest first, a full page names the id to ask
after next, a short one ends; limits are clamped."""

from __future__ import annotations

import psycopg
import pytest

from desktop.server import paging, team_chats
from desktop.server.database import migrate
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration


def test_pages_follow_ids_and_a_short_page_ends_the_listing(postgres: PostgresCluster) -> None:
    url = postgres.new_database()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction():
            team_chats.push(conn, "seller", {"messages": [
                {"time": 1_780_000_000 + n, "userid": "zhangsan", "external_userid": "wmPage01",
                 "direction": "in", "text": f"第{n}条"} for n in range(5)]})
        fields = {"said": "text"}
        first = paging.after_id(conn, "chat_message", fields, "messages", 0, 2, 3)
        assert [m["said"] for m in first["messages"]] == ["第0条", "第1条"]
        assert first["next_after_id"] == first["messages"][-1]["id"]
        second = paging.after_id(conn, "chat_message", fields, "messages",
                                 first["next_after_id"], 2, 3)
        assert [m["said"] for m in second["messages"]] == ["第2条", "第3条"]
        last = paging.after_id(conn, "chat_message", fields, "messages",
                               second["next_after_id"], 2, 3)
        assert [m["said"] for m in last["messages"]] == ["第4条"]
        assert last["next_after_id"] is None
        assert len(paging.after_id(conn, "chat_message", fields, "messages", 0, 50, 3)
                   ["messages"]) == 3
        assert len(paging.after_id(conn, "chat_message", fields, "messages", 0, 0, 3)
                   ["messages"]) == 1
