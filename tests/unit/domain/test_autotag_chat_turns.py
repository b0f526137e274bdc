"""Short chat turns: a shop that moved is no parcel, 还续 renews, a bulk price bargains, invoice
details as last year's ask no price, and a customer kept waiting or left unanswered complains
(到底管不管, 耽误人) rather than asks or books."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


@pytest.mark.parametrize(("text", "tags"), [
    ("你们店搬到哪了，上次去没找着", set()),
    ("健身房搬到什么地方了", set()),
    ("明年我们还续", {"续费意向"}),
    ("下学期的课照常续", {"续费意向"}),
    ("我们十二家店，能给个打包价不", {"价格异议"}),
    ("麻烦把发票开一下，抬头跟去年一样", {"开票需求"}),
    ("每次都这样，你们到底管不管", {"投诉"}),
    ("挂了号等了一上午，医生不在，这不是耽误人吗", {"投诉"}),
    ("约好的十点，白跑一趟", {"投诉"}),
    # guards: a parcel still asked after, a price still bargained, a shop still booked
    ("快递到哪了", {"物流咨询"}),
    ("能便宜点吗", {"价格异议"}),
    ("明天上午能过去吗", {"预约到店"}),
])
def test_chat_turns(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
