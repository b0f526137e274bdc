"""The rule file format: JSON read into `Rule`s, every bad field named by its path.

A rule file holds one rule object, a list of them, or `{"rules": [...]}`. A rule:

    {"name": "北京客户归华北", "enabled": true, "description": "…",
     "when": {"all": [{"region": "北京"}, {"has_not": "地区:华北区域"}]},
     "then": {"add": ["地区:华北区域"], "remove": [], "replace_group": false,
              "expires": "30d"}}

Conditions are objects with one key: `all` / `any` (lists), `not` (one condition); leaves
`state`, `remark`, `description`, `corp_name`, `region`, `text` (a word or a list: any of
them), `gender` (male / female / unknown, 男 / 女 / 未知), `has` (all of), `has_any`,
`has_not` (none of), `intent` (a chat intent the auto-tagging engine finds), and the
comparisons `added` (dates), `days_since_added` and `tag_count` (numbers), written
`{">=": 30, "<": 90}` with the operators `= != < <= > >=`. Tags are "名" or "组:名".
Behaviour events: `event` `{"type": "order_paid", "within_days": 30, "count": {">=": 1},
"value": {">=": 100}}` (every key optional: any type, any time, at least one, any value) and
`days_since_event` `{"type": "content_viewed", "<=": 7}` (days since the last such event).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.rules import (
    COMPARE_OPS,
    WORD_FIELDS,
    Action,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    DaysSinceEvent,
    Gender,
    HasEvent,
    HasTags,
    Intent,
    NotOf,
    Rule,
    StateIs,
    TagRef,
    Words,
)

MAX_NAME_CHARS = 60
MAX_DEPTH = 20
MAX_EXPIRY_DAYS = 3650
_DURATION = re.compile(r"^\s*(\d{1,6})\s*(d|h|w|天|小时|周)\s*$", re.IGNORECASE)
_UNIT_S = {"d": 86400, "天": 86400, "h": 3600, "小时": 3600, "w": 7 * 86400, "周": 7 * 86400}
_GENDERS = {"male": 1, "男": 1, "female": 2, "女": 2, "unknown": 0, "未知": 0}
_RULE_KEYS = frozenset({"name", "enabled", "description", "when", "then"})
_ACTION_KEYS = frozenset({"add", "remove", "replace_group", "expires"})
TAG_LEAVES = {"has": "all", "has_any": "any", "has_not": "none"}
_NUMBER_FIELDS = ("days_since_added", "tag_count")
_EVENT_KEYS = frozenset({"type", "within_days", "count", "value"})
LEAVES = (*WORD_FIELDS, "state", "gender", *TAG_LEAVES, "intent", "added", *_NUMBER_FIELDS,
          "event", "days_since_event")


class RuleFormatError(UserError):
    """A rule file that does not follow the format; names the path of the bad field."""

    def __init__(self, path: str, zh: str, en: str) -> None:
        super().__init__(f"规则格式错误，{path}：{zh} / Bad rule, {path}: {en}")
        self.path = path
        self.reason = (zh, en)      # what is wrong, without the path (said beside the field)


def parse_rules_text(text: str, origin: str = "rules") -> list[Rule]:
    """Rules from the text of a JSON file (one rule, a list, or {"rules": [...]})."""
    return [rule for _, rule in read_rules_text(text, origin)]


def read_rules_text(text: str, origin: str = "rules") -> list[tuple[dict[str, object], Rule]]:
    """Each rule of a JSON file with the object it was read from (kept as the definition)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleFormatError(origin, f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
                              f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
                              ) from None
    if isinstance(data, Mapping) and "rules" in data:
        data = data["rules"]
        origin = f"{origin}.rules"
    items = data if isinstance(data, list) else [data]
    prefix = origin if isinstance(data, list) else ""
    read = [(item, parse_rule(item, f"{prefix}[{index}]" if prefix else origin))
            for index, item in enumerate(items)]
    names = [rule.name for _, rule in read]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise RuleFormatError(f"{prefix}[{index}].name" if prefix else origin,
                                  f"规则名「{echo(name)}」重复", f"the rule name {echo(name)!r} is"
                                  " used twice")
    return [(dict(item), rule) for item, rule in read]


