"""One opened profile in the GUI: its context, sync controller and main window.

Switching the language installs the new catalogues; Qt then sends every widget a
LanguageChange event and each one retranslates in place, so the typed filter, the
selection, scroll positions, the expanded tree and open windows all stay as they were.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from desktop.services.workspace import Workspace
from desktop.store.snapshot import LAST_SYNC_KEY
from desktop.ui.auto_resume import AutoResume
from desktop.ui.context import AppContext
from desktop.ui.i18n import Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sync_controller import SyncController, SyncHandover


class GuiSession(QObject):
    journalDamaged = Signal(object)     # the cache's journal cannot be read: no writes

    def __init__(self, workspace: Workspace, settings: Settings,
                 translations: Translations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.translations = translations
        self.context = AppContext(workspace, self)
        self.sync = SyncController(self.context, self.context)
        self.handover = SyncHandover(self.sync, workspace.cache.path, self)
        self.handover.start()
        self.auto_resume = AutoResume(self.context, self)
        self.window = self._new_window()

    @property
    def needs_sync(self) -> bool:
        return not self.context.cache.get_meta(LAST_SYNC_KEY)

    @property
    def refreshes_at_start(self) -> bool:
        """Whether a synced cache reads the tag library again once the window shows its rows,
        and on a team profile the team's changes since the last sync (the `refresh_at_start`
        setting: by default on a team profile, where others change the tag library)."""
        stamp = self.context.cache.get_meta(LAST_SYNC_KEY)
        return bool(stamp) and self.settings.refresh_at_start(
            self.workspace.profile.is_team, time.time() - float(stamp or 0))

    def show(self, fit_to_screen: bool = True) -> None:
        """Show the window, inside its screen unless `fit_to_screen` is False (a screenshot
        keeps the window's own size whatever the screen); start the first sync at once when
        the cache is empty, or a refresh of the tag library in the background once the first
        rows are painted (the first paint never waits for it; F5 reads everything), with its
        progress in the status bar as a sync's."""
        if self.refreshes_at_start:
            self.window.firstRowsShown.connect(self.sync.refresh_library)
        self.window.firstRowsShown.connect(self._check_journal)
        self.window.show()
        if fit_to_screen:
            self.window.fit_to_screen()
        self.sync.start_expiry_checks()
        if self.needs_sync:
            self.sync.start()
        self.auto_resume.check()

    def _check_journal(self) -> None:
        """Read every journal page once the first rows are painted (0.5-0.8 s at a million
        rows, which the window used to wait for); a write before it ends waits for it, and a
        damaged page refuses every write and says so through `journalDamaged`."""
        cache = self.workspace.cache
        self.context.run_task(lambda _progress, _cancel: cache.check_journal(), owner=self,
                              name="journal check", on_error=self.journalDamaged.emit)

    def switch_language(self, language: str) -> None:
        self.settings.language = language
        self.translations.install(language)
        self.window.set_language(language)

    def close(self) -> None:
        """Stop background work and release the profile (its cache lock, the demo sandbox)."""
        self.handover.stop()
        self.auto_resume.stop()
        self.sync.stop_expiry_checks()
        self.sync.cancel()
        self.context.interrupt_all()
        self.context.wait_idle()
        self.context.filter_engine.store_kept()
        self.workspace.close()

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.context, self.settings, self.sync, self.translations.language)
        window.languageRequested.connect(self.switch_language)
        self.auto_resume.stateChanged.connect(window.status.set_resume_state)
        window.status.set_resume_state(self.auto_resume.state)
        window.status.watch_rate_limit(self.workspace.transport().limiter)
        return window
