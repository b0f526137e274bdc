"""Rules on behaviour events: storing events in a real cache file, reading each customer's
events of the rules' types in one query, and evaluating an `event` and a `days_since_event`
rule over every relation (seeded). Reports times and a CPU yardstick (a sum over ten million
integers, about 0.15 s on an idle core) to read them on a loaded machine. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from desktop.domain.events import Event
from desktop.domain.rule_format import parse_rules_text
from desktop.domain.rules import CatalogueTag, Subject, evaluate, events_read, resolve
from desktop.store import events as event_store
from desktop.store.db import Cache

KINDS = ("form_submitted", "content_viewed", "order_paid", "course_attended")
RULES = [
    {"name": "近30天付费", "when": {"all": [
        {"event": {"type": "order_paid", "within_days": 30, "value": {">=": 199}}},
        {"has_not": "阶段:已付费"}]}, "then": {"add": ["阶段:已付费"]}},
    {"name": "近期看过", "when": {"days_since_event": {"type": "content_viewed", "<=": 7}},
     "then": {"add": ["阶段:近期活跃"]}},
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    relations = 12_000 if args.quick else 120_000
    rng = random.Random(1)
    now = time.time()
    generated = [Event(f"id:{n}", now - rng.randrange(60 * 86400), f"wm{rng.randrange(relations)}",
                       "u", rng.choice(KINDS), "", "", rng.choice((None, 199.0, 999.0)))
                 for n in range(2 * relations)]
    catalogue = [CatalogueTag("t1", "已付费", "g", "阶段"), CatalogueTag("t2", "近期活跃", "g", "阶段")]
    rules = resolve(parse_rules_text(json.dumps(RULES)), catalogue)
    with tempfile.TemporaryDirectory() as folder, Cache(Path(folder) / "cache.sqlite") as cache:
        started = time.perf_counter()
        with cache.write() as conn:
            event_store.insert_new(conn, generated, "file")
        stored_s = time.perf_counter() - started
        _, types = events_read(r.rule for r in rules)
        started = time.perf_counter()
        found = event_store.by_customer(cache, types)
        read_s = time.perf_counter() - started
    subjects = [Subject(n, f"wm{n}", "u", "", "", "", "", (), 0, now - 86400 * 100,
                        date.today().toordinal(), frozenset(), frozenset(),
                        found.get(f"wm{n}", ())) for n in range(relations)]
    started = time.perf_counter()
    result = evaluate(rules, subjects, now)
    evaluated_s = time.perf_counter() - started
    started = time.perf_counter()
    sum(range(10**7))
    yardstick = time.perf_counter() - started
    read = sum(len(e) for e in found.values())
    print(f"{len(generated):,} events stored in {stored_s:.2f} s; {read:,} of the rules' types"
          f" read per customer in {read_s:.2f} s (one query); 2 event rules × {relations:,}"
          f" relations: {evaluated_s:.2f} s ({evaluated_s / relations * 1e6:.0f} µs per"
          f" relation), {len(result.outcomes):,} would change; CPU yardstick {yardstick:.2f} s")


if __name__ == "__main__":
    main()
