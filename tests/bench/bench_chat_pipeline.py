"""Auto-tagging pipeline benchmark: import a week of chats, re-import it, simulate ten tags, plan.

A synced sandbox corp (20,000 customers; --quick 2,000) gets its chat-archive export and a
generated week of chats (50,000 lines; --quick 5,000) between its members and customers: the
sandbox's sales lines, a third of them with something added so they are not all repeats, and
the usual "好的 / 收到 / 👍". Reports import and re-import rates, the simulation's time per
message with ten keyword tags, and planning the accepted suggestions into one batch (not run:
bench_outbox measures sending). Prints numbers; asserts nothing about time.

Usage: .venv/bin/python tests/bench/bench_chat_pipeline.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from desktop.sandbox import SandboxConfig, SandboxServer, corpus
from desktop.services.autotag_simulation import AutoTagService
from desktop.services.chat_import import import_chats
from desktop.services.profiles import Profile
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace

KEYWORDS = {
    "意向程度:高意向": ["报价单", "采购", "合同", "下单"],
    "OPS-售后:需上门": ["上门", "来一趟", "到现场"],
    "OPS-售后:投诉处理中": ["没解决", "登录不上", "投诉"],
    "产品兴趣:企业版": ["企业版", "旗舰版", "多门店"],
    "客户阶段:已报价": ["报价", "价格表", "多少钱"],
    "OPS-服务:已开票": ["专票", "发票", "开票"],
    "OPS-服务:续费提醒": ["续费", "到期", "续约"],
    "客户等级:流失预警": ["太贵", "超出预算", "不值"],
    "产品兴趣:API对接": ["接口", "API", "对接"],
    "产品兴趣:私有化部署": ["私有化", "本地部署", "内网"],
}
EXTRAS = ("，麻烦尽快", "，我们老板也在问", "，下周要定", " 谢谢", "，在吗")


def write_week(path: Path, relations: list[tuple[str, str]], lines: int, start: float) -> None:
    rng = random.Random(11)
    pools = [line for pool in corpus.CHAT_CUSTOMER_LINES.values() for line in pool]
    with path.open("w", encoding="utf-8") as out:
        for index in range(lines):
            userid, external_userid = rng.choice(relations)
            customer = rng.random() < 0.55
            text = rng.choice(pools) if customer else rng.choice(corpus.CHAT_MEMBER_LINES[1:])
            if rng.random() < 0.33:
                text += rng.choice(EXTRAS) + f" #{index}"
            record = {"time": start + index * 604_800 / lines, "userid": userid,
                      "external_userid": external_userid,
                      "direction": "in" if customer else "out", "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    customers, week_lines = (2_000, 5_000) if args.quick else (20_000, 50_000)
    with tempfile.TemporaryDirectory(prefix="tagdesk-bench-chats-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with SandboxServer(SandboxConfig(data_dir=root / "corp", customers=customers,
                                         members=40, seed=7)) as sandbox:
            owner = sorted(sandbox.state.relations())[0][0]
            profile = Profile(name="bench", corp_id=sandbox.corp_id, api_base=sandbox.api_base,
                              userid=owner)
            with Workspace(root / "home", profile, sandbox.secret) as ws:
                run_sync(ws.client(), ws.cache)
                print(f"corp of {customers:,} customers generated and synced in"
                      f" {time.perf_counter() - started:.1f} s")
                relations = sandbox.state.relations()
                week = root / "week.jsonl"
                write_week(week, relations, week_lines, time.time() - 604_800)
                for label, path in (("chat-archive export", sandbox.state.chat_export_path),
                                    ("generated week", week)):
                    for attempt in ("import", "re-import"):
                        result = import_chats(ws.cache, path)
                        rate = result.lines / max(result.elapsed_s, 1e-9)
                        print(f"{attempt} {label}: {result.lines:,} lines in"
                              f" {result.elapsed_s:.2f} s ({rate:,.0f} lines/s),"
                              f" {result.imported:,} new, {result.duplicates:,} already stored")
                service = AutoTagService(ws)
                simulation = service.simulate(keywords=KEYWORDS)
                report = simulation.as_json()
                print(f"simulate 10 tags: {simulation.messages:,} customer messages from"
                      f" {simulation.customers:,} customers in {simulation.elapsed_s:.2f} s"
                      f" ({report['ms_per_message']} ms per message);"
                      f" {len(simulation.suggestions):,} suggestions,"
                      f" {len(simulation.would_add):,} would add a tag")
                for count in simulation.per_tag:
                    print(f"  {count.label}: {count.customers:,} customers,"
                          f" {count.would_add:,} would add, {count.already:,} already")
                planned = time.perf_counter()
                plan = service.plan(simulation.would_add)
                print(f"plan of the accepted suggestions: {plan.api_calls:,} relations in one"
                      f" batch, {plan.skipped_conflicts:,} left out for exclusive tags,"
                      f" {time.perf_counter() - planned:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
