"""Behaviour events as a table: the filters of the events window and `tagdesk events list`,
and the export of everything they match to .xlsx or .csv."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.domain.events import Event
from desktop.services.progress import (
    CancelToken,
    Progress,
    ProgressCallback,
    no_progress,
)
from desktop.services.xlsx_safe import Column, Value, write_table
from desktop.store import chats, events
from desktop.store.db import Cache

NAMES_AT_ONCE = 2_000
PHASE = "export-events"
EXPORT_COLUMNS = (
    Column("time", "时间", "When it happened (local time)", 18),
    Column("external_userid", "客户ID", "The customer's external_userid", 34),
    Column("customer", "客户名称", "The customer's name in the cache", 16),
    Column("userid", "员工", "The member the event names, if any", 14),
    Column("type", "事件类型", "The event's type", 16),
    Column("name", "名称", "The event's name (a form, a product, a course)", 20),
    Column("detail", "详情", "The event's detail", 30),
    Column("value", "金额/数值", "Its value (an amount), if any", 12),
    Column("source", "来源", "Where it came from (an import, a source, a desktop)", 16),
)


@dataclass(frozen=True)
class EventFilter:
    customer: str | None = None
    kind: str | None = None
    since: float | None = None    # epoch seconds, included
    until: float | None = None    # epoch seconds, excluded

    def args(self) -> dict[str, Any]:
        return {"customer": self.customer, "kind": self.kind, "since": self.since,
                "until": self.until}


def export_events(cache: Cache, path: Path, where: EventFilter, *,
                  progress: ProgressCallback = no_progress,
                  cancel: CancelToken | None = None) -> int:
    """Write every event the filter matches, newest first; returns how many rows. A cancel
    leaves no file behind."""
    total = events.counted(cache, **where.args())

    def rows() -> Iterator[tuple[Value, ...]]:
        chunk: list[tuple[Event, str]] = []
        done = 0
        for found in events.each(cache, **where.args()):
            chunk.append(found)
            if len(chunk) == NAMES_AT_ONCE:
                yield from _named(cache, chunk)
                done += len(chunk)
                chunk = []
                if cancel is not None:
                    cancel.raise_if_cancelled()
                progress(Progress(PHASE, done, total, f"已导出 {done:,}/{total:,} 个事件"
                                                      f" / {done:,}/{total:,} events exported"))
        yield from _named(cache, chunk)

    return write_table(path, EXPORT_COLUMNS, rows(), sheet_title="events")


def _named(cache: Cache, found: list[tuple[Event, str]]) -> Iterator[tuple[Value, ...]]:
    names = chats.customer_names(cache, (event.external_userid for event, _ in found))
    for event, source in found:
        yield (datetime.fromtimestamp(event.ts).replace(microsecond=0), event.external_userid,
               names.get(event.external_userid, ""), event.userid, event.type, event.name,
               event.detail, event.value, source)
