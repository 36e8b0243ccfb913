"""Which catalogued mistake (:mod:`.catalogue`) a wrong formula makes.

Only formulas already judged incorrect are looked at, so a right answer
never gets a mistake's message. A formula is compared with each entry's
wrong formula, or repaired by the entry's swap of names and compared with
the book's answer, at two random points (one-hot and general targets).
"""

from __future__ import annotations

import ast
import random

from nnintro.answers.arrays import Array, transpose
from nnintro.answers.catalogue import CATALOGUE, Mistake
from nnintro.answers.expression import FormulaError, FormulaShapeError, parse
from nnintro.answers.numeric import Evaluator
from nnintro.answers.points import differs, draw_point
from nnintro.answers.symbolic_network import Network

SEED = 20261203


class _Swapper(ast.NodeTransformer):
    def __init__(self, swap: dict[str, str]):
        self.swap = swap

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.swap:
            return parse(self.swap[node.id]).body
        return node


def swapped(text: str, swap: dict[str, str]) -> str:
    """The formula with each name of ``swap`` replaced."""
    tree = _Swapper(swap).visit(parse(text))
    return ast.unparse(ast.fix_missing_locations(tree))


def _same_shape(a: Array, b: Array) -> bool:
    if a.shape == b.shape:
        return True
    vectors = (len(a.entries),), (len(a.entries), 1)
    return a.shape in vectors and b.shape in vectors


class Recogniser:
    """Compares arrays of one network at two fixed random points."""

    def __init__(self, target, network: Network, interpret):
        self.target = target
        self.network = network
        self.interpret = interpret
        rng = random.Random(f"{SEED}-{target.key}")
        self.at = [
            Evaluator(draw_point(network, rng, one_hot))
            for one_hot in (True, False)
        ]

    def value(self, text: str) -> Array | None:
        try:
            return self.interpret(self.target, text, self.network)[0]
        except (FormulaError, FormulaShapeError, ValueError):
            return None

    def equal(self, a: Array | None, b: Array | None) -> bool:
        if a is None or b is None or not _same_shape(a, b):
            return False
        return not any(
            differs(at(x), at(y))
            for at in self.at
            for x, y in zip(a.entries, b.entries)
        )

    def matches(self, mistake: Mistake, text: str, theirs) -> bool:
        key = self.target.key
        if mistake.kind == "value":
            formula = mistake.wrong[key].replace(
                "{ref}", self.target.reference
            )
            return self.equal(theirs, self.value(formula))
        if mistake.kind != "swap":
            return False
        try:
            repair = swapped(text, mistake.swap)
        except FormulaError:
            return False
        if repair == swapped(text, {}):
            return False  # no name to swap: not this mistake
        repaired = self.value(repair)
        right = self.value(self.target.reference)
        if right is None:
            return False
        if self.equal(repaired, right):
            return True
        return mistake.transposed and self.equal(repaired, transpose(right))


def recognise(target, text, theirs, network, interpret) -> Mistake | None:
    """The first catalogued mistake the formula makes, or None.

    ``theirs`` is the formula's value (None when its shapes do not fit,
    then only the swaps are tried)."""
    recogniser = Recogniser(target, network, interpret)
    for mistake in CATALOGUE:
        if not mistake.applies(target.key):
            continue
        if mistake.kind == "value" and theirs is None:
            continue
        if recogniser.matches(mistake, text, theirs):
            return mistake
    return None
