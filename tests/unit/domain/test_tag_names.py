"""Tag and group name rules: normalisation, each WeCom limit, messages, spreadsheet cells."""

from __future__ import annotations

import pytest

from desktop.domain.tag_names import (
    NameCheck,
    ProblemCode,
    name_key,
    normalize,
    split_path,
    split_tag_list,
    validate_group_name,
    validate_tag_name,
)


def _codes(check: NameCheck) -> tuple[list[str], list[str]]:
    return [p.code.value for p in check.errors], [p.code.value for p in check.warnings]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("高意向", "高意向"),
        ("  高意向 ", "高意向"),
        ("ＶＩＰ客户", "VIP客户"),
        ("ＶＩＰ　　客户", "VIP 客户"),
        ("高 \t 意向", "高 意向"),
        ("教育 / K12", "教育/K12"),
        ("教育／Ｋ１２", "教育/K12"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_folds_width_and_whitespace(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_name_key_ignores_case_and_width() -> None:
    assert name_key("ＶＩＰ") == name_key("vip") == name_key(" Vip ")
    assert name_key("VIP") != name_key("VIP2")


def test_split_path_drops_empty_segments() -> None:
    assert split_path("教育/K12/小学") == ["教育", "K12", "小学"]
    assert split_path("/教育//K12/") == ["教育", "K12"]
    assert split_path("高意向") == ["高意向"]
    assert split_path("") == []


def test_plain_name_is_ok() -> None:
    check = validate_tag_name("高意向", ["低意向", "VIP"])
    assert check.ok
    assert (check.errors, check.warnings) == ([], [])
    assert check.normalized == "高意向"


def test_empty_name_is_an_error() -> None:
    check = validate_tag_name("  ", [])
    assert not check.ok
    assert _codes(check) == (["empty"], [])
    assert check.errors[0].zh == "标签名称不能为空，请输入名称。"
    assert validate_group_name("", []).errors[0].zh == "标签组名称不能为空，请输入名称。"


def test_thirty_one_characters_are_rejected_with_the_count_to_remove() -> None:
    check = validate_tag_name("客" * 31, [])
    assert _codes(check) == (["too_long"], [])
    problem = check.errors[0]
    assert (
        "31 个字" in problem.zh and "最多允许 30 个" in problem.zh and "删掉 1 个字" in problem.zh
    )
    assert "remove 1" in problem.en


def test_thirty_characters_pass_with_a_console_warning() -> None:
    check = validate_tag_name("客" * 30, [])
    assert check.ok
    assert _codes(check) == ([], ["long"])
    assert "管理后台可能显示不全" in check.warnings[0].zh
    assert "admin console" in check.warnings[0].en


def test_fifteen_characters_need_no_warning() -> None:
    assert _codes(validate_tag_name("客" * 15, [])) == ([], [])
    assert _codes(validate_tag_name("客" * 16, [])) == ([], ["long"])


def test_length_limits_are_configurable_and_count_code_points() -> None:
    assert _codes(validate_tag_name("abcdef", [], max_len=5, warn_len=3)) == (["too_long"], [])
    assert _codes(validate_tag_name("abcd", [], max_len=5, warn_len=3)) == ([], ["long"])
    assert validate_tag_name("高" * 30, []).ok  # 90 UTF-8 bytes, 30 code points


def test_length_counts_the_normalised_name() -> None:
    assert validate_tag_name("  " + "客" * 30 + "  ", []).ok


@pytest.mark.parametrize("sibling", ["高意向", " 高意向", "ＶＩＰ", "vip", "Vip"])
def test_duplicate_of_sibling_ignores_case_width_and_spaces(sibling: str) -> None:
    name = "高意向" if "意" in sibling else "VIP"
    check = validate_tag_name(name, [sibling])
    assert _codes(check)[0] == ["duplicate"]
    assert f"本组已有标签「{sibling}」" in check.errors[0].zh
    assert "choose another name" in check.errors[0].en


def test_group_duplicates_are_corp_wide_and_say_so() -> None:
    check = validate_group_name("客户等级", ["行业", "客户等级"])
    assert _codes(check) == (["duplicate"], [])
    assert "企业里已有标签组「客户等级」" in check.errors[0].zh
    assert validate_group_name("客户等级2", ["客户等级"]).ok


@pytest.mark.parametrize("separator", [",", "，", ";", "；", "、", "|", "｜"])
def test_separators_that_split_imports_are_errors(separator: str) -> None:
    check = validate_tag_name(f"高{separator}低", [])
    assert _codes(check) == (["separator"], [])
    assert f"「{separator}」" in check.errors[0].zh
    assert "请删掉或改用「-」" in check.errors[0].zh


def test_each_separator_is_named_once() -> None:
    check = validate_tag_name("a,b,c、d", [])
    assert check.errors[0].zh.startswith("名称含有分隔符「,」「、」，")
    assert '"," "、"' in check.errors[0].en


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\u2028"])
def test_inner_newline_is_an_error(newline: str) -> None:
    check = validate_tag_name(f"高{newline}意向", [])
    assert _codes(check) == (["newline"], [])
    assert "请把名称写在同一行" in check.errors[0].zh


def test_trailing_newline_from_a_paste_is_only_trimmed() -> None:
    check = validate_tag_name("高意向\n", [])
    assert check.ok
    assert _codes(check) == ([], ["whitespace"])


@pytest.mark.parametrize("char", ["\u200b", "\x07", "\ufeff", "\x0b", "\ue000"])
def test_control_and_invisible_characters_are_errors(char: str) -> None:
    check = validate_tag_name(f"高{char}意向", [])
    assert _codes(check)[0] == ["control"]
    assert f"U+{ord(char):04X}" in check.errors[0].zh


@pytest.mark.parametrize("name", ["😀好客户", "☕常客", "❤\ufe0f客户", "𠮷野家"])
def test_emoji_and_non_bmp_characters_are_errors(name: str) -> None:
    check = validate_tag_name(name, [])
    assert _codes(check) == (["emoji"], [])
    assert "\ufe0f" not in check.errors[0].zh
    assert "表情符号或生僻字" in check.errors[0].zh


def test_plain_symbols_in_the_basic_plane_are_allowed() -> None:
    assert validate_tag_name("★重点客户", []).ok
    assert validate_tag_name("MKT-线索", []).ok


def test_path_names_up_to_four_segments_are_fine() -> None:
    assert validate_tag_name("教育/K12/小学/一年级", []).ok


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("教育//K12", "path_empty_segment"),
        ("/教育", "path_edge"),
        ("教育/", "path_edge"),
        ("教育 / / K12", "path_empty_segment"),
        ("a/b/c/d/e", "path_depth"),
    ],
)
def test_path_problems(name: str, code: str) -> None:
    check = validate_tag_name(name, [])
    assert _codes(check) == ([code], [])


