"""Rules on chat intents: the auto-tagging engine's suggestions on the imported chats of a real
synced cache feed the `intent` condition; without keywords the condition warns, not fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.domain.rule_format import parse_rule
from desktop.services.chat_import import import_chats
from desktop.services.profiles import Profile
from desktop.services.rules import RulesService
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace
from desktop.store import autotag_settings, chats, outbox, rule_store

RULE: dict[str, object] = {"name": "嫌贵", "when": {"intent": "价格异议"}, "then": {"add": ["地区:北京"]}}


@pytest.fixture
def ws(tmp_path: Path, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    profile = Profile(name="t", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                      agent_id=sandbox.agent_id, userid="zhangsan")
    workspace = Workspace(tmp_path / "home", profile, sandbox.secret)
    run_sync(workspace.client(), workspace.cache)
    try:
        yield workspace
    finally:
        workspace.close()


def test_intent_conditions_read_the_chats(ws: Workspace, sandbox: Any) -> None:
    rule_store.save(ws.cache, "嫌贵", dict(RULE), "zhangsan")
    service = RulesService(ws)
    silent = service.simulate()
    assert silent.evaluation.outcomes == [] and "intent" in silent.warnings[0]

    import_chats(ws.cache, sandbox.state.chat_export_path)
    words = ("太贵", "不值这个价", "报价单")
    autotag_settings.save_keywords(ws.cache, {"价格异议": list(words)})
    simulation = service.simulate()
    assert simulation.warnings == ()
    messages = chats.messages(ws.cache)          # what the customers sent
    beijing = service.tagging.resolve_tag_names(["地区:北京"])[0]
    states = outbox.relation_states_by_key(ws.cache, {(m.external_userid, m.userid)
                                                      for m in messages})
    asking = {(m.external_userid, m.userid) for m in messages if "太贵了吧" in m.text
              and beijing not in states[(m.external_userid, m.userid)].tag_ids}
    talking = {(m.external_userid, m.userid) for m in messages}
    changed = {(o.subject.external_userid, o.subject.userid): o
               for o in simulation.evaluation.outcomes}
    assert asking and asking <= set(changed) <= talking
    assert all(o.reasons["嫌贵"] == ("intent 价格异议",) for o in changed.values())
    assert parse_rule(RULE).uses_intent
