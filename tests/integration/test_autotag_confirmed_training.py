"""Tags people set are the learner's training data: a batch's tags make their customers'
messages positives (and change what is suggested), the same group's other tags and
rejections count against, and tags auto-tagging wrote do not count until they have stayed
and been accepted in a review. Real HTTP to the sandbox, a real cache file."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.services.autotag_simulation import AutoTagService
from desktop.services.autotag_training import CONFIRMED, REVIEWS
from desktop.services.chat_import import import_chats
from desktop.services.tagging import TaggingService
from desktop.store import chats, outbox

KEYWORDS = {"高意向": ["报价单", "采购", "试用", "演示", "合同"], "需上门": ["上门"]}


@pytest.fixture
def service(synced_ws: Any, sandbox: Any) -> AutoTagService:
    assert import_chats(synced_ws.cache, sandbox.state.chat_export_path).imported > 0
    return AutoTagService(synced_ws)


def _tag_by_batch(ws: Any, relation_ids: list[int], tag_id: str) -> None:
    tagging = TaggingService(ws)
    plan = tagging.plan(relation_ids, add=[tag_id])
    assert plan.api_calls == len(relation_ids)
    assert tagging.run(tagging.submit(plan, source="batch")).status == "done"


def _untagged_relations(ws: Any, tag_ids: set[str], count: int) -> list[tuple[str, int]]:
    """(customer, relation id) of customers who chatted and carry none of these tags."""
    said = chats.messages(ws.cache)
    states = outbox.relation_states_by_key(ws.cache, {(m.external_userid, m.userid)
                                                      for m in said})
    found: dict[str, int] = {}
    for (customer, _), state in sorted(states.items()):
        if customer not in found and not tag_ids & set(state.tag_ids):
            found[customer] = state.relation_id
    assert len(found) >= count
    return sorted(found.items())[:count]


def test_tags_set_by_a_batch_become_positives_and_change_the_suggestions(
        service: AutoTagService, synced_ws: Any, sandbox: Any) -> None:
    before = service.simulate(keywords=KEYWORDS)
    assert before.training_messages == 0
    assert before.training["高意向"].positives == 0
    high = sandbox.state.find_tag("意向程度", "高意向")
    low = sandbox.state.find_tag("意向程度", "低意向")
    middle = sandbox.state.find_tag("意向程度", "中意向")
    picked = _untagged_relations(synced_ws, {high, low, middle}, 14)
    positives, negatives = picked[:10], picked[10:]
    _tag_by_batch(synced_ws, [rid for _, rid in positives], high)
    _tag_by_batch(synced_ws, [rid for _, rid in negatives], low)

    after = service.simulate(keywords=KEYWORDS)
    counts = after.training["高意向"]
    assert counts.positives == len(positives)
    assert dict(counts.sources) == {"batch": len(positives)}
    assert counts.negative_sources["same_group"] == len(negatives)
    carrying = {c for (c, _), state in outbox.relation_states_by_key(
        synced_ws.cache, {(m.external_userid, m.userid) for m in chats.messages(synced_ws.cache)}
    ).items() if {high, sandbox.state.find_tag("OPS-售后", "需上门")} & set(state.tag_ids)}
    quiet = {m.external_userid for m in chats.messages(synced_ws.cache)} - carrying - {
        customer for customer, _ in picked}
    background = min(3 * len(positives), len(quiet))
    assert background > 0
    assert dict(counts.negative_sources) == {"same_group": len(negatives),
                                             "background": background}
    assert counts.negatives == len(negatives) + background
    assert after.as_json()["training"] == {
        name: counts.as_json() for name, counts in after.training.items()}
    assert counts.as_json()["sources"] == {"batch": len(positives)}
    training = service.training(KEYWORDS, use=CONFIRMED)
    labelled = {m.customer for m in training.messages if "高意向" in m.labels}
    assert labelled == {customer for customer, _ in positives}
    against = {m.customer for m in training.messages if not m.labels}
    assert {customer for customer, _ in negatives} <= against
    assert len(against) == len(negatives) + background and against - set(labelled) <= (
        quiet | {customer for customer, _ in negatives})
    assert after.training_messages == len(training.messages) > 0

    confidence = {s.key: s.confidence for s in before.suggestions}
    changed = [s for s in after.suggestions if s.tag_name == "高意向"
               and s.key in confidence and abs(s.confidence - confidence[s.key]) > 1e-6]
    assert changed, "the learner trained on the batch moves some suggestion"


def test_tags_written_by_auto_tagging_are_not_confirmed_until_they_stayed_and_were_accepted(
        service: AutoTagService, synced_ws: Any) -> None:
    simulation = service.simulate(keywords=KEYWORDS, tags=["需上门"])
    accepted = simulation.would_add
    assert accepted
    tagging = TaggingService(synced_ws)
    batch_id = service.submit(service.plan(accepted), accepted)
    assert tagging.run(batch_id).status == "done"
    assert service.training(["需上门"], use=CONFIRMED).per_tag["需上门"].positives == 0

    service.accept(accepted)
    reviewed = service.training(["需上门"]).per_tag["需上门"]
    assert dict(reviewed.sources) == {"accepted": len({s.external_userid for s in accepted})}
    assert service.training(["需上门"], use=CONFIRMED).per_tag["需上门"].positives == 0
    settled = service.training(["需上门"], use=CONFIRMED, settle_days=0).per_tag["需上门"]
    assert dict(settled.sources) == {"review": len({s.external_userid for s in accepted})}

    service.reject(accepted[:1])
    rejected = service.training(["需上门"], use=CONFIRMED, settle_days=0).per_tag["需上门"]
    assert rejected.positives == settled.positives - 1
    assert rejected.negative_sources["rejected"] == 1
    assert service.training(["需上门"], use=REVIEWS).per_tag["需上门"].negative_sources[
        "rejected"] == 1
