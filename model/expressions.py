"""The proposal expression language: a small, typed, Python-like language for the conditions
an analyst writes in a proposal file (`holds = "age_at_start >= 16 and ..."`).

An expression is parsed with Python's own parser (`ast.parse(mode="eval")`) and then only a
whitelist of node kinds is accepted; nothing is ever evaluated by Python. Each node is
type-checked against a vocabulary of names (`aurules.model.vocabulary`) and compiled to a
closure over a `Context` that builds its value with the value layer's operators, so one
compiled rule runs on plain Python values, Z3 terms and NumPy columns alike.

Numbers are exact. A typed value is an integer term with a static positive `scale` (its real
value is term / scale): hours are hundredths (scale 100), money is pence (100), shares are
millionths or a rate's denominator. Arithmetic and comparisons cross-multiply by scales, so
every backend stays in integer arithmetic. Decimal literals are read from the source text
(`0.40` is 2/5, never a float). Division is by a literal only (a rule that divides by a fact
is refused with a hint to multiply the other side instead).

Types: `bool`, `int` (whole numbers: years, days, counts), `number` (shares and fractions),
`hours`, `money`, `date` (a day number), and enumerations (compared with their option names).
A numeric literal takes the unit of what it meets (`plan.planned_hours <= 100` is 100 hours).
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

NUMERIC = ("int", "number", "hours", "money", "literal")
"""Kinds that take part in arithmetic (with `date` for its own few operations)."""
DIMENSIONED = ("hours", "money")
MAX_DEPTH = 100
"""The deepest nesting of operators accepted (so compiling never nears Python's stack)."""
MAX_LENGTH = 4000
"""The longest expression accepted (a rule, not a program)."""
PAIR = 2
"""days_between takes a pair of dates; min and max at least a pair of numbers."""


@attrs.frozen
class Type:
    """A static type: `kind` is bool, int, number, hours, money, date, enum or literal (a
    numeric constant not yet given a unit); `options` names an enumeration's values."""

    kind: str
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(repr(o) for o in self.options)
        return "a number" if self.kind == "literal" else self.kind


BOOL, INT, NUMBER, HOURS, MONEY, DATE = (
    Type("bool"),
    Type("int"),
    Type("number"),
    Type("hours"),
    Type("money"),
    Type("date"),
)
LITERAL = Type("literal")


@attrs.frozen(kw_only=True)
class Context:
    """What a compiled expression reads: the learner's start facts, the lifecycle state and
    event (claim rules only), the (bound) ruleset and the backend."""

    facts: Any
    params: Any
    b: Any
    state: Any = None
    event: Any = None


Getter = Callable[[Context], Any]


@attrs.frozen(kw_only=True)
class Name:
    """A name an expression may use: its type, scale, meaning, and how to read it."""

    name: str
    type: Type
    scale: int
    meaning: str
    get: Getter = attrs.field(eq=False, repr=False)
    claim_only: bool = False


class ExpressionError(ValueError):
    """A problem in an expression at a column (1-based)."""

    def __init__(self, column: int, problem: str) -> None:
        super().__init__(f"column {column}: {problem}")
        self.column = column
        self.problem = problem


@attrs.frozen(kw_only=True)
class Node:
    """A compiled, typed expression: `build(ctx)` gives its term; a constant also has
    `const` (an exact Fraction, a bool, or a string for an option name)."""

    type: Type
    scale: int = 1
    build: Getter = attrs.field(eq=False, repr=False)
    const: Any = None


@attrs.frozen(kw_only=True)
class Compiled:
    """A compiled expression: its result type and the names it reads."""

    text: str
    type: Type
    scale: int
    names: tuple[str, ...]
    build: Getter = attrs.field(eq=False, repr=False)

    def __call__(self, ctx: Context) -> Any:
        return self.build(ctx)


def compile_expression(
    text: str, names: Mapping[str, Name], *, claim: bool, want: Type | None = None
) -> Compiled:
    """`text` compiled against `names`; raises ExpressionError (with a column) for a syntax
    error, a construct outside the language, an unknown name or a type error. `claim` says
    whether lifecycle quantities may be used; `want` checks the result's type."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(1, "expected an expression")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(1, f"longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(exc.offset or 1, f"not a valid expression ({exc.msg})") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(1, "nested too deeply") from None
    except ValueError as exc:  # e.g. a null byte
        raise ExpressionError(1, f"not a valid expression ({exc})") from None
    if _depth(tree.body) > MAX_DEPTH:
        raise ExpressionError(1, f"nested too deeply (more than {MAX_DEPTH} levels)")
    compiler = _Compiler(text.strip(), names, claim)
    node = compiler.visit(tree.body)
    if want is not None and node.type.kind != want.kind:
        raise ExpressionError(1, f"the expression is {node.type}, expected {want}")
    return Compiled(
        text=text.strip(),
        type=node.type,
        scale=node.scale,
        names=tuple(compiler.used),
        build=node.build,
    )


def _depth(tree: ast.AST) -> int:
    """How deeply the expression's nodes nest (counted without recursion)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node)]
    return deepest


def _const(value: Any, kind: Type = LITERAL) -> Node:
    if isinstance(value, Fraction):
        num, den = value.numerator, value.denominator
        return Node(type=kind, scale=den, build=lambda ctx: num, const=value)
    return Node(type=kind, build=lambda ctx: value, const=value)


def _rescale(node: Node, scale: int) -> Getter:
    """A getter of `node`'s term at `scale` (a multiple of its own)."""
    factor = scale // node.scale
    build = node.build
    if factor == 1:
        return build
    return lambda ctx: build(ctx) * factor


def _common(a: Node, b: Node) -> tuple[int, Getter, Getter]:
    scale = math.lcm(a.scale, b.scale)
    return scale, _rescale(a, scale), _rescale(b, scale)


_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: lambda x, y: x < y,
    ast.LtE: lambda x, y: x <= y,
    ast.Gt: lambda x, y: x > y,
    ast.GtE: lambda x, y: x >= y,
    ast.Eq: lambda x, y: x == y,
    ast.NotEq: lambda x, y: x != y,
}
_SYMBOL: dict[Any, str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
FUNCTIONS = {
    "min": "the smallest of two or more numbers of one unit",
    "max": "the largest of two or more numbers of one unit",
    "date": 'a date literal, date("2026-08-01")',
    "days_between": "days_between(a, b): days from date a to date b (b - a)",
}


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


class _Compiler:
    def __init__(self, text: str, names: Mapping[str, Name], claim: bool) -> None:
        self.text, self.names, self.claim = text, names, claim
        self.used: list[str] = []

    def fail(self, node: ast.AST, problem: str) -> ExpressionError:
        return ExpressionError(getattr(node, "col_offset", 0) + 1, problem)

    def visit(self, node: ast.AST) -> Node:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            what = _SYMBOL.get(type(getattr(node, "op", None)), type(node).__name__)
            raise self.fail(node, f"{what!s} is not part of the expression language")
        result: Node = method(node)
        return result

    # leaves

    def visit_Constant(self, node: ast.Constant) -> Node:
        value = node.value
        if isinstance(value, bool):
            return _const(value, BOOL)
        if isinstance(value, int | float):
            source = ast.get_source_segment(self.text, node) or repr(value)
            try:
                return _const(Fraction(Decimal(source.replace("_", ""))))
            except (InvalidOperation, ValueError):
                raise self.fail(node, f"{source} is not a plain decimal number") from None
        if isinstance(value, str):
            return Node(type=Type("string"), build=lambda ctx: value, const=value)
        raise self.fail(node, f"{value!r} is not part of the expression language")

    def visit_Name(self, node: ast.Name) -> Node:
        if node.id in ("true", "false"):
            return _const(node.id == "true", BOOL)
        return self.lookup(node.id, node)

    def visit_Attribute(self, node: ast.Attribute) -> Node:
        dotted = _dotted(node)
        if dotted is None:
            raise self.fail(node, "only names and dotted field paths may be read")
        return self.lookup(dotted, node)

    def lookup(self, dotted: str, node: ast.AST) -> Node:
        name = self.names.get(dotted)
        if name is None:
            hint = close_match(dotted, list(self.names)) or " (`aurules facts` lists them)"
            raise self.fail(node, f"unknown name {dotted!r}{hint}")
        if name.claim_only and not self.claim:
            raise self.fail(node, f'{dotted!r} is known only in claim rules (kind = "claim")')
        if dotted not in self.used:
            self.used.append(dotted)
        return Node(type=name.type, scale=name.scale, build=name.get)

    # operators

    def visit_BoolOp(self, node: ast.BoolOp) -> Node:
        parts = [self.expect_bool(v, "and/or") for v in node.values]
        builds = [p.build for p in parts]
        if isinstance(node.op, ast.And):
            return Node(type=BOOL, build=lambda ctx: ctx.b.and_(*[f(ctx) for f in builds]))
        return Node(type=BOOL, build=lambda ctx: ctx.b.or_(*[f(ctx) for f in builds]))

    def expect_bool(self, node: ast.AST, where: str) -> Node:
        compiled = self.visit(node)
        if compiled.type.kind != "bool":
            raise self.fail(node, f"{where} needs true or false, not {compiled.type}")
        return compiled

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Node:
        if isinstance(node.op, ast.Not):
            inner = self.expect_bool(node.operand, "not")
            build = inner.build
            return Node(type=BOOL, build=lambda ctx: ctx.b.not_(build(ctx)))
        if isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.visit(node.operand)
            if inner.type.kind not in NUMERIC:
                raise self.fail(node, f"cannot negate {inner.type}")
            if isinstance(node.op, ast.UAdd):
                return inner
            if inner.const is not None:
                return _const(-inner.const, inner.type)
            build = inner.build
            return Node(type=inner.type, scale=inner.scale, build=lambda ctx: -build(ctx))
        raise self.fail(node, "this operator is not part of the expression language")

    def visit_BinOp(self, node: ast.BinOp) -> Node:
        left, right = self.visit(node.left), self.visit(node.right)
        op = type(node.op)
        if op in (ast.Add, ast.Sub):
            return self.add(node, left, right, op is ast.Sub)
        if op is ast.Mult:
            return self.multiply(node, left, right)
        if op in (ast.Div, ast.FloorDiv):
            return self.divide(node, left, right, floor=op is ast.FloorDiv)
        raise self.fail(
            node, f"{_SYMBOL.get(op, op.__name__)} is not part of the expression language"
        )

    def numeric(self, node: ast.AST, *parts: Node) -> None:
        for part in parts:
            if part.type.kind not in NUMERIC and part.type.kind != "date":
                raise self.fail(node, f"arithmetic needs numbers, not {part.type}")

    def add(self, node: ast.BinOp, a: Node, b: Node, minus: bool) -> Node:
        self.numeric(node, a, b)
        ka, kb = a.type.kind, b.type.kind
        sign = -1 if minus else 1
        if ka == kb == "literal":
            return _const(a.const + sign * b.const)
        if ka == "date" or kb == "date":
            if ka == kb == "date" and minus:
                result = INT
            elif (ka == "date" and kb in ("int", "literal") and self.whole(b)) or (
                kb == "date" and ka in ("int", "literal") and not minus and self.whole(a)
            ):
                result = DATE
            else:
                raise self.fail(
                    node,
                    f"cannot {'subtract' if minus else 'add'} {b.type} "
                    f"{'from' if minus else 'to'} {a.type}",
                )
        else:
            result = self.unify(node, a, b, "add" if not minus else "subtract")
        scale, fa, fb = _common(a, b)
        if minus:
            return Node(type=result, scale=scale, build=lambda ctx: fa(ctx) - fb(ctx))
        return Node(type=result, scale=scale, build=lambda ctx: fa(ctx) + fb(ctx))

    def whole(self, node: Node) -> bool:
        return node.type.kind == "int" or (
            node.const is not None and Fraction(node.const).denominator == 1
        )

    def unify(self, node: ast.AST, a: Node, b: Node, what: str) -> Type:
        """The type of a value combining `a` and `b` additively or by comparison."""
        ka, kb = a.type.kind, b.type.kind
        if ka == "literal":
            return b.type if kb != "literal" else LITERAL
        if kb == "literal":
            return a.type
        if ka in DIMENSIONED or kb in DIMENSIONED:
            if ka != kb:
                raise self.fail(node, f"cannot {what} {a.type} and {b.type}")
            return a.type
        return INT if ka == kb == "int" else NUMBER

    def multiply(self, node: ast.BinOp, a: Node, b: Node) -> Node:
        self.numeric(node, a, b)
        ka, kb = a.type.kind, b.type.kind
        if "date" in (ka, kb):
            raise self.fail(node, "cannot multiply a date")
        if ka in DIMENSIONED and kb in DIMENSIONED:
            raise self.fail(node, f"cannot multiply {a.type} by {b.type}")
        if ka == kb == "literal":
            return _const(a.const * b.const)
        if ka in DIMENSIONED:
            result = a.type
        elif kb in DIMENSIONED:
            result = b.type
        elif ka == "literal":
            result = b.type if self.whole(a) else NUMBER
        elif kb == "literal":
            result = a.type if self.whole(b) else NUMBER
        else:
            result = INT if ka == kb == "int" else NUMBER
        fa, fb = a.build, b.build
        return Node(type=result, scale=a.scale * b.scale, build=lambda ctx: fa(ctx) * fb(ctx))

    def divide(self, node: ast.BinOp, a: Node, b: Node, *, floor: bool) -> Node:
        self.numeric(node, a, b)
        if b.type.kind != "literal":
            raise self.fail(
                node.right,
                "division is by a number written in the rule only; to compare a / b with x, "
                "write a >= b * x",
            )
        if a.type.kind == "date":
            raise self.fail(node, "cannot divide a date")
        divisor = Fraction(b.const)
        if divisor <= 0:
            raise self.fail(node.right, "the divisor must be more than 0")
        if a.type.kind == "literal":
            value = a.const / divisor
            return _const(Fraction(math.floor(value)) if floor else value)
        num, den = divisor.numerator, divisor.denominator
        fa, scale = a.build, a.scale
        if floor:
            result = a.type if a.type.kind in DIMENSIONED else INT
            return Node(
                type=result,
                scale=1,
                build=lambda ctx: ctx.b.floor_div(fa(ctx) * den, scale * num),
            )
        result = a.type if a.type.kind in DIMENSIONED else NUMBER
        return Node(type=result, scale=scale * num, build=lambda ctx: fa(ctx) * den)

    def visit_Compare(self, node: ast.Compare) -> Node:
        parts: list[Node] = []
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            parts.append(self.compare(node, type(op), left, right_node))
            if not isinstance(right_node, ast.List | ast.Tuple):
                left = self.visit(right_node)  # a chain: a < b < c is a < b and b < c
        if len(parts) == 1:
            return parts[0]
        builds = [p.build for p in parts]
        return Node(type=BOOL, build=lambda ctx: ctx.b.and_(*[f(ctx) for f in builds]))

    def compare(self, node: ast.Compare, op: type, a: Node, right_node: ast.AST) -> Node:
        if op in (ast.In, ast.NotIn):
            return self.membership(node, a, right_node, negate=op is ast.NotIn)
        if op not in _COMPARE:
            raise self.fail(
                node, f"{_SYMBOL.get(op, op.__name__)} is not part of the expression language"
            )
        b = self.visit(right_node)
        symbol = _SYMBOL[op]
        ka, kb = a.type.kind, b.type.kind
        check = _COMPARE[op]
        if "enum" in (ka, kb) or "string" in (ka, kb):
            return self.compare_options(node, op, a, b)
        if ka == "bool" or kb == "bool":
            if ka != kb or op not in (ast.Eq, ast.NotEq):
                raise self.fail(node, f"cannot compare {a.type} {symbol} {b.type}")
            fa, fb = a.build, b.build
            if op is ast.Eq:
                return Node(
                    type=BOOL,
                    build=lambda ctx: ctx.b.not_(
                        ctx.b.or_(
                            ctx.b.and_(fa(ctx), ctx.b.not_(fb(ctx))),
                            ctx.b.and_(fb(ctx), ctx.b.not_(fa(ctx))),
                        )
                    ),
                )
            return Node(
                type=BOOL,
                build=lambda ctx: ctx.b.or_(
                    ctx.b.and_(fa(ctx), ctx.b.not_(fb(ctx))),
                    ctx.b.and_(fb(ctx), ctx.b.not_(fa(ctx))),
                ),
            )
        if ka == "date" or kb == "date":
            if ka != kb:
                raise self.fail(node, f"cannot compare {a.type} {symbol} {b.type}")
        else:
            self.numeric(node, a, b)
            self.unify(node, a, b, "compare")
        if a.const is not None and b.const is not None:
            return _const(bool(check(a.const, b.const)), BOOL)
        _, fa, fb = _common(a, b)
        return Node(type=BOOL, build=lambda ctx: check(fa(ctx), fb(ctx)))

    def compare_options(self, node: ast.Compare, op: type, a: Node, b: Node) -> Node:
        if op not in (ast.Eq, ast.NotEq):
            raise self.fail(node, "options are compared with == or != only")
        if a.type.kind == "string":
            a, b = b, a
        if a.type.kind != "enum":
            raise self.fail(node, f"cannot compare {a.type} with {b.type}")
        if b.type.kind == "string":
            code = self.option_code(node, a, str(b.const))
            fa = a.build
            if op is ast.Eq:
                return Node(type=BOOL, build=lambda ctx: fa(ctx) == code)
            return Node(type=BOOL, build=lambda ctx: fa(ctx) != code)
        if b.type != a.type:
            raise self.fail(node, f"cannot compare {a.type} with {b.type}")
        fa, fb = a.build, b.build
        check = _COMPARE[op]
        return Node(type=BOOL, build=lambda ctx: check(fa(ctx), fb(ctx)))

    def option_code(self, node: ast.AST, a: Node, option: str) -> int:
        if option not in a.type.options:
            hint = close_match(option, list(a.type.options))
            raise self.fail(node, f"{option!r} is not {a.type}{hint}")
        return a.type.options.index(option)

    def membership(self, node: ast.Compare, a: Node, right: ast.AST, *, negate: bool) -> Node:
        if not isinstance(right, ast.List | ast.Tuple) or not right.elts:
            raise self.fail(right, '`in` needs a list of values, e.g. ["a", "b"]')
        if a.type.kind != "enum":
            raise self.fail(node, f"`in` compares an option with a list of options, not {a.type}")
        codes = []
        for element in right.elts:
            value = self.visit(element)
            if value.type.kind != "string":
                raise self.fail(element, f"expected an option name, got {value.type}")
            codes.append(self.option_code(element, a, str(value.const)))
        fa, chosen = a.build, tuple(codes)
        if negate:
            return Node(type=BOOL, build=lambda ctx: ctx.b.not_(ctx.b.is_one_of(fa(ctx), chosen)))
        return Node(type=BOOL, build=lambda ctx: ctx.b.is_one_of(fa(ctx), chosen))

    def visit_IfExp(self, node: ast.IfExp) -> Node:
        test = self.expect_bool(node.test, "the condition of `if`")
        then, other = self.visit(node.body), self.visit(node.orelse)
        if then.type.kind == "bool" or other.type.kind == "bool":
            if then.type.kind != other.type.kind:
                raise self.fail(
                    node, f"both branches must have one type ({then.type}, {other.type})"
                )
            result = BOOL
        elif then.type.kind in ("enum", "string") or other.type.kind in ("enum", "string"):
            raise self.fail(node, "an `if` expression chooses between numbers, dates or true/false")
        elif then.type.kind == "date" or other.type.kind == "date":
            if then.type.kind != other.type.kind:
                raise self.fail(
                    node, f"both branches must have one type ({then.type}, {other.type})"
                )
            result = DATE
        else:
            result = self.unify(node, then, other, "choose between")
        scale, ft, fo = _common(then, other)
        fc = test.build
        return Node(
            type=result, scale=scale, build=lambda ctx: ctx.b.ite(fc(ctx), ft(ctx), fo(ctx))
        )

    def visit_Call(self, node: ast.Call) -> Node:
        function = node.func.id if isinstance(node.func, ast.Name) else None
        if function is None:
            known = ", ".join(FUNCTIONS)
            raise self.fail(node, f"only the functions {known} may be called")
        if function not in FUNCTIONS:
            shown = _dotted(node.func) or "this"
            hint = close_match(shown, list(FUNCTIONS))
            known = ", ".join(FUNCTIONS)
            raise self.fail(node, f"unknown function {shown}{hint}; the functions are {known}")
        if node.keywords:
            raise self.fail(node, f"{function} takes no named arguments")
        args = node.args
        if function == "date":
            if len(args) != 1 or not (
                isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)
            ):
                raise self.fail(node, 'date takes one "YYYY-MM-DD" string')
            try:
                day = dt.date.fromisoformat(args[0].value).toordinal()
            except ValueError:
                raise self.fail(args[0], f"{args[0].value!r} is not a date YYYY-MM-DD") from None
            return Node(type=DATE, build=lambda ctx: day, const=Fraction(day))
        values = [self.visit(a) for a in args]
        if function == "days_between":
            if len(values) != PAIR or any(v.type.kind != "date" for v in values):
                raise self.fail(node, "days_between takes two dates")
            first, second = values[0].build, values[1].build
            return Node(type=INT, build=lambda ctx: second(ctx) - first(ctx))
        if len(values) < PAIR:
            raise self.fail(node, f"{function} takes two or more numbers")
        result = values[0]
        for value in values[1:]:
            self.numeric(node, result, value)
            if "date" in (result.type.kind, value.type.kind):
                if result.type.kind != value.type.kind:
                    raise self.fail(node, f"cannot take the {function} of a date and a number")
                kind = DATE
            else:
                kind = self.unify(node, result, value, f"take the {function} of")
            result = _extremum(function, kind, result, value)
        return result


def _extremum(function: str, kind: Type, a: Node, b: Node) -> Node:
    """min(a, b) or max(a, b) at their common scale."""
    scale, fa, fb = _common(a, b)
    if function == "min":
        return Node(type=kind, scale=scale, build=lambda ctx: ctx.b.min_(fa(ctx), fb(ctx)))
    return Node(type=kind, scale=scale, build=lambda ctx: ctx.b.max_(fa(ctx), fb(ctx)))


def close_match(word: str, known: list[str]) -> str:
    """ " (did you mean 'x'?)" or "" for an error message."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
