"""The manual network: init, forward, loss, backward and an SGD step.

In the batch (row) form. Notation (book, "Notation and shapes"): ``X`` is
N x nx; ``Wh`` nh x nx, ``bh`` nh; ``Wy`` ny x nh, ``by`` ny (the shapes of
``torch.nn.Linear``). The loss is the *mean* cross-entropy over the batch, so
every gradient returned by :func:`backward` carries a factor 1/N. The column
form of one example is :func:`~nnintro.forward_pass.column_forward` and
``backward`` with the rule :data:`~nnintro.chain_rule.COLUMN`.

The forward pass (:mod:`nnintro.forward_pass`) and ``backward`` use only
operations that the symbolic tensors of :mod:`nnintro.derivations` share
with torch, so SymPy proves these very functions. Each public function
checks its inputs unless called with ``check=False`` (the decorator
:func:`~nnintro.network_checks.checked`); unchecked, a NaN or inf passed in
comes back out.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from nnintro.chain_rule import BATCH, ChainRule
from nnintro.forward_pass import batch_forward
from nnintro.network_checks import (
    check_accuracy_inputs,
    check_backward_inputs,
    check_gradients_finite,
    check_inputs,
    check_loss_inputs,
    check_loss_result,
    check_outputs,
    check_step,
    check_step_result,
    checked,
)
from nnintro.validation import PARAM_KEYS, array_of

LOGITS_PATH = 'loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])'

INIT_STD = 0.3  # the course's initial weights: 0.3 * randn, i.e. N(0, 0.3^2)


def init_params(
    nx: int,
    nh: int,
    ny: int,
    *,
    generator: torch.Generator | None = None,
    seed: int | None = None,
    std: float = INIT_STD,
    dtype: torch.dtype = torch.float64,
) -> dict[str, torch.Tensor]:
    """Every weight and bias from N(0, std^2), reproducible from a seed."""
    for name, size in (("nx", nx), ("nh", nh), ("ny", ny)):
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(
                f"{name} must be a positive integer, got {size!r}"
            )
    if generator is not None and seed is not None:
        raise ValueError("give either a seed or a generator, not both")
    if generator is None:
        generator = torch.Generator().manual_seed(0 if seed is None else seed)
    shapes = {"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}
    return {
        key: std * torch.randn(shape, generator=generator, dtype=dtype)
        for key, shape in shapes.items()
    }


@checked(check_inputs, check_outputs)  # keys, shapes, dtypes; finite values
def forward(params: dict[str, torch.Tensor], X: torch.Tensor):
    """Forward pass on a batch (eq. fwd-batch); returns ``(Yhat, outputs)``.

    The equations are :func:`nnintro.forward_pass.batch_forward`'s, one line
    each; ``outputs`` holds every intermediate value.
    """
    outputs = batch_forward(params, X)
    return outputs["yhat"], outputs


def cross_entropy_from_logits(
    ytilde: torch.Tensor, Y: torch.Tensor
) -> torch.Tensor:
    """Mean of l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j).

    Eq. q14-simplified. Exact for one-hot (or any row-stochastic) targets,
    and finite for finite logits of any size. The mean is over the rows: one
    loss for a batch, one per network for a stack of them.
    """
    log_normaliser = torch.logsumexp(ytilde, dim=-1)  # N
    return (log_normaliser - (Y * ytilde).sum(dim=-1)).mean(dim=-1)


@checked(check_accuracy_inputs)  # two matrices of one shape
def accuracy(Yhat: torch.Tensor, Y: torch.Tensor) -> float:
    """Fraction of rows whose largest score is at the class of one-hot Y.

    Counted with NumPy on views of the tensors: the same argmax, a fraction
    of the cost of torch's calls on a small batch.
    """
    hits = array_of(Yhat).argmax(axis=1) == array_of(Y).argmax(axis=1)
    return np.count_nonzero(hits) / len(Y)


def warn_if_underflowed(L: torch.Tensor) -> None:
    """Warn that the loss from the probabilities is +inf, and what to do."""
    if L.item() == math.inf:
        warnings.warn(
            "a true class's probability underflowed to 0, so the loss "
            "-sum y log yhat is +inf; for the exact loss pass the logits: "
            + LOGITS_PATH,
            RuntimeWarning,
            stacklevel=4,
        )


@checked(check_loss_inputs, check_loss_result)  # probabilities, one-hot Y
def loss_accuracy(
    Yhat: torch.Tensor,
    Y: torch.Tensor,
    *,
    ytilde: torch.Tensor | None = None,
):
    """Mean cross-entropy and accuracy in [0, 1] of ``Yhat`` for one-hot ``Y``.

    With the logits ``ytilde`` (``outputs["ytilde"]``) the loss takes the
    simplified form of question 14, exact even where SoftMax underflows to 0,
    and the accuracy is read from the logits too (SoftMax keeps each row's
    largest entry), so ``Yhat`` then only fixes the shape. Without them the
    loss is -mean sum_i y_i log yhat_i with 0 log 0 = 0: exact while the
    probabilities are representable, +inf (with a warning) where a true
    class's probability underflowed to 0.
    """
    if ytilde is None:
        L = -torch.xlogy(Y, Yhat).sum(dim=1).mean()  # 0 log 0 = 0
        warn_if_underflowed(L)
        return L, accuracy(Yhat, Y, check=False)
    L = cross_entropy_from_logits(ytilde, Y)
    return L, accuracy(ytilde, Y, check=False)


@checked(check_backward_inputs, check_gradients_finite)  # shapes, one-hot Y
def backward(
    params: dict[str, torch.Tensor],
    outputs: dict[str, torch.Tensor],
    Y: torch.Tensor,
    *,
    rule: ChainRule = BATCH,
):
    """Gradients of the mean loss, a chain-rule step a line (eqs. q15-q17).

    ``rule`` holds the closed form of each step (:mod:`nnintro.chain_rule`);
    ``COLUMN`` takes one example's ``column_forward`` outputs instead.
    """
    X, H, Yhat = outputs["X"], outputs["h"], outputs["yhat"]
    Delta_y = rule.Delta_y(Yhat, Y)  # dL/dYtilde, N x ny (eq. q15-batch)
    grad_Wy = rule.grad_Wy(Delta_y, H)  # ny x nh (eq. q16-batch)
    grad_by = rule.grad_by(Delta_y)  # ny
    Delta_h = rule.Delta_h(params["Wy"], Delta_y, H)  # dL/dHtilde, N x nh
    grad_Wh = rule.grad_Wh(Delta_h, X)  # nh x nx (eq. q17-batch)
    grad_bh = rule.grad_bh(Delta_h)  # nh
    return {"Wh": grad_Wh, "bh": grad_bh, "Wy": grad_Wy, "by": grad_by}


@checked(check_step, check_step_result)  # keys, shapes, eta; finite values
def sgd(
    params: dict[str, torch.Tensor],
    grads: dict[str, torch.Tensor],
    eta: float,
):
    """One gradient-descent step, theta <- theta - eta dL/dtheta, for each."""
    return {key: params[key] - eta * grads[key] for key in PARAM_KEYS}
