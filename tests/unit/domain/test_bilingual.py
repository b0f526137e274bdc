"""Stored two-language text: written as "中文 / English", read in one language, old rows too."""

from __future__ import annotations

import pytest

from desktop.domain.bilingual import CHINESE, ENGLISH, both, choose_language, half, inner, shown
from desktop.domain.rule_reverts import named_rules, rule_reason


def test_a_writer_stores_both_halves_once_and_a_reader_picks_one() -> None:
    stored = both("导入 客户.xlsx：3/4 行", "import 客户.xlsx: 3/4 rows")
    assert stored == "导入 客户.xlsx：3/4 行 / Import 客户.xlsx: 3/4 rows"   # a capital, stored
    assert half(stored, english=False) == "导入 客户.xlsx：3/4 行"
    assert half(stored, english=True) == "Import 客户.xlsx: 3/4 rows"
    assert both("+VIP", "+VIP") == "+VIP" and half("+VIP", english=True) == "+VIP"
    assert both("vip", "vip") == "vip"      # one text: nothing to tell apart


def test_a_rule_runs_reason_lists_its_rules_with_the_chinese_comma_in_chinese() -> None:
    stored = rule_reason(["北京归华北", "付款即成交"])
    assert stored == "规则：北京归华北、付款即成交 / Rules: 北京归华北, 付款即成交"
    assert named_rules(stored, ["北京归华北", "付款即成交", "展会码"]) == ["北京归华北", "付款即成交"]
    older = "规则：北京归华北, 付款即成交 / rules: 北京归华北, 付款即成交"   # written lowercase
    assert named_rules(older, ["北京归华北", "付款即成交", "展会码"]) == ["北京归华北", "付款即成交"]


def test_a_name_holding_the_separator_stays_whole_in_its_half() -> None:
    stored = rule_reason(["华北 / VIP", "付款即成交"])
    assert half(stored, english=False) == "规则：华北 / VIP、付款即成交"
    assert half(stored, english=True) == "Rules: 华北 / VIP, 付款即成交"
    assert named_rules(stored, ["华北 / VIP", "付款即成交", "展会码"]) == ["华北 / VIP", "付款即成交"]


@pytest.mark.parametrize(("stored", "zh", "en"), [
    ("规则 rule: 北京归华北, 付款即成交", "规则：北京归华北, 付款即成交", "rules: 北京归华北, 付款即成交"),
    ("到期 expired, 规则 rule: 开票提醒", "到期，规则：开票提醒", "expired, rules: 开票提醒"),
    ("到期 expired", "到期", "expired"),
    ("撤销 undo batch-1", "撤销 batch-1", "undo batch-1"),
    ("迁移 migrate 高意向客户、意向 → 高意向", "迁移 高意向客户、意向 → 高意向", "migrate 高意向客户、意向 → 高意向"),
    ("标签到期 tag expiry: VIP, 试用", "标签到期：VIP, 试用", "tag expiry: VIP, 试用"),
    ("收编 adopt 客户阶段 → 客户阶段（新）", "收编 客户阶段 → 客户阶段（新）", "adopt 客户阶段 → 客户阶段（新）"),
    ("重标 replace 客户阶段 +已成交 到期 expires 30d", "重标 客户阶段 +已成交 到期 30d",
     "replace 客户阶段 +已成交 expires 30d"),
])
def test_rows_written_before_read_in_one_language(stored: str, zh: str, en: str) -> None:
    assert half(stored, english=False) == zh
    assert half(stored, english=True) == en


def test_a_rule_runs_older_reason_still_names_its_rules() -> None:
    assert named_rules("规则 rule: 北京归华北, 展会码", ["北京归华北", "展会码", "开票提醒"]) == [
        "北京归华北", "展会码"]
    assert named_rules("到期 / expired", ["到期"]) == []


@pytest.mark.parametrize(("saved", "system_locale", "chosen"), [
    ("en", "zh_CN.UTF-8", ENGLISH),          # the app's choice wins
    ("zh_CN", "en_US.UTF-8", CHINESE),
    ("", "en_US.UTF-8", ENGLISH),           # else the system's language
    ("", "en_GB", ENGLISH),
    ("", "de_DE", CHINESE),                 # else Chinese, the default
    ("", "C", CHINESE),
    ("fr", "", CHINESE),                    # an unknown choice is ignored
])
def test_the_app_and_the_command_line_pick_the_language_the_same_way(
        saved: str, system_locale: str, chosen: str) -> None:
    assert choose_language(saved, system_locale) == chosen


def test_a_half_shown_on_its_own_starts_an_english_sentence_with_a_capital() -> None:
    assert shown("到期，规则：北京 / expired, rules: 北京", english=True) == "Expired, rules: 北京"
    assert shown("规则 rule: 北京归华北", english=True) == "Rules: 北京归华北"   # an older row
    assert shown("到期，规则：北京 / expired, rules: 北京", english=False) == "到期，规则：北京"
    assert shown("+VIP", english=True) == "+VIP" and shown("", english=True) == ""


@pytest.mark.parametrize(("zh", "en", "stored_en"), [
    ("#4 7 天内无人处理", "#4 not decided within 7 days", "#4 Not decided within 7 days"),
    ("#12 申请人 lee：太旧", "#12 requested by lee: too old", "#12 Requested by lee: too old"),
    ("「VIP」已删除", "“VIP” deleted", "“VIP” deleted"),    # a word inside marks stays
    ("+vip", "+vip ok", "+vip ok"),                             # so does a tag name after a sign
    ("#4 高意向", "#4 高意向", "#4 高意向"),
])
def test_the_english_half_capitalises_its_first_letter_after_a_number_or_sign(
        zh: str, en: str, stored_en: str) -> None:
    assert half(both(zh, en), english=True) == stored_en
    assert shown(f"{zh} / {en}", english=True) == stored_en      # a row stored before, too


def test_an_english_half_quoted_in_a_sentence_starts_lowercase_again() -> None:
    assert inner("#4 Not decided within 7 days") == "#4 not decided within 7 days"
    assert inner("Expired, rules: 北京") == "expired, rules: 北京"
    assert inner("VIP added") == "VIP added" and inner("#4 VIP") == "#4 VIP"
    assert inner("+Vip") == "+Vip" and inner("") == ""
