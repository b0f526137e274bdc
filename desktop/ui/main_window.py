"""The main window: tag tree left, customers centre, detail right, filter on top, status below.

The window only composes: the table model evaluates filters, the sync controller
syncs, the tag widgets edit tags, and everything that changes data is broadcast
on `context.changed`. Layout (splitter, header, geometry, sort) is saved in the
settings file when the window closes and restored when it opens.
"""

from __future__ import annotations

import html
import math
import platform
import unicodedata
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import PySide6
import shiboken6
from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal, qVersion
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.domain.audience import AudienceTag
from desktop.domain.bilingual import LANGUAGES
from desktop.domain.filter import quote
from desktop.domain.filter.rename import Rename, respelling
from desktop.domain.tag_search import TagSearchIndex
from desktop.domain.tags import TagInfo
from desktop.services.changes import ChangeSet
from desktop.services.customer_scope import cache_scope
from desktop.services.library_refresh import LibraryRefresh
from desktop.services.logs import current_log_file
from desktop.services.progress import CancelToken
from desktop.services.sync import SyncResult
from desktop.services.tag_admin import TagAdminService
from desktop.services.team_catch_up import TeamCatchUp
from desktop.store.in_chunks import rows_in
from desktop.store.members import directory_members, tag_group_names
from desktop.store.snapshot import LAST_SYNC_KEY
from desktop.ui.audience_bar import AudienceBar
from desktop.ui.batch_progress import offer_unfinished_batches
from desktop.ui.big_toggle import Toggle, count_having, toggle_asking_first
from desktop.ui.context import AppContext
from desktop.ui.counts import COUNTS
from desktop.ui.customer_table_model import SORT_KEYS, Column, CustomerTableModel, QueryResult
from desktop.ui.customer_table_view import CustomerTableView
from desktop.ui.detail_pane import DetailPane
from desktop.ui.errors import readable
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.favourites_bar import FavouritesBar
from desktop.ui.filter_bar import FilterBar
from desktop.ui.filter_syntax_dialog import FilterSyntaxDialog
from desktop.ui.first_paint import AfterFirstPaint
from desktop.ui.governance_monitor import GovernanceMonitor
from desktop.ui.i18n import sentences
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.pane_splitter import PaneSplitter
from desktop.ui.retag_dialog import RetagDialog
from desktop.ui.settings import (
    KEY_GEOMETRY,
    KEY_SPLITTER,
    KEY_TABLE_HEADER,
    KEY_WINDOW_STATE,
    Settings,
)
from desktop.ui.status_bar import StatusBar
from desktop.ui.style import icon
from desktop.ui.sync_controller import SyncController
from desktop.ui.tag_picker import TagPicker
from desktop.ui.tag_tree_view import TagTreeView
from desktop.ui.team_filters import TeamFilters
from desktop.ui.team_settings_poller import TeamSettingsPoller
from desktop.ui.window_keys import WindowKeysFirst

if TYPE_CHECKING:  # dialogs and windows opened on demand load when first opened
    from desktop.ui.approvals_dialog import ApprovalsDialog
    from desktop.ui.arrivals_dialog import ArrivalsDialog
    from desktop.ui.audit_viewer import AuditViewer
    from desktop.ui.autotag_review import AutoTagReviewWindow
    from desktop.ui.connection_dialog import ConnectionDialog, Saved
    from desktop.ui.deleted_tags_dialog import DeletedTagsDialog
    from desktop.ui.events_browser import EventsBrowser
    from desktop.ui.events_dialog import EventsDialog
    from desktop.ui.exclusive_sets_dialog import ExclusiveSetsDialog
    from desktop.ui.expiring_tags_dialog import ExpiringTagsDialog
    from desktop.ui.health_view import HealthWindow
    from desktop.ui.import_wizard import ImportWizard
    from desktop.ui.reconcile_dialog import ReconcileDialog
    from desktop.ui.reports import ReportsWindow
    from desktop.ui.rules_dialog import RulesDialog
    from desktop.ui.scenes_dialog import ScenesDialog

FAVOURITE_SLOTS = 3
TABLE_MIN_WIDTH = 360  # px: name, a few chips, owner and date stay readable
TYPE_AHEAD_SHOWN_MS = 2000  # the letters typed in the customer table, in the status bar

_Scoped = TypeVar("_Scoped", RetagDialog, ExportDialog)

Text = Callable[[], str]
"""A user-visible text, asked again after a language switch."""


def _set_text(target: QAction | QMenu | QToolBar, text: str) -> None:
    if isinstance(target, QAction):
        target.setText(text)
    else:
        target.setTitle(text) if isinstance(target, QMenu) else target.setWindowTitle(text)


def _keyed(text: Text, letter: str) -> Text:
    """The menu item's text with its Alt letter: "&Rules…", or in Chinese "规则(&R)…" as
    Chinese menus write it (Alt+T then R opens it from the keyboard), also where the words
    hold the letter in a name: "关于 TagDesk(&A)", not "关于 T&agDesk"."""
    def shown() -> str:
        words = text()
        wide = any(unicodedata.east_asian_width(char) in "WF" for char in words)
        at = -1 if wide else words.lower().find(letter.lower())
        if at >= 0:
            return f"{words[:at]}&{words[at:]}"
        stem, dots = (words[:-1], "…") if words.endswith("…") else (words, "")
        return f"{stem}(&{letter}){dots}"
    return shown


def _said(sentence: str, step: str) -> str:
    """"Undone: add VIP to 2 customers" / "已撤销：为 2 位客户添加 VIP": the step in the
    sentence's %1, lower-cased as `_step` does after a verb."""
    return sentence.replace("%1", _after_verb(sentence, step))


def _step(verb: str, text: str) -> str:
    """"Undo" / "Undo remove 高意向 from 6 customers" / "撤销 为 6 位客户移除 高意向"."""
    return f"{verb} {_after_verb(verb, text)}" if text else verb


def _after_verb(verb: str, text: str) -> str:
    """In a language with capitals the step's first word goes lower-case after the verb (an
    acronym, "VIP …", stays)."""
    if verb.isascii() and text[:1].isupper() and not text[1:2].isupper():
        return text[0].lower() + text[1:]
    return text


def unique_keys(keys: list[QKeySequence]) -> list[QKeySequence]:
    """The key sequences without repeats and empties, first one first.

    A standard key is often the same as the literal one beside it (Refresh is F5 and
    Quit is Ctrl+Q on Linux); listing a sequence twice makes Qt call the shortcut
    ambiguous and do nothing.
    """
    seen: set[str] = set()
    kept = []
    for sequence in keys:
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        if text and text not in seen:
            seen.add(text)
            kept.append(sequence)
    return kept


