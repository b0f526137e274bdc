"""The review's evidence snippet: cut around the customer's own words, even in a long
message written in traditional characters."""

from __future__ import annotations

from desktop.domain.autotag import AutoTagger, TagKeywords
from desktop.services.autotag_packs import load_intent_packs
from desktop.services.autotag_simulation import SNIPPET_CHARS, snippet


def test_a_long_message_is_cut_around_the_deciding_words_as_written() -> None:
    tagger = AutoTagger.build([TagKeywords("价格异议", ("太贵", "便宜点", "优惠"))],
                              packs=load_intent_packs())
    text = "我們公司在考慮明年的系統升級，" * 6 + "不過說實話預算不太夠，老闆還在猶豫。"
    [suggestion] = tagger.suggest(text)
    assert suggestion.evidence == ("預算不太夠",)
    shown = snippet(text, suggestion.evidence)
    assert "預算不太夠" in shown and len(shown) <= SNIPPET_CHARS + 2
