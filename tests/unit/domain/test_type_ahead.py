"""Type-ahead over people's names: spellings, and the next row a typed prefix names."""

from __future__ import annotations

from desktop.domain.type_ahead import TypeAheadIndex, name_spellings

ROWS = [
    (10, ("张三", "")),
    (11, ("李四", "老张")),
    (12, ("曾国藩", "")),
    (13, ("Tom Li", "")),
    (14, ("张三丰", "")),
    (15, ("", "")),
]
INDEX = TypeAheadIndex(ROWS)


def test_a_name_is_typed_as_text_pinyin_or_initials() -> None:
    assert {"张三", "zhangsan", "zs", "zhs"} <= name_spellings("张三")
    assert {"zengguofan", "zgf", "cengguofan", "cgf"} <= name_spellings("曾国藩")  # surname first
    assert name_spellings("Tom Li") == {"tom li"}
    assert name_spellings("  ") == set()
    assert "ａｂ" not in name_spellings("ＡＢ") and "ab" in name_spellings("ＡＢ")  # width folded


def test_next_row_wraps_round_from_the_start_row() -> None:
    shown = [14, 13, 12, 11, 10]                # rows 0..4 in the table's order
    assert INDEX.next_row("zs", shown, 1) == 4                  # 张三 after row 1
    assert INDEX.next_row("zs", shown, 0) == 0                  # 张三丰 at the start row
    assert INDEX.next_row("zhangsanf", shown, 1) == 0           # wraps round to 张三丰
    assert INDEX.next_row("laozhang", shown, 0) == 3            # a remark
    assert INDEX.next_row("TOM", shown, 0) == 1
    assert INDEX.next_row("cgf", shown, 4) == 2
    assert INDEX.next_row("wz", shown, 0) is None


def test_rows_not_shown_are_never_chosen() -> None:
    assert INDEX.next_row("zs", [13, 12, 11], 0) is None
    assert INDEX.next_row("l", [13, 11], 1) == 1
    assert INDEX.next_row("l", [], 0) is None
    assert INDEX.next_row("", [10], 0) is None
