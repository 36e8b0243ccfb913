"""The forward page, questions 5 to 7: untrained predictions next to their
one-hot targets, the package's softmax in floating point (ordinary and huge
logits), and the column form of the forward pass for one example, as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from nnintro.findings import Claim, Finding, above, below, claim, each, equal
from nnintro.forward_pass import softmax


@dataclass(frozen=True)
class PredictionsFinding(Finding):
    """Q5: untrained predictions are probabilities near 1/n_y."""

    page = "forward"
    name = "q5-targets-predictions"

    Y: torch.Tensor
    Yhat: torch.Tensor

    def claims(self) -> tuple[Claim, ...]:
        ny = self.Y.shape[1]
        distance = (self.Yhat - 1 / ny).abs().max(dim=1).values
        rows = {f"example {n + 1}": d for n, d in enumerate(distance)}
        return (
            claim(
                "q5-untrained-near-uniform",
                "Untrained predictions stay within 0.1 of 1 / n_y",
                each("max |yhat - 1 / n_y|", rows, "<", 0.1, of="examples"),
            ),
        )


@dataclass(frozen=True)
class SoftmaxFinding(Finding):
    """Q6 in floating point:
    the package's softmax on ordinary and huge logits."""

    page = "forward"
    name = "q6-softmax-float"

    ytilde: torch.Tensor
    yhat: torch.Tensor
    shifted: torch.Tensor  # softmax(ytilde + shift)
    shift: float

    def claims(self) -> tuple[Claim, ...]:
        ulps = 4 * torch.finfo(self.yhat.dtype).eps
        overflow = math.log(torch.finfo(self.yhat.dtype).max)  # exp = inf
        finite = int(torch.isfinite(self.yhat).all(dim=1).sum())
        sums = float((self.yhat.sum(dim=1) - 1).abs().max())
        shift_gap = float((self.shifted - self.yhat).abs().max())
        return (
            claim(
                "q6-softmax-finite",
                "SoftMax stays finite for logits far too large for exp",
                equal(("rows with finite outputs", finite), self.yhat.shape[0])
                & above(("largest logit", float(self.ytilde.max())), overflow),
            ),
            claim(
                "q6-softmax-sums-to-one",
                "Each output row sums to 1 in floating point",
                below(("max |row sum - 1|", sums), ulps),
            ),
            claim(
                "q6-softmax-shift",
                f"Adding a constant ({self.shift:g}) to every logit changes"
                " no output beyond rounding",
                below(("max |difference|", shift_gap), ulps),
            ),
        )


def softmax_in_floating_point(ytilde: torch.Tensor, shift: float = 123.0):
    return SoftmaxFinding(
        ytilde, softmax(ytilde), softmax(ytilde + shift), shift
    )
