"""Compare a formula with the book's answer: at points, at sizes, by proof.

"Correct" means: at each of the three sets of sizes (:data:`SIZE_SETS`,
each size different in each set) the two formulas agree at every random
point tried, to 45 of the 60 digits computed (a relative difference of
1e-30 is seen), and SymPy reduces their difference to 0 at the first
sizes, or, when it cannot within its time budget, they also agree at more
points. A difference found is a counterexample, confirmed at 120 digits.
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, replace

import mpmath
import sympy as sp

from nnintro.answers.catalogue import MISTAKES, literal_message
from nnintro.answers.expression import FormulaError, FormulaShapeError, parse
from nnintro.answers.numeric import CONFIRM_DIGITS, Evaluator
from nnintro.answers.points import (
    SIGNIFICANT_DIGITS,
    differs,
    draw_point,
    evaluate,
)
from nnintro.answers.proof import all_zero
from nnintro.answers.result import (
    CORRECT,
    INCORRECT,
    Result,
    Table,
    number_text,
    table_of,
)
from nnintro.answers.symbolic_network import (
    FIRST,
    NETWORKS,
    SIZE_SETS,
    Network,
)
from nnintro.answers.targets import Target

POINTS = 4  # random points at the first sizes: 2 one-hot, 2 general
OTHER_POINTS = 2  # at each other set of sizes: 1 one-hot, 1 general
MORE_POINTS = 8  # at each set of sizes, when SymPy proves nothing
PROOF_SECONDS = 1.0  # the time budget of the symbolic proof
SEED = 20240511


@dataclass
class Trial:
    """The two formulas' entries on one network (one set of sizes)."""

    target: Target
    network: Network
    theirs: tuple[sp.Expr, ...]
    right: tuple[sp.Expr, ...]
    shape: tuple[int, ...]
    shown: set[str]

    def try_point(self, point: dict) -> Result | None:
        """A counterexample at this point, or None if all entries agree."""
        at = Evaluator(point)
        a, b = evaluate(self.theirs, at), evaluate(self.right, at)
        bad = [k for k in range(len(a)) if differs(a[k], b[k])]
        if bad:  # confirmed at a higher precision: not rounding
            sure = Evaluator(point, CONFIRM_DIGITS)
            for k in bad:
                a[k], b[k] = sure(self.theirs[k]), sure(self.right[k])
            bad = [k for k in bad if differs(a[k], b[k])]
        if not bad:
            return None
        return self.counterexample(point, a, b, bad)

    def counterexample(self, point, a, b, bad) -> Result:
        target, network = self.target, self.network
        target_name = next(
            n for n, (_, kind) in network.inputs.items() if kind == "target"
        )
        one_hot = all(point[s] in (0, 1) for s in network.free[target_name])
        details = [f"Sizes: {network.sizes.text(target.form)}."]
        for k in bad[:4]:
            line = (
                f"{self.entry_name(k)}: yours {number_text(a[k])}, "
                f"the right answer {number_text(b[k])}"
            )
            if a[k] is not None and b[k] is not None:
                gap = abs(a[k] - b[k])
                if gap < 1e-5 * max(abs(a[k]), abs(b[k])):
                    line += f" (they differ by {number_text(gap, 3)})"
            details.append(line)
        if len(bad) > 4:
            details.append(f"({len(bad) - 4} more entries differ)")
        hint = _ratio_hint(a, b)
        if hint:
            details.append(hint)
        if not one_hot:
            details.append(
                "The targets here are not one-hot but sum to 1, as the book "
                "assumes; yours agrees with the right answer at the one-hot "
                "targets tried, but not for every target that sums to 1."
            )
        what = f"the book's {target.what} (eq. {target.equation})"
        summary = (
            f"at the point below, {len(bad)} of the {len(a)} entries of "
            f"yours differ from {what}."
        )
        if len(a) == 1:
            summary = (
                f"at the point below, yours is {number_text(a[0])} and "
                f"{what} is {number_text(b[0])}."
            )
        tables = self.point_tables(point)
        tables.append(table_of("yours", self.shape, a, False))
        tables.append(table_of("right answer", self.shape, b, False))
        values = {"theirs": a, "right": b, "bad": bad, "point": point}
        values["sizes"] = network.sizes
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


