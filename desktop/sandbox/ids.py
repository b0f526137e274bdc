"""Id shapes copied from WeCom: opaque strings that look like the real ones."""

from __future__ import annotations

import random
import string

URLSAFE = string.ascii_letters + string.digits + "-_"
ID_LENGTH = 32

CORP_TAG_PREFIX = "et"
STRATEGY_TAG_PREFIX = "st"
WECHAT_CUSTOMER_PREFIX = "wm"
WECOM_CUSTOMER_PREFIX = "wo"


def opaque_id(rng: random.Random, prefix: str, length: int = ID_LENGTH) -> str:
    """`prefix` followed by URL-safe characters, `length` characters in all."""
    return prefix + "".join(rng.choices(URLSAFE, k=length - len(prefix)))


def hex_id(rng: random.Random, digits: int = 32) -> str:
    """Lower-case hex, as in contact-way config ids and avatar paths."""
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def looks_like_external_userid(value: str) -> bool:
    """WeChat (`wm`) and WeCom (`wo`) customers; anything else is answered with 40096."""
    return value.startswith((WECHAT_CUSTOMER_PREFIX, WECOM_CUSTOMER_PREFIX)) and len(value) > 8
