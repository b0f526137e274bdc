"""The tag tree pane: type-ahead search over the tree, clicks that filter, keys that edit.

A click on a tag or group emits `tagClicked` / `groupClicked` with the keyboard modifiers of
that click (plain = replace the filter, Ctrl = AND, Alt = NOT); the main window turns them into
filter expressions. The search box finds tags by Chinese, full pinyin, initials (`gyx`) or
abbreviation: rows that do not match are hidden, matches are highlighted, the best one becomes
current and Enter uses it. Edits (F2, Del, Ctrl+N, pins, abbreviations) run through
`TagAdminService` on the writer thread and publish their change set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.governance import Change, Operation, Verdict
from desktop.domain.hygiene import library_capacity
from desktop.domain.tag_tree import NodeKind, TagNode, effective_restriction
from desktop.domain.tags import TagKind
from desktop.services.changes import ChangeSet
from desktop.services.customer_scope import cache_scope
from desktop.services.governance import TeamRules
from desktop.services.rule_groups import range_departments
from desktop.services.tag_admin import ReadOnlyTagError
from desktop.services.tag_catalog import DeletionImpact
from desktop.ui.adopt_dialog import AdoptDialog
from desktop.ui.branch_group_dialog import BranchGroupDialog
from desktop.ui.context import AppContext
from desktop.ui.migrate_wizard import MigrateDialog
from desktop.ui.style import accent
from desktop.ui.tag_dialogs import (
    AbbreviationDialog,
    CreateGroupDialog,
    CreateTagDialog,
    DeletionRequestDialog,
    RenameDialog,
    delete_confirmation,
    message_for,
    pick,
    request_sent,
    taken_abbreviations,
)
from desktop.ui.tag_tree_model import COUNT_COLUMN, NAME_COLUMN, Role, TagTreeModel

SEARCH_LIMIT = 60


class TagTreeView(QWidget):
    tagClicked = Signal(str, object)    # tag id, Qt.KeyboardModifier
    groupClicked = Signal(str, object)  # group id, Qt.KeyboardModifier

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = TagTreeModel(context, self)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setItemDelegateForColumn(NAME_COLUMN, BadgeDelegate(self.tree))
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)   # 教育/…/小学, MKT-…活动
        self.tree.setIndentation(14)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        # A fixed width: ResizeToContents would measure every row on each expand.
        header.setSectionResizeMode(COUNT_COLUMN, QHeaderView.ResizeMode.Fixed)
        self._fit_count_column()
        # Counts change only with a load: a row's dataChanged (a search's highlight, a drop's
        # pending mark) leaves the widest one as it was, and measuring it walks every tag.
        self.model.loaded.connect(self._fit_count_column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        self.no_match = QLabel()
        self.no_match.setObjectName("tagSearchEmpty")
        self.no_match.setWordWrap(True)
        self.no_match.hide()
        layout.addWidget(self.no_match)
        layout.addWidget(self.tree, 1)
        self.capacity = QLabel()
        self.capacity.setObjectName("tagCapacity")
        layout.addWidget(self.capacity)
        self.dialog: QWidget | None = None
        self._click_modifiers = Qt.KeyboardModifier.NoModifier
        self._expanded: set[str] = set()
        self._shown_once = False
        self._hidden: set[str] = set()
        self._expanded_before_search: set[str] | None = None
        self._no_hits = False
        self._current_key = ""
        self.rules: TeamRules | None = None  # a team profile's governance, once read
        # rule group -> the departments in its range (WeCom's order), read with the rules
        # and again after each sync (a range changed in WeCom moves the group's owner)
        self._ranges: dict[int, tuple[int, ...]] = {}
        self._reading_ranges = False
        self._ranges_stale = False
        self._build_actions()
        self._connect()
        self.retranslate()

    def _fit_count_column(self) -> None:
        """As wide as the widest count (a fixed width: ResizeToContents would measure every
        row on each expand), so "12,345 ⏳12" is never cut."""
        metrics = self.tree.fontMetrics()
        title = self.model.headerData(COUNT_COLUMN, Qt.Orientation.Horizontal)
        widest = max(metrics.horizontalAdvance(self.model.widest_count()),
                     self.tree.header().fontMetrics().horizontalAdvance(str(title)))
        self.tree.header().resizeSection(COUNT_COLUMN, widest + 16)

    def retranslate(self) -> None:
        """Texts in the installed language; the expanded rows and the selection stay."""
        self.search.setPlaceholderText(self.tr("Find a tag: 中文, pinyin, gyx, V3"))
        texts = {
            self.new_tag_action: self.tr("New tag…"),
            self.new_group_action: self.tr("New tag group…"),
            self.new_branch_group_action: self.tr("New branch tag group…"),
            self.rename_action: self.tr("Rename…"),
            self.abbreviation_action: self.tr("Abbreviation…"),
            self.pin_action: self.tr("Pin to favourites"),
            self.delete_action: self.tr("Delete…"),
            self.migrate_action: self.tr("Migrate to another tag…"),
            self.adopt_action: self.tr("Adopt under TagDesk's app…"),
        }
        for action, text in texts.items():
            action.setText(text)
        self.model.retranslate()
        self._fit_count_column()        # the header's title may be the widest
        self.show_capacity()
        self._show_no_match()

    def set_rules(self, rules: TeamRules) -> None:
        """The team server's policy and this user's roles: actions it would refuse are
        disabled with its reason as their tooltip."""
        self.rules = rules
        self.model.owner_of = self._owner
        self.tree.viewport().update()
        self._update_actions(self.current_node())
        self._read_ranges()

    def _rules_for(self, rules: TeamRules, group: TagNode) -> TeamRules:
        """The rules as the server applies them to this group (one of a rule group belongs
        to the first department in its range unless the policy places it)."""
        strategy_id = group.group.strategy_id if group.group else None
        if strategy_id is None:
            return rules
        return rules.for_rule_group(group.full_name, self._ranges.get(strategy_id, ()))

    def _owner(self, group: TagNode) -> str:
        return "" if self.rules is None else self._rules_for(self.rules, group).owner(
            group.full_name)

    def _synced(self, changes: ChangeSet) -> None:
        """A sync (F5) read WeCom again: so are the ranges, every one of them."""
        if changes.full_reload:
            self._ranges_stale = True
            self._read_ranges()

    def _read_ranges(self) -> None:
        """Read the ranges of the rule groups in the tree not read yet, or of all of them
        after a sync (a team profile's); the badges keep the ranges read before meanwhile."""
        if self.rules is None or self._reading_ranges:
            return
        groups = {node.group.strategy_id for node in self.model.tree.walk()
                  if node.kind is NodeKind.GROUP and node.group is not None
                  and node.group.strategy_id is not None}
        wanted = sorted(groups if self._ranges_stale else groups - set(self._ranges))
        self._ranges_stale = False
        if not wanted:
            return
        workspace = self.context.workspace

        def read(_progress: Any, _cancel: Any) -> dict[int, tuple[int, ...]]:
            client = workspace.client()
            try:
                return range_departments(client, wanted)
            finally:
                client.close()

        self._reading_ranges = True
        self.context.run_task(read, owner=self, name="rule group ranges",
                              on_result=self._ranges_read, on_error=self._ranges_failed)

    def _ranges_read(self, ranges: dict[int, tuple[int, ...]]) -> None:
        self._reading_ranges = False
        self._ranges.update(ranges)
        self.tree.viewport().update()
        self._update_actions(self.current_node())
        self._read_ranges()     # those a sync or a reload brought while these were read

    def _ranges_failed(self, exc: BaseException) -> None:
        self._reading_ranges = False
        self.context.status_message.emit(message_for(exc))

    def show_capacity(self) -> None:
        """The footer gauge: tags used of the corp cap, and groups near their cap."""
        library = self.model.library
        capacity = library_capacity(library.tags, library.groups)
        text = (self.tr("%1 of %2 tags used", "", capacity.corp_cap)
                .replace("%1", f"{capacity.tags_used:,}")
                .replace("%2", f"{capacity.corp_cap:,}"))
        near = capacity.groups_near_cap
        if near:
            text += " · " + self.tr("%n group(s) near the cap", "", len(near))
        self.capacity.setText(text)
        self.capacity.setToolTip("\n".join(f"{g.name}: {g.tags}/{g.cap}" for g in near))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- public -------------------------------------------------------------------------------

    def current_node(self) -> TagNode | None:
        return self.model.node(self.tree.currentIndex())

    def select_key(self, key: str) -> bool:
        index = self.model.index_for_key(key)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def activate(self, index: QModelIndex, modifiers: Qt.KeyboardModifier) -> None:
        """What a click does: filter by the tag or group, combined as the modifiers say."""
        node = self.model.node(index)
        if node is None or node.section is TagKind.PERSONAL:
            return
        if node.kind is NodeKind.TAG and node.tag is not None:
            self.tagClicked.emit(node.tag.id, modifiers)
        elif node.kind is NodeKind.GROUP and node.group is not None:
            self.groupClicked.emit(node.group.id, modifiers)

    # -- search -------------------------------------------------------------------------------

    def apply_search(self, text: str) -> None:
        """Show only matching tags (and the way to them), best match current."""
        if not text.strip():
            self._end_search()
            return
        if self._expanded_before_search is None:
            self._expanded_before_search = self._expanded_keys()
        hits = self.model.search_index.search(text, SEARCH_LIMIT)
        keys = [f"tag:{hit.tag.id}" for hit in hits]
        visible: set[str] = set()
        for key in keys:
            node = self.model.tree.get(key)
            while node is not None and node.key not in visible:
                visible.add(node.key)
                node = node.parent
        hidden: set[str] = set()
        pending = list(self.model.tree.roots)
        while pending:  # hide the topmost non-matching rows only; their subtrees go with them
            node = pending.pop()
            if node.key in visible:
                pending.extend(node.children)
            else:
                hidden.add(node.key)
        self.tree.setUpdatesEnabled(False)
        self._set_hidden(hidden)
        for key in visible:
            node = self.model.tree.get(key)
            if node is not None and node.children and node.kind is not NodeKind.TAG:
                self.tree.expand(self.model.index_for_key(key))
        self.tree.setUpdatesEnabled(True)
        self.model.set_matches(keys)
        self._no_hits = not keys
        self._show_no_match()
        if keys:
            self.select_key(keys[0])

    def _show_no_match(self) -> None:
        """Say so when the search hides every row, rather than leave an empty pane."""
        self.no_match.setVisible(self._no_hits)
        if self._no_hits:
            self.no_match.setText(self.tr("No tag matches “%1”")
                                  .replace("%1", self.search.text().strip()))

    def _end_search(self) -> None:
        """Show every row again and fold up what the search unfolded."""
        self.model.set_matches(())
        self._no_hits = False
        self._show_no_match()
        self.tree.setUpdatesEnabled(False)
        self._set_hidden(set())
        before = self._expanded_before_search
        if before is not None:
            for key in self._expanded_keys() - before:
                self.tree.collapse(self.model.index_for_key(key))
        self._expanded_before_search = None
        self.tree.setUpdatesEnabled(True)
        current = self.tree.currentIndex()
        if current.isValid():
            self.tree.scrollTo(current)

    def _set_hidden(self, hidden: set[str]) -> None:
        """Change only the rows whose hidden state differs (setRowHidden costs per call)."""
        for key, hide in [*((k, False) for k in self._hidden - hidden),
                          *((k, True) for k in hidden - self._hidden)]:
            index = self.model.index_for_key(key)
            if index.isValid():
                self.tree.setRowHidden(index.row(), index.parent(), hide)
        self._hidden = hidden

    def _expanded_keys(self) -> set[str]:
        return {
            node.key for node in self.model.tree.walk()
            if node.children and self.tree.isExpanded(self.model.index_for_key(node.key))
        }

    # -- editing --------------------------------------------------------------------------------

    def new_tag(self) -> CreateTagDialog:
        node = self.current_node()
        group = _group_of(node)
        library = self.model.library
        under = node.full_name if node is not None and node.kind in (
            NodeKind.TAG, NodeKind.FOLDER) else ""
        dialog = CreateTagDialog(self.context, self.model.service, library.groups,
                                 group.group.id if group and group.group else "", self,
                                 strategy_names=library.strategy_names, under=under)
        dialog.saved.connect(lambda created: self._select_later(f"tag:{created.tag.id}"))
        return self._open(dialog)

    def new_group(self) -> CreateGroupDialog:
        """A new corp group, or one in the current rule group when TagDesk may change it."""
        node = self.current_node()
        strategy = node
        while strategy is not None and strategy.kind is not NodeKind.STRATEGY:
            strategy = strategy.parent
        in_rule_group = strategy is not None and effective_restriction(strategy) is None
        strategy_id = int(strategy.key.removeprefix("strategy:")) if (
            strategy is not None and in_rule_group) else None
        dialog = CreateGroupDialog(self.context, self.model.service, self,
                                   strategy_id=strategy_id,
                                   rule_group=strategy.label if strategy and in_rule_group else "")
        dialog.saved.connect(lambda created: self._select_later(f"tag:{created.tag.id}"))
        return self._open(dialog)

    def new_branch_group(self) -> BranchGroupDialog:
        """A group in a branch department's rule group (made, with its head, when missing)."""
        dialog = BranchGroupDialog(self.context, self.model.service, self, offered=None if (
            self.rules is None) else self.rules.branch_departments())
        dialog.saved.connect(lambda created: self._select_later(f"tag:{created.tag.id}"))
        return self._open(dialog)

    def rename_current(self) -> RenameDialog | None:
        node = self.current_node()
        if not self._editable(node) or node is None:
            return None
        if node.kind is NodeKind.GROUP and node.group is not None:
            group = node.group
            dialog = RenameDialog(self.context, self.model.service, group.id,
                                  group.name, is_group=True, parent=self,
                                  strategy_id=group.strategy_id)
        elif node.tag is not None:
            if self._rename_may_be_request(node):      # count its customers first, as a deletion
                tag_id, service = node.tag.id, self.model.service

                def counted(impact: DeletionImpact) -> None:
                    self._rename_tag(node, self._rename_is_request(node, impact.customers))
                self.context.run_task(
                    lambda _p, _c: service.deletion_impact([tag_id]), owner=self,
                    name="rename impact", on_result=counted, on_error=self._show_error)
                return None
            return self._rename_tag(node, request=False)
        else:
            return None
        return self._open(dialog)

    def _rename_tag(self, node: TagNode, request: bool) -> RenameDialog | None:
        tag = node.tag
        if tag is None:
            return None
        dialog: RenameDialog = self._open(RenameDialog(
            self.context, self.model.service, tag.id, tag.name, is_group=False,
            group_id=tag.group_id, parent=self, request=request))
        return dialog

    def _rename_may_be_request(self, node: TagNode) -> bool:
        """Whether a rename of the tag could need an approval: its relations (at least as
        many as its customers) are over the team's threshold and the user is no admin."""
        return self._rename_is_request(node, node.relation_count)

    def _rename_is_request(self, node: TagNode, customers: int) -> bool:
        group = _group_of(node)
        if self.rules is None or group is None:
            return False
        rename = Change(Operation.RENAME_TAG, group.full_name, node.full_name, node.full_name,
                        customers=customers)
        return self.rules.decide(rename).verdict is Verdict.APPROVAL

    def edit_abbreviation(self) -> AbbreviationDialog | None:
        node = self.current_node()
        if node is None or node.tag is None or node.section is TagKind.PERSONAL:
            return None
        taken = taken_abbreviations(self.model.library.tags, exclude=node.tag.id)
        return self._open(AbbreviationDialog(self.context, self.model.service, node.tag, taken,
                                             self))

    def delete_current(self) -> None:
        """Count who loses the tag (in the background), confirm, then delete in WeCom."""
        node = self.current_node()
        if not self._editable(node) or node is None:
            return
        tag_ids = [node.tag.id] if node.kind is NodeKind.TAG and node.tag else []
        group = node.group if node.kind is NodeKind.GROUP else None
        if not tag_ids and group is None:
            return
        group_ids = [group.id] if group else []
        service, cache = self.model.service, self.context.cache
        request = self._deletion_is_request(node)
        is_team, operator = self.context.workspace.profile.is_team, self.context.operator
        self.context.run_task(
            lambda _p, _c: (service.deletion_impact(tag_ids, group_ids),
                            cache_scope(cache, is_team, operator) == "mine"),
            owner=self, name="deletion impact",
            on_result=lambda found: self._confirm_delete(found[0], found[1], tag_ids, group,
                                                         request),
            on_error=self._show_error,
        )

    def migrate_current(self) -> MigrateDialog | None:
        node = self.current_node()
        if node is None or node.tag is None or node.section is TagKind.PERSONAL:
            return None
        dialog: MigrateDialog = self._open(
            MigrateDialog(self.context, [node.tag.id], "", self, self.rules))
        return dialog

    def adopt_current(self) -> AdoptDialog | None:
        """Re-create a console-made group (WeCom refused TagDesk an edit of it) under
        TagDesk's app and move its customers."""
        node = self.current_node()
        if node is None or not _adoptable(node) or node.group is None:
            return None
        dialog: AdoptDialog = self._open(
            AdoptDialog(self.context, node.group.id, node.group.name, self))
        return dialog

    def toggle_pin(self) -> None:
        node = self.current_node()
        if node is None or node.tag is None or node.section is TagKind.PERSONAL:
            return
        service, userid, tag_id = self.model.service, self.context.operator, node.tag.id
        if tag_id in service.pins(userid):
            self._write(lambda: service.unpin(userid, tag_id), "unpin")
        else:
            self._write(lambda: service.pin(userid, tag_id), "pin")

    def _confirm_delete(self, impact: DeletionImpact, mine: bool, tag_ids: list[str],
                        group: Any, request: bool) -> None:
        title, text = delete_confirmation(impact, group_name=group.name if group else "",
                                          request=request, mine=mine)
        if request:     # the requester says why, for the administrators who decide
            dialog = self._open(DeletionRequestDialog(title, text, self))
            dialog.accepted.connect(lambda: self._delete(tag_ids, group, dialog.reason()))
            return
        answer = QMessageBox.question(self, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._delete(tag_ids, group, "")

    def _delete(self, tag_ids: list[str], group: Any, reason: str) -> None:
        service = self.model.service
        if group is not None:
            self._write(lambda: service.delete_group(group.id, reason=reason), "delete group")
        else:
            self._write(lambda: service.delete_tags(tag_ids, reason=reason), "delete tags")

    def _deletion_is_request(self, node: TagNode) -> bool:
        """Whether the team server makes the node's deletion an approval request."""
        group = _group_of(node)
        if self.rules is None or group is None:
            return False
        operation = Operation.DELETE_TAG if node.kind is NodeKind.TAG else Operation.DELETE_GROUP
        return self.rules.decide(Change(operation, group.full_name)).verdict is Verdict.APPROVAL

    def _write(self, call: Callable[[], ChangeSet], name: str) -> None:
        self.context.run_operation(lambda _p, _c: call(), owner=self, name=name,
                                   on_failure=self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, ReadOnlyTagError):     # now remembered: the tree shows the lock
            self.context.publish(ChangeSet(tags_changed=True))
        sent = request_sent(exc)     # a request, not a fault
        if sent is not None:
            self.context.status_message.emit(sent)
            self.context.approval_requested.emit()
            QMessageBox.information(self, self.tr("Request sent"), sent)
            return
        message = message_for(exc)
        self.context.status_message.emit(message)
        QMessageBox.warning(self, self.tr("Tags"), message)

    def _editable(self, node: TagNode | None) -> bool:
        """Say why not in the status bar when WeCom will not let TagDesk change the node."""
        if node is None or node.kind not in (NodeKind.GROUP, NodeKind.TAG):
            return False
        restriction = effective_restriction(node)
        if restriction is not None:
            self.context.status_message.emit(pick(restriction.zh, restriction.en))
            return False
        return True

    def _open(self, dialog: Any) -> Any:
        self.dialog = dialog
        dialog.open()
        return dialog

    def _select_later(self, key: str) -> None:
        def select() -> None:
            self.model.loaded.disconnect(select)
            self.select_key(key)
        self.model.loaded.connect(select)

    # -- wiring ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(slot: Callable[[], object], keys: QKeySequence | str = "") -> QAction:
            item = QAction(self)
            if keys:
                item.setShortcut(QKeySequence(keys))
                item.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            item.triggered.connect(lambda _checked=False: slot())
            self.addAction(item)
            return item

        self.new_tag_action = action(self.new_tag, "Ctrl+N")
        self.new_group_action = action(self.new_group, "Ctrl+Shift+N")
        self.new_branch_group_action = action(self.new_branch_group)
        self.rename_action = action(self.rename_current, "F2")
        self.abbreviation_action = action(self.edit_abbreviation)
        self.pin_action = action(self.toggle_pin, "Ctrl+P")
        self.delete_action = action(self.delete_current,
                                    QKeySequence(QKeySequence.StandardKey.Delete))
        self.migrate_action = action(self.migrate_current)
        self.adopt_action = action(self.adopt_current)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.apply_search)
        self.search.installEventFilter(self)
        self.tree.viewport().installEventFilter(self)
        self.tree.installEventFilter(self)
        self.tree.clicked.connect(lambda index: self.activate(index, self._click_modifiers))
        self.tree.customContextMenuRequested.connect(self._context_menu)
        # F2, Del and Ctrl+P act on the current node: their state follows it, not the node a
        # context menu or the team's rules last saw
        self.tree.selectionModel().currentChanged.connect(
            lambda *_: self._update_actions(self.current_node()))
        self.model.modelAboutToBeReset.connect(self._remember_view)
        self.model.modelReset.connect(self._restore_view)
        self.model.loaded.connect(self._reapply_search)
        self.model.loaded.connect(self._read_ranges)     # a rule group made since
        self.context.changed.connect(self._synced)
        self.model.loaded.connect(self.show_capacity)
        self.model.moveFailed.connect(self._move_failed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() in (
            QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease
        ):
            self._click_modifiers = event.modifiers()  # type: ignore[attr-defined]
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.search:
                return self._search_key(event)
            refused = self._refused_by_key(event) if watched is self.tree else ""
            if refused:  # F2 or Del on what the team's rules refuse: say why, as the menu does
                self.context.status_message.emit(refused)
                return True
            if watched is self.tree and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activate(self.tree.currentIndex(), event.modifiers())
                return True
            if watched is self.tree and _typed_text(event):
                self.search.setFocus()  # typing in the tree searches it
                self.search.insert(event.text())
                return True
        return super().eventFilter(watched, event)

    def _refused_by_key(self, event: QKeyEvent) -> str:
        """Why a disabled action bound to this key may not run (its tooltip), or ""."""
        pressed = QKeySequence(event.keyCombination())
        for item in (self.rename_action, self.delete_action, self.new_tag_action,
                     self.new_group_action):
            if not item.isEnabled() and item.toolTip() and any(
                    shortcut.matches(pressed) is QKeySequence.SequenceMatch.ExactMatch
                    for shortcut in item.shortcuts()):
                return item.toolTip()
        return ""

    def _search_key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate(self.tree.currentIndex(), event.modifiers())
            return True
        if event.key() == Qt.Key.Key_Down:
            self.tree.setFocus()
            return True
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return False

    def _context_menu(self, position: Any) -> None:
        node = self.model.node(self.tree.indexAt(position))
        if node is not None:
            self.tree.setCurrentIndex(self.model.index_for_key(node.key))
        self._update_actions(node)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # a disabled item's tooltip says why
        for item in (self.new_tag_action, self.new_group_action, self.new_branch_group_action,
                     None, self.rename_action,
                     self.abbreviation_action, self.pin_action, None, self.migrate_action,
                     self.adopt_action, self.delete_action):
            if item is None:
                menu.addSeparator()
            else:
                menu.addAction(item)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    def _update_actions(self, node: TagNode | None) -> None:
        writable = node is not None and effective_restriction(node) is None
        is_tag = node is not None and node.kind is NodeKind.TAG
        editable = writable and node is not None and node.kind in (NodeKind.GROUP, NodeKind.TAG)
        self.rename_action.setEnabled(editable)
        self.delete_action.setEnabled(editable)
        settable = is_tag and node is not None and node.section is not TagKind.PERSONAL
        self.abbreviation_action.setEnabled(settable)
        self.pin_action.setEnabled(settable)
        self.migrate_action.setEnabled(settable)
        self.adopt_action.setVisible(node is not None and _adoptable(node))
        if settable and node is not None and node.tag is not None:
            pinned = node.tag.id in self.model.service.pins(self.context.operator)
            self.pin_action.setText(self.tr("Unpin from favourites") if pinned
                                    else self.tr("Pin to favourites"))
        self.new_tag_action.setEnabled(True)
        self.new_group_action.setEnabled(True)
        for item in (self.new_tag_action, self.new_group_action, self.rename_action,
                     self.delete_action):
            item.setToolTip("")
        if self.rules is not None and not (self.rules.actor.admin or self.rules.actor.managed):
            self.new_group_action.setEnabled(False)
            self.new_group_action.setToolTip(self.tr(
                "Only an administrator or a department head may create tag groups."))
        branches = self.rules.branch_departments() if self.rules is not None else None
        self.new_branch_group_action.setEnabled(branches is None or bool(branches))
        self.new_branch_group_action.setToolTip("" if branches is None or branches else self.tr(
            "Only an administrator or the head of a branch (a department the policy gives a"
            " branch admin) may create branch tag groups."))
        if self.rules is not None and editable and node is not None:
            self._govern(self.rules, node)

    def _govern(self, rules: TeamRules, node: TagNode) -> None:
        """Disable what the team server would refuse, with its sentence as the tooltip; say
        that a deletion becomes an approval request."""
        group = _group_of(node)
        if group is None:
            return
        rules = self._rules_for(rules, group)
        is_tag = node.kind is NodeKind.TAG
        rename = rules.decide(Change(Operation.RENAME_TAG, group.full_name, node.full_name,
                                     node.full_name) if is_tag else
                              Change(Operation.RENAME_GROUP, group.full_name,
                                     new_name=group.full_name))
        if rename.verdict is Verdict.REFUSE:
            self.rename_action.setEnabled(False)
            self.rename_action.setToolTip(pick(rename.zh, rename.en))
        delete = rules.decide(Change(Operation.DELETE_TAG if is_tag else Operation.DELETE_GROUP,
                                     group.full_name))
        if delete.verdict is Verdict.APPROVAL:
            self.delete_action.setToolTip(self.tr(
                "Deleting needs an administrator's approval: TagDesk sends them a request."))
        add = rules.decide(Change(Operation.ADD_TAG, group.full_name, "?"))
        if add.verdict is Verdict.REFUSE:
            subtags = group.full_name in rules.policy.member_subtag_groups
            self.new_tag_action.setEnabled(subtags)
            self.new_tag_action.setToolTip(pick(add.zh, add.en))

    def _remember_view(self) -> None:
        self._expanded = self._expanded_keys()
        current = self.current_node()
        self._current_key = current.key if current else ""

    def _restore_view(self) -> None:
        """After a reset: the rows expanded and current before it, and every row without a
        count (a section, rule group, group or path level) spanning the count column, so
        its name has the pane's whole width (a reset drops the spans too)."""
        self._hidden = set()  # a reset drops the view's hidden rows
        for node in self.model.tree.walk():
            index = self.model.index_for_key(node.key)
            if node.kind is not NodeKind.TAG:
                self.tree.setFirstColumnSpanned(node.row, index.parent(), True)
            if node.key in self._expanded or (
                    not self._shown_once and node.kind is NodeKind.SECTION):
                self.tree.expand(index)
        self._shown_once = True
        if self._current_key:
            self.tree.setCurrentIndex(self.model.index_for_key(self._current_key))

    def _reapply_search(self) -> None:
        if self.search.text().strip():
            self.apply_search(self.search.text())

    def _move_failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Tag order"), message)


class BadgeDelegate(QStyledItemDelegate):
    """Draws a tag's abbreviation, or a group's owning department, as a small badge at the
    right of its name, when the name fits beside it. In a narrow pane the name comes first:
    the badge is left out (the tooltip still names it) and a name still too long loses its
    middle, so 教育/K12 or MKT-…-活动 stay recognisable."""

    def layout(self, option: QStyleOptionViewItem,
               index: QModelIndex | QPersistentModelIndex) -> tuple[QRect, QRect | None]:
        """Where the name's text and the badge go (None: no badge) in a cell `option`
        describes, as `initStyleOption` filled it."""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option,
                                    option.widget)
        code = index.data(Role.ABBREVIATION) or index.data(Role.OWNER)
        if not code:
            return text, None
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(code) + 10
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option,
                                   option.widget) + 1
        name = metrics.horizontalAdvance(option.text) + 2 * margin
        if text.width() - width - 4 < name:
            return text, None
        rect: QRect = option.rect
        badge = QRect(rect.right() - width - 2, rect.top() + 2, width, rect.height() - 4)
        return text.adjusted(0, 0, -(text.right() - badge.left()) - 4, 0), badge

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        _, badge = self.layout(cell, index)
        if badge is None:
            super().paint(painter, option, index)
            return
        text_option = QStyleOptionViewItem(option)
        text_option.rect = option.rect.adjusted(0, 0, -(option.rect.right() - badge.left()) - 2, 0)
        super().paint(painter, text_option, index)
        code = index.data(Role.ABBREVIATION) or index.data(Role.OWNER)
        colour = accent()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 40))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(colour)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, code)
        painter.restore()


def _typed_text(event: QKeyEvent) -> bool:
    command = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    text = event.text()
    return bool(text) and text.isprintable() and not text.isspace() and not (
        event.modifiers() & command)


def _group_of(node: TagNode | None) -> TagNode | None:
    while node is not None and node.kind is not NodeKind.GROUP:
        node = node.parent
    return node


def _adoptable(node: TagNode) -> bool:
    """A corp group WeCom refused TagDesk an edit of (the group or one of its tags)."""
    if node.kind is not NodeKind.GROUP or node.section is not TagKind.CORP:
        return False
    pending, nodes = [node], []
    while pending:
        item = pending.pop()
        nodes.append(item)
        pending.extend(item.children)
    return any(item.restriction is not None for item in nodes)
