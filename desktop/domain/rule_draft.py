"""A rule being edited: the rule format's JSON as a form (name, flags, a tree of all / any /
not groups with leaf rows, the action), read from a definition and written back to one.

Which leaves the editor offers, and how their value is edited, is one table:
`CONDITION_KINDS` (JSON key, label zh/en, value kind). A leaf the table does not know, or
whose value the form cannot show exactly (a word containing a separator, a fractional
number, three comparisons), stays a JSON leaf: its value is edited as JSON text, so every
valid rule opens and saves back unchanged. Validation is the rule format's own
(`rule_format.parse_rule`), with the path of the bad field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from desktop.domain.events import type_name
from desktop.domain.rule_format import RuleFormatError, parse_rule
from desktop.domain.rules import COMPARE_OPS, Rule


class ValueKind(Enum):
    WORDS = "words"          # a word or a list: any of them
    TAGS = "tags"            # tags "名" or "组:名"
    NUMBER = "number"        # comparisons with whole numbers
    DATE = "date"            # comparisons with dates YYYY-MM-DD
    CHOICE = "choice"        # one of a few values
    EVENT = "event"          # an event happened: type, within days, count, value
    EVENT_DAYS = "event_days"  # days since the last event of a type, compared
    JSON = "json"            # anything else: the value as JSON text


@dataclass(frozen=True)
class Choice:
    value: str               # as written to the file
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionKind:
    key: str                 # the leaf's JSON key
    zh: str
    en: str
    value: ValueKind
    choices: tuple[Choice, ...] = ()

    def choice(self, value: object) -> Choice | None:
        if not isinstance(value, str):
            return None
        wanted = value.strip().lower()
        return next((c for c in self.choices if wanted in (c.value, *c.aliases)), None)


CONDITION_KINDS: tuple[ConditionKind, ...] = (
    ConditionKind("state", "渠道活码 state", "Live code state", ValueKind.WORDS),
    ConditionKind("region", "地区", "Region", ValueKind.WORDS),
    ConditionKind("remark", "备注", "Remark", ValueKind.WORDS),
    ConditionKind("description", "描述", "Description", ValueKind.WORDS),
    ConditionKind("corp_name", "公司名", "Corp name", ValueKind.WORDS),
    ConditionKind("text", "任一文字", "Any text", ValueKind.WORDS),
    ConditionKind("gender", "性别", "Gender", ValueKind.CHOICE, (
        Choice("male", "男", "male", ("男",)), Choice("female", "女", "female", ("女",)),
        Choice("unknown", "未知", "unknown", ("未知",)))),
    ConditionKind("has", "有全部标签", "Has all tags", ValueKind.TAGS),
    ConditionKind("has_any", "有任一标签", "Has any tag", ValueKind.TAGS),
    ConditionKind("has_not", "没有标签", "Has none of the tags", ValueKind.TAGS),
    ConditionKind("intent", "聊天意向", "Chat intent", ValueKind.WORDS),
    ConditionKind("tag_count", "标签数", "Tag count", ValueKind.NUMBER),
    ConditionKind("days_since_added", "添加天数", "Days since added", ValueKind.NUMBER),
    ConditionKind("added", "添加日期", "Date added", ValueKind.DATE),
    ConditionKind("event", "行为事件", "Behaviour event", ValueKind.EVENT),
    ConditionKind("days_since_event", "距上次事件天数", "Days since last event",
                  ValueKind.EVENT_DAYS),
)
DEFAULT_EVENT_COUNT = {">=": 1}     # an event condition without a count: at least one
KINDS: Mapping[str, ConditionKind] = {kind.key: kind for kind in CONDITION_KINDS}
GROUP_OPS: Mapping[str, tuple[str, str]] = {
    "all": ("全部满足", "All of"), "any": ("任一满足", "Any of"), "not": ("不满足", "Not")}
UNITS: Mapping[str, tuple[str, str]] = {"d": ("天", "days"), "h": ("小时", "hours"),
                                        "w": ("周", "weeks")}
_UNIT_OF = {"d": "d", "天": "d", "h": "h", "小时": "h", "w": "w", "周": "w"}
_DURATION = re.compile(r"^\s*(\d{1,6})\s*(d|h|w|天|小时|周)\s*$", re.IGNORECASE)
WORD_SEPARATORS = "、,，|"
_SPLIT = re.compile(f"[{re.escape(WORD_SEPARATORS)}\n]")
MAX_COMPARISONS = 2


def kind_of(key: str) -> ConditionKind:
    """The table's entry for a leaf key; an unknown key is a JSON leaf named by its key."""
    return KINDS.get(key) or ConditionKind(key, key, key, ValueKind.JSON)


