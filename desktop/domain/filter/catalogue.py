"""What the names in a filter refer to: tags, groups, members, departments, channels.

The store loads these rows from the cache and hands them in, which keeps name
resolution pure and testable without SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from desktop.domain.filter.suggest import NameSuggester, fold


@dataclass(frozen=True)
class TagEntry:
    pk: int
    name: str
    group_id: str
    group_name: str


@dataclass(frozen=True)
class GroupEntry:
    id: str
    name: str


@dataclass(frozen=True)
class MemberEntry:
    userid: str
    name: str = ""
    departments: tuple[int, ...] = ()


@dataclass(frozen=True)
class DepartmentEntry:
    id: int
    name: str
    parent_id: int = 0


@dataclass(frozen=True)
class ChannelEntry:
    """A live code (contact way): its `state` and the remark people know it by."""

    state: str
    remark: str = ""


def path_segments(name: str) -> tuple[str, ...]:
    """`教育/K12/小学` → ("教育", "K12", "小学"); blanks around `/` and empty segments dropped."""
    return tuple(segment.strip() for segment in name.split("/") if segment.strip())


@dataclass
class FilterCatalogue:
    """Indexes over the catalogue rows; build once per cache version and reuse."""

    tags: list[TagEntry] = field(default_factory=list)
    groups: list[GroupEntry] = field(default_factory=list)
    members: list[MemberEntry] = field(default_factory=list)
    departments: list[DepartmentEntry] = field(default_factory=list)
    channels: list[ChannelEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tags_by_name: dict[str, list[TagEntry]] = defaultdict(list)
        self.tags_by_folded: dict[str, list[TagEntry]] = defaultdict(list)
        self.tags_by_group: dict[str, list[TagEntry]] = defaultdict(list)
        for tag in self.tags:
            self.tags_by_name[tag.name].append(tag)
            self.tags_by_folded[fold(tag.name)].append(tag)
            self.tags_by_group[tag.group_id].append(tag)
        self.groups_by_name: dict[str, list[GroupEntry]] = defaultdict(list)
        self.groups_by_folded: dict[str, list[GroupEntry]] = defaultdict(list)
        for group in self.groups:
            self.groups_by_name[group.name].append(group)
            self.groups_by_folded[fold(group.name)].append(group)
        self.members_by_userid = {member.userid: member for member in self.members}
        self.members_by_name: dict[str, list[MemberEntry]] = defaultdict(list)
        self.members_in_department: dict[int, list[str]] = defaultdict(list)
        for member in self.members:
            if member.name:
                self.members_by_name[member.name].append(member)
            for department_id in member.departments:
                self.members_in_department[department_id].append(member.userid)
        self.departments_by_id = {dept.id: dept for dept in self.departments}
        self.department_children: dict[int, list[int]] = defaultdict(list)
        for dept in self.departments:
            if dept.parent_id != dept.id:
                self.department_children[dept.parent_id].append(dept.id)
        self._suggesters: dict[str, NameSuggester] = {}

    def suggester(self, kind: str) -> NameSuggester:
        """A cached suggester over tag names, group names, members or departments."""
        suggester = self._suggesters.get(kind)
        if suggester is None:
            names: Iterable[str] = {
                "tag": (tag.name for tag in self.tags),
                "group": (group.name for group in self.groups),
                "member": [m.userid for m in self.members] + [m.name for m in self.members if m.name],
                "department": (dept.name for dept in self.departments),
            }[kind]
            suggester = self._suggesters[kind] = NameSuggester(names)
        return suggester

    def department_path(self, department_id: int) -> tuple[str, ...]:
        """Names from the top department down to this one."""
        names: list[str] = []
        seen: set[int] = set()
        current = self.departments_by_id.get(department_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = self.departments_by_id.get(current.parent_id)
        return tuple(reversed(names))

    def department_subtree(self, department_ids: Iterable[int]) -> set[int]:
        """The departments and all their sub-departments."""
        found: set[int] = set()
        pending = list(department_ids)
        while pending:
            dept_id = pending.pop()
            if dept_id not in found:
                found.add(dept_id)
                pending.extend(self.department_children.get(dept_id, ()))
        return found