def parse_rule(data: object, path: str = "rule") -> Rule:
    rule = _object(data, path)
    _known_keys(rule, _RULE_KEYS, path)
    name = _text(rule.get("name"), f"{path}.name")
    if len(name) > MAX_NAME_CHARS:
        raise RuleFormatError(f"{path}.name", f"规则名最多 {MAX_NAME_CHARS} 个字符",
                              f"a rule name has at most {MAX_NAME_CHARS} characters")
    enabled = rule.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleFormatError(f"{path}.enabled", "应为 true 或 false", "expected true or false")
    description = rule.get("description", "")
    if not isinstance(description, str):
        raise RuleFormatError(f"{path}.description", "应为文本", "expected a text")
    if "when" not in rule:
        raise RuleFormatError(f"{path}.when", "缺少条件", "the condition is missing")
    if "then" not in rule:
        raise RuleFormatError(f"{path}.then", "缺少动作", "the action is missing")
    return Rule(name=name, enabled=enabled, description=description,
                when=parse_condition(rule["when"], f"{path}.when"),
                then=_action(rule["then"], f"{path}.then"))


def parse_condition(data: object, path: str, depth: int = 0) -> Condition:
    if depth > MAX_DEPTH:
        raise RuleFormatError(path, f"条件最多嵌套 {MAX_DEPTH} 层", f"conditions nest at most"
                              f" {MAX_DEPTH} levels deep")
    cond = _object(data, path)
    if len(cond) != 1:
        raise RuleFormatError(path, "条件应只有一个键（all、any、not 或一个条件名）",
                              "a condition has exactly one key (all, any, not or a leaf name)")
    key, value = next(iter(cond.items()))
    here = f"{path}.{key}"
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise RuleFormatError(here, "应为非空的条件列表", "expected a non-empty list of"
                                  " conditions")
        items = tuple(parse_condition(v, f"{here}[{i}]", depth + 1) for i, v in enumerate(value))
        return AllOf(items) if key == "all" else AnyOf(items)
    if key == "not":
        return NotOf(parse_condition(value, here, depth + 1))
    if key in WORD_FIELDS:
        return Words(key, _texts(value, here))
    if key == "state":
        return StateIs(_texts(value, here))
    if key == "intent":
        return Intent(_texts(value, here))
    if key in TAG_LEAVES:
        return HasTags(TAG_LEAVES[key], tuple(TagRef.parse(t) for t in _texts(value, here)))
    if key == "gender":
        return Gender(_gender(value, here))
    if key == "added":
        return Compare(key, _comparisons(value, here, _day))
    if key in _NUMBER_FIELDS:
        return Compare(key, _comparisons(value, here, _number))
    if key == "event":
        return _has_event(value, here)
    if key == "days_since_event":
        given = dict(_object(value, here))
        types = _event_types(given.pop("type", None), f"{here}.type")
        return DaysSinceEvent(types, _comparisons(given, here, _number))
    raise RuleFormatError(here, f"未知的条件「{echo(key)}」，可用：{'、'.join(('all', 'any', 'not', *LEAVES))}",
                          f"unknown condition {echo(key)!r}; known: "
                          f"{', '.join(('all', 'any', 'not', *LEAVES))}")


