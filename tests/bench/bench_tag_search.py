"""Tag type-ahead benchmark: build time and per-query latency over a 2,000-tag library.

The library is generated (seeded) from words used in real tag trees: levels, stages, industries,
regions, channels, with a third of the names as paths and some team abbreviations. Reports the
pypinyin import, a cold build (empty pinyin cache), a warm build, and p50 / p95 of each kind of
query. Targets: build < 200 ms, query < 2 ms. Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

started = time.perf_counter()
from desktop.domain.tag_search import TagSearchIndex  # noqa: E402  (the import is measured)

IMPORT_MS = (time.perf_counter() - started) * 1000

from desktop.domain.tags import TagInfo, TagKind  # noqa: E402

WORD_LIST = (
    "高意向 低意向 意向不明 已成交 未成交 待回访 已报价 已签约 流失 沉睡 复购 三次复购 老客户 新客户 "
    "重点客户 普通客户 大客户 渠道 线上 线下 广告 转介绍 展会 活动 直播 教育 培训 医疗 金融 银行 保险 "
    "地产 汽车 零售 制造 华东 华南 华北 西南 北京 上海 广州 深圳 重庆 成都 预算充足 预算不足 价格敏感 "
    "决策人 使用人 采购 男 女 青年 中年 长期 短期 会员 非会员 试用 付费 续费 退款 投诉 表扬"
)
WORDS = WORD_LIST.split()
QUERIES = {
    "1 letter": ["g", "k", "z", "x", "c"],
    "initials": ["gyx", "kh", "zdkh", "yx", "cq"],
    "pinyin": ["gaoyi", "kehu", "yixiang", "chongqing", "jiaoyu"],
    "chinese": ["高", "高意", "意向", "客户", "教育/"],
    "abbreviation": ["V3", "a12", "HY"],
    "mixed": ["高yx", "客h", "重q"],
    "no match": ["qqqqq", "gaoyixaing", "xyzw"],
}


def library(size: int, seed: int = 7) -> list[TagInfo]:
    rnd = random.Random(seed)
    tags: list[TagInfo] = []
    for number in range(size):
        name = "".join(rnd.sample(WORDS, rnd.choice((1, 1, 2))))
        if rnd.random() < 0.35:
            name = f"{rnd.choice(WORDS)}/{name}"
        if rnd.random() < 0.1:
            name = f"{name}/{rnd.choice(WORDS)}"
        name = f"{name[:26]}{number}"
        abbreviation = f"A{number}" if number % 9 == 0 else ""
        if number == 0:
            name, abbreviation = "三次复购客户", "V3"
        group = f"etGroup{number % 60}"
        tags.append(
            TagInfo(
                f"etTag{number}",
                name,
                group,
                group,
                rnd.randint(0, 10_000),
                TagKind.CORP,
                abbreviation,
                rnd.randint(0, 5000),
            )
        )
    return tags


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--tags", type=int, default=2000)
    args = parser.parse_args(argv)
    repeats = 20 if args.quick else 200
    tags = library(args.tags)

    print(f"pypinyin + rapidfuzz import: {IMPORT_MS:7.1f} ms (once per process)")
    begin = time.perf_counter()
    index = TagSearchIndex(tags)
    print(f"build, cold ({len(tags)} tags):  {(time.perf_counter() - begin) * 1000:7.1f} ms")
    builds = []
    for _ in range(3 if args.quick else 10):
        begin = time.perf_counter()
        index = TagSearchIndex(tags)
        builds.append((time.perf_counter() - begin) * 1000)
    print(f"build, warm (median):       {statistics.median(builds):7.1f} ms")

    print(f"\n{'query kind':<14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}   hits")
    everything: list[float] = []
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        hits = 0
        for query in queries:
            for _ in range(repeats):
                begin = time.perf_counter()
                found = index.search(query)
                timings.append((time.perf_counter() - begin) * 1000)
            hits += len(found)
        everything += timings
        cuts = statistics.quantiles(timings, n=20)
        print(f"{kind:<14}{cuts[9]:9.3f}{cuts[18]:9.3f}{max(timings):9.3f}   {hits}")
    cuts = statistics.quantiles(everything, n=20)
    print(f"{'all':<14}{cuts[9]:9.3f}{cuts[18]:9.3f}{max(everything):9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
