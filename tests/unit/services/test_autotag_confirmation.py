"""Which carried tags count as confirmed: set by a person, or stayed and accepted; a later
rejection cancels, a person's later tag overrides an earlier rejection."""

from __future__ import annotations

import pytest

from desktop.services.autotag_training import REVIEW, confirmation
from desktop.store.autotag_settings import ACCEPTED, REJECTED, Review

DAY = 86_400.0
NOW = 100 * DAY
SETTLE = 30 * DAY


def _verdict(verdict: str, at: float) -> Review:
    return Review("wmC", "u1", "高意向", verdict, (1,), "boss", at)


@pytest.mark.parametrize(("added", "verdict", "expected"), [
    ((NOW - DAY, "batch"), None, "batch"),
    ((NOW - DAY, "app"), None, "app"),
    ((NOW - DAY, "import"), None, "import"),
    ((NOW - DAY, "callback"), None, "callback"),
    ((NOW - DAY, "autotag"), None, ""),
    ((NOW - 90 * DAY, "rule"), None, ""),                          # old, never reviewed
    ((NOW - 90 * DAY, "observed"), None, ""),
    (None, None, ""),                                               # before the first sync
    ((NOW - DAY, "autotag"), _verdict(ACCEPTED, NOW - 2 * DAY), ""),  # not settled yet
    ((NOW - 31 * DAY, "autotag"), _verdict(ACCEPTED, NOW - 32 * DAY), REVIEW),
    ((NOW - 31 * DAY, "livecode"), _verdict(ACCEPTED, NOW - DAY), REVIEW),
    (None, _verdict(ACCEPTED, NOW - DAY), REVIEW),                  # there before TagDesk
    ((NOW - 5 * DAY, "batch"), _verdict(REJECTED, NOW - DAY), ""),  # rejected since
    ((NOW - DAY, "batch"), _verdict(REJECTED, NOW - 5 * DAY), "batch"),  # set again since
    (None, _verdict(REJECTED, NOW - DAY), ""),
])
def test_confirmation(added: tuple[float, str] | None, verdict: Review | None,
                      expected: str) -> None:
    assert confirmation(added, verdict, SETTLE, NOW) == expected


def test_a_confirmed_customers_messages_keep_only_the_tags_the_rules_do_not_contradict() -> None:
    from desktop.domain.autotag import AutoTagger, TagKeywords
    from desktop.services.autotag_packs import load_intent_packs
    from desktop.services.autotag_training import RuleCheck

    keywords = {"嫌贵": ("太贵", "便宜点", "优惠"), "物流": ("快递", "发货", "物流")}
    tagger = AutoTagger.build([TagKeywords(n, w) for n, w in keywords.items()], (),
                              packs=load_intent_packs())
    check = RuleCheck(tagger, frozenset(keywords))
    confirmed = {"嫌贵", "老客户"}          # 老客户: a tag the rules know nothing of
    assert check.labels("怎么还不发货", confirmed) == {"老客户"}
    assert check.labels("能便宜点不，什么时候发货", confirmed) == confirmed
    assert check.labels("好的，我再想想", confirmed) == confirmed
    assert check.labels("太贵了", {"物流"}) == set()
