"""The optimisation page, question 12: the cost of one gradient by each
method of :mod:`~nnintro.experiments.optimisation.cost_methods`, counted at
each depth and compared with the book's formulas (times are only shown)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnintro.comparisons import (
    above,
    at_most,
    between,
    close,
    each,
    equal,
    ordered,
)
from nnintro.experiments.optimisation.cost_methods import (
    METHODS,
    CostConfig,
    forward_passes_formula,
    measure,
    parameter_count,
    products_formula,
)
from nnintro.findings import Claim, Finding, claim


def loglog_slope(depths, values) -> float:
    """Exponent k of the least-squares fit values ~ c depth^k."""
    return float(np.polyfit(np.log(depths), np.log(values), 1)[0])


@dataclass(frozen=True)
class CostFinding(Finding):
    """Counted products and forward passes, and times, per depth."""

    page = "optimisation"
    name = "q12-cost"

    config: CostConfig
    multiply_adds: dict[str, tuple[int, ...]]  # method -> per depth
    forward_passes: dict[str, tuple[int, ...]]  # method -> per depth
    seconds: dict[str, tuple[float, ...]]  # best processor time (shown)

    @property
    def depths(self) -> tuple[int, ...]:
        return self.config.depths

    def products(self, method: str) -> np.ndarray:
        """Counted multiply-adds in units of N w^2 (one matrix product)."""
        return np.array(self.multiply_adds[method]) / self.config.unit

    def ratio(self, method: str, to: str = "backprop") -> np.ndarray:
        """Cost of ``method`` over that of ``to``, per depth."""
        return self.products(method) / self.products(to)

    def exponent(self, method: str) -> float:
        """Fitted exponent k of products ~ c D^k over the two largest D."""
        return self.local_exponents(method)[-1][1]

    def local_exponents(self, method: str) -> list[tuple[str, float]]:
        """k fitted between each depth and the next, named by the pair."""
        d, p = self.depths, self.products(method)
        return [
            (
                f"k of {method}, D={d[i]} to {d[i + 1]}",
                loglog_slope(d[i : i + 2], p[i : i + 2]),
            )
            for i in range(len(d) - 1)
        ]

    def formula_mismatches(self) -> int:
        """Depth-method pairs whose counts differ from the formulas."""
        c, bad = self.config, 0
        for m in METHODS:
            for i, d in enumerate(self.depths):
                expected = products_formula(m, d, c.width) * c.unit
                passes = forward_passes_formula(m, d, c.width)
                bad += self.multiply_adds[m][i] != expected
                bad += self.forward_passes[m][i] != passes
        return bad

    def numbers(self) -> dict[str, object]:
        c = self.config
        out = {
            "q12-width": c.width,
            "q12-examples": c.examples,
            "q12-repeats": c.repeats,
            "q12-depth-max": self.depths[-1],
            "q12-depth-before-max": self.depths[-2],
            "q12-params-max": parameter_count(self.depths[-1], c.width),
            "q12-unit": c.unit,
            "q12-numerical-per-parameter": self.ratio(
                "numerical", "per-parameter"
            )[-1],
        }
        for m in METHODS:
            out[f"q12-{m}-products"] = int(self.products(m)[-1])
            out[f"q12-{m}-local"] = self.exponent(m)
            out[f"q12-{m}-ratio"] = self.ratio(m)[-1]
        return out

    def claims(self) -> tuple[Claim, ...]:
        at = [f"D={d}" for d in self.depths]
        k = {m: (f"k of {m}", self.exponent(m)) for m in METHODS}
        ratio = {m: self.ratio(m) for m in METHODS}
        last = {
            m: (f"{m} / backprop at {at[-1]}", r[-1]) for m, r in ratio.items()
        }
        steps = {
            m: list(zip([f"{m} / backprop at {a}" for a in at], r))
            for m, r in ratio.items()
        }
        num_per = (
            f"numerical / per-parameter at {at[-1]}",
            self.ratio("numerical", "per-parameter")[-1],
        )
        num_layer = dict(zip(at, self.ratio("numerical", "per-layer")))
        widening = [
            ordered(steps[m], "<=") & above(last[m], ratio[m][0])
            for m in METHODS[1:]
        ]
        mismatches = ("counts off their formula", self.formula_mismatches())
        return (
            claim(
                "q12-counts-match-formulas",
                "The counted products and forward passes of all four"
                " methods equal their formulas at every depth",
                equal(mismatches, 0),
            ),
            claim(
                "q12-backprop-linear",
                "The cost of backpropagation grows linearly in depth",
                close(k["backprop"], 1, tol=0.05),
            ),
            claim(
                "q12-per-layer-quadratic",
                "The cost of the per-layer chain rule without reuse grows"
                " almost quadratically in depth",
                between(k["per-layer"], 1.75, 2),
            ),
            claim(
                "q12-per-layer-approaches-2",
                "The per-layer exponent grows with depth, towards 2",
                ordered(self.local_exponents("per-layer"), "<")
                & at_most(k["per-layer"], 2),
            ),
            claim(
                "q12-per-parameter-quadratic",
                "The cost of the per-parameter chain rule grows"
                " quadratically in depth",
                close(k["per-parameter"], 2, tol=0.05),
            ),
            claim(
                "q12-per-parameter-above-2",
                "At these depths the per-parameter exponent is a little above"
                " 2",
                above(k["per-parameter"], 2)
                & close(k["per-parameter"], 2, tol=0.05),
            ),
            claim(
                "q12-numerical-quadratic",
                "The cost of numerical differentiation grows "
                "quadratically in depth",
                close(k["numerical"], 2, tol=0.05),
            ),
            claim(
                "q12-gap-widens",
                "Relative to backpropagation, no other method gets cheaper"
                " at any step of D, and each costs more at D max than at"
                " D min",
                widening[0] & widening[1] & widening[2],
            ),
            claim(
                "q12-per-layer-few-times",
                "At the largest depth the per-layer chain rule costs"
                " between one and ten times backpropagation",
                between(last["per-layer"], 1, 10),
            ),
            claim(
                "q12-per-parameter-hundreds",
                "At the largest depth the chain rule written out per"
                " parameter costs over a hundred times backpropagation, and"
                " less than numerical differentiation but within a factor"
                " of three of it",
                above(last["per-parameter"], 100) & between(num_per, 1, 3),
            ),
            claim(
                "q12-numerical-far-costlier",
                "Numerical differentiation costs over ten times the per-layer"
                " chain rule at every depth, and over a hundred times"
                " backpropagation at D max",
                each("numerical / per-layer", num_layer, ">", 10, of="depths")
                & above(last["numerical"], 100),
            ),
        )


def cost_study(config: CostConfig | None = None) -> CostFinding:
    """Count and time each method at each depth."""
    config = CostConfig() if config is None else config
    runs = {m: [measure(m, d, config) for d in config.depths] for m in METHODS}
    return CostFinding(
        config,
        {m: tuple(c.multiply_adds for c, _ in r) for m, r in runs.items()},
        {m: tuple(c.forward_passes for c, _ in r) for m, r in runs.items()},
        {m: tuple(best for _, best in r) for m, r in runs.items()},
    )
