"""Audit use cases for supervisors: read, export and revert what the journal records.

The GUI viewer and `tagdesk audit ...` share everything here: time specs such as
`24h` or `2025-03-01`, the JSON shape of a row, the before / after diff of a row,
the formula-safe export, and reverting a batch (or one operator's changes in a
time range) through the same outbox path as any other write, pilot first.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop.domain.bilingual import both, half, inner, shown
from desktop.domain.errors import UserError
from desktop.domain.filter.dates import parse_date_range
from desktop.domain.retag_plan import AppliedChange, RetagPlan, Skipped, plan_inverse
from desktop.services.progress import CancelToken, ProgressCallback, no_progress
from desktop.services.xlsx_safe import Column, Value, write_table
from desktop.store import chats, members, outbox
from desktop.store.db import Cache
from desktop.store.in_chunks import chunks, placeholders
from desktop.store.journal_query import (
    CALLBACK,
    JournalFilter,
    JournalRow,
    applied_changes,
)

if TYPE_CHECKING:
    from desktop.services.tagging import BatchResult, TaggingService


class JournalReader(Protocol):
    """What these use cases read from a journal (`journal_reader` has this computer's and
    the team server's)."""

    @property
    def remote(self) -> bool: ...

    def iter_rows(self, flt: JournalFilter) -> Iterator[JournalRow]: ...

    def sorted_ids(self, flt: JournalFilter, order_by: str,
                   descending: bool) -> Sequence[int]: ...

    def load_rows(self, ids: Sequence[int]) -> list[JournalRow]: ...

    def applied_changes(self, flt: JournalFilter) -> list[AppliedChange]: ...


ACTIONS: dict[str, tuple[str, str]] = {
    "tag_add": ("添加标签", "tag added"),
    "tag_remove": ("移除标签", "tag removed"),
    "tag_create": ("新建标签", "tag created"),
    "tag_rename": ("重命名标签", "tag renamed"),
    "tag_delete": ("删除标签", "tag deleted"),
    "tag_reorder": ("调整标签顺序", "tags reordered"),
    "group_create": ("新建标签组", "group created"),
    "group_rename": ("重命名标签组", "group renamed"),
    "group_delete": ("删除标签组", "group deleted"),
    "group_reorder": ("调整标签组顺序", "groups reordered"),
    "tag_restore": ("恢复已删除的标签", "deleted tag restored"),
    "customer_add": ("添加客户", "customer added"),
    "customer_delete": ("删除客户", "customer deleted"),
    "exclusive_set_add": ("新增互斥标签组", "exclusive set added"),
    "exclusive_set_remove": ("删除互斥标签组", "exclusive set removed"),
    "abbreviation_set": ("设置缩写", "abbreviation set"),
    "saved_filter_save": ("保存团队筛选", "team filter saved"),
    "saved_filter_remove": ("删除团队筛选", "team filter deleted"),
    "suggested_favourites_set": ("设置团队推荐的常用标签", "suggested favourites set"),
    "autotag_keywords_set": ("设置自动打标关键词", "auto-tagging keywords set"),
    "autotag_keywords_remove": ("删除自动打标关键词", "auto-tagging keywords removed"),
    # governance on the team server (desktop/server/governance.py, approval_desk.py)
    "refused": ("团队服务器拒绝", "refused by the team server"),
    "policy_set": ("修改团队策略", "team policy changed"),
    "approval_requested": ("提交删除/改名申请", "approval requested"),
    "approval_approved": ("批准申请", "request approved"),
    "approval_rejected": ("驳回申请", "request rejected"),
    "approval_expired": ("申请过期", "request expired"),
    "approval_gone": ("申请关闭（标签已不存在）", "request closed (tag gone)"),
    "approval_failed": ("申请执行失败", "request failed"),
    "approval_restored": ("从申请快照恢复", "restored from a request's snapshot"),
    "approval_withdrawn": ("撤回申请", "request withdrawn"),
    # team rules on the team server (desktop/server/team_rules.py)
    "rule_added": ("新增团队规则", "team rule added"),
    "rule_replaced": ("修改团队规则", "team rule changed"),
    "rule_enabled": ("启用团队规则", "team rule enabled"),
    "rule_disabled": ("停用团队规则", "team rule disabled"),
    "rule_removed": ("删除团队规则", "team rule removed"),
    # other writes the team server relays, journaled under their API path (server/relay.py)
    "externalcontact/edit_corp_tag": ("修改标签或标签组", "tag or group edited"),
    "externalcontact/edit_strategy_tag": ("修改规则组标签", "rule-group tag edited"),
    "externalcontact/customer_strategy/edit": ("修改规则组", "rule group edited"),
    "externalcontact/customer_strategy/del": ("删除规则组", "rule group deleted"),
    "externalcontact/add_contact_way": ("新建活码", "live code created"),
    "externalcontact/update_contact_way": ("修改活码", "live code changed"),
    "externalcontact/del_contact_way": ("删除活码", "live code deleted"),
    "message/send": ("发送应用消息", "app message sent"),
}
SOURCES: dict[str, tuple[str, str]] = {
    "app": ("手动", "by hand"),
    "batch": ("批量", "batch"),
    "import": ("导入", "import"),
    "rule": ("规则", "rule"),
    "migration": ("迁移", "migration"),
    "autotag": ("自动打标", "auto-tagging"),
    "restore": ("恢复标签", "tag restore"),
    "reconcile": ("订单对账", "order reconciliation"),
    "expiry": ("标签到期", "tag expiry"),
    "livecode": ("活码", "live code"),
    "pretag": ("预打标签", "pre-tag"),
    "undo": ("撤销", "undo"),
    "redo": ("重做", "redo"),
    "revert": ("回滚", "revert"),
    "observed": ("同步发现", "seen at sync"),
    "callback": ("手机端（企业微信回调）", "on a phone (WeCom callback)"),
    "tree": ("标签库编辑", "tag library edit"),   # from the tree or `tagdesk tags` alike
    "governance": ("标签治理", "governance"),
    "relay": ("经团队服务器", "through the team server"),
    "settings": ("团队设置", "team settings"),
}
REVERTIBLE_SOURCES = ("app", "batch", "import", "rule", "migration", "autotag", "undo",
                      "redo", "revert", "relay", "restore", "reconcile", "expiry", "livecode",
                      "pretag")
# Who made a change seen at sync: WeCom does not say (a phone, the admin console, another tool).
UNKNOWN_OPERATOR = "企业微信客户端 / unknown, seen at sync"
# Who made a change a WeCom callback reported: WeCom names the relation only, not the person.
CALLBACK_OPERATOR = "企业微信客户端 / a WeCom client (callback)"
ROWS_PER_READ = 1000

EXPORT_COLUMNS = (
    Column("id", "日志行号（哈希链中的位置）", "row number in the hash chain", 9),
    Column("ts", "时间（本地时间）", "time (local)", 20),
    Column("operator", "操作人的企业微信账号", "WeCom userid of who made the change"),
    Column("operator_name", "操作人姓名", "name of who made the change"),
    Column("action", "动作：tag_add 添加、tag_remove 移除、tag_rename 重命名等",
           "action: tag_add, tag_remove, tag_rename, ..."),
    Column("source", "来源：app 手动、batch 批量、import 导入、autotag 自动打标、undo 撤销、"
           "revert 回滚、observed 同步时发现、tree 标签库编辑",
           "source: app, batch, import, autotag, undo, revert, observed (seen at sync), tree"),
    Column("batch_id", "批次编号（可用于回滚）", "batch id (what `audit revert` takes)", 22),
    Column("external_userid", "客户的 external_userid", "the customer's external_userid", 24),
    Column("customer", "客户名称（当前）", "customer name (as now known)", 18),
    Column("userid", "跟进成员（标签所在的客户关系）", "member whose follow relation carries the tag"),
    Column("owner_name", "跟进成员姓名", "that member's name"),
    Column("tag_id", "标签 ID", "tag id", 24),
    Column("tag_name", "标签名（变更时）", "tag name at the time", 16),
    Column("group_name", "标签组名（变更时）", "tag group name at the time", 16),
    Column("before", "变更前（JSON：客户关系上的标签 ID，或旧名称 / 顺序）",
           "before (JSON: tag ids on the relation, or the old name / order)", 30),
    Column("after", "变更后（JSON）", "after (JSON)", 30),
    Column("reason", "原因", "reason", 30),
    Column("probable_operator", "同步时发现的变更：可能的操作人（客户关系的跟进成员）",
           "changes seen at sync: the probable operator (the relation's follower)"),
    Column("seen_after", "同步时发现的变更：发生在此时间（上次同步）之后、ts 之前",
           "changes seen at sync: made after this time (the previous sync) and before ts", 20),
)

_RELATIVE = re.compile(r"(\d+)\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class TimeSpecError(UserError, ValueError):
    """A `--since` / `--until` value that is neither a span nor a date; "中文 / English"."""


class RevertError(UserError):
    """A revert that cannot be done as asked; `str()` is "中文 / English"."""


# -- time ----------------------------------------------------------------------------------


def parse_time(text: str, *, end: bool = False, now: float | None = None) -> float:
    """`24h`, `90m`, `7d`, `2w` (that long ago), a date (its start, or with `end` the start
    of the next day, so `--until 2025-03-31` includes the 31st) or a local date and time."""
    spec = text.strip()
    relative = _RELATIVE.fullmatch(spec)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return (time.time() if now is None else now) - amount * _UNITS[unit]
    day = parse_date_range(spec)
    if day is not None:
        moment = datetime.combine(day.end if end else day.first, datetime.min.time())
        return moment.timestamp()
    try:
        return datetime.fromisoformat(spec).timestamp()
    except ValueError:
        raise TimeSpecError(
            f"无法识别的时间：{text!r}（例如 24h、7d、2025-03-01、2025-03-01 08:30）"
            f" / Not a time: {text!r} (e.g. 24h, 7d, 2025-03-01, 2025-03-01 08:30)"
        ) from None


def iso_local(ts: float) -> str:
    """ISO 8601 in the local time zone, to the second."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def local_datetime(ts: float) -> datetime:
    """A naive local time to the second, as spreadsheets want it."""
    return datetime.fromtimestamp(round(ts))


# -- rows ------------------------------------------------------------------------------------


def decoded(text: str) -> object:
    """A before / after value as data (the journal stores JSON text)."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def row_json(row: JournalRow) -> dict[str, object]:
    """One row as `audit list --json` prints it (field names are an interface). A change
    seen at sync has operator "", its probable operator, and `seen_after` .. `ts`, the
    window in which it was made (`seen_after` is null when not known)."""
    return {
        "id": row.id, "ts": iso_local(row.ts), "operator": row.operator, "action": row.action,
        "source": row.source, "batch_id": row.batch_id, "external_userid": row.external_userid,
        "customer": row.customer, "userid": row.userid, "tag_id": row.tag_id,
        "tag_name": row.tag_name, "group_name": row.group_name, "before": decoded(row.before),
        "after": decoded(row.after), "reason": row.reason,
        "probable_operator": row.probable_operator,
        "seen_after": iso_local(row.seen_after) if row.seen_after else None,
    }


def operator_text(row: JournalRow) -> str:
    """Who made the change, for people: name and userid, or the unknown client of a change
    seen at sync with its probable operator."""
    if row.observed:
        probable = row.probable_operator
        name = row.owner_name if probable == row.userid else ""
        who = f"{name} ({probable})" if name and name != probable else probable
        unknown = CALLBACK_OPERATOR if row.source == CALLBACK else UNKNOWN_OPERATOR
        return f"{unknown}（可能是 / probably {who}）" if who else unknown
    return row.operator_name or row.operator


def time_text(row: JournalRow) -> str:
    """When: the time, or for a change seen at sync the window it was made in."""
    if row.observed and row.seen_after:
        return f"{iso_local(row.seen_after)} – {iso_local(row.ts)}"
    return iso_local(row.ts)


def label(table: dict[str, tuple[str, str]], key: str) -> str:
    """"中文 English" for an action or source (the key itself when unknown)."""
    names = table.get(key)
    return f"{names[0]} {names[1]}" if names else key


@dataclass(frozen=True)
class ChangeDetail:
    """What one row changed, readable: tag names added / removed on the relation, or the
    fields of a tree edit (name, order) with their old and new values."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    fields: tuple[tuple[str, str, str], ...] = ()   # (field, before, after)


def change_detail(cache: Cache, row: JournalRow) -> ChangeDetail:
    before, after = decoded(row.before), decoded(row.after)
    if isinstance(before, list) and isinstance(after, list):
        old, new = {str(t) for t in before}, {str(t) for t in after}
        names = tag_names(cache, old | new)
        names.setdefault(row.tag_id, row.tag_name)

        def named(ids: Iterable[str]) -> tuple[str, ...]:
            return tuple(sorted(names.get(i, i) for i in ids))

        return ChangeDetail(named(new - old), named(old - new), named(old & new))
    old_fields = before if isinstance(before, dict) else {}
    new_fields = after if isinstance(after, dict) else {}
    keys = sorted({*old_fields, *new_fields})
    return ChangeDetail(fields=tuple(
        (key, _text(old_fields.get(key)), _text(new_fields.get(key))) for key in keys
    ))


def tag_names(cache: Cache, tag_ids: Iterable[str]) -> dict[str, str]:
    """tag id -> its name in the cache (deleted tags included)."""
    ids = sorted(set(tag_ids))
    if not ids:
        return {}
    marks = placeholders(ids)
    return dict(cache.connection().execute(
        f"SELECT id, name FROM tag WHERE id IN ({marks})", ids).fetchall())


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# -- export ----------------------------------------------------------------------------------


def export_values(row: JournalRow, english: bool = False) -> list[Value]:
    """A row of the export; its reason in one language (the Chinese half unless `english`)."""
    return [
        row.id, local_datetime(row.ts), row.operator,
        UNKNOWN_OPERATOR if row.observed else row.operator_name, row.action,
        row.source, row.batch_id, row.external_userid, row.customer, row.userid,
        row.owner_name, row.tag_id, row.tag_name, row.group_name, row.before, row.after,
        shown(row.reason, english), row.probable_operator,
        local_datetime(row.seen_after) if row.observed and row.seen_after else None,
    ]


def export_journal(reader: JournalReader, flt: JournalFilter, path: Path,
                   order_by: str = "time", descending: bool = False,
                   english: bool = False) -> int:
    """Write the matching rows, oldest first or in `sorted_rows`' order, to an .xlsx (with a
    sheet explaining the columns) or a .csv, reasons in the UI language (`english`); returns
    how many rows were written."""
    return write_table(path, EXPORT_COLUMNS,
                       (export_values(row, english) for row in sorted_rows(
                           reader, flt, order_by, descending)),
                       sheet_title="审计日志 audit log")


def sorted_rows(reader: JournalReader, flt: JournalFilter, order_by: str = "time",
                descending: bool = False) -> Iterator[JournalRow]:
    """The matching rows oldest first, or ordered by one of the reader's `sort_keys` (ties
    newest first; people and customers by name), read a thousand at a time."""
    if order_by == "time" and not descending:
        yield from reader.iter_rows(flt)
        return
    ids = reader.sorted_ids(flt, order_by, descending)
    for part in chunks(ids, ROWS_PER_READ):
        yield from reader.load_rows(part)


# -- revert ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevertPreview:
    """What a revert would restore, and what it cannot (changed again since, relation gone)."""

    origin: str              # what is reverted, readable: a batch id, or operator + time range
    plan: RetagPlan
    skipped: tuple[Skipped, ...]
    customer_names: dict[str, str]
    reverts: str = ""        # the batch reverted (empty for an operator's changes in a period)
    owner_names: dict[str, str] = field(default_factory=dict)   # userid → name

    @property
    def restorable(self) -> int:
        return self.plan.api_calls

    def owner(self, userid: str) -> str:
        """The relation's owner as the journal's people columns show one: 张三 (zhangsan)."""
        name = self.owner_names.get(userid)
        return f"{name} ({userid})" if name else userid

    def as_json(self) -> dict[str, object]:
        return {
            "origin": self.origin, "restore": self.restorable, "skipped": len(self.skipped),
            "restore_relations": [
                {"external_userid": c.external_userid, "userid": c.userid,
                 "customer": self.customer_names.get(c.external_userid, ""),
                 "owner": self.owner_names.get(c.userid, ""),
                 "add": list(c.add), "remove": list(c.remove)}
                for c in self.plan.changes
            ],
            "skipped_relations": [
                {"external_userid": s.external_userid, "userid": s.userid,
                 "customer": self.customer_names.get(s.external_userid, ""),
                 "owner": self.owner_names.get(s.userid, ""),
                 "reason": s.reason}
                for s in self.skipped
            ],
        }


@dataclass(frozen=True)
class RevertOutcome:
    batch_id: str
    pilot: BatchResult | None     # None when the plan was small enough to run at once
    result: BatchResult
    stopped_after_pilot: bool


def preview_batch_revert(cache: Cache, tagging: TaggingService, batch_id: str,
                         reader: JournalReader | None = None) -> RevertPreview:
    """What reverting `batch_id` restores. The team journal (a remote `reader`) knows every
    desktop's batches; this computer's outbox only its own."""
    origin = f"批次 {batch_id} / batch {batch_id}"
    if reader is None or not reader.remote:
        plan, skipped = tagging.plan_undo(batch_id)
        return _preview(cache, origin, plan, skipped, batch_id)
    applied = reader.applied_changes(JournalFilter(batch_ids=(batch_id,)))
    if not applied:
        raise RevertError(f"团队日志中没有批次 {batch_id} 的标签更改。"
                          f" / The team journal has no tag changes in batch {batch_id}.")
    plan, skipped = _inverse_now(cache, tagging, applied)
    return _preview(cache, origin, plan, skipped, batch_id)


def preview_range_revert(
    cache: Cache, operator: str, since: float, until: float | None = None, *,
    reader: JournalReader | None = None, tagging: TaggingService | None = None,
) -> RevertPreview:
    """Revert what `operator` did to customers' tags in [since, until): their own rows only
    (changes seen at sync and tag-tree edits are not theirs to revert). With a remote
    `reader` the rows are the team journal's and `tagging` re-reads the relations first."""
    flt = JournalFilter(since=since, until=until, operators=(operator,),
                        sources=REVERTIBLE_SOURCES)
    if reader is not None and reader.remote:
        plan, skipped = _inverse_now(cache, tagging, reader.applied_changes(flt))
    else:
        applied = applied_changes(cache, flt)
        current = outbox.relation_states_by_key(
            cache, [(a.external_userid, a.userid) for a in applied])
        plan, skipped = plan_inverse(applied, current, outbox.live_tag_ids(cache))
    span = f"{iso_local(since)} – {iso_local(until) if until is not None else '…'}"
    return _preview(cache, f"{operator} {span}", plan, skipped)


