"""Tag and group names WeCom accepts, checked before anything is sent.

WeCom's own answers (40072 for a long name, 40071 for a duplicate) come late and in English at best;
these checks run while the user types and say in one sentence how to fix the name. They also keep
out what breaks the rest of the chain even when WeCom accepts it: separators that split a name in a
spreadsheet import or a CRM sync, control characters, and emoji that 3-byte databases drop.

A tag name may be a path (`教育/K12/小学`): TagDesk shows it as a deeper tree, up to five levels
with the group as level 1, so a path has at most four segments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

MAX_NAME_LEN = 30
"""WeCom's documented limit, counted in code points (longer names fail with 40072)."""
CONSOLE_NAME_LEN = 15
"""What the admin console's help text quotes; longer names may be cut off there."""
MAX_LEVELS = 5
"""Tree levels TagDesk shows, the group being level 1."""
PATH_SEPARATOR = "/"

SEPARATORS = frozenset(",，;；、|｜")
"""Characters that split one cell into several tags in imports and CRM syncs."""
_LIST_SPLIT = re.compile(r"[、,，;；\r\n\u0085\u2028\u2029]")
_NEWLINES = frozenset("\n\r\u0085\u2028\u2029")
_SPACE_AROUND_SLASH = re.compile(r" ?/ ?")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_EMOJI_VARIATION_SELECTOR = "\ufe0f"
# Basic-plane characters that display as emoji by default (Unicode Emoji_Presentation=Yes).
_BMP_EMOJI_RANGES = (
    (0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3),
    (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F),
    (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB), (0x26BD, 0x26BE),
    (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
    (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
    (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C),
    (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797),
    (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
)  # fmt: skip


class ProblemCode(StrEnum):
    """Stable codes so that callers (import report, tests) need not parse message text."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    LONG = "long"
    DUPLICATE = "duplicate"
    CONTROL = "control"
    NEWLINE = "newline"
    EMOJI = "emoji"
    SEPARATOR = "separator"
    PATH_EMPTY_SEGMENT = "path_empty_segment"
    PATH_EDGE = "path_edge"
    PATH_DEPTH = "path_depth"
    WHITESPACE = "whitespace"
    WIDTH = "width"


@dataclass(frozen=True, slots=True)
class Problem:
    """One readable sentence, in Chinese and English, that says what to change."""

    code: ProblemCode
    zh: str
    en: str


@dataclass(slots=True)
class NameCheck:
    """The outcome of a name check: errors block saving, warnings only inform."""

    normalized: str
    """The name as TagDesk would send it to WeCom."""
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize(name: str) -> str:
    """Fold full-width forms (NFKC), trim, collapse inner whitespace and spaces around `/`.

    `ＶＩＰ　客户 ` becomes `VIP 客户`, `教育 / K12` becomes `教育/K12`.
    """
    folded = unicodedata.normalize("NFKC", name)
    return _SPACE_AROUND_SLASH.sub(PATH_SEPARATOR, " ".join(folded.split()))


def name_key(name: str) -> str:
    """Comparison key: equal keys are the same name to WeCom (case- and width-insensitive)."""
    return normalize(name).casefold()


def split_path(name: str) -> list[str]:
    """Path segments of a tag name, empty segments dropped: `教育//K12/` → `["教育", "K12"]`."""
    return [segment for segment in normalize(name).split(PATH_SEPARATOR) if segment]


def split_tag_list(cell: str) -> list[str]:
    """Tag names in one spreadsheet cell, split on 、 , ， ; ； and newlines.

    Each name is normalised; empty items are dropped and repeats removed, first one kept.
    """
    names: list[str] = []
    for part in _LIST_SPLIT.split(cell):
        name = normalize(part)
        if name and name not in names:
            names.append(name)
    return names


def validate_tag_name(
    name: str,
    siblings: Iterable[str],
    *,
    max_len: int = MAX_NAME_LEN,
    warn_len: int = CONSOLE_NAME_LEN,
    max_depth: int = MAX_LEVELS,
) -> NameCheck:
    """Check a tag name against the other names in its group (exclude the tag being renamed).

    Warnings that say how the name will be saved (trimmed, width-folded) come only when nothing
    blocks saving it.
    """
    problems = _path_problems(normalize(name), max_depth)
    return _check_common(
        name, siblings, max_len=max_len, warn_len=warn_len, is_group=False, extra=problems
    )


def validate_group_name(
    name: str,
    groups: Iterable[str],
    *,
    max_len: int = MAX_NAME_LEN,
    warn_len: int = CONSOLE_NAME_LEN,
) -> NameCheck:
    """Check a group name against every other group name in the corp (WeCom needs them unique)."""
    return _check_common(name, groups, max_len=max_len, warn_len=warn_len, is_group=True, extra=[])


def _check_common(
    name: str,
    others: Iterable[str],
    *,
    max_len: int,
    warn_len: int,
    is_group: bool,
    extra: list[Problem],
) -> NameCheck:
    check = NameCheck(normalize(name))
    text = check.normalized
    if not text:
        check.errors.append(_empty(is_group))
        return check
    inner = name.strip()
    if any(ch in _NEWLINES for ch in inner):
        check.errors.append(
            Problem(
                ProblemCode.NEWLINE,
                "名称中间有换行，表格导入会把它拆成两行；请把名称写在同一行。",
                "The name contains a line break that splits it in spreadsheet imports; "
                "write it on one line.",
            )
        )
    check.errors.extend(_character_problems(inner, text))
    length = len(text)
    if length > max_len:
        check.errors.append(
            Problem(
                ProblemCode.TOO_LONG,
                f"名称有 {length} 个字，企业微信最多允许 {max_len} 个，请删掉 {length - max_len} 个字。",
                f"The name has {length} characters but WeCom allows at most {max_len}; "
                f"remove {length - max_len}.",
            )
        )
    elif length > warn_len:
        check.warnings.append(
            Problem(
                ProblemCode.LONG,
                f"名称超过 {warn_len} 个字，企业微信管理后台可能显示不全；如需完整显示请缩短。",
                f"Names longer than {warn_len} characters may be cut off in the WeCom admin "
                "console; shorten it if it must show in full.",
            )
        )
    key = text.casefold()
    clash = next((other for other in others if name_key(other) == key), None)
    if clash is not None:
        check.errors.append(_duplicate(clash, is_group))
    check.errors.extend(extra)
    if check.ok:
        check.warnings.extend(_normalisation_warnings(name, text, inner))
    return check


def _empty(is_group: bool) -> Problem:
    if is_group:
        return Problem(ProblemCode.EMPTY, "标签组名称不能为空，请输入名称。", "Type a group name.")
    return Problem(ProblemCode.EMPTY, "标签名称不能为空，请输入名称。", "Type a tag name.")


def _duplicate(clash: str, is_group: bool) -> Problem:
    if is_group:
        return Problem(
            ProblemCode.DUPLICATE,
            f"企业里已有标签组「{clash}」（不区分大小写和全半角），请换一个组名。",
            f'The corp already has a group named "{clash}" (ignoring case and width); '
            "choose another name.",
        )
    return Problem(
        ProblemCode.DUPLICATE,
        f"本组已有标签「{clash}」（不区分大小写和全半角），请换一个名称。",
        f'This group already has a tag named "{clash}" (ignoring case and width); '
        "choose another name.",
    )


def _character_problems(inner: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    invisible = [
        ch
        for ch in inner
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES and ch not in _NEWLINES and ch != "\t"
    ]
    if invisible:
        codes = " ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(invisible))
        problems.append(
            Problem(
                ProblemCode.CONTROL,
                f"名称含有看不见的控制字符（{codes}），通常来自复制粘贴；请删掉后重新输入。",
                f"The name contains invisible control characters ({codes}), usually from "
                "copy and paste; delete them and retype the name.",
            )
        )
    emoji = [ch for ch in text if _is_emoji(ch)]
    if emoji:
        shown = "".join(dict.fromkeys(ch for ch in emoji if ch != _EMOJI_VARIATION_SELECTOR))
        problems.append(
            Problem(
                ProblemCode.EMOJI,
                f"名称含有表情符号或生僻字「{shown}」，企业微信后台和外部系统可能无法保存；请删掉或换成常用字。",
                f'The name contains emoji or rare characters "{shown}" that WeCom\'s console '
                "and other systems may not store; remove them or use common characters.",
            )
        )
    separators = [
        ch for ch in inner if ch in SEPARATORS or unicodedata.normalize("NFKC", ch) in SEPARATORS
    ]
    if separators:
        unique = list(dict.fromkeys(separators))
        shown_zh = "".join(f"「{ch}」" for ch in unique)
        shown_en = " ".join(f'"{ch}"' for ch in unique)
        problems.append(
            Problem(
                ProblemCode.SEPARATOR,
                f"名称含有分隔符{shown_zh}，表格导入和 CRM 同步会把它拆成几个标签；请删掉或改用「-」。",
                f"The name contains the separator {shown_en}, which splits it into several tags "
                'in imports and CRM syncs; remove it or use "-".',
            )
        )
    return problems


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    if code > 0xFFFF or ch == _EMOJI_VARIATION_SELECTOR:
        return True
    return any(low <= code <= high for low, high in _BMP_EMOJI_RANGES)


def _path_problems(text: str, max_depth: int) -> list[Problem]:
    if PATH_SEPARATOR not in text:
        return []
    problems: list[Problem] = []
    if text.startswith(PATH_SEPARATOR) or text.endswith(PATH_SEPARATOR):
        problems.append(
            Problem(
                ProblemCode.PATH_EDGE,
                "名称不能以「/」开头或结尾；「/」只用来分隔层级，如「教育/K12」。",
                'The name must not start or end with "/"; use "/" only between levels, '
                'as in "教育/K12".',
            )
        )
    if PATH_SEPARATOR * 2 in text.strip(PATH_SEPARATOR):
        problems.append(
            Problem(
                ProblemCode.PATH_EMPTY_SEGMENT,
                "名称里有连续的「//」，中间缺少一级名称；请删掉多余的「/」或补上名称。",
                'The name has "//" with an empty level between; remove the extra "/" '
                "or fill in the level.",
            )
        )
    segments = split_path(text)
    max_segments = max_depth - 1
    if len(segments) > max_segments:
        problems.append(
            Problem(
                ProblemCode.PATH_DEPTH,
                f"名称有 {len(segments)} 级，标签树最多显示 {max_depth} 级（标签组算第 1 级），"
                f"请把路径减到 {max_segments} 段以内。",
                f"The name has {len(segments)} levels but the tree shows at most {max_depth} "
                f"(the group is level 1); use at most {max_segments} path segments.",
            )
        )
    return problems


def _normalisation_warnings(name: str, text: str, inner: str) -> list[Problem]:
    warnings: list[Problem] = []
    single_line = "".join(" " if ch in _NEWLINES else ch for ch in inner)
    spaced = _collapse_spaces(single_line)
    if name != inner or spaced != single_line:
        warnings.append(
            Problem(
                ProblemCode.WHITESPACE,
                f"首尾和多余的空格会被去掉，名称将保存为「{text}」。",
                f"Leading, trailing and repeated spaces are removed; the name is saved as "
                f'"{text}".',
            )
        )
    if unicodedata.normalize("NFKC", spaced) != spaced:
        warnings.append(
            Problem(
                ProblemCode.WIDTH,
                f"全角字母、数字和符号会转换为半角，名称将保存为「{text}」。",
                f"Full-width letters, digits and symbols are converted to normal width; "
                f'the name is saved as "{text}".',
            )
        )
    return warnings


def _collapse_spaces(text: str) -> str:
    return _SPACE_AROUND_SLASH.sub(PATH_SEPARATOR, " ".join(text.split()))
