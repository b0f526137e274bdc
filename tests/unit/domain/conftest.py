"""The auto-tagger the intent-pack test modules check: a module's own TAGS, or else the twelve
tags of a typical shop below, with the bundled intent packs."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger, TagKeywords
from desktop.services.autotag_packs import load_intent_packs

SHOP_TAGS = (
    TagKeywords("价格异议", ("太贵", "便宜点", "优惠", "打折")),
    TagKeywords("高意向", ("想买", "下单", "付款", "定金")),
    TagKeywords("售后问题", ("坏了", "维修", "质量问题", "保修")),
    TagKeywords("物流咨询", ("快递", "发货", "物流", "单号")),
    TagKeywords("竞品对比", ("别家", "对比", "竞品")),
    TagKeywords("预约到店", ("预约", "到店", "试驾", "试听")),
    TagKeywords("开票需求", ("发票", "开票", "报销")),
    TagKeywords("退款退货", ("退款", "退货", "退钱", "换货")),
    TagKeywords("投诉", ("投诉", "差评", "态度差", "12315")),
    TagKeywords("续费意向", ("续费", "续约", "到期", "续报")),
    TagKeywords("产品咨询", ("多少钱", "价格", "怎么收费", "介绍一下")),
    TagKeywords("无效客户", ("广告", "兼职", "代开", "加微信")),
)


@pytest.fixture(scope="module")
def tagger(request: pytest.FixtureRequest) -> AutoTagger:
    """Built once per module."""
    return AutoTagger.build(getattr(request.module, "TAGS", SHOP_TAGS), packs=load_intent_packs())