def _inverse_now(cache: Cache, tagging: TaggingService | None,
                 applied: Sequence[AppliedChange]) -> tuple[RetagPlan, list[Skipped]]:
    """The inverse of team journal changes against the relations as WeCom has them now:
    another desktop made them, so this cache may not have seen their latest state."""
    keys = [(a.external_userid, a.userid) for a in applied]
    current = outbox.relation_states_by_key(cache, keys)
    if tagging is not None and current:
        tagging.refresh_from_wecom(sorted(s.relation_id for s in current.values()))
        current = outbox.relation_states_by_key(cache, keys)
    return plan_inverse(applied, current, outbox.live_tag_ids(cache))


def revert_description(origin: str) -> str:
    """"回滚 批次 X / revert batch X" from a one- or two-language origin."""
    return both(f"回滚 {half(origin, english=False)}", f"revert {inner(half(origin, english=True))}")


def revert_pilot(preview: RevertPreview, pilot_size: int) -> int:
    """The pilot a revert runs first: none when the whole revert is no bigger than it."""
    return pilot_size if 0 < pilot_size < preview.plan.api_calls else 0


def run_revert(
    tagging: TaggingService,
    preview: RevertPreview,
    *,
    pilot_size: int,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    go_on: Callable[[BatchResult], bool] = lambda pilot: not pilot.failed,
) -> RevertOutcome:
    """Queue the revert (journaled with source `revert`, itself revertible), run the pilot,
    and run the rest when `go_on(pilot result)` agrees (by default: no pilot call failed)."""
    if not preview.plan.changes:
        raise RevertError("没有可以回滚的更改。 / There is nothing to revert.")
    pilot = revert_pilot(preview, pilot_size)
    batch_id = tagging.submit(preview.plan, source="revert", pilot_size=pilot,
                              description=revert_description(preview.origin),
                              reverts=preview.reverts)
    first = tagging.run(batch_id, progress=progress, cancel=cancel)
    if not pilot or first.pending == 0:
        return RevertOutcome(batch_id, None, first, stopped_after_pilot=False)
    if first.status == outbox.CANCELLED or not go_on(first):
        return RevertOutcome(batch_id, first, first, stopped_after_pilot=True)
    rest = tagging.run(batch_id, progress=progress, cancel=cancel)
    return RevertOutcome(batch_id, first, rest, stopped_after_pilot=False)


