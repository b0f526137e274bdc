"""The tag tree: WeCom's two levels (group → tag) shown as up to five.

A tag name may be a path (`教育`, `教育/K12`, `教育/K12/小学`); `教育/K12` then sits under `教育`.
When the parent tag of a path does not exist, a virtual folder node (no tag id) stands in for it
so that the tree stays complete. The group is level 1, so a path shows at most four segments;
deeper names keep their first three segments as folders and show the rest flattened at level 5
(`too_deep`). Above the groups sit three sections, 企业标签, 规则组标签 (one node per rule group,
sorted by name) and 个人标签; sections with no groups are left out.

Siblings sort by `order` descending, then by label. A folder sorts by the largest order below it,
so that once a group's orders follow the tree's pre-order (what `tag_order` plans), phones that
list the group flat by order show each subtree in one block.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from desktop.domain.tag_names import MAX_LEVELS, PATH_SEPARATOR, split_path
from desktop.domain.tags import GroupInfo, TagInfo, TagKind


class NodeKind(Enum):
    SECTION = "section"
    STRATEGY = "strategy"
    GROUP = "group"
    TAG = "tag"
    FOLDER = "folder"
    """A path prefix with no tag of its own (e.g. `教育` when only `教育/K12` exists)."""


class Bilingual(NamedTuple):
    zh: str
    en: str


SECTION_TITLES: Mapping[TagKind, Bilingual] = {
    TagKind.CORP: Bilingual("企业标签", "Corp tags"),
    TagKind.STRATEGY: Bilingual("规则组标签", "Rule-group tags"),
    TagKind.PERSONAL: Bilingual("个人标签", "Personal tags"),
}


@dataclass(frozen=True, slots=True)
class Restriction:
    """Why WeCom will not let TagDesk rename or reorder a node, for a tooltip or a refusal."""

    code: str
    zh: str
    en: str


PERSONAL_READ_ONLY = Restriction(
    "personal",
    "个人标签由成员自己在企业微信里维护，企业微信不允许应用修改、排序或打上个人标签。",
    "Personal tags belong to each member; WeCom does not let apps set, rename or reorder them.",
)
NOT_APP_OWNED = Restriction(
    "not_app_owned",
    "此项由企业微信管理后台或其他应用创建，企业微信只允许创建它的应用改名和排序（错误码 81011），"
    "TagDesk 无法在企业微信里修改它。",
    "This was created in the WeCom admin console or by another app; WeCom lets only the app "
    "that created it rename or reorder it (errcode 81011), so TagDesk cannot change it in WeCom.",
)
CONSOLE_RULE_GROUP = Restriction(
    "console_rule_group",
    "此规则组在企业微信管理后台创建，企业微信只允许创建规则组的应用增删、改名或排序它的标签"
    "（错误码 81011）；这里只读，请在管理后台修改。",
    "This rule group was made in the WeCom admin console; WeCom lets only the app that created "
    "a rule group add, rename, reorder or delete its tags (errcode 81011). Read-only here: "
    "change it in the admin console.",
)


@dataclass(eq=False, slots=True)
class TagNode:
    """One row of the tree; compare nodes by `key`, which stays the same across rebuilds."""

    key: str
    """`section:<kind>`, `strategy:<id>`, `group:<id>`, `tag:<id>` or `folder:<group_id>/<path>`."""
    kind: NodeKind
    label: str
    """What the row shows: the last path segment for tags and folders."""
    full_name: str
    """The tag's WeCom name, the folder's path, or the group's name."""
    level: int
    """Group = 1, tags and folders 2..5; sections and rule groups 0."""
    order: int
    """Sort key among siblings (larger first); for folders the largest order below."""
    tag: TagInfo | None = None
    group: GroupInfo | None = None
    parent: TagNode | None = field(default=None, repr=False)
    children: list[TagNode] = field(default_factory=list, repr=False)
    row: int = 0
    """Position among the parent's children (or among the roots)."""
    relation_count: int = 0
    """A tag's own count; for other nodes the sum over all tags below (not distinct: a relation
    carrying two of those tags counts twice). Use `descendant_tag_ids` with the bitset index for
    distinct counts."""
    too_deep: bool = False
    """The name has more than four path segments; the rest is shown flattened in `label`."""
    restriction: Restriction | None = None
    """Set when WeCom forbids renaming or reordering this node's own tag or group."""

    @property
    def is_virtual(self) -> bool:
        return self.kind is NodeKind.FOLDER

    @property
    def section(self) -> TagKind:
        node = self
        while node.parent is not None:
            node = node.parent
        return TagKind(node.key.removeprefix("section:"))

    @property
    def subtree_relation_count(self) -> int:
        """Own count plus everything below (not distinct)."""
        return sum(node.relation_count for node in _tag_nodes(self))


