"""Stored text in two languages: batch descriptions and journal reasons.

A writer stores `both(中文, English)`: "中文 / English" (one text when both are the same).
A reader shows `half(text, english)`: the half of the UI language. Names inside a text (a
tag group, a rule, a file) appear in both halves, so a name holding " / " leaves the middle
separator the one between the halves. Rows written before this form ("规则 rule: 北京归华北",
"收编 adopt 客户阶段 → 客户阶段（新）", "到期 expired, 规则 rule: …", "重标 replace …") read
in one language too.
"""

from __future__ import annotations

import re

SEPARATOR = " / "

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES: dict[str, str] = {CHINESE: "中文", ENGLISH: "English"}

LEGACY_WORDS = (                      # "中文 english" pairs older rows hold: (stored, zh, en)
    ("规则 rule: ", "规则：", "rules: "),
    ("到期 expired, ", "到期，", "expired, "),
    ("到期 expired", "到期", "expired"),
    ("到期 expires ", "到期 ", "expires "),
    ("收编 adopt ", "收编 ", "adopt "),
    ("重标 replace ", "重标 ", "replace "),
)
_LEGACY = re.compile("|".join(re.escape(stored) for stored, _zh, _en in LEGACY_WORDS))
_BY_STORED = {stored: (zh, en) for stored, zh, en in LEGACY_WORDS}


def both(zh: str, en: str) -> str:
    """What a writer stores: "中文 / English", or the one text when both read the same."""
    return zh if zh == en else f"{zh}{SEPARATOR}{en}"


def half(text: str, english: bool) -> str:
    """The half of a stored two-language text for the UI language; other text as it is."""
    parts = text.split(SEPARATOR)
    if len(parts) > 1:
        middle = len(parts) // 2 if len(parts) % 2 == 0 else 1
        text = SEPARATOR.join(parts[middle:] if english else parts[:middle])
    return _LEGACY.sub(lambda m: _BY_STORED[m.group(0)][1 if english else 0], text)


def shown(text: str, english: bool) -> str:
    """The half a reader shows on its own (a batch's description, a journal reason in a cell
    or a line): an English half starts with a capital, "expired, rules: X" → "Expired, …"."""
    found = half(text, english)
    return found[:1].upper() + found[1:] if english else found


def choose_language(saved: str, system_locale: str) -> str:
    """The UI language, as the app and the command line both pick it: the saved choice, else
    English on an English system (`system_locale` a name such as "en_US.UTF-8"), else Chinese
    (the default)."""
    if saved in LANGUAGES:
        return saved
    return ENGLISH if system_locale.lower().startswith("en") else CHINESE
