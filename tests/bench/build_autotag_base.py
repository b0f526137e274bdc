"""Train the bundled base model (resources/autotag/base_model.json.gz) on TagDesk's own labelled
development sets: dev, dev2 … dev90 and fresh, never held-out nor the unseen sets, which
stay for scoring. Deterministic: the same data and code give the same file. Run it after
changing those sets, the intent packs or the learner's features; a unit test checks the file
names the current data sets and packs (tests/unit/services/test_autotag_base.py).
Usage: .venv/bin/python tests/bench/build_autotag_base.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.domain.autotag import AutoTagger  # noqa: E402
from desktop.domain.autotag.base import train_base  # noqa: E402
from desktop.services.autotag_base import BASE_MODEL, BASE_MODEL_FORMAT  # noqa: E402
from desktop.services.autotag_packs import load_intent_packs  # noqa: E402
from tests.bench.bench_autotag import DATA, load, load_tags  # noqa: E402

TRAINING_SETS = ("dev.jsonl", *(f"dev{n}.jsonl" for n in range(2, 91)), "fresh.jsonl")


PACKS = ROOT / "resources" / "autotag" / "intent_packs.json"


def digest(name: str) -> str:
    return hashlib.sha256((DATA / name).read_bytes()).hexdigest()


def packs_digest() -> str:
    """The intent packs the base was trained with: their findings are among its features."""
    return hashlib.sha256(PACKS.read_bytes()).hexdigest()


def main() -> int:
    started = time.perf_counter()
    rules = AutoTagger.build(load_tags(), packs=load_intent_packs())
    messages = [m for name in TRAINING_SETS for m in load(name)]
    base = train_base(rules.examples(messages), rules.pack_of)
    data = {"format": BASE_MODEL_FORMAT,
            "trained_on": {name: digest(name) for name in TRAINING_SETS},
            "packs": packs_digest(),
            "model": base.to_dict()}
    path = ROOT / "resources" / BASE_MODEL
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(messages)} messages, {path.stat().st_size:,} bytes"
          f" ({len(text.encode('utf-8')):,} unzipped),"
          f" {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
