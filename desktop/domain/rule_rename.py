"""A rule after a tag or a group is renamed: the tags it names ("名" or "组:名", in `when`'s
has / has_any / has_not and in `then`'s add / remove) are spelled with the new name, so a rule
a scene template made (or anyone wrote) goes on naming the same tags. The rename is the
filters' `Rename`: a bare name another group also has is left as it was (it never named this
tag alone)."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.domain.filter.rename import Rename
from desktop.domain.filter.suggest import fold
from desktop.domain.rule_draft import Group, Leaf, Node, condition_json, read_condition
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
    """The condition walked as the rule editor reads it (`rule_draft.read_condition`); one
    that is not a condition stays as it was."""
    try:
        tree = read_condition(condition)
    except ValueError:
        return condition
    return condition_json(_node(tree, rename))


def _node(node: Node, rename: Rename) -> Node:
    if isinstance(node, Group):
        return Group(node.op, [_node(child, rename) for child in node.children])
    return Leaf(node.key, _refs(node.value, rename)) if node.key in TAG_LEAVES else node


def _refs(value: object, rename: Rename) -> object:
    if isinstance(value, str):
        return renamed_ref(value, rename)
    if isinstance(value, list):
        return [renamed_ref(item, rename) if isinstance(item, str) else item for item in value]
    return value


def renamed_ref(text: str, rename: Rename) -> str:
    """A tag as a rule or a keyword set names it ("名" or "组:名"), spelled anew."""
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