def split_words(text: str) -> list[str]:
    """Words typed in one line, separated by 、 , ， or |."""
    return [word.strip() for word in _SPLIT.split(text) if word.strip()]


def join_words(words: Sequence[str]) -> str:
    return "、".join(words)


def words_of(value: object) -> list[str]:
    """A text leaf's words (the file may hold one word or a list)."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def words_value(words: Sequence[str]) -> str | list[str]:
    """One word is written as a text, several as a list."""
    return words[0] if len(words) == 1 else list(words)


@dataclass
class Leaf:
    key: str
    value: object            # the JSON value, as the rule format reads it

    @property
    def kind(self) -> ConditionKind:
        return kind_of(self.key)


def blank_leaf() -> Leaf:
    """A new condition: the first kind of the list (渠道活码 state), with no value yet."""
    return Leaf(CONDITION_KINDS[0].key, [])


@dataclass
class JsonText:
    """A JSON leaf's value typed as text that is not valid JSON (yet)."""

    text: str


@dataclass
class Group:
    op: str                  # all, any, not
    children: list[Node] = field(default_factory=list)


Node = Leaf | Group


def editable(key: str, value: object) -> bool:
    """The form can show this leaf's value exactly (otherwise it is edited as JSON)."""
    kind = KINDS.get(key)
    if kind is None or kind.value is ValueKind.JSON:
        return False
    if kind.value in (ValueKind.WORDS, ValueKind.TAGS):
        words = value if isinstance(value, list) else [value]
        return bool(words) and all(isinstance(w, str) and split_words(w) == [w]
                                   for w in words)
    if kind.value is ValueKind.CHOICE:
        return kind.choice(value) is not None
    if kind.value in (ValueKind.EVENT, ValueKind.EVENT_DAYS):
        return _event_editable(kind.value, value)
    if kind.value is ValueKind.NUMBER:
        return _comparison_editable(value, MAX_COMPARISONS, signed=False)
    return (isinstance(value, dict) and 0 < len(value) <= MAX_COMPARISONS
            and all(op in COMPARE_OPS for op in value)
            and all(_is_day(v) for v in value.values()))


def _event_editable(kind: ValueKind, value: object) -> bool:
    if not isinstance(value, dict):
        return False
    rest = {k: v for k, v in value.items() if k != "type"}
    if "type" in value and not editable("state", value["type"]):
        return False
    if kind is ValueKind.EVENT_DAYS:
        return _comparison_editable(rest, MAX_COMPARISONS, signed=False)
    within = rest.pop("within_days", None)
    if within is not None and not (type(within) is int and within > 0):
        return False
    return (set(rest) <= {"count", "value"}
            and _comparison_editable(rest.get("count", DEFAULT_EVENT_COUNT), 1, signed=False)
            and _comparison_editable(rest.get("value", {"=": 0}), 1, signed=True))


def _comparison_editable(value: object, most: int, *, signed: bool) -> bool:
    return (isinstance(value, dict) and 0 < len(value) <= most
            and all(op in COMPARE_OPS for op in value)
            and all(type(v) is int and (signed or v >= 0) for v in value.values()))


