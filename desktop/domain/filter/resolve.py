"""Turning a parsed filter into a `Plan` against a `FilterCatalogue` (pure, no I/O).

Name lookup is exact first, then ignoring case and full/half width. A bare tag
name found in several groups is an error that spells out each qualified form;
unknown names get the nearest existing names by text and by pinyin.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from desktop.domain.filter.ast import (
    AddedTerm,
    And,
    Comparison,
    DeptTerm,
    Expr,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
)
from desktop.domain.filter.catalogue import (
    FilterCatalogue,
    GroupEntry,
    MemberEntry,
    TagEntry,
    path_segments,
)
from desktop.domain.filter.errors import (
    AmbiguousDepartmentError,
    AmbiguousOwnerError,
    AmbiguousTagError,
    UnknownDepartmentError,
    UnknownGroupError,
    UnknownOwnerError,
    UnknownTagError,
)
from desktop.domain.filter.plan import (
    AllRelations,
    CreatedLeaf,
    OwnerLeaf,
    Plan,
    PlanAnd,
    PlanNot,
    PlanOr,
    StateLeaf,
    TagCountLeaf,
    TagLeaf,
    TextLeaf,
)
from desktop.domain.filter.printer import quote, tag_text
from desktop.domain.filter.suggest import fold, fold_text

_GLUE_KEYWORDS = {"且": "AND", "或": "OR", "非": "NOT"}


def resolve(expr: Expr, catalogue: FilterCatalogue, tz: tzinfo | None = None) -> Plan:
    """The plan for `expr`; dates are local calendar days in `tz` (None: the system's zone)."""
    return _Resolver(catalogue, tz).plan(expr)


def local_timestamp(day: date, tz: tzinfo | None) -> int:
    """Unix seconds at the start of `day` in `tz` (None: the system's local zone)."""
    moment = datetime.combine(day, time())
    return int((moment.replace(tzinfo=tz) if tz is not None else moment).timestamp())


def _owner_text(member: MemberEntry) -> str:
    return f"owner:{quote(member.userid)}" + (f"（{member.name}）" if member.name else "")


def _half_open(op: Comparison, first: int, end: int) -> tuple[int | None, int | None]:
    """The (low, high) bounds meaning `value <op> [first, end)`; NE is handled by the caller."""
    return {
        Comparison.EQ: (first, end), Comparison.NE: (first, end),
        Comparison.LT: (None, first), Comparison.LE: (None, end),
        Comparison.GT: (end, None), Comparison.GE: (first, None),
    }[op]


class _Resolver:
    def __init__(self, catalogue: FilterCatalogue, tz: tzinfo | None) -> None:
        self.catalogue = catalogue
        self.tz = tz

    def plan(self, expr: Expr) -> Plan:
        if isinstance(expr, MatchAll):
            return AllRelations()
        if isinstance(expr, And):
            return PlanAnd(tuple(self.plan(operand) for operand in expr.operands))
        if isinstance(expr, Or):
            return PlanOr(tuple(self.plan(operand) for operand in expr.operands))
        if isinstance(expr, Not):
            return PlanNot(self.plan(expr.operand))
        if isinstance(expr, TagTerm):
            return self.tag(expr)
        if isinstance(expr, GroupTerm):
            groups = self.groups_named(expr.group, expr.span)
            return TagLeaf(frozenset(
                tag.pk for group in groups for tag in self.catalogue.tags_by_group[group.id]
            ))
        if isinstance(expr, OwnerTerm):
            return OwnerLeaf(self.owner(expr))
        if isinstance(expr, DeptTerm):
            return OwnerLeaf(self.department(expr))
        if isinstance(expr, StateTerm):
            return StateLeaf(self.states(expr.value))
        if isinstance(expr, TextTerm):
            return TextLeaf(fold_text(expr.value))
        if isinstance(expr, AddedTerm):
            first = local_timestamp(expr.when.first, self.tz)
            end = local_timestamp(expr.when.end, self.tz)
            created = CreatedLeaf(*_half_open(expr.op, first, end))
            return PlanNot(created) if expr.op is Comparison.NE else created
        if isinstance(expr, TagCountTerm):
            low, high = _half_open(expr.op, expr.count, expr.count + 1)
            counted = TagCountLeaf(low or 0, high)
            return PlanNot(counted) if expr.op is Comparison.NE else counted
        raise TypeError(f"not a filter expression: {expr!r}")

    # -- tags ------------------------------------------------------------------

    def groups_named(self, name: str, span: tuple[int, int]) -> list[GroupEntry]:
        groups = self.catalogue.groups_by_name.get(name) or self.catalogue.groups_by_folded.get(
            fold(name)
        )
        if not groups:
            suggestions = self.catalogue.suggester("group").nearest(name)
            raise UnknownGroupError(name, [quote(s) for s in suggestions], span)
        return groups

    def tag(self, term: TagTerm) -> TagLeaf:
        scope = None
        if term.group is not None:
            scope = {group.id for group in self.groups_named(term.group, term.span)}
        matches = self.matching(term, scope)
        if not matches:
            raise self.unknown_tag(term)
        if term.group is None and len({tag.group_name for tag in matches}) > 1:
            raise AmbiguousTagError(term.name, self.spellings(term, matches), term.span)
        return TagLeaf(frozenset(tag.pk for tag in matches))

    def matching(self, term: TagTerm, scope: set[str] | None) -> list[TagEntry]:
        """Tags named by `term`, within the groups in `scope` (None: every group)."""
        catalogue = self.catalogue
        if not term.descendants:
            for index, key in ((catalogue.tags_by_name, term.name),
                               (catalogue.tags_by_folded, fold(term.name))):
                found = [t for t in index.get(key, ()) if scope is None or t.group_id in scope]
                if found:
                    return found
            return []
        pool = [t for t in catalogue.tags if scope is None or t.group_id in scope]
        prefix = path_segments(term.name)
        exact = [tag for tag in pool if path_segments(tag.name)[: len(prefix)] == prefix]
        if exact:
            return exact
        folded = tuple(fold(segment) for segment in prefix)
        return [
            tag for tag in pool
            if tuple(fold(s) for s in path_segments(tag.name)[: len(prefix)]) == folded
        ]

    def spellings(self, term: TagTerm, matches: list[TagEntry]) -> list[str]:
        """One qualified spelling per group, e.g. `客户等级:VIP`, `复购:VIP`."""
        by_group: dict[str, str] = {}
        for tag in matches:
            name = term.name if term.descendants else tag.name
            by_group.setdefault(tag.group_name, tag_text(name, tag.group_name, term.descendants))
        return [by_group[group] for group in sorted(by_group)]

    def unknown_tag(self, term: TagTerm) -> UnknownTagError:
        catalogue = self.catalogue
        suggestions: list[str] = []
        for name in catalogue.suggester("tag").nearest(term.name):
            tags = catalogue.tags_by_name[name]
            groups = sorted({tag.group_name for tag in tags})
            if term.group is not None and fold(term.group) in {fold(g) for g in groups}:
                suggestions.append(tag_text(name, term.group if len(groups) > 1 else None))
            elif len(groups) == 1:
                suggestions.append(tag_text(name))
            else:
                suggestions.extend(tag_text(name, group) for group in groups)
        return UnknownTagError(term.name, term.group, suggestions[:5], term.span,
                               self.glue_hint(term.name))

    def glue_hint(self, name: str) -> tuple[str, str] | None:
        """Spot `高意向且VIP`: a keyword written without the spaces it needs."""
        for keyword, english in _GLUE_KEYWORDS.items():
            parts = name.split(keyword)
            operands = parts if keyword != "非" else parts[1:]
            if len(parts) < 2 or not all(operands):
                continue
            if all(fold(part) in self.catalogue.tags_by_folded for part in parts if part):
                spaced = f" {keyword} ".join(parts).strip()
                return (f"“{keyword}”作关键字时两侧要有空格：{spaced}",
                        f"put spaces around “{keyword}” ({english}) to use it as a keyword: "
                        f"{spaced}")
        return None

    # -- members, departments, channels ------------------------------------------

    def owner(self, term: OwnerTerm) -> frozenset[str]:
        catalogue = self.catalogue
        value = term.value
        if value in catalogue.members_by_userid:
            return frozenset({value})
        by_userid = [m for m in catalogue.members if m.userid.casefold() == value.casefold()]
        by_name = catalogue.members_by_name.get(value) or [
            m for m in catalogue.members if m.name and fold(m.name) == fold(value)
        ]
        found = by_userid or by_name
        if not found:
            raise UnknownOwnerError(value, self.member_suggestions(value), term.span)
        if len(found) > 1 and not by_userid:
            raise AmbiguousOwnerError(value, [_owner_text(m) for m in found], term.span)
        return frozenset(m.userid for m in found)

    def member_suggestions(self, value: str) -> list[str]:
        """Nearest members by userid or name, each spelled `owner:userid（name）`."""
        catalogue = self.catalogue
        spelled: dict[str, str] = {}
        for near in catalogue.suggester("member").nearest(value):
            member = catalogue.members_by_userid.get(near)
            for match in [member] if member else catalogue.members_by_name.get(near, []):
                spelled.setdefault(match.userid, _owner_text(match))
        return list(spelled.values())[:5]

    def department(self, term: DeptTerm) -> frozenset[str]:
        catalogue = self.catalogue
        value = term.value.strip()
        if value.isdigit() and int(value) in catalogue.departments_by_id:
            roots = [int(value)]
        else:
            wanted = tuple(fold(s) for s in path_segments(value))
            roots = [
                dept.id for dept in catalogue.departments
                if wanted and tuple(fold(s) for s in catalogue.department_path(dept.id))[
                    -len(wanted):
                ] == wanted
            ]
        if not roots:
            suggestions = catalogue.suggester("department").nearest(value)
            raise UnknownDepartmentError(value, [f"dept:{quote(s)}" for s in suggestions],
                                         term.span)
        if len(roots) > 1:
            raise AmbiguousDepartmentError(value, [
                f"dept:{dept_id}（{'/'.join(catalogue.department_path(dept_id))}）"
                for dept_id in sorted(roots)
            ], term.span)
        return frozenset(
            userid for dept_id in catalogue.department_subtree(roots)
            for userid in catalogue.members_in_department.get(dept_id, ())
        )

    def states(self, value: str) -> frozenset[str]:
        """The state itself plus the states of live codes whose remark is `value`."""
        wanted = fold(value)
        return frozenset({value} | {
            channel.state for channel in self.catalogue.channels
            if channel.state and channel.remark and fold(channel.remark) == wanted
        })
