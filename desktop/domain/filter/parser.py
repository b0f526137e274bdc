"""The recursive-descent parser: filter text → `Expr` (syntax only, no catalogue needed).

Grammar (NOT binds tighter than AND, AND tighter than OR; juxtaposition is AND):

    filter   := [or_expr] EOF
    or_expr  := and_expr (OR and_expr)*
    and_expr := unary ([AND] unary)*
    unary    := NOT unary | "(" or_expr ")" | term
    term     := name ["/*"] | name ":" name ["/*"] | field ":" value | field compare value

Parsing is linear and raises `FilterSyntaxError` at the first problem, so the GUI
can run it on every keystroke.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import lru_cache

from desktop.domain.echo import echo
from desktop.domain.filter.ast import (
    AddedTerm,
    And,
    Comparison,
    DateRange,
    DeptTerm,
    Expr,
    GroupTerm,
    MatchAll,
    Not,
    Or,
    OwnerTerm,
    StateTerm,
    TagCountTerm,
    TagTerm,
    TextTerm,
)
from desktop.domain.filter.dates import FIRST_YEAR, LAST_YEAR, parse_date_range
from desktop.domain.filter.errors import (
    EXPECT_COLON,
    EXPECT_END,
    EXPECT_NUMBER,
    EXPECT_RPAREN,
    EXPECT_TERM,
    EXPECT_VALUE,
    BadDateError,
    FilterSyntaxError,
)
from desktop.domain.filter.lexer import Kind, Token, tokenize


class Field(enum.Enum):
    OWNER = "owner"
    DEPT = "dept"
    STATE = "state"
    TEXT = "text"
    GROUP = "group"
    ADDED = "added"
    BEFORE = "before"
    AFTER = "after"
    TAGS = "tags"


FIELD_NAMES: dict[str, Field] = {
    "owner": Field.OWNER, "负责人": Field.OWNER,
    "dept": Field.DEPT, "部门": Field.DEPT,
    "state": Field.STATE, "渠道": Field.STATE,
    "text": Field.TEXT, "搜索": Field.TEXT,
    "group": Field.GROUP, "分组": Field.GROUP,
    "added": Field.ADDED, "添加时间": Field.ADDED,
    "before": Field.BEFORE, "after": Field.AFTER,
    "tags": Field.TAGS, "标签数": Field.TAGS,
}
_COMPARABLE = {Field.ADDED, Field.TAGS}
_VALUE_TERMS: dict[Field, Callable[..., Expr]] = {
    Field.OWNER: OwnerTerm, Field.DEPT: DeptTerm, Field.STATE: StateTerm, Field.TEXT: TextTerm,
    Field.GROUP: GroupTerm,
}
_TERM_STARTS = {Kind.WORD, Kind.STRING, Kind.LPAREN, Kind.NOT}
MAX_DEPTH = 100
"""Parentheses and NOTs nested deeper than this are refused (far beyond any real filter;
the parser, the resolver and the engine all recurse once per level)."""


@lru_cache(maxsize=512)
def parse(text: str) -> Expr:
    """The expression tree of `text`; empty or blank text is `MatchAll`."""
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not Kind.EOF:
            self.index += 1
        return token

    def at(self, kind: Kind) -> bool:
        return self.tokens[self.index].kind is kind

    def fail(self, *expected: str) -> FilterSyntaxError:
        token = self.token
        found = "" if token.kind is Kind.EOF else self.text[token.start:token.end]
        return FilterSyntaxError(token.start, expected, found, end=max(token.end, token.start + 1))

    def parse(self) -> Expr:
        if self.token.kind is Kind.EOF:
            return MatchAll(span=(0, len(self.text)))
        expr = self.or_expr()
        if self.at(Kind.RPAREN):
            token = self.token
            raise FilterSyntaxError(
                token.start, [EXPECT_END], token.text, zh=f"第 {token.start + 1} 个字符处的右括号"
                "没有对应的左括号", en=f"the closing parenthesis at character {token.start + 1} "
                "has no opening one", end=token.end,
            )
        if not self.at(Kind.EOF):
            raise self.fail(EXPECT_END)
        return expr

    def or_expr(self) -> Expr:
        operands = [self.and_expr()]
        while self.token.kind is Kind.OR:
            self.advance()
            operands.append(self.and_expr())
        return _combine(Or, operands)

    def and_expr(self) -> Expr:
        operands = [self.unary()]
        while self.token.kind is Kind.AND or self.token.kind in _TERM_STARTS:
            if self.token.kind is Kind.AND:
                self.advance()
            operands.append(self.unary())
        return _combine(And, operands)

    def unary(self) -> Expr:
        token = self.token
        if token.kind is Kind.NOT:
            self.enter(token)
            self.advance()
            operand = self.unary()
            self.depth -= 1
            return Not(operand, span=(token.start, operand.span[1]))
        if token.kind is Kind.LPAREN:
            self.enter(token)
            self.advance()
            inner = self.or_expr()
            if self.token.kind is not Kind.RPAREN:
                raise self.fail(EXPECT_RPAREN)
            self.advance()
            self.depth -= 1
            return inner
        if token.kind in (Kind.WORD, Kind.STRING):
            return self.term()
        raise self.fail(EXPECT_TERM)

    def enter(self, token: Token) -> None:
        """One level deeper (a parenthesis or a NOT); refused past `MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterSyntaxError(
                token.start, [EXPECT_TERM], token.text,
                zh=f"第 {token.start + 1} 个字符处嵌套过深：括号和 NOT 最多嵌套 {MAX_DEPTH} 层",
                en=f"nested too deeply at character {token.start + 1}: parentheses and NOT nest"
                   f" at most {MAX_DEPTH} levels",
                end=token.end,
            )

    def term(self) -> Expr:
        head = self.nonempty(self.advance())
        field = FIELD_NAMES.get(head.text.lower()) if head.kind is Kind.WORD else None
        equals_sign = self.token.op is Comparison.EQ and field is not None
        if self.token.kind is Kind.COMPARE and not equals_sign:
            if field not in _COMPARABLE:
                raise self._comparison_not_allowed(head)
            op = self.advance().op
            assert op is not None
            return self.comparison(head, field, op)
        if self.token.kind is not Kind.COLON and not equals_sign:
            name, descendants = _tag_name(head)
            return TagTerm(name, None, descendants, span=(head.start, head.end))
        self.advance()
        if field is None:
            if head.descendants or (head.kind is Kind.WORD and head.text.endswith("/*")):
                raise FilterSyntaxError(
                    head.end - 2, [EXPECT_COLON], "/*",
                    zh="分组名后不能加 /*，请把 /* 写在标签名后", en="`/*` goes after the tag "
                    "name, not after the group", end=head.end,
                )
            value = self.value()
            name, descendants = _tag_name(value)
            return TagTerm(name, head.text, descendants, span=(head.start, value.end))
        if field in _COMPARABLE:
            return self.comparison(head, field, Comparison.EQ)
        value = self.plain_value()
        span = (head.start, value.end)
        if field is Field.BEFORE or field is Field.AFTER:
            op = Comparison.LT if field is Field.BEFORE else Comparison.GT
            return AddedTerm(op, _date(value), span=span)
        return _VALUE_TERMS[field](value.text, span=span)

    def comparison(self, head: Token, field: Field, op: Comparison) -> Expr:
        if field is Field.TAGS:
            if self.token.kind is not Kind.WORD or not _is_count(self.token.text):
                raise self.fail(EXPECT_NUMBER)
            value = self.advance()
            return TagCountTerm(op, int(value.text), span=(head.start, value.end))
        value = self.plain_value()
        return AddedTerm(op, _date(value), span=(head.start, value.end))

    def value(self) -> Token:
        if self.token.kind not in (Kind.WORD, Kind.STRING):
            raise self.fail(EXPECT_VALUE)
        return self.nonempty(self.advance())

    def nonempty(self, token: Token) -> Token:
        if not token.text:
            raise FilterSyntaxError(
                token.start, [EXPECT_VALUE], self.text[token.start:token.end],
                zh="引号中的名称或值不能为空", en="a quoted name or value must not be empty",
                end=token.end,
            )
        return token

    def plain_value(self) -> Token:
        """A field's value, where `/*` has no meaning."""
        token = self.value()
        if token.descendants:
            raise FilterSyntaxError(
                token.end - 2, [EXPECT_END], "/*", zh="/* 只能写在标签名后",
                en="`/*` may only follow a tag name", end=token.end,
            )
        return token

    def _comparison_not_allowed(self, head: Token) -> FilterSyntaxError:
        token = self.token
        return FilterSyntaxError(
            token.start, [EXPECT_COLON], token.text,
            zh=f"“{echo(head.text)}”后不能用比较符 {token.text}：比较只用于 added（添加时间）和 tags（标签数）",
            en=f"“{echo(head.text)}” cannot be compared with {token.text}: comparisons apply only to "
               "added and tags",
            end=token.end,
        )


def _combine(node_type: type[And] | type[Or], operands: list[Expr]) -> Expr:
    """One operand as is; several as one flat node (nested same-kind nodes are spliced)."""
    if len(operands) == 1:
        return operands[0]
    flat: list[Expr] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, node_type) else (operand,))
    return node_type(tuple(flat), span=(operands[0].span[0], operands[-1].span[1]))


def _tag_name(token: Token) -> tuple[str, bool]:
    if token.kind is Kind.STRING:
        return token.text, token.descendants
    if token.text.endswith("/*"):
        name = token.text[:-2]
        if not name:
            raise FilterSyntaxError(
                token.start, [EXPECT_TERM], token.text, zh="/* 前应有标签名，例如 教育/*",
                en="a tag name must come before /*, e.g. 教育/*", end=token.end,
            )
        return name, True
    return token.text, False


def _is_count(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _date(token: Token) -> DateRange:
    when = parse_date_range(token.text)
    if when is None:
        raise BadDateError(token.text, token.start, token.end, FIRST_YEAR, LAST_YEAR)
    return when
