"""The backprop page, questions 14 to 17 in floating point: the simplified
loss against underflow, the factor 1/N of the mean loss, and backward against
autograd and central differences (the book's one gradient check).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.circles import make_circles
from nnintro.findings import Claim, Finding, above, below, claim, each, equal
from nnintro.forward_pass import softmax
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    GradCheckReport,
    autograd_gradients,
    check_gradients,
    relative_error,
)
from nnintro.network import backward, forward, init_params, loss_accuracy


@dataclass(frozen=True)
class OverflowFinding(Finding):
    """Q14: the loss of a confidently wrong prediction, computed two ways."""

    page = "backprop"
    name = "q14-underflow"

    gaps: np.ndarray  # logit gap g = ytilde_1 - ytilde_2, true class 2
    naive: np.ndarray  # -sum y log yhat, from the probabilities
    simplified: np.ndarray  # eq. q14-simplified, from the logits

    @property
    def first_infinite(self) -> int:
        """Index of the first gap where the naive loss is not finite."""
        return int(np.argmax(~np.isfinite(self.naive)))

    def numbers(self) -> dict[str, object]:
        k = self.first_infinite
        return {
            "backprop-q14-overflow-gap": self.gaps[k],
            "backprop-q14-last-finite-gap": self.gaps[k - 1],
        }

    def claims(self) -> tuple[Claim, ...]:
        exact = np.logaddexp(self.gaps, 0.0)  # log(1 + e^g), computed stably
        error = np.abs(self.simplified - exact) / exact.clip(min=1)
        k = self.first_infinite
        finite_after = int(np.isfinite(self.naive[k:]).sum())
        return (
            claim(
                "q14-simplified-exact",
                "The simplified form equals log(1 + e^g) at every gap",
                below(("max relative error", float(np.max(error))), 1e-12),
            ),
            claim(
                "q14-naive-overflows",
                "The form through the probabilities becomes infinite past some"
                " gap and stays infinite",
                above(("first gap where it is infinite", self.gaps[k]), 0)
                & equal(("finite values from there on", finite_after), 0),
            ),
        )


def underflow_study(gaps: np.ndarray | None = None) -> OverflowFinding:
    """The loss of target class 2 with logits (g, 0), both ways,
    for each gap g."""
    gaps = np.linspace(0.0, 1000.0, 201) if gaps is None else gaps
    Y = torch.tensor([[0.0, 1.0]], dtype=torch.float64)
    naive, simplified = [], []
    for g in gaps:
        ytilde = torch.tensor([[g, 0.0]], dtype=torch.float64)
        Yhat = softmax(ytilde)
        with warnings.catch_warnings():  # the underflow warning is the point
            warnings.simplefilter("ignore")
            naive.append(float(loss_accuracy(Yhat, Y)[0]))
        simplified.append(float(loss_accuracy(Yhat, Y, ytilde=ytilde)[0]))
    return OverflowFinding(
        np.asarray(gaps), np.array(naive), np.array(simplified)
    )


@dataclass(frozen=True)
class ScaleFinding(Finding):
    """Q15: the gradient of the sum against the gradient of the mean loss."""

    page = "backprop"
    name = "q15-scale"

    N: int
    ratios: torch.Tensor  # sum_n (yhat_n - y_n) h_n^T / autograd's dL/dW_y
    sum_error: float  # the sum without 1/N against autograd
    backward_error: float  # backward (with 1/N) against autograd

    def numbers(self) -> dict[str, object]:
        return {
            "backprop-scale-N": self.N,
            "backprop-scale-ratio": float(self.ratios.mean()),
            "backprop-scale-error": self.backward_error,
        }

    def claims(self) -> tuple[Claim, ...]:
        spread = float((self.ratios - self.N).abs().max())
        return (
            claim(
                "q15-sum-is-N-times-mean",
                f"Without 1/N every entry is N = {self.N} times autograd's"
                " gradient",
                below(("max |ratio - N|", spread), ("1e-9 N", 1e-9 * self.N)),
            ),
            claim(
                "q15-mean-matches-autograd",
                "With 1/N, backward agrees with autograd on this batch",
                below(
                    ("relative error vs autograd", self.backward_error),
                    AUTOGRAD_TOLERANCE,
                ),
            ),
        )


def factor_n_mismatch(N: int = 8, seed: int = 0) -> ScaleFinding:
    """sum_n (yhat_n - y_n) h_n^T against the gradient of the mean loss."""
    data = make_circles(seed=seed)
    X, Y = data.Xtrain[:N], data.Ytrain[:N]
    params = init_params(2, 3, 2, seed=seed)
    _, out = forward(params, X)
    wrong = (out["yhat"] - Y).T @ out["h"]  # ny x nh, no 1/N
    correct = autograd_gradients(params, X, Y)
    mine = backward(params, out, Y)
    error = max(relative_error(mine[k], correct[k]) for k in correct)
    sum_error = relative_error(wrong, correct["Wy"])
    return ScaleFinding(N, wrong / correct["Wy"], sum_error, error)


@dataclass(frozen=True)
class GradientCheckFinding(Finding):
    """Q16-Q17: backward against autograd and central differences."""

    page = "backprop"
    name = "q17-gradient-check"

    N: int
    report: GradCheckReport

    def numbers(self) -> dict[str, object]:
        out: dict[str, object] = {
            "backprop-check-N": self.N,
            "backprop-tol-auto": AUTOGRAD_TOLERANCE,
            "backprop-tol-cd": CENTRAL_DIFFERENCE_TOLERANCE,
        }
        for key, error in self.report.vs_autograd.items():
            out[f"backprop-err-auto-{key}"] = error
        for key, error in self.report.vs_central_difference.items():
            out[f"backprop-err-cd-{key}"] = error
        return out

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "q17-backward-equals-autograd",
                "backward agrees with autograd for every parameter",
                each(
                    "relative error vs autograd",
                    self.report.vs_autograd,
                    "<=",
                    AUTOGRAD_TOLERANCE,
                    of="parameters",
                ),
            ),
            claim(
                "q17-backward-equals-central-differences",
                "backward agrees with central differences for every parameter",
                each(
                    "relative error vs central differences",
                    self.report.vs_central_difference,
                    "<=",
                    CENTRAL_DIFFERENCE_TOLERANCE,
                    of="parameters",
                ),
            ),
        )


def gradient_check(params, X: torch.Tensor, Y: torch.Tensor):
    return GradientCheckFinding(X.shape[0], check_gradients(params, X, Y))
