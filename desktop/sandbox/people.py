"""Believable Chinese people and companies for members and customers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from desktop.sandbox.corpus import (
    COMPANY_CORES,
    COMPANY_REGIONS,
    COMPANY_TRADES,
    CUSTOMER_NICKNAMES,
    CUSTOMER_POSITIONS,
    GIVEN_CHARS,
    SURNAMES,
)
from desktop.sandbox.ids import (
    WECHAT_CUSTOMER_PREFIX,
    WECOM_CUSTOMER_PREFIX,
    hex_id,
    opaque_id,
)

WECOM_CUSTOMER_SHARE = 0.25


@dataclass(frozen=True)
class Customer:
    external_userid: str
    name: str
    type: int
    gender: int
    avatar: str
    unionid: str
    position: str
    corp_name: str
    corp_full_name: str

    def row(self) -> tuple[str, str, int, int, str, str, str, str, str]:
        return (
            self.external_userid,
            self.name,
            self.type,
            self.gender,
            self.avatar,
            self.unionid,
            self.position,
            self.corp_name,
            self.corp_full_name,
        )


def person_name(rng: random.Random) -> tuple[str, str]:
    """A Chinese name and its pinyin, e.g. ("王晓明", "wangxiaoming")."""
    surname, surname_py = rng.choice(SURNAMES)
    parts = [rng.choice(GIVEN_CHARS) for _ in range(1 if rng.random() < 0.35 else 2)]
    return surname + "".join(c for c, _ in parts), surname_py + "".join(p for _, p in parts)


def new_customer(rng: random.Random, taken: set[str]) -> Customer:
    """A customer with an external_userid not yet in `taken` (which it joins)."""
    wecom_user = rng.random() < WECOM_CUSTOMER_SHARE
    prefix = WECOM_CUSTOMER_PREFIX if wecom_user else WECHAT_CUSTOMER_PREFIX
    external_userid = opaque_id(rng, prefix)
    while external_userid in taken:
        external_userid = opaque_id(rng, prefix)
    taken.add(external_userid)
    name = person_name(rng)[0]
    if not wecom_user and rng.random() < 0.15:
        name = rng.choice(CUSTOMER_NICKNAMES)
    position = corp_name = corp_full_name = ""
    if wecom_user:
        region = rng.choice(COMPANY_REGIONS)
        core = rng.choice(COMPANY_CORES)
        trade, suffix = rng.choice(COMPANY_TRADES)
        corp_name = core + trade
        corp_full_name = region + core + suffix
        position = rng.choice(CUSTOMER_POSITIONS)
    unionid = opaque_id(rng, "o", 28) if not wecom_user and rng.random() < 0.6 else ""
    return Customer(
        external_userid=external_userid,
        name=name,
        type=2 if wecom_user else 1,
        gender=rng.choices((0, 1, 2), weights=(1, 5, 5))[0],
        avatar=f"http://wx.qlogo.cn/mmhead/{hex_id(rng, 40)}/0",
        unionid=unionid,
        position=position,
        corp_name=corp_name,
        corp_full_name=corp_full_name,
    )
