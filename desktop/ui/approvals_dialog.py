"""File → Approvals: the team server's approval requests and its governance policy.

Admins see every request, others their own. Approving is a second verification: "Send code"
has the server send the admin a fresh one-time code through WeCom, which they type before
"Approve". Rejecting needs a reason; "Restore" puts back what an approved deletion removed.
A requester withdraws their own pending request ("Withdraw request", after a question).
Enter in the code field approves, in the reason field rejects; it presses no other button.
The policy tab shows the policy as a form (with a JSON tab), checked as it is typed; an admin
may edit and save it, others read it. Every call runs on a pool thread owned by the dialog; a
refusal shows the server's sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import governance
from desktop.services.governance import CodeChallenge
from desktop.services.profiles import Profile
from desktop.ui.counts import COUNTS, grouped
from desktop.ui.errors import readable
from desktop.ui.field_enter import press_field_button
from desktop.ui.i18n import list_text
from desktop.ui.policy_form import PolicyForm
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task

COLUMNS = ("id", "kind", "target", "requester", "customers", "status", "reason", "decision")
DECISION_WIDTH = 320   # who decided shows whole; a long rejection reason is cut and its tooltip has it


class ApprovalsDialog(QDialog):
    decided = Signal()   # a request was approved, rejected or restored; the policy saved
    corpChanged = Signal()   # an approved or restored request changed the corp's tags

    def __init__(self, profile: Profile, parent: QWidget | None = None, *,
                 members: Sequence[tuple[str, str]] = (), groups: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.profile = profile
        self.approvals: list[dict[str, Any]] = []
        self.challenge: tuple[int, CodeChallenge] | None = None
        self.admin = False
        self.me: dict[str, Any] = {}
        self._answered = False      # the server answered, or could not be read
        self._result: Callable[[], str] | None = None
        self._task: Task | None = None
        self._focus_when_done: QWidget | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMNS.index("reason"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_code)
        self.code = QLineEdit()
        self.code.setMaxLength(6)
        self.code.textChanged.connect(self._update_buttons)
        self.approve_button = QPushButton()
        self.approve_button.clicked.connect(self.approve)
        self.reason = QLineEdit()
        self.reason.textChanged.connect(self._update_buttons)
        self.reject_button = QPushButton()
        self.reject_button.clicked.connect(self.reject_request)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore)
        self.withdraw_button = QPushButton()
        self.withdraw_button.clicked.connect(self.withdraw)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._names = dict(members)
        self.policy = PolicyForm(members, groups)
        self.policy.changed.connect(self._update_buttons)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_policy)
        self.roles = QLabel()
        self.roles.setWordWrap(True)

        approve_row = QHBoxLayout()
        approve_row.addWidget(self.send_button)
        approve_row.addWidget(self.code, 1)
        approve_row.addWidget(self.approve_button)
        reject_row = QHBoxLayout()
        reject_row.addWidget(self.reason, 1)
        reject_row.addStretch(0)       # a member's buttons at the right, not across the row
        reject_row.addWidget(self.reject_button)
        reject_row.addWidget(self.restore_button)
        reject_row.addWidget(self.withdraw_button)
        reject_row.addWidget(self.refresh_button)
        requests_page = QWidget()
        requests_layout = QVBoxLayout(requests_page)
        requests_layout.addWidget(self.table, 1)
        requests_layout.addLayout(approve_row)
        requests_layout.addLayout(reject_row)
        policy_page = QWidget()
        policy_layout = QVBoxLayout(policy_page)
        policy_layout.addWidget(self.roles)
        policy_layout.addWidget(self.policy, 1)
        policy_layout.addWidget(self.save_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(requests_page, "")
        self.tabs.addTab(policy_page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.resize(860, 640)
        self.texts = retranslate_in_place(self, self.retranslate)
        self._update_buttons()
        self.refresh()

    def retranslate(self) -> None:
        """Texts in the installed language; the requests shown and what was typed stay."""
        self.setWindowTitle(self.tr("Approvals and team policy"))
        if self.approvals:
            self._fill_table()
        self.refresh_button.setText(self.tr("Refresh"))
        self.send_button.setText(self.tr("Send approval code"))
        self.code.setPlaceholderText(self.tr("Six digits from the WeCom message"))
        self.approve_button.setText(self.tr("Approve"))
        self.reason.setPlaceholderText(self.tr("Why it is rejected"))
        self.reject_button.setText(self.tr("Reject"))
        self.restore_button.setText(self.tr("Restore and re-tag"))
        self.withdraw_button.setText(self.tr("Withdraw request"))
        self.save_button.setText(self.tr("Save policy"))
        self.tabs.setTabText(0, self.tr("Requests"))
        self.tabs.setTabText(1, self.tr("Policy"))
        self.policy.retranslate()
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Kind"), self.tr("Target"), self.tr("Requester"),
            self.tr("Customers"), self.tr("Status"), self.tr("Why requested"), self.tr("Decided by")])
        self._show_roles()

    def _say(self, text: Callable[[], str]) -> None:
        self.texts.say(self.message, text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the code field approves and in the reason field rejects, when they may;
        a focused button presses itself. Enter never falls through to the dialog's default,
        the last button clicked: typing the six digits and Enter sent a new code (spending
        the one typed), and a rejection's reason and Enter asked for an approval code."""
        if not press_field_button(event, self.focusWidget(),
                                  {self.code: self.approve_button, self.reason: self.reject_button}):
            super().keyPressEvent(event)

    # -- actions --------------------------------------------------------------------------

    def refresh(self) -> None:
        profile = self.profile

        def read() -> tuple[list[dict[str, Any]], dict[str, Any]]:
            return governance.list_approvals(profile), governance.show_policy(profile)

        self._say(lambda: self.tr("Reading from the team server…"))
        self._run("approvals", read, self._shown)

    def send_code(self) -> None:
        approval_id = self.selected_id()
        if approval_id is None:
            return
        profile = self.profile
        self._say(lambda: self.tr("Asking the team server to send you an approval code…"))
        self._run("approval code", lambda: (approval_id, governance.request_code(
            profile, approval_id)), self._code_sent)

    def approve(self) -> None:
        approval_id, code = self.selected_id(), self.code.text().strip()
        if self.challenge is None or approval_id != self.challenge[0] or len(code) != 6:
            return
        profile, challenge = self.profile, self.challenge[1]
        self._say(lambda: self.tr("Approving request %1…").replace("%1", str(approval_id)))
        self._run("approve", lambda: governance.approve(profile, approval_id, challenge, code),
                  lambda _a: self._carried_out(lambda: self.tr(
                      "Request %1 was approved and carried out.").replace(
                          "%1", str(approval_id))))

    def reject_request(self) -> None:
        approval_id, reason = self.selected_id(), self.reason.text().strip()
        if approval_id is None or not reason:
            return
        profile = self.profile
        self._run("reject", lambda: governance.reject(profile, approval_id, reason),
                  lambda _a: self._decided(lambda: self.tr(
                      "Request %1 was rejected; the requester is told.").replace(
                          "%1", str(approval_id))))

    def restore(self) -> None:
        approval_id = self.selected_id()
        if approval_id is None:
            return
        profile = self.profile
        self._run("restore", lambda: governance.restore(profile, approval_id),
                  lambda done: self._carried_out(lambda: self.tr(
                      "Restored %1 and re-tagged %2.").replace(
                          "%1", COUNTS.tags(int(done.get("restored_tags", 0)))).replace(
                          "%2", COUNTS.relations(int(done.get("relations", 0))))))

    def withdraw(self) -> None:
        """Withdraw the selected request, one's own and pending, once the user confirms."""
        chosen = self.selected()
        if chosen is None or not self._withdrawable(chosen):
            return
        approval_id = int(chosen["id"])
        answer = QMessageBox.question(
            self, self.tr("Withdraw request"),
            self.tr("Withdraw request %1 (%2)? The administrators will no longer see it;"
                    " to make this change later, send a new request.").replace(
                        "%1", str(approval_id)).replace("%2", str(chosen.get("target", ""))))
        if answer != QMessageBox.StandardButton.Yes:
            return
        profile = self.profile
        self._run("withdraw", lambda: governance.withdraw(profile, approval_id),
                  lambda _a: self._decided(lambda: self.tr(
                      "Request %1 was withdrawn.").replace("%1", str(approval_id))))

    def save_policy(self) -> None:
        if not (self.admin and self.policy.valid):
            return
        policy, profile = self.policy.policy(), self.profile
        self._run("policy", lambda: governance.set_policy(profile, policy),
                  lambda _a: self._decided(lambda: self.tr("The team policy was saved.")))

    # -- state ----------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.approvals[rows[0].row()]["id"])

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.approvals[rows[0].row()] if rows else None

    def _shown(self, result: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
        self.approvals, policy = result
        self.me = policy.get("me") or {}
        self.admin = bool(self.me.get("admin"))
        self._fill_table()
        self.policy.load(policy, self.admin)
        self._show_roles()
        waiting = sum(1 for a in self.approvals if a.get("status") == "pending")
        decided, self._result = self._result, None   # what was just decided stays said

        def said() -> str:
            count = (self.tr("%1 requests waiting for a decision.", "", waiting) if self.admin
                     else self.tr("%1 of your requests waiting for an administrator.", "",
                                  waiting)).replace("%1", grouped(waiting))
            return f"{decided()} {count}" if decided is not None else count

        self._say(said)
        self._update_buttons()

    def _fill_table(self) -> None:
        """The requests, each column as wide as what it shows (the reason takes the rest, a
        decision at most DECISION_WIDTH beyond who decided); the window widens, within its
        screen, to show them whole. Each cell's tooltip has its whole text."""
        self.table.setRowCount(len(self.approvals))
        for row, approval in enumerate(self.approvals):
            for column, key in enumerate(COLUMNS):
                item = QTableWidgetItem(self._cell(approval, key))
                item.setToolTip(item.text())
                self.table.setItem(row, column, item)
        reason, decision = COLUMNS.index("reason"), COLUMNS.index("decision")
        for column in range(len(COLUMNS)):
            if column != reason:
                self.table.resizeColumnToContents(column)
        who = max((self.table.fontMetrics().horizontalAdvance(self._person(str(
            approval.get("decided_by") or ""))) for approval in self.approvals), default=0)
        self.table.setColumnWidth(decision, min(
            self.table.columnWidth(decision), max(DECISION_WIDTH, who + 24)))
        header = self.table.horizontalHeader()
        wanted = sum(header.sectionSize(c) for c in range(len(COLUMNS)) if c != reason) + max(
            self.table.sizeHintForColumn(reason), header.sectionSizeHint(reason))
        missing = wanted - self.table.viewport().width()
        screen = self.screen()
        if missing > 0 and screen is not None:
            self.resize(min(self.width() + missing, screen.availableGeometry().width()),
                        self.height())

    def _cell(self, approval: dict[str, Any], key: str) -> str:
        if key == "target" and "api_calls" in approval:      # an adoption: what it will cost
            return self.tr("%1 (%2, %3)").replace(
                "%1", str(approval["target"])).replace(
                "%2", COUNTS.relations(int(approval.get("relations", 0)))).replace(
                "%3", COUNTS.calls(int(approval["api_calls"])))
        if key == "decision":      # who decided, and why a rejection was given
            who = self._person(str(approval.get("decided_by") or ""))
            why = str(approval.get("decision_reason") or "")
            return self.tr("%1: %2").replace("%1", who).replace("%2", why) if who and why else who
        raw = approval.get(key)
        value = "" if raw is None else str(raw)
        if key == "requester":
            return self._person(value)
        if key == "kind":
            return self._kind_text(value)
        if key == "status":
            return self._status_text(value)
        return value

    def _person(self, userid: str) -> str:
        return f"{self._names[userid]} ({userid})" if userid in self._names else userid

    def _kind_text(self, kind: str) -> str:
        names = {"delete_tag": self.tr("Delete tag"), "delete_group": self.tr("Delete group"),
                 "rename_tag": self.tr("Rename tag"), "adopt_group": self.tr("Adopt group")}
        return names.get(kind, kind)

    def _status_text(self, status: str) -> str:
        names = {"pending": self.tr("Waiting"), "approved": self.tr("Approved"),
                 "rejected": self.tr("Rejected"), "expired": self.tr("Expired"),
                 "gone": self.tr("Closed: the tag is gone"),
                 "failed": self.tr("Failed when carried out"),
                 "withdrawn": self.tr("Withdrawn")}
        return names.get(status, status)

    def _code_sent(self, result: tuple[int, CodeChallenge]) -> None:
        self.challenge = result
        self.code.clear()
        self._focus_when_done = self.code    # enabled once the sending task is over
        minutes = str(max(1, result[1].expires_in // 60))
        self._say(lambda: self.tr(
            "An approval code was sent to you through WeCom; it is valid for %1 minutes.")
            .replace("%1", minutes))

    def _carried_out(self, text: Callable[[], str]) -> None:
        self._decided(text)
        self.corpChanged.emit()

    def _decided(self, text: Callable[[], str]) -> None:
        self.challenge = None
        self.code.clear()
        self.reason.clear()
        self.decided.emit()
        self.refresh()
        self._result = text
        self._say(text)

    def _show_roles(self) -> None:
        """Who the server takes you for, by name, and your roles in the interface language."""
        if self.me:
            userid = str(self.me.get("userid", ""))
            who = f"{self._names[userid]} ({userid})" if self._names.get(userid) else userid
            roles = [self._role_text(str(role)) for role in self.me.get("roles") or []]
            managed = [str(name) for name in self.me.get("managed") or []]   # whose groups
            text = (self.tr("You are %1 (%2), managing %3.").replace("%3", list_text(managed))
                    if managed else self.tr("You are %1 (%2)."))
            self.roles.setText(text.replace("%1", who).replace("%2", list_text(roles)))

    def _role_text(self, role: str) -> str:
        names = {"admin": self.tr("administrator"), "head": self.tr("department head"),
                 "branch_admin": self.tr("branch administrator"), "member": self.tr("member")}
        return names.get(role, role)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        idle = self._task is None
        pending = idle and self.admin and chosen is not None and chosen.get("status") == "pending"
        self.send_button.setEnabled(pending)
        self.code.setEnabled(pending and self.challenge is not None)
        self.approve_button.setEnabled(
            pending and self.challenge is not None and chosen is not None
            and self.challenge[0] == chosen.get("id") and len(self.code.text().strip()) == 6)
        self.reject_button.setEnabled(pending and bool(self.reason.text().strip()))
        self.restore_button.setEnabled(
            idle and self.admin and chosen is not None and chosen.get("status") == "approved"
            and str(chosen.get("kind", "")).startswith("delete") and not chosen.get(
                "restored_by"))
        self.withdraw_button.setEnabled(idle and chosen is not None
                                        and self._withdrawable(chosen))
        self.withdraw_button.setVisible(any(self._mine(a) for a in self.approvals))
        self.save_button.setEnabled(idle and self.admin and self.policy.valid
                                    and self.policy.edited)
        self.save_button.setVisible(self.admin)
        # a member sees their own requests, no controls; so does anyone whose window could
        # not read the server (a salesperson saw an administrator's controls, disabled)
        deciding = self.admin or not (self.me or self._answered)
        for widget in (self.send_button, self.code, self.approve_button, self.reason,
                       self.reject_button, self.restore_button):
            widget.setVisible(deciding)
        self.refresh_button.setEnabled(idle)

    def _mine(self, approval: dict[str, Any]) -> bool:
        return bool(self.me) and approval.get("requester") == self.me.get("userid")

    def _withdrawable(self, approval: dict[str, Any]) -> bool:
        return self._mine(approval) and approval.get("status") == "pending"

    # -- tasks ----------------------------------------------------------------------------

    def _run(self, name: str, call: Callable[[], Any],
             on_result: Callable[[Any], None]) -> None:
        task = Task(lambda _progress, _cancel: call(), owner=self, name=name)
        task.on_result(on_result).on_error(self._failed).on_finished(self._done)
        self._task = task.start()
        self._update_buttons()

    def _done(self) -> None:
        self._task = None
        self._update_buttons()
        if self._focus_when_done is not None:
            self._focus_when_done.setFocus()
            self._focus_when_done = None

    def _failed(self, exc: BaseException) -> None:
        self._answered = True
        self._say(lambda: readable(exc))