def parse_duration(value: object, path: str) -> int:
    """"30d", "12h", "2w" (or 天 / 小时 / 周) → seconds."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise RuleFormatError(path, "应为时长，如 30d、12h、2w", "expected a duration such as 30d,"
                              " 12h or 2w")
    seconds = int(match.group(1)) * _UNIT_S[match.group(2).lower()]
    if not 0 < seconds <= MAX_EXPIRY_DAYS * 86400:
        raise RuleFormatError(path, f"时长应在 1 小时到 {MAX_EXPIRY_DAYS} 天之间",
                              f"a duration is between 1 hour and {MAX_EXPIRY_DAYS} days")
    return seconds


def _action(data: object, path: str) -> Action:
    then = _object(data, path)
    _known_keys(then, _ACTION_KEYS, path)
    add = tuple(TagRef.parse(t) for t in _texts(then.get("add", []), f"{path}.add", empty=True))
    remove = tuple(TagRef.parse(t) for t in _texts(then.get("remove", []), f"{path}.remove",
                                                   empty=True))
    if not add and not remove:
        raise RuleFormatError(path, "至少要添加或移除一个标签", "add or remove at least one tag")
    both = sorted({r.text for r in add} & {r.text for r in remove})
    if both:
        raise RuleFormatError(f"{path}.remove", f"同一标签不能既添加又移除：{'、'.join(both)}",
                              f"a tag cannot be both added and removed: {', '.join(both)}")
    replace = then.get("replace_group", False)
    if not isinstance(replace, bool):
        raise RuleFormatError(f"{path}.replace_group", "应为 true 或 false", "expected true or"
                              " false")
    if replace and not add:
        raise RuleFormatError(f"{path}.replace_group", "组内替换需要要添加的标签",
                              "replacing within a group needs tags to add")
    expires = then.get("expires")
    expires_s = None if expires is None else parse_duration(expires, f"{path}.expires")
    if expires_s is not None and not add:
        raise RuleFormatError(f"{path}.expires", "过期时间只用于添加的标签",
                              "an expiry applies to added tags only")
    return Action(add, remove, replace, expires_s)


def _has_event(value: object, path: str) -> HasEvent:
    """{"type": "order_paid", "within_days": 30, "count": {">=": 2}, "value": {">=": 100}}"""
    given = _object(value, path)
    _known_keys(given, _EVENT_KEYS, path)
    within = given.get("within_days")
    days = None if within is None else _number(within, f"{path}.within_days")
    if days is not None and days <= 0:
        raise RuleFormatError(f"{path}.within_days", "应为大于 0 的天数", "expected a number of"
                              " days above 0")
    count = _comparisons(given["count"], f"{path}.count", _number) if "count" in given \
        else ((">=", 1.0),)
    amount = _comparisons(given["value"], f"{path}.value", _signed) if "value" in given else ()
    return HasEvent(_event_types(given.get("type"), f"{path}.type"), days, count, amount)


def _event_types(value: object, path: str) -> tuple[str, ...]:
    """An event type or a list of them; none given means any type."""
    return () if value is None else _texts(value, path)


def _signed(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleFormatError(path, "应为数", "expected a number")
    return float(value)


def _object(data: object, path: str) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise RuleFormatError(path, "应为 JSON 对象 {…}", "expected a JSON object {…}")
    return data


def _known_keys(data: Mapping[str, object], known: frozenset[str], path: str) -> None:
    for key in data:
        if key not in known:
            raise RuleFormatError(f"{path}.{echo(str(key))}", f"未知的字段，可用：{'、'.join(sorted(known))}",
                                  f"unknown field; known: {', '.join(sorted(known))}")


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleFormatError(path, "应为非空文本", "expected a non-empty text")
    return value.strip()


def _texts(value: object, path: str, *, empty: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_text(value, path),)
    if not isinstance(value, list) or (not value and not empty):
        raise RuleFormatError(path, "应为文本或文本列表", "expected a text or a list of texts")
    return tuple(_text(v, f"{path}[{i}]") for i, v in enumerate(value))


def _gender(value: object, path: str) -> int:
    if isinstance(value, str) and value.strip().lower() in _GENDERS:
        return _GENDERS[value.strip().lower()]
    raise RuleFormatError(path, "应为 male、female 或 unknown（男、女、未知）",
                          "expected male, female or unknown (男, 女, 未知)")


def _comparisons(value: object, path: str, read: Callable[[object, str], float]
                 ) -> tuple[tuple[str, float], ...]:
    ops = _object(value, path)
    if not ops:
        raise RuleFormatError(path, "至少要有一个比较，如 {\">=\": 3}", "at least one comparison,"
                              " such as {\">=\": 3}")
    found = []
    for op, operand in ops.items():
        if op not in COMPARE_OPS:
            raise RuleFormatError(f"{path}.{echo(str(op))}",
                                  f"未知的比较符，可用：{' '.join(COMPARE_OPS)}",
                                  f"unknown operator; known: {' '.join(COMPARE_OPS)}")
        found.append((op, read(operand, f"{path}.{op}")))
    return tuple(found)


def _day(value: object, path: str) -> float:
    """A date YYYY-MM-DD as its ordinal day (compared with the day a relation was added)."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return float(date.fromisoformat(value.strip()).toordinal())
        except ValueError:
            pass
    raise RuleFormatError(path, "应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD")


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise RuleFormatError(path, "应为不小于 0 的数", "expected a number of 0 or more")
    return float(value)
