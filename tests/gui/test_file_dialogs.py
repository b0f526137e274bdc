"""File dialogs open where the user's files are, never in the working directory (for an
installed TagDesk started from its icon, the program's own folder), and a bare file name
typed in a field goes to the same place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop.ui import file_dialogs
from desktop.ui.file_dialogs import ask_path, file_dialog, start_folder, typed_path

pytestmark = pytest.mark.gui


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with a Documents folder, started from a program folder; no file chosen yet."""
    home, program = tmp_path / "home", tmp_path / "Program Files" / "TagDesk"
    (home / "Documents").mkdir(parents=True)
    program.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.chdir(program)
    monkeypatch.setattr(file_dialogs, "_last_folder", [])
    return home / "Documents"


def test_a_dialog_opens_in_the_documents_and_then_where_the_last_file_was(
        qtbot: Any, documents: Path, tmp_path: Path) -> None:
    dialog = file_dialog(None, "Export", "Excel (*.xlsx)", save=True, suggested="audit.xlsx")
    assert Path(dialog.directory().absolutePath()) == documents
    assert typed_path("客户") == documents / "客户"
    assert typed_path(str(tmp_path / "a.xlsx")) == tmp_path / "a.xlsx"
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()

    def choose() -> None:
        shown = QApplication.activeModalWidget()
        assert isinstance(shown, QFileDialog)
        shown.setDirectory(str(elsewhere))     # the user goes to another folder
        shown.accept()

    QTimer.singleShot(200, choose)
    assert ask_path(None, "Export", "Excel (*.xlsx)", save=True,
                    suggested="week.xlsx") == elsewhere / "week.xlsx"
    assert start_folder() == elsewhere
    assert typed_path("客户.xlsx") == elsewhere / "客户.xlsx"
