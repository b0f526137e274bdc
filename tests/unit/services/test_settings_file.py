"""The Qt-free reader and writer of tagdesk.ini and QSettings read each other's files."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QLockFile, QSettings

from desktop.services.settings_file import SettingsFile, _locked

VALUES = {
    "prefs/language": "en",
    "settings_version": "1",
    "profile.acme/saved_filters": '[["北京 VIP", "客户阶段:已成交 and \\"x\\""]]',
    "profile.客户 A/recent_filters": '["a, b", "c;d=e"]',
    "profile.acme/last_filter": " starts and ends with a space ",
    "profile.acme/at": "@starts with an at",
    "profile.acme/controls": "line1\nline2\ttab\x01after\x00f\\back",
    "profile.acme/plain": "tag:北京 | 上海",
    "profile.acme/empty": "",
    "profile.😀/emoji": "😀",
    "group/sub/key with space": "deep",
}


def test_a_file_written_by_qsettings_reads_the_same_without_qt(tmp_path: Path) -> None:
    path = tmp_path / "tagdesk.ini"
    written = QSettings(str(path), QSettings.Format.IniFormat)
    for key, text in VALUES.items():
        written.setValue(key, text)
    written.setValue("state/geometry", QByteArray(b"\x01\x02abc\xff"))
    written.sync()
    read = SettingsFile(path)
    assert {key: read.value(key) for key in VALUES} == VALUES
    assert read.value("state/geometry", "none") == "none"       # bytes are not a string
    assert read.value("prefs/missing", "none") == "none"


def test_a_file_written_without_qt_reads_the_same_in_qsettings_and_keeps_its_other_lines(
        tmp_path: Path) -> None:
    path = tmp_path / "tagdesk.ini"
    first = QSettings(str(path), QSettings.Format.IniFormat)
    first.setValue("state/geometry", QByteArray(b"\x01\x02abc\xff"))
    first.setValue("prefs/language", "zh_CN")
    first.setValue("profile.acme/saved_filters", "[]")
    first.sync()
    del first
    SettingsFile(path).update(VALUES)
    read = QSettings(str(path), QSettings.Format.IniFormat)
    assert {key: read.value(key) for key in VALUES} == VALUES
    assert read.value("state/geometry") == QByteArray(b"\x01\x02abc\xff")
    assert SettingsFile(path).value("prefs/language") == "en"   # replaced, not repeated
    assert path.read_text(encoding="utf-8").count("language=") == 1


@pytest.mark.parametrize("raw", ["", "[prefs\nlanguage", "\xff\xfe"])
def test_an_unreadable_file_reads_as_empty(tmp_path: Path, raw: str) -> None:
    path = tmp_path / "tagdesk.ini"
    path.write_text(raw, encoding="latin-1")
    assert SettingsFile(path).value("prefs/language", "none") == "none"


def test_a_write_waits_while_qsettings_holds_the_files_lock(tmp_path: Path) -> None:
    path = tmp_path / "tagdesk.ini"
    held = QLockFile(str(path) + ".lock")
    assert held.tryLock(0)
    writer = threading.Thread(target=SettingsFile(path).update, args=({"prefs/language": "en"},))
    writer.start()
    writer.join(0.5)
    assert writer.is_alive() and not path.exists()
    held.unlock()
    writer.join(10)
    assert not writer.is_alive() and SettingsFile(path).value("prefs/language") == "en"
    assert not (tmp_path / "tagdesk.ini.lock").exists()


def test_qt_sees_the_lock_this_writer_holds_as_taken(tmp_path: Path) -> None:
    path = tmp_path / "tagdesk.ini"
    qt_lock = QLockFile(str(path) + ".lock")
    with _locked(path):
        assert not qt_lock.tryLock(200)          # neither free nor taken for a stale one
    assert qt_lock.tryLock(0)
    qt_lock.unlock()
