"""Questions 4 to 7 in floating point: sizes, targets and predictions, SoftMax,
and the forward pass of the package against the column form written example by
example.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nnintro.findings import Claim, Finding, claim, markdown_table
from nnintro.network import forward, softmax

INTERMEDIATES = ("htilde", "h", "ytilde", "yhat")


def count_parameters(params: dict[str, torch.Tensor]) -> int:
    return sum(p.numel() for p in params.values())


@dataclass(frozen=True)
class SizesFinding(Finding):
    """Q4: the sizes imposed by the data, and the number of parameters."""

    page = "forward"
    name = "q4-sizes"

    nx: int
    nh: int
    ny: int
    counted: int  # entries of the four parameter tensors

    def numbers(self) -> dict[str, object]:
        return {
            "fwd-nx": self.nx,
            "fwd-ny": self.ny,
            "fwd-n-params": self.counted,
        }

    def claims(self) -> tuple[Claim, ...]:
        formula = self.nh * (self.nx + 1) + self.ny * (self.nh + 1)
        return (
            claim(
                "q4-parameter-count",
                "The tensors hold n_h (n_x + 1) + n_y (n_h + 1) numbers",
                self.counted == formula,
                "counted == formula",
                counted=self.counted,
                formula=formula,
            ),
        )


def sizes_of(params: dict[str, torch.Tensor]) -> SizesFinding:
    nh, nx = params["Wh"].shape
    ny = params["Wy"].shape[0]
    return SizesFinding(nx, nh, ny, count_parameters(params))


def targets_and_predictions_table(Y: torch.Tensor, Yhat: torch.Tensor) -> str:
    """A Markdown table: one row per example, targets then predictions."""
    ny = Y.shape[1]
    head = [f"$y_{i + 1}$" for i in range(ny)]
    head += [f"$\\hat y_{i + 1}$" for i in range(ny)]
    lines = [
        "| example | " + " | ".join(head) + " |",
        "|---:|" + "---:|" * (2 * ny),
    ]
    for n in range(Y.shape[0]):
        cells = [f"{int(v)}" for v in Y[n]] + [
            f"{float(v):.3f}" for v in Yhat[n]
        ]
        lines.append(f"| {n + 1} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class PredictionsFinding(Finding):
    """Q5: targets are one-hot,
    untrained predictions are probabilities near 1/n_y."""

    page = "forward"
    name = "q5-targets-predictions"

    Y: torch.Tensor
    Yhat: torch.Tensor

    def table(self) -> str:
        return targets_and_predictions_table(self.Y, self.Yhat)

    def claims(self) -> tuple[Claim, ...]:
        ny = self.Y.shape[1]
        one_hot = bool(
            ((self.Y == 0) | (self.Y == 1)).all()
            and (self.Y.sum(dim=1) == 1).all()
        )
        sums = float((self.Yhat.sum(dim=1) - 1).abs().max())
        distance = float((self.Yhat - 1 / ny).abs().max())
        return (
            claim(
                "q5-targets-one-hot",
                "Each target row holds exactly one 1",
                one_hot,
                "entries in {0, 1} and row sums == 1",
                rows=self.Y.shape[0],
            ),
            claim(
                "q5-predictions-sum-to-one",
                "Each prediction row is a probability vector",
                sums < 1e-12 and bool((self.Yhat > 0).all()),
                "entries > 0 and max |row sum - 1| < 1e-12",
                max_deviation=sums,
            ),
            claim(
                "q5-untrained-near-uniform",
                "Untrained predictions stay within 0.1 of 1 / n_y",
                distance < 0.1,
                "max |yhat - 1 / n_y| < 0.1",
                max_distance=distance,
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

    def table(self) -> str:
        """A Markdown table: each row's logits, then its SoftMax."""
        n = self.ytilde.shape[1]
        head = [f"$\\tilde y_{i + 1}$" for i in range(n)]
        head += [f"$\\hat y_{i + 1}$" for i in range(n)]
        rows = {
            f"row {r + 1}": [f"{float(v):g}" for v in self.ytilde[r]]
            + [f"{float(v):.4f}" for v in self.yhat[r]]
            for r in range(self.ytilde.shape[0])
        }
        return markdown_table(head, rows)

    def claims(self) -> tuple[Claim, ...]:
        finite = bool(torch.isfinite(self.yhat).all())
        sums = float((self.yhat.sum(dim=1) - 1).abs().max())
        shift_gap = float((self.shifted - self.yhat).abs().max())
        sigmoid = torch.sigmoid(self.ytilde[:, 0] - self.ytilde[:, 1])
        two = softmax(self.ytilde[:, :2])[:, 0]
        sigmoid_gap = float((two - sigmoid).abs().max())
        return (
            claim(
                "q6-softmax-finite",
                "SoftMax stays finite for logits far too large for exp",
                finite,
                "every output finite",
                largest_logit=float(self.ytilde.max()),
            ),
            claim(
                "q6-softmax-sums-to-one",
                "Each output row sums to 1 in floating point",
                sums < 1e-15 * self.yhat.shape[1] * 4,
                "max |row sum - 1| < a few ulps",
                max_deviation=sums,
            ),
            claim(
                "q6-softmax-shift",
                "Adding a constant to every logit changes no output",
                shift_gap < 1e-15 * 4,
                "max |difference| < a few ulps",
                shift=self.shift,
                max_difference=shift_gap,
            ),
            claim(
                "q6-softmax-sigmoid",
                "Two-class SoftMax equals the sigmoid of the logit difference",
                sigmoid_gap < 1e-15 * 4,
                "max |difference| < a few ulps",
                max_difference=sigmoid_gap,
            ),
        )


