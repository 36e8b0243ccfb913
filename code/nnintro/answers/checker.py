"""Decide whether a student's formula equals the book's, and say why.

1. The formula is read (:mod:`.expression`) on the symbolic network
   (:mod:`.network`); what cannot be read is an ``error``.
2. A shape different from the gradient's is ``incorrect``, with both
   shapes in the book's size names.
3. Both formulas are evaluated at random points (30 digits, targets one-hot
   first, then general targets summing to 1). An entry that differs is a
   counterexample: ``incorrect``.
4. Otherwise SymPy reduces the difference, entry by entry, to 0
   (:mod:`.proof`). Proved: ``correct``. Not proved, more random points are
   tried; a difference found is a counterexample, none found leaves
   ``correct`` with a note that the equality was established numerically.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp

from nnintro.answers.arrays import Array
from nnintro.answers.expression import (
    FormulaError,
    FormulaShapeError,
    Interpreter,
    shape_text,
)
from nnintro.answers.network import (
    BATCH_NAMES,
    COLUMN_NAMES,
    DIMS,
    NB,
    NETWORKS,
    NH,
    NX,
    NY,
    TARGET,
    Network,
)
from nnintro.answers.numeric import DIGITS, Evaluator
from nnintro.answers.points import differs, draw_point, evaluate
from nnintro.answers.proof import is_zero, network_unknowns
from nnintro.answers.result import (
    CORRECT,
    ERROR,
    INCORRECT,
    Result,
    Table,
    number_text,
    table_of,
)
from nnintro.answers.targets import TARGETS, Target

POINTS = 4  # random points of the first comparison: 2 one-hot, 2 general
MORE_POINTS = 12  # when SymPy cannot reduce the difference to 0
SEED = 20240511


def error(message: str) -> Result:
    return Result(ERROR, message)


def sizes_text(form: str) -> str:
    if form == "loss":
        return f"n_y = {NY}"
    sizes = f"n_x = {NX}, n_h = {NH}, n_y = {NY}"
    return sizes + (f", N = {NB}" if form == "batch" else "")


def refusals(target: Target) -> dict[str, str]:
    """Why each name that exists elsewhere is not accepted in this answer."""
    reasons = {}
    if target.form == "loss":
        for name in set(COLUMN_NAMES + BATCH_NAMES) - {"ytilde", "y"}:
            reasons[name] = (
                f"`{name}` is not accepted here: Q14 asks for the loss in "
                "terms of the logits ytilde and the targets y only"
            )
        return reasons
    own, other = (
        (COLUMN_NAMES, BATCH_NAMES)
        if target.form == "column"
        else (BATCH_NAMES, COLUMN_NAMES)
    )
    for name in other:
        if name not in own:
            kind = "a batch" if target.form == "column" else "a column-form"
            reasons[name] = (
                f"`{name}` is {kind} name; this answer uses "
                f"{', '.join(target.names)}"
            )
    for name in target.refused:
        reasons[name] = (
            f"`{name}` is not accepted here: write {target.what} with "
            f"{', '.join(n for n in target.names if n not in ('N',))}"
        )
        if name in ("delta_y", "Delta_y") and target.key.startswith("q15"):
            reasons[name] = (
                f"`{name}` is the quantity this question asks for: write it "
                f"with {', '.join(target.names)}"
            )
        if name in ("delta_h", "Delta_h") and target.key.startswith("q17"):
            reasons[name] = (
                f"`{name}` is the quantity this answer asks for: write it "
                f"with {', '.join(target.names)}"
            )
    return reasons


def interpret(target: Target, text: str, network: Network):
    """(value, names used) of a formula for this target."""
    names = {n: network.values[n] for n in target.names}
    interpreter = Interpreter(
        text,
        names,
        refused=refusals(target),
        size_names=("N",) if target.form == "batch" else (),
        known=target.names,
        dims=DIMS,
    )
    return interpreter.evaluate(), interpreter.used


def prepare() -> None:
    """Build every symbolic network once (the browser does it while it
    loads, so that no check waits for it)."""
    for form in NETWORKS:
        network_unknowns(form)


def check(key: str, text: str) -> Result:
    """The verdict on a student's formula for the target ``key``."""
    target = TARGETS.get(key)
    if target is None:
        return error(
            f"unknown equation label {key!r}; the labels are "
            + ", ".join(TARGETS)
        )
    network = NETWORKS[target.form]()
    try:
        theirs, used = interpret(target, text, network)
    except FormulaError as failure:
        return error(str(failure))
    except FormulaShapeError as failure:
        return Result(
            INCORRECT,
            f"{quote(failure.part)} is not defined: {failure.message}.",
            (f"Sizes: {sizes_text(target.form)}.",),
        )
    if any(_not_finite(e) for e in theirs.entries):
        return error(
            "the formula is undefined: it divides by zero or takes log(0)"
        )
    right, reference_used = interpret(target, target.reference, network)
    mismatch = shape_mismatch(target, text, theirs, right)
    if mismatch:
        return mismatch
    a, b = _flat(theirs), _flat(right)
    shown = used | reference_used
    comparison = Comparison(target, network, a, b, right.shape, shown)
    return comparison.verdict()


