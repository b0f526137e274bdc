"""A branch-regional tag group: a new group in the rule group of a branch department.

The rule group (range: the department, manager: its head) is found or made by
`BranchTags`, as `tagdesk tags add-group NAME --tag FIRST --branch DEPT` does.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.services.rule_groups import BranchTags
from desktop.services.tag_admin import CreatedTag, TagAdminService
from desktop.ui.context import AppContext
from desktop.ui.tag_dialogs import CreateGroupDialog


class BranchGroupDialog(CreateGroupDialog):
    """Department, group name and first tag; the new tag shows only to that department."""

    def __init__(self, context: AppContext, service: TagAdminService,
                 parent: QWidget | None = None, *,
                 offered: Collection[int] | None = None) -> None:
        """`offered`: on a team profile, the branches a non-admin manages (the team server
        lets them make branch groups for those only); None offers every department."""
        self.branch_box = QComboBox()
        self.branches = BranchTags(service)
        for department_id, name in self.branches.departments():
            if offered is None or department_id in offered:
                self.branch_box.addItem(name, department_id)
        super().__init__(context, service, parent)
        self.setWindowTitle(self.tr("New branch tag group"))
        self.form.insertRow(0, self.tr("Branch department"), self.branch_box)
        self.branch_box.setToolTip(self.tr(
            "WeCom shows the group's tags only to this department's members; its head manages"
            " the rule group"))

    def work(self) -> Callable[[], CreatedTag]:
        department = str(self.branch_box.currentData())
        group, name, branches = self.group_edit.text(), self.name_edit.text(), self.branches
        return lambda: branches.add_group(department, group, name)[1]
