"""Full sync: read everything TagDesk mirrors from WeCom, then replace the cache at once.

Tag groups, rule groups and their tags are read first, then departments, members, follow
users and contact ways (on a helper thread while the sync's thread opens the cache's side:
a re-sync loads what the cache holds meanwhile); then every follow relation with its corp tags
(batch/get_by_user, 100 a page), fetched by several chains at once (the
client's rate limiter and concurrency cap keep it within WeCom's limits). The
sync's own thread stages each relation page into temporary tables, comparing it
with the cache, while the chains fetch the next ones (into an empty cache it inserts
each page, made into rows by the chain that read it). Only when everything has
arrived is the cache changed where it differs, in one transaction, so a failed or
cancelled sync leaves the previous cache exactly as it was.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from desktop.domain.filter.rename import Rename
from desktop.services.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.store.db import Cache
from desktop.store.direct_sync import open_sync_write
from desktop.store.snapshot import (
    ContactWayRow,
    DepartmentRow,
    GroupRow,
    MemberRow,
    Snapshot,
    StrategyRow,
    TagRow,
)
from desktop.wecom.models import ExternalContact, FollowInfo, RelationPage, TagGroup

if TYPE_CHECKING:
    from desktop.wecom.client import WeComClient

log = logging.getLogger("tagdesk.sync")

PAGE_LIMIT = 100
ROOT_DEPARTMENT = 1


@dataclass(frozen=True)
class SyncResult:
    customers: int
    relations: int
    tags: int
    groups: int
    tag_links: int
    api_calls: int
    observed_changes: int
    elapsed_s: float
    fetch_s: float      # waiting on WeCom (reading everything)
    write_s: float      # local work: replacing the cache
    rate_limit_pauses: int = 0  # 45009 pauses the sync's calls waited out
    renames: tuple[Rename, ...] = ()  # found in the admin console, followed in the write

    def as_json(self) -> dict[str, object]:
        return {
            "customers": self.customers, "relations": self.relations, "tags": self.tags,
            "groups": self.groups, "tag_links": self.tag_links, "api_calls": self.api_calls,
            "observed_changes": self.observed_changes, "elapsed_s": round(self.elapsed_s, 3),
            "fetch_s": round(self.fetch_s, 3), "write_s": round(self.write_s, 3),
            "rate_limit_pauses": self.rate_limit_pauses,
        }


def run_sync(
    client: WeComClient,
    cache: Cache,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    chains: int = 5,
) -> SyncResult:
    """Mirror WeCom into `cache`. `chains` = relation pages fetched at once (the profile's
    concurrency cap; 1 means one page at a time)."""
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    calls_before = client.api_calls
    pauses_before = client.rate_limit_pauses
    snap = Snapshot()

    read_tag_library(client, snap, progress, cancel)

    progress(Progress("directory", 0, 0, "读取部门和成员… / Reading departments and members…"))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync") as reader:
        # read while the cache's side opens (a re-sync loads what the cache holds meanwhile)
        people = reader.submit(_read_people, client, cancel, chains)
        with open_sync_write(cache, snap) as target:
            follow_users, directory = people.result()
            snap.departments, snap.members = directory.departments, directory.members
            snap.contact_ways = directory.contact_ways
            read_pages(client, target.prepare_page, target.add_prepared,
                       heaviest_first(cache, follow_users), progress, cancel, chains)
            fetch_s = time.perf_counter() - started
            cancel.raise_if_cancelled()
            progress(Progress("writing", 0, 0, "写入本地缓存… / Writing the local cache…"))
            written = target.write(snap)
    elapsed = time.perf_counter() - started
    result = SyncResult(
        customers=written.customers, relations=written.relations, tags=written.tags,
        groups=written.groups, tag_links=written.tag_links,
        api_calls=client.api_calls - calls_before, observed_changes=written.observed_changes,
        elapsed_s=elapsed, fetch_s=fetch_s, write_s=written.elapsed_s,
        rate_limit_pauses=client.rate_limit_pauses - pauses_before, renames=written.renames,
    )
    log.info("sync done: %s", result.as_json())
    progress(Progress("done", 1, 1, "同步完成 / Sync complete"))
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector waits while a sync runs in a process that does nothing
    else meanwhile (the command; the app pauses it its own way): a sync makes no cycles worth
    collecting, and each collection walks the rows it keeps (at 100,000 customers about 1,400
    collections, 0.65 s of CPU, the full ones 33 ms each with every thread stopped). A
    collector already paused stays paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_tag_library(client: WeComClient, snap: Snapshot, progress: ProgressCallback,
                     cancel: CancelToken) -> None:
    """Add the tag library to `snap`: the corp's tag groups, the rule groups (strategies) and
    their tag groups, with their live tags (one call, then two calls a rule group)."""
    progress(Progress("tags", 0, 0, "读取标签… / Reading tags…"))
    corp_groups = client.list_corp_tags()
    cancel.raise_if_cancelled()
    strategy_groups = _read_strategies(client, snap, cancel)
    _add_tag_groups(snap, corp_groups, strategy_groups)


def _read_strategies(
    client: WeComClient, snap: Snapshot, cancel: CancelToken
) -> list[TagGroup]:
    groups: list[TagGroup] = []
    for strategy_id in client.list_strategies():
        cancel.raise_if_cancelled()
        strategy = client.get_strategy(strategy_id)
        snap.strategies.append(StrategyRow(
            id=strategy.id, parent_id=strategy.parent_id, name=strategy.name,
            create_time=strategy.create_time,
        ))
        for group in client.list_strategy_tags(strategy_id=strategy_id):
            groups.append(group if group.strategy_id else _with_strategy(group, strategy_id))
    return groups


def _with_strategy(group: TagGroup, strategy_id: int) -> TagGroup:
    return TagGroup(
        id=group.id, name=group.name, order=group.order, create_time=group.create_time,
        deleted=group.deleted, tags=group.tags, strategy_id=strategy_id,
    )


def _add_tag_groups(snap: Snapshot, *sources: Sequence[TagGroup]) -> None:
    for groups in sources:
        for group in groups:
            if group.deleted:
                continue
            snap.groups.append(GroupRow(
                id=group.id, name=group.name, order=group.order,
                create_time=group.create_time, strategy_id=group.strategy_id,
            ))
            snap.tags.extend(
                TagRow(id=tag.id, group_id=group.id, name=tag.name, order=tag.order,
                       create_time=tag.create_time)
                for tag in group.tags if not tag.deleted
            )


def _read_people(client: WeComClient, cancel: CancelToken, chains: int
                 ) -> tuple[list[str], Snapshot]:
    """The follow users, and a snapshot of the departments, members and contact ways."""
    follow_users = sorted(set(client.get_follow_user_list()))
    directory = Snapshot()
    _read_directory(client, directory, set(follow_users))
    cancel.raise_if_cancelled()
    _read_contact_ways(client, directory, cancel, chains)
    return follow_users, directory


def _read_directory(client: WeComClient, snap: Snapshot, follow_users: set[str]) -> None:
    departments = client.list_departments()
    snap.departments.extend(
        DepartmentRow(id=d.id, name=d.name, name_en=d.name_en, parent_id=d.parent_id,
                      order=d.order)
        for d in departments
    )
    root = min((d.id for d in departments), default=ROOT_DEPARTMENT)
    seen: set[str] = set()
    for member in client.list_users(root, fetch_child=True):
        if member.userid in seen:
            continue
        seen.add(member.userid)
        leaders = dict(zip(member.departments, member.is_leader_in_dept, strict=False))
        snap.members.append(MemberRow(
            userid=member.userid, name=member.name, main_department=member.main_department,
            status=member.status, position=member.position,
            follows=member.userid in follow_users,
            departments=tuple((d, bool(leaders.get(d, 0))) for d in member.departments),
        ))
    for userid in sorted(follow_users - seen):  # followers outside the visible directory
        snap.members.append(MemberRow(userid=userid, name=userid, follows=True))


def _read_contact_ways(
    client: WeComClient, snap: Snapshot, cancel: CancelToken, chains: int
) -> None:
    """One get_contact_way per live code, several at once (the list holds only ids)."""
    def read(config_id: str) -> ContactWayRow:
        cancel.raise_if_cancelled()
        way = client.get_contact_way(config_id)
        return ContactWayRow(config_id=way.config_id, state=way.state, remark=way.remark,
                             users=tuple(way.user))

    config_ids = client.list_contact_ways()
    with ThreadPoolExecutor(max_workers=max(1, chains), thread_name_prefix="sync") as pool:
        snap.contact_ways.extend(pool.map(read, config_ids))


PageItems = list[tuple[ExternalContact, FollowInfo]]  # one relation page's rows
PageConsumer = Callable[[PageItems], None]
PAGES_AHEAD = 2  # relation pages each chain may fetch beyond what the consumer took
Page = TypeVar("Page")


def read_relations(
    client: WeComClient,
    consume: PageConsumer,
    follow_users: list[str],
    progress: ProgressCallback,
    cancel: CancelToken,
    chains: int,
) -> None:
    """`read_pages`, each page's rows handed over as the client read them."""
    read_pages(client, _as_read, consume, follow_users, progress, cancel, chains)


