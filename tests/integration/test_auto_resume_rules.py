"""Which batches wait for the network (resumed on their own) and which wait for a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.sandbox import SandboxServer
from desktop.services.auto_resume import Backoff, Probe, probe, waiting_batches
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.tagging import TaggingService
from desktop.services.workspace import Workspace
from desktop.store import outbox
from desktop.wecom.errors import WeComError
from desktop.wecom.ratelimit import RateLimits

pytestmark = pytest.mark.integration


class QuickWorkspace(Workspace):
    @property
    def limits(self) -> RateLimits:
        return RateLimits(backoff_base_s=0.01, backoff_max_s=0.02, connect_timeout_s=1.0)


def _batch(tagging: TaggingService, ws: Workspace, first: int, pilot: int = 0) -> str:
    (tag_id,) = tagging.resolve_tag_names(["客户等级:VIP"])
    ids = [int(r[0]) for r in ws.cache.connection().execute(
        "SELECT id FROM relation WHERE id NOT IN (SELECT rt.relation_id FROM relation_tag rt"
        " JOIN tag t ON t.pk = rt.tag_pk WHERE t.id = ?) ORDER BY id LIMIT 10 OFFSET ?",
        (tag_id, first))]
    return tagging.submit(tagging.plan(ids, add=[tag_id]), pilot_size=pilot)


def test_only_batches_an_outage_stopped_wait_for_the_network(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    ws = QuickWorkspace(tmp_path / "home", Profile(name="acme", corp_id=sandbox.corp_id,
                                                   api_base=sandbox.api_base, userid="zhangsan"),
                        sandbox.secret)
    with ws:
        run_sync(ws.client(), ws.cache)
        tagging = TaggingService(ws)
        pilot = _batch(tagging, ws, 0, pilot=3)
        assert tagging.run(pilot).status == outbox.PAUSED  # the pilot waits for a person
        cancelled = _batch(tagging, ws, 20)
        outbox.set_status(ws.cache, cancelled, outbox.CANCELLED)
        assert probe(ws.client()) is Probe.BACK

        port = sandbox.port
        sandbox.stop()
        stopped = _batch(tagging, ws, 40)
        result = tagging.run(stopped)
        assert result.status == outbox.PAUSED and result.stop_reason and result.pending == 10
        assert probe(ws.client()) is Probe.DOWN
        assert [(b.id, b.pending) for b in waiting_batches(ws.cache)] == [(stopped, 10)]

        sandbox.config.port = port
        sandbox.start()
        assert probe(ws.client()) is Probe.BACK
        assert tagging.run(stopped).status == outbox.DONE
        assert waiting_batches(ws.cache) == []


def test_a_configuration_error_is_not_waited_out(sandbox: SandboxServer, tmp_path: Path) -> None:
    profile = Profile(name="acme", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      userid="zhangsan")
    with QuickWorkspace(tmp_path / "home", profile, "a-wrong-secret") as ws, \
            pytest.raises(WeComError):
        probe(ws.client())


def test_backoff_doubles_up_to_its_ceiling_and_starts_over() -> None:
    backoff = Backoff(first_s=15, max_s=100)
    assert [backoff.next_delay() for _ in range(5)] == [15, 30, 60, 100, 100]
    backoff.reset()
    assert backoff.next_delay() == 15
