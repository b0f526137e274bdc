"""`POST /tagdesk/v1/reconcile/run`: a team administrator starts the order reconciliation now
instead of waiting for its period.

The run takes the scheduled job's advisory lock (desktop/server/jobs.py), so it never overlaps
a scheduled run or another "run now" in any server process: while one holds the lock the
request gets 409. It runs on its own thread, so the request answers at once; the desktop
follows it with `GET /tagdesk/v1/reconcile/status` (`running`, then `last_run`). Claiming the
period as the scheduler does moves the next scheduled run one interval on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection

from desktop.server.db_health import Conn, ConnectionFactory
from desktop.server.identity import Caller
from desktop.server.jobs import JOB_LOCK_CLASS
from desktop.server.reconcile_job import ReconcileJob
from desktop.server.reconcile_schema import JOB_NAME
from desktop.server.request_refused import RequestRefused
from desktop.wecom.error_codes import TEAM_NOT_ALLOWED, TEAM_REQUEST_REFUSED

log = logging.getLogger("tagdesk.server.reconcile")


class RunRefused(RequestRefused):
    """Answer with this HTTP status, errcode and "中文 / English" sentence."""

    def __init__(self, status: int, errcode: int, errmsg: str) -> None:
        super().__init__(errcode, errmsg, status)


class ReconcileNow:
    def __init__(self, connection: ConnectionFactory, job: ReconcileJob | None,
                 admins: Collection[str], process_id: int) -> None:
        self._connection = connection
        self._job = job
        self._admins = frozenset(admins)
        self._process_id = process_id
        self._thread: threading.Thread | None = None

    def start(self, caller: Caller) -> dict[str, object]:
        """Start a run for `caller`, or RunRefused (403 not an admin, 409 one runs)."""
        if caller.userid not in self._admins:
            raise RunRefused(403, TEAM_NOT_ALLOWED, "只有团队管理员可以立即运行订单对账 / Only a"
                                                    " team administrator may run the order"
                                                    " reconciliation now")
        if self._job is None:
            raise RunRefused(400, TEAM_REQUEST_REFUSED, (
                "团队服务器没有配置订单对账（启动时加 --reconcile-tag 和 --reconcile-orders） / The"
                " team server does not reconcile orders (start it with --reconcile-tag and"
                " --reconcile-orders)"))
        locked = threading.Event()
        outcome: list[bool | BaseException] = []
        thread = threading.Thread(target=self._run, args=(self._job, caller.userid, locked,
                                                          outcome),
                                  name="tagdesk-reconcile-now", daemon=True)
        thread.start()
        locked.wait()
        first = outcome[0] if outcome else False
        if isinstance(first, BaseException):
            raise first
        if not first:
            raise RunRefused(409, TEAM_REQUEST_REFUSED, "订单对账正在运行，请等它结束后再试 / An"
                                                        " order reconciliation is running; try"
                                                        " again once it has finished")
        self._thread = thread
        log.info("order reconciliation started now by %s", caller.userid)
        return {"started": True}

    def wait(self) -> None:
        """Let a run started now finish (the server is stopping)."""
        if self._thread is not None:
            self._thread.join()

    def _run(self, job: ReconcileJob, userid: str, locked: threading.Event,
             outcome: list[bool | BaseException]) -> None:
        try:
            with self._connection() as conn:
                held = _try_lock(conn)
                outcome.append(held)
                locked.set()
                if held:
                    try:
                        self._claim(conn)
                        job.run(started_by=userid)
                        conn.execute("UPDATE scheduled_job SET last_finished_at = now(),"
                                     " last_ok = true WHERE name = %s", (JOB_NAME,))
                    finally:
                        conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                                     (JOB_LOCK_CLASS, JOB_NAME))
        except Exception as exc:  # on its own thread: told to the request, or logged
            if locked.is_set():
                log.exception("order reconciliation started now failed")
            else:
                outcome.append(exc)
        finally:
            locked.set()

    def _claim(self, conn: Conn) -> None:
        conn.execute("INSERT INTO scheduled_job (name) VALUES (%s) ON CONFLICT DO NOTHING",
                     (JOB_NAME,))
        conn.execute("UPDATE scheduled_job SET last_started_at = now(), last_process = %s,"
                     " runs = runs + 1 WHERE name = %s", (self._process_id, JOB_NAME))


def _try_lock(conn: Conn) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                       (JOB_LOCK_CLASS, JOB_NAME)).fetchone()
    return row is not None and bool(row[0])
