"""A small learner trained on a corp's confirmed tags: character n-grams, jieba words and the
rules' own findings as features, one logistic model per tag (AdaGrad, L2), calibrated with
a combination with the rules' confidence fitted on out-of-fold scores. Pure Python: a few hundred messages train in about a
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
MIN_EPOCHS = 3
# Example visits per training: large training sets get fewer passes (each pass over 5,000
# messages teaches as much as several over 500), so training stays within seconds.
STEP_BUDGET = 16_000
LEARNING_RATE = 0.4
L2 = 1e-4
FOLDS = 3
SKIP_GRADIENT = 1e-3
NEGATED_PREFIX = "n:"
PHRASE_PREFIX = "p:"
WORD_PREFIX = "w:"
GRAM_PREFIX = "c:"


def features(text: NormalText, hits: Sequence[Hit]) -> list[str]:
    """The feature names of a message: char 2- and 3-grams, words, the phrases the rules
    found (so the learner weighs each phrase by how often people confirmed it), and which
    tags' phrases were negated or reported."""
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
        found.add((PHRASE_PREFIX + hit.phrase) if hit.counts else (NEGATED_PREFIX + hit.tag))
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
    for _ in range(max(MIN_EPOCHS, min(EPOCHS, STEP_BUDGET // max(1, len(examples))))):
        shuffle(order)
        for index in order:
            names, labels = examples[index]
            for name in names:
                if name not in weights:
                    weights[name] = [0.0] * size
                    squares[name] = [1e-8] * size
            z = model.scores(names)
            active = []
            for t, tag in enumerate(tags):
                gradient = _sigmoid(z[t]) - (1.0 if tag in labels else 0.0)
                if abs(gradient) >= SKIP_GRADIENT:
                    active.append((t, gradient))
                    bias_squares[t] += gradient * gradient
                    bias[t] -= LEARNING_RATE * gradient / math.sqrt(bias_squares[t])
            for name in names:
                row, square = weights[name], squares[name]
                for t, gradient in active:
                    step = gradient + L2 * row[t]
                    square[t] += step * step
                    row[t] -= LEARNING_RATE * step / math.sqrt(square[t])
    return model


def _fit_logistic(rows: Sequence[Sequence[float]], truths: Sequence[bool]) -> list[float]:
    """Weights (the last one the bias) of a small logistic regression, by Newton steps on
    Platt's smoothed targets (Platt 1999), so its probabilities are calibrated."""
    positives = sum(truths)
    negatives = len(truths) - positives
    high, low = (positives + 1) / (positives + 2), 1 / (negatives + 2)
    data = [([*row, 1.0], high if truth else low) for row, truth in zip(rows, truths, strict=True)]
    size = len(data[0][0]) if data else 1
    weights = [0.0] * size
    for _ in range(50):
        gradient = [0.0] * size
        hessian = [[1e-4 if i == j else 0.0 for j in range(size)] for i in range(size)]
        for x, target in data:
            p = _sigmoid(sum(w * v for w, v in zip(weights, x, strict=True)))
            d, curvature = p - target, max(p * (1 - p), 1e-9)
            for i in range(size):
                gradient[i] += d * x[i]
                for j in range(size):
                    hessian[i][j] += curvature * x[i] * x[j]
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return weights


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """matrix⁻¹ · vector by Gaussian elimination with partial pivoting (tiny systems)."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        if abs(rows[column][column]) < 1e-12:
            return [0.0] * size
        for r in range(size):
            if r != column:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


@dataclass(frozen=True)
class Example:
    """A training message: its features, what the rules found (tag → confidence) and the
    tags people confirmed."""

    names: list[str]
    rules: dict[str, float]
    labels: frozenset[str]


@dataclass(frozen=True)
class Prediction:
    """The calibrated probability for a tag and the text features that pushed it up."""

    tag: str
    probability: float
    evidence: tuple[str, ...]


# Combination weights (text score, rule confidence, bias) when there are too few examples
# to fit them: the rules decide.
UNFITTED: tuple[float, ...] = (0.0, 4.0, -2.0)


class Learner:
    """A text model per tag, and per tag a calibrated combination of its score with the
    rules' confidence, fitted on out-of-fold scores (stacking), so neither drowns the other."""

    def __init__(self, model: _Linear, combination: dict[str, tuple[float, ...]]) -> None:
        self._model = model
        self._combination = combination

    @property
    def tags(self) -> tuple[str, ...]:
        return self._model.tags

    @classmethod
    def train(cls, tags: Sequence[str], examples: Sequence[Example]) -> Learner:
        """Train on examples; only tags with at least one positive and one negative example
        are learnt."""
        learnt = tuple(
            tag for tag in tags
            if any(tag in e.labels for e in examples) and any(tag not in e.labels for e in examples)
        )
        pairs = [(e.names, e.labels) for e in examples]
        combination: dict[str, tuple[float, ...]] = dict.fromkeys(learnt, UNFITTED)
        if len(examples) >= FOLDS:
            out_of_fold: list[list[float]] = [[] for _ in examples]
            for fold in range(FOLDS):
                model = _train_linear(
                    learnt, [p for i, p in enumerate(pairs) if i % FOLDS != fold], seed=fold)
                for i in range(fold, len(examples), FOLDS):
                    out_of_fold[i] = model.scores(examples[i].names)
            for t, tag in enumerate(learnt):
                rows = [(scores[t], e.rules.get(tag, 0.0))
                        for scores, e in zip(out_of_fold, examples, strict=True)]
                combination[tag] = tuple(_fit_logistic(rows, [tag in e.labels for e in examples]))
        return cls(_train_linear(learnt, pairs, seed=len(examples)), combination)

    def predict(
        self, names: Sequence[str], rules: dict[str, float], floor: float, top: int = 3,
    ) -> list[Prediction]:
        """Every learnt tag whose probability reaches `floor`, with the `top` text features
        that pushed it up the most."""
        z = self._model.scores(names)
        weights = self._model.weights
        predictions = []
        for t, tag in enumerate(self._model.tags):
            text_weight, rule_weight, bias = self._combination[tag]
            probability = _sigmoid(text_weight * z[t] + rule_weight * rules.get(tag, 0.0) + bias)
            if probability < floor:
                continue
            contributions = sorted(
                ((weights[name][t], name) for name in names
                 if name in weights and weights[name][t] > 0),
                reverse=True)
            evidence = tuple(name for _, name in contributions[:top]) if text_weight > 0 else ()
            predictions.append(Prediction(tag, probability, evidence))
        return predictions
