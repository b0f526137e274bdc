"""Negation, hedging and reported speech: whether a matched phrase is the customer's own
intent. 不想买了 is not a wish to buy, 朋友说你们家退款很麻烦 is not a refund request, and a
phrase inside quotation marks is someone else's words."""

from __future__ import annotations

import re
from bisect import bisect_right

from desktop.domain.autotag.normalise import QUOTE_PAIRS, NormalText

NEGATION_CUES = (
    "不", "没", "别", "未", "无需", "不用", "不是", "不太", "懒得", "不想", "不要", "没有", "不需要",
    "不打算", "没打算", "不考虑", "先不", "暂时不", "还没", "并不", "从不", "从没", "甭", "用不着",
    "不怎么", "犯不着", "not ", "don't ", "dont ", "never ", "no need", "no longer",
    # A rhetorical question denies (谁说要退了, 我什么时候说要退了).
    "谁说", "什么时候说", "哪里说", "哪说",
)
# Words that contain a cue but do not negate what follows them.
NOT_NEGATING = (
    "不错", "不少", "不过", "不仅", "不管", "不然", "不如", "不但", "不久", "不断", "不同", "不一样",
    "差不多", "不好意思", "对不起", "来不及", "忍不住", "了不起", "不知道", "不清楚", "不懂", "没想到",
    "没问题", "没关系", "没事", "别家", "别的", "别人", "别处", "别家", "要不", "不得不", "不一会",
    "没多久", "不到", "未来", "并不是说", "少不了", "免不了", "不止", "还不", "不知", "不记得",
    "别急", "没多少", "没几天", "不够", "没收到", "没到", "未到", "没发", "未发", "不发", "没回",
    "不回", "不能用", "不好用", "不满意", "没人", "不靠谱", "不行", "不对", "没效果", "不退",
    "特别", "区别", "分别", "级别", "识别", "类别", "性别", "差别", "告别", "好不容易", "恨不得",
    "巴不得", "不由得", "不禁", "没错", "没准",
    # Questions of the form X not X ask, they do not negate (有没有学生优惠, 要不要预约).
    "有没有", "是不是", "要不要", "想不想", "用不用", "需不需要", "打不打算",
    # A rhetorical question affirms (这不是耍人吗).
    "这不是", "不就是", "岂不是", "难道不是",
    # A refund not made yet is still about a refund (钱怎么还没退回来).
    "没退", "还没退", "没有退",
)
REPORTING_CUES = (
    "听说", "据说", "朋友说", "别人说", "他说", "她说", "他们说", "同事说", "网上说", "有人说", "人家说",
    "家人说", "老公说", "老婆说", "妈妈说", "邻居说", "朋友问", "别人问", "帮朋友问",
)
# Someone other than the customer and the seller, then what they said (我婆婆都说, 装修队说).
REPORTER = re.compile(
    r"(他|她|他们|她们|朋友|别人|人家|大家|网上|网友|同事|家人|家里人|邻居|老公|老婆|妈妈|我妈|我爸|"
    r"婆婆|同学|装修队|装修师傅|亲戚)(都|也|还|一直|老是|总是|总|跟我|和我|)(说|讲)")
NEGATION_WINDOW = 6
LATIN_NEGATION_WINDOW = 20
# What may stand between a negation and the phrase it negates: modal and degree words,
# pronouns, particles (不太想下单, 没有要退货, 不是来投诉的). Any other character ends the
# negation's reach (没涨价先续上: 没 negates 涨价, not 续上).
BRIDGE_CHARS = frozenset("想要需打算太是用会能再怎么很都还也就去来了过一点真的在给我你他她们这那个些着急用得准备说")


# A phrase the customer names and then waves away in the same clause: 差评我就不给了,
# 发票不用了, 退货就算了, 续约不考虑了. The clause must end there (a few particles aside), so 太贵了不要了
# still objects, and 坏了也不给修 still complains.
POSTPOSED_NEGATION = re.compile(
    r"[我你就先都还是的呢啊吧]{0,3}(不用|不需要|不要|不想要|不考虑|不打算|暂时不|先不|就不[^\s]{0,3}|就没[^\s]{0,3}|算|免)了[吧啊呀哈啦嘛]*")


# Questions by their form rather than a cue word: A-not-A (挤不挤, 包不包, 有没有) and a
# clause that ends in 不 / 没 after what it asks about (操作复杂不, 还有现货没; not 我还没).
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
# Words after which an A-not-A is the customer's own undecided matter, not a question to
# the seller (还没想好要不要买, 没决定买不买).
UNDECIDED = ("决定", "确定", "想好", "考虑", "纠结", "犹豫", "商量")
ENDING_NOT = re.compile(r"(?<![还也都就并从我你他她它们])[\u4e00-\u9fff](?:不|没|没有)[吗呢啊呀嘛]?$")
# A choice between two things that ends its clause (是卤的还是烤的, 偏黄还是偏白, 软还是硬, 穿s还是m);
# not 还是 as "still" (还是有点贵), which no 是 / 偏 … or opposite quality before it sets up.
QUALITY = "软硬大小长短厚薄甜咸辣淡冷热深浅高低重轻宽窄新旧真假多少快慢"
ALTERNATIVE = re.compile(r"(?:(?:是|偏|用|选|走|穿|拍|拿|订)[\u4e00-\u9fffa-z0-9]{1,6}还是[\u4e00-\u9fffa-z0-9]{1,6}"
                         rf"|[{QUALITY}]还是[{QUALITY}][的呢啊呀]?)$")


