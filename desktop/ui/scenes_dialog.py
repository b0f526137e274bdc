"""The scene lab: 标签 → 场景模板…. The bundled templates; selecting one shows everything
applying it would create, reuse and keep (and any tag-name collision); Apply creates the
missing tags and keeps the rules, which are then simulated and run in the rules window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.scenes import Scene
from desktop.services.changes import ChangeSet
from desktop.services.scenes import SceneApply, SceneService, scenes
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.i18n import in_ui_language, is_english
from desktop.ui.retranslate import retranslate_in_place

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class ScenesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenesDialog")
        self.context = context
        self.service = SceneService(context.workspace)
        self.preview: SceneApply | None = None
        self.templates: list[Scene] = scenes()
        self.resize(860, 600)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.allow_collisions = QCheckBox()
        self.apply_button = QPushButton()
        self.apply_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.allow_collisions)
        row.addWidget(self.apply_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(lambda _item, _old: self._selected())
        self.apply_button.clicked.connect(self.apply)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Scene templates"))
        self.list.setHeaderLabels([self.tr("Template"), self.tr("Industry"), self.tr("Tags"),
                                   self.tr("Rules"), self.tr("Live codes")])
        self.allow_collisions.setText(self.tr("Create same-named tags in the template's groups"))
        self.apply_button.setText(self.tr("Apply"))
        current = self.selected_name()
        self.list.clear()
        for scene in self.templates:
            item = QTreeWidgetItem([scene.title_en if is_english() else scene.title,
                                    in_ui_language(scene.industry), str(scene.tag_count),
                                    str(len(scene.rules)), str(len(scene.live_codes))])
            item.setData(0, NAME_ROLE, scene.name)
            self.list.addTopLevelItem(item)
            if scene.name == current:
                self.list.setCurrentItem(item)
        self.list.resizeColumnToContents(0)
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

    def _selected(self) -> None:
        self.preview = None
        self.apply_button.setEnabled(False)
        name = self.selected_name()
        if name is None:
            return
        service = self.service
        self.context.run_task(lambda _p, _c: service.preview(name), owner=self,
                              name="scene preview", on_result=self._previewed,
                              on_error=self._failed)

    def _previewed(self, preview: SceneApply) -> None:
        if preview.scene.name != self.selected_name():
            return
        self.preview = preview
        self.details.setPlainText(self._details(preview))
        self.texts.say(self.summary, lambda: preview.scene.description)
        self.apply_button.setEnabled(not preview.applied)

    def _details(self, preview: SceneApply) -> str:
        plan = preview.plan
        lines = [self.tr("New group: %1").replace("%1", g) for g in plan.new_groups]
        lines += [self.tr("Create: %1").replace("%1", f"{g}:{t}") for g, t in plan.create]
        lines += [self.tr("Reuse: %1").replace("%1", f"{g}:{t}") for g, t, _ in plan.reuse]
        lines += [self.tr("Name collision: %1 already exists in %2")
                  .replace("%1", f"{c.group}:{c.tag}").replace("%2", "、".join(c.found_in))
                  for c in plan.collisions]
        lines += [self.tr("Add rule: %1").replace("%1", n) for n in preview.new_rules]
        lines += [self.tr("Replace rule: %1").replace("%1", n) for n in preview.replaced_rules]
        lines += [self.tr("Live code (data only, not made in WeCom): state=%1 → %2")
                  .replace("%1", c.state).replace("%2", "、".join(c.tags))
                  for c in preview.scene.live_codes]
        return "\n".join(lines)

    def apply(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.apply_button.setEnabled(False)
        service, allow = self.service, self.allow_collisions.isChecked()

        def work(_progress: Any, _cancel: Any) -> ChangeSet:
            service.apply(preview, allow_collisions=allow)
            return ChangeSet(tags_changed=True, journal_appended=True)

        self.context.run_operation(work, owner=self, name="apply scene",
                                   on_success=lambda _changes: self._applied(preview),
                                   on_failure=self._failed)

    def _applied(self, preview: SceneApply) -> None:
        created, rules = len(preview.created), len(preview.scene.rules)
        self.texts.say(self.summary, lambda: self.tr(
            "Applied: %1 tags created, %2 rules kept. Simulate them in Tags → Rules….")
            .replace("%1", str(created)).replace("%2", str(rules)))

    def _failed(self, exc: BaseException) -> None:
        self.texts.say(self.summary, lambda: readable(exc))
        self.apply_button.setEnabled(self.preview is not None and not self.preview.applied)
