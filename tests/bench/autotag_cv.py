"""By-round ("time-travel") cross-validation of the auto-tagger on TagDesk's own development sets.

Each round of tuning began with new development sets, written before the packs were tuned on
them. For each round: the intent packs as they were when it began (read from git, at the
commit that opened the round), the base model trained on the development sets written before
the round, the round's sets scored as they were written. Unlike a cross-validation within the
tuned sets, where a rule hit is nearly always right because the packs were tuned on those very
messages, this one sees what the packs' tuning overfits, as chats never seen do. The code is
the current one (only the packs travel back), so a change to the learner, the base or the
thresholds is measured by it directly. Held-out and the unseen sets are never used.

Prints customer micro P / R / F1 per round and pooled over the rounds (and message micro).
Usage: .venv/bin/python tests/bench/autotag_cv.py [--packs current] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.domain.autotag import AutoTagger, IntentPack, LabelledMessage  # noqa: E402
from desktop.domain.autotag.base import train_base  # noqa: E402
from desktop.services.autotag_packs import intent_packs_from, load_intent_packs  # noqa: E402
from tests.bench.autotag_metrics import Report  # noqa: E402
from tests.bench.bench_autotag import levels, load, load_tags  # noqa: E402

PACKS_PATH = "resources/autotag/intent_packs.json"


@dataclass(frozen=True)
class Round:
    """A round of tuning: the commit that opened it (its unseen set committed, no code
    changed yet) and the development sets written for it."""

    name: str
    opened_at: str
    sets: tuple[str, ...]


def _sets(numbers: range) -> tuple[str, ...]:
    return tuple(f"dev{n}.jsonl" for n in numbers)


ROUNDS = (
    Round("3", "029b83106e7933cdc1dcbf1847714b9c8d1c1f74", _sets(range(2, 7))),
    Round("4", "3f0a2392157a04d3ce07124a82d22eab595287fe", _sets(range(7, 14))),
    Round("5", "3750e8af11d76f5f96957fccc24e37bf4a2074e5", _sets(range(14, 20))),
    Round("6", "68ed4fb0496f7722d08245f8ad9a001e0f17927b", _sets(range(20, 29))),
    Round("7", "03e45ca201957ba3b891878f7da4795e366901f6", _sets(range(29, 38))),
    Round("8", "b902e92bda0848d26e7d59ec8101d07a19fa09f0", _sets(range(38, 41))),
    Round("9", "86a94936e115b17e10cb3965f4f78160a1fb7090", _sets(range(41, 42))),
    Round("10", "e74e7918a6c3a448d26a460d83e4ce9e20689be4", _sets(range(42, 44))),
    Round("11", "c99d17346e12177d89122d7c0540909c08484899", _sets(range(44, 47))),
    Round("12", "1c7d80c2edfbebc5c2f77fe23fab0c4465a96d6c", _sets(range(47, 50))),
    Round("13", "b92757c289966dd97d4b5e2c0d3e65a373c8b8f3", _sets(range(50, 91))),
)
# Written before the third round: the first tuning set and the check set written after its
# thresholds (in the order tests/bench/build_autotag_base.py trains on: dev first, fresh last).
FIRST, CHECK = "dev.jsonl", "fresh.jsonl"

Tagger = Callable[[Sequence[IntentPack], Sequence[LabelledMessage]], AutoTagger]
Predict = Callable[[AutoTagger, Sequence[LabelledMessage]], list[set[str]]]


def packs_at(commit: str) -> tuple[IntentPack, ...]:
    """The intent packs as they were at `commit`."""
    text = subprocess.run(["git", "show", f"{commit}:{PACKS_PATH}"], cwd=ROOT, check=True,
                          capture_output=True, text=True, encoding="utf-8").stdout
    return intent_packs_from(json.loads(text))


def training_sets(r: Round) -> list[str]:
    """The development sets written before round `r`."""
    return [FIRST, *(name for o in ROUNDS[:ROUNDS.index(r)] for name in o.sets), CHECK]


def based_tagger(packs: Sequence[IntentPack], training: Sequence[LabelledMessage]) -> AutoTagger:
    """The tagger a corp gets with no TRAIN file: rules and a base model trained on
    `training` with `packs`, as tests/bench/build_autotag_base.py trains the bundled one."""
    tags = load_tags()
    rules = AutoTagger.build(tags, packs=packs)
    base = train_base(rules.examples(training), rules.pack_of)
    return AutoTagger.build(tags, packs=packs, base=base)


def per_message(tagger: AutoTagger, messages: Sequence[LabelledMessage]) -> list[set[str]]:
    return [set(tagger.labels(m.text)) for m in messages]


def by_round(tagger: Tagger = based_tagger, predict: Predict = per_message,
             current_packs: bool = False, rounds: Sequence[Round] | None = None,
             ) -> dict[str, tuple[list[LabelledMessage], list[set[str]]]]:
    """Each round's messages and their predictions (the tagger built with the packs as the
    round began, or the current ones, trained on the sets written before it)."""
    out = {}
    for r in ROUNDS if rounds is None else rounds:
        training = [m for name in training_sets(r) for m in load(name)]
        packs = load_intent_packs() if current_packs else packs_at(r.opened_at)
        messages = [m for name in r.sets for m in load(name)]
        out[r.name] = (messages, predict(tagger(packs, training), messages))
    return out


def scores(messages: Sequence[LabelledMessage], predicted: Sequence[set[str]]
           ) -> tuple[Report, Report]:
    """Message-level and customer-level reports over the 12 tags."""
    return levels([t.name for t in load_tags()], messages, predicted)


def pooled(results: dict[str, tuple[list[LabelledMessage], list[set[str]]]]
           ) -> tuple[Report, Report]:
    """The rounds together (their customers are distinct)."""
    return scores([m for messages, _ in results.values() for m in messages],
                  [p for _, predicted in results.values() for p in predicted])


def _triple(r: Report) -> list[float]:
    return [round(r.micro.precision, 3), round(r.micro.recall, 3), round(r.micro.f1, 3)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", choices=("as-begun", "current"), default="as-begun",
                        help="the packs as each round began (default) or the current ones")
    parser.add_argument("--json", action="store_true", help="end with a JSON line")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = by_round(current_packs=args.packs == "current")
    table = {}
    print(f"{'round':<8}{'messages':>9}{'msg micro P/R/F1':>21}{'cust micro P/R/F1':>22}")
    rows = [(name, len(messages), scores(messages, predicted))
            for name, (messages, predicted) in results.items()]
    rows.append(("pooled", sum(len(m) for m, _ in results.values()), pooled(results)))
    for name, count, (message, customer) in rows:
        table[name] = {"messages": count, "message_micro": _triple(message),
                       "customer_micro": _triple(customer)}
        mm, cm = _triple(message), _triple(customer)
        print(f"{name:<8}{count:>9}{mm[0]:>9.3f}{mm[1]:>6.3f}{mm[2]:>6.3f}"
              f"{cm[0]:>10.3f}{cm[1]:>6.3f}{cm[2]:>6.3f}")
    print(f"{time.perf_counter() - started:.0f} s")
    if args.json:
        print(json.dumps({"packs": args.packs, "rounds": table}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
