"""`tagdesk autotag classify`: the scoring command (KW.json + MSG.jsonl → PRED.jsonl).

Names, flags, file formats and the JSON fields of the last stdout line are interfaces: never
rename. With --json, human-readable lines go to stderr so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import add_common, emit_json, human_output
from desktop.cli.errors import EXIT_OK, UsageError

SHOWN_PROBLEMS = 20


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"须为 0 到 1 之间的数 / must be a number from 0 to 1: {text!r}")
    return value


def register(autotag: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `classify` to the `tagdesk autotag` group."""
    classify = autotag.add_parser(
        "classify", help="suggest tags for messages (KW.json + MSG.jsonl -> PRED.jsonl)")
    add_common(classify)
    classify.add_argument("--keywords", required=True, type=Path, metavar="KW.json",
                          help='{"tags": {"<tag name>": {"keywords": ["...", "..."]}}}')
    classify.add_argument("--messages", required=True, type=Path, metavar="MSG.jsonl",
                          help='one {"id": "...", "customer": "...", "text": "..."} per line')
    classify.add_argument("--out", required=True, type=Path, metavar="PRED.jsonl",
                          help='one {"id": "...", "labels": [...]} per message, same order')
    classify.add_argument("--train", type=Path, metavar="TRAIN.jsonl",
                          help='messages with confirmed tags ("labels": [...]) for the learner;'
                               " without it the rules alone decide")
    classify.add_argument("--threshold", type=_threshold, metavar="0..1",
                          help="lowest confidence written as a label, for every tag (default:"
                               " 0.5, or per tag the one chosen on TRAIN for 90%% precision)")
    classify.add_argument("--on-error", choices=("stop", "skip"), default="stop",
                          help="a bad line in MSG/TRAIN: stop and write nothing (default),"
                               " or skip it and classify the rest")
    classify.add_argument("--evidence", action="store_true",
                          help='also write every suggestion to PRED.jsonl ("suggestions":'
                               " tag, confidence, evidence, source)")
    classify.add_argument("--json", action="store_true", help="end with a JSON summary line")
    classify.set_defaults(handler=classify_command)


def classify_command(args: argparse.Namespace) -> int:
    from desktop.services.autotag_classify import classify_files

    if args.out.resolve() in (args.messages.resolve(), args.keywords.resolve()) or (
            args.train is not None and args.out.resolve() == args.train.resolve()):
        raise UsageError("--out 不能是输入文件本身。", "--out must not be one of the input files.")
    result = classify_files(args.keywords, args.messages, args.out, train=args.train,
                            on_error=args.on_error, threshold=args.threshold,
                            evidence=args.evidence)
    human = human_output(args)
    for warning in result.warnings:
        print(f"提示 / note: {warning}", file=sys.stderr)
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"已跳过 / skipped: {problem}", file=sys.stderr)
    if len(result.problems) > SHOWN_PROBLEMS:
        rest = len(result.problems) - SHOWN_PROBLEMS
        print(f"另有 {rest} 行已跳过 / {rest} more lines skipped", file=sys.stderr)
    learner_zh = f"，学习器用 {result.trained_on} 条已确认消息训练" if result.trained_on else "（仅规则）"
    learner_en = f", learner trained on {result.trained_on} confirmed messages" if result.trained_on else " (rules only)"
    print(f"已为 {result.messages} 条消息（{result.customers} 位客户）给出标签{learner_zh}，"
          f"{result.labelled_messages} 条有标签；用时 {result.elapsed_s:.2f} 秒，"
          f"每条 {result.ms_per_message:.2f} 毫秒；结果在 {args.out}", file=human)
    print(f"Labelled {result.messages} messages ({result.customers} customers){learner_en};"
          f" {result.labelled_messages} got a tag; {result.elapsed_s:.2f} s,"
          f" {result.ms_per_message:.2f} ms per message; written to {args.out}", file=human)
    for tag, count in sorted(result.tag_counts.items(), key=lambda item: -item[1]):
        print(f"  {tag}: {count} 条消息 / messages, "
              f"{result.customer_tag_counts.get(tag, 0)} 位客户 / customers", file=human)
    if args.json:
        emit_json({
            "messages": result.messages,
            "elapsed_s": round(result.elapsed_s, 3),
            "ms_per_message": round(result.ms_per_message, 3),
            "customers": result.customers,
            "labelled_messages": result.labelled_messages,
            "trained_on": result.trained_on,
            "build_s": round(result.build_s, 3),
            "tags": result.tag_counts,
            "customer_tags": result.customer_tag_counts,
            "skipped_lines": [{"file": p.file, "line": p.line, "zh": p.zh, "en": p.en}
                              for p in result.problems[:SHOWN_PROBLEMS]],
            "skipped_lines_total": len(result.problems),
            "warnings": [{"tag": w.tag, "zh": w.zh, "en": w.en} for w in result.warnings],
            "thresholds": {tag: round(value, 3) for tag, value in result.thresholds.items()},
        })
    return EXIT_OK
