"""Decide whether a student's formula equals the book's, and say why.

1. The formula is read (:mod:`.expression`) on the symbolic network
   (:mod:`.symbolic_network`) at the first set of sizes; what cannot be
   read is an ``error``. Every readable formula is echoed in LaTeX
   (:mod:`.echo`).
2. A shape different from the gradient's is ``incorrect``, with both
   shapes in the book's size names.
3. The values are compared at random points, at each of three sets of
   sizes (:mod:`.compare`); a difference is a counterexample:
   ``incorrect``. A wrong formula that makes a catalogued mistake
   (:mod:`.catalogue`) gets that mistake's message.
4. ``correct`` needs agreement at every point of every set of sizes, and
   SymPy's proof at the first sizes or, past the proof's time budget,
   agreement at more points.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from nnintro.answers.arrays import Array
from nnintro.answers.compare import Comparison
from nnintro.answers.echo import latex
from nnintro.answers.entries import (
    EntryInterpreter,
    is_entry_form,
    read_entries,
)
from nnintro.answers.expression import (
    FormulaError,
    FormulaShapeError,
    Interpreter,
    parse,
    shape_text,
)
from nnintro.answers.proof import network_unknowns
from nnintro.answers.recognise import recognise
from nnintro.answers.result import CORRECT, ERROR, INCORRECT, Result
from nnintro.answers.symbolic_network import (
    BATCH_NAMES,
    COLUMN_NAMES,
    FIRST,
    NETWORKS,
    SIZE_SETS,
    Network,
)
from nnintro.answers.targets import TARGETS, Target

__all__ = ["CORRECT", "check", "interpret", "prepare"]


def error(message: str) -> Result:
    return Result(ERROR, message)


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
        asked = (name in ("delta_y", "Delta_y") and "q15" in target.key) or (
            name in ("delta_h", "Delta_h") and "q17" in target.key
        )
        if asked:
            reasons[name] = (
                f"`{name}` is the quantity this answer asks for: write it "
                f"with {', '.join(target.names)}"
            )
    return reasons


def interpret(target: Target, text: str, network: Network):
    """(value, names used) of a formula for this target."""
    names = {n: network.values[n] for n in target.names}

    def make(kind=Interpreter):
        return kind(
            text,
            names,
            refused=refusals(target),
            size_names=("N",) if target.form == "batch" else (),
            known=target.names,
            dims=network.sizes.dims,
        )

    if target.form == "column" and is_entry_form(parse(text)):
        sizes = network.sizes
        size = {"n_x": sizes.nx, "n_h": sizes.nh, "n_y": sizes.ny, "1": 1}
        shape = tuple(size[n] for n in target.shape)
        vector = target.shape[-1] == "1"
        return read_entries(
            lambda: make(EntryInterpreter), shape, parse(text), vector
        )
    interpreter = make()
    return interpreter.evaluate(), interpreter.used


def prepare(every_size: bool = True) -> None:
    """Build the symbolic networks once: at the first sizes only, or at
    every set of sizes. The browser builds the first while it loads and
    the others once it is ready, so that no check waits for them."""
    for form, build in NETWORKS.items():
        for sizes in SIZE_SETS if every_size else SIZE_SETS[:1]:
            build(sizes)
        network_unknowns(form)


def check(key: str, text: str) -> Result:
    """The verdict on a student's formula for the target ``key``."""
    target = TARGETS.get(key)
    if target is None:
        return error(
            f"unknown equation label {key!r}; the labels are "
            + ", ".join(TARGETS)
        )
    result = _check(target, text)
    try:
        echo = latex(parse(text).body)
    except (FormulaError, RecursionError):
        echo = ""
    return replace(result, echo=echo)


def _check(target: Target, text: str) -> Result:
    network = NETWORKS[target.form](FIRST)
    try:
        theirs, used = interpret(target, text, network)
    except FormulaError as failure:
        return error(str(failure))
    except FormulaShapeError as failure:
        result = Result(
            INCORRECT,
            f"{quote(failure.part)} is not defined: {failure.message}.",
            (f"Sizes: {FIRST.text(target.form)}.",),
        )
        return named(result, target, text, None, network)
    if any(_not_finite(e) for e in theirs.entries):
        return error(
            "the formula is undefined: it divides by zero or takes log(0)"
        )
    right, reference_used = interpret(target, target.reference, network)
    mismatch = shape_mismatch(target, text, theirs, right, network)
    if mismatch:
        return named(mismatch, target, text, theirs, network)
    comparison = Comparison(
        target, text, theirs, right, used | reference_used, interpret
    )
    result = comparison.verdict()
    if result.verdict == INCORRECT and result.mistake is None:
        return named(result, target, text, theirs, network)
    return result


def named(result: Result, target, text, theirs, network) -> Result:
    """The result with the message of the catalogued mistake it makes."""
    mistake = recognise(target, text, theirs, network, interpret)
    if mistake is None:
        return result
    said = mistake.message.lower()
    kept = [  # what the mistake's message says already is left out
        d
        for d in result.details
        if d.lower().rstrip(".") not in said
        and not (mistake.id == "transposed" and "transposed shape" in d)
    ]
    details = (f"Known mistake: {mistake.message}", *kept)
    return replace(result, details=details, mistake=mistake.id)


def quote(text: str, limit: int = 60) -> str:
    """The student's formula in backticks, shortened if long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


def _not_finite(e: sp.Expr) -> bool:
    return e.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def shape_mismatch(target, text, theirs: Array, right: Array, network):
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
    sizes = network.sizes
    yours = shape_text(shape, sizes.dims)
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
    details.append(f"Sizes: {sizes.text(target.form)}.")
    return Result(INCORRECT, summary, tuple(details))
