"""Naming a tag or a group on the command line: `GROUP/NAME`, `组:名`, a bare name or an id.

A tag is found by its WeCom id, by `组:名`, by `GROUP/NAME` (the first path segment is the
group, the rest the tag's own name, which may itself be a path such as `教育/K12/小学`), or by
its bare name when only one tag has it. A group is found by its id, by `GROUP/`, or by its bare
name when no tag has that name. Names compare as WeCom does (case and width folded). A name
that fits several items lists their spellings; an unknown one suggests the nearest names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.filter.rename import Rename, group_rename, tag_rename
from desktop.domain.filter.suggest import NameSuggester
from desktop.domain.tag_names import PATH_SEPARATOR, name_key
from desktop.domain.tags import GroupInfo, TagInfo, TagKind
from desktop.services.tag_catalog import TagLibrary


class TagRefError(UserError):
    """No such tag or group, or a name that fits several."""


@dataclass(frozen=True)
class TreeItem:
    """A tag or a group of the tree, as a command names it."""

    kind: str
    """"tag" or "group"."""
    id: str
    name: str
    group_id: str
    group_name: str
    strategy_id: int | None

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def path(self) -> str:
        """How the command line spells it: `GROUP/NAME`, or `GROUP/` for a group."""
        return f"{self.group_name}{PATH_SEPARATOR}{'' if self.is_group else self.name}"


def tag_item(tag: TagInfo) -> TreeItem:
    return TreeItem("tag", tag.id, tag.name, tag.group_id, tag.group_name, tag.strategy_id)


def group_item(group: GroupInfo) -> TreeItem:
    return TreeItem("group", group.id, group.name, group.id, group.name, group.strategy_id)


class TreeRefs:
    """Corp and rule-group tags and groups of one library (personal tags are not editable)."""

    def __init__(self, library: TagLibrary) -> None:
        self.tags = [tag for tag in library.tags if tag.kind is not TagKind.PERSONAL]
        self.groups = [group for group in library.groups if group.kind is not TagKind.PERSONAL]

    def rename(self, item: TreeItem, new_name: str) -> Rename:
        """How a filter naming `item` is respelled once it is called `new_name`."""
        if item.is_group:
            return group_rename(item.name, new_name)
        return tag_rename(item.name, new_name, item.group_name,
                          [(t.name, t.group_name) for t in self.tags if t.id != item.id])

    def item(self, ref: str) -> TreeItem:
        """The tag or group `ref` names (see the module's rules)."""
        text = ref.strip()
        for tag in self.tags:
            if tag.id == text:
                return tag_item(tag)
        for group in self.groups:
            if group.id == text:
                return group_item(group)
        found = self._by_name(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous(text, found)
        raise self._unknown(text)

    def group(self, ref: str) -> GroupInfo:
        """The group named (or with the id) `ref`."""
        text = ref.strip()
        key = name_key(text)
        found = [g for g in self.groups if g.id == text] or [
            g for g in self.groups if name_key(g.name) == key]
        if len(found) == 1:
            return found[0]
        if found:
            listed = [f"{g.name} ({g.id})" for g in found]
            raise TagRefError(
                f"有多个名为「{echo(text)}」的标签组，请改用组编号：{'、'.join(listed)}。",
                f"Several tag groups are named {echo(text)!r}; use a group id:"
                f" {', '.join(listed)}.",
            )
        nearest = NameSuggester(g.name for g in self.groups).nearest(text, limit=3)
        raise TagRefError(
            f"没有名为「{echo(text)}」的标签组{_hint_zh(nearest)}；新建标签组请用"
            f" tagdesk tags add-group。",
            f"No tag group named {echo(text)!r}{_hint_en(nearest)}; create one with"
            " `tagdesk tags add-group`.",
        )

    def _by_name(self, text: str) -> list[TreeItem]:
        if text.endswith(PATH_SEPARATOR):
            key = name_key(text.rstrip(PATH_SEPARATOR))
            return [group_item(g) for g in self.groups if name_key(g.name) == key]
        key = name_key(text)
        found: dict[str, TreeItem] = {}
        for tag in self.tags:
            spellings = (tag.name, f"{tag.group_name}:{tag.name}",
                         f"{tag.group_name}{PATH_SEPARATOR}{tag.name}")
            if any(name_key(spelling) == key for spelling in spellings):
                found[tag.id] = tag_item(tag)
        if not found:
            for group in self.groups:
                if name_key(group.name) == key:
                    found[group.id] = group_item(group)
        return list(found.values())

    def _unknown(self, text: str) -> TagRefError:
        names: Iterable[str] = [*(t.name for t in self.tags), *(g.name for g in self.groups)]
        nearest = NameSuggester(names).nearest(text, limit=3)
        return TagRefError(f"没有名为「{echo(text)}」的标签或标签组{_hint_zh(nearest)}。",
                           f"No tag or tag group named {echo(text)!r}{_hint_en(nearest)}.")


def split_new_path(text: str) -> tuple[str, str]:
    """`GROUP/NAME` → (group, name); the name keeps its own path (`行业/教育/K12`)."""
    group, separator, name = text.strip().partition(PATH_SEPARATOR)
    if not separator or not group.strip() or not name.strip():
        raise UserError(
            f"「{echo(text)}」不是 组/标签 的形式，例如 行业类型/教育/K12。",
            f"{echo(text)!r} is not GROUP/NAME, e.g. 行业类型/教育/K12.",
        )
    return group.strip(), name.strip()


def _ambiguous(text: str, found: list[TreeItem]) -> TagRefError:
    spellings = [item.path for item in found]
    if len(set(spellings)) < len(spellings):
        spellings = [f"{item.path} ({item.id})" for item in found]
    return TagRefError(
        f"有多个名为「{echo(text)}」的标签或标签组，请写成：{'、'.join(spellings)}。",
        f"Several tags or groups are named {echo(text)!r}; write one of: {', '.join(spellings)}.",
    )


def _hint_zh(nearest: list[str]) -> str:
    return f"，是否要找：{'、'.join(nearest)}" if nearest else ""


def _hint_en(nearest: list[str]) -> str:
    return f"; did you mean: {', '.join(nearest)}" if nearest else ""
