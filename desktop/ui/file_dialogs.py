"""Open and save dialogs in TagDesk's language, opening where the user's files are.

A platform dialog speaks the system's language, so a Chinese TagDesk on an English
desktop showed an English file dialog. When the two differ, Qt's own dialog is used:
it is translated by the `qtbase` catalogue that `i18n` installs with TagDesk's own.

A dialog opens in the folder of the last file chosen with the profile open (in this run or,
kept in the settings, an earlier one), else in the user's documents; a bare file name typed in a field goes there too. Never the working directory: for an installed
TagDesk started from its icon that is the program's own folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui.i18n import is_english
from desktop.ui.settings import Settings

_last_folder: list[Path] = []     # the folder of the last file chosen in a dialog
_kept_in: list[tuple[Settings, str]] = []     # the settings and profile that keep it


def keep_last_folder_in(settings: Settings, profile: str) -> None:
    """Start where the profile's last run left its dialogs, and keep each new choice there."""
    _kept_in[:] = [(settings, profile)]
    folder = settings.last_folder(profile)
    _last_folder[:] = [] if folder is None else [folder]


def start_folder() -> Path:
    """The folder of the last file chosen, else the user's documents (else home)."""
    if _last_folder and _last_folder[0].is_dir():
        return _last_folder[0]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def typed_path(text: str) -> Path:
    """A file typed in a field: `~` expanded, a bare or relative name in `start_folder()`."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else start_folder() / path


def _system_matches_ui() -> bool:
    english = QLocale.system().language() == QLocale.Language.English
    chinese = QLocale.system().language() == QLocale.Language.Chinese
    return english if is_english() else chinese


def file_dialog(parent: QWidget | None, title: str, name_filter: str, *, save: bool,
                suggested: str = "") -> QFileDialog:
    """A dialog to choose one file to save (or an existing one to open)."""
    folder = start_folder()
    dialog = QFileDialog(parent, title, str(folder / suggested if suggested else folder),
                         name_filter)
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
    chosen = Path(dialog.selectedFiles()[0])
    _last_folder[:] = [chosen.parent]
    for settings, profile in _kept_in:
        settings.set_last_folder(profile, chosen.parent)
    return chosen
