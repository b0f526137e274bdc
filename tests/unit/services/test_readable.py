"""Every expected failure reads as a sentence in both languages, in the CLI and the GUI alike."""

from __future__ import annotations

import argparse
import errno
import sqlite3
from pathlib import Path

import pytest

from desktop.cli.errors import EXIT_ERROR, UsageError, run_guarded
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.filter import parse
from desktop.domain.retag_plan import PlanError
from desktop.domain.tag_order import ReorderError
from desktop.sandbox import SandboxDataError
from desktop.services.audit import RevertError, TimeSpecError
from desktop.services.errors import bilingual, readable
from desktop.services.exclusive_sets import ExclusiveSetError
from desktop.services.profiles import ProfileError
from desktop.services.progress import OperationCancelled
from desktop.services.secrets import SecretMissing, SecretStoreUnavailable
from desktop.services.spreadsheet_import import NothingToImport
from desktop.services.spreadsheet_reader import SpreadsheetFileError
from desktop.services.tag_admin import TagAdminError
from desktop.services.tagging import BatchNotFoundError, TaggingError, UnknownTagError
from desktop.services.xlsx_safe import ExportError
from desktop.store.errors import CacheError, CacheLockedError
from desktop.wecom.errors import CallCancelled, NetworkReason, WeComError, WeComNetworkError

INTERNAL = ("internal", "内部")


def _filter_error() -> BaseException:
    with pytest.raises(UserError) as caught:
        parse("(高意向")
    return caught.value


EXPECTED: list[BaseException] = [
    ProfileError("没有配置 x。 / No profile x."),
    SecretMissing("acme"),
    SecretStoreUnavailable("fail.Keyring"),
    CacheError("缓存坏了。 / The cache is broken."),
    CacheLockedError(Path("/tmp/cache.sqlite"), "pid 1"),
    WeComError(40014, "invalid access_token", "externalcontact/list"),
    WeComNetworkError("qyapi.weixin.qq.com", "gettoken", NetworkReason.TIMEOUT, attempts=5),
    _filter_error(),
    TaggingError("不能这样做。 / Cannot do that."),
    UnknownTagError("VIPX", ["VIP"]),
    BatchNotFoundError("b-1"),
    ExclusiveSetError("请给互斥标签组起个名字。 / Give the exclusive set a name."),
    TagAdminError("名称太长。", "The name is too long."),
    RevertError("没有可回滚的修改。 / Nothing to revert."),
    TimeSpecError("不是时间。 / Not a time."),
    SpreadsheetFileError("empty", "表格是空的。", "The sheet is empty.", "请填写。", "Fill it in."),
    NothingToImport(),
    ExportError("无法导出。 / Cannot export."),
    SandboxDataError("文件夹不可用。 / The folder cannot be used."),
    OperationCancelled(),
    CallCancelled(),
    PlanError("计划为空。 / The plan is empty."),
    ReorderError("不能移到这里。", "Cannot move it here."),
    UsageError("参数不对。 / Bad argument."),
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.DatabaseError("database disk image is malformed"),
    OSError(errno.ENOSPC, "No space left on device", "/data/tagdesk.log"),
    OSError(errno.EROFS, "Read-only file system", "/data/profiles.json"),
]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("exc", EXPECTED, ids=lambda exc: type(exc).__name__)
def test_each_expected_failure_is_one_sentence_per_language(exc: BaseException) -> None:
    zh, en = readable(exc, english=False), readable(exc, english=True)
    assert _has_cjk(zh) and not any(word in zh for word in INTERNAL)
    assert not _has_cjk(en) and "internal" not in en.lower()
    assert " / " not in en


@pytest.mark.parametrize("exc", EXPECTED, ids=lambda exc: type(exc).__name__)
def test_the_cli_prints_the_sentence_not_internal_error(
    exc: BaseException, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(_: argparse.Namespace) -> int:
        raise exc

    args = argparse.Namespace(home=str(tmp_path), debug=False)
    assert run_guarded(args, handler) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err == f"tagdesk: {bilingual(exc)}\n"
    assert "internal" not in err.lower()


def test_a_bug_points_at_the_log_in_both_languages() -> None:
    bug = KeyError("row")
    assert "Something went wrong inside TagDesk" in readable(bug, english=True)
    assert "内部出错" in readable(bug, english=False)
    assert readable(sqlite3.IntegrityError("UNIQUE constraint failed"), english=True).startswith(
        "Something went wrong")


def test_a_combined_message_is_split_into_its_halves() -> None:
    error = UserError("中文句子。 / An English sentence.")
    assert (error.text(False), error.text(True)) == ("中文句子。", "An English sentence.")
    assert str(error) == "中文句子。 / An English sentence."


def test_echo_escapes_terminal_sequences_and_cuts_long_input() -> None:
    assert echo("\x1b]0;pwned\x07VIP") == "\\x1b]0;pwned\\x07VIP"
    assert echo("a\udcffb") == "a\\udcffb"
    assert echo("\x1b" + "x" * 300).startswith("\\x1b" + "x" * 199 + "…")
    assert echo("高意向") == "高意向"
