"""A small learner trained on a corp's confirmed tags: character n-grams, jieba words and the
rules' own findings as features, one logistic model per tag (AdaGrad, L2), calibrated with
Platt scaling on out-of-fold scores. Pure Python: a few hundred messages train in about a
second, offline, with nothing to download.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.autotag.matcher import Hit, words
from desktop.domain.autotag.normalise import CLAUSE_MARKS, NormalText

EPOCHS = 8
LEARNING_RATE = 0.4
L2 = 1e-4
FOLDS = 3
SKIP_GRADIENT = 1e-3
RULE_PREFIX = "r:"
NEGATED_PREFIX = "n:"
WORD_PREFIX = "w:"
GRAM_PREFIX = "c:"


def features(text: NormalText, hits: Sequence[Hit]) -> list[str]:
    """The feature names of a message: char 2- and 3-grams, words, and which tags' rules
    found a phrase (own words, or negated / reported)."""
    body = text.text
    found: set[str] = set()
    for size in (2, 3):
        for start in range(len(body) - size + 1):
            gram = body[start:start + size]
            if not any(c in CLAUSE_MARKS or c == " " for c in gram):
                found.add(GRAM_PREFIX + gram)
    for word in words(body):
        if word.strip() and not all(c in CLAUSE_MARKS for c in word):
            found.add(WORD_PREFIX + word)
    for hit in hits:
        found.add((RULE_PREFIX if hit.counts else NEGATED_PREFIX) + hit.tag)
    return sorted(found)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass
class _Linear:
    """One weight per (feature, tag) plus a bias per tag."""

    tags: tuple[str, ...]
    weights: dict[str, list[float]]
    bias: list[float]

    def scores(self, names: Sequence[str]) -> list[float]:
        z = self.bias[:]
        for name in names:
            row = self.weights.get(name)
            if row is not None:
                for t, w in enumerate(row):
                    z[t] += w
        return z


def _train_linear(
    tags: tuple[str, ...], examples: Sequence[tuple[list[str], frozenset[str]]], seed: int,
) -> _Linear:
    size = len(tags)
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    bias = [0.0] * size
    bias_squares = [1e-8] * size
    order = list(range(len(examples)))
    shuffle = random.Random(seed).shuffle
    model = _Linear(tags, weights, bias)
    for _ in range(EPOCHS):
        shuffle(order)
        for index in order:
            names, labels = examples[index]
            for name in names:
                if name not in weights:
                    weights[name] = [0.0] * size
                    squares[name] = [1e-8] * size
            z = model.scores(names)
            for t, tag in enumerate(tags):
                gradient = _sigmoid(z[t]) - (1.0 if tag in labels else 0.0)
                if abs(gradient) < SKIP_GRADIENT:
                    continue
                bias_squares[t] += gradient * gradient
                bias[t] -= LEARNING_RATE * gradient / math.sqrt(bias_squares[t])
                for name in names:
                    row, square = weights[name], squares[name]
                    step = gradient + L2 * row[t]
                    square[t] += step * step
                    row[t] -= LEARNING_RATE * step / math.sqrt(square[t])
    return model


def _platt(scores: Sequence[float], truths: Sequence[bool]) -> tuple[float, float]:
    """(a, b) so that sigmoid(a * score + b) is calibrated (Platt 1999, Newton steps)."""
    positives = sum(truths)
    negatives = len(truths) - positives
    high, low = (positives + 1) / (positives + 2), 1 / (negatives + 2)
    targets = [high if truth else low for truth in truths]
    a, b = 1.0, 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for score, target in zip(scores, targets, strict=True):
            p = _sigmoid(a * score + b)
            d = p - target
            weight = max(p * (1 - p), 1e-12)
            ga += d * score
            gb += d
            haa += weight * score * score
            hab += weight * score
            hbb += weight
        haa += 1e-6
        hbb += 1e-6
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) < 1e-7 and abs(db) < 1e-7:
            break
    return a, b


@dataclass(frozen=True)
class Prediction:
    """The learner's calibrated probability for a tag and the features that decided."""

    tag: str
    probability: float
    evidence: tuple[str, ...]


class Learner:
    """The trained models; `predict` gives a calibrated probability for every learnt tag."""

    def __init__(self, model: _Linear, calibration: dict[str, tuple[float, float]]) -> None:
        self._model = model
        self._calibration = calibration

    @property
    def tags(self) -> tuple[str, ...]:
        return self._model.tags

    @classmethod
    def train(
        cls, tags: Sequence[str], examples: Sequence[tuple[list[str], frozenset[str]]],
    ) -> Learner:
        """Train on (features, confirmed tags); only tags with at least one positive and
        one negative example are learnt."""
        learnt = tuple(
            tag for tag in tags
            if any(tag in labels for _, labels in examples)
            and any(tag not in labels for _, labels in examples)
        )
        folds = min(FOLDS, len(examples))
        out_of_fold: list[list[float]] = [[] for _ in examples]
        if folds >= 2:
            for fold in range(folds):
                kept = [e for i, e in enumerate(examples) if i % folds != fold]
                model = _train_linear(learnt, kept, seed=fold)
                for i in range(fold, len(examples), folds):
                    out_of_fold[i] = model.scores(examples[i][0])
        calibration = {}
        for t, tag in enumerate(learnt):
            if folds >= 2:
                calibration[tag] = _platt(
                    [scores[t] for scores in out_of_fold],
                    [tag in labels for _, labels in examples])
            else:
                calibration[tag] = (1.0, 0.0)
        return cls(_train_linear(learnt, examples, seed=len(examples)), calibration)

    def predict(self, names: Sequence[str], floor: float, top: int = 3) -> list[Prediction]:
        """Every learnt tag whose probability reaches `floor`, with the `top` features that
        pushed it up the most."""
        z = self._model.scores(names)
        weights = self._model.weights
        predictions = []
        for t, tag in enumerate(self._model.tags):
            a, b = self._calibration[tag]
            probability = _sigmoid(a * z[t] + b)
            if probability < floor:
                continue
            contributions = sorted(
                ((weights[name][t], name) for name in names
                 if name in weights and weights[name][t] > 0),
                reverse=True)
            evidence = tuple(name for _, name in contributions[:top])
            predictions.append(Prediction(tag, probability, evidence))
        return predictions
