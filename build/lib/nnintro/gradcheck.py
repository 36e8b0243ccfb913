"""Gradient checks: the manual ``backward`` against autograd and against central differences.

All in float64. The relative error of a gradient tensor is ``||a - b|| / max(||a||, ||b||)``
(the CS231n measure, taken over the whole tensor so that entries near zero do not dominate).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nnintro.network import backward, cross_entropy_from_logits, forward
from nnintro.validation import PARAM_KEYS, check_params, check_targets

AUTOGRAD_TOLERANCE = 1e-12
CENTRAL_DIFFERENCE_TOLERANCE = 1e-7
CENTRAL_DIFFERENCE_STEP = 1e-6


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """``||a - b|| / max(||a||, ||b||)``, and 0 when both are exactly zero."""
    scale = max(float(torch.linalg.vector_norm(a)), float(torch.linalg.vector_norm(b)))
    diff = float(torch.linalg.vector_norm(a - b))
    return 0.0 if scale == 0 else diff / scale


def mean_loss(params, X, Y) -> torch.Tensor:
    """The scalar the gradients are of: the mean cross-entropy of the network on ``(X, Y)``."""
    _, outputs = forward(params, X)
    return cross_entropy_from_logits(outputs["ytilde"], Y)


def autograd_gradients(params, X, Y) -> dict[str, torch.Tensor]:
    """Gradients of the mean loss computed by ``torch.autograd`` through the same forward pass."""
    leaves = {k: p.detach().clone().requires_grad_(True) for k, p in params.items()}
    loss = mean_loss(leaves, X, Y)
    grads = torch.autograd.grad(loss, [leaves[k] for k in PARAM_KEYS])
    return dict(zip(PARAM_KEYS, grads))


def central_differences(loss_fn, params, step: float = CENTRAL_DIFFERENCE_STEP):
    """(f(theta + step e_i) - f(theta - step e_i)) / (2 step), one entry of one tensor at a time.

    ``loss_fn`` maps a dict of tensors (``params`` with one entry shifted) to a scalar.
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
                values.append(float(loss_fn({**params, key: shifted.reshape(value.shape)})))
            grad[i] = (values[0] - values[1]) / (2 * step)
        grads[key] = grad.reshape(value.shape)
    return grads


def central_difference_gradients(params, X, Y, step: float = CENTRAL_DIFFERENCE_STEP):
    """Central differences of the network's mean loss for every entry of every parameter."""
    return central_differences(lambda trial: mean_loss(trial, X, Y), params, step)


@dataclass(frozen=True)
class GradCheckReport:
    """Relative error of ``backward`` against each reference, per parameter, and the verdict."""

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
        """Return self, or raise ``AssertionError`` naming the parameter that disagrees."""
        if not self.passed:
            raise AssertionError(
                "backward disagrees with the references: relative errors vs autograd "
                f"{self.vs_autograd} (tolerance {AUTOGRAD_TOLERANCE:g}), vs central differences "
                f"{self.vs_central_difference} (tolerance {CENTRAL_DIFFERENCE_TOLERANCE:g})"
            )
        return self


def check_gradients(params, X, Y, *, backward_fn=backward) -> GradCheckReport:
    """Compare ``backward_fn`` (the package's ``backward`` by default) with both references."""
    for key in PARAM_KEYS:
        if params[key].dtype != torch.float64:
            raise TypeError(
                f"gradient checks need float64 parameters; {key} is {params[key].dtype}"
            )
    check_params(params)
    check_targets(Y, rows=X.shape[0], classes=params["by"].shape[0])
    _, outputs = forward(params, X)
    manual = backward_fn(params, outputs, Y)
    auto = autograd_gradients(params, X, Y)
    numeric = central_difference_gradients(params, X, Y)
    return GradCheckReport(
        vs_autograd={k: relative_error(manual[k], auto[k]) for k in PARAM_KEYS},
        vs_central_difference={k: relative_error(manual[k], numeric[k]) for k in PARAM_KEYS},
    )
