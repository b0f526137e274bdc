"""Auto-tagging on a sandbox corp: simulate on its chat export (evidence, counts, the change
against current tags), accept → one `autotag` batch lands in the sandbox over real HTTP, undo
reverts it, and the reviews become training data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from desktop.services.autotag_simulation import (
    ADD,
    PRESENT,
    UNKNOWN_TAG,
    AutoTagError,
    AutoTagService,
)
from desktop.services.chat_import import import_chats
from desktop.services.progress import CancelToken, OperationCancelled
from desktop.services.tagging import TaggingService
from desktop.store import chats, outbox

KEYWORDS = {
    "高意向": ["报价单", "采购", "试用", "演示", "合同"],
    "需上门": ["上门"],
    "价格异议": ["太贵", "预算", "不值"],     # no such tag in the sandbox's library
}


@pytest.fixture
def service(synced_ws: Any, sandbox: Any) -> AutoTagService:
    assert import_chats(synced_ws.cache, sandbox.state.chat_export_path).imported > 0
    return AutoTagService(synced_ws)


def _customer_lines(sandbox: Any) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in
             sandbox.state.chat_export_path.read_text(encoding="utf-8").splitlines()]
    return [m for m in lines if m["from"] == m["external_userid"]]


def test_simulation_names_customers_tags_evidence_counts_and_the_change(
        service: AutoTagService, synced_ws: Any, sandbox: Any) -> None:
    simulation = service.simulate(keywords=KEYWORDS)
    said = _customer_lines(sandbox)
    assert simulation.messages == len(said)
    assert simulation.customers == len({m["external_userid"] for m in said})
    texts: dict[tuple[str, str], set[str]] = {(m["external_userid"], m["userid"]): set()
                                              for m in said}
    for m in said:
        texts[(m["external_userid"], m["userid"])].add(m["content"])
    intent = [s for s in simulation.suggestions if s.tag_name == "高意向"]
    assert intent, "the sandbox's buying-intent lines give 高意向 suggestions"
    for suggestion in intent:
        assert suggestion.tag_label == "意向程度:高意向"
        assert 0.5 <= suggestion.confidence <= 1.0
        assert suggestion.evidence
        said_by_them = texts[(suggestion.external_userid, suggestion.userid)]
        for evidence in suggestion.evidence:
            assert any(evidence.snippet in text for text in said_by_them)
        carried = sandbox.state.relation_tag_ids(suggestion.userid, suggestion.external_userid)
        tag_id = sandbox.state.find_tag("意向程度", "高意向")
        assert suggestion.change == (PRESENT if tag_id in carried else ADD)
    assert {s.change for s in intent} == {ADD, PRESENT}
    price = [s for s in simulation.suggestions if s.tag_name == "价格异议"]
    assert price and all(s.change == UNKNOWN_TAG for s in price)
    assert any("价格异议" in w for w in simulation.warnings)
    counts = {c.tag: c for c in simulation.per_tag}
    assert counts["高意向"].relations == len(intent)
    assert counts["高意向"].would_add == sum(1 for s in intent if s.change == ADD)
    assert counts["高意向"].already == sum(1 for s in intent if s.change == PRESENT)
    assert counts["高意向"].customers == len({s.external_userid for s in intent})
    only = service.simulate(keywords=KEYWORDS, tags=["需上门"])
    assert {s.tag_name for s in only.suggestions} <= {"需上门"}
    assert [c.tag for c in only.per_tag] == ["需上门"]


def test_a_time_window_limits_the_messages(service: AutoTagService, sandbox: Any) -> None:
    said = sorted(m["msgtime"] / 1000 for m in _customer_lines(sandbox))
    middle = said[len(said) // 2]
    later = service.simulate(keywords=KEYWORDS, since=middle)
    assert later.messages == sum(1 for ts in said if ts >= middle)
    earlier = service.simulate(keywords=KEYWORDS, until=middle)
    assert earlier.messages == sum(1 for ts in said if ts < middle)


def test_no_keywords_or_an_unknown_tag_is_one_sentence(service: AutoTagService) -> None:
    with pytest.raises(AutoTagError, match="No tag has keywords yet"):
        service.simulate()
    with pytest.raises(AutoTagError, match="These tags have no keywords: 投诉"):
        service.simulate(keywords=KEYWORDS, tags=["投诉"])


def test_accepted_suggestions_land_as_one_autotag_batch_and_undo_reverts_them(
        service: AutoTagService, synced_ws: Any, sandbox: Any) -> None:
    simulation = service.simulate(keywords=KEYWORDS)
    accepted = simulation.would_add
    assert accepted
    plan = service.plan(accepted)
    assert plan.api_calls == len({s.relation_id for s in accepted})
    tagging = TaggingService(synced_ws)
    batch_id = service.submit(plan, accepted, pilot_size=2)
    assert service.training_messages(KEYWORDS) == []    # queued, not yet a verdict
    service.accept(accepted)
    pilot = tagging.run(batch_id)
    assert (pilot.applied, pilot.status, pilot.pending) == (2, "paused", plan.api_calls - 2)
    result = tagging.run(batch_id)
    assert result.status == "done" and result.failed == 0
    assert result.applied == plan.api_calls
    assert tagging.batch(batch_id).source == "autotag"
    for suggestion in accepted:
        assert suggestion.tag_id in sandbox.state.relation_tag_ids(
            suggestion.userid, suggestion.external_userid)
    sources = {row[0] for row in synced_ws.cache.query(
        "SELECT DISTINCT source FROM journal WHERE batch_id = ?", (batch_id,))}
    assert sources == {"autotag"}

    inverse, skipped = tagging.plan_undo(batch_id)
    assert skipped == []
    undo = tagging.submit(inverse, source="undo")
    assert tagging.run(undo).status == "done"
    for suggestion in accepted:
        assert suggestion.tag_id not in sandbox.state.relation_tag_ids(
            suggestion.userid, suggestion.external_userid)
    again = service.simulate(keywords=KEYWORDS)    # now trained on the accepted ones too
    assert again.training_messages > 0
    assert {s.key for s in accepted} <= {s.key for s in again.would_add}
    assert outbox.counts(synced_ws.cache, batch_id).applied == plan.api_calls


def test_reviews_become_training_data(service: AutoTagService, synced_ws: Any) -> None:
    simulation = service.simulate(keywords=KEYWORDS, tags=["高意向", "需上门"])
    first, second = simulation.suggestions[0], simulation.suggestions[1]
    assert service.record_reviews([first], "accepted") == 1
    assert service.reject([second]) == 1
    training = {m.id: m for m in service.training_messages(KEYWORDS)}
    stored = chats.messages_by_id(synced_ws.cache, [e.message_id for e in first.evidence])
    for evidence in first.evidence:
        message = training[str(evidence.message_id)]
        assert first.tag_name in message.labels
        assert message.text == stored[evidence.message_id].text
        assert message.customer == first.external_userid
    for evidence in second.evidence:
        if evidence.message_id not in {e.message_id for e in first.evidence}:
            assert second.tag_name not in training[str(evidence.message_id)].labels
    rerun = service.simulate(keywords=KEYWORDS, tags=["高意向", "需上门"])
    assert rerun.training_messages == len(training)
    service.record_reviews([first], "rejected")
    relabelled = {m.id: m for m in service.training_messages(KEYWORDS)}
    assert all(first.tag_name not in relabelled[str(e.message_id)].labels
               for e in first.evidence)


def test_a_cancelled_simulation_says_so_and_returns_nothing(service: AutoTagService) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(OperationCancelled, match="Cancelled"):
        service.simulate(keywords=KEYWORDS, cancel=token)


def test_member_messages_are_read_only_when_asked(service: AutoTagService, sandbox: Any) -> None:
    lines = sandbox.state.chat_export_path.read_text(encoding="utf-8").splitlines()
    assert service.simulate(keywords=KEYWORDS).messages == len(_customer_lines(sandbox))
    assert service.simulate(keywords=KEYWORDS, member_messages=True).messages == len(lines)


def test_verdicts_follow_a_rename_from_the_tree_and_one_a_sync_finds(
        service: AutoTagService, synced_ws: Any, sandbox: Any) -> None:
    from desktop.services.sync import run_sync
    from desktop.services.tag_admin import TagAdminService
    from desktop.store import autotag_settings

    autotag_settings.save_keywords(synced_ws.cache, {"意向程度:高意向": KEYWORDS["高意向"]})
    simulation = service.simulate()
    accepted, rejected = simulation.suggestions[0], simulation.suggestions[1]
    service.record_reviews([accepted], "accepted")
    service.reject([rejected])
    TagAdminService(synced_ws).rename(sandbox.state.find_tag("意向程度", "高意向"), "意向很高")
    sandbox.state.console_edit_tag(sandbox.state.find_group("意向程度"), name="意向等级")
    run_sync(synced_ws.client(), synced_ws.cache)

    again = service.simulate()
    latest = autotag_settings.latest_reviews(synced_ws.cache)
    decided = {s.key: latest[s.key].verdict for s in again.suggestions if s.key in latest}
    assert decided == {
        (accepted.external_userid, accepted.userid, "意向等级:意向很高"): "accepted",
        (rejected.external_userid, rejected.userid, "意向等级:意向很高"): "rejected"}
    labelled = service.training_messages(["意向等级:意向很高"])
    assert {str(e.message_id) for e in accepted.evidence} <= {
        m.id for m in labelled if "意向等级:意向很高" in m.labels}
