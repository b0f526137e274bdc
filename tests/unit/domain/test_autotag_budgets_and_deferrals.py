"""Down payments and monthly instalments asked about or over budget are no purchase, a
registration supposed (报名的话) asks rather than enrols, a total over budget bargains, and a
renewal waved away at the end (先不续) renews nothing."""

from __future__ import annotations

import pytest

from desktop.domain.autotag import AutoTagger


@pytest.mark.parametrize(("text", "tags"), [
    ("首付比例最低几成", {"产品咨询"}),
    ("有没有首付分期的政策", {"产品咨询"}),
    ("月供三千以内的车有哪些", {"产品咨询"}),
    ("我们首付就八十万，再多真拿不出了", {"价格异议"}),
    ("户型挺喜欢，就是总价超了二十来万", {"价格异议"}),
    ("钢琴班现在报名的话几号开课", {"产品咨询"}),
    ("会员快到期了，不过明年先不续", set()),
    ("合同要到期了，今年不续约", set()),
    # guards: a down payment paid, an enrolment, a renewal still enrol, pay and renew
    ("首付已经转过去了", {"高意向"}),
    ("我报名", {"高意向"}),
    ("会员快到期了，帮我续一年", {"续费意向"}),
])
def test_budgets_and_deferrals(tagger: AutoTagger, text: str, tags: set[str]) -> None:
    assert set(tagger.labels(text)) == tags
