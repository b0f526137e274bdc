"""A team profile's saved filters: the user's own (in tagdesk.ini, as on a solo profile) and
the team's (on the team server, cached on this computer), chosen with a "团队 / Team" box
when saving. A team filter this user may not delete (not its author or an administrator) is
greyed out in the delete menu, its tooltip saying who may."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

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

from desktop.domain.governance import Verdict
from desktop.services import team_settings
from desktop.services.changes import ChangeSet
from desktop.services.governance import TeamRules
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.tag_dialogs import pick


def shared_item_refusal(rules: TeamRules | None, kind: str, key: str, author: str,
                        groups: Iterable[str]) -> str:
    """Why this user may not delete or overwrite the team's shared item `key` (an exclusive
    set or a saved filter), in the UI language; "" when they may, or before their roles are
    known (`rules` None: the server decides)."""
    if rules is None:
        return ""
    decision = rules.decide_shared_item(kind, key, author, groups)
    return pick(decision.zh, decision.en) if decision.verdict is not Verdict.ALLOW else ""

class TeamFilters(QObject):
    """Reads the cached copy; saves and removes through the team server (writer thread)."""

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rules: TeamRules | None = None    # the user's roles, once read

    def set_rules(self, rules: TeamRules) -> None:
        self.rules = rules

    def saved(self) -> list[tuple[str, str]]:
        return team_settings.saved_filters(self.context.cache)

    def refusal(self, name: str) -> str:
        """Why this user may not delete the team filter `name` ("" when they may, or before
        their roles are known: the server decides)."""
        return shared_item_refusal(
            self.rules, team_settings.SAVED_FILTER, name,
            team_settings.author(self.context.cache, team_settings.SAVED_FILTER, name), ())

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
    """Name the filter. A blank name cannot be saved, and says so; a name already saved
    says which filter it is and turns Save into Replace. On a team profile, tick 团队 / Team
    to save it for everyone on the team server (names are then the team's); a team filter this
    user may not overwrite cannot be replaced, and the message says who may."""

    def __init__(self, name: str, own: Mapping[str, str], team: Mapping[str, str] | None,
                 parent: QWidget | None = None,
                 refusal: Callable[[str], str] = lambda _name: "") -> None:
        """`own` and `team`: the saved filters by name (`team` None: a solo profile);
        `refusal`: why this user may not overwrite the team filter of a name ("" may)."""
        super().__init__(parent)
        self._own, self._team = dict(own), dict(team or {})
        self._refusal = refusal
        self.name = QLineEdit(name)
        self.name.selectAll()           # the filter's text as a default: typing a name replaces it
        self.team = QCheckBox()
        self.team.setVisible(team is not None)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        self.team.toggled.connect(self._update)
        self.name_label = QLabel()
        layout = QFormLayout(self)
        layout.addRow(self.name_label, self.name)
        layout.addRow("", self.team)
        layout.addRow(self.message)
        layout.addRow(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)  # the message on a line
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Save filter"))
        self.name_label.setText(self.tr("Name:"))
        self.team.setText(self.tr("Team: everyone on the team sees it"))
        self._update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def replaces(self) -> str | None:
        """The expression saving would replace (None: the name is new)."""
        saved = self._team if self.team.isChecked() else self._own
        return saved.get(self.name.text().strip())

    def _update(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        name, replaced = self.name.text().strip(), self.replaces()
        refused = (self._refusal(name) if replaced is not None and self.team.isChecked()
                   else "")
        save.setEnabled(bool(name) and not refused)
        save.setText(self.tr("Replace") if replaced is not None else self.tr("Save"))
        if not name:
            self.message.setText(self.tr("Give the filter a name."))
        elif refused:
            self.message.setText(refused)
        elif replaced is not None:
            self.message.setText(self.tr("A saved filter is already called 「%1」 (%2): saving"
                                         " replaces it.").replace("%1", name)
                                 .replace("%2", replaced))
        else:
            self.message.setText("")
