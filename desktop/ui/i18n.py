"""Qt Linguist translations: Chinese by default, English on request or by system locale.

Source strings in the code are English (`self.tr("Sync now")`);
`resources/translations/tagdesk_zh_CN.qm` carries the Chinese. Qt's own
`qtbase_<lang>` catalogue is loaded too, so standard dialogs and buttons match, and
`qt_extra_<lang>` after it for the few file-dialog strings qtbase leaves in English.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.domain.bilingual import CHINESE, ENGLISH, shown
from desktop.domain.bilingual import choose_language as choose_for_locale
from desktop.resources import resources_dir

_current = CHINESE
_catalogues = 0     # counts every change of the installed catalogues

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
QT_DATETIME_FORMAT = "yyyy-MM-dd HH:mm"
"""One way to write a moment everywhere in the window, in both languages (ISO order)."""


def date_text(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime(DATE_FORMAT)


def datetime_text(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime(DATETIME_FORMAT)


def catalogues() -> int:
    """Changes with every install or removal of catalogues: a widget that already
    retranslated for the current value need not do it again."""
    return _catalogues


def is_english() -> bool:
    """Whether the installed UI language is English (bilingual messages pick their half)."""
    return _current == ENGLISH


def colon() -> str:
    """A label's colon as the language writes it: 批次：… / Batch: …"""
    return ": " if is_english() else "："


def list_text(items: Iterable[str]) -> str:
    """Names in a row as the language writes them: 张三、李四 / Zhang San, Li Si."""
    return (", " if is_english() else "、").join(items)


def sentences(*parts: str) -> str:
    """Sentences one after another as the language writes them: 。未保存 / . Nothing."""
    return (" " if is_english() else "").join(parts)


def in_ui_language(text: str) -> str:
    """The half of a stored "中文 / English" text (a batch's description, a journal reason)
    for the UI language, older "规则 rule: …" forms too, as shown on its own
    (`bilingual.shown`)."""
    return shown(text, is_english())


def choose_language(saved: str, locale: QLocale | None = None) -> str:
    """The saved choice, else English on an English system, else Chinese (the default)."""
    return choose_for_locale(saved, (locale or QLocale.system()).name())


class Translations:
    """Owns the installed translators, so switching language removes the previous ones."""

    def __init__(self, directory: Path | None = None) -> None:
        self._installed: list[QTranslator] = []
        self._catalogue_bytes: list[bytes] = []
        self._directory = directory or resources_dir() / "translations"
        self.language = CHINESE

    def uninstall(self) -> None:
        """Back to the state before any install: no catalogues, the English source strings."""
        global _current, _catalogues
        app = QCoreApplication.instance()
        for translator in self._installed:
            if app is not None:
                app.removeTranslator(translator)
        self._installed.clear()
        self._catalogue_bytes.clear()
        self.language = _current = CHINESE
        _catalogues += 1

    def install(self, language: str) -> bool:
        """Install `language`'s catalogues; False when TagDesk's own file is missing."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before loading translations")
        global _current, _catalogues
        self.uninstall()
        self.language = _current = language
        qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        loaded = self._install_file(app, self._directory / f"tagdesk_{language}.qm")
        self._install_file(app, qt_dir / f"qtbase_{language}.qm")
        # what qtbase leaves untranslated in the file dialog
        self._install_file(app, self._directory / f"qt_extra_{language}.qm")
        _catalogues += 1
        return loaded

    def _install_file(self, app: QCoreApplication, path: Path) -> bool:
        """Install a catalogue read into memory: Qt would map the file, and an update
        rewriting it in place while the app runs would then pull the text out from under
        every tr() (untranslated windows, or a crash)."""
        try:
            data = path.read_bytes()
        except OSError:
            return False
        translator = QTranslator(app)
        if not translator.load(data, str(path.parent)):
            return False
        self._catalogue_bytes.append(data)      # Qt reads these bytes, it does not copy them
        app.installTranslator(translator)
        self._installed.append(translator)
        return True
