"""The scoring run behind `tagdesk autotag classify`: read MSG.jsonl (and TRAIN.jsonl), build
the tagger from KW.json, the bundled packs and the bundled base model, write PRED.jsonl.

MSG.jsonl: one `{"id": "...", "customer": "...", "text": "..."}` per line; TRAIN.jsonl the same
plus `"labels": ["<tag name>", ...]`. PRED.jsonl: one `{"id": "...", "labels": [...]}` per
message read, in the same order (with `evidence`, also `"suggestions"`: every suggestion
with its confidence, evidence and source, those below the threshold too). A line that is not such an object (bad JSON, bad UTF-8,
missing fields) is a `LineProblem` with its line number: the run stops before writing
anything, or skips those lines, as the caller chooses.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.autotag import (
    AutoTagger,
    KeywordWarning,
    LabelledMessage,
    Suggestion,
    TagKeywords,
)
from desktop.domain.echo import echo
from desktop.domain.errors import UserError
from desktop.domain.file_errors import cannot_read, cannot_write
from desktop.services.autotag_base import load_base_model
from desktop.services.autotag_keywords import read_keywords_file
from desktop.services.autotag_packs import load_intent_packs

MAX_LINE_BYTES = 1_000_000
MEMO_MAX_CHARS = 50     # short messages repeat (好的, 收到, 在吗): classified once each
SKIP = "skip"
STOP = "stop"


class ClassifyError(UserError):
    """A file the scoring run cannot use; `str()` is "中文 / English"."""


@dataclass(frozen=True)
class LineProblem:
    """A line of MSG.jsonl or TRAIN.jsonl that is not a message."""

    file: str
    line: int
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.file} 第 {self.line} 行：{self.zh} / {self.file} line {self.line}: {self.en}"


@dataclass
class ClassifyResult:
    """What a run did: counts, timings, problems skipped and the keyword warnings.
    `classify_s` is the time spent classifying messages; `elapsed_s` the whole run (reading,
    building the tagger, training, writing)."""

    messages: int
    customers: int
    labelled_messages: int
    tag_counts: dict[str, int]
    customer_tag_counts: dict[str, int]
    elapsed_s: float
    build_s: float
    classify_s: float
    trained_on: int
    problems: list[LineProblem] = field(default_factory=list)
    warnings: list[KeywordWarning] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)    # tag → threshold used

    @property
    def ms_per_message(self) -> float:
        return 1000.0 * self.classify_s / self.messages if self.messages else 0.0


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line; a line over MAX_LINE_BYTES comes back cut to
    MAX_LINE_BYTES + 1 bytes (the rest is skipped unread into memory), so it is reported."""
    try:
        with path.open("rb") as handle:
            number = 0
            while line := handle.readline(MAX_LINE_BYTES + 1):
                number += 1
                if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                    while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                        pass
                yield number, line
    except OSError as exc:
        raise ClassifyError(*cannot_read(path, exc)) from None


def read_messages(path: Path, *, labelled: bool) -> tuple[list[LabelledMessage], list[LineProblem]]:
    """Every message of a JSONL file and every line that is not one (blank lines are skipped)."""
    messages: list[LabelledMessage] = []
    problems: list[LineProblem] = []
    name = echo(path.name, 80)
    for number, raw in _lines(path):
        if not raw.strip():
            continue
        try:
            messages.append(_message(raw, labelled, number))
        except _BadLine as bad:
            problems.append(LineProblem(name, number, bad.zh, bad.en))
    return messages, problems


