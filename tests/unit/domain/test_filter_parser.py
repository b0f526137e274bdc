"""The filter parser: every construct, precedence, keywords, quoting, errors and round trips."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest

from desktop.domain.filter import (
    AddedTerm,
    And,
    BadDateError,
    Comparison,
    DateRange,
    DeptTerm,
    FilterError,
    FilterSyntaxError,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
    describe_error,
    parse,
    quote,
    render_caret,
    to_text,
)
from desktop.domain.filter.ast import Expr
from desktop.domain.filter.dates import parse_date_range


def tag(name: str, group: str | None = None, descendants: bool = False) -> TagTerm:
    return TagTerm(name, group, descendants)


def day(text: str) -> DateRange:
    parsed = parse_date_range(text)
    assert parsed is not None
    return parsed


# -- terms -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("高意向", tag("高意向")),
    ("VIP", tag("VIP")),
    ("教育/K12", tag("教育/K12")),
    ("MKT-高意向", tag("MKT-高意向")),
    ("v1.2_b", tag("v1.2_b")),
    ("Women's", tag("Women's")),
    ('"高 意向"', tag("高 意向")),
    ("'A&B'", tag("A&B")),
    ("「高 意向」", tag("高 意向")),
    ("“高 意向”", tag("高 意向")),
    ("‘a b’", tag("a b")),
    ("『a|b』", tag("a|b")),
    (r'"say \"hi\" \\ ok"', tag('say "hi" \\ ok')),
    ('"AND"', tag("AND")),
    ('"owner"', tag("owner")),
    ("客户等级:VIP", tag("VIP", "客户等级")),
    ("客户等级：VIP", tag("VIP", "客户等级")),
    ('"客户 等级":"VIP 1"', tag("VIP 1", "客户 等级")),
    ('"owner":VIP', tag("VIP", "owner")),
    ("教育/*", tag("教育", None, True)),
    ("教育/K12/*", tag("教育/K12", None, True)),
    ('"高 意向"/*', tag("高 意向", None, True)),
    ("行业:教育/*", tag("教育", "行业", True)),
    ("group:客户等级", GroupTerm("客户等级")),
    ("分组:客户等级", GroupTerm("客户等级")),
    ("GROUP:客户等级", GroupTerm("客户等级")),
    ('group:"客户 等级"', GroupTerm("客户 等级")),
    ("owner:zhangsan", OwnerTerm("zhangsan")),
    ("负责人:张三", OwnerTerm("张三")),
    ("owner=zhangsan", OwnerTerm("zhangsan")),
    ("部门＝销售", DeptTerm("销售")),
    ("before=2025", AddedTerm(Comparison.LT, day("2025"))),
    ("dept:销售一部", DeptTerm("销售一部")),
    ("部门:华东/销售一部", DeptTerm("华东/销售一部")),
    ("state:expo2026", StateTerm("expo2026")),
    ("渠道:展会A", StateTerm("展会A")),
    ("text:北京", TextTerm("北京")),
    ('搜索:"北京 朝阳"', TextTerm("北京 朝阳")),
    ("tags>=3", TagCountTerm(Comparison.GE, 3)),
    ("标签数<2", TagCountTerm(Comparison.LT, 2)),
    ("tags:0", TagCountTerm(Comparison.EQ, 0)),
    ("tags=4", TagCountTerm(Comparison.EQ, 4)),
    ("tags!=1", TagCountTerm(Comparison.NE, 1)),
    ("tags≠1", TagCountTerm(Comparison.NE, 1)),
    ("tags>1", TagCountTerm(Comparison.GT, 1)),
    ("tags<=5", TagCountTerm(Comparison.LE, 5)),
    ("tags＞1", TagCountTerm(Comparison.GT, 1)),
    ("added>2025-01-01", AddedTerm(Comparison.GT, day("2025-01-01"))),
    ("added<2025-06-30", AddedTerm(Comparison.LT, day("2025-06-30"))),
    ("added>=2025-01", AddedTerm(Comparison.GE, day("2025-01"))),
    ("添加时间<=2025", AddedTerm(Comparison.LE, day("2025"))),
    ("added:2025-03", AddedTerm(Comparison.EQ, day("2025-03"))),
    ("added≥2025/1/5", AddedTerm(Comparison.GE, day("2025-01-05"))),
    ("before:2025-06-30", AddedTerm(Comparison.LT, day("2025-06-30"))),
    ("after:2025年1月1日", AddedTerm(Comparison.GT, day("2025-01-01"))),
])
def test_terms(text: str, expected: Expr) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\u3000\t"])
def test_blank_filter_matches_all(text: str) -> None:
    assert parse(text) == MatchAll()


@pytest.mark.parametrize(("text", "first", "end"), [
    ("2025-01-31", date(2025, 1, 31), date(2025, 2, 1)),
    ("2024-02-29", date(2024, 2, 29), date(2024, 3, 1)),
    ("2025-12-31", date(2025, 12, 31), date(2026, 1, 1)),
    ("20250131", date(2025, 1, 31), date(2025, 2, 1)),
    ("2025.1.31", date(2025, 1, 31), date(2025, 2, 1)),
    ("2025年1月31号", date(2025, 1, 31), date(2025, 2, 1)),
    ("2025-12", date(2025, 12, 1), date(2026, 1, 1)),
    ("2025年2月", date(2025, 2, 1), date(2025, 3, 1)),
    ("2025", date(2025, 1, 1), date(2026, 1, 1)),
    ("2025年", date(2025, 1, 1), date(2026, 1, 1)),
])
def test_date_ranges(text: str, first: date, end: date) -> None:
    assert parse_date_range(text) == DateRange(first, end)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "25-01-01", "2025-1-1-1", "9999-12",
                                  "tomorrow", "2025年13月", "", "1969-12-31", "0001"])
def test_bad_dates(text: str) -> None:
    assert parse_date_range(text) is None


# -- operators and precedence ------------------------------------------------------

A, B, C, D = tag("A"), tag("B"), tag("C"), tag("D")


@pytest.mark.parametrize(("text", "expected"), [
    ("A B", And((A, B))),
    ("A AND B", And((A, B))),
    ("A and B", And((A, B))),
    ("A 且 B", And((A, B))),
    ("A & B", And((A, B))),
    ("A&B", And((A, B))),
    ("A && B", And((A, B))),
    ("A OR B", Or((A, B))),
    ("A Or B", Or((A, B))),
    ("A 或 B", Or((A, B))),
    ("A|B", Or((A, B))),
    ("A || B", Or((A, B))),
    ("NOT A", Not(A)),
    ("not A", Not(A)),
    ("非 A", Not(A)),
    ("-A", Not(A)),
    ("!A", Not(A)),
    ("！A", Not(A)),
    ("－A", Not(A)),
    ("A ＆ B", And((A, B))),
    ("A ｜ B", Or((A, B))),
    ("NOT NOT A", Not(Not(A))),
    ("A -B", And((A, Not(B)))),
    ("A OR B AND C", Or((A, And((B, C))))),
    ("A AND B OR C", Or((And((A, B)), C))),
    ("A B | C D", Or((And((A, B)), And((C, D))))),
    ("NOT A AND B", And((Not(A), B))),
    ("NOT A OR B", Or((Not(A), B))),
    ("NOT (A OR B)", Not(Or((A, B)))),
    ("-(A|B) C", And((Not(Or((A, B))), C))),
    ("(A OR B) AND C", And((Or((A, B)), C))),
    ("（A 或 B） 且 C", And((Or((A, B)), C))),
    ("(A)", A),
    ("((A))", A),
    ("A AND (B AND C)", And((A, B, C))),
    ("A OR (B OR C) OR D", Or((A, B, C, D))),
    ("A B C", And((A, B, C))),
    ("A-B", tag("A-B")),
    ("A非B", tag("A非B")),
    ("ANDROID", tag("ANDROID")),
    ("高意向 owner:zs tags>=2", And((tag("高意向"), OwnerTerm("zs"), TagCountTerm(Comparison.GE, 2)))),
])
def test_operators_and_precedence(text: str, expected: Expr) -> None:
    assert parse(text) == expected


def test_spans_point_into_the_text() -> None:
    expr = parse("高意向 AND 客户等级:VIP")
    assert isinstance(expr, And)
    first, second = expr.operands
    assert first.span == (0, 3)
    assert second.span == (8, 16)
    assert expr.span == (0, 16)
    negated = parse("  -VIP")
    assert isinstance(negated, Not)
    assert negated.span == (2, 6)


# -- syntax errors ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "position", "expected"), [
    ("高意向 AND", 7, ("term",)),
    ("高意向 OR", 6, ("term",)),
    ("AND 高意向", 0, ("term",)),
    ("NOT", 3, ("term",)),
    ("(A OR B", 7, (")",)),
    ("（A 或 B", 6, (")",)),
    ("A)", 1, ("end",)),
    ("A ) B", 2, ("end",)),
    ("()", 1, ("term",)),
    ("A & & B", 4, ("term",)),
    ("A | | B", 4, ("term",)),
    ("owner:", 6, ("value",)),
    ("owner: )", 7, ("value",)),
    ("客户等级:", 5, ("value",)),
    ("owner:AND", 6, ("value",)),
    ('owner:""', 6, ("value",)),
    ('A ""', 2, ("value",)),
    ("「」:A", 0, ("value",)),
    ('"abc', 4, ('"',)),
    ("高意向 「VIP", 8, ("」",)),
    ("tags>=x", 6, ("number",)),
    ("tags>=", 6, ("number",)),
    ("tags:-1", 5, ("number",)),
    ("tags>=1.5", 6, ("number",)),
    ("owner>3", 5, (":",)),
    ("高意向>3", 3, (":",)),
    ('"a">3', 3, (":",)),
    ("a=b", 1, (":",)),
    ("before>=2025", 6, (":",)),
    ("/*", 0, ("term",)),
    ("教育/*:VIP", 2, (":",)),
    ('owner:"a"/*', 9, ("end",)),
    (":A", 0, ("term",)),
])
def test_syntax_errors_have_exact_positions(
    text: str, position: int, expected: tuple[str, ...]
) -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse(text)
    assert caught.value.position == position
    assert caught.value.expected == expected
    assert isinstance(caught.value, FilterError)


def test_syntax_error_message_is_bilingual_and_names_the_found_token() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse("A & ) B")
    err = caught.value
    assert err.found == ")"
    assert "第 5 个字符处应为标签或条件" in str(err)
    assert "expected a tag or a condition at character 5" in str(err)
    assert (err.position, err.end) == (4, 5)


def test_unclosed_quote_names_the_opening_quote() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse('A "bc')
    assert "第 3 个字符处的引号" in caught.value.message_zh
    assert "character 3" in caught.value.message_en


def test_unmatched_closing_parenthesis_says_so() -> None:
    with pytest.raises(FilterSyntaxError) as caught:
        parse("(A) B)")
    assert caught.value.position == 5
    assert "no opening one" in str(caught.value)


@pytest.mark.parametrize(("text", "position", "end"), [
    ("added>2025-13-01", 6, 16),
    ("A after:yesterday", 8, 17),
    ("before:2025-02-30", 7, 17),
])
def test_bad_dates_are_filter_errors_at_the_value(text: str, position: int, end: int) -> None:
    with pytest.raises(BadDateError) as caught:
        parse(text)
    assert (caught.value.position, caught.value.end) == (position, end)
    assert "2025-01-31" in caught.value.message_zh


def test_caret_lines_up_under_wide_characters() -> None:
    assert render_caret("高意向 AND", 7) == "高意向 AND\n          ^"
    assert render_caret("A\tB", 2) == "A B\n  ^"
    assert render_caret("abc", 99) == "abc\n   ^"
    with pytest.raises(FilterSyntaxError) as caught:
        parse("客户等级:")
    assert describe_error("客户等级:", caught.value).splitlines()[1:] == [
        "客户等级:", " " * 9 + "^",
    ]


# -- printing and round trips -------------------------------------------------------------


@pytest.mark.parametrize(("text", "printed"), [
    ("高意向 VIP", "高意向 AND VIP"),
    ("A | B C", "A OR B AND C"),
    ("-(A|B) 非 C", "NOT (A OR B) AND NOT C"),
    ("(A | B) (C | D)", "(A OR B) AND (C OR D)"),
    ("NOT (A B)", "NOT (A AND B)"),
    ("「高 意向」", '"高 意向"'),
    ("'say \"x\"'", r'"say \"x\""'),
    ("'owner'", '"owner"'),
    ("'NOT'", '"NOT"'),
    ("'-x'", '"-x"'),
    ("'a/*'", '"a/*"'),
    ('"客户 等级":教育/*', '"客户 等级":教育/*'),
    ("负责人:张三 部门:销售 渠道:展会A 搜索:北京 分组:等级", "owner:张三 AND dept:销售 AND "
     "state:展会A AND text:北京 AND group:等级"),
    ("before:2025-06-30 after:2025年1月", "added<2025-06-30 AND added>2025年1月"),
    ("标签数>=3 tags:0", "tags>=3 AND tags:0"),
    ("", ""),
])
def test_printer(text: str, printed: str) -> None:
    assert to_text(parse(text)) == printed


def test_printer_spells_date_ranges_built_in_code() -> None:
    for text in ("2025", "2025-02", "2025-02-03"):
        parsed = parse_date_range(text)
        assert parsed is not None
        bare = DateRange(parsed.first, parsed.end)
        assert to_text(AddedTerm(Comparison.GE, bare)) == f"added>={text}"


@pytest.mark.parametrize("name", ["高意向", "a b", "A&B", 'q"uote', "back\\slash", "and", "非",
                                  "-x", "!x", "'x", "「x", "x/*", "tags", "a:b", "（x）", "x=y"])
def test_quote_reads_back(name: str) -> None:
    assert parse(quote(name)) == tag(name)
    assert parse(f"{quote('组 A')}:{quote(name)}") == tag(name, "组 A")


_WORDS = ["高意向", "VIP", "教育/K12", "a b", "A&B", "非", "or", "客户等级", "x-y", "'q'"]


def _random_expr(rng: random.Random, depth: int) -> Expr:
    kind = rng.randrange(12 if depth > 0 else 8)
    word = rng.choice(_WORDS)
    if kind == 0:
        return tag(word, rng.choice([None, "客户等级", "组 1"]), rng.random() < 0.3)
    if kind == 1:
        return GroupTerm(word)
    if kind == 2:
        terms: list[Callable[[str], Expr]] = [OwnerTerm, DeptTerm, StateTerm, TextTerm]
        return rng.choice(terms)(word)
    if kind == 3:
        return TagCountTerm(rng.choice(list(Comparison)), rng.randrange(6))
    if kind == 4:
        return AddedTerm(rng.choice(list(Comparison)), day(rng.choice(["2025", "2025-03",
                                                                           "2024-02-29"])))
    if kind < 8:
        return tag(word)
    if kind == 8:
        return Not(_random_expr(rng, depth - 1))
    operands = tuple(_random_expr(rng, depth - 1) for _ in range(rng.randrange(2, 4)))
    node = And if kind in (9, 10) else Or
    flat: list[Expr] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, node) else (operand,))
    return node(tuple(flat))


def test_round_trip_of_random_expressions() -> None:
    rng = random.Random(20260509)
    for _ in range(500):
        expr = _random_expr(rng, 4)
        assert parse(to_text(expr)) == expr, to_text(expr)
