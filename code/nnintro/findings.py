"""Claims and findings: what every experiment of the book returns.

An experiment returns a *finding*: a small frozen dataclass holding the numbers
its page shows and the named *claims* that its sentences state. A claim is a
checked statement, like an :class:`~nnintro.derivations.core.Identity` is a
checked equation: a stable id, the statement in a few words, the measured
values it compares, the test it applies, and whether that test holds. Claims
are computed from the finding's own data, so a finding built with other data
(in a test, or after a change in the library) gets other verdicts, and
:meth:`Finding.require` raises, naming every failing claim with its numbers.

Wall-clock times may be *shown*, but a claim never tests one:
counts of operations or steps are deterministic, seconds are not.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

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


@dataclass(frozen=True)
class Claim:
    """One checked statement of an experiment.

    ``test`` says in words and symbols what is compared (for example
    ``"gain > 0.1"``), written by a :class:`Check` from its operands;
    ``values`` are the measured quantities it compares, by name.
    """

    id: str
    statement: str
    test: str
    values: Mapping[str, Number]
    holds: bool

    def __post_init__(self):
        if not self.id or " " in self.id:
            raise ValueError(
                f"a claim id is one word with dashes, got {self.id!r}"
            )
        object.__setattr__(self, "holds", bool(self.holds))

    def describe_values(self) -> str:
        """``name = value`` pairs, comma separated."""
        return ", ".join(
            f"{k} = {format_value(v)}" for k, v in self.values.items()
        )

    def require(self) -> Claim:
        if not self.holds:
            raise AssertionError(self.failure_message())
        return self

    def failure_message(self) -> str:
        return (
            f"claim {self.id!r} does not hold: {self.statement} "
            f"(test: {self.test}; measured: {self.describe_values()})"
        )


def claim(id: str, statement: str, check: Check) -> Claim:
    """The sentence ``statement`` backed by ``check``:
    ``claim("q2-gain", "More data helps", above(("gain", gain), 0.1))``.

    The test text and the measured values come from the check itself, so
    they cannot disagree with what is tested.
    """
    if not isinstance(check, Check):
        raise TypeError(
            f"claim {id!r}: give a Check (above, below, ordered, ...), "
            f"got {type(check).__name__}"
        )
    return Claim(
        id=id,
        statement=statement,
        test=check.text,
        values=dict(check.values),
        holds=check.holds,
    )


@dataclass(frozen=True)
class Finding:
    """Base of every experiment's result.

    Subclasses are frozen dataclasses; as class attributes they set ``page``
    (the book page, a file stem of ``book/``) and ``name`` (the experiment,
    unique in the book), and they override :meth:`numbers` (glue keys, used as
    they are) and :meth:`claims`.
    """

    page: ClassVar[str] = ""  # set by each subclass, e.g. ``page = "data"``
    name: ClassVar[str] = ""  # e.g. ``name = "q2-sample-size"``

    def numbers(self) -> dict[str, object]:
        """Glue key -> value shown in the prose
        (formatted strings, ints, or floats)."""
        return {}

    def claims(self) -> tuple[Claim, ...]:
        """The claims that the page's sentences state,
        each computed from this finding."""
        return ()

    def failing(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims() if not c.holds)

    def require(self):
        """Return self, or raise ``AssertionError`` naming every claim that
        does not hold."""
        failing = self.failing()
        if failing:
            lines = "\n".join("- " + c.failure_message() for c in failing)
            raise AssertionError(
                f"{len(failing)} claim(s) of {type(self).__name__} "
                f"do not hold:\n{lines}"
            )
        return self


def require(finding: Finding) -> Finding:
    """``finding.require()`` as a function."""
    return finding.require()


def markdown_table(head: list[str], rows: dict[str, list[str]]) -> str:
    """A Markdown table: an empty corner, ``head``, then one row per key."""
    lines = [
        "| | " + " | ".join(head) + " |",
        "|:--|" + "--:|" * len(head),
    ]
    for name, cells in rows.items():
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
