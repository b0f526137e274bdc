"""A sync stages relation pages while later ones are fetched, and holds none of them."""

from __future__ import annotations

import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.progress import CancelToken, Progress
from desktop.services.sync import (
    PAGES_AHEAD,
    PageItems,
    read_pages,
    read_relations,
    run_sync,
)
from desktop.store.db import Cache
from desktop.wecom.client import WeComClient
from desktop.wecom.models import RelationPage


@pytest.fixture(scope="module")
def paged_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Two members with many relation pages each."""
    from desktop.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(
        data_dir=tmp_path_factory.mktemp("paged") / "sandbox", customers=2400, members=2,
        seed=7))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _client(sandbox: Any) -> WeComClient:
    return WeComClient(sandbox.api_base, sandbox.corp_id, sandbox.secret)


@pytest.mark.parametrize(("synced_before", "written_to"), [
    (False, "main.relation"),  # a first sync writes each page into the cache's tables
    (True, "temp.stage_relation"),  # a re-sync stages it, compared with the cache
])
def test_each_page_is_staged_before_the_pages_after_it_are_fetched(
    paged_sandbox: Any, tmp_path: Path, synced_before: bool, written_to: str
) -> None:
    chains = 1
    seen: list[tuple[int, int]] = []  # (API calls made so far, relations staged so far)
    with Cache(tmp_path / "c.sqlite") as cache, _client(paged_sandbox) as client:
        if synced_before:
            run_sync(client, cache, chains=5)
            with cache.write() as tx:  # every row compared, as in a cache older than signatures
                tx.execute("UPDATE relation SET sync_sig = NULL")

        def watch(event: Progress) -> None:
            if event.phase == "relations":  # reported on the staging thread
                staged = cache.connection().execute(
                    f"SELECT count(*) FROM {written_to}").fetchone()[0]
                seen.append((client.api_calls, int(staged)))

        result = run_sync(client, cache, progress=watch, chains=chains)
        calls_after = client.api_calls
    calls_before = seen[0][0]
    pages = calls_after - calls_before
    assert pages >= 4 * (PAGES_AHEAD + 2)
    staged_pages: set[int] = set()  # each page staged adds rows: one count per page
    for calls, staged in seen:
        staged_pages.update([staged] if staged else [])
        # page k was staged before page k + PAGES_AHEAD + 2 was requested
        assert calls - calls_before <= len(staged_pages) + PAGES_AHEAD * chains + 1
    assert seen[-1][1] == result.relations


def test_a_sync_holds_only_the_pages_in_flight(paged_sandbox: Any, tmp_path: Path) -> None:
    held: PageItems = []

    def hold(items: PageItems) -> None:
        held.extend(items)

    with _client(paged_sandbox) as client:
        users = sorted(client.get_follow_user_list())
        tracemalloc.start()
        try:
            read_relations(client, hold, users, lambda _p: None, CancelToken(), chains=1)
            holding, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    held.clear()
    with Cache(tmp_path / "c.sqlite") as cache, _client(paged_sandbox) as client:
        run_sync(client, cache, chains=1)  # a first sync, then one that compares every row
        tracemalloc.start()
        try:
            result = run_sync(client, cache, chains=1)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.relations > 2000
    # The pages in flight, and the key and signature of each cached relation no page named
    # yet: far less than holding every row, never all of it.
    assert peak < holding * 0.6, f"{peak:,} bytes traced; holding the relations takes {holding:,}"


def test_each_page_is_prepared_on_the_chain_that_read_it(paged_sandbox: Any) -> None:
    """The chains make the pages ready (a first sync: rows, signatures, folded text) while the
    calling thread writes the ones before; it takes each chain's pages in their order."""
    caller = threading.get_ident()
    lock = threading.Lock()
    prepared: dict[int, list[int]] = {}  # preparing thread -> its pages' numbers, in order
    consumed: list[int] = []

    def prepare(page: RelationPage) -> int:
        with lock:
            number = sum(map(len, prepared.values()))
            prepared.setdefault(threading.get_ident(), []).append(number)
        return number

    def consume(page: int) -> None:
        assert threading.get_ident() == caller
        consumed.append(page)

    with _client(paged_sandbox) as client:
        users = sorted(client.get_follow_user_list())
        read_pages(client, prepare, consume, users, lambda _p: None, CancelToken(), chains=2)
    assert len(consumed) >= 8
    assert sorted(consumed) == list(range(len(consumed)))
    assert caller not in prepared
    for pages in prepared.values():
        assert [page for page in consumed if page in pages] == pages
