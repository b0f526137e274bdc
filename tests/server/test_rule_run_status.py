"""What the Rules window and `rules list` say of the team server's runs: the newest
*finished* run, and the batch of a run under way by a live process — a run that has just
started never hides the last one (it did: `rules list` printed "running" and its JSON had
no `finished_at` whenever it landed during a scheduled run)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from desktop.server.database import migrate
from desktop.server.jobs import JOB_LOCK_CLASS
from desktop.server.team_rules import JOB_NAME, last_run
from tests.server.team_support import PostgresCluster

pytestmark = pytest.mark.integration


@pytest.fixture
def db_url(postgres: PostgresCluster) -> Iterator[str]:
    url = postgres.new_database()
    migrate(url)
    yield url


def _run(conn: psycopg.Connection[tuple[object, ...]], batch: str, process: int,
         finished: bool) -> None:
    conn.execute(
        "INSERT INTO team_rule_run (batch_id, process, finished_at, changed, applied)"
        " VALUES (%s, %s, CASE WHEN %s THEN now() END, 3, 3)", (batch, process, finished))


def test_the_last_finished_run_is_shown_with_the_run_under_way(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn, \
            psycopg.connect(db_url, autocommit=True) as scheduler:
        assert last_run(conn) is None
        _run(conn, "rule-first", 1, finished=True)
        _run(conn, "rule-second", 1, finished=False)
        scheduler.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (JOB_LOCK_CLASS, JOB_NAME))
        shown = last_run(conn)
        assert shown is not None
        assert (shown["batch_id"], shown["applied"]) == ("rule-first", 3)
        assert shown["finished_at"] is not None
        assert shown["running_now"] == "rule-second"

        scheduler.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                          (JOB_LOCK_CLASS, JOB_NAME))   # its process died mid-run
        shown = last_run(conn)
        assert shown is not None and shown["batch_id"] == "rule-first"
        assert shown["running_now"] is None
