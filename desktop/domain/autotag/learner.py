"""A small learner trained on a corp's confirmed tags: character n-grams, jieba words and word
pairs, negated words, whether the message asks something, and the rules' own findings as
features (so it learns, per tag, how far to trust each rule on this corp's language), one
logistic model per tag (AdaGrad, L2); then per tag a calibrated combination with the rules'
confidence and a decision threshold, both fitted on out-of-fold scores of customer-disjoint
folds. Pure Python: a few hundred messages train in about a second, offline, with nothing
to download.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.domain.autotag.matcher import Hit, words
from desktop.domain.autotag.normalise import CLAUSE_MARKS, NormalText
from desktop.domain.autotag.scope import negation_cue

EPOCHS = 8
MIN_EPOCHS = 3
# Example visits per training: large training sets get fewer passes (each pass over 5,000
# messages teaches as much as several over 500), so training stays within seconds.
STEP_BUDGET = 16_000
LEARNING_RATE = 0.4
L2 = 1e-4
FOLDS = 4
SKIP_GRADIENT = 1e-3
# Decision thresholds are chosen so that this share of the customers a tag is given on the
# out-of-fold scores truly have it. A tag needs MIN_POSITIVES confirmed messages to be learnt
# and as many confirmed customers for a threshold of its own (else it keeps the user's).
TARGET_PRECISION = 0.9
MIN_POSITIVES = 8
# The threshold a tag has until its data say otherwise, and how many positive customers that
# weighs: a threshold chosen on 20 positives goes halfway from it, on 200 nearly all the way
# (a precision measured on few customers is noisy).
DEFAULT_THRESHOLD = 0.5
THRESHOLD_PRIOR_POSITIVES = 20
LOWEST_THRESHOLD = 0.2
HIGHEST_THRESHOLD = 0.95
NEGATED_PREFIX = "n:"
PHRASE_PREFIX = "p:"
WORD_PREFIX = "w:"
GRAM_PREFIX = "c:"
PAIR_PREFIX = "b:"
PAIR_JOINT = "|"
NEGATED_WORD_PREFIX = "x:"
RULE_PREFIX = "r:"
QUESTION = "q:?"
QUESTION_ENDS = frozenset("吗吧呢么嘛?")
QUESTION_WORDS = ("什么", "怎么", "多少", "哪", "几", "是否", "能不能", "有没有", "可不可以", "how", "what")


def _asks(body: str) -> bool:
    """True when the message asks something (a question mark, 吗 at a clause end, 多少 …)."""
    clauses = [c.strip() for c in "".join(
        "|" if ch in CLAUSE_MARKS and ch != "?" else ch for ch in body).split("|")]
    return any(c and c[-1] in QUESTION_ENDS for c in clauses) or any(
        w in body for w in QUESTION_WORDS)


def features(text: NormalText, hits: Sequence[Hit],
             cut: Callable[[str], Sequence[str]] = words) -> list[str]:
    """The feature names of a message: char 2- and 3-grams, words and neighbouring word
    pairs (a word in a negation's reach is its own feature: 不贵 is not 贵), whether it asks,
    the phrases the rules found (so the learner weighs each phrase by how often people
    confirmed it), which tags the rules gave, and which tags' phrases were negated or
    reported. `cut`: the tagger's segmenter (its phrases kept whole)."""
    body = text.text
    found: set[str] = set()
    for size in (2, 3):
        for start in range(len(body) - size + 1):
            gram = body[start:start + size]
            if not any(c in CLAUSE_MARKS or c == " " for c in gram):
                found.add(GRAM_PREFIX + gram)
    previous = ""
    position = 0
    for word in cut(body):
        start, position = position, position + len(word)
        if not word.strip() or all(c in CLAUSE_MARKS for c in word):
            previous = ""
            continue
        negated = negation_cue(text, start, word.isascii()) is not None
        found.add((NEGATED_WORD_PREFIX if negated else WORD_PREFIX) + word)
        if previous:
            found.add(PAIR_PREFIX + previous + PAIR_JOINT + word)
        previous = word
    if _asks(body):
        found.add(QUESTION)
    for hit in hits:
        found.add((PHRASE_PREFIX + hit.phrase) if hit.counts else (NEGATED_PREFIX + hit.tag))
        if hit.counts:
            found.add(RULE_PREFIX + hit.tag)
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
        weights = self.weights
        rows = [weights[name] for name in names if name in weights]
        if not rows:
            return self.bias[:]
        return [b + sum(column) for b, column in zip(self.bias, zip(*rows, strict=True), strict=True)]


def _train_linear(
    tags: tuple[str, ...], examples: Sequence[tuple[list[str], frozenset[str]]], seed: int,
    offsets: Sequence[Sequence[float]] | None = None,
) -> _Linear:
    """`offsets`: per example, a fixed score per tag the model's own is added to (the base
    model's log-odds): the model learns only what its examples say beyond them."""
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
            if offsets is not None:
                z = [a + b for a, b in zip(z, offsets[index], strict=True)]
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


def _fit_logistic(
    rows: Sequence[Sequence[float]], truths: Sequence[bool],
    prior: Sequence[tuple[float, float]],
) -> list[float]:
    """Weights (the last one the bias) of a small logistic regression, by Newton steps on
    Platt's smoothed targets (Platt 1999), so its probabilities are calibrated. `prior`
    (weight, strength) per weight: the value it is pulled towards and how hard, so a tag with
    few confirmed messages keeps trusting its rules as the prior says, and one with many
    follows its data."""
    positives = sum(truths)
    negatives = len(truths) - positives
    high, low = (positives + 1) / (positives + 2), 1 / (negatives + 2)
    data = [([*row, 1.0], high if truth else low) for row, truth in zip(rows, truths, strict=True)]
    weights = [w0 for w0, _ in prior]
    size = len(weights)
    for _ in range(50):
        gradient = [k * (w - w0) for w, (w0, k) in zip(weights, prior, strict=True)]
        hessian = [[prior[i][1] if i == j else 0.0 for j in range(size)] for i in range(size)]
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
    """A training message: its features, what the rules found (tag → confidence), the tags
    people confirmed, its customer (`group`: folds keep a customer's messages together,
    and thresholds are chosen on customers, whose tags are the union of their messages), and
    the bundled base model's log-odds per tag it knows (`base`)."""

    names: list[str]
    rules: dict[str, float]
    labels: frozenset[str]
    group: str = ""
    base: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Prediction:
    """The calibrated probability for a tag and the text features that pushed it up."""

    tag: str
    probability: float
    evidence: tuple[str, ...]


# Combination weights (text score, rule confidence, bias) when there are too few examples
# to fit them: the rules decide.
UNFITTED: tuple[float, ...] = (0.0, 4.0, -2.0)
# What the combination is pulled towards while fitted, and how hard (in examples' worth):
# the text score is free, the rules' weight and the bias keep to UNFITTED until enough
# confirmed messages say otherwise.
COMBINATION_PRIOR = ((UNFITTED[0], 1e-4), (UNFITTED[1], 4.0), (UNFITTED[2], 4.0))


# How much of what a corp's own text model learnt beyond the base model's log-odds is added to
# them: chosen by customer-disjoint cross-validation on the development sets (the base trained
# on four fifths, an own file of 75-300 messages from the fifth): customer micro F1 0.929-0.930
# at precision 0.941-0.945 with 0.3; 0.925-0.928 with 0.6; 0.913-0.925 with all of it (the own
# file's few dozen examples per tag overfit); the base alone 0.933 at 0.939.
RESIDUAL_WEIGHT = 0.3


def precise_threshold(
    scored: Sequence[tuple[float, bool]], precision: float = TARGET_PRECISION,
    min_positives: int = MIN_POSITIVES, prior_positives: int = THRESHOLD_PRIOR_POSITIVES,
    default: float = DEFAULT_THRESHOLD,
) -> float | None:
    """The decision threshold for one tag from (score, truly has the tag) pairs: the lowest
    that keeps `precision` of what reaches it true (so recall is as high as that precision
    allows); when no threshold is that precise, the one with the best F1. Halfway between
    the last score taken and the next one down, so a new item just under the last taken
    one is taken too; then pulled towards DEFAULT_THRESHOLD as if `prior_positives` true
    items had chosen it. None with fewer than `min_positives` true items:
    too few to choose."""
    positives = sum(truth for _, truth in scored)
    if positives < min_positives:
        return None
    ranked = sorted(scored, key=lambda pair: -pair[0])
    true_taken = taken = 0
    precise_at: int | None = None
    best_f1, best_at = -1.0, 0
    for index, (score, truth) in enumerate(ranked):
        taken += 1
        true_taken += truth
        if index + 1 < len(ranked) and ranked[index + 1][0] == score:
            continue    # a threshold cannot split equal scores
        if true_taken / taken >= precision:
            precise_at = index
        f1 = 2 * true_taken / (taken + positives)
        if f1 > best_f1:
            best_f1, best_at = f1, index
    at = precise_at if precise_at is not None else best_at
    below = ranked[at + 1][0] if at + 1 < len(ranked) else ranked[at][0]
    middle = (ranked[at][0] + below) / 2
    shrunk = (positives * middle + prior_positives * default) / (positives + prior_positives)
    return min(HIGHEST_THRESHOLD, max(LOWEST_THRESHOLD, shrunk))


def _folds(examples: Sequence[Example]) -> list[int]:
    """A fold per example, by customer when there are customers enough for every fold."""
    by_group = [zlib.crc32(e.group.encode()) % FOLDS for e in examples]
    if len(set(by_group)) == FOLDS:
        return by_group
    return [i % FOLDS for i in range(len(examples))]


class Learner:
    """A text model per tag, per tag a calibrated combination of its score with the rules'
    confidence (stacking), and per tag the decision threshold that keeps precision at
    TARGET_PRECISION, all fitted on out-of-fold scores. A tag the bundled base model knows
    (`based`) starts from the base's log-odds, and its text model learns only what the
    corp's confirmed messages say beyond them (the base's log-odds are its offset), added at
    RESIDUAL_WEIGHT; its threshold starts from the one chosen on the base's data."""

    def __init__(self, model: _Linear, combination: dict[str, tuple[float, ...]],
                 thresholds: dict[str, float] | None = None,
                 based: Sequence[str] = ()) -> None:
        self._model = model
        self._combination = combination
        self._based = tuple(based)
        self.thresholds: dict[str, float] = dict(thresholds or {})

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags it decides: those learnt and those the base model knows."""
        return tuple(dict.fromkeys((*self._model.tags, *self._based)))

    def taught(self, tag: str) -> bool:
        """Whether confirmed messages taught it `tag` (else the base model alone judges it)."""
        return tag in self._model.tags

    @classmethod
    def train(cls, tags: Sequence[str], examples: Sequence[Example],
              based: Mapping[str, float] | None = None) -> Learner:
        """Train on examples; only tags with MIN_POSITIVES positive examples and a negative
        one are learnt (with fewer, the rules, or the base model, alone decide: a model of a
        handful of messages only blurs them), and only those with MIN_POSITIVES positive
        customers get a threshold of their own (`thresholds`). `based`: the tags the bundled
        base model knows, with the threshold chosen for them on its data (the default their
        own is pulled towards)."""
        based = dict(based or {})
        learnt = tuple(
            tag for tag in tags
            if sum(tag in e.labels for e in examples) >= MIN_POSITIVES
            and any(tag not in e.labels for e in examples)
        )
        pairs = [(e.names, e.labels) for e in examples]
        offsets = [[e.base.get(tag, 0.0) if tag in based else 0.0 for tag in learnt]
                   for e in examples]
        combination: dict[str, tuple[float, ...]] = {
            tag: UNFITTED for tag in learnt if tag not in based}
        thresholds = dict(based)
        if learnt and len(examples) >= FOLDS:
            folds = _folds(examples)
            out_of_fold: list[list[float]] = [[] for _ in examples]
            for fold in range(FOLDS):
                kept = [i for i, f in enumerate(folds) if f != fold]
                model = _train_linear(learnt, [pairs[i] for i in kept], seed=fold,
                                      offsets=[offsets[i] for i in kept])
                for i, f in enumerate(folds):
                    if f == fold:
                        out_of_fold[i] = model.scores(examples[i].names)
            for t, tag in enumerate(learnt):
                if tag in based:
                    probabilities = [_sigmoid(RESIDUAL_WEIGHT * scores[t] + e.base.get(tag, 0.0))
                                     for scores, e in zip(out_of_fold, examples, strict=True)]
                else:
                    rows = [(scores[t], e.rules.get(tag, 0.0))
                            for scores, e in zip(out_of_fold, examples, strict=True)]
                    weights = tuple(_fit_logistic(
                        rows, [tag in e.labels for e in examples], COMBINATION_PRIOR))
                    combination[tag] = weights
                    probabilities = [_combine(weights, row) for row in rows]
                threshold = precise_threshold(_by_customer(examples, probabilities, tag),
                                              default=based.get(tag, DEFAULT_THRESHOLD))
                if threshold is not None:
                    thresholds[tag] = threshold
        model = _train_linear(learnt, pairs, seed=len(examples), offsets=offsets)
        return cls(model, combination, thresholds, tuple(based))

    def predict(
        self, names: Sequence[str], rules: dict[str, float], floor: float,
        base: Mapping[str, float] | None = None, top: int = 3,
    ) -> list[Prediction]:
        """Every tag it decides whose probability reaches `floor`, with the `top` text
        features that pushed it up the most. `base`: the base model's log-odds per tag."""
        base = base or {}
        scores = dict(zip(self._model.tags, self._model.scores(names), strict=True))
        predictions = []
        for tag in self.tags:
            combination = self._combination.get(tag)
            if combination is None:
                if tag not in base:
                    continue
                probability = _sigmoid(base[tag] + RESIDUAL_WEIGHT * scores.get(tag, 0.0))
            else:
                probability = _combine(combination, (scores[tag], rules.get(tag, 0.0)))
            if probability >= floor:
                shown = tag in scores and (combination is None or combination[0] > 0)
                evidence = self.evidence(names, tag, top) if shown else ()
                predictions.append(Prediction(tag, probability, evidence))
        return predictions

    def evidence(self, names: Sequence[str], tag: str, top: int = 3) -> tuple[str, ...]:
        """The `top` text features that pushed `tag` up the most (none for a tag not learnt)."""
        if tag not in self._model.tags or not top:
            return ()
        t = self._model.tags.index(tag)
        weights = self._model.weights
        contributions = sorted(
            ((weights[name][t], name) for name in names
             if name in weights and weights[name][t] > 0
             and not name.startswith(RULE_PREFIX) and name != QUESTION),
            reverse=True)
        return tuple(name for _, name in contributions[:top])

    def with_column(self, other: Learner, tag: str) -> Learner:
        """This learner with `tag` decided as `other` decides it (its text weights, bias,
        combination and threshold): a tag trained on other examples than the rest."""
        t, o = self._model.tags.index(tag), other._model.tags.index(tag)
        size = len(self._model.tags)
        weights = {name: row[:] for name, row in self._model.weights.items()}
        for row in weights.values():
            row[t] = 0.0
        for name, row in other._model.weights.items():
            weights.setdefault(name, [0.0] * size)[t] = row[o]
        bias = self._model.bias[:]
        bias[t] = other._model.bias[o]
        combination = dict(self._combination)
        if tag in other._combination:
            combination[tag] = other._combination[tag]
        thresholds = dict(self.thresholds)
        if tag in other.thresholds:
            thresholds[tag] = other.thresholds[tag]
        return Learner(_Linear(self._model.tags, weights, bias), combination, thresholds,
                       self._based)

    def to_dict(self, digits: int = 3) -> dict[str, object]:
        """The learner as plain data, for `from_dict`: each feature's weights rounded to
        `digits`, written as whole numbers of that unit (-12 for -0.012) joined by commas in
        one string, a zero as nothing ("12,,-3": a third of the weights are zero, and JSON
        spends more on lists of numbers); features whose weights all round to zero left out."""
        kept = {}
        for name, row in self._model.weights.items():
            rounded = [round(w * 10 ** digits) for w in row]
            if any(rounded):
                kept[name] = ",".join(str(w) if w else "" for w in rounded)
        return {"tags": list(self._model.tags), "bias": [round(b, 6) for b in self._model.bias],
                "weights": kept, "weight_digits": digits,
                "combination": {tag: list(w) for tag, w in self._combination.items()},
                "thresholds": self.thresholds, "based": list(self._based)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Learner:
        tags = tuple(data["tags"])
        scale = 10 ** int(data.get("weight_digits", 0))  # older data: the weights as decimals
        model = _Linear(tags, {name: [w / scale for w in _row(row)]
                               for name, row in data["weights"].items()},
                        [float(b) for b in data["bias"]])
        combination = {tag: tuple(float(w) for w in weights)
                       for tag, weights in data["combination"].items()}
        return cls(model, combination, {tag: float(t) for tag, t in data["thresholds"].items()},
                   tuple(data["based"]))


def _row(written: str | Sequence[float]) -> list[float]:
    """A feature's weights as `to_dict` writes them, or as a list (older files)."""
    if isinstance(written, str):
        return [int(w) if w else 0 for w in written.split(",")]
    return list(written)


def _combine(weights: Sequence[float], row: tuple[float, float]) -> float:
    text_weight, rule_weight, bias = weights
    return _sigmoid(text_weight * row[0] + rule_weight * row[1] + bias)


def log_odds(probability: float) -> float:
    """log(p / (1 - p)), kept finite."""
    p = min(1 - 1e-6, max(1e-6, probability))
    return math.log(p / (1 - p))


def _by_customer(
    examples: Sequence[Example], probabilities: Sequence[float], tag: str,
) -> list[tuple[float, bool]]:
    """(highest probability, has the tag) per customer: a customer gets a tag when any of
    their messages does."""
    best: dict[str, tuple[float, bool]] = {}
    for index, (example, probability) in enumerate(zip(examples, probabilities, strict=True)):
        key = example.group or f"#{index}"
        high, truth = best.get(key, (0.0, False))
        best[key] = (max(high, probability), truth or tag in example.labels)
    return list(best.values())
