"""Open and save dialogs in TagDesk's language.

A platform dialog speaks the system's language, so a Chinese TagDesk on an English
desktop showed an English file dialog. When the two differ, Qt's own dialog is used:
it is translated by the `qtbase` catalogue that `i18n` installs with TagDesk's own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui.i18n import is_english


def _system_matches_ui() -> bool:
    english = QLocale.system().language() == QLocale.Language.English
    chinese = QLocale.system().language() == QLocale.Language.Chinese
    return english if is_english() else chinese


def file_dialog(parent: QWidget | None, title: str, name_filter: str, *, save: bool,
                suggested: str = "") -> QFileDialog:
    """A dialog to choose one file to save (or an existing one to open)."""
    dialog = QFileDialog(parent, title, suggested, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save
                         else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save
                       else QFileDialog.FileMode.ExistingFile)
    if not _system_matches_ui():
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def ask_path(parent: QWidget | None, title: str, name_filter: str, *, save: bool,
             suggested: str = "") -> Path | None:
    """The chosen file, or None when the user cancelled."""
    dialog = file_dialog(parent, title, name_filter, save=save, suggested=suggested)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return Path(dialog.selectedFiles()[0])