def test_path_depth_follows_max_depth() -> None:
    check = validate_tag_name("a/b/c", [], max_depth=3)
    assert _codes(check) == (["path_depth"], [])
    assert "最多显示 3 级" in check.errors[0].zh and "2 段以内" in check.errors[0].zh


def test_group_names_have_no_path_rules() -> None:
    assert validate_group_name("教育/培训", []).ok


def test_whitespace_change_is_a_warning_showing_the_saved_name() -> None:
    check = validate_tag_name("  高   意向 ", [])
    assert check.ok
    assert _codes(check) == ([], ["whitespace"])
    assert "「高 意向」" in check.warnings[0].zh
    assert check.normalized == "高 意向"


def test_width_change_is_a_warning_showing_the_saved_name() -> None:
    check = validate_tag_name("ＶＩＰ客户", [])
    assert _codes(check) == ([], ["width"])
    assert "「VIP客户」" in check.warnings[0].zh
    assert '"VIP客户"' in check.warnings[0].en


def test_full_width_space_is_a_whitespace_change_only() -> None:
    assert _codes(validate_tag_name("高\u3000意向", [])) == ([], ["whitespace"])


def test_several_problems_are_reported_together() -> None:
    check = validate_tag_name("😀" + "客" * 30 + "，", ["x"])
    assert set(_codes(check)[0]) == {"emoji", "too_long", "separator"}


def test_every_message_is_one_sentence_in_both_languages() -> None:
    names = ["", "dup", "a,b", "a\nb", "a\u200bb", "😀", "/a", "a//b", "a/b/c/d/e"]
    names += ["客" * 31, "客" * 20, " ａ "]
    checks = [validate_tag_name(name, ["dup"]) for name in names]
    problems = [p for c in checks for p in (*c.errors, *c.warnings)]
    assert {p.code for p in problems} == set(ProblemCode)
    for problem in problems:
        assert problem.zh.endswith("。") and problem.zh.count("。") == 1
        assert problem.en.endswith(".") and problem.en[0].isupper()


def test_split_tag_list_on_every_separator() -> None:
    cell = "高意向、低意向,VIP，老客户;新客户；待回访\n已成交\r\n流失"
    expected = ["高意向", "低意向", "VIP", "老客户", "新客户", "待回访", "已成交", "流失"]
    assert split_tag_list(cell) == expected


def test_split_tag_list_trims_drops_empties_and_deduplicates_in_order() -> None:
    assert split_tag_list(" 高意向 ,, 、VIP ;高意向;\n\n ＶＩＰ ") == ["高意向", "VIP"]
    assert split_tag_list("") == []
    assert split_tag_list(" ,、; ") == []


def test_split_tag_list_keeps_paths_and_pipes() -> None:
    assert split_tag_list("教育/K12、a|b") == ["教育/K12", "a|b"]
