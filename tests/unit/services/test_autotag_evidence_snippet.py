"""The review's evidence snippet: cut around the customer's own words, even in a long
message written in traditional characters."""

from __future__ import annotations

from desktop.domain.autotag import AutoTagger, TagKeywords
from desktop.services.autotag_packs import load_intent_packs
from desktop.services.autotag_simulation import SNIPPET_CHARS, _Found, _take, snippet
from desktop.store.chats import StoredMessage


def test_a_long_message_is_cut_around_the_deciding_words_as_written() -> None:
    tagger = AutoTagger.build([TagKeywords("价格异议", ("太贵", "便宜点", "优惠"))],
                              packs=load_intent_packs())
    text = "我們公司在考慮明年的系統升級，" * 6 + "不過說實話預算不太夠，老闆還在猶豫。"
    [suggestion] = tagger.suggest(text)
    assert suggestion.evidence == ("預算不太夠",)
    shown = snippet(text, suggestion.evidence)
    assert "預算不太夠" in shown and len(shown) <= SNIPPET_CHARS + 2


def test_a_message_sent_twice_is_shown_once_and_leaves_its_place_to_other_evidence() -> None:
    tagger = AutoTagger.build([TagKeywords("物流咨询", ("发货", "物流", "快递"))],
                              packs=load_intent_packs())
    said = ["什么时候能发货？", "什么时候能发货？", "快递到哪了，物流一直没更新", "什么时候能发货？"]
    found = _Found()
    for number, text in enumerate(said, start=1):
        for suggestion in tagger.suggest(text):
            _take(found, StoredMessage(number, 1_700_000_000.0 + number, "zhangsan", "wm1",
                                       "customer", text), suggestion)
    shown = [evidence.snippet for _, evidence in found.evidence]
    assert len(shown) == len(set(shown)) == 2
    assert {evidence.message_id for _, evidence in found.evidence} == {1, 3}
