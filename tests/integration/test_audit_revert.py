"""Reverting from the audit log against the real sandbox: exact restore, pilot first, skipped
customers named, a revert reverted, one operator's time range, and the CLI end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.retag_plan import CHANGED_AGAIN, RELATION_GONE, TAG_DELETED
from desktop.sandbox import SandboxServer
from desktop.services import audit
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import journal, outbox
from desktop.store.journal_query import JournalFilter, iter_rows
from desktop.wecom.ratelimit import RateLimits

pytestmark = pytest.mark.integration

State = dict[tuple[str, str], set[str]]


class FastWorkspace(Workspace):
    """Backs off in milliseconds, so a run never waits on a retry for long."""

    @property
    def limits(self) -> RateLimits:
        return RateLimits(calls_per_minute=600_000, max_concurrency=self.profile.max_concurrency,
                          backoff_base_s=0.01, backoff_max_s=0.05, rate_limit_pause_s=0.05)


def _workspace(home: Path, server: SandboxServer, operator: str) -> Workspace:
    profile = Profile(name="acme", corp_id=server.corp_id, api_base=server.api_base,
                      userid=operator)
    return FastWorkspace(home, profile, server.secret, exclusive=False)


@pytest.fixture
def ws(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Workspace]:
    workspace = _workspace(tmp_path / "home", sandbox, "zhangsan")
    run_sync(workspace.client(), workspace.cache)
    try:
        yield workspace
    finally:
        workspace.close()


def _tag(server: SandboxServer, group: str, name: str) -> str:
    tag_id = server.state.find_tag(group, name)
    assert tag_id is not None
    return tag_id


def _state(server: SandboxServer) -> State:
    return {key: server.state.relation_tag_ids(*key) for key in server.state.relations()}


def _relation_ids(ws: Workspace, limit: int) -> list[int]:
    rows = ws.cache.connection().execute("SELECT id FROM relation ORDER BY id LIMIT ?", (limit,))
    return [int(row[0]) for row in rows]


def _batch(ws: Workspace, ids: list[int], add: Sequence[str] = (),
           remove: Sequence[str] = ()) -> str:
    service = TaggingService(ws)
    result = service.run(service.submit(service.plan(ids, add=list(add), remove=list(remove)),
                                        source="batch"))
    assert result.status == "done" and result.applied > 0
    return result.batch_id


def test_reverting_a_batch_restores_the_sandbox_exactly(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    shipped, refunded = _tag(sandbox, "客户阶段", "已发货"), _tag(sandbox, "客户阶段", "已退款")
    original = _state(sandbox)
    batch_id = _batch(ws, _relation_ids(ws, 120), add=[refunded], remove=[shipped])
    assert _state(sandbox) != original
    tagging = TaggingService(ws)
    preview = audit.preview_batch_revert(ws.cache, tagging, batch_id)
    assert preview.skipped == () and preview.restorable > 10

    outcome = audit.run_revert(tagging, preview, pilot_size=5)

    assert outcome.pilot is not None and outcome.pilot.applied == 5
    assert (outcome.result.status, outcome.result.applied, outcome.result.failed) == (
        "done", preview.restorable, 0)
    assert _state(sandbox) == original
    rows = list(iter_rows(ws.cache, JournalFilter(batch_ids=(outcome.batch_id,))))
    assert {r.source for r in rows} == {"revert"} and {r.operator for r in rows} == {"zhangsan"}
    planned = sorted((c.external_userid, c.userid, action, tag) for c in preview.plan.changes
                     for action, tags in (("tag_add", c.add), ("tag_remove", c.remove))
                     for tag in tags)
    assert sorted((r.external_userid, r.userid, r.action, r.tag_id) for r in rows) == planned
    assert journal.verify(ws.cache).ok


def test_a_revert_can_itself_be_reverted(sandbox: SandboxServer, ws: Workspace) -> None:
    keen = _tag(sandbox, "意向程度", "高意向")
    batch_id = _batch(ws, _relation_ids(ws, 30), add=[keen])
    after_batch = _state(sandbox)
    tagging = TaggingService(ws)
    first = audit.run_revert(tagging, audit.preview_batch_revert(ws.cache, tagging, batch_id),
                             pilot_size=0)
    assert first.pilot is None and _state(sandbox) != after_batch
    again = audit.preview_batch_revert(ws.cache, tagging, first.batch_id)
    audit.run_revert(tagging, again, pilot_size=0)
    assert _state(sandbox) == after_batch


def test_a_partial_revert_reports_the_customers_it_skipped(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    vip, keen = _tag(sandbox, "客户等级", "VIP"), _tag(sandbox, "意向程度", "高意向")
    tagging = TaggingService(ws)
    plan = tagging.plan(_relation_ids(ws, 80), add=[vip, keen])
    batch_id = tagging.run(tagging.submit(plan)).batch_id
    both = [c for c in plan.changes if len(c.add) == 2]
    retagged, deleted, undone = both[0], both[1], both[2]
    sandbox.state.console_mark_tag(retagged.userid, retagged.external_userid, remove=[keen])
    sandbox.state.delete_relation(deleted.userid, deleted.external_userid)
    sandbox.state.console_mark_tag(undone.userid, undone.external_userid, remove=[vip, keen])
    run_sync(ws.client(), ws.cache)
    before_revert = _state(sandbox)

    preview = audit.preview_batch_revert(ws.cache, tagging, batch_id)

    reasons = {(s.external_userid, s.userid): s.reason for s in preview.skipped}
    assert reasons == {(retagged.external_userid, retagged.userid): CHANGED_AGAIN,
                       (deleted.external_userid, deleted.userid): RELATION_GONE}
    listed = preview.as_json()["skipped_relations"]
    assert isinstance(listed, list)
    assert {item["customer"] for item in listed} == {
        preview.customer_names[retagged.external_userid],
        preview.customer_names[deleted.external_userid]}
    assert all(preview.customer_names[key[0]] for key in reasons)
    touched = {(c.external_userid, c.userid) for c in preview.plan.changes}
    assert (undone.external_userid, undone.userid) not in touched  # already as it was
    assert preview.restorable == plan.api_calls - 3

    audit.run_revert(tagging, preview, pilot_size=10)

    after = _state(sandbox)
    assert after[(retagged.userid, retagged.external_userid)] == before_revert[
        (retagged.userid, retagged.external_userid)]
    for change in plan.changes:
        if change not in (retagged, deleted):
            assert not set(change.add) & after[(change.userid, change.external_userid)]


def test_a_revert_that_would_put_back_a_deleted_tag_skips_those_customers_whole(
    sandbox: SandboxServer, ws: Workspace
) -> None:
    """A migration moved customers from one tag to another and deleted the old one: its
    revert cannot put the old tag back, so it must not take the new one off either."""
    vip, keen = _tag(sandbox, "客户等级", "VIP"), _tag(sandbox, "意向程度", "高意向")
    tagging = TaggingService(ws)
    carriers = [rid for rid, state in outbox.relation_states(
        ws.cache, _relation_ids(ws, 200)).items() if keen in state.tag_ids]
    moved = tagging.plan(carriers[:6], add=[vip], remove=[keen])
    assert moved.api_calls == 6
    batch_id = tagging.run(tagging.submit(moved, source="migration")).batch_id
    sandbox.state.console_delete_tag(keen)
    run_sync(ws.client(), ws.cache)
    before = _state(sandbox)

    preview = audit.preview_batch_revert(ws.cache, tagging, batch_id)

    assert preview.restorable == 0
    assert {s.reason for s in preview.skipped} == {TAG_DELETED}
    assert len(preview.skipped) == 6
    with pytest.raises(audit.RevertError):
        audit.run_revert(tagging, preview, pilot_size=0)
    assert _state(sandbox) == before               # every customer keeps the tag it has
    assert all(vip in before[(c.userid, c.external_userid)] for c in moved.changes)


def test_reverting_one_operators_changes_in_a_time_range(
    sandbox: SandboxServer, ws: Workspace, tmp_path: Path
) -> None:
    keen, vip = _tag(sandbox, "意向程度", "高意向"), _tag(sandbox, "客户等级", "VIP")
    ids = _relation_ids(ws, 60)
    _batch(ws, ids[:20], add=[keen])                      # zhangsan, before the range
    after_first = _state(sandbox)
    time.sleep(0.01)
    since = time.time()
    _batch(ws, ids[20:40], add=[keen, vip])                 # zhangsan, inside the range
    _batch(ws, ids[20:30], remove=[keen])                   # zhangsan again, same relations
    with _workspace(tmp_path / "home", sandbox, "lisi") as other:
        _batch(other, ids[40:60], add=[vip])               # someone else, inside the range
    lisi_state = {key: tags for key, tags in _state(sandbox).items()
                  if key in {(r[1], r[0]) for r in _keys(ws, ids[40:60])}}

    preview = audit.preview_range_revert(ws.cache, "zhangsan", since)
    assert preview.skipped == ()
    assert {c.relation_id for c in preview.plan.changes} <= set(ids[20:40])
    audit.run_revert(TaggingService(ws), preview, pilot_size=3)

    now = _state(sandbox)
    for key, tags in after_first.items():
        if key not in lisi_state:
            assert now[key] == tags, key
    assert all(now[key] == tags for key, tags in lisi_state.items())


def _keys(ws: Workspace, ids: list[int]) -> list[tuple[str, str]]:
    marks = ",".join("?" * len(ids))
    return [(r[0], r[1]) for r in ws.cache.connection().execute(
        f"SELECT external_userid, userid FROM relation WHERE id IN ({marks})", ids)]


# -- the CLI, as a scheduled job or a supervisor runs it --------------------------------------


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.env = {**os.environ, "TAGDESK_HOME": str(tmp_path / "cli-home"),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "XDG_DATA_HOME": str(tmp_path / "xdg")}

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", *args], input=stdin,
                              capture_output=True, text=True, timeout=120, env=self.env)


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_the_revert_command_previews_asks_and_reverts(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    cli = Cli(tmp_path)
    added = cli("profile", "add", "acme", "--corp-id", sandbox.corp_id, "--api-base",
                sandbox.api_base, "--userid", "zhangsan", "--calls-per-minute", "600000",
                "--secret-stdin",
                stdin=sandbox.secret + "\n")
    assert added.returncode == 0, added.stderr
    assert cli("sync", "--profile", "acme").returncode == 0
    original = _state(sandbox)
    retag = cli("retag", "--profile", "acme", "--filter", "", "--add", "高意向", "--yes",
                "--json")
    assert retag.returncode == 0, retag.stderr
    batch_id = _lines(retag.stdout)[-1]["batch_id"]
    assert _state(sandbox) != original

    dry = cli("audit", "revert", batch_id, "--profile", "acme", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    preview = _lines(dry.stdout)[-1]["preview"]
    assert preview["restore"] > 0 and preview["skipped"] == 0
    assert _state(sandbox) != original

    done = cli("audit", "revert", batch_id, "--profile", "acme", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    outcome = _lines(done.stdout)[-1]
    assert outcome["result"]["applied"] == preview["restore"]
    assert outcome["pilot"]["applied"] == 50 and not outcome["stopped_after_pilot"]
    assert _state(sandbox) == original

    listed = cli("audit", "list", "--profile", "acme", "--batch", outcome["batch_id"], "--json")
    rows = _lines(listed.stdout)[:-1]
    assert rows and {r["source"] for r in rows} == {"revert"}
    assert cli("audit", "verify", "--profile", "acme").returncode == 0

    again = cli("audit", "revert", batch_id, "--profile", "acme", "--dry-run")
    assert again.returncode == 0 and "nothing to revert" in again.stdout

    ranged = cli("audit", "revert", "--profile", "acme", "--operator", "zhangsan",
                 "--since", "1h", "--dry-run", "--json")
    assert ranged.returncode == 0 and _lines(ranged.stdout)[-1]["preview"]["restore"] == 0
