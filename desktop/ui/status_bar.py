"""The status bar: profile, last sync, sync progress with a cancel button, a running 45009
pause of the corp, batches waiting for WeCom to come back, a team server that cannot be
reached, a button to enter a new app secret after WeCom refused it, one to try again after it
refused this computer's IP, and the counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from desktop.services.auto_resume import ResumeState
from desktop.services.progress import Progress
from desktop.ui.counts import COUNTS
from desktop.ui.errors import enter_relay, enter_secret, ip_not_trusted, secret_rejected
from desktop.ui.i18n import datetime_text, is_english
from desktop.ui.style import icon
from desktop.wecom.ratelimit import RateLimiter
from desktop.wecom.transport import WaitNotice

MESSAGE_MS = 8000
PAUSE_POLL_MS = 1000
MESSAGE_PADDING = 12     # px between a message and the first permanent widget


class ElidingLabel(QLabel):
    """A one-line label that shrinks with the window and ends in "…" rather than widening
    it (a long wait sentence naming a team server's URL); the tooltip has the whole text."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        area = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             area.width())
        QPainter(self).drawText(area, int(self.alignment()), text)


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None, *, solo: bool = False) -> None:
        """`solo`: a solo profile, whose window takes a relay for an untrusted IP (60020)."""
        super().__init__(parent)
        self.solo = solo
        self.profile = ElidingLabel()
        self.profile.setObjectName("statusProfile")
        self.last_sync = QLabel()
        self.last_sync.setObjectName("statusLastSync")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setFixedWidth(160)
        self.progress.setTextVisible(True)
        self.progress_text = QLabel()
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("cancelSync")
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setAutoRaise(True)
        self.rate_limit = ElidingLabel()
        self.rate_limit.setObjectName("rateLimitPause")
        self.rate_limit.hide()
        self._limiter: RateLimiter | None = None
        self._pause_timer = QTimer(self)
        self._pause_timer.setInterval(PAUSE_POLL_MS)
        self._pause_timer.timeout.connect(self._show_pause)
        self.resume_state = ElidingLabel()
        self.resume_state.setObjectName("autoResume")
        self.resume_state.hide()
        self.secret_button = QToolButton()
        self.secret_button.setObjectName("enterSecret")
        self.secret_button.setIcon(icon("lock"))
        self.secret_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.secret_button.setAutoRaise(True)
        self.secret_button.hide()
        self.retry_button = QToolButton()
        self.retry_button.setObjectName("retryTrustedIp")
        self.retry_button.setIcon(icon("sync"))
        self.retry_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.retry_button.setAutoRaise(True)
        self.retry_button.hide()
        self.team_down = QLabel()
        self.team_down.setObjectName("teamUnavailable")
        self.team_down.hide()
        self.scope = QLabel()
        self.scope.setObjectName("statusScope")
        self.scope.hide()
        self.counts = QLabel()
        self.counts.setObjectName("statusCounts")
        self.addWidget(self.profile)
        self.addWidget(self.last_sync)
        self._permanent: tuple[QWidget, ...] = (
            self.secret_button, self.retry_button, self.team_down, self.rate_limit,
            self.resume_state, self.progress_text, self.progress, self.cancel_button, self.scope,
            self.counts)
        for widget in self._permanent:
            self.addPermanentWidget(widget)
        self._said = self._shown_as = ""
        self.messageChanged.connect(self._message_gone)
        self._shown: dict[str, tuple[Any, ...]] = {}
        self.sync_idle()
        self.retranslate()

    def retranslate(self) -> None:
        """Labels again in the installed language, with the values they show."""
        self.cancel_button.setToolTip(self.tr("Cancel sync"))
        self.secret_button.setText(self.tr("Enter the new secret…"))
        self.secret_button.setToolTip(enter_secret())
        self.retry_button.setText(self.tr("Retry"))
        self.retry_button.setToolTip(self.tr(
            "WeCom refused this computer's IP (errcode 60020). Once an administrator has added"
            " it to the app's trusted IPs, Retry asks WeCom again and sends the tagging waiting;"
            " any call that succeeds does the same."))
        self.team_down.setText(self.tr("Team server unavailable"))
        self.scope.setText(self.tr("My customers"))
        self.scope.setToolTip(self.tr(
            "The team server gives a salesperson only the customers they follow; department"
            " heads, supervisors and administrators see the whole corp."))
        if "profile" in self._shown:
            self.set_profile(*self._shown["profile"])
        if "last_sync" in self._shown:
            self.set_last_sync(*self._shown["last_sync"])
        if "counts" in self._shown:
            self.set_counts(*self._shown["counts"])
        if "resume" in self._shown:
            self.set_resume_state(*self._shown["resume"])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_profile(self, name: str, operator: str, team_url: str = "") -> None:
        """The profile, the user acting, and for a team profile its server ("团队：URL")."""
        self._shown["profile"] = (name, operator, team_url)
        who = f" · {operator}" if operator else ""
        team = " · " + self.tr("Team: %1").replace("%1", team_url) if team_url else ""
        text = self.tr("Profile: %1").replace("%1", name) + who + team
        self.profile.setText(text)
        self.profile.setToolTip(text)

    def set_team_unavailable(self, reason: str) -> None:
        """While the team server cannot be reached, "团队服务器不可用" stays beside the counts
        (the reason is its tooltip) until it answers again (`reason` empty): the sentence
        said once went after eight seconds, and the window then looked connected."""
        self.team_down.setToolTip(reason)
        self.team_down.setVisible(bool(reason))

    def set_secret_refused(self, refused: bool) -> None:
        """While WeCom refuses the app secret (`AppContext.secret_is_refused`, which the
        window shows here), "输入新的 Secret…" stays beside the counts and opens the connection
        settings."""
        self.secret_button.setVisible(refused)

    def set_ip_refused(self, refused: bool) -> None:
        """While WeCom refuses this computer's IP (`AppContext.ip_is_refused`), "重试" stays
        beside the counts."""
        self.retry_button.setVisible(refused)

    def set_own_customers(self, own: bool) -> None:
        """Say "我的客户 / My customers" beside the counts when the cache holds only the
        customers the user follows (a salesperson on a team profile)."""
        self.scope.setVisible(own)

    def set_last_sync(self, timestamp: float | None) -> None:
        self._shown["last_sync"] = (timestamp,)
        if not timestamp:
            self.last_sync.setText(self.tr("Never synced"))
            return
        when = datetime_text(timestamp)
        self.last_sync.setText(self.tr("Last sync: %1").replace("%1", when))

    def set_counts(self, shown: int, customers: int, total: int, total_customers: int) -> None:
        self._shown["counts"] = (shown, customers, total, total_customers)
        text = self.tr("%1 / %2 · %3")
        self.counts.setText(text.replace("%1", f"{shown:,}")
                            .replace("%2", COUNTS.relations(total))
                            .replace("%3", COUNTS.customers(customers)))
        self.counts.setToolTip(
            self.tr("%1 customers in the cache", "", total_customers)
            .replace("%1", f"{total_customers:,}"))

    def sync_started(self) -> None:
        self.progress.setRange(0, 0)
        self.progress_text.setText(self.tr("Syncing…"))
        for widget in (self.progress, self.progress_text, self.cancel_button):
            widget.show()
        self.cancel_button.setEnabled(True)

    def sync_progress(self, event: Progress) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(min(event.done, event.total))
        else:
            self.progress.setRange(0, 0)
        text = _half(event.text)
        if event.waiting:
            text = f"{_half(event.waiting)} · {text}" if text else _half(event.waiting)
        self.progress_text.setText(text)

    def sync_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_text.setText(self.tr("Cancelling…"))

    def sync_idle(self) -> None:
        for widget in (self.progress, self.progress_text, self.cancel_button):
            widget.hide()

    def set_resume_state(self, state: ResumeState) -> None:
        """Batches waiting for WeCom: the count-down to the next try, the check, the resume."""
        self._shown["resume"] = (state,)
        text = state.sentence()
        if state.kind == "attention" and secret_rejected(state.reason):
            text = self.tr("Waiting batches need attention: %1").replace("%1", enter_secret())
        elif state.kind == "attention" and self.solo and ip_not_trusted(state.reason):
            text = self.tr("Waiting batches need attention: %1").replace("%1", enter_relay())
        self.resume_state.setText(_half(text))
        self.resume_state.setToolTip(text)
        self.resume_state.setVisible(bool(text))

    def watch_rate_limit(self, limiter: RateLimiter) -> None:
        """Show the corp's 45009 pause whatever it holds back (a toggle, an undo, a tree
        edit); during a sync its progress line says it already."""
        self._limiter = limiter
        self._pause_timer.start()
        self._show_pause()

    def _show_pause(self) -> None:
        left = self._limiter.pause_remaining() if self._limiter is not None else 0.0
        text = WaitNotice("rate_limit", left, "").sentence() if left > 0 else ""
        self.rate_limit.setText(_half(text))
        self.rate_limit.setVisible(bool(text) and not self.progress_text.isVisible())

    def message(self, text: str) -> None:
        """Say `text` for a while; one too long for the room beside the permanent widgets
        ends in "…" with the whole sentence as the tooltip (Qt cut it off mid-word, the
        errcode or the way out lost at 1,366 px)."""
        self._said = text
        self._show_fitted(MESSAGE_MS)

    def _show_fitted(self, timeout: int) -> None:
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._shown_as = self.fontMetrics().elidedText(
            self._said, Qt.TextElideMode.ElideRight, self._message_room())
        self.showMessage(self._shown_as, timeout)
        self.setToolTip(self._said if self._shown_as != self._said else "")

    def event(self, event: QEvent) -> bool:
        """A permanent widget shown or hidden, or a new width, fits the message again."""
        laid_out = event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize)
        handled = super().event(event)
        if laid_out and self._shown_as and super().currentMessage() == self._shown_as:
            fitted = self.fontMetrics().elidedText(
                self._said, Qt.TextElideMode.ElideRight, self._message_room())
            if fitted != self._shown_as:
                self._show_fitted(MESSAGE_MS)
        return handled

    def currentMessage(self) -> str:
        """The sentence said, whole, though it shows shortened to fit."""
        shown = super().currentMessage()
        return self._said if shown and shown == self._shown_as else shown

    def _message_room(self) -> int:
        margins = self.contentsMargins()
        right = min((widget.geometry().left() for widget in self._permanent
                     if widget.isVisible()), default=self.width() - margins.right())
        return max(0, right - margins.left() - MESSAGE_PADDING)

    def _message_gone(self, text: str) -> None:
        if not text:
            self.setToolTip("")


def _half(text: str) -> str:
    """Service progress lines are "中文 / English"; show the half for the UI language."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if is_english() else zh