def _as_read(page: RelationPage) -> PageItems:
    return page.items


def read_pages(
    client: WeComClient,
    prepare: Callable[[RelationPage], Page],
    consume: Callable[[Page], None],
    follow_users: list[str],
    progress: ProgressCallback,
    cancel: CancelToken,
    chains: int,
) -> None:
    """Page batch/get_by_user for every follow user, `chains` cursors at a time; each page
    goes through `prepare` on the chain that read it (while the pages before it are
    consumed) and then to `consume` on the calling thread, in the order they arrive.

    Each member is a chain that follows its own cursor to the end, so the work
    spreads evenly however unequal the members' customer counts are (a chain of
    several members would serialise them). At most PAGES_AHEAD pages a chain wait
    for `consume` (memory stays bounded whatever the corp's size). The first
    failure stops every chain and is raised here.
    """
    chains = max(1, chains)
    total = len(follow_users)
    pages: queue.Queue[tuple[int, Page] | BaseException | None] = queue.Queue(
        maxsize=PAGES_AHEAD * chains)  # a page as prepared, with its number of rows
    stop = threading.Event()  # set when reading ended: chains end at their next page

    def offer(item: tuple[int, Page] | BaseException | None) -> None:
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def run_chain(userid: str) -> None:
        try:
            cursor = ""
            while not stop.is_set():
                cancel.raise_if_cancelled()
                page = client.batch_get_by_user([userid], cursor=cursor, limit=PAGE_LIMIT)
                offer((len(page.values), prepare(page)))
                if not page.next_cursor:
                    break
                cursor = page.next_cursor
            offer(None)
        except BaseException as exc:  # handed to the consuming thread, which raises it
            offer(exc)

    progress(Progress("relations", 0, total, "读取客户… / Reading customers…"))
    done_users = fetched = 0
    with ThreadPoolExecutor(max_workers=chains, thread_name_prefix="sync") as pool:
        for userid in follow_users:
            pool.submit(run_chain, userid)
        try:
            while done_users < total:
                item = pages.get()
                if isinstance(item, BaseException):
                    raise item
                if item is None:
                    done_users += 1
                else:
                    rows, prepared = item
                    consume(prepared)
                    fetched += rows
                progress(Progress("relations", done_users, total,
                                  f"已读取 {fetched:,} 个客户关系 / {fetched:,} relations read"))
        finally:
            stop.set()


def heaviest_first(cache: Cache, userids: list[str]) -> list[str]:
    """Members with the most relations at the last sync first, so no long chain starts last."""
    known = dict(cache.connection().execute(
        "SELECT userid, count(*) FROM relation GROUP BY userid").fetchall())
    return sorted(userids, key=lambda userid: (-known.get(userid, 0), userid))
