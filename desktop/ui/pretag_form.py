"""Queue pre-tags in the app: one person (external_userid, phone or unionid) with tags and the
days to wait, or a whole file (xlsx or csv).

A file is read in the background first; when some rows cannot be read, every bad row is
listed with its line and nothing is queued unless the user chooses to skip them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.arrivals import BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID
from desktop.services.changes import ChangeSet
from desktop.services.pretags import (
    DEFAULT_EXPIRES_DAYS,
    MAX_EXPIRES_DAYS,
    PretagFile,
    PretagService,
)
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.errors import readable
from desktop.ui.file_dialogs import ask_path
from desktop.ui.i18n import is_english
from desktop.ui.livecode_edit_dialog import split_names
from desktop.ui.retranslate import retranslate_in_place

KINDS = (BY_EXTERNAL_USERID, BY_PHONE, BY_UNIONID)


class PretagForm(QWidget):
    """The row under the pre-tag list: who, tags, days, Queue; and Import…."""

    def __init__(self, context: AppContext, say: Callable[[Callable[[], str]], None],
                 queued: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.say = say
        self.queued = queued
        self.read: PretagFile | None = None
        self.bad_rows: BadRowsDialog | None = None
        self.kind = QComboBox()
        self.value_edit = QLineEdit()
        self.tags_edit = QLineEdit()
        self.days = QSpinBox()
        self.days.setRange(1, MAX_EXPIRES_DAYS)
        self.days.setValue(DEFAULT_EXPIRES_DAYS)
        self.queue_button = QPushButton()
        self.import_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.value_edit, 1)
        layout.addWidget(self.tags_edit, 1)
        layout.addWidget(self.days)
        layout.addWidget(self.queue_button)
        layout.addWidget(self.import_button)
        self.queue_button.clicked.connect(self.queue_one)
        self.import_button.clicked.connect(self._ask_import)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        current = self.kind.currentIndex()
        self.kind.clear()
        for kind, text in zip(KINDS, (self.tr("external_userid"), self.tr("Phone"),
                                      self.tr("unionid")), strict=True):
            self.kind.addItem(text, kind)
        self.kind.setCurrentIndex(max(current, 0))
        self.value_edit.setPlaceholderText(self.tr("Who: the id or phone number"))
        self.tags_edit.setPlaceholderText(self.tr("Tags (group:name), separated by ,"))
        self.days.setSuffix(self.tr(" days"))
        self.days.setToolTip(self.tr("Dropped as expired when the person is not a customer"
                                     " after this many days"))
        self.queue_button.setText(self.tr("Queue pre-tag"))
        self.import_button.setText(self.tr("Import file…"))

    def queue_one(self) -> None:
        kind, value = str(self.kind.currentData()), self.value_edit.text()
        tags, days = split_names(self.tags_edit.text()), self.days.value()
        workspace = self.context.workspace
        self.queue_button.setEnabled(False)

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            PretagService(workspace).add(kind, value, tags, days)
            return None

        def done(_changes: ChangeSet | None) -> None:
            self.queue_button.setEnabled(True)
            self.value_edit.clear()
            self.say(lambda: self.tr("Pre-tag queued for %1.").replace("%1", value.strip()))
            self.queued()

        def failed(exc: BaseException) -> None:
            self.queue_button.setEnabled(True)
            self.say(lambda: readable(exc))

        self.context.run_operation(work, owner=self, name="queue pre-tag", on_success=done,
                                   on_failure=failed)

    def import_file(self, path: Path) -> None:
        """Read the file in the background; queue it whole, or show its bad rows first."""
        workspace, days = self.context.workspace, self.days.value()
        self.import_button.setEnabled(False)
        self.say(lambda: self.tr("Reading %1…").replace("%1", path.name))

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            self.say(lambda: readable(exc))

        self.context.run_task(lambda _p, _c: PretagService(workspace).read_file(path, days),
                              owner=self, name="read pre-tag file", on_result=self._read,
                              on_error=failed)

    def _read(self, read: PretagFile) -> None:
        self.read = read
        if not read.bad:
            self.queue_rows()
            return
        self.import_button.setEnabled(True)
        count = len(read.bad)
        self.say(lambda: self.tr("%1 rows cannot be read; nothing was queued.", "", count)
                 .replace("%1", f"{count:,}"))
        self.bad_rows = BadRowsDialog(read, self)
        self.bad_rows.accepted.connect(self.queue_rows)
        self.bad_rows.open()

    def queue_rows(self) -> None:
        """Queue the file's good rows (all of them, or those left once the bad were skipped)."""
        read, workspace = self.read, self.context.workspace
        if read is None:
            return
        self.read = None
        self.import_button.setEnabled(False)

        def work(_progress: Any, _cancel: Any) -> ChangeSet | None:
            PretagService(workspace).queue(read.rows)
            return None

        def done(_changes: ChangeSet | None) -> None:
            self.import_button.setEnabled(True)
            count = len(read.rows)
            self.say(lambda: self.tr("Queued %1 pre-tags from the file.", "", count)
                     .replace("%1", f"{count:,}"))
            self.queued()

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            self.say(lambda: readable(exc))

        self.context.run_operation(work, owner=self, name="import pre-tags", on_success=done,
                                   on_failure=failed)

    def _ask_import(self) -> None:
        path = ask_path(self, self.tr("Import pre-tags"),
                        self.tr("Spreadsheets (*.xlsx *.csv)"), save=False)
        if path is not None:
            self.import_file(path)


class BadRowsDialog(QDialog):
    """The rows a pre-tag file got wrong, by line; skip them (queue the rest) or cancel."""

    def __init__(self, read: PretagFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pretagBadRowsDialog")
        self.read = read
        self.resize(620, 360)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.rows = QTreeWidget()
        self.rows.setRootIsDecorated(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.skip_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button.setEnabled(bool(read.rows))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.buttons)
        self.texts = retranslate_in_place(self, self.retranslate)

    def retranslate(self) -> None:
        bad, good = len(self.read.bad), len(self.read.rows)
        self.setWindowTitle(self.tr("Rows that cannot be read"))
        self.intro.setText(self.tr(
            "%1 of the file cannot be read and nothing was queued. Fix them and import"
            " again, or skip them and queue the good ones (%2).")
            .replace("%1", COUNTS.rows(bad)).replace("%2", COUNTS.rows(good)))
        self.skip_button.setText(self.tr("Skip them, queue %1 rows", "", good)
                                 .replace("%1", f"{good:,}"))
        self.rows.setHeaderLabels([self.tr("Line"), self.tr("Problem")])
        english = is_english()
        self.rows.clear()
        for row in self.read.bad:
            self.rows.addTopLevelItem(QTreeWidgetItem(
                [str(row.line), row.problem_en if english else row.problem_zh]))
        self.rows.resizeColumnToContents(0)