def softmax_in_floating_point(ytilde: torch.Tensor, shift: float = 123.0):
    return SoftmaxFinding(
        ytilde, softmax(ytilde), softmax(ytilde + shift), shift
    )


def column_forward(params: dict[str, torch.Tensor], x: torch.Tensor) -> dict:
    """Eq. fwd-column for ONE example x (n_x x 1), exactly as written."""
    Wh, bh, Wy, by = (params[k] for k in ("Wh", "bh", "Wy", "by"))
    htilde = Wh @ x + bh.reshape(-1, 1)  # n_h x 1
    h = torch.tanh(htilde)  # n_h x 1
    ytilde = Wy @ h + by.reshape(-1, 1)  # n_y x 1
    yhat = torch.exp(ytilde) / torch.exp(ytilde).sum()  # n_y x 1
    return {"htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}


@dataclass(frozen=True)
class ColumnVsBatchFinding(Finding):
    """Q7: the package's batch forward equals the column form,
    example by example."""

    page = "forward"
    name = "q7-column-vs-batch"

    batch: int
    worst: dict  # intermediate -> max |batch row - column|

    def numbers(self) -> dict[str, object]:
        return {
            "fwd-batch-size": self.batch,
            "fwd-column-vs-batch": f"{max(self.worst.values()):.1e}",
        }

    def claims(self) -> tuple[Claim, ...]:
        worst = max(self.worst.values())
        return (
            claim(
                "q7-batch-equals-column",
                "Every intermediate of forward equals the column form",
                worst < 1e-12,
                "max |difference| < 1e-12 (float64 rounding only)",
                max_difference=worst,
            ),
        )


def compare_with_column_form(params, X: torch.Tensor) -> ColumnVsBatchFinding:
    _, outputs = forward(params, X)
    worst = dict.fromkeys(INTERMEDIATES, 0.0)
    for n in range(X.shape[0]):
        column = column_forward(params, X[n].reshape(-1, 1))
        for name in INTERMEDIATES:
            row = outputs[name][n].reshape(-1, 1)
            gap = float((row - column[name]).abs().max())
            worst[name] = max(worst[name], gap)
    return ColumnVsBatchFinding(X.shape[0], worst)
