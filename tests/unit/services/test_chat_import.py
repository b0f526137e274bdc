"""Importing chat files into a real cache file: both JSONL shapes, CSV, re-imports, bad lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.services.chat_import import ChatImportError, import_chats
from desktop.store import chats
from desktop.store.db import Cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite") as opened:
        yield opened


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in records) + "\n", encoding="utf-8")
    return path


def _message(text: str, direction: str = "in", when: str = "2026-12-01 09:30",
             customer: str = "wmCUSTOMER1") -> dict[str, str]:
    return {"time": when, "userid": "zhangsan", "external_userid": customer,
            "direction": direction, "text": text}


def test_the_tagdesk_shape_is_stored_with_local_time_and_direction(
        cache: Cache, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "week.jsonl", _message("能便宜点不"),
                  _message("可以申请折扣", "out", "2026-12-01 09:31"))
    result = import_chats(cache, path)
    assert (result.status, result.valid, result.imported) == ("imported", 2, 2)
    assert result.customer_messages == 1
    stored = chats.messages(cache)
    assert [(m.text, m.direction, m.userid) for m in stored] == [("能便宜点不", "in", "zhangsan")]
    assert stored[0].ts == datetime(2026, 12, 1, 9, 30).timestamp()
    both = chats.messages(cache, directions=("in", "out"))
    assert [m.text for m in both] == ["能便宜点不", "可以申请折扣"]


def test_the_sandbox_chat_archive_export_imports_as_is(cache: Cache, sandbox: Any) -> None:
    export = sandbox.state.chat_export_path
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    result = import_chats(cache, export)
    assert result.problems == []
    assert result.imported == len(lines)
    from_customers = [m for m in lines if m["from"] == m["external_userid"]]
    stored = chats.messages(cache)
    assert len(stored) == result.customer_messages == len(from_customers)
    first = min(from_customers, key=lambda m: (m["external_userid"], m["msgtime"]))
    assert (stored[0].external_userid, stored[0].userid, stored[0].text) == (
        first["external_userid"], first["userid"], first["content"])
    assert stored[0].ts == first["msgtime"] / 1000


def test_a_real_archive_line_with_text_content_and_no_ids_finds_the_customer(
        cache: Cache, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "archive.jsonl",
                  {"msgid": "m1", "action": "send", "from": "wmABC", "tolist": ["lisi"],
                   "msgtime": 1764552600000, "msgtype": "text", "text": {"content": "寻价"}},
                  {"msgid": "m2", "from": "lisi", "tolist": ["wmABC"], "msgtime": 1764552601000,
                   "msgtype": "image", "image": {"md5sum": "x"}})
    result = import_chats(cache, path)
    assert (result.imported, result.non_text) == (1, 1)
    [message] = chats.messages(cache)
    assert (message.external_userid, message.userid, message.text) == ("wmABC", "lisi", "寻价")


def test_re_importing_an_overlapping_file_stores_each_message_once(
        cache: Cache, tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "a.jsonl", _message("太贵了"), _message("太贵了"))
    assert import_chats(cache, first).imported == 1
    second = _jsonl(tmp_path / "b.jsonl", _message("太贵了"),
                    _message("什么时候发货", when="2026-12-02 10:00"))
    result = import_chats(cache, second)
    assert (result.imported, result.duplicates) == (1, 1)
    assert chats.count(cache) == 2


def test_bad_lines_are_named_by_number_and_nothing_is_stored_unless_skipped(
        cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps(_message("要开专票"), ensure_ascii=False).encode()
    path.write_bytes(b"\n".join([
        good,
        b'{"time": "2026-12-01 09:30", "userid": "a"',                        # 2: cut off
        json.dumps(_message("x", direction="sideways")).encode(),            # 3
        b"\xff\xfe\x00binary\x9c",                                            # 4
        json.dumps(_message("y", when="yesterday")).encode(),                # 5
        json.dumps(_message("z" * 100_001)).encode(),                        # 6
        b"[" * 100_000 + b"]" * 100_000,                                     # 7: too deep
        json.dumps({**_message("q"), "external_userid": ""}).encode(),       # 8
        b"[1, 2]",                                                             # 9
        json.dumps(_message("\U0001F44D\U0001F44D")).encode(),               # 10: emoji only
        json.dumps(_message("   ")).encode(),                                 # 11: empty
        b"   ",                                                                # 12: blank
    ]) + b"\n")
    refused = import_chats(cache, path)
    assert refused.status == "invalid"
    assert [p.line for p in refused.problems] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "direction" in refused.problems[1].text
    assert "UTF-8" in refused.problems[2].problem_en
    assert "100,000" in refused.problems[4].problem_en
    assert refused.problems[5].problem_en == "JSON nested too deeply"
    assert all(" / line " in p.text for p in refused.problems)
    assert chats.count(cache) == 0
    skipped = import_chats(cache, path, skip_invalid=True)
    assert (skipped.status, skipped.imported, skipped.empty) == ("imported", 2, 1)
    assert sorted(m.text for m in chats.messages(cache)) == ["要开专票", "\U0001F44D\U0001F44D"]


def test_csv_with_a_header_in_utf8_or_gb18030(cache: Cache, tmp_path: Path) -> None:
    rows = ("time,userid,external_userid,direction,text\n"
            "2026-12-01 09:30,zhangsan,wmA,in,\"能便宜点不, 预算不太够\"\n"
            "1764552600,zhangsan,wmB,customer,想约个时间到店\n"
            "2026-12-01 09:32,zhangsan,wmB,out\n")
    utf8 = tmp_path / "chats.csv"
    utf8.write_text(rows, encoding="utf-8-sig")
    result = import_chats(cache, utf8)
    assert [(p.line, p.problem_en) for p in result.problems] == [
        (4, "fewer fields than the header")]
    result = import_chats(cache, utf8, skip_invalid=True)
    assert result.imported == 2
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes(rows.replace("wmA", "wmC").encode("gb18030"))
    assert import_chats(cache, gbk, skip_invalid=True).imported == 1
    texts = {m.external_userid: m.text for m in chats.messages(cache)}
    assert texts == {"wmA": "能便宜点不, 预算不太够", "wmB": "想约个时间到店",
                     "wmC": "能便宜点不, 预算不太够"}


def test_csv_with_chinese_column_names_as_excel_users_write_them(
        cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "本周聊天.csv"
    path.write_bytes(("时间,成员ID,客户ID,方向,内容\n"
                      "2026-12-01 09:30,zhangsan,wmA,客户,能便宜点不\n"
                      "2026-12-01 09:31,zhangsan,wmA,成员,可以申请折扣\n").encode("gb18030"))
    result = import_chats(cache, path)
    assert (result.status, result.imported, result.customer_messages) == ("imported", 2, 1)
    stored = chats.messages(cache, directions=chats.DIRECTIONS)
    assert {(m.direction, m.text) for m in stored} == {
        (chats.CUSTOMER_SENT, "能便宜点不"), (chats.MEMBER_SENT, "可以申请折扣")}
    names = tmp_path / "names.csv"            # 客户 alone may be a name: not taken for an id
    names.write_text("时间,成员,客户,方向,内容\n2026-12-01 09:30,张三,李四,客户,hi\n",
                     encoding="utf-8")
    with pytest.raises(ChatImportError, match="或 时间、成员ID、客户ID、方向、内容"):
        import_chats(cache, names)


def test_files_that_cannot_be_read_are_one_sentence(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(ChatImportError, match=r"must be \.jsonl or \.csv"):
        import_chats(cache, tmp_path / "chats.xlsx")
    with pytest.raises(ChatImportError, match="No such file"):
        import_chats(cache, tmp_path / "missing.jsonl")
    headless = tmp_path / "headless.csv"
    headless.write_text("2026-12-01,zhangsan,wmA,in,hi\n", encoding="utf-8")
    with pytest.raises(ChatImportError, match="missing: time, userid"):
        import_chats(cache, headless)
