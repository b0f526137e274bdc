"""The value editors of a rule's condition rows, one per `ValueKind` of the condition table
(`domain/rule_draft.py`): words, tags (with the pinyin type-ahead of the tag search),
comparisons with numbers or dates, a choice, and JSON text for anything else.

Each editor says its value as the rule format writes it (`value()`), takes one
(`set_value`), offers the row's operator widget, emits `changed` on every edit, and sets
its texts again in `retranslate` (the condition tree calls it when the language changes).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QDate, QStringListModel, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.domain.rule_draft import (
    DEFAULT_EVENT_COUNT,
    MAX_COMPARISONS,
    ConditionKind,
    JsonText,
    ValueKind,
    join_words,
    split_words,
    words_of,
    words_value,
)
from desktop.domain.rules import COMPARE_OPS
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.ui.tag_dialogs import pick

COMPLETIONS = 10
MAX_NUMBER = 1_000_000
TYPES_WIDTH = 120


class TagLookup:
    """The tags to complete from, shared by every tag field of one editor (filled once the
    catalogue has been read in the background)."""

    def __init__(self) -> None:
        self.index = TagSearchIndex([])

    def set_tags(self, tags: list[TagInfo]) -> None:
        self.index = TagSearchIndex(tags)

    def search(self, text: str) -> list[str]:
        """"组:名" of the best tags for what is typed (Chinese, pinyin, initials, codes)."""
        hits = self.index.search(text, COMPLETIONS) if text.strip() else []
        return [f"{hit.tag.group_name}:{hit.tag.name}" for hit in hits]


class TagListEdit(QLineEdit):
    """Tags as "组:名、名": type a name, pinyin or initials and pick from the list; a name
    the catalogue does not know is kept as typed (saving says if it does not exist)."""

    def __init__(self, lookup: TagLookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup
        self.completions = QStringListModel(self)
        self.suggest = QCompleter(self.completions, self)
        self.suggest.setWidget(self)
        self.suggest.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.suggest.activated[str].connect(self.take)  # type: ignore[index]
        self.textEdited.connect(self._complete)

    def tags(self) -> list[str]:
        return split_words(self.text())

    def set_tags(self, tags: list[str]) -> None:
        self.setText(join_words(tags))

    def take(self, label: str) -> None:
        """Replace the tag being typed by `label` (a completion)."""
        head, _sep, _typed = self._split()
        self.setText(head + label + "、")
        self.textEdited.emit(self.text())

    def _split(self) -> tuple[str, str, str]:
        text = self.text()
        cut = max(text.rfind(sep) for sep in "、,，|")
        return text[:cut + 1], text[cut:cut + 1], text[cut + 1:]

    def _complete(self) -> None:
        found = self.lookup.search(self._split()[2])
        self.completions.setStringList(found)
        popup = self.suggest.popup()
        if not found:
            if popup is not None:
                popup.hide()
            return
        self.suggest.setCompletionPrefix("")
        self.suggest.complete()
        if popup is not None:
            popup.setCurrentIndex(self.completions.index(0, 0))


class ValueEditor(QWidget):
    """One condition row's value (and operator)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.operator: QWidget = QLabel()

    def value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Its texts in the current language (none by default)."""


class WordsEditor(ValueEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operator = QLabel()
        self.edit = QLineEdit()
        self.row.addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        assert isinstance(self.operator, QLabel)
        self.operator.setText(self.tr("any of"))
        self.edit.setPlaceholderText(self.tr("words, separated by 、 or ,"))

    def value(self) -> object:
        return words_value(split_words(self.edit.text()))

    def set_value(self, value: object) -> None:
        self.edit.setText(join_words(words_of(value)))


class TagsEditor(ValueEditor):
    def __init__(self, lookup: TagLookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = TagListEdit(lookup)
        self.row.addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("tags: name, pinyin or initials"))

    def value(self) -> object:
        return words_value(self.edit.tags())

    def set_value(self, value: object) -> None:
        self.edit.set_tags(words_of(value))


class ChoiceEditor(ValueEditor):
    def __init__(self, kind: ConditionKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operator = QLabel()
        self.combo = QComboBox()
        for choice in kind.choices:
            self.combo.addItem("", choice.value)
        self.kind = kind
        self.row.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        assert isinstance(self.operator, QLabel)
        self.operator.setText(self.tr("is"))
        for index, choice in enumerate(self.kind.choices):
            self.combo.setItemText(index, pick(choice.zh, choice.en))

    def value(self) -> object:
        return self.combo.currentData()

    def set_value(self, value: object) -> None:
        choice = self.kind.choice(value)
        self.combo.setCurrentIndex(max(0, self.combo.findData(choice.value if choice else "")))


class CompareEditor(ValueEditor):
    """Up to two comparisons (`>= 3` and `< 10`): the row's operator, its operand, then an
    optional second operator and operand."""

    def __init__(self, dates: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QComboBox()
        self.first.addItems(list(COMPARE_OPS))
        self.first.setCurrentText(">=")
        self.operator = self.first
        self.second = _op_combo(blank=True)
        self.operands = [self._operand(dates) for _ in range(MAX_COMPARISONS)]
        self.row.addWidget(self.operands[0])
        self.row.addWidget(self.second)
        self.row.addWidget(self.operands[1])
        self.row.addStretch(1)
        self.first.currentIndexChanged.connect(self.changed)
        self.second.currentIndexChanged.connect(self._second_changed)
        self._second_changed()
        CompareEditor.retranslate(self)      # a subclass sets its own texts in its __init__

    def retranslate(self) -> None:
        self.second.setItemText(0, self.tr("(and …)"))

    def _operand(self, dates: bool) -> QSpinBox | QDateEdit:
        if dates:
            day = QDateEdit(QDate.currentDate())
            day.setDisplayFormat("yyyy-MM-dd")
            day.setCalendarPopup(True)
            day.dateChanged.connect(self.changed)
            return day
        number = QSpinBox()
        number.setRange(0, MAX_NUMBER)
        number.valueChanged.connect(self.changed)
        return number

    def _second_changed(self) -> None:
        self.operands[1].setVisible(bool(self.second.currentData()))
        self.changed.emit()

    def value(self) -> object:
        ops = [self.first.currentText(), str(self.second.currentData())]
        return {op: _read(operand) for op, operand in zip(ops, self.operands, strict=True)
                if op}

    def set_value(self, value: object) -> None:
        pairs = list(value.items()) if isinstance(value, dict) else []
        if pairs:
            self.first.setCurrentText(pairs[0][0])
            _write(self.operands[0], pairs[0][1])
        second = pairs[1] if len(pairs) > 1 else ("", None)
        self.second.setCurrentIndex(max(0, self.second.findData(second[0])))
        if second[0]:
            _write(self.operands[1], second[1])


class EventEditor(ValueEditor):
    """An event happened: its types (none: any), within the last N days (0: any time), how
    many times (at least once unless said) and, optionally, its value compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operator = QLabel()
        self.types = QLineEdit()
        self.types.setMinimumWidth(TYPES_WIDTH)
        self.within = QSpinBox()
        self.within.setRange(0, MAX_NUMBER)
        self.count_op, self.count = _op_combo(), QSpinBox()
        self.count.setRange(0, MAX_NUMBER)
        self.value_op, self.amount = _op_combo(blank=True), QSpinBox()
        self.amount.setRange(-MAX_NUMBER, MAX_NUMBER)
        for widget in (self.types, self.within, self.count_op, self.count, self.value_op,
                       self.amount):
            self.row.addWidget(widget)
        self.set_value({})
        self.types.textChanged.connect(self.changed)
        for spin in (self.within, self.count, self.amount):
            spin.valueChanged.connect(self.changed)
        for combo in (self.count_op, self.value_op):
            combo.currentIndexChanged.connect(self._ops_changed)
        self.retranslate()

    def retranslate(self) -> None:
        assert isinstance(self.operator, QLabel)
        self.operator.setText(self.tr("happened"))
        self.types.setPlaceholderText(self.tr("event types (empty: any)"))
        self.within.setSpecialValueText(self.tr("any time"))
        self.within.setPrefix(self.tr("within "))
        self.within.setSuffix(self.tr(" days"))
        self.count.setPrefix(self.tr("times "))
        self.value_op.setItemText(0, self.tr("(any value)"))

    def _ops_changed(self) -> None:
        self.amount.setVisible(bool(self.value_op.currentData()))
        self.changed.emit()

    def value(self) -> object:
        found: dict[str, object] = {}
        types = split_words(self.types.text())
        if types:
            found["type"] = words_value(types)
        if self.within.value():
            found["within_days"] = self.within.value()
        count = {str(self.count_op.currentData()): self.count.value()}
        if count != DEFAULT_EVENT_COUNT:
            found["count"] = count
        if self.value_op.currentData():
            found["value"] = {str(self.value_op.currentData()): self.amount.value()}
        return found

    def set_value(self, value: object) -> None:
        given = value if isinstance(value, dict) else {}
        self.types.setText(join_words(words_of(given.get("type", []))))
        within = given.get("within_days")
        self.within.setValue(within if isinstance(within, int) else 0)
        (op, times), = dict(given.get("count", DEFAULT_EVENT_COUNT)).items()
        self.count_op.setCurrentIndex(max(0, self.count_op.findData(op)))
        self.count.setValue(times if isinstance(times, int) else 1)
        amount = dict(given.get("value", {"": 0}))
        (op, number), = amount.items()
        self.value_op.setCurrentIndex(max(0, self.value_op.findData(op)))
        self.amount.setValue(number if isinstance(number, int) else 0)
        self._ops_changed()


