"""Importing behaviour events into a real cache file: JSONL and CSV (Chinese headers, GB18030),
re-imports stored once, and every kind of bad line named by its number with nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from desktop.services.event_import import EventImportError, import_events
from desktop.store import events
from desktop.store.db import Cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(tmp_path / "cache.sqlite") as opened:
        yield opened


def _event(kind: str = "order_paid", when: str = "2026-12-01 09:30",
           customer: str = "wmCUSTOMER1", **more: object) -> dict[str, object]:
    return {"time": when, "external_userid": customer, "userid": "zhangsan", "type": kind,
            **more}


def _jsonl(path: Path, *records: object) -> Path:
    path.write_bytes(b"\n".join(r if isinstance(r, bytes) else json.dumps(
        r, ensure_ascii=False).encode() for r in records) + b"\n")
    return path


def test_jsonl_events_are_stored_once_with_local_time_and_counted_per_type(
        cache: Cache, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "events.jsonl",
                  _event(name="年度会员", value=1999),
                  _event("content_viewed", "2026-12-02 10:00", detail="价格页"),
                  _event("content_viewed", "2026-12-02 11:00", customer="wmCUSTOMER2"))
    first = import_events(cache, path)
    assert (first.status, first.valid, first.imported) == ("imported", 3, 3)
    assert first.per_type == {"content_viewed": 2, "order_paid": 1}
    again = import_events(cache, path)
    assert (again.imported, again.duplicates) == (0, 3)
    [(paid, source)] = events.listed(cache, kind="order_paid")
    assert paid.ts == datetime(2026, 12, 1, 9, 30).timestamp()
    assert (paid.name, paid.value, paid.userid, source) == ("年度会员", 1999.0, "zhangsan", "file")
    days = events.per_type_per_day(cache)
    assert [(d.day, d.type, d.events) for d in days] == [
        ("2026-12-02", "content_viewed", 2), ("2026-12-01", "order_paid", 1)]


def test_every_bad_line_is_named_and_nothing_is_stored_unless_skipped(
        cache: Cache, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "bad.jsonl",
                  _event(),
                  b"{not json",
                  json.dumps({"time": "2026-12-01 09:30", "type": "order_paid"}).encode(),
                  json.dumps(_event(when="yesterday-ish")).encode(),
                  json.dumps(_event(customer="138 0013 8000")).encode(),
                  b"\xff\xfe\x00junk\x81",
                  json.dumps(_event(detail="x" * 70_000)).encode(),
                  json.dumps(_event(value="a lot")).encode(),
                  _event("form_submitted", customer="wmCUSTOMER9"))
    refused = import_events(cache, path)
    assert refused.status == "invalid" and events.count(cache) == 0
    by_line = {p.line: p.problem_en for p in refused.problems}
    assert by_line[2].startswith("not valid JSON")
    assert by_line[3] == "missing field external_userid"
    assert by_line[4].startswith("unreadable time")
    assert "is a phone number" in by_line[5]
    assert by_line[6].startswith("not UTF-8 text")
    assert by_line[7].startswith("line too long")
    assert by_line[8].startswith("value must be a number")
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 8]
    assert "第 5 行" in refused.problems[3].text
    skipped = import_events(cache, path, skip_invalid=True)
    assert (skipped.status, skipped.imported) == ("imported", 2)
    assert events.count(cache) == 2


def test_csv_with_chinese_headers_in_gb18030_is_read(cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes("时间,客户,员工,事件类型,名称,金额\n"
                     "2026-12-01 09:30,wmA,zhangsan,order_paid,年度会员,\"1,999\"\n"
                     "2026/12/03 10:00,wmB,,course_attended,入门直播课,\n"
                     "2026-12-03,wmC,lisi,,缺类型,\n".encode("gb18030"))
    result = import_events(cache, path, skip_invalid=True)
    assert (result.valid, result.imported) == (2, 2)
    assert [(p.line, p.problem_en) for p in result.problems] == [(4, "missing field type")]
    stored = {e.external_userid: e for e, _ in events.listed(cache)}
    assert stored["wmA"].value == 1999.0 and stored["wmB"].userid == ""
    assert stored["wmB"].name == "入门直播课"


def test_a_file_that_cannot_be_read_gets_one_sentence(cache: Cache, tmp_path: Path) -> None:
    with pytest.raises(EventImportError, match=r"must be \.csv or \.jsonl"):
        import_events(cache, tmp_path / "events.xlsx")
    no_header = tmp_path / "plain.csv"
    no_header.write_text("wmA,order_paid\n", encoding="utf-8")
    with pytest.raises(EventImportError, match="missing: time, external_userid, type"):
        import_events(cache, no_header)


def test_events_are_read_per_customer_in_one_query(cache: Cache, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "e.jsonl", _event(), _event("content_viewed"),
                  _event("order_paid", "2026-12-03 08:00"), _event(customer="wmB"))
    import_events(cache, path)
    found = events.by_customer(cache, ["order_paid"])
    assert sorted(found) == ["wmB", "wmCUSTOMER1"]
    assert [e.ts for e in found["wmCUSTOMER1"]] == sorted(e.ts for e in found["wmCUSTOMER1"])
    assert len(found["wmCUSTOMER1"]) == 2
    assert len(events.by_customer(cache, None)["wmCUSTOMER1"]) == 3


def test_csv_lines_with_binary_junk_or_an_oversized_field_are_named_and_the_rest_read(
        cache: Cache, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"time,external_userid,type,detail\n"
                     b"2026-12-01 09:30,wmA,order_paid,ok\n"
                     b"2026-12-01 09:31,wmB,order_paid,\xff\xfe\x00\x81junk\n"
                     b"2026-12-01 09:32,wmC,order_paid," + b"x" * 200_000 + b"\n"
                     b"2026-12-01 09:33,wmD\x00,order_paid,\n"
                     b"2026-12-01 09:34,wmE,content_viewed,fine\n")
    result = import_events(cache, path, skip_invalid=True)
    assert [p.line for p in result.problems] == [3, 4, 5]
    assert "binary content" in result.problems[0].problem_en
    assert result.problems[1].problem_en.startswith("line too long")
    assert result.problems[2].problem_en.startswith("external_userid is not a valid id")
    assert sorted(e.external_userid for e, _ in events.listed(cache)) == ["wmA", "wmE"]
