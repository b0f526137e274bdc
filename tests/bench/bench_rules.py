"""Rules benchmark: the pure evaluator over a generated corp (seeded).

Relations carry remarks and corp names with region words, live-code states, ages up to 800
days and up to 8 of 220 tags; the rules are the bundled scenes' (b2b-distributor,
ecommerce-promotion, retail-tiers, education-trial) without chat intents. Reports the time to
evaluate every rule on every relation to a fixed point, per relation, and a CPU yardstick (a
sum over ten million integers) to read the numbers on a loaded machine. Asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from desktop.domain.rules import CatalogueTag, Subject, evaluate, resolve
from desktop.domain.scenes import parse_scene
from desktop.resources import resources_dir

SCENES = ("b2b-distributor", "ecommerce-promotion", "retail-tiers", "education-trial")
REGIONS = ("北京", "上海", "深圳", "成都", "杭州", "天津", "武汉", "")
STATES = ("promo-poster", "store-counter", "trial-form", "dealer-fair", "", "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--relations", type=int, default=120_000)
    args = parser.parse_args()
    rng = random.Random(1)
    scenes = [parse_scene(name, (resources_dir() / "scenes" / f"{name}.json")
                          .read_text(encoding="utf-8")) for name in SCENES]
    catalogue = [CatalogueTag(f"{g}:{t}", t, g, g) for s in scenes for g, tags in s.tag_groups
                 for t in tags] + [CatalogueTag(f"x{i}", f"标签{i}", "gx", "其他")
                                   for i in range(200)]
    rules = resolve([r for s in scenes for _, r in s.rules if not r.uses_intent], catalogue)
    ids = [t.id for t in catalogue]
    now = time.time()
    subjects = []
    for n in range(args.relations):
        created = now - rng.randint(0, 800) * 86400
        subjects.append(Subject(
            n, f"wm{n}", "u", "客户", rng.choice(STATES), f"王总-{rng.choice(REGIONS)}", "",
            (f"{rng.choice(REGIONS)}星辰科技有限公司",), rng.randint(0, 2), created,
            date.fromtimestamp(created).toordinal(), frozenset(rng.sample(ids, rng.randint(0, 8)))))
    started = time.perf_counter()
    result = evaluate(rules, subjects, now)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    sum(range(10**7))
    yardstick = time.perf_counter() - started
    print(f"{len(rules)} rules × {len(subjects):,} relations: {elapsed:.2f} s"
          f" ({elapsed / len(subjects) * 1e6:.0f} µs per relation), {len(result.outcomes):,}"
          f" would change, {len(result.contradictions)} contradictions, {len(result.loops)}"
          f" loops; CPU yardstick {yardstick:.2f} s (about 0.15 s on an idle core)")


if __name__ == "__main__":
    main()
