"""The audience strip: pick tags the way WeCom's mass messaging (群发) does.

While the strip is open, a click on a tag in the tree picks it (or drops it again) instead of
editing the filter text. The strip shows the picked tags by group — "或 / or" between the tags
of one group, "且 / and" between groups, WeCom's own rule — and writes the equivalent filter
into the filter bar, which applies it; so the table shows the console's audience and the
expression shows how to write it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QWidget,
)

from desktop.domain.audience import Audience, AudienceTag
from desktop.ui.style import icon


class AudienceBar(QFrame):
    """Picked tags as removable chips, grouped as WeCom groups them."""

    expressionChanged = Signal(str)     # the filter equivalent to the picked audience

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audienceBar")
        self.audience = Audience()
        self.title = QLabel()
        self.title.setObjectName("audienceTitle")
        self.hint = QLabel()
        self.hint.setObjectName("audienceHint")
        self.chips = QWidget()
        self.chip_layout = QHBoxLayout(self.chips)
        self.chip_layout.setContentsMargins(0, 0, 0, 0)
        self.chip_layout.setSpacing(4)
        scroll = QScrollArea()
        scroll.setWidget(self.chips)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedHeight(self.fontMetrics().height() * 2 + 6)
        self.clear_button = QToolButton()
        self.clear_button.setIcon(icon("clear"))
        self.clear_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.clear_button)
        self.retranslate()
        self._render()

    # -- picking ---------------------------------------------------------------------

    def toggle(self, tag: AudienceTag) -> None:
        self._set(self.audience.toggled(tag))

    def remove(self, tag_id: str) -> None:
        self._set(self.audience.without(tag_id))

    def clear(self) -> None:
        self._set(Audience())

    def forget(self) -> None:
        """Drop the picked tags and keep the filter they made."""
        self.audience = Audience()
        self._render()

    def _set(self, audience: Audience) -> None:
        self.audience = audience
        self._render()
        self.expressionChanged.emit(audience.expression())

    # -- rendering -------------------------------------------------------------------

    def _render(self) -> None:
        while (item := self.chip_layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None and widget is not self.hint:
                widget.deleteLater()
        groups = self.audience.groups()
        self.hint.setVisible(not groups)
        self.clear_button.setEnabled(bool(groups))
        if not groups:
            self.chip_layout.addWidget(self.hint)
        for number, group in enumerate(groups):
            if number:
                self.chip_layout.addWidget(self._joiner(self.tr("and")))
            name = QLabel(self.tr("%1:").replace("%1", group.group_name))
            name.setObjectName("audienceGroup")
            self.chip_layout.addWidget(name)
            for position, tag in enumerate(group.tags):
                if position:
                    self.chip_layout.addWidget(self._joiner(self.tr("or")))
                self.chip_layout.addWidget(self._chip(tag))
        self.chip_layout.addStretch(1)

    def _joiner(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("audienceJoiner")
        return label

    def _chip(self, tag: AudienceTag) -> QToolButton:
        chip = QToolButton()
        chip.setObjectName("audienceChip")
        chip.setText(tag.name)
        chip.setIcon(icon("clear"))
        chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        chip.setToolTip(self.tr("Remove %1 from the audience").replace("%1", tag.name))
        chip.setProperty("tagId", tag.tag_id)
        chip.clicked.connect(lambda _checked=False, t=tag.tag_id: self.remove(t))
        return chip

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audience:"))
        self.title.setToolTip(self.tr("Tags of one group are joined with OR, groups with AND,"
                                      " as in WeCom's mass messaging."))
        self.hint.setText(self.tr("Click tags in the tree: OR within a group, AND across"
                                  " groups, as WeCom's mass messaging picks customers."))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Clear the audience"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