class Comparison:
    """The verdict on a formula whose shape is right at the first sizes."""

    def __init__(self, target, text, theirs, right, shown, interpret):
        self.target, self.text, self.interpret = target, text, interpret
        network = NETWORKS[target.form](FIRST)
        self.trials = [
            Trial(
                target, network, theirs.entries, right.entries,
                right.shape, shown,
            )
        ]  # fmt: skip
        self.rng = random.Random(f"{SEED}-{target.key}")

    def verdict(self) -> Result:
        first = self.trials[0]
        kinds = [True] * (POINTS // 2) + [False] * (POINTS - POINTS // 2)
        for one_hot in kinds:
            found = self.at_point(first, one_hot)
            if found:
                return found
        for sizes in SIZE_SETS[1:]:
            trial = self.trial(sizes)
            if isinstance(trial, Result):
                return trial
            self.trials.append(trial)
            for k in range(OTHER_POINTS):
                found = self.at_point(trial, k % 2 == 0)
                if found:
                    return self.literal(found)
        differences = [a - b for a, b in zip(first.theirs, first.right)]
        if all_zero(differences, self.target.form, PROOF_SECONDS):
            return self.correct(proved=True)
        for trial in self.trials:
            for k in range(MORE_POINTS):
                found = self.at_point(trial, k % 3 == 0)
                if found:
                    return self.literal(found)
        return self.correct(proved=False)

    def at_point(self, trial: Trial, one_hot: bool) -> Result | None:
        return trial.try_point(draw_point(trial.network, self.rng, one_hot))

    def trial(self, sizes) -> Trial | Result:
        """The formulas at other sizes (or why the formula fails there)."""
        network = NETWORKS[self.target.form](sizes)
        where = f"Sizes: {sizes.text(self.target.form)}."
        try:
            theirs, used = self.interpret(self.target, self.text, network)
        except (FormulaError, FormulaShapeError) as failure:
            return Result(
                INCORRECT,
                f"yours is right at the first sizes tried, but at other "
                f"sizes it is not defined: {failure}.",
                (where,),
            )
        right, _ = self.interpret(self.target, self.target.reference, network)
        if len(theirs.entries) != len(right.entries):
            return Result(
                INCORRECT,
                "yours has the right shape at the first sizes tried, but "
                "not at others.",
                (where,),
            )
        first = self.trials[0]
        return Trial(
            self.target, network, theirs.entries, right.entries,
            right.shape, first.shown | used,
        )  # fmt: skip

    def literal(self, result: Result) -> Result:
        """A counterexample at other sizes, with the message for a number
        typed for a size, if the formula has one."""
        dims = FIRST.dims
        for number in numbers_in(self.text):
            if number in dims:
                message = literal_message(
                    number, dims[number], FIRST.text(self.target.form)
                )
                mistake = MISTAKES["size-as-number"]
                details = (f"Known mistake: {message}", *result.details)
                return replace(result, details=details, mistake=mistake.id)
        return result

    def correct(self, proved: bool) -> Result:
        target = self.target
        first, *others = (
            f"({t.network.sizes.text(target.form)})" for t in self.trials
        )
        count = POINTS + (0 if proved else MORE_POINTS)
        other = OTHER_POINTS + (0 if proved else MORE_POINTS)
        agree = (
            f"the values agree to {SIGNIFICANT_DIGITS} digits at {count} "
            f"random points at the first sizes {first}"
        )
        if others:
            agree += (
                f" and at {other} at each of the other sets of sizes: "
                + " and ".join(others)
            )
        if proved:
            how = (
                "SymPy reduces yours minus the book's to 0 in every entry "
                f"at the first sizes, the targets summing to 1; {agree}."
            )
            summary = f"equal to the book's {target.what}"
        else:
            how = (
                f"{agree[0].upper()}{agree[1:]}; SymPy did not reduce the "
                "difference to 0 within its time budget."
            )
            summary = f"equal to the book's {target.what}, numerically"
        return Result(CORRECT, f"{summary} (eq. {target.equation}).", (how,))


def numbers_in(text: str) -> list[int]:
    """The whole numbers written in a formula (not exponents)."""
    tree = parse(text)
    exponents = {
        id(node.right)
        for node in ast.walk(tree)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
    }
    return [
        int(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and float(node.value).is_integer()
        and id(node) not in exponents
    ]


def _ratio_hint(a, b) -> str | None:
    """A sentence when yours is a constant multiple of the right answer."""
    if any(v is None for v in a + b):
        return None
    if all(abs(v) < 1e-20 for v in a):
        return "Yours is zero here."
    if len(a) == 1 or any(abs(y) < 1e-12 for y in b):
        return None
    ratios = [x / y for x, y in zip(a, b)]
    c = ratios[0]
    if any(abs(r - c) > 1e-12 * max(1, abs(c)) for r in ratios):
        return None
    if abs(c + 1) < 1e-12 or abs(c - mpmath.mpf(1)) < 1e-12:
        return None  # the catalogue names a sign slip
    return f"Yours is {number_text(c, 4)} times the right answer here."
