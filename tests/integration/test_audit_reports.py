"""Report numbers (services.audit) against what the sandbox and the journal really hold."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from desktop.services import audit
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal
from desktop.store.journal_query import JournalFilter, iter_rows

pytestmark = pytest.mark.integration

DAY = 86400


@pytest.fixture
def ws(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Workspace]:
    profile = Profile(name="acme", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      userid="zhangsan", calls_per_minute=600_000)
    workspace = Workspace(tmp_path / "home", profile, sandbox.secret)
    run_sync(workspace.client(), workspace.cache)
    keen = sandbox.state.find_tag("意向程度", "高意向")
    low = sandbox.state.find_tag("意向程度", "低意向")
    assert keen is not None and low is not None
    relations = sorted(sandbox.state.relations())
    for userid, external_userid in relations[:5]:
        sandbox.state.console_mark_tag(userid, external_userid, add=[keen, low])
    for userid, external_userid in relations[5:9]:
        sandbox.state.console_mark_tag(userid, external_userid,
                                       remove=sandbox.state.relation_tag_ids(userid,
                                                                             external_userid))
    run_sync(workspace.client(), workspace.cache)
    tagging = TaggingService(workspace)
    ids = [r[0] for r in workspace.cache.connection().execute("SELECT id FROM relation")]
    tagging.run(tagging.submit(tagging.plan(ids[20:60], add=[keen]), source="batch"))
    now = time.time()
    with workspace.cache.write() as conn:
        conn.execute("INSERT INTO exclusive_set (name, tag_ids) VALUES (?, ?)",
                     ("意向", json.dumps([keen, low])))
        journal.append(conn, [
            journal.JournalEntry(operator=op, action="tag_add", source=source, ts=now - days * DAY,
                                 external_userid="wmOld", userid="lisi", tag_id=keen)
            for op, source, days in [("lisi", "import", 3), ("lisi", "import", 3),
                                     ("wangwu", "app", 10), ("", "observed", 3),
                                     ("lisi", "app", 40)]
        ])
    try:
        yield workspace
    finally:
        workspace.close()


def _relation_counts(sandbox: SandboxServer) -> Counter[str]:
    counts: Counter[str] = Counter()
    for key in sandbox.state.relations():
        counts.update(sandbox.state.relation_tag_ids(*key))
    return counts


def test_relations_per_tag_top_n_and_per_group(sandbox: SandboxServer, ws: Workspace) -> None:
    counts = _relation_counts(sandbox)
    names = {tag_id: name for (_, name), tag_id in sandbox.state.tag_ids_by_name().items()}
    expected = sorted(((names[t], n) for t, n in counts.items() if t in names),
                      key=lambda item: (-item[1], item[0]))
    top = audit.relations_per_tag(ws.cache, top=8)
    assert [(c.tag_name, c.relations) for c in top] == expected[:8]

    group_id = next(g for g, name in audit.tag_groups(ws.cache) if name == "意向程度")
    in_group = audit.relations_per_tag(ws.cache, group_id=group_id)
    wanted = {tag_id for (group, _), tag_id in sandbox.state.tag_ids_by_name().items()
              if group == "意向程度"}
    assert {c.tag_id for c in in_group} == wanted
    assert all(c.relations == counts[c.tag_id] and c.group_name == "意向程度" for c in in_group)


def test_changes_per_day_and_per_operator_count_the_journal(ws: Workspace) -> None:
    until = time.time() + 1
    since = until - 30 * DAY
    rows = list(iter_rows(ws.cache, JournalFilter(since=since, until=until)))
    series = audit.changes_per_day(ws.cache, since, until)
    assert series.days[0] == date.fromtimestamp(since).isoformat()
    assert series.days[-1] == date.today().isoformat() and len(series.days) in (30, 31)
    by_day_source = Counter((datetime.fromtimestamp(r.ts).date().isoformat(), r.source)
                            for r in rows)
    found = {(day, source): n for source, values in series.counts.items()
             for day, n in zip(series.days, values, strict=True) if n}
    assert found == dict(by_day_source)
    assert set(series.counts) == {"batch", "import", "observed", "app"}

    people = Counter(r.operator for r in rows if r.source != "observed")
    assert [(c.operator, c.changes) for c in audit.changes_per_operator(ws.cache, since, until)
            ] == sorted(people.items(), key=lambda item: (-item[1], item[0]))


def test_health_counts_untagged_customers_and_exclusive_conflicts(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    state = {key: sandbox.state.relation_tag_ids(*key) for key in sandbox.state.relations()}
    customers: dict[str, bool] = {}
    for (_, external_userid), tags in state.items():
        customers[external_userid] = customers.get(external_userid, False) or bool(tags)
    keen = sandbox.state.find_tag("意向程度", "高意向")
    low = sandbox.state.find_tag("意向程度", "低意向")
    assert keen is not None and low is not None
    both = {key for key, tags in state.items() if {keen, low} <= tags}

    health = audit.health(ws.cache)

    assert health.customers == len(customers)
    assert health.untagged_customers == sum(not tagged for tagged in customers.values()) > 0
    assert health.relations == len(state)
    assert health.untagged_relations == sum(not tags for tags in state.values()) >= 4
    assert len(health.conflicts) == 1
    conflict = health.conflicts[0]
    assert conflict.set_name == "意向" and set(conflict.tag_names) == {"高意向", "低意向"}
    assert conflict.relations == len(both) >= 5
    assert conflict.customers == len({external_userid for _, external_userid in both})
