"""`tagdesk autotag classify` as other tools run it: the file formats, the summary line, bad
lines by number, odd messages and bad training data, each a sentence and never a traceback."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from desktop.services.autotag_base import load_base_model
from tests.integration.conftest import Cli

KEYWORDS = {"tags": {
    "嫌贵": {"keywords": ["太贵", "便宜点", "优惠"]},
    "高意向": {"keywords": ["想买", "下单", "付款"]},
    "物流": {"keywords": ["快递", "发货", "物流"]},
    "VIP": {"keywords": []},
}}
MESSAGES = [
    {"id": "m1", "customer": "c1", "text": "能便宜点不"},
    {"id": "m2", "customer": "c1", "text": "那我想买两台"},
    {"id": "m3", "customer": "c2", "text": "不想买了"},
    {"id": "m4", "customer": "c2", "text": "還沒收到貨"},
    {"id": "m5", "customer": "c3", "text": ""},
    {"id": "m6", "customer": "c3", "text": "😀😀😀"},
    {"id": "m7", "customer": "c3", "text": "太贵" + "啊" * 100_000},
    {"id": "m8", "customer": "c4", "text": "\x00\x07\ufffd\x1b[31m"},
]


def write_jsonl(path: Path, rows: Sequence[Mapping[str, object]],
                extra: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    keywords = tmp_path / "kw.json"
    keywords.write_text(json.dumps(KEYWORDS, ensure_ascii=False), encoding="utf-8")
    return {"kw": keywords, "msg": write_jsonl(tmp_path / "msg.jsonl", MESSAGES),
            "out": tmp_path / "pred.jsonl"}


def read_predictions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_classify_writes_one_prediction_per_message_in_order(cli: Cli, files: dict[str, Path]) -> None:
    result = cli("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                 str(files["msg"]), "--out", str(files["out"]), "--json", "--evidence")
    assert result.returncode == 0, result.stderr
    predictions = read_predictions(files["out"])
    assert [p["id"] for p in predictions] == [m["id"] for m in MESSAGES]
    [logistics] = [p["suggestions"] for p in predictions if p["id"] == "m4"]
    # Without TRAIN the bundled base model judges the tags linked to packs, with the rules.
    assert [(s["tag"], s["source"]) for s in logistics] == [("物流", "rules+base")]
    assert "沒收到" in "".join(logistics[0]["evidence"]) and logistics[0]["confidence"] >= 0.5
    assert {p["id"]: p["labels"] for p in predictions} == {
        "m1": ["嫌贵"], "m2": ["高意向"], "m3": [], "m4": ["物流"], "m5": [], "m6": [],
        "m7": ["嫌贵"], "m8": [],
    }
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["messages"] == len(MESSAGES)
    assert summary["elapsed_s"] > 0 and 0 < summary["ms_per_message"] < 1000
    assert summary["customer_tags"] == {"嫌贵": 2, "高意向": 1, "物流": 1}
    assert "“VIP”没有关键词" in result.stderr and "never suggested" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_line_stops_the_run_or_is_skipped(cli: Cli, files: dict[str, Path], tmp_path: Path) -> None:
    broken = write_jsonl(tmp_path / "broken.jsonl", MESSAGES[:2],
                         ('{"id": "x", "text": "no customer"}', "{not json", "[1, 2]"))
    with broken.open("ab") as handle:
        handle.write(b'{"id": "y", "customer": "c9", "text": "\xff\xfe"}\n')
        handle.write(b'{"id": "z", "customer": "c9", "text": "' + b"x" * 1_100_000 + b'"}\n')
        handle.write(json.dumps(MESSAGES[3], ensure_ascii=False).encode() + b"\n")
    arguments = ("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                 str(broken), "--out", str(files["out"]))
    stopped = cli(*arguments)
    assert stopped.returncode == 2
    assert "第 3 行：缺少文本字段 customer（另有 4 行有问题）；未写出任何结果" in stopped.stderr
    assert "line 3: the text field customer is missing (4 more bad lines)" in stopped.stderr
    assert "--on-error skip" in stopped.stderr and "Traceback" not in stopped.stderr
    assert not files["out"].exists()

    skipped = cli(*arguments, "--on-error", "skip", "--json")
    assert skipped.returncode == 0, skipped.stderr
    assert [p["id"] for p in read_predictions(files["out"])] == ["m1", "m2", "m4"]
    summary = json.loads(skipped.stdout.splitlines()[-1])
    assert [(s["line"], s["en"]) for s in summary["skipped_lines"]] == [
        (3, "the text field customer is missing"), (4, "not valid JSON (column 2)"),
        (5, "must be a JSON object"), (6, "not UTF-8 text"), (7, "the line is over 1,000,000 bytes")]
    assert "broken.jsonl line 4: not valid JSON" in skipped.stderr


def test_training_data_feeds_the_learner_and_unknown_tags_are_named(
        cli: Cli, files: dict[str, Path], tmp_path: Path) -> None:
    training = [
        {"id": f"t{i}", "customer": f"k{i % 7}", "text": text, "labels": labels}
        for i, (text, labels) in enumerate([
            ("有点超预算了", ["嫌贵"]), ("这个价我接受不了", ["嫌贵"]), ("能再少点吗", ["嫌贵"]),
            ("我要两台", ["高意向"]), ("链接发我，我拍", ["高意向"]), ("好的谢谢", []),
            ("你们几点下班", []), ("什么时候到货", ["物流"]), ("单号发我一下", ["物流"]),
        ] * 3)
    ]
    train = write_jsonl(tmp_path / "train.jsonl", training)
    result = cli("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                 str(files["msg"]), "--out", str(files["out"]), "--train", str(train), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["trained_on"] == len(training)
    assert len(read_predictions(files["out"])) == len(MESSAGES)

    unknown = write_jsonl(tmp_path / "unknown.jsonl",
                          [{"id": "u", "customer": "c", "text": "hi", "labels": ["已成交"]}])
    refused = cli("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                  str(files["msg"]), "--out", str(files["out"]), "--train", str(unknown))
    assert refused.returncode == 2
    assert "训练数据里有关键词文件中没有的标签：已成交" in refused.stderr
    assert "The training data has tags the keywords file does not: 已成交" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_summary_names_each_tags_threshold(
        cli: Cli, files: dict[str, Path], tmp_path: Path) -> None:
    training = [
        {"id": f"t{i}", "customer": f"k{i}", "text": text, "labels": labels}
        for i, (text, labels) in enumerate([
            ("有点超预算了", ["嫌贵"]), ("这个价我接受不了", ["嫌贵"]), ("能再少点吗", ["嫌贵"]),
            ("好的谢谢", []), ("你们几点下班", []), ("什么时候到货", ["物流"]),
        ] * 4)
    ]
    train = write_jsonl(tmp_path / "train.jsonl", training)
    chosen = cli("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                 str(files["msg"]), "--out", str(files["out"]), "--train", str(train), "--json")
    assert chosen.returncode == 0, chosen.stderr
    thresholds = json.loads(chosen.stdout.splitlines()[-1])["thresholds"]
    # 嫌贵: twelve confirmed customers, a threshold of its own (here the lowest, as its pack's
    # is); 物流: four, and 高意向: none, keep the one chosen for their packs on the base
    # model's data; VIP, with no pack, 0.5.
    base = load_base_model().thresholds
    assert set(thresholds) == set(KEYWORDS["tags"])
    assert 0.2 <= thresholds["嫌贵"] <= 0.95
    assert (thresholds["物流"], thresholds["高意向"]) == (
        round(base["物流咨询"], 3), round(base["高意向"], 3))
    assert thresholds["VIP"] == 0.5
    fixed = cli("autotag", "classify", "--keywords", str(files["kw"]), "--messages",
                str(files["msg"]), "--out", str(files["out"]), "--train", str(train),
                "--threshold", "0.7", "--json")
    assert set(json.loads(fixed.stdout.splitlines()[-1])["thresholds"].values()) == {0.7}
