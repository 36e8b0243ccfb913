"""Random points at which two formulas are compared, and their values.

Inputs are simple decimals (weights and biases in tenths, inputs in
halves) so that a student can follow a counterexample; targets sum to 1,
one-hot or not; no pre-activation lies near 0, where a wrong tanh factor
could hide. Values are 60-digit numbers (:mod:`.numeric`); two values
differ when they differ by more than 1e-45 of their size, so that a
difference of 1e-30 is seen, and a difference found is confirmed at 120
digits (not a rounding error of a huge intermediate value).
"""

from __future__ import annotations

import random
from fractions import Fraction

import mpmath
import sympy as sp

from nnintro.answers.numeric import Evaluator
from nnintro.answers.symbolic_network import (
    INPUT,
    LOGIT,
    TARGET,
    WEIGHT,
    Network,
)

SIGNIFICANT_DIGITS = 45  # two values agree when they agree to these
RELATIVE_TOLERANCE = mpmath.mpf(10) ** -SIGNIFICANT_DIGITS  # rounding: 1e-58


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
            ny = network.sizes.ny
            per_row = ny - 1
            for r in range(len(free) // per_row):
                row = free[r * per_row : (r + 1) * per_row]
                point.update(zip(row, _target_row(rng, one_hot, ny)))
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


def _target_row(rng: random.Random, one_hot: bool, ny: int) -> list:
    """The first ny - 1 entries of a target that sums to 1."""
    if one_hot:
        k = rng.randrange(ny)
        return [Fraction(int(i == k)) for i in range(ny - 1)]
    while True:  # twentieths, all positive, summing to 1
        cuts = sorted(rng.sample(range(1, 20), ny - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20])]
        if all(parts):
            return [Fraction(p, 20) for p in parts[:-1]]


def evaluate(entries, point: dict | Evaluator) -> list:
    """Every entry as a 60-digit mpmath number (None: not finite)."""
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