def _preview(
    cache: Cache, origin: str, plan: RetagPlan, skipped: Sequence[Skipped], reverts: str = ""
) -> RevertPreview:
    customers = {c.external_userid for c in plan.changes} | {s.external_userid for s in skipped}
    return RevertPreview(origin, plan, tuple(skipped), chats.customer_names(cache, customers),
                         reverts, members.member_names(cache))


# -- reports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagCount:
    tag_id: str
    tag_name: str
    group_name: str
    relations: int


@dataclass(frozen=True)
class DaySeries:
    """Journal rows per local day and source, zero-filled so a chart has every day."""

    days: tuple[str, ...]                      # ISO dates, oldest first
    counts: dict[str, tuple[int, ...]]          # source -> one count per day


@dataclass(frozen=True)
class OperatorCount:
    operator: str
    name: str
    changes: int


@dataclass(frozen=True)
class ExclusiveConflict:
    set_name: str
    tag_names: tuple[str, ...]
    relations: int
    customers: int


@dataclass(frozen=True)
class Health:
    customers: int
    untagged_customers: int      # no corp or rule-group tag on any of their relations
    relations: int
    untagged_relations: int
    conflicts: tuple[ExclusiveConflict, ...]


def relations_per_tag(cache: Cache, *, top: int = 20, group_id: str = "") -> list[TagCount]:
    """Tags by how many follow relations carry them: the `top` overall, or one group's."""
    where = "t.deleted = 0" + (" AND t.group_id = ?" if group_id else "")
    rows = cache.connection().execute(
        "SELECT t.id, t.name, g.name, count(rt.relation_id) AS n FROM tag t"
        " JOIN tag_group g ON g.id = t.group_id LEFT JOIN relation_tag rt ON rt.tag_pk = t.pk"
        f" WHERE {where} GROUP BY t.pk ORDER BY n DESC, t.name COLLATE pinyin LIMIT ?",
        [*([group_id] if group_id else []), top if top > 0 else -1],
    )
    return [TagCount(*row) for row in rows]


