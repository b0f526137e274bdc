"""Retagging use cases: plan → preview → (pilot) → outbox → runner, and undo from the journal.

Everything that writes tags to WeCom goes through here, for the GUI and the CLI alike:
`plan` reads the cache and builds a pure `RetagPlan`; `submit` queues the whole plan in one
transaction before any call; `run` sends what is pending (the first rows only for a pilot),
and can be run again after a crash, a cancel or a failed-row requeue to finish the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.bilingual import both, half, inner
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.filter.suggest import NameSuggester, fold
from desktop.domain.retag_plan import (
    PlanError,
    RetagPlan,
    Skipped,
    estimate_seconds,
    format_duration,
    plan_inverse,
    plan_retag,
)
from desktop.domain.retag_plan import plan_toggle as plan_toggle_pure
from desktop.services.changes import ChangeSet
from desktop.services.outbox_runner import OutboxRunner, RunTally
from desktop.services.progress import (
    CancelToken,
    Progress,
    ProgressCallback,
    WaitReporter,
    no_progress,
)
from desktop.services.sync import PageItems, heaviest_first, read_relations
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.store.outbox import BatchRecord, RowFailure, TagRecord
from desktop.store.snapshot import LAST_SYNC_KEY, replace_relation_tags

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient

log = logging.getLogger("tagdesk.services.tagging")

PHASE = "retag"
PROGRESS_EVERY_S = 0.25
_MIN_ROWS_FOR_RATE = 5


class TaggingError(UserError):
    """A retag request that cannot be carried out as asked; `str()` is "中文 / English"."""


class UnknownTagError(TaggingError):
    def __init__(self, name: str, nearest: Sequence[str]) -> None:
        hint_zh = f"，是否要找：{'、'.join(nearest)}" if nearest else ""
        hint_en = f"; did you mean: {', '.join(nearest)}" if nearest else ""
        shown = echo(name)
        super().__init__(f"没有名为「{shown}」的标签{hint_zh}。 / No tag named {shown!r}{hint_en}.")
        self.name = name
        self.nearest = list(nearest)


class AmbiguousTagError(TaggingError):
    def __init__(self, name: str, choices: Sequence[str]) -> None:
        listed = "、".join(choices)
        super().__init__(
            f"有多个名为「{echo(name)}」的标签，请写成「组:名」：{listed}。"
            f" / Several tags are named {echo(name)!r}; write group:name, one of: {', '.join(choices)}."
        )
        self.choices = list(choices)


class BatchNotFoundError(TaggingError):
    def __init__(self, batch_id: str) -> None:
        shown = echo(batch_id)
        super().__init__(f"没有编号为 {shown} 的批量任务。 / No batch with id {shown}.")


class BatchRunningError(TaggingError):
    def __init__(self, batch_id: str) -> None:
        super().__init__(f"批量任务 {batch_id} 正在运行。 / Batch {batch_id} is already running.")


@dataclass(frozen=True)
class BatchInfo:
    """A batch as listed: header and row counts."""

    id: str
    created_at: float
    operator: str
    source: str
    description: str
    status: str
    pilot_size: int
    total: int
    pending: int
    applied: int
    failed: int
    skipped: int

    @classmethod
    def of(cls, record: BatchRecord) -> BatchInfo:
        c = record.counts
        return cls(record.id, record.created_at, record.operator, record.source,
                   record.description, record.status, record.pilot_size, c.total, c.pending,
                   c.applied, c.failed, c.skipped)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "created_at": round(self.created_at, 3), "operator": self.operator,
            "source": self.source, "description": self.description, "status": self.status,
            "pilot_size": self.pilot_size, "total": self.total, "pending": self.pending,
            "applied": self.applied, "failed": self.failed, "skipped": self.skipped,
        }


@dataclass(frozen=True)
class BatchResult:
    """Where a batch stands after a run. Counts are for the whole batch; `api_calls` and
    `elapsed_s` for this run. `stop_reason` says why a run stopped before the end."""

    batch_id: str
    planned: int
    applied: int
    skipped: int
    failed: int
    api_calls: int
    elapsed_s: float
    status: str
    changes: ChangeSet
    failures: list[RowFailure]
    pending: int = 0
    stop_reason: str = ""
    rate_limit_pauses: int = 0   # 45009 pauses this run's calls waited out

    def as_json(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id, "status": self.status, "planned": self.planned,
            "applied": self.applied, "skipped": self.skipped, "failed": self.failed,
            "pending": self.pending, "api_calls": self.api_calls,
            "elapsed_s": round(self.elapsed_s, 3), "stop_reason": self.stop_reason,
            "rate_limit_pauses": self.rate_limit_pauses,
        }


class TaggingService:
    """Retag, toggle, undo and batch bookkeeping for one open workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._cache = ws.cache

    # -- planning -------------------------------------------------------------------------

    def plan(
        self,
        relation_ids: Sequence[int],
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        replace_group: str | None = None,
        allow_conflicts: bool = False,
    ) -> RetagPlan:
        """The calls needed to add/remove these tag ids on these relations (cache state).
        `replace_group` is a group id: its other tags present on a relation are removed."""
        catalogue = outbox.tag_catalogue(self._cache)
        self._check_known(catalogue, [*add, *remove])
        group_tags = None
        if replace_group is not None:
            group_tags = [t.id for t in catalogue if t.group_id == replace_group]
            if not group_tags:
                raise TaggingError(
                    f"没有编号为 {replace_group} 的标签组。 / No tag group with id {replace_group}."
                )
        current = outbox.relation_states(self._cache, relation_ids)
        try:
            return plan_retag(current, add, remove, group_tags,
                              outbox.exclusive_sets(self._cache), allow_conflicts)
        except PlanError as exc:
            raise TaggingError(str(exc)) from None

    def plan_toggle(self, relation_ids: Sequence[int], tag_id: str) -> RetagPlan:
        """All carry the tag → remove it from all; otherwise add it where missing."""
        self._check_known(outbox.tag_catalogue(self._cache), [tag_id])
        current = outbox.relation_states(self._cache, relation_ids)
        return plan_toggle_pure(current, tag_id, outbox.exclusive_sets(self._cache))

    def plan_undo(self, batch_id: str) -> tuple[RetagPlan, list[Skipped]]:
        """The inverse of what `batch_id` did, where relations still carry what it left."""
        self._record(batch_id)
        applied = outbox.batch_changes(self._cache, batch_id)
        current = outbox.relation_states_by_key(
            self._cache, [(a.external_userid, a.userid) for a in applied])
        return plan_inverse(applied, current, outbox.live_tag_ids(self._cache))

    def refresh_from_wecom(
        self, relation_ids: Sequence[int], *, progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> ChangeSet:
        """Re-read the corp tags of these relations from WeCom before planning on them.

        Pages batch/get_by_user for their owners only (about one call per 100 of the owners'
        relations), then updates just these relations in the cache; what changed on phones
        since the last sync is journaled as `observed`. The fix for planning on a stale cache
        without a full sync."""
        states = outbox.relation_states(self._cache, relation_ids)
        wanted = {(s.external_userid, s.userid) for s in states.values()}
        owners = heaviest_first(self._cache, sorted({s.userid for s in states.values()}))
        fetched: dict[tuple[str, str], tuple[str, ...]] = {}

        def keep_wanted(items: PageItems) -> None:
            fetched.update(((c.external_userid, f.userid), f.tag_ids) for c, f in items
                           if (c.external_userid, f.userid) in wanted)

        cancel = cancel or CancelToken()
        reporter = WaitReporter(progress)
        with self._ws.client(cancel_event=cancel.event, on_wait=reporter.on_wait) as client:
            read_relations(client, keep_wanted, owners, reporter, cancel,
                           self._ws.profile.max_concurrency)
        changed = replace_relation_tags(self._cache, fetched)
        return ChangeSet(relation_ids=frozenset(changed), journal_appended=bool(changed))

    def cache_age_s(self) -> float | None:
        """Seconds since the last sync (None before the first one)."""
        stamp = self._cache.get_meta(LAST_SYNC_KEY)
        return max(0.0, time.time() - float(stamp)) if stamp else None

    def stale_cache_note(self, plan: RetagPlan) -> tuple[str, str] | None:
        """(zh, en) when the plan was made from a cache older than STALE_AFTER_S.

        Plans compare against the cached tags: a tag changed on a phone since the last
        sync is missing from the preview, so an add counted as "already tagged" or a
        replace (重标) that misses a new tag would surprise the user. Syncing first fixes it.
        """
        age = self.cache_age_s()
        if not plan.api_calls or age is None or age < STALE_AFTER_S:
            return None
        minutes = int(age // 60)
        return (f"本地缓存已 {minutes} 分钟未同步：此后在手机上改过的标签不在预览中，建议先同步"
                f"（F5 / tagdesk sync）。",
                f"The local cache was last synced {minutes} min ago: tags changed on phones since"
                f" then are not in this preview; sync first (F5 / tagdesk sync).")

    def call_budget(self) -> tuple[int, int]:
        """(calls a minute, calls at a time) a batch can expect (`Workspace.call_budget`)."""
        return self._ws.call_budget()

    def estimate_seconds(self, plan: RetagPlan) -> float:
        """ETA at the call budget, the team server's on a team profile (see
        `estimate_seconds`)."""
        return estimate_seconds(plan.api_calls, *self._ws.call_budget())

    def resolve_tag_names(self, names: Sequence[str]) -> list[str]:
        """Tag names (or ids) → ids. "组:名" picks the tag in one group; an unknown name
        raises with the nearest names, a name used in several groups lists the choices."""
        catalogue = outbox.tag_catalogue(self._cache)
        return [resolve_in(catalogue, name.strip()) for name in names if name.strip()]

    def tag_labels(self) -> dict[str, str]:
        """Tag id → "组:名", for previews."""
        return {t.id: t.label for t in outbox.tag_catalogue(self._cache)}

    def resolve_group_name(self, name: str) -> str:
        """A tag group's name (or id) → its id."""
        catalogue = outbox.tag_catalogue(self._cache)
        wanted = fold(name)
        ids = list(dict.fromkeys(
            t.group_id for t in catalogue if t.group_id == name or fold(t.group_name) == wanted))
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise TaggingError(
                f"有多个名为「{echo(name)}」的标签组，请改用组编号：{'、'.join(ids)}。"
                f" / Several tag groups are named {echo(name)!r}; use a group id: {', '.join(ids)}."
            )
        nearest = NameSuggester(t.group_name for t in catalogue).nearest(name, limit=3)
        hint = f"，是否要找：{'、'.join(nearest)}" if nearest else ""
        hint_en = f"; did you mean: {', '.join(nearest)}" if nearest else ""
        shown = echo(name)
        raise TaggingError(f"没有名为「{shown}」的标签组{hint}。 / No tag group named {shown!r}"
                           f"{hint_en}.")

    # -- queueing and running ----------------------------------------------------------------

    def submit(self, plan: RetagPlan, *, source: str = "app", description: str = "",
               pilot_size: int = 0, reverts: str = "") -> str:
        """Write the whole plan to the outbox in one transaction; returns the batch id.
        `reverts`: the batch this one reverts or undoes (a team server journals the link); its
        runner marks the auto-tagging suggestions whose tags it takes off reverted."""
        summary: dict[str, object] = {
            "planned": plan.api_calls, "skipped_noop": plan.skipped_noop,
            "conflicts": plan.conflicting_relations, "conflicts_allowed": plan.conflicts_allowed,
            "per_tag_add": plan.per_tag_add, "per_tag_remove": plan.per_tag_remove,
        }
        if reverts:
            summary["reverts"] = reverts
        batch_id = outbox.create_batch(
            self._cache, plan.changes, operator=self._ws.operator, source=source,
            description=description, pilot_size=min(pilot_size, plan.api_calls),
            summary=summary,
        )
        log.info("batch %s queued: %d calls (source %s)", batch_id, plan.api_calls, source)
        return batch_id

    def run(
        self,
        batch_id: str,
        *,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        limit: int | None = None,
        pause: threading.Event | None = None,
    ) -> BatchResult:
        """Send the batch's pending rows (a pilot batch: only the rest of its pilot).

        Returns when every row is settled, the pilot or `limit` is done, the user cancelled
        (the rest stays pending, status 'cancelled'), or a run-wide problem stopped it
        (status 'paused', `stop_reason` says why). Run it again to finish the rest.
        """
        key = (self._cache.path.resolve(), batch_id)
        with _running_lock:
            if key in _running:
                raise BatchRunningError(batch_id)
            _running.add(key)
        try:
            return self._run(batch_id, progress, cancel, limit, pause)
        finally:
            with _running_lock:
                _running.discard(key)

    def _run(self, batch_id: str, progress: ProgressCallback, cancel: CancelToken | None,
             limit: int | None, pause: threading.Event | None) -> BatchResult:
        record = self._record(batch_id)
        started = time.monotonic()
        in_pilot = record.status == outbox.PILOT
        if in_pilot:
            pilot_left = max(0, record.pilot_size - (record.counts.total - record.counts.pending))
            limit = pilot_left if limit is None else min(limit, pilot_left)
        rows = outbox.pending_rows(self._cache, batch_id, limit)
        if not rows:
            return self._finish(batch_id, started, RunTally(), None, in_pilot, cancelled=False)
        outbox.set_status(self._cache, batch_id, outbox.PILOT if in_pilot else outbox.RUNNING)
        stop = threading.Event()
        settled_before = record.counts.total - record.counts.pending
        reporter = WaitReporter(progress, Progress(PHASE, settled_before, record.counts.total))
        client = self._ws.client(cancel_event=stop, on_wait=reporter.on_wait)
        runner = OutboxRunner(
            self._cache, client, operator=record.operator or self._ws.operator,
            source=record.source, concurrency=self._ws.profile.max_concurrency,
            stop=stop, pause=pause, reverts=str(record.summary.get("reverts", "")),
        )
        watch = _Watch(runner, self._ws.call_budget(), reporter, started, len(rows),
                       settled_before, record.counts.total,
                       (record.counts.applied, record.counts.failed),
                       client.limiter.pause_remaining)
        workers: list[threading.Thread] = []
        try:
            workers = runner.start(rows)
            cancelled = watch.until_done(workers, stop, cancel)
        except KeyboardInterrupt:
            stop.set()
            for worker in workers:
                worker.join()
            self._finish(batch_id, started, runner.tally, client, in_pilot,
                         cancelled=True, unsent=len(rows) - runner.tally.settled)
            raise
        finally:
            client.close()
        interrupted = cancelled and cancel is not None and cancel.interrupted
        return self._finish(batch_id, started, runner.tally, client, in_pilot,
                            cancelled=cancelled and not interrupted,
                            unsent=len(rows) - runner.tally.settled,
                            stop_reason=INTERRUPTED if interrupted else "")

    def retry_failed(self, batch_id: str) -> int:
        """Put the batch's failed rows back in the queue; `run` sends them again."""
        record = self._record(batch_id)
        count = outbox.requeue_failed(self._cache, batch_id)
        if count and record.status == outbox.DONE:
            outbox.set_status(self._cache, batch_id, outbox.PAUSED)
        return count

    # -- listing ------------------------------------------------------------------------------

    def batches(self) -> list[BatchInfo]:
        """Every batch, newest first."""
        return [BatchInfo.of(r) for r in outbox.list_batches(self._cache)]

    def unfinished_batches(self) -> list[BatchInfo]:
        """Batches a crash or a pause left with pending rows (cancelled ones are not offered)."""
        return [b for b in self.batches() if b.status in outbox.ACTIVE and b.pending]

    def batch(self, batch_id: str) -> BatchInfo:
        return BatchInfo.of(self._record(batch_id))

    def failures(self, batch_id: str) -> list[RowFailure]:
        return outbox.failures(self._cache, batch_id)

    # -- internals ----------------------------------------------------------------------------

    def _record(self, batch_id: str) -> BatchRecord:
        record = outbox.get_batch(self._cache, batch_id)
        if record is None:
            raise BatchNotFoundError(batch_id)
        return record

    def _check_known(self, catalogue: list[TagRecord], tag_ids: Sequence[str]) -> None:
        known = {t.id for t in catalogue}
        for tag_id in tag_ids:
            if tag_id not in known:
                raise TaggingError(
                    f"标签 {tag_id} 不在本地标签库中，请先同步。"
                    f" / Tag {tag_id} is not in the local tag library; sync first."
                )

    def _finish(self, batch_id: str, started: float, tally: RunTally,
                client: WeComClient | None, in_pilot: bool, *, cancelled: bool, unsent: int = 0,
                stop_reason: str = "") -> BatchResult:
        """Set the batch's status after a run and sum it up. `unsent` = rows of this run
        still pending (a pilot stays a pilot until all its rows are through)."""
        counts = outbox.counts(self._cache, batch_id)
        stop_reason = stop_reason or tally.stop_reason
        if cancelled:
            status = outbox.CANCELLED
        elif counts.pending == 0:
            status = outbox.DONE
        else:
            status = outbox.PILOT if in_pilot and unsent else outbox.PAUSED
            if unsent and not stop_reason:
                stop_reason = NOT_SENT
        outbox.set_status(self._cache, batch_id, status)
        log.info("batch %s %s: %d applied, %d failed, %d skipped, %d pending", batch_id, status,
                 counts.applied, counts.failed, counts.skipped, counts.pending)
        return BatchResult(
            batch_id=batch_id, planned=counts.total, applied=counts.applied,
            skipped=counts.skipped, failed=counts.failed,
            api_calls=client.api_calls if client is not None else 0,
            elapsed_s=time.monotonic() - started, status=status,
            changes=ChangeSet(relation_ids=frozenset(tally.changed),
                              journal_appended=bool(tally.changed), batch_id=batch_id),
            failures=self.failures(batch_id), pending=counts.pending, stop_reason=stop_reason,
            rate_limit_pauses=client.rate_limit_pauses if client is not None else 0,
        )


_running: set[tuple[Path, str]] = set()  # batches being run in this process
_running_lock = threading.Lock()

STALE_AFTER_S = 15 * 60
"""A plan from a cache older than this carries a "sync first" note."""
INTERRUPTED = ("TagDesk 关闭时批次尚未完成，下次启动时会提示继续。"
               " / TagDesk closed before the batch finished; the next start offers to resume it.")
NOT_SENT = ("部分调用暂时无法完成，已保留待稍后继续。"
            " / Some calls could not be completed for now; they stay queued for a later resume.")


class _Watch:
    """The calling thread's part of a run: wait for workers, relay cancel, report progress.

    The ETA counts the 45009 pause under way and leaves the pauses gone by out of the rate:
    it said 2 s beside "resuming in 51 s", and 7 min for 290 calls once a pause was over."""

    def __init__(self, runner: OutboxRunner, budget: tuple[int, int], progress: ProgressCallback,
                 started: float, this_run: int, settled_before: int, batch_total: int,
                 earlier: tuple[int, int], pause_left: Callable[[], float]) -> None:
        self._runner = runner
        self._budget = budget          # (calls a minute, at a time): Workspace.call_budget
        self._progress = progress
        self._started = started
        self._this_run = this_run
        self._settled_before = settled_before
        self._batch_total = batch_total
        self._earlier = earlier        # (applied, failed) by earlier runs: the pilot, a resume
        self._pause_left = pause_left
        self._paused_s = 0.0           # time spent in 45009 pauses so far
        self._looked = started

    def until_done(self, workers: list[threading.Thread], stop: threading.Event,
                   cancel: CancelToken | None) -> bool:
        cancelled = False
        last_report = 0.0
        while any(w.is_alive() for w in workers):
            for worker in workers:
                worker.join(PROGRESS_EVERY_S / len(workers))
            if cancel is not None and cancel.cancelled and not cancelled:
                cancelled = True
                stop.set()
            now = time.monotonic()
            if self._pause_left() > 0:
                self._paused_s += now - self._looked
            self._looked = now
            if now - last_report >= PROGRESS_EVERY_S:
                last_report = now
                self._report()
        self._report()
        return cancelled

    def _report(self) -> None:
        tally = self._runner.tally
        elapsed = max(time.monotonic() - self._started, 1e-6)
        done, remaining = tally.settled, self._this_run - tally.settled
        sending = max(elapsed - self._paused_s, 1e-6)
        if done >= _MIN_ROWS_FOR_RATE:
            eta = remaining / (done / sending)
        else:
            eta = estimate_seconds(remaining, *self._budget)
        if remaining:
            eta += self._pause_left()
        rate, limit = calls_per_minute(tally.applied + tally.failed, elapsed), self._budget[0]
        overall = self._settled_before + done
        applied, failed = self._earlier[0] + tally.applied, self._earlier[1] + tally.failed
        zh = (f"{'已暂停 · ' if self._runner.paused else ''}成功 {applied:,} · 失败 "
              f"{failed:,} · {rate:,}/{limit:,} 次/分 · 剩余约"
              f" {format_duration(eta, english=False)}")
        en = (f"{'paused · ' if self._runner.paused else ''}applied {applied:,} · failed "
              f"{failed:,} · {rate:,}/{limit:,} calls/min · ETA {format_duration(eta)}")
        self._progress(Progress(PHASE, overall, self._batch_total, f"{zh} / {en}"))




def toggle_description(name: str, count: int, *, removing: bool) -> str:
    """A toggle's batch description in both languages: "为 2 位客户添加 VIP / Add VIP to 2
    customers" (the undo menu says the same in the UI language)."""
    customers = "customer" if count == 1 else "customers"
    if removing:
        return both(f"为 {count:,} 位客户移除 {name}", f"remove {name} from {count:,} {customers}")
    return both(f"为 {count:,} 位客户添加 {name}", f"add {name} to {count:,} {customers}")


def inverse_description(description: str, source: str) -> str:
    """The description of an undo or redo (`source`) of a batch: "撤销 … / Undo …"."""
    zh, en = ("撤销", "undo") if source == "undo" else ("重做", "redo")
    return both(f"{zh} {half(description, english=False)}",
                f"{en} {inner(half(description, english=True))}")


def calls_per_minute(calls: int, elapsed_s: float) -> int:
    """The rate the profile's limit is measured in: calls in the last minute.

    A run shorter than a minute has made all its calls within one minute, so the
    count itself is the rate (extrapolating a 2-second burst gave "15893 calls/min"
    against a 6000 limit that was never exceeded); longer runs use the average.
    """
    if elapsed_s < 60:
        return calls
    return round(calls / elapsed_s * 60)


def resolve_in(catalogue: Sequence[TagRecord], name: str) -> str:
    """A tag's name, "组:名" or id → its id in this catalogue (raises a TaggingError)."""
    by_id = [t for t in catalogue if t.id == name]
    if by_id:
        return by_id[0].id
    matches = [t for t in catalogue if fold(t.name) == fold(name)]
    if not matches:
        for colon in (":", "："):
            if colon in name:
                group, _, tag = name.partition(colon)
                matches = [t for t in catalogue if fold(t.group_name) == fold(group)
                           and fold(t.name) == fold(tag)]
                if matches:
                    break
    if len(matches) == 1:
        return matches[0].id
    if matches:
        raise AmbiguousTagError(name, [f"{t.group_name}:{t.name}" for t in matches])
    names = [t.name for t in catalogue] + [f"{t.group_name}:{t.name}" for t in catalogue]
    raise UnknownTagError(name, NameSuggester(names).nearest(name, limit=3))
