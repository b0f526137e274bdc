"""Order reconciliation as a team server job: every `--reconcile-interval` seconds, once
across the server processes (desktop/server/jobs.py), read the orders from the configured
source (desktop/server/order_sources.py), compare them with the server's snapshot of every
relation's tags (desktop/server/snapshot.py) and fix both kinds of mismatch as one batch.

Each fix is one `mark_tag` through the relay's outbox (the team's one WeCom budget), journaled
under source `reconcile`, operator `tagdesk-server`, one batch id per run, so a desktop's team
audit reverts it like any batch. A run applies nothing, and records why, when the source
cannot be read, has unreadable rows, names a tag the server does not know, or would change
more than `--reconcile-max-changes` relations. A relation that carries a tag the team's
exclusive sets forbid beside the paid one does not get it (listed with the run). Before the
first re-sync there is no snapshot to compare with, and no run. Every run is a row of
`reconcile_run` (result, counts, the first 50 errors; kept 90 days), which
`GET /tagdesk/v1/reconcile/status` answers with the next run's time.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from psycopg.types.json import Jsonb

from desktop.domain.bilingual import both
from desktop.domain.reconcile import Mismatch, Reconciliation, RelationMark, reconcile
from desktop.server import jobs, order_sources, snapshot
from desktop.server.db_health import Conn, ConnectionFactory
from desktop.server.identity import Caller
from desktop.server.outbox_recovery import MARK_TAG
from desktop.server.reconcile_schema import JOB_NAME
from desktop.server.relay import Relay
from desktop.server.shared_settings import TEAM
from desktop.services.orders import OrdersError
from desktop.wecom.errors import WeComNetworkError
from desktop.wecom.write_note import WriteNote

log = logging.getLogger("tagdesk.server.reconcile")

SOURCE = "reconcile"
OPERATOR = "tagdesk-server"
ERRORS_KEPT = 50
UNKNOWN_KEPT = 50
KEPT_DAYS = 90
RUNS_SHOWN = 10

# What a run's `result` says: the first three changed what they should, the rest nothing.
APPLIED, PARTLY_APPLIED, IN_STEP = "applied", "partly_applied", "in_step"
BAD_ROWS, SOURCE_ERROR, TOO_MANY = "bad_rows", "source_error", "too_many_changes"
TAG_UNKNOWN, NO_SNAPSHOT = "tag_unknown", "no_snapshot"
INTERRUPTED = "interrupted"     # its process stopped mid-run (its writes are journaled)


@dataclass(frozen=True)
class ReconcileConfig:
    tag: str                  # the paid tag: an id, 组:名, or a name
    orders: str               # a file path, an http(s) URL, or postgresql:QUERY
    orders_db: str            # where a postgresql: query runs
    interval_s: float = 600.0
    max_changes: int = 500    # a run changing more relations applies nothing ...
    max_share: float = 0.0    # ... or, when above 0, more than this share of all relations
    workers: int = 2          # mark_tag calls in flight (customers written at once)

    def limit(self, relations: int) -> int:
        return math.ceil(self.max_share * relations) if self.max_share else self.max_changes

    @property
    def limit_text(self) -> str:
        return f"{self.max_share:.0%}" if self.max_share else f"{self.max_changes:,}"


@dataclass
class _Outcome:
    result: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)
    batch_id: str = ""
    unknown: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class _Relation:
    userid: str
    external_userid: str
    tag_ids: tuple[str, ...]


class ReconcileJob:
    def __init__(self, connection: ConnectionFactory, relay: Relay, config: ReconcileConfig,
                 process_id: int) -> None:
        self._connection = connection
        self._relay = relay
        self._config = config
        self._process_id = process_id

    def run(self, started_by: str = "") -> str:
        """One reconciliation (`started_by`: the administrator who asked for it now, "" on
        schedule); its result (see the constants above). Before the first re-sync
        there is nothing to compare with: the period is given back, so the next look at the
        jobs (any process's) tries again, and no run is recorded."""
        with self._connection() as conn:
            if not snapshot.has_baseline(conn):
                conn.execute("UPDATE scheduled_job SET last_started_at = NULL WHERE name = %s",
                             (JOB_NAME,))
                log.debug("reconciliation waits for the first re-sync")
                return NO_SNAPSHOT
            # The job's lock is ours: a run still marked running died with its process.
            conn.execute("UPDATE reconcile_run SET result = %s, finished_at = now()"
                         " WHERE result = 'running'", (INTERRUPTED,))
            conn.execute("DELETE FROM reconcile_run WHERE started_at < now() - make_interval("
                         "days => %s)", (KEPT_DAYS,))
            row = conn.execute(
                "INSERT INTO reconcile_run (process, source, tag, started_by)"
                " VALUES (%s, %s, %s, %s) RETURNING id",
                (self._process_id, order_sources.shown(self._config.orders), self._config.tag,
                 started_by)).fetchone()
        assert row is not None
        run_id = int(str(row[0]))
        try:
            outcome = self._reconcile(run_id)
        except OrdersError as exc:
            outcome = _Outcome(SOURCE_ERROR, errors=[{"problem": str(exc)}])
        with self._connection() as conn:
            conn.execute(
                "UPDATE reconcile_run SET finished_at = now(), result = %s, batch_id = %s,"
                " counts = %s, errors = %s, unknown = %s WHERE id = %s",
                (outcome.result, outcome.batch_id, Jsonb(outcome.counts),
                 Jsonb(outcome.errors[:ERRORS_KEPT]), Jsonb(outcome.unknown[:UNKNOWN_KEPT]),
                 run_id))
        log.info("reconciliation run %d: %s %s", run_id, outcome.result, outcome.counts)
        return outcome.result

    def _reconcile(self, run_id: int) -> _Outcome:
        with self._connection() as conn:
            tag_id, problem = _resolve(snapshot.corp_tags(conn), self._config.tag)
            if tag_id is None:
                return _Outcome(TAG_UNKNOWN, errors=[{"problem": problem}])
        feed = order_sources.read(self._config.orders, self._config.orders_db)
        counts = {"orders": len(feed.orders), "bad_rows": len(feed.bad)}
        if feed.bad:
            return _Outcome(BAD_ROWS, counts, [bad.as_json() for bad in feed.bad])
        with self._connection() as conn:
            relations = _relations(conn)
            exclusive = _exclusive_with(conn, tag_id)
        result = reconcile(feed.orders, [
            RelationMark(number, r.external_userid, r.userid, tag_id in r.tag_ids)
            for number, r in enumerate(relations)])
        counts |= _counts(result)
        unknown = [_unknown(m) for m in result.unknown[:UNKNOWN_KEPT]]
        adding = [relations[rid] for m in result.missing for rid in m.relation_ids]
        conflicts = [r for r in adding if exclusive & set(r.tag_ids)]
        clashing = set(conflicts)
        changes = [(r, True) for r in adding if r not in clashing] + [
            (relations[rid], False) for m in result.extra for rid in m.relation_ids]
        counts |= {"planned": len(changes), "conflicts": len(conflicts)}
        skipped = [_conflict(r, exclusive) for r in conflicts]
        limit = self._config.limit(len(relations))
        if len(changes) > limit:
            return _Outcome(TOO_MANY, counts | {"limit": limit}, unknown=unknown, errors=[{
                "problem": (
                f"这次要改 {len(changes):,} 个客户关系，超过上限 {self._config.limit_text}："
                "什么都没有改；请核对订单来源，或调高 --reconcile-max-changes。 / This run would"
                f" change {len(changes):,} relations, over the limit of"
                f" {self._config.limit_text}: nothing was changed; check the orders source,"
                " or raise --reconcile-max-changes.")}])
        if not changes:
            return _Outcome(IN_STEP, counts, skipped, unknown=unknown)
        outcome = self._apply(run_id, tag_id, changes, counts)
        outcome.errors.extend(skipped)
        outcome.unknown = unknown
        return outcome

    def _apply(self, run_id: int, tag_id: str, changes: list[tuple[_Relation, bool]],
               counts: dict[str, int]) -> _Outcome:
        """The changes, `workers` customers at a time (one customer's relations one after
        another: WeCom refuses two writes to one customer at once). WeCom out of reach stops
        the run: what was not sent is counted, and the next run finds it again."""
        batch_id = f"reconcile-{time.strftime('%Y%m%d-%H%M%S')}-{run_id}"
        shown = order_sources.shown(self._config.orders)
        note = WriteNote(batch_id=batch_id, source=SOURCE, reason=both(
            f"订单对账（{shown}）", f"order reconciliation ({shown})"))
        by_customer: dict[str, list[tuple[_Relation, bool]]] = defaultdict(list)
        for change in changes:
            by_customer[change[0].external_userid].append(change)
        unreachable = threading.Event()

        def write(group: list[tuple[_Relation, bool]]) -> list[dict[str, object]]:
            return [self._write(tag_id, relation, add, note, unreachable)
                    for relation, add in group]

        with ThreadPoolExecutor(self._config.workers, "tagdesk-reconcile") as pool:
            results = [r for group in pool.map(write, by_customer.values()) for r in group]
        errors = [r for r in results if r]
        not_sent = sum(1 for r in errors if r.get("errcode") is None)
        counts |= {"applied": len(results) - len(errors), "failed": len(errors) - not_sent,
                   "not_sent": not_sent}
        return _Outcome(PARTLY_APPLIED if errors else APPLIED, counts,
                        [r for r in errors if r.get("errcode") is not None], batch_id)

    def _write(self, tag_id: str, relation: _Relation, add: bool, note: WriteNote,
               unreachable: threading.Event) -> dict[str, object]:
        """One relation's mark_tag: {} when WeCom applied it, else what went wrong."""
        failure: dict[str, object] = {"userid": relation.userid,
                                      "external_userid": relation.external_userid}
        if unreachable.is_set():
            return failure
        body = {"userid": relation.userid, "external_userid": relation.external_userid,
                "add_tag" if add else "remove_tag": [tag_id]}
        try:
            answer = self._relay.write(Caller(OPERATOR, 0), MARK_TAG, body,
                                       replace(note, before=relation.tag_ids))
        except WeComNetworkError as err:
            unreachable.set()
            answer = {"errcode": -1, "errmsg": f"WeCom unreachable: {err.reason.value}"}
        if not answer.get("errcode"):
            return {}
        return failure | {"errcode": answer.get("errcode"),
                          "errmsg": str(answer.get("errmsg", ""))}


def status(conn: Conn, config: ReconcileConfig | None) -> dict[str, Any]:
    """What `GET /tagdesk/v1/reconcile/status` answers."""
    if config is None:
        return {"errcode": 0, "errmsg": "ok", "configured": False}
    rows = conn.execute(
        "SELECT id, extract(epoch FROM started_at), extract(epoch FROM finished_at), result,"
        " batch_id, counts, errors, source, tag, unknown, started_by FROM reconcile_run"
        " ORDER BY id DESC LIMIT %s",
        (RUNS_SHOWN,)).fetchall()
    started = conn.execute(
        "SELECT extract(epoch FROM last_started_at) FROM scheduled_job WHERE name = %s",
        (JOB_NAME,)).fetchone()
    runs = [_run_json(row) for row in rows]
    finished = [run for run in runs if run["result"] != "running"]
    next_run = (None if started is None or started[0] is None
                else round(float(str(started[0])) + config.interval_s, 3))
    return {"errcode": 0, "errmsg": "ok", "configured": True,
            "source": order_sources.shown(config.orders), "tag": config.tag,
            "interval_s": config.interval_s, "max_changes": config.max_changes,
            "max_share": config.max_share,
            "running": jobs.held(conn, JOB_NAME),
            "last_run": finished[0] if finished else None, "next_run": next_run,
            "recent": [{key: run[key] for key in ("id", "started_at", "result", "batch_id")}
                       for run in runs]}


def _run_json(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "started_at": _seconds(row[1]), "finished_at": _seconds(row[2]),
            "result": row[3], "batch_id": row[4], "counts": row[5], "errors": row[6],
            "source": row[7], "tag": row[8], "unknown": row[9], "started_by": row[10]}


def _unknown(mismatch: Mismatch) -> dict[str, object]:
    """A paying customer the server does not know, with the orders that say so."""
    return {"external_userid": mismatch.external_userid,
            "orders": [{"order_id": o.order_id, "line": o.line} for o in mismatch.orders]}


def _seconds(value: object) -> float | None:
    return None if value is None else round(float(str(value)), 3)


def _relations(conn: Conn) -> list[_Relation]:
    return [_Relation(str(userid), str(external_userid), tuple(snapshot.text_list(tag_ids)))
            for userid, external_userid, tag_ids in conn.execute(
                "SELECT userid, external_userid, tag_ids FROM relation_tag_snapshot"
                " ORDER BY userid, external_userid")]


def _exclusive_with(conn: Conn, tag_id: str) -> set[str]:
    """The tags the team's exclusive sets forbid beside `tag_id` on one relation."""
    found: set[str] = set()
    for (value,) in conn.execute(
            "SELECT value FROM team_setting WHERE owner = %s AND kind = 'exclusive_set'"
            " AND value IS NOT NULL", (TEAM,)):
        members = set(snapshot.text_list(value))
        if tag_id in members:
            found |= members - {tag_id}
    return found


def _conflict(relation: _Relation, exclusive: set[str]) -> dict[str, object]:
    carried = ", ".join(sorted(exclusive & set(relation.tag_ids)))
    return {"userid": relation.userid, "external_userid": relation.external_userid,
            "problem": f"带着与它互斥的标签（{carried}），没有加上。 / It carries a tag exclusive"
                       f" with it ({carried}); not added."}


def _counts(result: Reconciliation) -> dict[str, int]:
    return {
        "paid_customers": result.paid_customers, "tagged_customers": result.tagged_customers,
        "missing_customers": len(result.missing),
        "missing_relations": sum(len(m.relation_ids) for m in result.missing),
        "extra_customers": len(result.extra),
        "extra_relations": sum(len(m.relation_ids) for m in result.extra),
        "unknown_customers": len(result.unknown),
    }


def _resolve(tags: dict[str, snapshot.CorpTag], wanted: str) -> tuple[str | None, str]:
    """The tag id `wanted` names (an id, 组:名 or a name), or None and why not."""
    if wanted in tags:
        return wanted, ""
    group, _, name = wanted.replace("：", ":").rpartition(":")
    found = sorted(tag_id for tag_id, tag in tags.items()
                   if tag.name == name and (not group or tag.group_name == group))
    if len(found) == 1:
        return found[0], ""
    if found:
        groups = "、".join(sorted(tags[t].group_name for t in found))
        return None, (f"标签「{wanted}」在几个组里都有（{groups}）：请写成 组:名。 / The tag"
                      f" \"{wanted}\" is in several groups ({groups}): write it as GROUP:NAME.")
    return None, (f"企业微信里没有标签「{wanted}」（团队服务器最近一次同步所见）。 / WeCom has no"
                  f" tag \"{wanted}\" (as the team server last synced it).")
