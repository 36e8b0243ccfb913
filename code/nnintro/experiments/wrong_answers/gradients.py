"""Three wrong answers to questions 14 to 17, each with a counterexample."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
import torch

from nnintro.derivations.simplified_loss import (
    simplification_residual_closed_form,
    simplified_cross_entropy_closed_form,
)
from nnintro.derivations.symbolic import (
    cross_entropy_of_softmax,
    softmax_exprs,
)
from nnintro.findings import Finding, above, at_most, claim, close, equal
from nnintro.gradcheck import autograd_gradients, relative_error
from nnintro.network import forward, init_params

PAGE = "wrong_answers"


@dataclass(frozen=True)
class SimplexCounterexample(Finding):
    """CE of the SoftMax and its simplified form, targets not summing to 1."""

    page = PAGE
    name = "wrong-simplex"

    sum_yhat: sp.Expr  # exactly 1, whatever y is
    sum_y: sp.Expr
    cross_entropy: float
    simplified: float
    residual: float  # cross_entropy - simplified
    predicted_residual: float  # (sum y - 1) log sum exp(ytilde)

    def numbers(self):
        return {
            "wrong-simplex-sum-yhat": str(self.sum_yhat),
            "wrong-simplex-sum-y": str(self.sum_y),
            "wrong-simplex-ce": self.cross_entropy,
            "wrong-simplex-simplified": self.simplified,
            "wrong-simplex-residual": self.residual,
            "wrong-simplex-predicted": self.predicted_residual,
        }

    def claims(self):
        gap = ("gap between the forms", self.residual)
        predicted = ("predicted gap", self.predicted_residual)
        return (
            claim(
                "wrong-simplex-forms-differ",
                "yhat sums to 1 and y does not, and the two forms differ by"
                " the predicted residual",
                equal(("sum of yhat", float(self.sum_yhat)), 1)
                & above(("sum of y", float(self.sum_y)), 1)
                & above(gap, 1e-3)
                & close(gap, predicted, tol=1e-12),
            ),
        )


def simplification_without_simplex_targets(
    ytilde=(2, -1, 0.5), y=(1, 1, 0)
) -> SimplexCounterexample:
    """Exact SymPy values: yhat sums to 1, y does not, the forms differ.

    The default target ticks two classes (a multi-label target).
    """
    ytilde, y = [sp.nsimplify(v) for v in ytilde], [sp.nsimplify(v) for v in y]
    ce = cross_entropy_of_softmax(ytilde, y)
    simplified = simplified_cross_entropy_closed_form(ytilde, y)
    return SimplexCounterexample(
        sum_yhat=sp.simplify(sum(softmax_exprs(ytilde))),
        sum_y=sum(y),
        cross_entropy=float(ce),
        simplified=float(simplified),
        residual=float(sp.N(ce - simplified, 30)),
        predicted_residual=float(
            simplification_residual_closed_form(ytilde, y)
        ),
    )


def random_example(nx=2, nh=3, ny=3, *, seed=0, label=0):
    """Parameters, one input row x and a one-hot target of class ``label``."""
    params = init_params(nx, nh, ny, seed=seed)
    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(1, nx, generator=generator, dtype=torch.float64)
    Y = torch.zeros(1, ny, dtype=torch.float64)
    Y[0, label] = 1.0
    return params, x, Y


@dataclass(frozen=True, eq=False)
class SummedErrorCounterexample(Finding):
    """dl/dW_y,ij = h_j sum_k (yhat_k - y_k) against autograd."""

    page = PAGE
    name = "wrong-summed-error"

    summed: float  # sum_k (yhat_k - y_k)
    largest_wrong: float  # max |entry| of the wrong formula
    largest_correct: float  # max |entry| of autograd's gradient
    error: float  # relative error of the wrong formula

    def numbers(self):
        return {
            "wrong-sum-note": self.summed,
            "wrong-sum-wrong": self.largest_wrong,
            "wrong-sum-correct": self.largest_correct,
            "wrong-sum-error": self.error,
        }

    def claims(self):
        wrong = ("largest entry of the formula", self.largest_wrong)
        correct = ("largest entry of autograd's", self.largest_correct)
        return (
            claim(
                "wrong-summed-error-vanishes",
                "The summed-error formula gives a zero gradient (up to"
                " rounding), autograd does not",
                at_most(wrong, 1e-12) & above(correct, 0.01),
            ),
            claim(
                "wrong-summed-error-nothing-left",
                "The relative error of the summed-error formula is 1 up to"
                " rounding",
                close(("relative error", self.error), 1, tol=1e-9),
            ),
        )


def output_gradient_with_summed_error(seed: int = 0):
    """Wrong: dl/dW_y,ij = h_j sum_k (yhat_k - y_k); the sum is 0."""
    params, x, Y = random_example(seed=seed)
    _, out = forward(params, x)
    summed = (out["yhat"] - Y).sum()
    # entry ij: h_j * sum_k (yhat_k - y_k)
    wrong = summed * out["h"].expand(params["Wy"].shape[0], -1)
    correct = autograd_gradients(params, x, Y)["Wy"]
    return SummedErrorCounterexample(
        float(summed),
        float(wrong.abs().max()),
        float(correct.abs().max()),
        relative_error(wrong, correct),
    )


@dataclass(frozen=True)
class UpstreamCounterexample(Finding):
    """dl/dW_h = (1 - h^2) x^T, the local derivative alone, vs autograd."""

    page = PAGE
    name = "wrong-upstream"

    error: float  # relative error against autograd, target class 0
    wrong_change: float  # |change of the wrong formula|, class 0 -> 1
    true_change: float  # |change of autograd's gradient|, class 0 -> 1

    def numbers(self):
        return {
            "wrong-upstream-error": self.error,
            "wrong-upstream-change": self.wrong_change,
            "wrong-upstream-true-change": self.true_change,
        }

    def claims(self):
        return (
            claim(
                "wrong-upstream-far-from-autograd",
                "The local derivative alone is far from autograd's gradient",
                above(("relative error", self.error), 0.1),
            ),
            claim(
                "wrong-upstream-blind-to-target",
                "Changing the target class leaves the wrong gradient"
                " unchanged but changes the true one",
                equal(("change of the wrong formula", self.wrong_change), 0)
                & above(("change of autograd's", self.true_change), 0.1),
            ),
        )


def hidden_gradient_without_upstream(seed: int = 0):
    """Wrong: dl/dhtilde = 1 - h^2, so dl/dW_h = (1 - h^2) x^T."""
    wrong, correct = [], []
    for label in (0, 1):
        params, x, Y = random_example(seed=seed, label=label)
        _, out = forward(params, x)
        wrong.append((1 - out["h"] ** 2).T @ x)
        correct.append(autograd_gradients(params, x, Y)["Wh"])

    def change(pair):
        return float(torch.linalg.vector_norm(pair[0] - pair[1]))

    return UpstreamCounterexample(
        relative_error(wrong[0], correct[0]), change(wrong), change(correct)
    )
