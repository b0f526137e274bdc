"""A toggle on many customers asks first.

T / the tag picker's Enter, a favourite's Alt+digit or click add a tag to (or remove it from)
every selected customer at once. Past `BIG_TOGGLE_CUSTOMERS` customers changed, one small
question says how many customers and WeCom calls it is, with 确定 / 取消 and a button that
hands the selection and the tag to 批量重标 (preview and pilot) instead. Focus starts on 取消,
so Enter writes only once 确定 has focus; Esc writes nothing. Below the threshold the toggle
is written at once, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.store.in_chunks import rows_in
from desktop.ui.context import AppContext
from desktop.ui.retranslate import retranslate_in_place

BIG_TOGGLE_CUSTOMERS = 200     # a toggle changing more customers than this asks first


def count_having(context: AppContext, ids: list[int], tag_id: str) -> int:
    """How many of these relations carry the tag (indexed lookups, 500 ids at a time; on a
    worker: 100,000 selected relations take about 0.2 s)."""
    return sum(int(count) for (count,) in rows_in(
        context.cache.connection().execute,
        "SELECT count(*) FROM relation_tag rt JOIN tag t ON t.pk = rt.tag_pk"
        " WHERE t.id = ? AND rt.relation_id IN ({marks})", ids, before=[tag_id]))


@dataclass(frozen=True)
class Toggle:
    """Tag `tag_id` (called `name`) added to `count` of the relations, or taken off them."""

    relation_ids: list[int]
    tag_id: str
    name: str
    count: int
    removing: bool

    @classmethod
    def of(cls, relation_ids: list[int], tag_id: str, name: str, having: int) -> Toggle:
        """The toggle of a tag `having` of the relations carry: taken off them all when all
        carry it, else added to those without it."""
        removing = having >= len(relation_ids)
        count = len(relation_ids) if removing else len(relation_ids) - having
        return cls(relation_ids, tag_id, name, count, removing)


class BigToggleDialog(QDialog):
    """How many customers and WeCom calls a toggle changes; 确定, 取消 or 批量重标."""

    retagRequested = Signal()

    def __init__(self, toggle: Toggle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = toggle
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.retag_button = QPushButton()
        self.ok_button = QPushButton()
        self.cancel_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.retag_button)
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.retag_button.clicked.connect(self._retag)
        retranslate_in_place(self, self.retranslate)
        self.cancel_button.setFocus()       # Enter at once (a second Enter) writes nothing

    def retranslate(self) -> None:
        toggle = self.toggle
        count = f"{toggle.count:,}"
        self.setWindowTitle(self.tr("Tag many customers"))
        text = (self.tr("Remove %1 from %2 customer(s)? That is %2 WeCom call(s), one per"
                        " customer.", "", toggle.count) if toggle.removing else
                self.tr("Add %1 to %2 customer(s)? That is %2 WeCom call(s), one per"
                        " customer.", "", toggle.count))
        self.question.setText(text.replace("%2", count).replace("%1", toggle.name))
        self.retag_button.setText(self.tr("Preview in Retag…"))
        self.ok_button.setText(self.tr("OK"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _retag(self) -> None:
        self.retagRequested.emit()
        self.reject()


def toggle_asking_first(context: AppContext, toggle: Toggle, parent: QWidget,
                        retag: Callable[[Toggle], object],
                        written: Callable[[], None] | None = None) -> BigToggleDialog | None:
    """Write `toggle` (the status bar says so, then `written` runs), at once below the
    threshold; above it, after 确定 in the question returned (`retag` on its 批量重标)."""

    def write() -> None:
        context.status_message.emit(context.toggle_counted(
            toggle.relation_ids, toggle.tag_id, toggle.name, toggle.count,
            removing=toggle.removing))
        if written is not None:
            written()

    if toggle.count <= BIG_TOGGLE_CUSTOMERS:
        write()
        return None
    dialog = BigToggleDialog(toggle, parent)
    dialog.accepted.connect(write)
    dialog.retagRequested.connect(lambda: retag(toggle))
    dialog.open()
    dialog.cancel_button.setFocus()
    return dialog
