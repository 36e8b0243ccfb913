"""Gradient checks: ``backward`` against autograd and central differences.

All in float64. :func:`relative_error` is the book's one measure of how far
two gradients are apart, ``||a - b|| / max(||a||, ||b||)`` (the CS231n
measure, in the 2-norm over the whole tensor, so that entries near zero do
not dominate). The two references, :func:`autograd_gradients_of` and
:func:`central_differences`, take any loss function of a dict of tensors, so
other modules check their gradients with them too; a third,
:func:`column_form_gradients`, runs the column equations one example at a
time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch

from nnintro.chain_rule import COLUMN, ChainRule
from nnintro.forward_pass import column_forward
from nnintro.network import backward, cross_entropy_from_logits, forward
from nnintro.validation import PARAM_KEYS, check_params, check_targets

AUTOGRAD_TOLERANCE = 1e-12
CENTRAL_DIFFERENCE_TOLERANCE = 1e-7
CENTRAL_DIFFERENCE_STEP = 1e-6


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """``||a - b|| / max(||a||, ||b||)`` in the 2-norm over every entry,
    and 0 when both are exactly zero: the relative error of the book.
    Tensors of different shapes are infinitely far apart."""
    if a.shape != b.shape:
        return math.inf
    scale = max(
        float(torch.linalg.vector_norm(a)), float(torch.linalg.vector_norm(b))
    )
    diff = float(torch.linalg.vector_norm(a - b))
    return 0.0 if scale == 0 else diff / scale


def mean_loss(params, X, Y) -> torch.Tensor:
    """The scalar the gradients are of: the network's mean loss on X, Y."""
    _, outputs = forward(params, X)
    return cross_entropy_from_logits(outputs["ytilde"], Y)


def autograd_gradients_of(
    loss_fn: Callable[[dict[str, torch.Tensor]], torch.Tensor],
    params: Mapping[str, torch.Tensor],
) -> dict[str, torch.Tensor]:
    """d loss_fn / d theta for each tensor of ``params``, by autograd.

    ``loss_fn`` maps a dict of tensors (with the keys of ``params``) to a
    scalar, as for :func:`central_differences`. The tensors are copied into
    fresh leaves, so ``params`` is left untouched.
    """
    leaves = {
        k: p.detach().clone().requires_grad_(True) for k, p in params.items()
    }
    grads = torch.autograd.grad(loss_fn(leaves), list(leaves.values()))
    return dict(zip(leaves, grads))


def autograd_gradients(params, X, Y) -> dict[str, torch.Tensor]:
    """Gradients of the network's mean loss on ``(X, Y)``, by autograd."""
    return autograd_gradients_of(lambda trial: mean_loss(trial, X, Y), params)


def central_differences(
    loss_fn: Callable[[dict[str, torch.Tensor]], torch.Tensor],
    params: Mapping[str, torch.Tensor],
    step: float = CENTRAL_DIFFERENCE_STEP,
) -> dict[str, torch.Tensor]:
    """(f(theta + step e_i) - f(theta - step e_i)) / (2 step), entry by entry.

    ``loss_fn`` maps a dict of tensors (``params`` with one entry shifted)
    to a scalar.
    """
    grads = {}
    for key, value in params.items():
        flat = value.detach().reshape(-1)
        grad = torch.empty_like(flat)
        for i in range(flat.numel()):
            values = []
            for sign in (1.0, -1.0):
                shifted = flat.clone()
                shifted[i] += sign * step
                trial = {**params, key: shifted.reshape(value.shape)}
                values.append(float(loss_fn(trial)))
            grad[i] = (values[0] - values[1]) / (2 * step)
        grads[key] = grad.reshape(value.shape)
    return grads


def central_difference_gradients(
    params, X, Y, step: float = CENTRAL_DIFFERENCE_STEP
):
    """Central differences of the network's mean loss, every entry."""
    return central_differences(
        lambda trial: mean_loss(trial, X, Y), params, step
    )


def column_form_gradients(
    params, X, Y, rule: ChainRule = COLUMN
) -> dict[str, torch.Tensor]:
    """The column equations (q15-grad to q17-bh), one example at a time:
    ``column_forward`` and ``backward`` with the column rule, averaged."""
    total = {k: torch.zeros_like(params[k]) for k in PARAM_KEYS}
    for x, y in zip(X, Y):
        outputs = column_forward(params, x.reshape(-1, 1))
        grads = backward(
            params, outputs, y.reshape(-1, 1), rule=rule, check=False
        )
        for k in PARAM_KEYS:
            total[k] += grads[k].reshape(params[k].shape)
    return {k: v / len(X) for k, v in total.items()}


@dataclass(frozen=True)
class GradCheckReport:
    """Relative error of ``backward`` against each reference; the verdict."""

    vs_autograd: dict[str, float]
    vs_central_difference: dict[str, float]

    @property
    def worst_autograd(self) -> float:
        return max(self.vs_autograd.values())

    @property
    def worst_central_difference(self) -> float:
        return max(self.vs_central_difference.values())

    @property
    def passed(self) -> bool:
        return (
            self.worst_autograd <= AUTOGRAD_TOLERANCE
            and self.worst_central_difference <= CENTRAL_DIFFERENCE_TOLERANCE
        )

    def require(self) -> GradCheckReport:
        """Return self, or raise ``AssertionError`` with every error."""
        if not self.passed:
            raise AssertionError(
                "backward disagrees with the references: relative errors "
                f"vs autograd {self.vs_autograd} (tolerance "
                f"{AUTOGRAD_TOLERANCE:g}), vs central differences "
                f"{self.vs_central_difference} (tolerance "
                f"{CENTRAL_DIFFERENCE_TOLERANCE:g})"
            )
        return self


def check_gradients(params, X, Y, *, backward_fn=backward) -> GradCheckReport:
    """Compare ``backward_fn`` (default ``backward``) with both references."""
    check_params(params)
    if params["Wh"].dtype != torch.float64:
        raise TypeError(
            "gradient checks need float64 parameters; they are "
            f"{params['Wh'].dtype}"
        )
    check_targets(Y, rows=X.shape[0], classes=params["by"].shape[0])
    _, outputs = forward(params, X)
    manual = backward_fn(params, outputs, Y)
    auto = autograd_gradients(params, X, Y)
    numeric = central_difference_gradients(params, X, Y)
    return GradCheckReport(
        vs_autograd={
            k: relative_error(manual[k], auto[k]) for k in PARAM_KEYS
        },
        vs_central_difference={
            k: relative_error(manual[k], numeric[k]) for k in PARAM_KEYS
        },
    )