# A supposition: what follows is a case the customer imagines, not one they are in (要是不合适能退吗,
# 万一过敏怎么办); not 要是 inside 主要是 or 还要是, 万一 inside 千万一定 or 一万一千.
SUPPOSITION = re.compile(r"(?<![主需重只想不还就总也])要是|如果|假如|假设|倘若|若是|(?<![千一二两三四五六七八九十\d])万一")


def supposition(text: NormalText) -> tuple[int, int] | None:
    """(start, end) of the text's first supposition cue (要是, 如果, 万一 …), or None."""
    found = SUPPOSITION.search(text.text)
    return found.span() if found else None


def question_forms(text: NormalText) -> list[tuple[int, int]]:
    """(start, end) of each question the text asks by its form alone: A-not-A, a clause
    ending in 不 / 没, a choice between two things."""
    body = text.text
    found = [(match.start(), match.end()) for match in A_NOT_A.finditer(body)
             if not _undecided(text, match.start()) and not _repeated(body, match.start())]
    begin = 0
    for end in (*text.sorted_clauses, len(body)):
        match = ENDING_NOT.search(body, begin, end)
        if match is not None and end - begin >= 3 and not _repeated(body, match.start()):
            found.append((match.start(), match.end()))
        choice = ALTERNATIVE.search(body, begin, end)
        if choice is not None:
            found.append((choice.start(), choice.end()))
        begin = end + 1
    return found


def _repeated(body: str, at: int) -> bool:
    """没事没事, 不是不是, 没有没有: a word said twice over, not A-not-A nor a clause ending
    in 没有; 在不在: are you there."""
    return body[at] in "在能可" or (at > 0 and body[at - 1] == body[at + 1])


def _undecided(text: NormalText, at: int) -> bool:
    before = text.text[clause_start(text.sorted_clauses, at):at]
    return any(word in before for word in UNDECIDED)


def clause_start(positions: tuple[int, ...], at: int) -> int:
    """The first position of the clause that holds `at` (after the last break before it,
    `positions` ascending); a clause mark itself (the ? of a question) belongs to the clause
    it ends."""
    index = bisect_right(positions, at) - 1
    if index >= 0 and positions[index] == at and at > 0:
        index = bisect_right(positions, at - 1) - 1
    return positions[index] if index >= 0 else 0


def negation_cue(text: NormalText, start: int, latin: bool) -> str | None:
    """The negation or hedge that governs a phrase starting at `start`, if any."""
    window = LATIN_NEGATION_WINDOW if latin else NEGATION_WINDOW
    begin = max(clause_start(text.sorted_breaks, start), start - window)
    for cue in NEGATION_CUES:
        found = text.text.find(cue, begin, start)
        while found != -1:
            if _reaches(text.text, found + len(cue), start, latin) and not _cue_excused(
                    text.text, found, cue):
                return cue
            found = text.text.find(cue, found + 1, start)
    return None


def postposed_negation(text: NormalText, end: int) -> str | None:
    """The words after a phrase ending at `end` that wave it away (就不给了, 不用了), if the
    rest of its clause is only those; a space after them ends the clause too (发票不用了 谢谢),
    one right after the phrase does not (发票 不用了)."""
    marks = text.sorted_clauses
    index = bisect_right(marks, end - 1)
    clause_end = marks[index] if index < len(marks) else len(text.text)
    breaks = text.sorted_breaks
    after = bisect_right(breaks, end)
    if after < len(breaks):
        clause_end = min(clause_end, breaks[after])
    tail = text.text[end:clause_end]
    found = POSTPOSED_NEGATION.fullmatch(tail)
    return found.group(1) if found else None


def _reaches(text: str, cue_end: int, start: int, latin: bool) -> bool:
    between = text[cue_end:start]
    return latin or all(char in BRIDGE_CHARS for char in between)


def _cue_excused(text: str, at: int, cue: str) -> bool:
    if len(cue) == 1 and 0 < at < len(text) - 1 and text[at - 1] == text[at + 1]:
        return True  # 能不能 / 有没有 / 买不买: a question, not a negation
    for word in NOT_NEGATING:
        offset = word.find(cue)
        while offset != -1:
            begin = at - offset
            if begin >= 0 and text.startswith(word, begin):
                return True
            offset = word.find(cue, offset + 1)
    return False


def reported(text: NormalText, start: int, quotes: list[tuple[int, int]]) -> bool:
    """True when the phrase at `start` sits in quotation marks or after 听说 / 朋友说 /
    邻居都说 … in the same clause."""
    if any(begin <= start < end for begin, end in quotes):
        return True
    begin = clause_start(text.sorted_clauses, start)
    return (any(text.text.find(cue, begin, start) != -1 for cue in REPORTING_CUES)
            or REPORTER.search(text.text, begin, start) is not None)


def _apostrophe(text: str, at: int) -> bool:
    """The ' of I'd, it's, don't: between two Latin letters, it quotes nothing."""
    return (text[at] == "'" and 0 < at < len(text) - 1
            and text[at - 1].isascii() and text[at - 1].isalpha()
            and text[at + 1].isascii() and text[at + 1].isalpha())


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted passage; an unclosed quotation mark quotes nothing."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        closing = QUOTE_PAIRS.get(text[index])
        if closing is not None and not _apostrophe(text, index):
            end = text.find(closing, index + 1)
            while end != -1 and _apostrophe(text, end):
                end = text.find(closing, end + 1)
            if end != -1:
                spans.append((index + 1, end))
                index = end
        index += 1
    return spans