class TagTree:
    """The built tree with lookup by node key and by tag id."""

    def __init__(self, roots: list[TagNode]) -> None:
        self.roots = roots
        self._by_key: dict[str, TagNode] = {}
        for node in self.walk():
            if node.key in self._by_key:
                raise ValueError(f"two tree nodes share the key {node.key!r}")
            self._by_key[node.key] = node

    def walk(self) -> Iterator[TagNode]:
        """Every node in pre-order (display order)."""
        for root in self.roots:
            yield from _preorder(root)

    def node(self, key: str) -> TagNode:
        return self._by_key[key]

    def get(self, key: str) -> TagNode | None:
        return self._by_key.get(key)

    def tag_node(self, tag_id: str) -> TagNode:
        return self._by_key[f"tag:{tag_id}"]

    def __len__(self) -> int:
        return len(self._by_key)


def effective_restriction(node: TagNode) -> Restriction | None:
    """Why WeCom refuses changes to the node: its own restriction, or that of the console-made
    rule group it belongs to (None when TagDesk may change it)."""
    if node.restriction is not None:
        return node.restriction
    while node.parent is not None and node.kind is not NodeKind.STRATEGY:
        node = node.parent
    return node.restriction if node.kind is NodeKind.STRATEGY else None


def descendant_tag_ids(node: TagNode, *, include_self: bool = True) -> list[str]:
    """Tag ids at and below `node` in display order: what "this tag and its subtags" selects."""
    return [
        item.tag.id
        for item in _tag_nodes(node)
        if item.tag is not None and (include_self or item is not node)
    ]


def build_tag_tree(
    groups: Iterable[GroupInfo],
    tags: Iterable[TagInfo],
    *,
    strategy_names: Mapping[int, str] | None = None,
) -> TagTree:
    """Build the tree; groups missing from `groups` are made up from their tags' group fields."""
    group_by_id: dict[str, GroupInfo] = {}
    for group in groups:
        if group.id in group_by_id:
            raise ValueError(f"group {group.id!r} given twice")
        group_by_id[group.id] = group
    tags_by_group: dict[str, list[TagInfo]] = {}
    for tag in tags:
        if tag.group_id not in group_by_id:
            group_by_id[tag.group_id] = GroupInfo(
                tag.group_id, tag.group_name, 0, tag.kind, tag.strategy_id, tag.app_owned
            )
        tags_by_group.setdefault(tag.group_id, []).append(tag)
    group_nodes = [
        _group_node(group, tags_by_group.get(group.id, [])) for group in group_by_id.values()
    ]
    roots = _sections(group_nodes, strategy_names or {})
    for row, root in enumerate(roots):
        root.row = row
    return TagTree(roots)


def _sections(group_nodes: list[TagNode], strategy_names: Mapping[int, str]) -> list[TagNode]:
    roots: list[TagNode] = []
    for kind, title in SECTION_TITLES.items():
        members = [node for node in group_nodes if node.group and node.group.kind is kind]
        if not members:
            continue
        section = TagNode(f"section:{kind.value}", NodeKind.SECTION, title.zh, title.zh, 0, 0)
        if kind is TagKind.STRATEGY:
            _adopt(section, _strategy_nodes(members, strategy_names))
        else:
            _adopt(section, members)
        section.relation_count = sum(child.relation_count for child in section.children)
        roots.append(section)
    return roots


def _strategy_nodes(group_nodes: list[TagNode], strategy_names: Mapping[int, str]) -> list[TagNode]:
    by_strategy: dict[int, list[TagNode]] = {}
    for node in group_nodes:
        strategy_id = node.group.strategy_id if node.group else None
        by_strategy.setdefault(strategy_id or 0, []).append(node)
    nodes: list[TagNode] = []
    for strategy_id in by_strategy:
        label = strategy_names.get(strategy_id, f"规则组 {strategy_id}")
        console_made = all(
            child.restriction is CONSOLE_RULE_GROUP for child in by_strategy[strategy_id])
        node = TagNode(f"strategy:{strategy_id}", NodeKind.STRATEGY, label, label, 0, 0,
                       restriction=CONSOLE_RULE_GROUP if console_made else None)
        _adopt(node, by_strategy[strategy_id])
        node.relation_count = sum(child.relation_count for child in node.children)
        nodes.append(node)
    return nodes


