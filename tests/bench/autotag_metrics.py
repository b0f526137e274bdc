"""Precision, recall and F1 of multi-label predictions, per message and per customer (the
union of a customer's messages), micro- and macro-averaged over the tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Report:
    micro: Scores
    macro: Scores


def _scores(tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def report(tags: Sequence[str], truth: Sequence[set[str]], predicted: Sequence[set[str]]) -> Report:
    """Micro scores count every (item, tag) decision; macro averages each tag's scores over
    the tags that occur in the truth or the predictions."""
    counts = {tag: [0, 0, 0] for tag in tags}
    for real, guess in zip(truth, predicted, strict=True):
        for tag in tags:
            if tag in guess and tag in real:
                counts[tag][0] += 1
            elif tag in guess:
                counts[tag][1] += 1
            elif tag in real:
                counts[tag][2] += 1
    micro = _scores(*(sum(c[i] for c in counts.values()) for i in range(3)))
    per_tag = [_scores(*c) for c in counts.values() if any(c)]
    macro = Scores(*(sum(getattr(s, f) for s in per_tag) / len(per_tag) if per_tag else 0.0
                     for f in ("precision", "recall", "f1")))
    return Report(micro, macro)


def by_customer(customers: Sequence[str], labels: Sequence[set[str]]) -> Mapping[str, set[str]]:
    union: dict[str, set[str]] = {}
    for customer, tags in zip(customers, labels, strict=True):
        union.setdefault(customer, set()).update(tags)
    return union
