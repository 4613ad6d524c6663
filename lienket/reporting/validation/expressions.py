"""The rule expression language of validation rules: a small tokenizer and recursive-descent parser with
``Decimal`` arithmetic. Nothing is ever passed to ``eval``/``exec``/``ast``: the grammar has no names other
than indicator codes, no calls, no attributes and no strings, so an expression cannot run code.

    rule    := expr COMPARISON expr            (exactly one of < <= > >= == !=, also ≤ ≥ ≠)
    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | atom
    atom    := NUMBER | CODE | "(" expr ")"
    CODE    := [A-Z_][A-Z0-9_]*                (an indicator code)
    NUMBER  := digits with an optional "." fraction (1.5, not the Vietnamese 1,5)
"""


from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Any

from django.utils.translation import gettext as _

from ..models import Indicator

MAX_EXPRESSION_LENGTH = 500
MAX_DEPTH = 60

COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}
_ALIASES = {"≤": "<=", "≥": ">=", "≠": "!="}


# ---------------------------------------------------------------------------------------------------------
# The expression language


class ExpressionError(ValueError):
    """A rule expression that cannot be parsed. `message` is user-facing and translated."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class _Skip(Exception):
    """The rule cannot be evaluated here (a missing value, a division by zero)."""


@dataclass(frozen=True)
class Token:
    kind: str  # num, code, op, cmp, lpar, rpar, end
    text: str
    pos: int


_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<code>[A-Z_][A-Z0-9_]*)"
    r"|(?P<cmp><=|>=|==|!=|<|>|≤|≥|≠)"
    r"|(?P<op>[-+*/])"
    r"|(?P<lpar>\()"
    r"|(?P<rpar>\))"
)


def tokenize(expression: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    text = expression or ""
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            char = text[pos]
            hint = ""
            if char == "=":
                hint = " " + _("(use == to compare)")
            elif char == ",":
                hint = " " + _("(write decimals with a point: 1.5)")
            elif char.isalpha():
                hint = " " + _("(indicator codes are written in capitals: A–Z, 0–9, _)")
            raise ExpressionError(
                _("Unexpected character “%(char)s” at position %(pos)s%(hint)s.") % {"char": char, "pos": pos + 1, "hint": hint},
                pos,
            )
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "cmp":
            value = _ALIASES.get(value, value)
        tokens.append(Token(kind, value, pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# AST nodes: ("num", Decimal) | ("ref", code) | ("neg", node) | ("bin", op, left, right)
Node = tuple[Any, ...]


@dataclass(frozen=True)
class Comparison:
    op: str
    left: Node
    right: Node
    codes: frozenset[str]
    expression: str


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = tokenize(expression)
        self.i = 0
        self.codes: set[str] = set()
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str | None = None) -> ExpressionError:
        tok = self.tok
        if message is None:
            if tok.kind == "end":
                message = _("The expression ends too early.")
            else:
                message = _("Unexpected “%(token)s” at position %(pos)s.") % {"token": tok.text, "pos": tok.pos + 1}
        return ExpressionError(message, tok.pos)

    def parse(self) -> Comparison:
        if not self.expression.strip():
            raise ExpressionError(_("The expression is empty."), 0)
        left = self.expr()
        if self.tok.kind != "cmp":
            if self.tok.kind == "end":
                raise self.error(_("The expression needs one comparison (< <= > >= == !=)."))
            raise self.error()
        op = self.advance().text
        right = self.expr()
        if self.tok.kind == "cmp":
            raise self.error(_("Only one comparison is allowed (at position %(pos)s).") % {"pos": self.tok.pos + 1})
        if self.tok.kind != "end":
            raise self.error()
        return Comparison(op, left, right, frozenset(self.codes), self.expression)

    def expr(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op = self.advance().text
            node = ("bin", op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op = self.advance().text
            node = ("bin", op, node, self.unary())
        return node

    def unary(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(_("The expression is nested too deeply."))
        try:
            if self.tok.kind == "op" and self.tok.text in "+-":
                op = self.advance().text
                inner = self.unary()
                return ("neg", inner) if op == "-" else inner
            return self.atom()
        finally:
            self.depth -= 1

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return ("num", Decimal(tok.text))
        if tok.kind == "code":
            self.advance()
            if self.tok.kind == "lpar":
                raise self.error(_("“%(name)s(” looks like a function call; only indicator codes and numbers are allowed.") % {"name": tok.text})
            self.codes.add(tok.text)
            return ("ref", tok.text)
        if tok.kind == "lpar":
            self.advance()
            node = self.expr()
            if self.tok.kind != "rpar":
                raise self.error(_("A closing parenthesis is missing (at position %(pos)s).") % {"pos": self.tok.pos + 1})
            self.advance()
            return node
        raise self.error()


@functools.lru_cache(maxsize=1024)
def parse_expression(expression: str) -> Comparison:
    """Parse a rule expression; raises ExpressionError with a user-facing message."""
    if len(expression or "") > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(_("The expression is longer than %(max)s characters.") % {"max": MAX_EXPRESSION_LENGTH})
    return _Parser(expression or "").parse()


def expression_codes(expression: str) -> frozenset[str]:
    """The indicator codes an expression refers to (empty if it does not parse)."""
    try:
        return parse_expression(expression).codes
    except ExpressionError:
        return frozenset()


def expression_check(expression: str, *, known_codes: Iterable[str] | None = None) -> list[str]:
    """Everything wrong with an expression, as messages for a form (empty when it is fine): syntax errors and
    indicator codes that do not exist. Used when a rule is saved (admin) and when the catalogue is loaded."""
    try:
        parsed = parse_expression(expression)
    except ExpressionError as exc:
        return [_("Syntax error: %(message)s") % {"message": exc.message}]
    known = set(known_codes) if known_codes is not None else set(
        Indicator.objects.filter(code__in=parsed.codes).values_list("code", flat=True)
    )
    unknown = sorted(parsed.codes - known)
    if unknown:
        return [_("Unknown indicator code(s): %(codes)s.") % {"codes": ", ".join(unknown)}]
    return []


def _eval(node: Node, values: Mapping[str, Decimal]) -> Decimal:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "ref":
        value = values.get(node[1])
        if value is None:
            raise _Skip("missing")
        return value
    if kind == "neg":
        return -_eval(node[1], values)
    op, left, right = node[1], _eval(node[2], values), _eval(node[3], values)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        raise _Skip("division by zero")
    return left / right


@dataclass(frozen=True)
class RuleResult:
    passed: bool
    left: Decimal
    right: Decimal
    op: str


def evaluate(expression: str | Comparison, values: Mapping[str, Decimal]) -> RuleResult | None:
    """Evaluate a rule against `values` (code → Decimal). None when the rule is skipped: a value it needs is
    missing, or it divides by zero. Raises ExpressionError for an expression that does not parse."""
    rule = parse_expression(expression) if isinstance(expression, str) else expression
    try:
        with localcontext() as ctx:
            ctx.prec = 34
            ctx.traps[DivisionByZero] = True
            ctx.traps[InvalidOperation] = True
            left = _eval(rule.left, values)
            right = _eval(rule.right, values)
    except (_Skip, DivisionByZero, InvalidOperation):
        return None
    passed = {
        "<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right, "==": left == right,
        "!=": left != right,
    }[rule.op]
    return RuleResult(passed, left, right, rule.op)