def tag_groups(cache: Cache) -> list[tuple[str, str]]:
    """Live tag groups as (id, name), in WeCom's order."""
    return [(row[0], row[1]) for row in cache.connection().execute(
        "SELECT id, name FROM tag_group WHERE deleted = 0"
        " ORDER BY sort_order DESC, name COLLATE pinyin")]


def changes_per_day(cache: Cache, since: float, until: float,
                    owners: Sequence[str] | None = None) -> DaySeries:
    """Journal rows per local day and source; with `owners`, only those on their relations
    (a department's members': `journal_query.department_members`)."""
    if owners is not None and not owners:
        return day_series(since, until, [])
    rows = cache.connection().execute(
        "SELECT date(ts, 'unixepoch', 'localtime') AS day, source, count(*) FROM journal"
        f" WHERE ts >= ? AND ts < ?{_owned(owners)} GROUP BY day, source",
        (since, until, *(owners or ())),
    ).fetchall()
    return day_series(since, until, rows)


def day_series(since: float, until: float,
               rows: Iterable[tuple[str, str, int]]) -> DaySeries:
    """Counts per (ISO local day, source) as a zero-filled series over [since, until)."""
    first = datetime.fromtimestamp(since).date()
    last = datetime.fromtimestamp(max(since, until - 1)).date()
    days = tuple((first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1))
    index = {day: i for i, day in enumerate(days)}
    counts: dict[str, list[int]] = {}
    for day, source, n in rows:
        if day in index:
            counts.setdefault(source, [0] * len(days))[index[day]] += n
    return DaySeries(days, {source: tuple(values) for source, values in sorted(counts.items())})