class _BadLine(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _message(raw: bytes, labelled: bool, number: int) -> LabelledMessage:
    if len(raw) > MAX_LINE_BYTES:
        raise _BadLine(f"这一行超过 {MAX_LINE_BYTES:,} 字节", f"the line is over {MAX_LINE_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError:
        raise _BadLine("不是 UTF-8 文本", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _BadLine(f"不是有效的 JSON（第 {exc.colno} 列）",
                       f"not valid JSON (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise _BadLine("须为 JSON 对象", "must be a JSON object")
    ident, customer, text = data.get("id"), data.get("customer"), data.get("text")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not ident:
        raise _BadLine("缺少文本字段 id", "the text field id is missing")
    if isinstance(customer, int) and not isinstance(customer, bool):
        customer = str(customer)
    if not isinstance(customer, str) or not customer:
        raise _BadLine("缺少文本字段 customer", "the text field customer is missing")
    if not isinstance(text, str):
        raise _BadLine("缺少文本字段 text", "the text field text is missing")
    labels: tuple[str, ...] = ()
    if labelled:
        raw_labels = data.get("labels")
        if not isinstance(raw_labels, list) or not all(isinstance(x, str) for x in raw_labels):
            raise _BadLine("labels 须为标签名列表", "labels must be a list of tag names")
        labels = tuple(dict.fromkeys(label.strip() for label in raw_labels if label.strip()))
    return LabelledMessage(ident, customer, text, labels)


def _stop_on(problems: list[LineProblem]) -> None:
    first = problems[0]
    more_zh = f"（另有 {len(problems) - 1} 行有问题）" if len(problems) > 1 else ""
    more_en = f" ({len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
    raise ClassifyError(
        f"{first.file} 第 {first.line} 行：{first.zh}{more_zh}；未写出任何结果。"
        "修正该行，或加 --on-error skip 跳过有问题的行。",
        f"{first.file} line {first.line}: {first.en}{more_en}; nothing was written."
        " Fix the line, or add --on-error skip to skip bad lines.")


def classify_files(
    keywords: Path, messages: Path, out: Path, *, train: Path | None = None,
    on_error: str = STOP, threshold: float | None = None, evidence: bool = False,
) -> ClassifyResult:
    """Classify MSG.jsonl into PRED.jsonl; see the module docstring. `threshold`: the
    lowest confidence written as a label, for every tag (None: each tag the base model
    judges gets the threshold chosen on the base's data, moved by its confirmed customers in
    TRAIN; each tag learnt from TRAIN with enough confirmed customers the threshold chosen on
    TRAIN; the others 0.5)."""
    started = time.perf_counter()
    tag_keywords = read_keywords_file(keywords)
    if not tag_keywords:
        raise ClassifyError(f"{echo(str(keywords))} 里没有标签。",
                            f"{echo(str(keywords))} holds no tags.")
    to_classify, problems = read_messages(messages, labelled=False)
    training: list[LabelledMessage] = []
    if train is not None:
        training, train_problems = read_messages(train, labelled=True)
        problems.extend(train_problems)
    if problems and on_error == STOP:
        _stop_on(problems)
    tags = [TagKeywords(name, tuple(words)) for name, words in tag_keywords.items()]
    tagger = AutoTagger.build(tags, training, packs=load_intent_packs(), threshold=threshold,
                              base=load_base_model())
    built = time.perf_counter()
    tally = _Tally()
    _write_atomically(
        out, (_prediction_line(message, tagger, tally, evidence) for message in to_classify))
    finished = time.perf_counter()
    return ClassifyResult(
        messages=len(to_classify), customers=len(tally.by_customer),
        labelled_messages=tally.labelled, tag_counts=dict(tally.tags),
        customer_tag_counts=dict(Counter(
            tag for customer_tags in tally.by_customer.values() for tag in customer_tags)),
        elapsed_s=finished - started, build_s=built - started, classify_s=tally.seconds,
        trained_on=len(training), problems=problems, warnings=tagger.warnings(),
        thresholds={tag.name: tagger.threshold_for(tag.name) for tag in tags})


@dataclass
class _Tally:
    tags: Counter[str] = field(default_factory=Counter)
    by_customer: dict[str, set[str]] = field(default_factory=dict)
    labelled: int = 0
    seconds: float = 0.0
    said: dict[str, list[Suggestion]] = field(default_factory=dict)   # 好的, 收到: said often


def _prediction_line(
    message: LabelledMessage, tagger: AutoTagger, tally: _Tally, evidence: bool,
) -> str:
    started = time.perf_counter()
    suggestions = tally.said.get(message.text)
    if suggestions is None:
        suggestions = tagger.suggest(message.text)
        if len(message.text) <= MEMO_MAX_CHARS:
            tally.said[message.text] = suggestions
    labels = [s.tag for s in suggestions if s.confidence >= tagger.threshold_for(s.tag)]
    tally.seconds += time.perf_counter() - started
    tally.tags.update(labels)
    tally.by_customer.setdefault(message.customer, set()).update(labels)
    tally.labelled += bool(labels)
    line: dict[str, object] = {"id": message.id, "labels": labels}
    if evidence:
        line["suggestions"] = [
            {"tag": s.tag, "confidence": s.confidence, "evidence": list(s.evidence),
             "source": s.source} for s in suggestions]
    return json.dumps(line, ensure_ascii=False) + "\n"


def _write_atomically(path: Path, lines: Iterator[str]) -> None:
    """All lines or none: a temporary file beside `path`, renamed over it at the end."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise ClassifyError(*cannot_write(path, exc)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.writelines(lines)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ClassifyError(*cannot_write(path, exc)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
