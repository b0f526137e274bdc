"""Periodic jobs that run once per period across every server process on one database.

A :class:`Job` is a name, a period and a function. Each process runs a :class:`Scheduler`
thread that looks at its jobs a few times per period; to run one it takes a session advisory
lock on the job's name (so no two processes run it at the same time, and a process that dies
mid-run frees it) and then claims the period in `scheduled_job` on PostgreSQL's clock (so the
process that comes second in the same period finds it already run). The function runs while
the lock is held; `scheduled_job` records the last start, end, process, outcome and the
number of runs.

    scheduler = Scheduler(connection, process_id, [Job("outbox-recovery", 30, recover)])
    scheduler.start()  ...  scheduler.stop()
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg

from desktop.server.db_health import Conn, ConnectionFactory

log = logging.getLogger("tagdesk.server")

# Advisory lock class of jobs (two-int form: (JOB_LOCK_CLASS, hashtext(name))).
JOB_LOCK_CLASS = 0x7A6D_0004
SHORTEST_TICK_S = 0.1
RETRY_FAILED_S = 10.0     # a failed or unfinished run is tried again this soon
LONGEST_TICK_S = 5.0


def held(conn: Conn, name: str) -> bool:
    """Whether some process is running job `name` now (it holds the job's lock)."""
    row = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = %s::int::oid AND objid = hashtext(%s)::oid",
        (JOB_LOCK_CLASS, name)).fetchone()
    return row is not None and int(str(row[0])) > 0


@dataclass(frozen=True)
class Job:
    name: str
    every_s: float
    run: Callable[[], object]

    def __post_init__(self) -> None:
        if self.every_s <= 0:
            raise ValueError("a job's period must be positive")


class Scheduler:
    def __init__(self, connection: ConnectionFactory, process_id: int,
                 jobs: Sequence[Job]) -> None:
        self._connection = connection
        self._process_id = process_id
        self._jobs = tuple(jobs)
        shortest = min((job.every_s for job in self._jobs), default=LONGEST_TICK_S)
        self._tick_s = max(SHORTEST_TICK_S, min(LONGEST_TICK_S, shortest / 4))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._jobs:
            self._thread = threading.Thread(target=self._loop, name="tagdesk-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop looking for due jobs; waits for a running one to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def run_due(self) -> list[str]:
        """Run every job whose period is due and that no other process is running; their names."""
        ran = []
        for job in self._jobs:
            if self._stop.is_set():
                break
            try:
                if self._run_if_due(job):
                    ran.append(job.name)
            except psycopg.Error as exc:
                log.warning("job %s not run: team database unavailable (%s)", job.name,
                            type(exc).__name__)
        return ran

    def _loop(self) -> None:
        while not self._stop.wait(self._tick_s):
            self.run_due()

    def _run_if_due(self, job: Job) -> bool:
        with self._connection() as conn:
            row = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                               (JOB_LOCK_CLASS, job.name)).fetchone()
            if row is None or not row[0]:
                return False
            try:
                if not self._claim(conn, job):
                    return False
                ok = self._run(job)
                conn.execute(
                    "UPDATE scheduled_job SET last_finished_at = now(), last_ok = %s"
                    " WHERE name = %s", (ok, job.name))
                return True
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                             (JOB_LOCK_CLASS, job.name))

    def _claim(self, conn: Conn, job: Job) -> bool:
        """Mark this period of `job` as started by this process, unless it already was. A run
        that failed or never finished (the database went away under it, its process died) is
        tried again after `RETRY_FAILED_S`, not a whole period later."""
        conn.execute("INSERT INTO scheduled_job (name) VALUES (%s) ON CONFLICT DO NOTHING",
                     (job.name,))
        row = conn.execute(
            "UPDATE scheduled_job SET last_started_at = now(), last_process = %s,"
            " runs = runs + 1 WHERE name = %s AND (last_started_at IS NULL"
            " OR last_started_at <= now() - make_interval(secs => %s)"
            " OR ((last_ok IS NOT TRUE OR last_finished_at IS NULL"
            "      OR last_finished_at < last_started_at)"
            "     AND last_started_at <= now() - make_interval(secs => %s))) RETURNING runs",
            (self._process_id, job.name, job.every_s, min(job.every_s, RETRY_FAILED_S)),
        ).fetchone()
        return row is not None

    def _run(self, job: Job) -> bool:
        try:
            job.run()
        except Exception:
            log.exception("job %s failed", job.name)
            return False
        return True
