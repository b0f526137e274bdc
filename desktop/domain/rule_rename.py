"""A rule after a tag or a group is renamed: the tags it names ("名" or "组:名", in `when`'s
has / has_any / has_not and in `then`'s add / remove) are spelled with the new name, so a rule
a scene template made (or anyone wrote) goes on naming the same tags. The rename is the
filters' `Rename`: a bare name another group also has is left as it was (it never named this
tag alone)."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.domain.filter.rename import Rename
from desktop.domain.filter.suggest import fold
from desktop.domain.rule_format import TAG_LEAVES
from desktop.domain.rules import TagRef


def renamed_rule(definition: Mapping[str, object], rename: Rename) -> dict[str, object]:
    """The rule as written with the renamed tag or group spelled anew (a copy)."""
    respelled = dict(definition)
    if "when" in respelled:
        respelled["when"] = _condition(respelled["when"], rename)
    then = respelled.get("then")
    if isinstance(then, Mapping):
        respelled["then"] = {key: _refs(value, rename) if key in ("add", "remove") else value
                             for key, value in then.items()}
    return respelled


def _condition(condition: object, rename: Rename) -> object:
    if not isinstance(condition, Mapping) or len(condition) != 1:
        return condition
    key, value = next(iter(condition.items()))
    if key in ("all", "any") and isinstance(value, list):
        return {key: [_condition(item, rename) for item in value]}
    if key == "not":
        return {key: _condition(value, rename)}
    if key in TAG_LEAVES:
        return {key: _refs(value, rename)}
    return dict(condition)


def _refs(value: object, rename: Rename) -> object:
    if isinstance(value, str):
        return _ref(value, rename)
    if isinstance(value, list):
        return [_ref(item, rename) if isinstance(item, str) else item for item in value]
    return value


def _ref(text: str, rename: Rename) -> str:
    ref = TagRef.parse(text)
    if rename.is_group:
        if ref.group is not None and fold(ref.group) == fold(rename.old):
            return f"{rename.new}:{ref.name}"
        return text
    if fold(ref.name) != fold(rename.old):
        return text
    if ref.group is None:
        return text if rename.name_elsewhere else rename.new
    return f"{ref.group}:{rename.new}" if fold(ref.group) == fold(rename.group) else text
