"""The comparisons that claims are built from.

Each helper compares measured quantities ``("name", value)`` with each other
or with constants and writes its own test text from its operands, so that a
claim's text cannot say other than what it tests: ``above(("gain", g), 0.1)``
is the check "gain > 0.1". NaN and infinities never satisfy a comparison.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Number = int | float


def format_value(value: object) -> str:
    """A measured value as the book prints it:
    4 significant digits for floats."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
            return f"{value:.3g}"
        return f"{value:.4g}"
    return str(value)


Operand = Number | tuple[str, Number]
"""A constant (shown as its value) or a measured quantity ``(name, value)``."""

RELATIONS = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


def _number(value: object) -> Number:
    """A plain int or float (NumPy and torch scalars included)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
        if isinstance(value, (bool, int)):
            return int(value)
    return float(value)  # type: ignore[arg-type]


def _operand(x: Operand) -> tuple[str, Number, dict[str, Number]]:
    """(text, value, measured values) of an operand."""
    if isinstance(x, tuple):
        name, value = x
        value = _number(value)
        return name, value, {name: value}
    value = _number(x)
    return format_value(value), value, {}


@dataclass(frozen=True)
class Check:
    """A comparison that writes its own test text from its operands.

    Made by :func:`above`, :func:`below`, :func:`at_least`, :func:`at_most`,
    :func:`between`, :func:`equal`, :func:`close`, :func:`ordered` and
    :func:`each`; ``a & b`` holds when both do. The text cannot disagree
    with the test: both come from the same operands.
    """

    text: str
    values: Mapping[str, Number]
    holds: bool

    def __and__(self, other: Check) -> Check:
        return Check(
            f"{self.text} and {other.text}",
            {**self.values, **other.values},
            self.holds and other.holds,
        )


def compare(a: Operand, relation: str, b: Operand) -> Check:
    """``a relation b`` for a relation of :data:`RELATIONS`."""
    text_a, value_a, values_a = _operand(a)
    text_b, value_b, values_b = _operand(b)
    finite = all(math.isfinite(v) for v in (value_a, value_b))
    holds = finite and RELATIONS[relation](value_a, value_b)
    return Check(
        f"{text_a} {relation} {text_b}", {**values_a, **values_b}, holds
    )


def above(a: Operand, b: Operand) -> Check:
    """a > b."""
    return compare(a, ">", b)


def below(a: Operand, b: Operand) -> Check:
    """a < b."""
    return compare(a, "<", b)


def at_least(a: Operand, b: Operand) -> Check:
    """a >= b."""
    return compare(a, ">=", b)


def at_most(a: Operand, b: Operand) -> Check:
    """a <= b."""
    return compare(a, "<=", b)


def equal(a: Operand, b: Operand) -> Check:
    """a == b, exactly (counts, integers, verdicts)."""
    return compare(a, "==", b)


def between(x: Operand, low: Operand, high: Operand) -> Check:
    """low <= x <= high."""
    lower, upper = at_least(x, low), at_most(x, high)
    text_x = _operand(x)[0]
    text = f"{_operand(low)[0]} <= {text_x} <= {_operand(high)[0]}"
    values = {**lower.values, **upper.values}
    return Check(text, values, lower.holds and upper.holds)


def close(a: Operand, b: Operand, *, tol: float) -> Check:
    """|a - b| <= tol (an absolute tolerance, stated in the text)."""
    text_a, value_a, values_a = _operand(a)
    text_b, value_b, values_b = _operand(b)
    gap = abs(value_a - value_b)
    holds = math.isfinite(gap) and gap <= tol
    return Check(
        f"|{text_a} - {text_b}| <= {format_value(tol)}",
        {**values_a, **values_b},
        holds,
    )


def ordered(
    quantities: Sequence[tuple[str, Number]], relation: str = "<"
) -> Check:
    """Each step of a sequence, ``q0 < q1 < q2 ...`` (or ``>``, ``<=``,
    ``>=``): a trend is tested at every step it asserts."""
    if len(quantities) < 2:
        raise ValueError("an order needs at least two quantities")
    steps = [
        compare(a, relation, b) for a, b in zip(quantities, quantities[1:])
    ]
    text = f" {relation} ".join(name for name, _ in quantities)
    values = {name: _number(value) for name, value in quantities}
    return Check(text, values, all(step.holds for step in steps))


def each(
    name: str,
    values: Mapping[str, Number],
    relation: str,
    bound: Operand,
    *,
    of: str = "rows",
) -> Check:
    """``name[k] relation bound`` for every k of ``values`` (every row of a
    table, every seed): the text names the count (``of`` says of what),
    the values the worst row, or the first failing one."""
    if not values:
        raise ValueError(f"{name}: 'each' needs at least one value")
    checks = {k: compare((k, v), relation, bound) for k, v in values.items()}
    failing = [k for k, c in checks.items() if not c.holds]
    if relation in ("<", "<="):
        worst = max(values, key=lambda k: _number(values[k]))
    else:
        worst = min(values, key=lambda k: _number(values[k]))
    shown = failing[0] if failing else worst
    text_bound, _, bound_values = _operand(bound)
    return Check(
        f"{name} {relation} {text_bound} for each of the {len(values)} {of}",
        {f"{name} at {shown}": _number(values[shown]), **bound_values},
        not failing,
    )
