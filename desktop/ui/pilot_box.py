"""How many relations a batch writes first before it waits for a person (the pilot).

One spin box for every window that runs a batch: it starts at the profile's pilot size, says
"no pilot" at 0, and carries its own label; both follow the UI language.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QSpinBox, QWidget


class PilotBox(QSpinBox):
    def __init__(self, pilot_size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 1_000_000)
        self.setValue(pilot_size)
        self.label = QLabel(parent)
        self.label.setBuddy(self)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setSpecialValueText(self.tr("no pilot"))
        self.setSuffix(self.tr(" relations first"))
        self.label.setText(self.tr("Pilot:"))