def quote(text: str, limit: int = 60) -> str:
    """The student's formula in backticks, shortened if long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def _not_finite(e: sp.Expr) -> bool:
    return e.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def _flat(a: Array) -> tuple[sp.Expr, ...]:
    return a.entries


def shape_mismatch(target, text, theirs: Array, right: Array):
    """A Result explaining a wrong shape, or None if the shapes agree."""
    shape = theirs.shape
    if target.shape == ():
        if all(n == 1 for n in shape):
            return None
    elif target.any_vector:
        n = right.shape[0]
        if shape in ((n,), (n, 1)):
            return None
    elif shape == right.shape:
        return None
    yours = shape_text(shape, DIMS)
    summary = (
        f"{quote(text)} is {yours}; {target.what} is {target.shape_text}."
    )
    details = []
    if target.shape == ():
        details.append("The loss is a single number: did you forget a sum?")
    elif len(shape) == 2 and shape == tuple(reversed(right.shape)):
        details.append("Yours has the transposed shape.")
    if target.form != "loss" and len(target.shape) == 2:
        details.append(
            "A gradient has the shape of the quantity it is taken with "
            "respect to."
        )
    details.append(f"Sizes: {sizes_text(target.form)}.")
    return Result(INCORRECT, summary, tuple(details))


# --- the comparison ----------------------------------------------------------


@dataclass
class Comparison:
    target: Target
    network: Network
    theirs: tuple[sp.Expr, ...]
    right: tuple[sp.Expr, ...]
    shape: tuple[int, ...]
    shown: set[str]

    def verdict(self) -> Result:
        rng = random.Random(f"{SEED}-{self.target.key}")
        kinds = [True] * (POINTS // 2) + [False] * (POINTS - POINTS // 2)
        for one_hot in kinds:
            found = self.try_point(draw_point(self.network, rng, one_hot))
            if found:
                return found
        proved = all(
            is_zero(a - b, self.target.form)
            for a, b in zip(self.theirs, self.right)
        )
        where = f"({sizes_text(self.target.form)})"
        if proved:
            return Result(
                CORRECT,
                f"equal to the book's {self.target.what} "
                f"(eq. {self.target.equation}).",
                (
                    "SymPy reduces yours minus the book's to 0 in every entry "
                    f"{where}, the targets summing to 1; the values also "
                    f"agree at {POINTS} random points.",
                ),
            )
        for k in range(MORE_POINTS):
            found = self.try_point(draw_point(self.network, rng, k % 3 == 0))
            if found:
                return found
        return Result(
            CORRECT,
            f"equal to the book's {self.target.what} "
            f"(eq. {self.target.equation}), numerically.",
            (
                f"The values agree to {DIGITS - 5} digits at "
                f"{POINTS + MORE_POINTS} random points {where}; SymPy did "
                "not reduce the difference to 0 symbolically.",
            ),
        )

    def try_point(self, point: dict) -> Result | None:
        """A counterexample at this point, or None if all entries agree."""
        at = Evaluator(point)
        a, b = evaluate(self.theirs, at), evaluate(self.right, at)
        bad = [k for k in range(len(a)) if differs(a[k], b[k])]
        if not bad:
            return None
        return self.counterexample(point, a, b, bad)

    def counterexample(self, point, a, b, bad) -> Result:
        target, network = self.target, self.network
        one_hot = all(
            point[s] in (0, 1) for s in network.free[_target_name(network)]
        )
        details = [f"Sizes: {sizes_text(target.form)}."]
        for k in bad[:4]:
            details.append(
                f"{self.entry_name(k)}: yours {number_text(a[k])}, "
                f"the right answer {number_text(b[k])}"
            )
        if len(bad) > 4:
            details.append(f"({len(bad) - 4} more entries differ)")
        hint = _ratio_hint(a, b, target.form == "batch")
        if hint:
            details.append(hint)
        if not one_hot:
            details.append(
                "The targets here are not one-hot but sum to 1, as the book "
                "assumes; yours agrees with the right answer at the one-hot "
                "targets tried, but not for every target that sums to 1."
            )
        summary = (
            f"at the point below, {len(bad)} of the {len(a)} entries of "
            f"yours differ from the book's {target.what} "
            f"(eq. {target.equation})."
        )
        if len(a) == 1:
            summary = (
                f"at the point below, yours is {number_text(a[0])} and the "
                f"book's {target.what} (eq. {target.equation}) is "
                f"{number_text(b[0])}."
            )
        tables = self.point_tables(point)
        tables.append(self.result_table("yours", a))
        tables.append(self.result_table("right answer", b))
        values = {"theirs": a, "right": b, "bad": bad, "point": point}
        return Result(
            INCORRECT, summary, tuple(details), tuple(tables), values
        )

    def entry_name(self, k: int) -> str:
        """'entry (i, j)' or 'entry i' (1-based) of the k-th flat entry."""
        if len(self.shape) == 2 and 1 not in self.shape:
            i, j = divmod(k, self.shape[1])
            return f"entry ({i + 1}, {j + 1})"
        if len(self.theirs) == 1:
            return "value"
        return f"entry {k + 1}"

    def point_tables(self, point: dict) -> list[Table]:
        """The inputs at the point, then the derived quantities in use."""
        tables = []
        values = self.network.values
        names = list(self.network.inputs)
        names += [n for n in self.network.derived if n in self.shown]
        for name in names:
            array = values[name]
            exact = name in self.network.inputs
            numbers = evaluate(array.entries, point)
            tables.append(table_of(name, array.shape, numbers, exact))
        return tables

    def result_table(self, name: str, numbers) -> Table:
        return table_of(name, self.shape, numbers, False)


def _target_name(network: Network) -> str:
    return next(n for n, (_, k) in network.inputs.items() if k == TARGET)


def _ratio_hint(a, b, batch: bool) -> str | None:
    """A sentence when yours is a constant multiple of the right answer."""
    if any(v is None for v in a + b):
        return None
    if all(abs(v) < 1e-20 for v in a):
        return "Yours is zero here."
    if any(abs(y) < 1e-12 for y in b):
        return None
    ratios = [x / y for x, y in zip(a, b)]
    c = ratios[0]
    if any(abs(r - c) > 1e-12 * max(1, abs(c)) for r in ratios):
        return None
    known = [(-1, "minus the right answer: a sign slip?")]
    if batch:
        known += [
            (NB, "N times the right answer: a missing 1/N?"),
            (
                mpmath.mpf(1) / NB,
                "the right answer divided by N: an extra 1/N?",
            ),
        ]
    for value, words in known:
        if abs(c - value) < 1e-12:
            return f"Yours is {words}"
    if len(a) == 1:
        return None
    return f"Yours is {number_text(c, 4)} times the right answer here."
