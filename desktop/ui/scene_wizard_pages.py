"""The scene wizard's middle pages: which tag each template tag uses, and the members the
template's live codes are made for.

Mapping: each template tag shows "create new" (or, when the group of the same name already
has it, that tag) and can use any existing tag instead: typing searches the tags as the tag
picker does (中文, pinyin, initials such as `gyx`, abbreviations such as `V3`). On a team
profile it can also be created in one of the user's own groups (a department head's MKT-
groups), where the template's group is one the team server would refuse them. A tag
whose name is already used in another group is highlighted: left as "create new" it is a
name collision, refused unless allowed on the last page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.scenes import Scene, ScenePlan
from desktop.domain.tag_search import TagSearchIndex
from desktop.ui.i18n import list_text
from desktop.ui.livecode_edit_dialog import split_names
from desktop.ui.retranslate import retranslate_in_place

CREATE = ""                                       # the combo's data for "create new"
COLLISION = QBrush(QColor(255, 224, 178))
USERID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class CreateIn:
    """The combo's data for "create new in my group X"."""

    group: str


class TagMappingPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(3)
        self.combos: dict[tuple[str, str], QComboBox] = {}
        self.labels: dict[str, str] = {}
        self.index = TagSearchIndex([])
        self.reused: dict[tuple[str, str], str] = {}
        self.collisions: dict[tuple[str, str], tuple[str, ...]] = {}
        self.own_groups: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Each tag of the template is created, in its group or in one of your own, or uses"
            " a tag you already have: choose one (type to search). Highlighted: the name is"
            " already used in another group.") if self.own_groups else self.tr(
            "Each tag of the template is created, or uses a tag you already have: choose one"
            " (type to search). Highlighted: the name is already used in another group."))
        self.table.setHeaderLabels([self.tr("Template tag"), self.tr("Use"), self.tr("Note")])
        for key, combo in self.combos.items():
            combo.setItemText(0, self._first_text(key))
            for n in range(combo.count()):
                home = combo.itemData(n)
                if isinstance(home, CreateIn):
                    combo.setItemText(n, self._home_text(home))
        for n in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(n)
            found = None if item is None else self.collisions.get(_key(item.text(0)))
            if item is not None and found:
                item.setText(2, self.tr("Already in %1").replace("%1", list_text(found)))

    def fill(self, scene: Scene, plan: ScenePlan, labels: dict[str, str],
             index: TagSearchIndex, own_groups: Sequence[str] = ()) -> None:
        """One row per template tag; the default is same-name reuse, else create new.
        `own_groups`: the existing groups the user may create tags in, offered as homes."""
        self.labels, self.index = labels, index
        self.own_groups = tuple(own_groups)
        self.table.clear()
        self.combos.clear()
        self.reused = {(g, t): tag_id for g, t, tag_id in plan.reuse}
        self.collisions = {(c.group, c.tag): c.found_in for c in plan.collisions}
        by_label = sorted(labels.items(), key=lambda kv: kv[1])
        for group, tags in scene.tag_groups:
            for tag in tags:
                key = (group, tag)
                item = QTreeWidgetItem([f"{group}:{tag}", "", ""])
                self.table.addTopLevelItem(item)
                combo = self._combo(key, by_label)
                self.combos[key] = combo
                self.table.setItemWidget(item, 1, combo)
                if key in self.collisions:
                    for column in range(3):
                        item.setBackground(column, COLLISION)
        self.retranslate()
        for column in (0, 2):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(1, 280)

    def choose(self, template_tag: str, label: str) -> None:
        """Make `template_tag` ("组:名") use the existing tag shown as `label`."""
        combo = self.combos[_key(template_tag)]
        combo.setCurrentIndex(combo.findText(label))

    def create_in(self, template_tag: str, group: str) -> None:
        """Make `template_tag` ("组:名") be created in the user's own `group`."""
        combo = self.combos[_key(template_tag)]
        combo.setCurrentIndex(next(n for n in range(combo.count())
                                   if combo.itemData(n) == CreateIn(group)))

    def mapping(self) -> dict[str, str]:
        """Template tag → the existing tag's id, for every row not left at its default."""
        chosen: dict[str, str] = {}
        for (group, tag), data in self._chosen().items():
            if isinstance(data, str) and data != self.reused.get((group, tag), CREATE):
                chosen[f"{group}:{tag}"] = data
        return {source: target for source, target in chosen.items() if target != CREATE}

    def homes(self) -> dict[str, str]:
        """Template tag → the user's own group it is created in, for the rows set so."""
        return {f"{group}:{tag}": data.group for (group, tag), data in self._chosen().items()
                if isinstance(data, CreateIn)}

    def _chosen(self) -> dict[tuple[str, str], object]:
        """Each row's choice: an existing tag's id, CREATE, or a CreateIn (what was typed
        picks the item of that text)."""
        chosen: dict[tuple[str, str], object] = {}
        for key, combo in self.combos.items():
            typed = combo.findText(combo.currentText())
            if typed >= 0:
                combo.setCurrentIndex(typed)
            data = combo.currentData()
            chosen[key] = data if isinstance(data, CreateIn) else str(data or CREATE)
        return chosen

    def _combo(self, key: tuple[str, str], by_label: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        reused = self.reused.get(key)
        combo.addItem(self._first_text(key), reused or CREATE)
        for group in self.own_groups:
            if group != key[0]:
                combo.addItem(self._home_text(CreateIn(group)), CreateIn(group))
        for tag_id, label in by_label:
            if tag_id != reused:
                combo.addItem(label, tag_id)
        found = QStringListModel(combo)
        completer = QCompleter(found, combo)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        combo.setCompleter(completer)
        line = combo.lineEdit()
        if line is not None:
            line.setClearButtonEnabled(True)
            line.textEdited.connect(lambda text: self._search(completer, found, text))
        return combo

    def _search(self, completer: QCompleter, found: QStringListModel, text: str) -> None:
        """The existing tags the typed text finds, best first."""
        hits = self.index.search(text, SEARCH_LIMIT) if text.strip() else []
        found.setStringList([self.labels[h.tag.id] for h in hits if h.tag.id in self.labels])
        if found.rowCount():
            completer.complete()

    def _home_text(self, home: CreateIn) -> str:
        return self.tr("Create new in my group %1").replace("%1", home.group)

    def _first_text(self, key: tuple[str, str]) -> str:
        if key in self.reused:
            return self.tr("Reuse %1 (same name)").replace("%1", f"{key[0]}:{key[1]}")
        return self.tr("Create new in %1").replace("%1", key[0])


class MembersPage(QWidget):
    """The members the live codes are made for: tick them, or type userids."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.filter = QLineEdit()
        self.list = QListWidget()
        self.others = QLineEdit()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.intro, self.filter, self.list, self.others):
            layout.addWidget(widget)
        self.filter.textChanged.connect(self._filter)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "The template's live codes are made in WeCom for the members ticked here, with the"
            " tags chosen on the previous page. With no member, they are kept as data only."))
        self.filter.setPlaceholderText(self.tr("Search members"))
        self.others.setPlaceholderText(self.tr("Other userids, separated by ,"))

    def fill(self, members: list[tuple[str, str]], live_codes: int) -> None:
        chosen = set(self.chosen())
        self.list.clear()
        for userid, name in members:
            item = QListWidgetItem(f"{name} ({userid})" if name and name != userid else userid)
            item.setData(USERID_ROLE, userid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if userid in chosen
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.setEnabled(live_codes > 0)

    def tick(self, userid: str) -> None:
        for n in range(self.list.count()):
            item = self.list.item(n)
            if item.data(USERID_ROLE) == userid:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        ticked = [str(self.list.item(n).data(USERID_ROLE)) for n in range(self.list.count())
                  if self.list.item(n).checkState() == Qt.CheckState.Checked]
        return list(dict.fromkeys([*ticked, *split_names(self.others.text())]))

    def unknown(self) -> list[str]:
        """Typed userids that are none of the listed members (a phone number, a typo)."""
        listed = {self.list.item(n).data(USERID_ROLE) for n in range(self.list.count())}
        return [userid for userid in split_names(self.others.text()) if userid not in listed]

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        for n in range(self.list.count()):
            item = self.list.item(n)
            item.setHidden(bool(wanted) and wanted not in item.text().casefold())


def _key(label: str) -> tuple[str, str]:
    group, _, tag = label.partition(":")
    return group, tag