def changes_per_operator(
    cache: Cache, since: float, until: float, *, top: int = 15,
    owners: Sequence[str] | None = None,
) -> list[OperatorCount]:
    """Tag changes per person (with `owners`, on their relations only). Changes seen at sync
    were made on phones or by other tools, not by whoever synced, so they are left out."""
    if owners is not None and not owners:
        return []
    rows = cache.connection().execute(
        "SELECT j.operator, coalesce(m.name, j.operator), count(*) AS n FROM journal j"
        " LEFT JOIN member m ON m.userid = j.operator WHERE j.ts >= ? AND j.ts < ?"
        f" AND j.source != 'observed'{_owned(owners, 'j.')} GROUP BY j.operator"
        " ORDER BY n DESC, j.operator LIMIT ?",
        (since, until, *(owners or ()), top),
    )
    return [OperatorCount(*row) for row in rows]


def _owned(owners: Sequence[str] | None, table: str = "") -> str:
    """The SQL that keeps the rows on `owners`' relations (nothing when None)."""
    return f" AND {table}userid IN ({placeholders(owners)})" if owners else ""


def managed_departments(cache: Cache, userid: str,
                        also: Iterable[int] = ()) -> list[tuple[int, str]]:
    """(id, name) of the departments `userid` leads in WeCom's directory, and of `also` (a
    team's branches, or every department for an administrator), in the directory's order."""
    extra = sorted(set(also))
    rows = cache.connection().execute(
        "SELECT d.id, d.name FROM department d WHERE d.id IN (SELECT department_id FROM"
        " member_department WHERE userid = ? AND is_leader = 1)"
        f" OR d.id IN ({placeholders(extra)}) ORDER BY d.sort_order DESC, d.id",
        (userid, *extra)).fetchall()
    return [(int(i), str(n)) for i, n in rows]


