"""A JSONL line that is not JSON says why in both languages, with no English in the Chinese."""

from __future__ import annotations

import re

import pytest

from desktop.domain.record_lines import BadLine, json_line


@pytest.mark.parametrize(("raw", "zh", "en"), [
    (b'{"text": "\xe5\xa5\xbd\n', "第 12 列：文本里有未转义的换行或制表符，或文本缺少右引号",
     "column 12: a raw line break or tab inside a text, or a text without its closing quote"),
    (b'{"text": "abc', "第 10 列：文本缺少右引号", "column 10: a text without its closing quote"),
    (b'{"text" "abc"}', "第 9 列：缺少冒号", "column 9: a colon is missing"),
    (b"{text: 1}", "第 2 列：字段名要用英文双引号括起来", "column 2: a field name must be in double quotes"),
    (b'{"a": 1} {"b": 2}', "第 10 列：一行只能有一个 JSON 对象", "column 10: more than one JSON value"),
    (b'{"a": }', "第 7 列：这里缺少一个值", "column 7: a value is missing here"),
])
def test_a_line_that_is_not_json_says_why_in_both_languages(raw: bytes, zh: str,
                                                             en: str) -> None:
    with pytest.raises(BadLine) as caught:
        json_line(raw, 1000)
    assert caught.value.zh == f"不是有效的 JSON（{zh}）"
    assert not re.search(r"[A-Za-z]{3,}", caught.value.zh.replace("JSON", ""))
    assert caught.value.en.startswith(f"not valid JSON ({en}")


def test_a_reason_python_words_otherwise_keeps_its_words_in_english_only() -> None:
    with pytest.raises(BadLine) as caught:
        json_line(b'{"a": "\\u12"}', 1000)
    assert caught.value.zh == "不是有效的 JSON（第 9 列）"
    assert caught.value.en == "not valid JSON (column 9: Invalid \\uXXXX escape)"
