"""Random points at which two formulas are compared, and their values.

Inputs are simple decimals (weights and biases in tenths, inputs in
halves) so that a student can follow a counterexample; targets sum to 1,
one-hot or not; no pre-activation lies near 0, where a wrong tanh factor
could hide. Values are 30-digit numbers (:mod:`.numeric`).
"""

from __future__ import annotations

import random
from fractions import Fraction

import sympy as sp

from nnintro.answers.network import (
    INPUT,
    LOGIT,
    NY,
    TARGET,
    WEIGHT,
    Network,
)
from nnintro.answers.numeric import Evaluator

RELATIVE_TOLERANCE = 1e-15  # rounding is about 1e-28 at 30 digits


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
    point: dict = {}
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
