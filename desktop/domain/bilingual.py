"""Stored text in two languages: batch descriptions and journal reasons.

A writer stores `both(中文, English)`: "中文 / English", the English half starting with a
capital (one text when both are the same).
A reader shows `half(text, english)`: the half of the UI language. Names inside a text (a
tag group, a rule, a file) appear in both halves, so a name holding " / " leaves the middle
separator the one between the halves. Rows written before this form ("规则 rule: 北京归华北",
"收编 adopt 客户阶段 → 客户阶段（新）", "到期 expired, 规则 rule: …", "重标 replace …",
"撤销 undo …", "迁移 migrate …", "标签到期 tag expiry: …") read in one language too, and so
do English halves stored in lowercase ("rules: …").
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
    ("撤销 undo ", "撤销 ", "undo "),
    ("迁移 migrate ", "迁移 ", "migrate "),
    ("标签到期 tag expiry: ", "标签到期：", "tag expiry: "),
)
_LEGACY = re.compile("|".join(re.escape(stored) for stored, _zh, _en in LEGACY_WORDS))
_BY_STORED = {stored: (zh, en) for stored, zh, en in LEGACY_WORDS}
_LETTER = re.compile(r"[^\W\d_]")            # a letter of any script, not a digit


def both(zh: str, en: str) -> str:
    """What a writer stores: "中文 / English" with a capital ("expired" → "Expired"), or the
    one text when both read the same."""
    return zh if zh == en else f"{zh}{SEPARATOR}{capitalised(en)}"


def capitalised(text: str) -> str:
    """The first letter as a capital, also after a leading number or sign ("#4 not decided" →
    "#4 Not decided"); a letter inside a word stays ("+vip", a tag name, as it is)."""
    at = _first_word_letter(text)
    return text if at is None else text[:at] + text[at].upper() + text[at + 1:]


def inner(text: str) -> str:
    """An English half quoted inside another sentence ("Revert " + "expired …", "#4 not …"):
    its first letter lowercase again, unless the word is all capitals ("VIP")."""
    at = _first_word_letter(text)
    if at is None or not text[at + 1:at + 2].islower():
        return text
    return text[:at] + text[at].lower() + text[at + 1:]


def _first_word_letter(text: str) -> int | None:
    """Where the text's first letter is, if it starts a word (nothing or a space before it)."""
    found = _LETTER.search(text)
    if found is None or (found.start() and not text[found.start() - 1].isspace()):
        return None
    return found.start()


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
    return capitalised(found) if english else found


def choose_language(saved: str, system_locale: str) -> str:
    """The UI language, as the app and the command line both pick it: the saved choice, else
    English on an English system (`system_locale` a name such as "en_US.UTF-8"), else Chinese
    (the default)."""
    if saved in LANGUAGES:
        return saved
    return ENGLISH if system_locale.lower().startswith("en") else CHINESE