def _is_day(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_condition(data: object) -> Node:
    """The tree of a valid condition (from a definition the rule format accepted)."""
    if not isinstance(data, Mapping) or len(data) != 1:
        raise ValueError(data)
    key, value = next(iter(data.items()))
    if key in ("all", "any") and isinstance(value, list):
        return Group(key, [read_condition(item) for item in value])
    if key == "not":
        return Group("not", [read_condition(value)])
    return Leaf(key, value)


def condition_json(node: Node) -> object:
    """The node as the rule format writes it (a NOT group of several: a list, refused by
    `check` with its path)."""
    if isinstance(node, Leaf):
        return {node.key: node.value.text if isinstance(node.value, JsonText) else node.value}
    items = [condition_json(child) for child in node.children]
    if node.op == "not":
        return {"not": items[0] if len(items) == 1 else items}
    return {node.op: items}


def node_paths(node: Node, path: str) -> Iterator[tuple[Node, str]]:
    """Each node with the path the rule format names it by (`rule.when.all[1]`)."""
    yield node, path
    if isinstance(node, Group):
        for index, child in enumerate(node.children):
            here = f"{path}.not" if node.op == "not" else f"{path}.{node.op}[{index}]"
            yield from node_paths(child, here)


def split_duration(text: str) -> tuple[int, str] | None:
    """"30d" / "12小时" → (30, "d") / (12, "h")."""
    match = _DURATION.match(text)
    return None if match is None else (int(match.group(1)), _UNIT_OF[match.group(2).lower()])


@dataclass
class RuleDraft:
    name: str = ""
    description: str = ""
    enabled: bool = True
    when: Node | None = None
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    replace_group: bool = False
    expires: tuple[int, str] | None = None     # (count, unit d / h / w)

    @classmethod
    def read(cls, definition: Mapping[str, object]) -> RuleDraft:
        """The form of a definition the rule format accepts."""
        parse_rule(definition)
        then = definition["then"]
        assert isinstance(then, Mapping)
        expires = then.get("expires")
        return cls(
            name=str(definition["name"]).strip(),
            description=str(definition.get("description", "")),
            enabled=bool(definition.get("enabled", True)),
            when=read_condition(definition["when"]),
            add=words_of(then.get("add", [])), remove=words_of(then.get("remove", [])),
            replace_group=bool(then.get("replace_group", False)),
            expires=split_duration(expires) if isinstance(expires, str) else None)

    def definition(self) -> dict[str, object]:
        """The rule as JSON (keys in the README's order; empty optional parts left out)."""
        rule: dict[str, object] = {"name": self.name, "enabled": self.enabled}
        if self.description:
            rule["description"] = self.description
        rule["when"] = {} if self.when is None else condition_json(self.when)
        then: dict[str, object] = {}
        if self.add:
            then["add"] = list(self.add)
        if self.remove:
            then["remove"] = list(self.remove)
        if self.replace_group:
            then["replace_group"] = True
        if self.expires is not None:
            then["expires"] = f"{self.expires[0]}{self.expires[1]}"
        rule["then"] = then
        return rule

    def check(self, path: str = "rule") -> Rule:
        """The rule, or RuleFormatError naming the bad field's path."""
        if self.when is None:
            raise RuleFormatError(f"{path}.when", "缺少条件", "the condition is missing")
        for node, here in node_paths(self.when, f"{path}.when"):
            if isinstance(node, Group) and node.op == "not" and len(node.children) != 1:
                raise RuleFormatError(f"{here}.not", "「不满足」组应只含一个条件",
                                      "a NOT group holds exactly one condition")
            if isinstance(node, Leaf) and isinstance(node.value, JsonText):
                raise RuleFormatError(f"{here}.{node.key}", "不是有效的 JSON",
                                      "not valid JSON")
        return parse_rule(self.definition(), path)


def dumps(definition: Mapping[str, object]) -> str:
    """A definition as the JSON tab shows it."""
    return json.dumps(definition, ensure_ascii=False, indent=2)


def summary(node: Node, english: bool) -> str:
    """A condition in one line with the editor's labels, for the rules list:
    「地区 北京、上海 且 没有标签 地区:华北」 / "Region 北京、上海 and Has none of the tags 地区:华北"."""
    if isinstance(node, Group):
        parts = [summary(child, english) for child in node.children]
        if node.op == "not":
            return ("not " if english else "非 ") + "、".join(parts)
        joiner = {"all": (" 且 ", " and "), "any": (" 或 ", " or ")}[node.op][english]
        inner = joiner.join(parts)
        return f"({inner})" if len(parts) > 1 else inner
    kind = node.kind
    label = kind.en if english else kind.zh
    return f"{label} {_value_text(kind, node.value, english)}"


def _value_text(kind: ConditionKind, value: object, english: bool) -> str:
    if isinstance(value, JsonText):
        return value.text
    if kind.value in (ValueKind.WORDS, ValueKind.TAGS):
        return join_words(words_of(value))
    if kind.value is ValueKind.CHOICE:
        choice = kind.choice(value)
        if choice is not None:
            return choice.en if english else choice.zh
    if kind.value in (ValueKind.NUMBER, ValueKind.DATE) and isinstance(value, Mapping):
        return _bounds_text(value)
    if kind.value in (ValueKind.EVENT, ValueKind.EVENT_DAYS) and _event_editable(
            kind.value, value):
        assert isinstance(value, dict)
        return _event_text(value, english)
    return json.dumps(value, ensure_ascii=False)


def _bounds_text(bounds: Mapping[str, object]) -> str:
    return " ".join(f"{op} {bound}" for op, bound in bounds.items())


def _event_text(value: Mapping[str, object], english: bool) -> str:
    """An event condition as the editor shows it: 「订单支付 最近 30 天内 次数 >= 2」 /
    "order paid within 30 days times >= 2"; a days-since condition 「浏览内容 <= 7」."""
    types = join_words([type_name(kind, english) for kind in words_of(value.get("type", []))]
                       ) or ("any type" if english else "任意类型")
    parts = [types]
    within = value.get("within_days")
    if within is not None:
        parts.append(f"within {within} days" if english else f"最近 {within} 天内")
    for key, (zh, en) in (("count", ("次数", "times")), ("value", ("金额", "value"))):
        compared = value.get(key)
        if isinstance(compared, Mapping):
            parts.append(f"{en if english else zh} {_bounds_text(compared)}")
    compared_days = {op: bound for op, bound in value.items() if op in COMPARE_OPS}
    if compared_days:
        parts.append(_bounds_text(compared_days))
    return " ".join(parts)


def reason_text(reason: str, english: bool) -> str:
    """A simulation's reason (`description 「北京采购」 ∋ 北京`, as the CLI prints it) with the
    editor's label for its condition: 「描述 「北京采购」 含 北京」 / "Description 「北京采购」 ∋ 北京"."""
    key, _, rest = reason.partition(" ")
    kind = KINDS.get(key)
    if kind is None or not rest:
        return reason
    if kind.value in (ValueKind.EVENT, ValueKind.EVENT_DAYS):   # the event's type in words
        first, _, after = rest.partition(" ")
        rest = " ".join(part for part in (type_name(first, english), after) if part)
    return f"{kind.en if english else kind.zh} {rest if english else rest.replace(' ∋ ', ' 含 ')}"


def reasons_text(reasons: Mapping[str, Sequence[str]], english: bool) -> str:
    """A simulated relation's reasons, rule by rule, in the editor's labels:
    「北京归华北：公司名 「北京星辰」 含 北京，没有标签 地区:华北」."""
    colon, comma, semicolon = (": ", ", ", "; ") if english else ("：", "，", "；")
    return semicolon.join(f"{rule}{colon}{comma.join(reason_text(r, english) for r in why)}"
                          for rule, why in reasons.items())


_PLACES: Mapping[str, tuple[str, str]] = {
    "when": ("条件", "Conditions"), "all": ("全部满足", "all of"), "any": ("任一满足", "any of"),
    "not": ("不满足", "not"), "then": ("动作", "Action"), "add": ("要添加的标签", "tags to add"),
    "remove": ("要移除的标签", "tags to remove"), "expires": ("有效期", "expiry"),
    "replace_group": ("组内替换", "replace within group"), "name": ("规则名", "Name"),
    "enabled": ("启用", "Enabled"), "description": ("说明", "Description"),
    "type": ("事件类型", "event type"), "within_days": ("最近天数", "within days"),
    "count": ("次数", "count"), "value": ("金额", "value"),
}
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def place_text(path: str, root: str, english: bool) -> str:
    """Where a rule format error is, in the editor's words rather than a JSON path:
    `rule.when.any[2].tag_count` → 条件 › 任一满足 › 第 3 项 › 标签数 / Conditions › any of › #3 ›
    Tag count. Keys the editor does not know are named as written."""
    words = []
    for key, index in _PATH_PART.findall(path.removeprefix(root)):
        if index:
            words.append(f"#{int(index) + 1}" if english else f"第 {int(index) + 1} 项")
        elif key in KINDS:
            words.append(KINDS[key].en if english else KINDS[key].zh)
        else:
            zh, en = _PLACES.get(key, (key, key))
            words.append(en if english else zh)
    return " › ".join(words)
