"""Order reconciliation in the app: 标签 → 订单对账….

Pick an orders file (CSV / JSON) or type an http(s) URL, name the "paid" tag, compare: the
comparison runs on a worker and lists both kinds of mismatch with their evidence, the customers
the orders name but TagDesk does not know, and the rows it could not read (by line). "Fix" sends
the changes as one batch (source `reconcile`) in the usual progress panel; it can be undone like
any batch. Rows that cannot be read must be fixed first, or skipped on purpose. On a team
profile the dialog also shows the team server's scheduled reconciliation: its last run (result,
counts, errors, the paying customers the server does not know) and the next; a team
administrator runs it now with 立即运行 (Run now), enabled only for administrators when the
server reconciles orders at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.reconcile import Mismatch, Reconciliation
from desktop.domain.retag_plan import RetagPlan
from desktop.services.orders import OrderFeed, read_orders
from desktop.services.progress import CancelToken
from desktop.services.reconcile import ReconcileService
from desktop.services.reconcile_status import (
    ServerStatus,
    caller_is_admin,
    run_now,
    server_status,
)
from desktop.ui.batch_progress import BatchProgressPanel
from desktop.ui.context import AppContext
from desktop.ui.errors import readable
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import is_english, list_text
from desktop.ui.pilot_box import PilotBox
from desktop.ui.retranslate import retranslate_in_place
from desktop.ui.tasks import Task

SHOWN_ROWS = 2000


@dataclass(frozen=True)
class Compared:
    feed: OrderFeed
    tag_id: str
    result: Reconciliation
    plan: RetagPlan


class ReconcileDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reconcileDialog")
        self.context = context
        self.service = ReconcileService(context.workspace)
        self.compared: Compared | None = None
        self.resize(900, 620)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.server_run = QLabel()
        self.server_run.setObjectName("reconcileServerRun")
        self.server_run.setWordWrap(True)
        self.server_run.setVisible(context.workspace.profile.is_team)
        self.server_status: ServerStatus | None = None
        self.run_now_button = QPushButton()
        self.run_now_button.setObjectName("reconcileRunNow")
        self.run_now_button.setVisible(context.workspace.profile.is_team)
        self.run_now_button.setEnabled(False)
        self.is_admin = False
        server_row = QHBoxLayout()
        server_row.addWidget(self.server_run, 1)
        server_row.addWidget(self.run_now_button)
        self.source = QLineEdit()
        self.browse = QPushButton()
        self.tag = QLineEdit()
        self.skip_bad = QCheckBox()
        self.compare_button = QPushButton()
        self.compare_button.setDefault(True)   # Enter compares; it opened the file chooser
        self.source_label, self.tag_label = QLabel(), QLabel()
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.source_label, source_row)
        form.addRow(self.tag_label, self.tag)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.fix_button = QPushButton()
        self.fix_button.setEnabled(False)
        actions = QHBoxLayout()
        actions.addWidget(self.compare_button)
        actions.addWidget(self.skip_bad)
        actions.addStretch(1)
        self.pilot = PilotBox(context.workspace.profile.pilot_size, self)
        for widget in (self.pilot.label, self.pilot, self.fix_button):
            actions.addWidget(widget)
        self.panel = BatchProgressPanel(context, self)
        self.panel.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(server_row)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.panel)
        self.browse.clicked.connect(self._browse)
        self.compare_button.clicked.connect(self.compare)
        self.fix_button.clicked.connect(self.fix)
        self.run_now_button.clicked.connect(lambda: self.run_now())
        self.skip_bad.toggled.connect(lambda _on: self._update_fix())
        self.panel.batchFinished.connect(lambda _result: self.compare())
        self.texts = retranslate_in_place(self, self.retranslate)
        if context.workspace.profile.is_team:
            self.read_server_status()
            self._read_admin()
        self.source.setFocus()  # the orders file first; no key lands in the pilot's size

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Order reconciliation"))
        self.intro.setText(self.tr(
            "Compare who has a paid order with who carries the paid tag. A paying customer"
            " should carry it on every relation, a customer without a paid order on none;"
            " fixing sends one batch that can be undone."))
        self.source_label.setText(self.tr("Orders"))
        self.source.setPlaceholderText(self.tr("a CSV or JSON file, or an http(s) URL"))
        self.browse.setText(self.tr("Choose…"))
        self.tag_label.setText(self.tr("Paid tag"))
        self.tag.setPlaceholderText(self.tr("e.g. 已成交 or 客户阶段:已成交"))
        self.skip_bad.setText(self.tr("Go on without unreadable rows"))
        self.compare_button.setText(self.tr("Compare"))
        self.run_now_button.setText(self.tr("Run now"))
        self.run_now_button.setToolTip(self.tr(
            "The team server reconciles the orders now (team administrators only)"))
        self.list.setHeaderLabels([self.tr("Mismatch"), self.tr("Customer"),
                                   self.tr("Relations"), self.tr("Evidence")])
        if self.compared is not None:
            self._fill_list(self.compared)
        self._update_fix()

    # -- the team server's schedule --------------------------------------------------------

    def read_server_status(self) -> None:
        profile = self.context.workspace.profile

        def work(_progress: Any, _cancel: Any) -> ServerStatus:
            return server_status(profile)

        self.context.run_task(work, owner=self, name="reconcile server status",
                              on_result=self._server_status, on_error=self._server_failed)

    def _server_status(self, found: ServerStatus) -> None:
        self.server_status = found
        self._enable_run_now()
        self.texts.say(self.server_run, lambda: "\n".join(found.lines(is_english())))

    def _server_failed(self, exc: BaseException) -> None:
        self._enable_run_now()
        self.texts.say(self.server_run, lambda: readable(exc))

    def _read_admin(self) -> None:
        profile = self.context.workspace.profile

        def work(_progress: Any, _cancel: Any) -> bool:
            return caller_is_admin(profile)

        self.context.run_task(work, owner=self, name="reconcile admin",
                              on_result=self._admin, on_error=lambda _exc: None)

    def _admin(self, admin: bool) -> None:
        self.is_admin = admin
        self._enable_run_now()

    def _enable_run_now(self) -> None:
        """For administrators, unless the server said it reconciles no orders (it would
        only refuse the run)."""
        status = self.server_status
        self.run_now_button.setEnabled(self.is_admin and (status is None or status.configured))

    def run_now(self) -> Task:
        """The team server reconciles now; the status shows the run once it is over."""
        profile = self.context.workspace.profile

        def work(_progress: Any, cancel: CancelToken) -> ServerStatus:
            def wait(seconds: float) -> None:
                cancel.event.wait(seconds)
                cancel.raise_if_cancelled()

            return run_now(profile, wait)

        self.run_now_button.setEnabled(False)
        self.texts.say(self.server_run, lambda: self.tr(
            "The team server is reconciling the orders now…"))
        return self.context.run_task(work, owner=self, name="reconcile now",
                                     on_result=self._server_status,
                                     on_error=self._server_failed)

    # -- comparing ---------------------------------------------------------------------------

    def _browse(self) -> None:
        path = ask_path(self, self.tr("Orders"),
                        self.tr("Orders (*.csv *.json *.jsonl);;All files (*)"), save=False)
        if path is not None:
            self.source.setText(str(path))

    def compare(self) -> None:
        source, tag = self.source.text().strip(), self.tag.text().strip()
        if not source or not tag:
            self.texts.say(self.summary, lambda: self.tr("Name the orders and the paid tag."))
            return
        self.compare_button.setEnabled(False)
        self.fix_button.setEnabled(False)
        self.texts.say(self.summary, lambda: self.tr("Comparing…"))
        service = self.service

        def work(_progress: Any, _cancel: Any) -> Compared:
            feed = read_orders(source)
            tag_id = service.tag_id(tag)
            result = service.compare(feed, tag_id)
            return Compared(feed, tag_id, result, service.plan(result, tag_id))

        self.context.run_task(work, owner=self, name="reconcile orders",
                              on_result=self._compared, on_error=self._failed)

    def _compared(self, compared: Compared) -> None:
        self.compared = compared
        self.compare_button.setEnabled(True)
        self._fill_list(compared)
        result, feed = compared.result, compared.feed
        counts = (len(result.missing), len(result.extra), len(result.unknown), len(feed.bad),
                  compared.plan.api_calls)
        self.texts.say(self.summary, lambda: self.tr(
            "Paying customers: %1 · carrying the tag: %2 · missing: %3 · extra: %4 · unknown"
            " customers: %5 · unreadable rows: %6 · relations to change: %7.")
            .replace("%1", f"{result.paid_customers:,}")
            .replace("%2", f"{result.tagged_customers:,}")
            .replace("%3", f"{counts[0]:,}").replace("%4", f"{counts[1]:,}")
            .replace("%5", f"{counts[2]:,}").replace("%6", f"{counts[3]:,}")
            .replace("%7", f"{counts[4]:,}"))
        self._update_fix()

    def _fill_list(self, compared: Compared) -> None:
        """The mismatches and unreadable rows, in the UI language of the moment."""
        result, feed = compared.result, compared.feed
        self.list.clear()
        rows = [(self.tr("missing"), m) for m in result.missing] + [
            (self.tr("extra"), m) for m in result.extra] + [
            (self.tr("unknown customer"), m) for m in result.unknown]
        for kind, mismatch in rows[:SHOWN_ROWS]:
            self.list.addTopLevelItem(QTreeWidgetItem([
                kind, mismatch.external_userid, str(len(mismatch.relation_ids)),
                self._evidence(mismatch)]))
        for bad in feed.bad[:SHOWN_ROWS]:
            item = QTreeWidgetItem([self.tr("unreadable row"), self.tr("line %1").replace(
                "%1", str(bad.line)), "", bad.problem_en if is_english() else bad.problem_zh])
            item.setForeground(3, self.palette().placeholderText())
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)

    def _evidence(self, mismatch: Mismatch) -> str:
        if not mismatch.orders:
            return self.tr("no order")
        paid, (left, right) = self.tr("paid"), (" (", ")") if is_english() else ("（", "）")
        return list_text(f"{o.order_id or o.line}{left}{o.status or paid}{right}"
                         for o in mismatch.orders[:5])

    def _update_fix(self) -> None:
        compared = self.compared
        calls = compared.plan.api_calls if compared is not None else 0
        blocked = compared is not None and bool(compared.feed.bad) and not self.skip_bad.isChecked()
        self.fix_button.setText(self.tr("Fix %1 relations", "", calls).replace(
            "%1", f"{calls:,}"))
        self.fix_button.setEnabled(calls > 0 and not blocked)
        self.fix_button.setToolTip(self.tr("Some order rows cannot be read: fix them, or tick"
                                           " the box to go on without them.") if blocked else "")

    def _failed(self, exc: BaseException) -> None:
        self.compare_button.setEnabled(True)
        self.texts.say(self.summary, lambda: readable(exc))

    # -- fixing --------------------------------------------------------------------------------

    def fix(self) -> None:
        compared = self.compared
        if compared is None or not compared.plan.api_calls:
            return
        self.fix_button.setEnabled(False)
        self.compare_button.setEnabled(False)
        service, tag, pilot = self.service, self.tag.text().strip(), self.pilot.value()

        def work(_progress: Any, _cancel: Any) -> str:
            return service.submit(compared.plan, tag, compared.feed, pilot_size=pilot)

        self.context.run_task(work, owner=self, name="reconcile batch", writer=True,
                              on_result=self._submitted, on_error=self._failed)

    def _submitted(self, batch_id: str) -> None:
        compared = self.compared
        if compared is None:
            return
        self.panel.setVisible(True)
        self.panel.start(batch_id, frozenset(c.relation_id for c in compared.plan.changes))