class MainWindow(QMainWindow):
    languageRequested = Signal(str)     # the session installs that language; widgets retranslate
    firstRowsShown = Signal()           # once: the first rows are painted (or that query failed)

    def __init__(self, context: AppContext, settings: Settings, sync: SyncController,
                 language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self.sync = sync
        self.language = language
        self.picker: TagPicker | None = None
        self._texts: list[tuple[QAction | QMenu | QToolBar, Text]] = []
        self._dialogs: list[QWidget] = []
        self._audit_viewer: AuditViewer | None = None
        self._syntax: FilterSyntaxDialog | None = None
        self._reports: ReportsWindow | None = None
        self._health: HealthWindow | None = None
        self._autotag: AutoTagReviewWindow | None = None
        self._restored_filter: str | None = None
        self._deleted_tags: DeletedTagsDialog | None = None
        self._arrivals: ArrivalsDialog | None = None
        self._reconcile: ReconcileDialog | None = None
        self._events: EventsDialog | None = None
        self._events_browser: EventsBrowser | None = None
        self._rules: RulesDialog | None = None
        self._expiring: ExpiringTagsDialog | None = None
        self._scenes: ScenesDialog | None = None
        self._exclusive: ExclusiveSetsDialog | None = None
        self._connection: ConnectionDialog | None = None
        self.governance: GovernanceMonitor | None = None
        self._rows_shown = False
        self._fit_when_framed = False
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("tagdesk"))
        self.model = CustomerTableModel(context, self)
        self.table = CustomerTableView(self.model)
        self.detail = DetailPane(context)
        team = context.workspace.profile.is_team
        self.filter_bar = FilterBar(settings, context.workspace.profile.name,
                                    team=TeamFilters(context, self) if team else None)
        self.audience_bar = AudienceBar()
        self.audience_bar.hide()
        self.tag_tree = TagTreeView(context)
        self.favourites = FavouritesBar(context)
        self.status = StatusBar(self, solo=context.solo)
        self.setStatusBar(self.status)
        self._build_layout()
        self._build_actions()
        WindowKeysFirst(self)     # Ctrl+E exports from the filter bar on X11 too
        self._connect()
        self._restore_layout()
        self._retitle()
        self._show_profile()
        self._show_last_sync()
        if sync.running:
            self.status.sync_started()
        self.reload_tags()
        context.hold_cold_warming()  # the filters warm once the first rows are painted
        AfterFirstPaint(self.table.viewport(), lambda: self.model.last_result is not None,
                        self._first_rows_shown)
        self.model.queryFailed.connect(lambda _exc: self._first_rows_shown())
        self._restore_filter()
        self.team_settings = TeamSettingsPoller(context, sync, self) if team else None
        if self.team_settings is not None:
            self.team_settings.unavailable.connect(self.status.set_team_unavailable)
            self.team_settings.available.connect(lambda: self.status.set_team_unavailable(""))
        self.governance = GovernanceMonitor(context, self) if team else None
        if self.governance is not None:
            self.governance.rulesChanged.connect(self.tag_tree.set_rules)
            if self.filter_bar.team is not None:
                self.governance.rulesChanged.connect(self.filter_bar.team.set_rules)
            self.governance.pendingChanged.connect(
                lambda _n: self.approvals_action.setText(self._approvals_text()))
            sync.finished.connect(self.governance.refresh)
            context.approval_requested.connect(self.governance.refresh)  # the count at once

    # -- public API ---------------------------------------------------------------

    def selected_relation_ids(self) -> list[int]:
        return self.table.selected_relation_ids()

    def open_tag_picker(self) -> TagPicker | None:
        ids = self.selected_relation_ids()
        if not ids:
            self.status.message(self.tr("Select customers first, then press T to tag them."))
            return None
        if self.picker is not None:
            self.picker.close()
        self.picker = TagPicker(self.context, ids, self)
        self.picker.retagRequested.connect(self.retag_toggle)
        self.picker.show()
        self.picker.raise_()
        self.picker.activateWindow()  # typing goes to its search field at once
        return self.picker

    def _scope(self) -> tuple[list[int], Text]:
        """The selected relations, or (with nothing selected) all the current filter shows;
        with what they are, in the UI language of the moment (a dialog asks again)."""
        ids = self.selected_relation_ids()
        if ids:
            count = len(ids)
            return ids, lambda: COUNTS.selected(count)
        text = self.model.query.text
        ids = self.model.relation_ids(range(self.model.rowCount()))
        return ids, lambda: self.tr("filter: %1").replace("%1", text or self.tr("all customers"))

    def _keep(self, dialog: QWidget) -> QWidget:
        """Non-modal dialogs live until closed; keep a reference so they are not collected."""
        self._dialogs = [d for d in self._dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog

    def _open_on(self, kind: type[_Scoped], ids: list[int]) -> _Scoped | None:
        """The open dialog of this kind on these relations, brought to the front; one on
        other relations closes for the new one unless it is busy (a batch, an export)."""
        for dialog in self._dialogs:
            if isinstance(dialog, kind) and dialog.isVisible():
                if dialog.relation_ids == ids:
                    _present(dialog)
                    return dialog
                if not dialog.busy():
                    dialog.close()
        return None

    def open_retag_dialog(self) -> RetagDialog | None:
        ids, scope = self._scope()
        if not ids:
            self.status.message(self.tr("No customers to retag: select some or change the filter."))
            return None
        return self._retag_dialog(ids, scope)

    def retag_toggle(self, toggle: Toggle) -> RetagDialog:
        """批量重标 on a toggle's customers, its tag chosen to add (or to remove), for a
        preview and a pilot instead of the toggle."""
        ids = toggle.relation_ids
        dialog = self._retag_dialog(ids, lambda: COUNTS.selected(len(ids)))
        dialog.choose(toggle.tag_id, removing=toggle.removing)
        return dialog

    def _retag_dialog(self, ids: list[int], scope: Text) -> RetagDialog:
        if (shown := self._open_on(RetagDialog, ids)) is not None:
            return shown
        dialog = RetagDialog(self.context, ids, scope, self)
        dialog.progress.showRequested.connect(self.show_relations)
        dialog.progress.writesSettled.connect(self.model.settle)
        self._keep(dialog)
        return dialog

    def open_import_wizard(self) -> ImportWizard:
        from desktop.ui.import_wizard import ImportWizard

        for shown in self._dialogs:
            if isinstance(shown, ImportWizard) and shown.isVisible():
                _present(shown)
                return shown
        wizard = ImportWizard(self.context, self)
        wizard.progress.showRequested.connect(self.show_relations)
        wizard.progress.writesSettled.connect(self.model.settle)
        self._keep(wizard)
        return wizard

    def open_export_dialog(self) -> ExportDialog | None:
        ids, scope = self._scope()
        if not ids:
            self.status.message(self.tr("Nothing to export: the filter shows no customers."))
            return None
        if (shown := self._open_on(ExportDialog, ids)) is not None:
            return shown
        dialog = ExportDialog(self.context, ids, scope, self)
        self._keep(dialog)
        return dialog

    def _show_profile(self) -> None:
        """The profile and who acts, by name as the audit log writes people ("董芳伟
        (dongfangwei)"), the userid alone while the cache does not know them yet; "My
        customers" when a team server gave the cache the user's own customers only (a
        salesperson's sync reads the user alone as a follow user)."""
        profile, operator = self.context.workspace.profile, self.context.operator
        found = self.context.cache.connection().execute(
            "SELECT name FROM member WHERE userid = ?", (operator,)).fetchone()
        who = f"{found[0]} ({operator})" if found and found[0] and operator else operator
        self.status.set_profile(profile.name, who, profile.team_url)
        self.status.set_own_customers(
            cache_scope(self.context.cache, profile.is_team, operator) == "mine")

    def open_team_login(self) -> LoginDialog:
        """File → log in to the team server again (a revoked or lost device token); the
        workspace's clients use the new login from then on."""
        workspace = self.context.workspace
        dialog = LoginDialog(workspace.home, workspace.profile, self)

        def logged_in() -> None:
            if dialog.device is not None:
                workspace.use_login(dialog.profile, dialog.device.token)
                self._show_profile()
                if self.team_settings is not None:
                    self.team_settings.poll()
                self.status.message(self.tr("Logged in to the team server as %1.").replace(
                    "%1", dialog.device.userid))
                if self._connection is not None:
                    self._connection.reload()
                offered = offer_unfinished_batches(self.context, self)  # stopped by the login
                if offered is not None:
                    self._keep(offered)

        dialog.accepted.connect(logged_in)
        self._keep(dialog)
        return dialog

    def open_connection_settings(self) -> ConnectionDialog:
        """File → Connection settings…: one window, brought to the front (where it reads its
        keyring again) when already open."""
        if self._connection is None:
            from desktop.ui.connection_dialog import ConnectionDialog

            self._connection = ConnectionDialog(self.context, self)
            self._connection.saved.connect(self._connection_saved)
            self._connection.loginRequested.connect(self.open_team_login)
            _make_tool_window(self._connection)
        _present(self._connection)
        return self._connection

    def _secret_refused(self) -> None:
        self._show_secret_state()
        self._pick_up_stored_secret()

    def _show_secret_state(self) -> None:
        """输入新的 Secret… shows while the context holds the secret in use as refused, 重试
        while it holds this computer's IP as refused."""
        self.status.set_secret_refused(self.context.secret_is_refused)
        self.status.set_ip_refused(self.context.ip_is_refused)

    def retry_wecom(self) -> None:
        """重试: one light read; when WeCom answers, the tagging its refusal of this computer's
        IP stopped is sent (`AppContext.wecom_answered`)."""
        from desktop.services.auto_resume import Probe, probe

        button, workspace = self.status.retry_button, self.context.workspace
        button.setEnabled(False)

        def work(_progress: Any, cancel: CancelToken) -> Probe:
            with workspace.client(cancel.event) as client:
                return probe(client)

        def answered(outcome: Probe) -> None:
            button.setEnabled(True)
            if outcome is Probe.DOWN:
                self.status.message(self.tr("WeCom did not answer; retry in a moment."))
                return
            sent = self.context.wecom_answered()
            self.status.message(
                self.tr("WeCom answers this computer again; the tagging waiting is being sent.")
                if sent else self.tr("WeCom answers this computer again."))

        def refused(exc: BaseException) -> None:
            button.setEnabled(True)
            self.status.message(readable(exc, solo=self.context.solo))
            self.context.note_refusal(exc)

        self.context.run_task(work, owner=self, name="retry WeCom", on_result=answered,
                              on_error=refused)

    def _connection_saved(self, saved: Saved) -> None:
        said = []
        if saved.secret:
            said.append(self.tr("The app secret stored from the command line is in use now.")
                        if saved.outside else
                        self.tr("The new app secret is stored in the OS keyring and in use."))
        if saved.api_base:
            said.append(self.tr("WeCom is called through %1 from now on.")
                        .replace("%1", saved.api_base))
        if saved.resumed:
            said.append(self.tr("Sending the tagging it stopped again: %n batch(es).", "",
                                saved.resumed))
        self.status.message(sentences(*said))

    def open_approvals(self) -> ApprovalsDialog:
        """File → Approvals (team profiles): requests to decide and the team policy."""
        cache = self.context.workspace.cache
        from desktop.ui.approvals_dialog import ApprovalsDialog

        dialog = ApprovalsDialog(self.context.workspace.profile, self,
                                 members=directory_members(cache), groups=tag_group_names(cache))
        if self.governance is not None:
            dialog.decided.connect(self.governance.refresh)
        dialog.corpChanged.connect(self.sync.start)   # its tags and relations as they are now
        self._keep(dialog)
        return dialog

    def _approvals_text(self) -> str:
        """"审批（2）(A)…" / "&Approvals (2)…": with its Alt letter, as each menu item
        without a key has."""
        pending = self.governance.pending if self.governance is not None else 0
        return _keyed(lambda: self.tr("Approvals (%1)…").replace("%1", str(pending)) if pending
                      else self.tr("Approvals…"), "A")()

    def open_reconcile(self) -> ReconcileDialog:
        """Order reconciliation: one window, brought to the front when already open."""
        if self._reconcile is None:
            from desktop.ui.reconcile_dialog import ReconcileDialog

            self._reconcile = ReconcileDialog(self.context, self)
            _make_tool_window(self._reconcile)
        _present(self._reconcile)
        return self._reconcile

    def open_events_browser(self) -> EventsBrowser:
        """The stored behaviour events: one window, brought to the front when already open."""
        from desktop.ui.events_browser import EventsBrowser

        if self._events_browser is None:
            self._events_browser = EventsBrowser(self.context, self)
            _make_tool_window(self._events_browser)
        _present(self._events_browser)
        return self._events_browser

    def open_events(self) -> EventsDialog:
        """Importing behaviour events: one window, brought to the front when already open."""
        from desktop.ui.events_dialog import EventsDialog

        if self._events is None:
            self._events = EventsDialog(self.context, self)
            _make_tool_window(self._events)
        _present(self._events)
        return self._events

    def open_deleted_tags(self) -> DeletedTagsDialog:
        """Deleted tags and their restore: one window, brought to the front (and re-read)
        when already open."""
        from desktop.ui.deleted_tags_dialog import DeletedTagsDialog

        if self._deleted_tags is None:
            self._deleted_tags = DeletedTagsDialog(self.context, self)
            _make_tool_window(self._deleted_tags)
        else:
            self._deleted_tags.reload()
        _present(self._deleted_tags)
        return self._deleted_tags

    def open_scenes(self) -> ScenesDialog:
        """The scene template wizard: one, brought to the front at the step it was left on."""
        if self._scenes is None:
            from desktop.ui.scenes_dialog import ScenesDialog

            self._scenes = ScenesDialog(self.context, self, self.governance)
            _make_tool_window(self._scenes)
        _present(self._scenes)
        return self._scenes

    def open_arrivals(self) -> ArrivalsDialog:
        """Live codes and pre-tags: one window, brought to the front (and re-read)."""
        if self._arrivals is None:
            from desktop.ui.arrivals_dialog import ArrivalsDialog

            self._arrivals = ArrivalsDialog(self.context, self)
            _make_tool_window(self._arrivals)
        else:
            self._arrivals.reload()
        _present(self._arrivals)
        return self._arrivals

    def open_rules(self) -> RulesDialog:
        """The rules window: one, brought to the front (and re-read) when already open."""
        if self._rules is None:
            from desktop.ui.rules_dialog import RulesDialog

            self._rules = RulesDialog(self.context, self)
            _make_tool_window(self._rules)
        else:
            self._rules.reload()
        _present(self._rules)
        return self._rules

    def open_expiring_tags(self) -> ExpiringTagsDialog:
        """Tags set to expire: one window, brought to the front (and re-read)."""
        from desktop.ui.expiring_tags_dialog import ExpiringTagsDialog

        if self._expiring is None:
            self._expiring = ExpiringTagsDialog(self.context, self)
            _make_tool_window(self._expiring)
        else:
            self._expiring.reload()
        _present(self._expiring)
        return self._expiring

    def open_exclusive_sets(self) -> ExclusiveSetsDialog:
        """Exclusive sets: one window, brought to the front (and re-read unless writing)."""
        from desktop.ui.exclusive_sets_dialog import ExclusiveSetsDialog

        if self._exclusive is None:
            self._exclusive = ExclusiveSetsDialog(self.context, self, self.governance)
            _make_tool_window(self._exclusive)
        elif not self._exclusive.busy:
            self._exclusive.reload()
        _present(self._exclusive)
        return self._exclusive

    def open_audit_viewer(self) -> AuditViewer:
        """The audit log window: one per main window, brought to the front when already open."""
        if self._audit_viewer is None:
            from desktop.ui.audit_viewer import AuditViewer

            self._audit_viewer = AuditViewer(self.context, self)
            self._audit_viewer.customerRequested.connect(self.show_customer)
            _make_tool_window(self._audit_viewer)
        _present(self._audit_viewer)
        return self._audit_viewer

    def open_reports(self) -> ReportsWindow:
        """The reports window: one per main window, brought to the front when already open."""
        if self._reports is None:
            from desktop.ui.reports import ReportsWindow

            self._reports = ReportsWindow(self.context, self, self.governance)
            _make_tool_window(self._reports)
        _present(self._reports)
        return self._reports

    def show_filter(self, text: str) -> None:
        """Filter the table (a tag health finding's customers) and come to the front, over
        the window that asked."""
        self.filter_bar.set_filter(text)
        self.raise_()
        self.activateWindow()

    def show_tag(self, tag_id: str) -> None:
        """Select the tag in the tree and come to the front, over the window that asked."""
        self.tag_tree.select_key(f"tag:{tag_id}")
        self.raise_()
        self.activateWindow()

    def show_relations(self, relation_ids: frozenset[int]) -> None:
        """The table shows just these relations (a pilot's) until the filter changes."""
        self.model.show_only(relation_ids)
        self.status.message(self.tr("Showing the %n relation(s) the batch wrote; change the"
                                    " filter to see everything again.", "", len(relation_ids)))
        self.raise_()
        self.activateWindow()

    def open_health(self) -> HealthWindow:
        """The tag health window: one per main window, brought to the front when already open."""
        if self._health is None:
            from desktop.ui.health_view import HealthWindow

            self._health = HealthWindow(self.context, self, self.governance)
            self._health.filterRequested.connect(self.show_filter)
            self._health.tagRequested.connect(self.show_tag)
            _make_tool_window(self._health)
        _present(self._health)
        return self._health

    def open_autotag_review(self) -> AutoTagReviewWindow:
        """The auto-tagging review window: one per main window, like the health window."""
        if self._autotag is None:
            from desktop.ui.autotag_review import AutoTagReviewWindow

            self._autotag = AutoTagReviewWindow(self.context, self)
            self._autotag.batch_progress.showRequested.connect(self.show_relations)
            self._autotag.customerRequested.connect(self.show_customer)
            _make_tool_window(self._autotag)
        _present(self._autotag)
        return self._autotag

    def show_customer(self, external_userid: str) -> None:
        """Filter the table down to one customer (every follow relation of it)."""
        self.filter_bar.set_filter(f"text:{quote(external_userid)}")
        self.raise_()
        self.activateWindow()

    def show_unfinished_batches(self) -> None:
        dialog = offer_unfinished_batches(self.context, self)
        if dialog is None:
            self.status.message(self.tr("No unfinished batches."))
        else:
            self._keep(dialog)

    def _favourite_title(self, slot: int) -> str:
        return self.tr("Toggle favourite %1").replace("%1", str(slot))

    def toggle_favourite(self, slot: int) -> None:
        tag_id = self.favourites.tag_for_slot(slot)
        ids = self.selected_relation_ids()
        if tag_id is None:
            self.status.message(self.tr("No favourite in slot %1: pin a tag first.")
                                .replace("%1", str(slot)))
            return
        if not ids:
            self.status.message(self.tr("Select customers first."))
            return
        self._toggle(ids, tag_id)

    def _toggle(self, ids: list[int], tag_id: str) -> None:
        """Toggle a favourite on the customers, saying what it does (status bar, undo label)."""
        context = self.context
        context.run_task(lambda _p, _c: count_having(context, ids, tag_id), owner=self,
                         name="favourite count",
                         on_result=lambda having: self._toggle_counted(ids, tag_id, having))

    def _toggle_counted(self, ids: list[int], tag_id: str, having: int) -> None:
        tag = self.filter_bar.completions.speller.tags.get(tag_id)
        name = tag.name if tag else tag_id
        toggle_asking_first(self.context, Toggle.of(ids, tag_id, name, having), self,
                            self.retag_toggle)

    def start_sync(self) -> None:
        if not self.sync.start():
            self.status.message(self.tr("A sync is already running."))

    def reload_tags(self) -> None:
        """Refresh the tag names used for completion and clicks (counts take a moment)."""
        service = TagAdminService(self.context.workspace)

        def load() -> tuple[list[TagInfo], TagSearchIndex]:  # the index too: not at first paint
            tags = service.tag_infos()
            return tags, TagSearchIndex(tags)

        self.context.run_task(lambda _p, _c: load(), owner=self, name="tag names",
                              on_result=lambda found: self.filter_bar.set_tags(*found))

    # -- layout -------------------------------------------------------------------

    def _build_layout(self) -> None:
        left = self.tag_panel = QWidget()
        left.setObjectName("tagPanel")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        left_layout.addWidget(self.favourites)
        left_layout.addWidget(self.tag_tree, 1)
        self.splitter = PaneSplitter(self.table.wanted_width)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.table.setMinimumWidth(TABLE_MIN_WIDTH)   # a narrow window narrows the panes too
        self.splitter.setStretchFactor(1, 1)
        self.splitter.set_pane_sizes([310, 790, 300])
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.splitter.fit())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 2, 4, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.audience_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.resize(1400, 860)

    def _translated(self, target: QAction | QMenu | QToolBar, text: Text) -> None:
        """Give `target` its text now and again after every language switch."""
        self._texts.append((target, text))
        _set_text(target, text())

    def _action(self, text: Text, slot: Callable[[], Any], *, icon_name: str = "",
                keys: list[QKeySequence] | None = None) -> QAction:
        action = QAction(self)
        self._translated(action, text)
        if icon_name:
            action.setIcon(icon(icon_name))
        if keys:
            action.setShortcuts(unique_keys(keys))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.sync_action = self._action(lambda: self.tr("Sync now"), self.start_sync, icon_name="sync",
                                        keys=[key(key.StandardKey.Refresh), key("F5")])
        self.cancel_sync_action = self._action(_keyed(lambda: self.tr("Cancel sync"), "C"), self._cancel_sync,
                                               icon_name="cancel")
        self.cancel_sync_action.setEnabled(self.sync.running)
        self.refresh_at_start_action = self._action(_keyed(lambda: self.tr("Sync again at start"), "S"),
                                                    self._toggle_refresh_at_start)
        self.refresh_at_start_action.setCheckable(True)
        self.refresh_at_start_action.setChecked(self.settings.refresh_at_start(
            self.context.workspace.profile.is_team, math.inf))
        quit_action = self._action(lambda: self.tr("Quit"), self.close, icon_name="quit",
                                   keys=[key(key.StandardKey.Quit), key("Ctrl+Q")])
        stack = self.context.undo_stack
        self._steps = {"undo": stack.undoText(), "redo": stack.redoText()}
        self.undo_action = self._action(lambda: _step(self.tr("Undo"), self._steps["undo"]),
                                        self._undo, icon_name="undo",
                                        keys=key.keyBindings(key.StandardKey.Undo))
        self.redo_action = self._action(lambda: _step(self.tr("Redo"), self._steps["redo"]),
                                        self._redo, icon_name="redo",
                                        keys=key.keyBindings(key.StandardKey.Redo))
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._redo_text_changed)
        select_all = self._action(lambda: self.tr("Select all customers"), self.table.selectAll,
                                  keys=[key(key.StandardKey.SelectAll)])
        find = self._action(lambda: self.tr("Filter…"), self._focus_filter, icon_name="search",
                            keys=[key(key.StandardKey.Find), key("Ctrl+L")])
        self.picker_action = self._action(lambda: self.tr("Tag selected customers…"),
                                          self.open_tag_picker, icon_name="tag",
                                          keys=[key("T"), key("Ctrl+T")])
        self.favourite_actions = [
            self._action(partial(self._favourite_title, n),
                         partial(self.toggle_favourite, n), icon_name="pin",
                         keys=[key(f"Alt+{n}")])
            for n in range(1, FAVOURITE_SLOTS + 1)
        ]
        self.retag_action = self._action(lambda: self.tr("Retag…"), self.open_retag_dialog,
                                         icon_name="tag", keys=[key("Ctrl+Shift+T")])
        import_action = self._action(lambda: self.tr("Import tags from a spreadsheet…"),
                                     self.open_import_wizard, icon_name="import",
                                     keys=[key("Ctrl+I")])
        export_action = self._action(lambda: self.tr("Export customers…"), self.open_export_dialog,
                                     icon_name="export", keys=[key("Ctrl+E")])
        batches_action = self._action(_keyed(lambda: self.tr("Unfinished batches…"), "U"),
                                      self.show_unfinished_batches)
        exclusive_action = self._action(_keyed(lambda: self.tr("Mutually exclusive tags…"), "M"),
                                        self.open_exclusive_sets)
        audit_action = self._action(lambda: self.tr("Audit log…"), self.open_audit_viewer,
                                    icon_name="clock", keys=[key("Ctrl+Shift+L")])
        reports_action = self._action(lambda: self.tr("Reports…"), self.open_reports,
                                      icon_name="columns", keys=[key("Ctrl+Shift+R")])
        clear_filter = self._action(_keyed(lambda: self.tr("Show all customers"), "S"),
                                    lambda: self.filter_bar.set_filter(""), icon_name="clear")
        self.audience_action = self._action(
            _keyed(lambda: self.tr("Pick tags like WeCom mass messaging"), "P"),
            self._audience_toggled,
            icon_name="users")
        self.audience_action.setCheckable(True)
        syntax = self._action(lambda: self.tr("Filter syntax"), self.open_filter_syntax, icon_name="help",
                              keys=[key(key.StandardKey.HelpContents)])
        about = self._action(_keyed(lambda: self.tr("About TagDesk"), "A"), self._show_about,
                             icon_name="tagdesk")
        self.login_action = self._action(_keyed(lambda: self.tr("Log in to the team server…"), "L"),
                                         self.open_team_login)
        self.login_action.setVisible(self.context.workspace.profile.is_team)
        self.connection_action = self._action(
            _keyed(lambda: self.tr("Connection settings…"), "N"), self.open_connection_settings,
            icon_name="settings")
        self.approvals_action = self._action(self._approvals_text, self.open_approvals)
        self.approvals_action.setVisible(self.context.workspace.profile.is_team)

        menus = self.menuBar()
        file_menu = menus.addMenu("")
        self._translated(file_menu, lambda: self.tr("&File"))
        file_menu.addActions([self.sync_action, self.cancel_sync_action,
                              self.refresh_at_start_action])
        file_menu.addSeparator()
        file_menu.addActions([import_action, export_action])
        file_menu.addSeparator()
        file_menu.addActions([self.connection_action, self.login_action,
                              self.approvals_action])
        file_menu.addAction(quit_action)
        edit_menu = menus.addMenu("")
        self._translated(edit_menu, lambda: self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([select_all, find, clear_filter, self.audience_action])
        view_menu = menus.addMenu("")
        self._translated(view_menu, lambda: self.tr("&View"))
        titles: list[tuple[QWidget, Text]] = [
            (self.tag_panel, _keyed(lambda: self.tr("Tag tree"), "T")),
            (self.detail, _keyed(lambda: self.tr("Customer detail"), "C"))]
        for pane, title in titles:
            toggle = QAction(self, checkable=True, checked=True)
            self._translated(toggle, title)
            toggle.toggled.connect(pane.setVisible)
            view_menu.addAction(toggle)
        self.detail_toggle = toggle
        view_menu.addSeparator()
        view_menu.addActions([audit_action, reports_action])
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(icon("language"), "")
        self._translated(language_menu, _keyed(lambda: self.tr("Language"), "L"))
        group = self.language_group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True, checked=code == self.language)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self._switch_language(c))
            group.addAction(action)
            language_menu.addAction(action)
        tags_menu = menus.addMenu("")
        self._translated(tags_menu, lambda: self.tr("&Tags"))
        tags_menu.addActions([self.picker_action, self.retag_action, batches_action])
        tags_menu.addSeparator()
        tags_menu.addActions([exclusive_action,
                              self._action(_keyed(lambda: self.tr("Tag health…"), "H"),
                                           self.open_health),
                              self._action(_keyed(lambda: self.tr("Deleted tags…"), "D"),
                                           self.open_deleted_tags)])
        tags_menu.addSeparator()
        tags_menu.addActions([self._action(_keyed(lambda: self.tr("Auto-tag from chats…"), "A"),
                                           self.open_autotag_review),
                              self._action(_keyed(lambda: self.tr("Rules…"), "R"),
                                           self.open_rules),
                              self._action(_keyed(lambda: self.tr("Expiring tags…"), "E"),
                                           self.open_expiring_tags),
                              self._action(_keyed(lambda: self.tr("Scene templates…"), "S"),
                                           self.open_scenes),
                              self._action(_keyed(lambda: self.tr("Live codes and pre-tags…"),
                                                  "L"), self.open_arrivals),
                              self._action(_keyed(lambda: self.tr("Order reconciliation…"), "O"),
                                           self.open_reconcile),
                              self._action(_keyed(lambda: self.tr("Behaviour events…"), "B"),
                                           self.open_events_browser),
                              self._action(_keyed(lambda: self.tr("Import events…"), "I"),
                                           self.open_events)])
        tags_menu.addSeparator()
        tags_menu.addActions(self.favourite_actions)
        help_menu = menus.addMenu("")
        self._translated(help_menu, lambda: self.tr("&Help"))
        help_menu.addActions([syntax, about])

        toolbar = self.addToolBar("")
        self._translated(toolbar, lambda: self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.sync_action, self.undo_action, self.redo_action,
                            self.picker_action])

    def _connect(self) -> None:
        self.filter_bar.filterRequested.connect(self.model.set_filter)
        self.audience_bar.expressionChanged.connect(self.filter_bar.set_filter)
        self.model.queryFinished.connect(self._query_finished)
        self.model.queryFailed.connect(self._query_failed)
        self.model.countsChanged.connect(self.status.set_counts)
        self.table.selectionChangedIds.connect(self._selection_changed)
        self.table.customContextMenuRequested.connect(self._row_menu)
        self.tag_tree.tagClicked.connect(self._tag_clicked)
        self.tag_tree.groupClicked.connect(self._group_clicked)
        self.table.type_ahead.searched.connect(self._typed_ahead)
        self.favourites.toggleRequested.connect(self._favourite_clicked)
        self.sync.started.connect(self._sync_started)
        self.sync.progressed.connect(self.status.sync_progress)
        self.sync.finished.connect(self._sync_finished)
        self.sync.refreshed.connect(self._library_refreshed)
        self.sync.failed.connect(self._sync_failed)
        self.sync.cancelled.connect(self._sync_cancelled)
        self.sync.idle.connect(self._sync_idle)
        self.status.cancel_button.clicked.connect(self._cancel_sync)
        self.status.secret_button.clicked.connect(self.open_connection_settings)
        self.context.secret_refused.connect(self._secret_refused)
        self.context.secret_replaced.connect(self._show_secret_state)
        self.status.retry_button.clicked.connect(self.retry_wecom)
        self.context.ip_refused.connect(self._show_secret_state)
        self.context.ip_trusted.connect(self._show_secret_state)
        self._show_secret_state()
        self.context.changed.connect(self._data_changed)
        self.context.status_message.connect(self.status.message)
        self.context.write_failed.connect(self._write_failed)

    # -- slots --------------------------------------------------------------------

    def _query_finished(self, result: QueryResult) -> None:
        self._restored_filter = None
        self.filter_bar.query_succeeded(result.query.text)
        # kept at once, not only at close: a crash or a power cut keeps the filter and sort too
        self.settings.set_last_filter(self.context.workspace.profile.name, result.query.text)
        self._save_sort()
        self._selection_changed()

    def _save_sort(self) -> None:
        order_by = self.model.query.order_by
        column = next(c for c, k in SORT_KEYS.items() if k == order_by)
        self.settings.set_sort(int(column), self.model.query.descending)

    def _query_failed(self, exc: BaseException) -> None:
        restored, self._restored_filter = self._restored_filter, None
        if restored and self.model.query.text == restored:
            self.status.message(self.tr("The filter from last time no longer works (%1);"
                                        " showing all customers.").replace("%1", readable(exc)))
            self.filter_bar.set_filter("")
            return
        shown = self.model.last_result
        if shown is not None and shown.query.text == self.model.query.text:
            # the filter shown worked until a sync changed the tags under it (a tag deleted
            # elsewhere): its rows and chips are stale, so show every customer instead
            self.status.message(self.tr("The filter no longer works (%1); showing all"
                                        " customers.").replace("%1", readable(exc)))
            self.filter_bar.set_filter("")
            return
        self.filter_bar.query_failed(exc)
        if not self.filter_bar.error.isVisible():
            self.status.message(readable(exc))

    def _selection_changed(self) -> None:
        self.detail.show_relation(self.table.current_relation_id())

    def row_menu(self) -> QMenu:
        """The table's context menu for the selected rows: copy ids, tag, show the detail.
        An item with a key of the window shows it beside its text (after a tab, as a menu
        lays out a shortcut) without taking the key from the window."""
        menu = QMenu(self)
        menu.addAction(self.tr("Copy customer ID"), self.copy_external_userids)
        tag, tag_key = self.tr("Tag…"), self.picker_action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText)
        menu.addAction(icon("tag"), f"{tag}\t{tag_key}", self.open_tag_picker)
        menu.addAction(self.tr("Open detail"), self.open_detail)
        return menu

    def _row_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        if index.row() not in self.table.selected_rows():
            self.table.selectRow(index.row())
        self.row_menu().popup(self.table.viewport().mapToGlobal(position))

    def copy_external_userids(self) -> None:
        """The selected customers' external_userids, one a line, on the clipboard."""
        ids = self.selected_relation_ids()
        if not ids:
            return
        rows = rows_in(self.context.cache.connection().execute,
                       "SELECT DISTINCT external_userid FROM relation WHERE id IN ({marks})", ids)
        externals = sorted({str(row[0]) for row in rows})
        QGuiApplication.clipboard().setText("\n".join(externals))
        self.status.message(self.tr("Copied %n customer ID(s)", "", len(externals)))

    def open_detail(self) -> None:
        """Show the detail pane (if hidden) for the current row."""
        self.detail_toggle.setChecked(True)
        self.detail.show_relation(self.table.current_relation_id())
        self.detail.browser.setFocus()

    def _tag_clicked(self, tag_id: str, modifiers: Any) -> None:
        if self.audience_bar.isVisible():
            self.pick_audience_tag(tag_id)
            return
        self.filter_bar.add_tag(tag_id, Qt.KeyboardModifier(modifiers))

    def pick_audience_tag(self, tag_id: str) -> None:
        """Add the tag to the audience, or take it out again."""
        speller = self.filter_bar.completions.speller
        tag, term = speller.tags.get(tag_id), speller.tag_term(tag_id)
        if tag is not None and term is not None:
            self.audience_bar.toggle(AudienceTag(tag.id, tag.name, tag.group_id,
                                                 tag.group_name, term))

    def _audience_toggled(self) -> None:
        picking = self.audience_action.isChecked()
        self.audience_bar.setVisible(picking)
        if picking:
            self.status.message(self.tr("Click tags in the tree to pick the audience."))
        else:
            self.audience_bar.forget()

    def _group_clicked(self, group_id: str, modifiers: Any) -> None:
        self.filter_bar.add_group(group_id, Qt.KeyboardModifier(modifiers))

    def _typed_ahead(self, typed: str, found: bool) -> None:
        """The letters typed in the customer table, briefly, so a search is seen."""
        text = (self.tr("Find: %1") if found else self.tr("Find: %1 (no matching customer)"))
        self.status.showMessage(text.replace("%1", typed), TYPE_AHEAD_SHOWN_MS)

    def _respell(self, renames: Sequence[Rename]) -> None:
        """The filter, saved and recent filters name renamed tags and groups (from the tree, or
        found by a sync) by their new names, so they go on showing the same rows."""
        respell = respelling(renames)
        self.settings.respell_filters(self.context.workspace.profile.name, respell)
        text = self.filter_bar.text()
        if respell(text) != text:
            self.filter_bar.set_filter(respell(text))

    def _favourite_clicked(self, tag_id: str) -> None:
        ids = self.selected_relation_ids()
        if not ids:
            self.status.message(self.tr("Select customers first."))
            return
        self._toggle(ids, tag_id)

    def _data_changed(self, changes: ChangeSet) -> None:
        if changes.tags_changed or changes.prefs_changed or changes.full_reload:
            self.reload_tags()
        if changes.renames:
            self._respell(changes.renames)
        if changes.full_reload:
            self._show_last_sync()

    def _write_failed(self, message: str, ids: frozenset[int]) -> None:
        self.status.message(self.tr("Tagging failed for %1 customers: %2", "", len(ids))
                            .replace("%1", f"{len(ids):,}").replace("%2", message))

    def _sync_started(self) -> None:
        self.cancel_sync_action.setEnabled(True)
        self.sync_action.setEnabled(False)
        self.status.sync_started()

    def _sync_finished(self, result: SyncResult) -> None:
        self.status.message(
            self.tr("Sync complete: %1, %2, %3 in %4 s")
            .replace("%1", COUNTS.customers(result.customers))
            .replace("%2", COUNTS.relations(result.relations))
            .replace("%3", COUNTS.tags(result.tags)).replace("%4", f"{result.elapsed_s:.1f}"))
        self._show_profile()
        self.context.wecom_answered()

    def _library_refreshed(self, result: LibraryRefresh) -> None:
        text = (self.tr("Tag library refreshed: %1 in %2 s (%3 WeCom calls)")
                .replace("%1", COUNTS.tags(result.tags))
                .replace("%2", f"{result.elapsed_s:.1f}").replace("%3", f"{result.api_calls:,}"))
        team = self.sync.last_catch_up
        if team is not None:
            text += self._caught_up_text(team)
        self.status.message(text)
        self.context.wecom_answered()

    def _caught_up_text(self, team: TeamCatchUp) -> str:
        """What the refresh at start read from the team server, for the status bar."""
        text = ""
        if team.failed is not None and team.copied:
            text += self.tr("; the team's changes since the last sync were read in part (%1,"
                            " %2 and %3 copied, the rest not read: %4): the next start or F5"
                            " reads the rest").replace(
                "%1", COUNTS.relations(team.relations_changed)).replace(
                "%2", COUNTS.events(team.events)).replace(
                "%3", COUNTS.expiries(team.expiries)).replace("%4", readable(team.failed))
        elif team.failed is not None:
            text += self.tr("; the team's changes since the last sync were not read (%1):"
                            " the next start or F5 reads them").replace("%1",
                                                                        readable(team.failed))
        elif team.relations_changed:
            text += self.tr("; the team's changes since the last sync: %1").replace(
                "%1", COUNTS.relations(team.relations_changed))
        if team.needs_sync:
            text += self.tr("; %1 added or deleted elsewhere (F5 reads them)").replace(
                "%1", COUNTS.relations(team.needs_sync))
        return text

    def _sync_failed(self, exc: BaseException) -> None:
        self.status.message(self.tr("Sync failed: %1").replace(
            "%1", readable(exc, solo=self.context.solo)))
        self.context.note_refusal(exc)

    def _sync_cancelled(self) -> None:
        self.status.message(self.tr("Sync cancelled; the cache is unchanged."))

    def _sync_idle(self) -> None:
        self.cancel_sync_action.setEnabled(False)
        self.sync_action.setEnabled(True)
        self.status.sync_idle()

    def _toggle_refresh_at_start(self) -> None:
        """On: this profile reads its tag library again at every start (a team profile by
        default, a solo one with `always`); off: no profile does."""
        on = self.refresh_at_start_action.isChecked()
        team = self.context.workspace.profile.is_team
        self.settings.set_refresh_at_start(("team" if team else "always") if on else "never")

    def _cancel_sync(self) -> None:
        if self.sync.running:
            self.sync.cancel()
            self.status.sync_cancelling()

    def _focus_filter(self) -> None:
        self.filter_bar.edit.setFocus()
        self.filter_bar.edit.selectAll()

    def _switch_language(self, code: str) -> None:
        if code != self.language:
            self.languageRequested.emit(code)

    def set_language(self, code: str) -> None:
        """The session installed `code`: every widget retranslates on the LanguageChange event."""
        self.language = code
        for action in self.language_group.actions():
            action.setChecked(action.data() == code)

    def _undo(self) -> None:
        """Undo the newest step and say so: the sentence the step itself left in the status
        bar ("已为 1 位客户添加 VIP") is not true any more."""
        stack = self.context.undo_stack
        if stack.canUndo():
            step = stack.undoText()
            stack.undo()
            self.status.message(_said(self.tr("Undone: %1"), step))

    def _redo(self) -> None:
        stack = self.context.undo_stack
        if stack.canRedo():
            step = stack.redoText()
            stack.redo()
            self.status.message(_said(self.tr("Redone: %1"), step))

    def _undo_text_changed(self, text: str) -> None:
        self._steps["undo"] = text
        self.undo_action.setText(_step(self.tr("Undo"), text))

    def _redo_text_changed(self, text: str) -> None:
        self._steps["redo"] = text
        self.redo_action.setText(_step(self.tr("Redo"), text))

    def retranslate(self) -> None:
        """Menus, actions, toolbar and title in the installed language; nothing else changes."""
        self.context.retranslate_undo_steps()
        stack = self.context.undo_stack
        if shiboken6.isValid(stack):
            self._steps = {"undo": stack.undoText(), "redo": stack.redoText()}
        for target, text in self._texts:
            _set_text(target, text())
        self._retitle()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and self.context.secret_is_refused):
            self._pick_up_stored_secret()

    def _pick_up_stored_secret(self) -> None:
        """While WeCom refuses the app secret, a secret stored meanwhile from the command line
        is looked for when the window is back in front or the refused work was tried again."""
        from desktop.ui.connection_dialog import pick_up_stored_secret

        pick_up_stored_secret(self.context, self, self._connection_saved)

    def open_filter_syntax(self) -> FilterSyntaxDialog:
        """The filter examples: one window, brought to the front when already open."""
        if self._syntax is None:
            self._syntax = FilterSyntaxDialog(self)
        _present(self._syntax)
        return self._syntax

    def _show_about(self) -> None:
        QMessageBox.about(self, self.tr("About TagDesk"), self.about_text())

    def about_text(self) -> str:
        """The About box: the version, and where this profile's data and log are (what
        support asks for first)."""
        log_file = current_log_file()
        lines = [
            self.tr("TagDesk %1 — WeCom customer tagging and auditing.").replace("%1", __version__),
            self.tr("Data folder: %1").replace("%1", str(self.context.workspace.home)),
            self.tr("Log file: %1").replace("%1", str(log_file) if log_file else self.tr("none")),
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}",
        ]
        return "<br>".join(html.escape(line) for line in lines)

    def _retitle(self) -> None:
        name = self.context.workspace.profile.name
        self.setWindowTitle(self.tr("TagDesk — %1").replace("%1", name))

    def _first_rows_shown(self) -> None:
        """Work that waited for the first rows may start: the filters' warming, then once
        `firstRowsShown` (a refresh at start)."""
        self.context.release_cold_warming()
        if not self._rows_shown:
            self._rows_shown = True
            self.firstRowsShown.emit()

    def _show_last_sync(self) -> None:
        value = self.context.cache.get_meta(LAST_SYNC_KEY)
        self.status.set_last_sync(float(value) if value else None)

    # -- persistence --------------------------------------------------------------

    def _restore_filter(self) -> None:
        """Open on the filter the window showed when it last closed, in the first query."""
        last = self.settings.last_filter(self.context.workspace.profile.name)
        self._restored_filter = last or None
        self.filter_bar.restore(last)
        self.model.set_filter(last)

    def _restore_layout(self) -> None:
        settings = self.settings
        if (geometry := settings.state(KEY_GEOMETRY)) is not None:
            self.restoreGeometry(geometry)
        if (state := settings.state(KEY_WINDOW_STATE)) is not None:
            self.restoreState(state)
        if (splitter := settings.state(KEY_SPLITTER)) is not None:
            self.splitter.restoreState(splitter)
        if (header := settings.state(KEY_TABLE_HEADER)) is not None:
            self.table.restore_header(header)
        else:
            self._hide_sparse_columns()
        column, descending = settings.sort
        key = SORT_KEYS.get(Column(column)) if column in list(Column) else None
        if key is not None:
            self.table.show_sort(column, descending)
            self.model.set_sort(key, descending, run=False)

    def fit_to_screen(self) -> None:
        """Shrink and move the window, frame included, inside its screen's free area: the
        default size, or one kept on a bigger screen, can be larger than a small or scaled
        screen (at 200 % a 1,600 × 1,000 screen is 800 × 500), which would leave the status
        bar and the detail pane off the screen."""
        area = self.screen().availableGeometry()
        frame = self.frameGeometry()
        border = frame.size() - self.size()
        self._fit_when_framed = border.isNull()
        size = self.size().boundedTo(area.size() - border).expandedTo(self.minimumSizeHint())
        if size != self.size():
            self.resize(size)
            frame = self.frameGeometry()
        x = max(area.left(), min(frame.x(), area.right() + 1 - frame.width()))
        y = max(area.top(), min(frame.y(), area.bottom() + 1 - frame.height()))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def event(self, event: QEvent) -> bool:
        """Fit to the screen again once the window manager has framed the window: on X11
        the frame comes after `show()`, so the first fit took none, and a window as tall as
        a 768 px screen left its title bar's height, the status bar, below it."""
        handled = super().event(event)
        if (self._fit_when_framed and event.type() in (QEvent.Type.Move, QEvent.Type.Show)
                and self.frameGeometry().size() != self.size()):
            self.fit_to_screen()
        return handled

    def _hide_sparse_columns(self) -> None:
        """First start: hide the optional columns this corp hardly fills (the header menu
        brings them back), so the tags fit at the default window size."""
        model = self.model
        self.context.run_task(lambda _p, _c: model.sparse_columns(), owner=self.table,
                              name="sparse columns", on_result=self.table.hide_columns)

    def save_layout(self) -> None:
        settings = self.settings
        settings.set_state(KEY_GEOMETRY, self.saveGeometry())
        settings.set_state(KEY_WINDOW_STATE, self.saveState())
        settings.set_state(KEY_SPLITTER, self.splitter.saveState())
        settings.set_state(KEY_TABLE_HEADER, self.table.horizontalHeader().saveState())
        self._save_sort()
        settings.sync()     # the last filter is kept as each query finishes

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.governance is not None:
            self.governance.stop()      # its wait on the journal push ends with the window
        if self.team_settings is not None:
            self.team_settings.stop()   # a closed window asks the team server nothing more
        super().closeEvent(event)