class EventDaysEditor(CompareEditor):
    """Days since the last event of these types (none: any), compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(dates=False, parent=parent)
        self.first.setCurrentText("<=")
        self.types = QLineEdit()
        self.types.setMinimumWidth(TYPES_WIDTH)
        self.row.insertWidget(0, self.types)
        self.types.textChanged.connect(self.changed)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.types.setPlaceholderText(self.tr("event types (empty: any)"))

    def value(self) -> object:
        types = split_words(self.types.text())
        compared = super().value()
        assert isinstance(compared, dict)
        return {"type": words_value(types), **compared} if types else compared

    def set_value(self, value: object) -> None:
        given = dict(value) if isinstance(value, dict) else {}
        self.types.setText(join_words(words_of(given.pop("type", []))))
        super().set_value(given)


class JsonEditor(ValueEditor):
    """A value the form has no editor for, as JSON text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operator = QLabel("JSON")
        self.edit = QLineEdit()
        self.row.addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> object:
        try:
            return json.loads(self.edit.text())
        except json.JSONDecodeError:
            return JsonText(self.edit.text())

    def set_value(self, value: object) -> None:
        self.edit.setText(json.dumps(value, ensure_ascii=False))


def value_editor(kind: ConditionKind, lookup: TagLookup) -> ValueEditor:
    """The editor for a kind of condition (the table's value kind)."""
    if kind.value is ValueKind.WORDS:
        return WordsEditor()
    if kind.value is ValueKind.TAGS:
        return TagsEditor(lookup)
    if kind.value is ValueKind.CHOICE:
        return ChoiceEditor(kind)
    if kind.value in (ValueKind.NUMBER, ValueKind.DATE):
        return CompareEditor(dates=kind.value is ValueKind.DATE)
    if kind.value is ValueKind.EVENT:
        return EventEditor()
    if kind.value is ValueKind.EVENT_DAYS:
        return EventDaysEditor()
    return JsonEditor()


def _op_combo(*, blank: bool = False) -> QComboBox:
    """The comparison operators; `blank`: first an entry for none (its text set later)."""
    combo = QComboBox()
    if blank:
        combo.addItem("", "")
    for op in COMPARE_OPS:
        combo.addItem(op, op)
    if not blank:
        combo.setCurrentIndex(combo.findData(">="))
    return combo


def _read(operand: QSpinBox | QDateEdit) -> object:
    if isinstance(operand, QDateEdit):
        return operand.date().toString("yyyy-MM-dd")
    return operand.value()


def _write(operand: QSpinBox | QDateEdit, value: object) -> None:
    if isinstance(operand, QDateEdit) and isinstance(value, str):
        operand.setDate(QDate.fromString(value, "yyyy-MM-dd"))
    elif isinstance(operand, QSpinBox) and isinstance(value, int):
        operand.setValue(value)

