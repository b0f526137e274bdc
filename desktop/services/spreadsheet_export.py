"""Spreadsheet export of customers (the current filter or a selection), ready to re-import.

Each row is one follow relation: what a person reads first (customer, company, owner, remark,
channel, added date, all tags, one column per chosen group), then the four import columns
(external_userid, owner_userid, and empty add_tags / remove_tags). Filling in add_tags or
remove_tags and importing the file changes exactly those relations: the export is the easiest
way to get the external_userid right.

Every text cell goes through `xlsx_safe`, so a customer who calls herself `=HYPERLINK(...)`
stays text. A tag name used in two groups is written as 组:名 so that it reads back as the
same tag.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.domain.filter.suggest import fold
from desktop.domain.tag_search import nearest_names
from desktop.services.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.services.spreadsheet_lookup import TagLookup
from desktop.services.spreadsheet_reader import (
    FIELD_ADD,
    FIELD_EXTERNAL_USERID,
    FIELD_OWNER,
    FIELD_REMOVE,
    HEADERS,
)
from desktop.services.xlsx_safe import Column, ExportError, Value, write_table
from desktop.store import outbox
from desktop.store.db import Cache
from desktop.store.relations import CHUNK, RelationView, load_relations

PHASE = "export"
TAG_SEPARATOR = "、"
SHEET_TITLE = "客户 Customers"

BASE_COLUMNS = (
    Column("客户 customer", "客户名称（微信昵称或企业微信姓名）", "Customer name", 18),
    Column("公司 company", "客户所在公司（优先用备注的公司）", "Customer's company (the remark's first)", 20),
    Column("跟进人 owner", "跟进该客户的成员姓名", "Name of the member who follows the customer", 12),
    Column("备注 remark", "成员给客户的备注", "The member's remark on the customer", 18),
    Column("渠道 channel", "客户通过的渠道活码（state）", "Channel (live-code state) the customer came from", 16),
    Column("添加时间 added", "成员添加客户的时间", "When the member added the customer", 19),
    Column("标签 tags", "该关系上的所有企业标签，以「、」分隔", "Every corp tag on the relation, separated by 、", 40),
)
IMPORT_COLUMNS = (
    Column(HEADERS[FIELD_EXTERNAL_USERID], "客户 ID，重新导入时使用，请勿修改",
           "Customer id used when importing back; do not edit", 36),
    Column(HEADERS[FIELD_OWNER], "跟进成员账号，重新导入时使用，请勿修改",
           "Member userid used when importing back; do not edit", 18),
    Column(HEADERS[FIELD_ADD], "填写要添加的标签后可直接导入（多个用 、 , ; 分隔）",
           "Fill in tags to add, then import this file (separate with 、 , ;)", 24),
    Column(HEADERS[FIELD_REMOVE], "填写要移除的标签后可直接导入",
           "Fill in tags to remove, then import this file", 24),
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    elapsed_s: float

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "rows": self.rows, "elapsed_s": round(self.elapsed_s, 3)}


def group_names(cache: Cache) -> list[str]:
    """Tag groups that can get a column of their own, as WeCom orders them."""
    return list(dict.fromkeys(t.group_name for t in outbox.tag_catalogue(cache)))


def export_relations(
    cache: Cache,
    relation_ids: Sequence[int],
    path: Path,
    *,
    groups: Sequence[str] = (),
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ExportResult:
    """Write these relations (in this order) to `path` (.xlsx), with a column per group."""
    started = time.monotonic()
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"请导出为 .xlsx 文件：{path.name}"
                          f" / Export to an .xlsx file: {path.name}")
    chosen = _resolve_groups(cache, groups)
    tags = TagLookup(cache)
    columns = [*BASE_COLUMNS,
               *(Column(name, f"「{name}」组的标签", f"Tags of the group {name}", 16)
                 for name in chosen),
               *IMPORT_COLUMNS]
    rows = _rows(cache, relation_ids, chosen, tags, progress, cancel)
    written = write_table(path, columns, rows, sheet_title=SHEET_TITLE)
    progress(Progress(PHASE, written, len(relation_ids), f"已导出 exported {written}"))
    return ExportResult(path, written, time.monotonic() - started)


def _rows(cache: Cache, ids: Sequence[int], groups: Sequence[str], tags: TagLookup,
          progress: ProgressCallback, cancel: CancelToken | None) -> Iterator[list[Value]]:
    for start in range(0, len(ids), CHUNK):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(Progress(PHASE, start, len(ids), f"导出 exporting {start}/{len(ids)}"))
        for view in load_relations(cache, ids[start : start + CHUNK]):
            yield _row(view, groups, tags)


def _row(view: RelationView, groups: Sequence[str], tags: TagLookup) -> list[Value]:
    names = [f"{t.group_name}:{t.name}" if tags.is_ambiguous(t.name) else t.name
             for t in view.tags]
    by_group = {group: TAG_SEPARATOR.join(t.name for t in view.tags if t.group_name == group)
                for group in groups}
    added = datetime.fromtimestamp(view.createtime) if view.createtime else None
    return [
        view.customer_name, view.corp_name, view.owner_name, view.remark,
        view.channel_name or view.state, added, TAG_SEPARATOR.join(names),
        *(by_group[g] for g in groups),
        view.external_userid, view.userid, None, None,
    ]


def _resolve_groups(cache: Cache, wanted: Sequence[str]) -> list[str]:
    known = group_names(cache)
    by_fold = {fold(name): name for name in known}
    by_id = {t.group_id: t.group_name for t in outbox.tag_catalogue(cache)}
    chosen: list[str] = []
    for item in wanted:
        name = by_fold.get(fold(item)) or by_id.get(item.strip())
        if name is None:
            nearest = nearest_names(item, known, limit=3, min_score=60.0)
            hint_zh = f"，是否要找：{'、'.join(nearest)}" if nearest else ""
            hint_en = f"; did you mean: {', '.join(nearest)}" if nearest else ""
            raise ExportError(f"没有名为「{item}」的标签组{hint_zh}。"
                              f" / No tag group named {item!r}{hint_en}.")
        if name not in chosen:
            chosen.append(name)
    return chosen