def _make_tool_window(window: QWidget) -> None:
    """A separate top-level window (kept when closed, so reopening keeps its state and
    where it was put) that Esc and Ctrl+W (plus the platform's own Close keys) close, first
    shown centred on the main window. The widget the window chose to start with the focus
    keeps it (a new window flag re-parents it, which drops it). In a window that is no
    dialog, Enter presses the focused button too (Qt leaves that to dialogs)."""
    focused = window.focusWidget()
    window.setWindowFlag(Qt.WindowType.Window)
    if focused is not None:
        focused.setFocus()
    _centre_on_parent(window)
    if not isinstance(window, QDialog):     # Enter presses the focused button, as in a dialog
        for button in window.findChildren(QPushButton):
            button.setAutoDefault(True)
    keys: dict[str, QKeySequence] = {}
    for sequence in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W"),
                     *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)):
        keys.setdefault(sequence.toString(), sequence)    # a key twice would be ambiguous
    close = QAction(window)
    close.setShortcuts(list(keys.values()))
    close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    close.triggered.connect(lambda: _close_unless_popup(window))
    window.addAction(close)


def _close_unless_popup(window: QWidget) -> None:
    """Esc closes an open list first (a completion list keeps the keyboard in its box, so
    the window's Esc reached the window: putting away the operator box's people closed the
    audit log), then the window."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.hide()
        return
    window.close()


def _centre_on_parent(window: QWidget) -> None:
    """Place the window over the middle of its parent, inside the parent's screen (the
    window manager put tool windows in a corner), its title bar and borders included: they
    are taken to be the parent's, as the window has none before it is shown. A window taller
    or wider than the screen shrinks to fit (the review window's 720 px and its title bar
    left its last buttons below a 768 px screen)."""
    parent = window.parentWidget()
    if parent is None:
        return
    size = window.size() if window.testAttribute(Qt.WidgetAttribute.WA_Resized) \
        else window.sizeHint()
    border = parent.frameGeometry().size() - parent.size()
    screen = parent.screen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None:
        fitted = size.boundedTo(room.size() - border).expandedTo(window.minimumSizeHint())
        if fitted != size:
            window.resize(fitted)
            size = fitted
    placed = QRect(QPoint(0, 0), size + border)
    placed.moveCenter(parent.frameGeometry().center())
    if room is not None:
        placed.moveLeft(max(room.left(), min(placed.left(), room.right() + 1 - placed.width())))
        placed.moveTop(max(room.top(), min(placed.top(), room.bottom() + 1 - placed.height())))
    window.move(placed.topLeft())


def _present(window: QWidget) -> None:
    """Show the window, un-minimise it and bring it to the front."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
