"""Import benchmark: validate a 10,000-row sheet against a synced cache of 20,000 customers.

The sheet mixes what real files hold: valid rows for every owner or one owner, several tags
per cell, some unknown tags, phone numbers, names, duplicates. Reports reading, checking and
planning time for a clean sheet and a messy one, and the export of the same relations.
Prints numbers; asserts nothing about time.

Usage: .venv/bin/python tests/bench/bench_import.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile
from desktop.services.spreadsheet_export import export_relations
from desktop.services.spreadsheet_import import SpreadsheetImporter
from desktop.services.spreadsheet_reader import read_import_sheet
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace
from desktop.store import outbox

TAGS = ["高意向", "VIP", "已发货", "客户阶段:已报价", "复购:二次复购", "抖音", "待回访"]


def write_sheet(path: Path, relations: list[tuple[str, str]], rows: int, messy: bool) -> None:
    rng = random.Random(5)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入 Import")
    sheet.append(["external_userid", "owner_userid", "add_tags", "remove_tags"])
    for index in range(rows):
        userid, external_userid = relations[index % len(relations)]
        add = "、".join(rng.sample(TAGS, 2))
        remove = "低意向" if index % 3 == 0 else ""
        owner = userid if index % 2 else ""
        if messy and index % 10 == 1:
            external_userid = f"138{rng.randrange(10**8):08d}"
        elif messy and index % 10 == 2:
            add += "、高意象"
        sheet.append([external_userid, owner, add, remove])
    book.save(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    customers, rows = (3000, 2000) if args.quick else (20000, 10000)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        config = SandboxConfig(data_dir=tmp / "sb", customers=customers,
                               members=max(40, customers // 500), seed=7)
        with SandboxServer(config) as server:
            owner = sorted(server.state.relations())[0][0]
            profile = Profile("bench", server.corp_id, server.api_base, userid=owner)
            with Workspace(tmp / "home", profile, server.secret) as ws:
                started = time.perf_counter()
                run_sync(ws.client(), ws.cache)
                print(f"sync of {customers} customers: {time.perf_counter() - started:.1f} s")
                relations = sorted(server.state.relations(), key=lambda r: r[1])
                print(f"relations: {len(relations)}, tags: {len(outbox.tag_catalogue(ws.cache))}")
                for messy in (False, True):
                    path = tmp / f"import-{messy}.xlsx"
                    write_sheet(path, relations, rows, messy)
                    started = time.perf_counter()
                    table = read_import_sheet(path)
                    read_s = time.perf_counter() - started
                    report = SpreadsheetImporter(ws.cache).validate(path)
                    print(f"{'messy' if messy else 'clean'} sheet, {len(table.rows)} rows:"
                          f" read {read_s:.2f} s, read+check+plan {report.elapsed_s:.2f} s;"
                          f" {report.valid} valid, {report.invalid} invalid,"
                          f" {len(report.problems)} problems, {report.plan.api_calls} calls"
                          f" planned over {report.relations} relations")
                ids = [r[0] for r in ws.cache.connection().execute(
                    "SELECT id FROM relation ORDER BY id LIMIT ?", (rows,))]
                result = export_relations(ws.cache, ids, tmp / "export.xlsx",
                                          groups=["客户等级", "意向程度"])
                print(f"export of {result.rows} relations: {result.elapsed_s:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
