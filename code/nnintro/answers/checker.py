"""Decide whether a student's formula equals the book's, and say why.

1. The formula is read (:mod:`.expression`) on the symbolic network
   (:mod:`.network`); what cannot be read is an ``error``.
2. A shape different from the gradient's is ``incorrect``, with both
   shapes in the book's size names.
3. Both formulas are evaluated at random points (30 digits, targets one-hot
   first, then general targets summing to 1). An entry that differs is a
   counterexample: ``incorrect``.
4. Otherwise SymPy reduces the difference, entry by entry, to 0: first
   as it stands, then expanded, then as a rational function in which
   every tanh(...) and exp(...) is a fresh unknown (zero there means zero
   everywhere). Proved: ``correct``. Not proved, more random points are
   tried; a difference found is a counterexample, none found leaves
   ``correct`` with a note that the equality was established numerically.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

import mpmath
import sympy as sp

from nnintro.answers.arrays import Array
from nnintro.answers.expression import (
    MAX_EXPONENT,
    FormulaError,
    FormulaShapeError,
    Interpreter,
    shape_text,
)
from nnintro.answers.network import (
    BATCH_NAMES,
    COLUMN_NAMES,
    DIMS,
    INPUT,
    LOGIT,
    NB,
    NETWORKS,
    NH,
    NX,
    NY,
    TARGET,
    WEIGHT,
    Network,
)
from nnintro.answers.numeric import DIGITS, Evaluator
from nnintro.answers.targets import TARGETS, Target

CORRECT, INCORRECT, ERROR = "correct", "incorrect", "error"
RELATIVE_TOLERANCE = 1e-15  # rounding is about 1e-28 at 30 digits
POINTS = 4  # random points of the first comparison: 2 one-hot, 2 general
MORE_POINTS = 12  # when SymPy cannot reduce the difference to 0
SEED = 20240511


@dataclass(frozen=True)
class Table:
    """A named matrix of formatted numbers, shown with a counterexample."""

    name: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Result:
    """The verdict, a one-sentence summary, details, and tables."""

    verdict: str
    summary: str
    details: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    values: dict = field(default_factory=dict)  # for tests: the point

    def text(self) -> str:
        """The whole explanation as plain text (the CLI prints it)."""
        lines = [f"{self.verdict}: {self.summary}", *self.details]
        for table in self.tables:
            lines.append(f"{table.name} =")
            width = max(len(v) for row in table.rows for v in row)
            lines.extend(
                "  " + "  ".join(v.rjust(width) for v in row)
                for row in table.rows
            )
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """What the browser widget receives (JSON-serialisable)."""
        return {
            "verdict": self.verdict,
            "summary": self.summary,
            "details": list(self.details),
            "tables": [
                {"name": t.name, "rows": [list(r) for r in t.rows]}
                for t in self.tables
            ],
        }


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


# --- random points -------------------------------------------------------


def _tenths(rng: random.Random, low: int, high: int) -> Fraction:
    """A nonzero multiple of 0.1 in [low/10, high/10]."""
    while True:
        k = rng.randint(low, high)
        if k:
            return Fraction(k, 10)


def draw_point(network: Network, rng: random.Random, one_hot: bool) -> dict:
    """Exact values for every free symbol: simple decimals, targets on the
    simplex (one-hot when asked), no pre-activation near 0."""
    while True:
        point = _draw(network, rng, one_hot)
        if not degenerate(network, point):
            return point


def _draw(network: Network, rng: random.Random, one_hot: bool) -> dict:
    point = {}
    for name, (_, kind) in network.inputs.items():
        free = network.free[name]
        if kind == TARGET:
            per_row = NY - 1
            for r in range(len(free) // per_row):
                row = free[r * per_row : (r + 1) * per_row]
                point.update(zip(row, _target_row(rng, one_hot)))
            continue
        for s in free:
            if kind == WEIGHT:
                point[s] = _tenths(rng, -10, 10)
            elif kind == INPUT:
                point[s] = Fraction(
                    rng.choice([-4, -3, -2, -1, 1, 2, 3, 4]), 2
                )
            elif kind == LOGIT:
                point[s] = _tenths(rng, -20, 20)
            else:
                point[s] = _tenths(rng, -5, 5)
    return {
        s: sp.Rational(v.numerator, v.denominator) for s, v in point.items()
    }


def _target_row(rng: random.Random, one_hot: bool) -> list[Fraction]:
    """The first NY - 1 entries of a target that sums to 1."""
    if one_hot:
        k = rng.randrange(NY)
        return [Fraction(int(i == k)) for i in range(NY - 1)]
    while True:  # tenths, all positive, summing to 1
        cuts = sorted(rng.sample(range(1, 10), NY - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10])]
        if all(parts):
            return [Fraction(p, 10) for p in parts[:-1]]


def evaluate(entries, point: dict | Evaluator) -> list:
    """Every entry as a 30-digit mpmath number (None: not finite)."""
    at = point if isinstance(point, Evaluator) else Evaluator(point)
    return [at(e) for e in entries]


def differs(a, b) -> bool:
    """True when two values differ beyond rounding (or one is undefined)."""
    if a is None or b is None:
        return a is not b
    scale = max(1, abs(a), abs(b))
    return abs(a - b) > RELATIVE_TOLERANCE * scale


def degenerate(network: Network, point: dict) -> bool:
    """True when a pre-activation is nearly 0 at the point (a tanh unit
    near 0 could hide a wrong factor)."""
    return any(
        v is None or abs(v) < 0.05
        for name in network.nonzero
        for v in evaluate(network.values[name].entries, point)
    )


# --- symbolic proof --------------------------------------------------------


def atoms_as_unknowns(expr: sp.Expr, form: str | None = None) -> sp.Expr:
    """Each tanh(...) and then each exp(...) replaced by an unknown.

    If the result is identically 0, so was ``expr``: substituting the
    functions back into 0 gives 0. The atoms of the network ``form`` have
    their unknowns already; SymPy writes exp(a)**k as exp(k*a), which
    becomes e**k for the unknown e of exp(a).
    """
    known, bases = network_unknowns(form) if form else ({}, ())
    expr = expr.xreplace(known)
    tanhs = sorted(expr.atoms(sp.tanh), key=sp.default_sort_key)
    expr = expr.xreplace({a: sp.Dummy(f"t{i}") for i, a in enumerate(tanhs)})
    exps = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    fresh = {}
    for i, atom in enumerate(exps):
        fresh[atom] = _power_of_known(atom, bases) or sp.Dummy(
            f"e{i}", positive=True
        )
    return expr.xreplace(fresh)


def _power_of_known(atom: sp.exp, bases):
    """e**k if ``atom`` is exp(k*a) for a known exp(a) (k a whole number)."""
    arg = atom.args[0]
    for base, unknown in bases:
        k = sp.cancel(arg / base)
        if k.is_Integer and abs(k) <= 2 * MAX_EXPONENT:
            return unknown**k
    return None


@cache
def network_unknowns(form: str):
    """Unknowns for the tanh(...) of h and the exp(...) of yhat: the map
    from atoms, and each exp's argument (its tanh's replaced) with its
    unknown."""
    values = NETWORKS[form]().values
    names = {"column": ("h", "yhat"), "batch": ("H", "Yhat")}
    names["loss"] = ("ytilde",)
    known: dict = {}
    for name in names[form]:
        for entry in values[name].entries:
            for atom in entry.atoms(sp.tanh, sp.exp):
                if atom not in known:
                    positive = isinstance(atom, sp.exp)
                    kind = "e" if positive else "t"
                    known[atom] = sp.Dummy(
                        f"{kind}{len(known)}", positive=positive
                    )
    if form == "loss":
        for entry in values["ytilde"].entries:
            known[sp.exp(entry)] = sp.Dummy(f"e{len(known)}", positive=True)
    tanhs = {a: u for a, u in known.items() if isinstance(a, sp.tanh)}
    bases = tuple(
        (a.args[0].xreplace(tanhs), u)
        for a, u in known.items()
        if isinstance(a, sp.exp)
    )
    return known, bases


MAX_TERMS = 20_000  # larger expansions are left to the numerical check


def expansion_size(expr: sp.Expr) -> int:
    """About how many terms expanding ``expr`` gives (an upper bound)."""
    if expr.is_Add:
        return sum(expansion_size(a) for a in expr.args)
    if expr.is_Mul:
        size = 1
        for a in expr.args:
            size *= expansion_size(a)
        return size
    if expr.is_Pow and expr.exp.is_Integer:
        n, k = expansion_size(expr.base), abs(int(expr.exp))
        return math.comb(n + k - 1, k) if n > 1 else 1
    return 1


def is_zero(difference: sp.Expr, form: str) -> bool:
    """True when SymPy reduces the expression to 0 (a proof)."""
    if difference == 0:
        return True
    unknowns = atoms_as_unknowns(difference, form)
    if expansion_size(unknowns) > MAX_TERMS:
        return False
    if sp.expand(unknowns) == 0:
        return True
    logs = sp.expand_log(difference, force=True)
    return sp.cancel(atoms_as_unknowns(logs, form)) == 0


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
                f"{self.entry_name(k)}: yours {_number(a[k])}, "
                f"the right answer {_number(b[k])}"
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
                f"at the point below, yours is {_number(a[0])} and the "
                f"book's {target.what} (eq. {target.equation}) is "
                f"{_number(b[0])}."
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
            tables.append(_table(name, array.shape, numbers, exact))
        return tables

    def result_table(self, name: str, numbers) -> Table:
        return _table(name, self.shape, numbers, False)


def _target_name(network: Network) -> str:
    return next(n for n, (_, k) in network.inputs.items() if k == TARGET)


def _number(v, digits: int = 6) -> str:
    if v is None:
        return "not a finite number"
    if abs(v) < 1e-20:
        return "0"
    return mpmath.nstr(v, digits, min_fixed=-4, max_fixed=6)


def _exact(v) -> str:
    return "0" if abs(v) < 1e-20 else f"{float(v):g}"


def _table(name, shape, numbers, exact: bool, digits: int = 4) -> Table:
    fmt = _exact if exact else (lambda v: _number(v, digits))
    cells = [fmt(v) for v in numbers]
    if len(shape) == 2:
        rows, cols = shape
    else:
        rows, cols = (len(cells), 1) if shape else (1, 1)
    grid = tuple(tuple(cells[r * cols : (r + 1) * cols]) for r in range(rows))
    return Table(name, grid)


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
    return f"Yours is {_number(c, 4)} times the right answer here."
