"""Filter errors a user can fix, each with a zh + en sentence and the position to point at.

Every error is a `FilterError`: callers catch one type, show `str(err)` and put a
caret (see `render_caret`) under `err.position`, a 0-based character offset into
the filter text. `err.end` closes the offending range for GUI highlighting.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from desktop.domain.echo import echo
from desktop.domain.errors import UserError

# Machine-readable names of what the parser expected (FilterSyntaxError.expected).
EXPECT_TERM = "term"
EXPECT_VALUE = "value"
EXPECT_NUMBER = "number"
EXPECT_RPAREN = ")"
EXPECT_END = "end"
EXPECT_COLON = ":"

_LABELS: dict[str, tuple[str, str]] = {
    EXPECT_TERM: ("标签或条件", "a tag or a condition"),
    EXPECT_VALUE: ("值", "a value"),
    EXPECT_NUMBER: ("整数", "a whole number"),
    EXPECT_RPAREN: ("右括号 )", "a closing parenthesis )"),
    EXPECT_END: ("运算符或结尾", "an operator or the end"),
    EXPECT_COLON: ("冒号 :", "a colon :"),
}


def expected_label(code: str) -> tuple[str, str]:
    """The (zh, en) words for an expected-token code; a quote character stands for itself."""
    return _LABELS.get(code, (f"闭合引号 {code}", f"the closing quote {code}"))


class FilterError(UserError):
    """A filter the user must correct; `str()` is "中文 / English"."""

    def __init__(self, zh: str, en: str, position: int, end: int | None = None) -> None:
        super().__init__(zh, en)
        self.position = position
        self.end = position + 1 if end is None else end


class FilterSyntaxError(FilterError):
    """The text is not a well-formed filter; `expected` lists what would have fitted."""

    def __init__(
        self,
        position: int,
        expected: Sequence[str],
        found: str,
        *,
        zh: str | None = None,
        en: str | None = None,
        end: int | None = None,
    ) -> None:
        self.expected = tuple(expected)
        self.found = found
        if zh is None or en is None:
            labels = [expected_label(code) for code in self.expected]
            want_zh = "或".join(label[0] for label in labels)
            want_en = " or ".join(label[1] for label in labels)
            seen_zh = "输入结尾" if not found else f"“{echo(found)}”"
            seen_en = "the end of the filter" if not found else f"“{echo(found)}”"
            zh = f"第 {position + 1} 个字符处应为{want_zh}，却是{seen_zh}"
            en = f"expected {want_en} at character {position + 1}, found {seen_en}"
        super().__init__(zh, en, position, end)


class BadDateError(FilterError):
    """Not a date, or a date outside the years TagDesk can compare (`first`..`last`)."""

    def __init__(self, text: str, position: int, end: int, first: int, last: int) -> None:
        self.value = text
        shown = echo(text)
        super().__init__(
            f"无法识别的日期“{shown}”，请写成 2025-01-31、2025-01 或 2025（{first} 至 {last} 年）",
            f"“{shown}” is not a date; write 2025-01-31, 2025-01 or 2025 (years {first} to {last})",
            position, end,
        )


def _listing(items: Sequence[str]) -> str:
    return "、".join(items)


def _listing_en(items: Sequence[str]) -> str:
    return ", ".join(items)


class UnknownTagError(FilterError):
    def __init__(
        self, name: str, group: str | None, suggestions: Sequence[str], span: tuple[int, int],
        hint: tuple[str, str] | None = None,
    ) -> None:
        self.name = name
        self.group = group
        self.suggestions = list(suggestions)
        where_zh = f"分组“{echo(group)}”中" if group else ""
        where_en = f" in group “{echo(group)}”" if group else ""
        zh = f"{where_zh}没有标签“{echo(name)}”"
        en = f"no tag “{echo(name)}”{where_en}"
        if self.suggestions:
            zh += f"，是不是：{_listing(self.suggestions)}"
            en += f"; did you mean: {_listing_en(self.suggestions)}"
        if hint:
            zh += f"。{hint[0]}"
            en += f". {hint[1]}"
        super().__init__(zh, en, span[0], span[1])


class AmbiguousTagError(FilterError):
    """The bare name exists in several groups; `candidates` are the qualified spellings."""

    def __init__(self, name: str, candidates: Sequence[str], span: tuple[int, int]) -> None:
        self.name = name
        self.candidates = list(candidates)
        super().__init__(
            f"标签“{echo(name)}”在多个分组中都有，请写明分组：{_listing(self.candidates)}",
            f"tag “{echo(name)}” exists in several groups; name the group: "
            f"{_listing_en(self.candidates)}",
            span[0], span[1],
        )


class UnknownGroupError(FilterError):
    def __init__(self, group: str, suggestions: Sequence[str], span: tuple[int, int]) -> None:
        self.group = group
        self.suggestions = list(suggestions)
        zh = f"没有标签分组“{echo(group)}”"
        en = f"no tag group “{echo(group)}”"
        if self.suggestions:
            zh += f"，是不是：{_listing(self.suggestions)}"
            en += f"; did you mean: {_listing_en(self.suggestions)}"
        super().__init__(zh, en, span[0], span[1])


class UnknownOwnerError(FilterError):
    def __init__(self, value: str, suggestions: Sequence[str], span: tuple[int, int]) -> None:
        self.value = value
        self.suggestions = list(suggestions)
        zh = f"没有成员“{echo(value)}”（可写账号或姓名）"
        en = f"no member “{echo(value)}” (give a userid or a name)"
        if self.suggestions:
            zh += f"，是不是：{_listing(self.suggestions)}"
            en += f"; did you mean: {_listing_en(self.suggestions)}"
        super().__init__(zh, en, span[0], span[1])


class AmbiguousOwnerError(FilterError):
    def __init__(self, value: str, candidates: Sequence[str], span: tuple[int, int]) -> None:
        self.value = value
        self.candidates = list(candidates)
        super().__init__(
            f"有多个成员叫“{echo(value)}”，请用账号：{_listing(self.candidates)}",
            f"several members are called “{echo(value)}”; use the userid: "
            f"{_listing_en(self.candidates)}",
            span[0], span[1],
        )


class UnknownDepartmentError(FilterError):
    def __init__(self, value: str, suggestions: Sequence[str], span: tuple[int, int]) -> None:
        self.value = value
        self.suggestions = list(suggestions)
        zh = f"没有部门“{echo(value)}”（可写名称、路径或 ID）"
        en = f"no department “{echo(value)}” (give a name, a path or an id)"
        if self.suggestions:
            zh += f"，是不是：{_listing(self.suggestions)}"
            en += f"; did you mean: {_listing_en(self.suggestions)}"
        super().__init__(zh, en, span[0], span[1])


class AmbiguousDepartmentError(FilterError):
    def __init__(self, value: str, candidates: Sequence[str], span: tuple[int, int]) -> None:
        self.value = value
        self.candidates = list(candidates)
        super().__init__(
            f"有多个部门叫“{echo(value)}”，请写路径或 ID：{_listing(self.candidates)}",
            f"several departments are called “{echo(value)}”; give the path or the id: "
            f"{_listing_en(self.candidates)}",
            span[0], span[1],
        )


def _columns(char: str) -> int:
    """Terminal columns of one character: wide CJK takes two, combining marks none."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def render_caret(text: str, position: int) -> str:
    """The filter on one line and a caret under `position` (aligned for CJK in a terminal).

    >>> print(render_caret("高意向 AND", 7))
    高意向 AND
              ^
    """
    line = "".join(" " if char.isspace() else char for char in text)
    position = max(0, min(position, len(line)))
    pad = sum(_columns(char) for char in line[:position])
    return f"{line}\n{' ' * pad}^"


def describe_error(text: str, error: FilterError) -> str:
    """The error sentence followed by the filter with a caret: ready for a terminal."""
    return f"{error}\n{render_caret(text, error.position)}"
