"""The frame of a dialog that previews a tag-library change and then runs it as a batch.

An intro sentence, the dialog's own fields, the preview sentence (redone shortly after a field
changes), the usual batch progress panel (pause, cancel, retry failed) and Run / Close. The
migration wizard and the adoption dialog are this frame with their own fields and service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.services.tag_admin import TagAdminError
from desktop.ui.batch_progress import BatchProgressPanel, message_for
from desktop.ui.context import AppContext
from desktop.ui.i18n import is_english
from desktop.ui.retranslate import Retranslation

PREVIEW_DELAY_MS = 300


def error_text(exc: BaseException) -> str:
    """The sentence of an expected failure in the UI language."""
    if isinstance(exc, UserError):
        return exc.text(is_english())
    if isinstance(exc, TagAdminError):
        return exc.en if is_english() else exc.zh
    return message_for(exc)


class PreviewedBatchDialog(QDialog):
    """Subclasses build their fields, call `lay_out(form)`, set `texts` (their
    `retranslate_in_place`), and implement `preview` (through `plan_in_background`),
    `plan_text` and `run`."""

    previewed = Signal(object)     # the plan, or None when it could not be planned
    plan: object | None
    texts: Retranslation

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.preview_text = QLabel()
        self.preview_text.setWordWrap(True)
        self.run_button = QPushButton()
        self.run_button.setEnabled(False)
        self.close_button = QPushButton()
        self.panel = BatchProgressPanel(context, self)
        self.panel.setVisible(False)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.preview)

    def lay_out(self, form: QFormLayout) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.preview_text)
        layout.addWidget(self.panel)
        layout.addLayout(buttons)
        self.run_button.clicked.connect(self.run)
        self.close_button.clicked.connect(self.close)

    def preview_soon(self) -> None:
        """A field changed: preview again once typing pauses."""
        self._preview_timer.start()

    def preview(self) -> None:
        raise NotImplementedError

    def plan_text(self, plan: Any) -> str:
        raise NotImplementedError

    def plan_in_background(self, name: str, plan: Callable[[], object]) -> None:
        """Plan on a worker, Run off meanwhile; then say the plan (Run on), or why there is
        none."""
        self.run_button.setEnabled(False)
        self.context.run_task(lambda _p, _c: plan(), owner=self, name=name,
                              on_result=self._show_plan, on_error=self._plan_failed)

    def _show_plan(self, plan: object) -> None:
        self.plan = plan
        self.texts.say(self.preview_text, lambda: self.plan_text(plan))
        self.run_button.setEnabled(True)
        self.previewed.emit(plan)

    def _plan_failed(self, exc: BaseException) -> None:
        self.plan = None
        self.texts.say(self.preview_text, lambda: error_text(exc))
        self.previewed.emit(None)

    def run(self) -> None:
        raise NotImplementedError
