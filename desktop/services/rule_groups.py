"""Branch-regional tags: a WeCom rule group per branch department, managed by its head.

WeCom shows a rule group's tags only to the members in its range, on their phones too, so a
branch's own tags go into a top-level rule group whose range is the branch department and
whose manager (`admin_list`) is that department's head (`is_leader_in_dept`). Whether a
department in a range covers its sub-departments WeCom does not say, so TagDesk lists them
too (up to WeCom's 100 range nodes per call). It reuses a top-level rule group WeCom already
lists over just that department or that department with its sub-departments, else creates
one (named after the department) and journals that. HQ's public tags stay corp tags.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.filter.suggest import NameSuggester
from desktop.services.tag_admin import SOURCE, CreatedTag, TagAdminError, TagAdminService
from desktop.store import journal
from desktop.store.snapshot import bump_data_version
from desktop.wecom.client import WeComClient
from desktop.wecom.models import StrategyRangeItem
from desktop.wecom.write_note import WriteNote

MAX_RANGE_NODES = 100  # WeCom's cap per create / edit call


class DepartmentNotFoundError(UserError):
    """No department by that name or id in the cache."""


@dataclass(frozen=True)
class BranchRuleGroup:
    id: int
    name: str
    department_id: int
    department_name: str
    admins: tuple[str, ...]
    created: bool


class BranchTags:
    """Tag groups of a branch department's rule group, through `TagAdminService`."""

    def __init__(self, admin: TagAdminService) -> None:
        self.admin = admin
        self.cache = admin.cache

    def add_group(self, department: str, group_name: str, first_tag: str) -> tuple[
            BranchRuleGroup, CreatedTag]:
        """A new tag group (with its first tag) in the branch's rule group, made if missing."""
        rule_group = self.rule_group(department)
        created = self.admin.create_group(group_name, first_tag, strategy_id=rule_group.id)
        return rule_group, created

    def rule_group(self, department: str) -> BranchRuleGroup:
        dept_id, dept_name = self.department(department)
        scope = self.subtree(dept_id)
        with self.admin.ws.client().noting(WriteNote(source=SOURCE)) as client:
            existing = _rule_group_over(client, {dept_id}, set(scope))
            if existing is not None:
                return BranchRuleGroup(existing[0], existing[1], dept_id, dept_name,
                                       existing[2], created=False)
            admins = self.heads(dept_id)
            if not admins:
                raise TagAdminError(
                    f"部门「{dept_name}」没有负责人（通讯录里的部门负责人），规则组需要它作管理员；"
                    "请先在企业微信通讯录里设置部门负责人并同步。",
                    f"The department \"{dept_name}\" has no head (department leader in WeCom's "
                    "directory) to manage its rule group; set one in WeCom and sync first.",
                )
            _ = self.admin.ws.operator
            strategy_id = client.create_strategy(dept_name, admin_list=admins,
                                                 departments=scope)
        self._record(strategy_id, dept_name, scope, admins)
        return BranchRuleGroup(strategy_id, dept_name, dept_id, dept_name, tuple(admins),
                               created=True)

    def department(self, ref: str) -> tuple[int, str]:
        """(id, name) of the department named (or with the id) `ref`."""
        text = ref.strip()
        rows = self.cache.connection().execute("SELECT id, name FROM department").fetchall()
        found = [(int(i), str(n)) for i, n in rows if str(i) == text or n == text]
        if len(found) == 1:
            return found[0]
        if found:
            listed = "、".join(f"{name} ({dept_id})" for dept_id, name in found)
            raise DepartmentNotFoundError(
                f"有多个名为「{echo(text)}」的部门，请改用部门编号：{listed}。",
                f"Several departments are named {echo(text)!r}; use a department id: {listed}.")
        nearest = NameSuggester(str(n) for _, n in rows).nearest(text, limit=3)
        hint_zh = f"，是否要找：{'、'.join(nearest)}" if nearest else ""
        hint_en = f"; did you mean: {', '.join(nearest)}" if nearest else ""
        raise DepartmentNotFoundError(f"没有名为「{echo(text)}」的部门{hint_zh}。",
                                      f"No department named {echo(text)!r}{hint_en}.")

    def departments(self) -> list[tuple[int, str]]:
        """(id, name) of every department as last synced, in WeCom's order."""
        return [(int(row[0]), str(row[1])) for row in self.cache.connection().execute(
            "SELECT id, name FROM department ORDER BY sort_order DESC, id")]

    def subtree(self, department_id: int) -> list[int]:
        """The department and those below it, parents first, at most MAX_RANGE_NODES."""
        children: dict[int, list[int]] = {}
        for child, parent in self.cache.connection().execute(
                "SELECT id, parent_id FROM department ORDER BY sort_order DESC, id"):
            children.setdefault(int(parent), []).append(int(child))
        found: list[int] = []
        pending = [department_id]
        while pending and len(found) < MAX_RANGE_NODES:
            current = pending.pop(0)
            found.append(current)
            pending.extend(children.get(current, []))
        return found

    def heads(self, department_id: int) -> list[str]:
        """The department's leaders (`is_leader_in_dept`), as the last sync saw them."""
        return [row[0] for row in self.cache.connection().execute(
            "SELECT userid FROM member_department WHERE department_id = ? AND is_leader = 1"
            " ORDER BY userid", (department_id,))]

    def _record(self, strategy_id: int, name: str, departments: list[int],
                admins: list[str]) -> None:
        after = {"name": name, "departments": departments, "admins": admins}
        with self.cache.write() as conn:
            conn.execute(
                "INSERT INTO strategy (id, parent_id, name, create_time) VALUES (?, 0, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                (strategy_id, name, int(time.time())))
            journal.append(conn, [journal.JournalEntry(
                operator=self.admin.ws.operator, action="rule_group_create", source=SOURCE,
                batch_id=f"tree-rule-group-{strategy_id}", tag_id=str(strategy_id),
                tag_name=name, group_name=name,
                after=json.dumps(after, ensure_ascii=False))])
            bump_data_version(self.cache, conn, names_only=True)


def _rule_group_over(client: WeComClient, *scopes: set[int]) -> tuple[int, str, tuple[
        str, ...]] | None:
    """A top-level rule group WeCom lists whose range is exactly one of the department sets."""
    for strategy_id in client.list_strategies():
        strategy = client.get_strategy(strategy_id)
        if strategy.parent_id != 0:
            continue
        scope = client.get_strategy_range(strategy_id)
        parties = {item.party_id for item in scope}
        if all(item.type == StrategyRangeItem.DEPARTMENT for item in scope) and parties in scopes:
            return strategy.id, strategy.name, strategy.admin_list
    return None


def range_departments(client: WeComClient,
                      strategy_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The departments in each rule group's range, in WeCom's order (the team server gives
    the first the rule group's tag groups its policy does not place)."""
    return {strategy_id: tuple(item.party_id for item in client.get_strategy_range(strategy_id)
                               if item.type == StrategyRangeItem.DEPARTMENT
                               and item.party_id is not None)
            for strategy_id in strategy_ids}
