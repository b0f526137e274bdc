"""A team profile's saved filters: the user's own (in tagdesk.ini, as on a solo profile) and
the team's (on the team server, cached on this computer), chosen with a "团队 / Team" box
when saving."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.services import team_settings
from desktop.services.changes import ChangeSet
from desktop.ui.context import AppContext
from desktop.ui.errors import readable


class TeamFilters(QObject):
    """Reads the cached copy; saves and removes through the team server (writer thread)."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def saved(self) -> list[tuple[str, str]]:
        return team_settings.saved_filters(self.context.cache)

    def save(self, name: str, text: str) -> None:
        workspace = self.context.workspace
        self._write(lambda: team_settings.save_filter(workspace, name, text),
                    self.tr("Saved filter %1 for the team.").replace("%1", name))

    def remove(self, name: str) -> None:
        workspace = self.context.workspace
        self._write(lambda: team_settings.remove_filter(workspace, name),
                    self.tr("Deleted the team's saved filter %1.").replace("%1", name))

    def _write(self, work: Callable[[], ChangeSet], done: str) -> None:
        self.context.run_operation(
            lambda _progress, _cancel: work(), owner=self, name="team filter",
            on_success=lambda _changes: self.context.status_message.emit(done),
            on_failure=lambda exc: self.context.status_message.emit(readable(exc)))


class SaveFilterDialog(QDialog):
    """Name the filter; tick 团队 / Team to save it for everyone on the team server."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(name)
        self.team = QCheckBox()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        self.name_label = QLabel()
        layout = QFormLayout(self)
        layout.addRow(self.name_label, self.name)
        layout.addRow("", self.team)
        layout.addRow(self.buttons)
        self.retranslate()
        self._update()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Save filter"))
        self.name_label.setText(self.tr("Name:"))
        self.team.setText(self.tr("Team: everyone on the team sees it"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.name.text().strip()))
