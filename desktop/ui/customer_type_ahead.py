"""Type-ahead in the customer table: letters typed while the table has focus jump to the next
customer whose name or remark starts with them, as text, full pinyin or initials (`zs` → 张三).

The spellings of every relation are indexed once on a worker (`domain/type_ahead.py`), when
the table first takes the focus, and again after a sync; a keystroke is then a binary search
and a look-up over the ids the table shows, in the table's order. Keys typed within the
platform's keyboard-input interval extend the search; a pause starts a new one after the
current row. Letters typed before the index is ready are searched when it is.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop.domain.type_ahead import TypeAheadIndex
from desktop.services.changes import ChangeSet
from desktop.store.relations import relation_names
from desktop.ui.context import AppContext
from desktop.ui.customer_table_model import CustomerTableModel


class CustomerTypeAhead(QObject):
    found = Signal(int)     # the row to go to
    searched = Signal(str, bool)   # the letters typed so far, whether a customer matched

    def __init__(self, context: AppContext, model: CustomerTableModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._model = model
        self._index: TypeAheadIndex | None = None
        self._building = False
        self._stale = True
        self._typed = ""
        self._start = 0
        self._waiting = False           # a search waits for the index
        self._since_key = QElapsedTimer()
        context.changed.connect(self._on_changed)

    @property
    def context(self) -> AppContext:
        return self._context

    @property
    def model(self) -> CustomerTableModel:
        return self._model

    @property
    def typing(self) -> bool:
        """Keys typed now continue a search (so a letter that is also a shortcut, T, is
        taken as part of the name)."""
        return bool(self._typed) and self._since_key.isValid() \
            and self._since_key.elapsed() < QApplication.keyboardInputInterval()

    @property
    def ready(self) -> bool:
        return self._index is not None and not self._stale

    def warm(self) -> None:
        """Index the names now (on a worker) unless done or under way."""
        if self._building or (self._index is not None and not self._stale):
            return
        self._building, self._stale = True, False
        cache = self._context.cache
        self._context.run_task(lambda _p, _c: TypeAheadIndex(relation_names(cache)),
                               owner=self, name="customer type-ahead",
                               on_result=self._built, on_error=self._failed)

    def type(self, text: str, current_row: int) -> None:
        """Add `text` to the search (or start a new one after `current_row`); emits `found`
        with the row of the next customer it names."""
        if self.typing:
            self._typed += text
            self._start = max(current_row, 0)
        else:
            self._typed = text
            self._start = current_row + 1
        self._since_key.start()
        if self._index is None:
            self._waiting = True
            self.warm()
            return
        self._search()

    def _search(self) -> None:
        if self._index is None:
            return
        row = self._index.next_row(self._typed, self._model.shown_ids, self._start)
        if row is not None:
            self.found.emit(row)
        self.searched.emit(self._typed, row is not None)

    def _built(self, index: TypeAheadIndex) -> None:
        self._building = False
        self._index = index
        if self._stale:             # a sync landed while it was built
            self.warm()
        if self._waiting:
            self._waiting = False
            self._search()

    def _failed(self, _exc: BaseException) -> None:
        self._building, self._waiting = False, False
        self._stale = True

    def _on_changed(self, changes: ChangeSet) -> None:
        if not changes.full_reload:
            return
        self._stale = True
        if self._index is not None:
            self.warm()
