"""The scene lab: 标签 → 场景模板…, a wizard in four steps.

1. the bundled templates, with what each holds;
2. which tag each template tag uses: create new, the same-named tag of the group (the
   default, as `tagdesk scenes apply` does), any existing tag (collisions highlighted), or,
   on a team profile, create new in a group of the user's own (a head's MKT- groups);
3. the members the template's live codes are made for in WeCom (none: kept as data);
4. everything Apply will create, reuse, map and keep, then Apply: the missing tags are
   created, the rules kept (naming the mapped tags), the live codes made; the rules are then
   simulated and run in the rules window. On a team profile a new group or tag the team's
   rules refuse this user (a department head's public group) is said here, with the server's
   sentence, and Apply stays disabled: nothing is half made.

Everything is read and written on workers; the window says why when WeCom refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.governance import Change, Decision, Operation, Verdict
from desktop.domain.scenes import Scene
from desktop.domain.tag_search import TagSearchIndex
from desktop.services.changes import ChangeSet
from desktop.services.scenes import SceneApply, SceneService, scenes
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.i18n import in_ui_language, is_english
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.scene_wizard_pages import MembersPage, TagMappingPage
from desktop.ui.sortable_tree import SORT_ROLE, SortableItem, sort_on_header_click
from desktop.ui.tag_dialogs import pick

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")
CHOOSE, MAP, MEMBERS, REVIEW = range(4)


@dataclass(frozen=True)
class SceneSetup:
    """What the wizard reads when a template is chosen."""

    preview: SceneApply
    labels: dict[str, str]
    index: TagSearchIndex
    members: list[tuple[str, str]]
    groups: list[str]


class ScenesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 governance: GovernanceMonitor | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenesDialog")
        self.context = context
        self.governance = governance    # a team profile's roles, once read
        self.service = SceneService(context.workspace)
        self.setup: SceneSetup | None = None
        self.preview: SceneApply | None = None
        self.templates: list[Scene] = scenes()
        self.resize(900, 620)
        self.step = QLabel()
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        sort_on_header_click(self.list)
        self.about = QLabel()
        self.about.setWordWrap(True)
        choose = QWidget()
        choose_layout = QVBoxLayout(choose)
        choose_layout.setContentsMargins(0, 0, 0, 0)
        choose_layout.addWidget(self.list, 1)
        choose_layout.addWidget(self.about)
        self.mapping = TagMappingPage()
        self.members = MembersPage()
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.pages = QStackedWidget()
        for page in (choose, self.mapping, self.members, self.details):
            self.pages.addWidget(page)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.allow_collisions = QCheckBox()
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.apply_button = QPushButton()
        self.close_button = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.busy)
        row.addWidget(self.allow_collisions)
        for button in (self.back_button, self.next_button, self.apply_button,
                       self.close_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        layout.addLayout(row)
        self.list.currentItemChanged.connect(lambda _item, _old: self._selected())
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.apply_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.close)
        self.texts = retranslate_in_place(self, self.retranslate)
        self._show(CHOOSE)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Scene templates"))
        self.list.setHeaderLabels([self.tr("Template"), self.tr("Industry"), self.tr("Tags"),
                                   self.tr("Rules"), self.tr("Live codes")])
        self.allow_collisions.setText(self.tr("Create same-named tags in the template's groups"))
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(self.tr("Next"))
        self.apply_button.setText(self.tr("Apply"))
        self.close_button.setText(self.tr("Close"))
        current = self.selected_name()
        self.list.clear()
        for scene in self.templates:
            counts = (scene.tag_count, len(scene.rules), len(scene.live_codes))
            item = SortableItem([scene.title_en if is_english() else scene.title,
                                 in_ui_language(scene.industry), *map(str, counts)])
            item.setData(0, NAME_ROLE, scene.name)
            for column, count in enumerate(counts, start=2):
                item.setData(column, SORT_ROLE, count)
            self.list.addTopLevelItem(item)
            if scene.name == current:
                self.list.setCurrentItem(item)
        for column in (0, 1):
            self.list.resizeColumnToContents(column)
        self._show_step()
        if self.preview is not None:
            self.details.setPlainText(self._details(self.preview))

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(0, NAME_ROLE))

    def select(self, name: str) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and item.data(0, NAME_ROLE) == name:
                self.list.setCurrentItem(item)

    # -- steps ----------------------------------------------------------------------------------

    def next(self) -> None:
        page = self.pages.currentIndex()
        if page == CHOOSE and self.setup is not None:
            scene = self.setup.preview.scene
            self.mapping.fill(scene, self.setup.preview.plan, self.setup.labels,
                              self.setup.index, self._own_groups(self.setup.groups))
            self.members.fill(self.setup.members, len(scene.live_codes))
            self._show(MAP)
        elif page == MAP:
            self._show(MEMBERS)
        elif page == MEMBERS:
            unknown = "、".join(self.members.unknown())
            if unknown:
                self.texts.say(self.summary, lambda: self.tr(
                    "%1: not a member with customer contact. Tick the members, or type their"
                    " userids.").replace("%1", unknown))
                return
            self.texts.say(self.summary, str)
            self._review()

    def back(self) -> None:
        self.preview = None
        self._show(max(CHOOSE, self.pages.currentIndex() - 1))

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_button.setEnabled(page != CHOOSE)
        self.next_button.setVisible(page != REVIEW)
        self.next_button.setEnabled(page != CHOOSE or self.setup is not None)
        self.apply_button.setVisible(page == REVIEW)
        (self.apply_button if page == REVIEW else self.next_button).setDefault(True)  # not Back
        self.apply_button.setEnabled(page == REVIEW and self.preview is not None
                                     and not self.preview.applied
                                     and self._refusal(self.preview) is None)
        self.allow_collisions.setVisible(page == REVIEW and self.preview is not None
                                         and bool(self.preview.plan.collisions))
        self._show_step()

    def _show_step(self) -> None:
        titles = (self.tr("Step 1 of 4: choose a template"),
                  self.tr("Step 2 of 4: which tag each template tag uses"),
                  self.tr("Step 3 of 4: members for the live codes"),
                  self.tr("Step 4 of 4: everything Apply does"))
        self.step.setText(titles[self.pages.currentIndex()])

    def _selected(self) -> None:
        self.setup = None
        self.preview = None
        self._show(CHOOSE)
        name = self.selected_name()
        if name is None:
            return
        service = self.service

        def read(_progress: Any, _cancel: Any) -> SceneSetup:
            return SceneSetup(service.preview(name), service.tag_labels(), service.search_index(),
                              service.members(), service.groups())

        self._run_read(read, self._set_up)

    def _set_up(self, setup: SceneSetup) -> None:
        scene = setup.preview.scene
        if scene.name != self.selected_name():
            return
        self.setup = setup
        plan = setup.preview.plan
        self.texts.say(self.about, lambda: self.tr(
            "%1 — %2 (%3 exist), %4, %5.")
            .replace("%1", scene.about(is_english())).replace("%2", COUNTS.tags(scene.tag_count))
            .replace("%3", str(len(plan.reuse))).replace("%4", COUNTS.rules(len(scene.rules)))
            .replace("%5", COUNTS.live_codes(len(scene.live_codes))))
        self._show(CHOOSE)

    def _own_groups(self, groups: list[str]) -> list[str]:
        """The existing groups a department owns that the team's rules let this user add
        tags to (a head's own MKT- groups); none on a solo profile."""
        rules = self.governance.rules if self.governance is not None else None
        if rules is None:
            return []
        return [g for g in groups if rules.owner(g)
                and rules.decide(Change(Operation.ADD_TAG, g, "-")).verdict is Verdict.ALLOW]

    def _review(self) -> None:
        name, mapping, homes = (self.selected_name(), self.mapping.mapping(),
                                self.mapping.homes())
        if name is None:
            return
        service = self.service
        self._run_read(lambda _p, _c: service.preview(name, mapping, homes), self._previewed)

    def _previewed(self, preview: SceneApply) -> None:
        if preview.scene.name != self.selected_name():
            return
        self.preview = preview
        self.details.setPlainText(self._details(preview))
        refusal = self._refusal(preview)
        if refusal is not None:
            self.texts.say(self.summary, lambda: self.tr(
                "The team server would refuse this: %1. On step 2, use existing tags for the"
                " template's tags or create them in your own group, or ask an administrator to"
                " apply it.")
                .replace("%1", pick(refusal.zh, refusal.en)))
        self._show(REVIEW)

    def _refusal(self, preview: SceneApply) -> Decision | None:
        """What the team's rules refuse of the groups and tags Apply would create, if any."""
        rules = self.governance.rules if self.governance is not None else None
        if rules is None:
            return None
        plan, new = preview.plan, set(preview.plan.new_groups)
        changes = [Change(Operation.ADD_GROUP, group, new_name=group) for group in plan.new_groups]
        changes += [Change(Operation.ADD_TAG, group, tag) for group, tag in plan.create
                    if group not in new]
        decisions = (rules.decide(change) for change in changes)
        return next((d for d in decisions if d.verdict is Verdict.REFUSE), None)

    def _details(self, preview: SceneApply) -> str:
        plan, members = preview.plan, self.members.chosen()
        lines = [self.tr("New group: %1").replace("%1", g) for g in plan.new_groups]
        lines += [self.tr("Create: %1").replace("%1", f"{g}:{t}") for g, t in plan.create]
        lines += [self.tr("Reuse: %1").replace("%1", f"{g}:{t}") for g, t, _ in plan.reuse]
        lines += [self.tr("Use existing: %1 → %2").replace("%1", m.template_label)
                  .replace("%2", m.label) for m in plan.mapped]
        lines += [self.tr("Created in your group: %1 → %2").replace("%1", m.template_label)
                  .replace("%2", m.label) for m in plan.moved]
        lines += [self.tr("Name collision: %1 already exists in %2")
                  .replace("%1", f"{c.group}:{c.tag}").replace("%2", "、".join(c.found_in))
                  for c in plan.collisions]
        lines += [self.tr("Add rule: %1").replace("%1", n) for n in preview.new_rules]
        lines += [self.tr("Replace rule: %1").replace("%1", n) for n in preview.replaced_rules]
        for code in preview.scene.live_codes:
            text = (self.tr("Live code, made in WeCom for %3: state=%1 → %2")
                    .replace("%3", ", ".join(members)) if members else
                    self.tr("Live code (data only, not made in WeCom): state=%1 → %2"))
            lines.append(text.replace("%1", code.state).replace("%2", "、".join(code.tags)))
        return "\n".join(lines)

    # -- apply ----------------------------------------------------------------------------------

    def apply(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.apply_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.busy.show()
        service, allow = self.service, self.allow_collisions.isChecked()
        members = self.members.chosen()

        def work(_progress: Any, _cancel: Any) -> ChangeSet:
            service.apply(preview, allow_collisions=allow, live_code_members=members)
            return ChangeSet(tags_changed=True, journal_appended=True)

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            self._review()          # what was made before the failure is now reused

        self.context.run_operation(work, owner=self, name="apply scene",
                                   on_success=lambda _changes: self._applied(preview),
                                   on_failure=failed)

    def _applied(self, preview: SceneApply) -> None:
        self.busy.hide()
        created, rules = len(preview.created), len(preview.scene.rules)
        made, kept = len(preview.live_codes), len(preview.live_codes_kept)
        team = self.context.workspace.profile.is_team
        self.texts.say(self.summary, lambda: (self.tr(
            "Applied: %1 created, %2 kept disabled (the team server runs enabled rules on its"
            " schedule), %3 made (%4 left as they were). Simulate the rules, then enable them"
            " in Tags → Rules….") if team else self.tr(
            "Applied: %1 created, %2 kept, %3 made (%4 left as they"
            " were). Simulate the rules in Tags → Rules…."))
            .replace("%1", COUNTS.tags(created)).replace("%2", COUNTS.rules(rules))
            .replace("%3", COUNTS.live_codes(made)).replace("%4", str(kept)))
        self.back_button.setEnabled(False)
        english = is_english()
        lines = [self.tr("Live code made: state=%1 (code %2)").replace("%1", state)
                 .replace("%2", config_id) for state, config_id in preview.live_codes]
        lines += [self.tr("Live code not made: state=%1: %2").replace("%1", state)
                  .replace("%2", UserError(why).text(english))
                  for state, why in preview.live_codes_kept]
        if lines:
            self.details.appendPlainText("\n" + "\n".join(lines))

    def _run_read(self, work: Callable[[Any, Any], T], done: Callable[[T], None]) -> None:
        self.busy.show()
        self.next_button.setEnabled(False)

        def finished(result: T) -> None:
            self.busy.hide()
            done(result)

        self.context.run_task(work, owner=self, name="scene preview", on_result=finished,
                              on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.texts.say(self.summary, lambda: readable(exc))
        self._show(self.pages.currentIndex())
