"""The manual network: init, forward, loss, backward and an SGD step.

In the batch (row) form. Notation (book, "Notation and shapes"): ``X`` is
N x nx; ``Wh`` nh x nx, ``bh`` nh; ``Wy`` ny x nh, ``by`` ny (the shapes of
``torch.nn.Linear``). The loss is the *mean* cross-entropy over the batch, so
every gradient returned by :func:`backward` carries a factor 1/N.

Every function checks what it receives unless called with ``check=False``:
shapes in plain Python, values with one test per call (see
:mod:`nnintro.validation`). Unchecked, a NaN or inf passed in comes back out.
"""

from __future__ import annotations

import math
import warnings

import torch

from nnintro.validation import (
    PARAM_KEYS,
    check_backward_inputs,
    check_backward_results,
    check_inputs,
    check_loss_inputs,
    check_outputs,
    check_step,
    require_finite,
    require_matrix,
)

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


def softmax(ytilde: torch.Tensor) -> torch.Tensor:
    """SoftMax of each row, yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j).

    Eq. softmax. The row maximum is subtracted first; SoftMax is
    shift-invariant, so nothing changes but overflow.
    """
    shifted = ytilde - ytilde.max(dim=1, keepdim=True).values
    e = torch.exp(shifted)
    return e / e.sum(dim=1, keepdim=True)


def forward(
    params: dict[str, torch.Tensor], X: torch.Tensor, *, check: bool = True
):
    """Forward pass on a batch (eq. fwd-batch); returns ``(Yhat, outputs)``.

    ``check=False`` skips the checks (the training loop checks its inputs
    once, up front).
    """
    if check:
        check_inputs(params, X)  # keys, shapes, dtypes
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = torch.tanh(htilde)  # N x nh
    ytilde = h @ params["Wy"].T + params["by"]  # N x ny
    yhat = softmax(ytilde)  # N x ny
    outputs = dict(X=X, htilde=htilde, h=h, ytilde=ytilde, yhat=yhat)
    if check:  # a NaN or inf in X or params reaches htilde or ytilde
        check_outputs(params, outputs)
    return yhat, outputs


def cross_entropy_from_logits(
    ytilde: torch.Tensor, Y: torch.Tensor
) -> torch.Tensor:
    """Mean of l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j).

    Eq. q14-simplified. Exact for one-hot (or any row-stochastic) targets,
    and finite for finite logits of any size.
    """
    log_normaliser = torch.logsumexp(ytilde, dim=1)  # N
    return (log_normaliser - (Y * ytilde).sum(dim=1)).mean()


def accuracy(
    Yhat: torch.Tensor, Y: torch.Tensor, *, check: bool = True
) -> float:
    """Fraction of rows whose largest score is at the class of one-hot Y."""
    if check:
        require_matrix("Yhat", Yhat)
        require_matrix("Y", Y)
        if Y.shape != Yhat.shape:
            raise ValueError(
                f"Y has shape {tuple(Y.shape)} but the prediction has shape "
                f"{tuple(Yhat.shape)}"
            )
    hits = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).sum()
    return hits.item() / len(Y)


def warn_if_underflowed(L: torch.Tensor) -> None:
    """Warn that the loss from the probabilities is +inf, and what to do."""
    if L.item() == math.inf:
        warnings.warn(
            "a true class's probability underflowed to 0, so the loss "
            "-sum y log yhat is +inf; for the exact loss pass the logits: "
            + LOGITS_PATH,
            RuntimeWarning,
            stacklevel=3,
        )


def loss_accuracy(
    Yhat: torch.Tensor,
    Y: torch.Tensor,
    *,
    ytilde: torch.Tensor | None = None,
    check: bool = True,
):
    """Mean cross-entropy and accuracy in [0, 1] of ``Yhat`` for one-hot ``Y``.

    With the logits ``ytilde`` (``outputs["ytilde"]``) the loss takes the
    simplified form of question 14, exact even where SoftMax underflows to 0.
    Without them it is -mean sum_i y_i log yhat_i with 0 log 0 = 0: exact
    while the probabilities are representable, +inf (with a warning) where a
    true class's probability underflowed to 0.
    """
    if check:
        check_loss_inputs(Yhat, Y, ytilde)  # shapes, probabilities, one-hot
    if ytilde is None:
        L = -torch.xlogy(Y, Yhat).sum(dim=1).mean()  # 0 log 0 = 0
        warn_if_underflowed(L)
    else:
        L = cross_entropy_from_logits(ytilde, Y)
        if check and not math.isfinite(L.item()):
            require_finite("ytilde", ytilde)  # or logits near 1e308: +inf
    return L, accuracy(Yhat, Y, check=False)


def backward(
    params: dict[str, torch.Tensor],
    outputs: dict[str, torch.Tensor],
    Y: torch.Tensor,
    *,
    check: bool = True,
):
    """Gradients of the mean loss, a chain-rule step a line (eqs. q15-q17)."""
    if check:
        check_backward_inputs(params, outputs, Y)  # keys, shapes, one-hot
    X, h, yhat = outputs["X"], outputs["h"], outputs["yhat"]
    N = X.shape[0]
    delta_y = (yhat - Y) / N  # dL/dytilde, N x ny (eq. q15-batch)
    grad_Wy = delta_y.T @ h  # ny x nh (eq. q16-batch)
    grad_by = delta_y.sum(dim=0)  # ny
    # back through Wy, then through tanh' = 1 - h^2 (eq. q17-batch)
    delta_h = (delta_y @ params["Wy"]) * (1 - h**2)  # dL/dhtilde, N x nh
    grad_Wh = delta_h.T @ X  # nh x nx
    grad_bh = delta_h.sum(dim=0)  # nh
    grads = {"Wh": grad_Wh, "bh": grad_bh, "Wy": grad_Wy, "by": grad_by}
    if check:  # a NaN or inf in Wy, X, h or yhat reaches the gradients
        check_backward_results(params, outputs, grads)
    return grads


def sgd(
    params: dict[str, torch.Tensor],
    grads: dict[str, torch.Tensor],
    eta: float,
    *,
    check: bool = True,
):
    """One gradient-descent step, theta <- theta - eta dL/dtheta, for each."""
    if check:
        check_step(params, grads, eta)  # keys, shapes, values, eta
    return {key: params[key] - eta * grads[key] for key in PARAM_KEYS}