def health(cache: Cache) -> Health:
    conn = cache.connection()
    customers, untagged = conn.execute(
        "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM relation r JOIN relation_tag rt"
        " ON rt.relation_id = r.id WHERE r.external_userid = c.external_userid)), 0)"
        " FROM customer c").fetchone()
    relations, untagged_relations = conn.execute(
        "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM relation_tag rt"
        " WHERE rt.relation_id = r.id)), 0) FROM relation r").fetchone()
    conflicts = []
    for set_name, tag_ids_json in conn.execute("SELECT name, tag_ids FROM exclusive_set ORDER BY id"):
        tag_ids = sorted(set(json.loads(tag_ids_json)))
        marks = placeholders(tag_ids)
        hit_relations, hit_customers = conn.execute(
            "SELECT count(*), count(DISTINCT r.external_userid) FROM relation r WHERE r.id IN"
            " (SELECT rt.relation_id FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
            f" WHERE t.id IN ({marks}) GROUP BY rt.relation_id HAVING count(*) >= 2)",
            tag_ids).fetchone()
        names = tag_names(cache, tag_ids)
        conflicts.append(ExclusiveConflict(set_name, tuple(names.get(t, t) for t in tag_ids),
                                           hit_relations, hit_customers))
    return Health(customers, untagged, relations, untagged_relations, tuple(conflicts))