def _group_node(group: GroupInfo, tags: list[TagInfo]) -> TagNode:
    node = TagNode(
        f"group:{group.id}",
        NodeKind.GROUP,
        group.name,
        group.name,
        1,
        group.order,
        group=group,
        restriction=_restriction(group.kind, group.app_owned),
    )
    _PathBuilder(node, group).add_all(tags)
    node.relation_count = node.subtree_relation_count
    return node


class _PathBuilder:
    """Places one group's tags by their path names, creating folders for missing parents."""

    def __init__(self, group_node: TagNode, group: GroupInfo) -> None:
        self.group_node = group_node
        self.group = group
        self.by_path: dict[tuple[str, ...], TagNode] = {}

    def add_all(self, tags: list[TagInfo]) -> None:
        max_segments = MAX_LEVELS - 1
        placed: list[tuple[tuple[str, ...], TagNode]] = []
        for tag in sorted(tags, key=lambda t: (-t.order, t.name.casefold(), t.id)):
            segments = split_path(tag.name) or [tag.name]
            too_deep = len(segments) > max_segments
            if too_deep:
                rest = PATH_SEPARATOR.join(segments[max_segments - 1 :])
                segments = [*segments[: max_segments - 1], rest]
            path = tuple(segments)
            node = TagNode(
                f"tag:{tag.id}",
                NodeKind.TAG,
                path[-1],
                tag.name,
                len(path) + 1,
                tag.order,
                tag=tag,
                relation_count=tag.relation_count,
                too_deep=too_deep,
                restriction=_restriction(tag.kind, tag.app_owned),
            )
            # Two names can share a path (`教育/K12` and `教育 / K12`): the first claims it.
            self.by_path.setdefault(path, node)
            placed.append((path, node))
        for path, node in placed:
            self._container(path[:-1]).children.append(node)
        _finish(self.group_node)

    def _container(self, path: tuple[str, ...]) -> TagNode:
        if not path:
            return self.group_node
        existing = self.by_path.get(path)
        if existing is not None:
            return existing
        name = PATH_SEPARATOR.join(path)
        folder = TagNode(
            f"folder:{self.group.id}/{name}",
            NodeKind.FOLDER,
            path[-1],
            name,
            len(path) + 1,
            0,
            restriction=PERSONAL_READ_ONLY if self.group.kind is TagKind.PERSONAL else None,
        )
        self.by_path[path] = folder
        self._container(path[:-1]).children.append(folder)
        return folder


def _finish(node: TagNode) -> None:
    """Sort children, link parents and rows, and roll orders and counts up into folders."""
    for child in node.children:
        child.parent = node
        _finish(child)
        if child.kind is NodeKind.FOLDER:
            child.order = max(grandchild.order for grandchild in child.children)
            child.relation_count = child.subtree_relation_count
    node.children.sort(key=_sibling_key)
    for row, child in enumerate(node.children):
        child.row = row


def _adopt(parent: TagNode, children: list[TagNode]) -> None:
    parent.children = sorted(children, key=_sibling_key)
    for row, child in enumerate(parent.children):
        child.parent = parent
        child.row = row


def _sibling_key(node: TagNode) -> tuple[int, str, str]:
    return (-node.order, node.label.casefold(), node.key)


def _restriction(kind: TagKind, app_owned: bool) -> Restriction | None:
    if kind is TagKind.PERSONAL:
        return PERSONAL_READ_ONLY
    if not app_owned:
        return CONSOLE_RULE_GROUP if kind is TagKind.STRATEGY else NOT_APP_OWNED
    return None


def _preorder(node: TagNode) -> Iterator[TagNode]:
    yield node
    for child in node.children:
        yield from _preorder(child)


def _tag_nodes(node: TagNode) -> Iterator[TagNode]:
    return (item for item in _preorder(node) if item.kind is NodeKind.TAG)
