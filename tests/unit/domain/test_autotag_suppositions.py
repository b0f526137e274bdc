"""A supposition the customer asks about (要是不合适能退吗) is a question about the rules
before buying, not a return, a fault or a purchase of their own."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger
from desktop.services.autotag_packs import load_intent_packs
from tests.unit.domain.test_autotag_precision import TAGS


@pytest.fixture(scope="module")
def tagger() -> AutoTagger:
    return AutoTagger.build(TAGS, packs=load_intent_packs())


@pytest.mark.parametrize(("text", "tags"), [
    ("要是不合适能退吗", {"产品咨询"}),
    ("孩子要是上不惯，学费能退吗", {"产品咨询"}),       # the case in one clause, the question in the next
    ("万一用了过敏怎么办", {"产品咨询"}),               # an imagined side effect
    ("假如系统出故障了你们管吗", {"产品咨询"}),
    ("我买的这台要是修不好能退吗", {"退款退货"}),       # already bought: their own return
    ("要是再不处理我就投诉", {"投诉"}),                 # a threat asks nothing
    ("主要是价格太贵", {"价格异议"}),                   # 要是 inside 主要是 supposes nothing
    ("如果今天下单，什么时候能到", {"物流咨询"}),       # a delivery question stays one
])
def test_tags(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
