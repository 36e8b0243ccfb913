"""The manual network: init, forward, loss, backward and an SGD step, in the batch (row) form.

Notation (book, "Notation and shapes"): ``X`` is N x nx; ``Wh`` nh x nx, ``bh`` nh; ``Wy`` ny x nh,
``by`` ny (the shapes of ``torch.nn.Linear``). The loss is the *mean* cross-entropy over the batch,
so every gradient returned by :func:`backward` carries a factor 1/N.
"""

from __future__ import annotations

import torch

from nnintro.validation import (
    PARAM_KEYS,
    as_matrix,
    check_params,
    check_targets,
    require_finite,
)

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
    """Draw every weight and bias from N(0, std^2); reproducible from ``seed`` or ``generator``."""
    for name, size in (("nx", nx), ("nh", nh), ("ny", ny)):
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(f"{name} must be a positive integer, got {size!r}")
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
    """SoftMax along each row, yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j) (eq. softmax).

    The row maximum is subtracted first; SoftMax is shift-invariant, so nothing changes but overflow.
    """
    shifted = ytilde - ytilde.max(dim=1, keepdim=True).values
    e = torch.exp(shifted)
    return e / e.sum(dim=1, keepdim=True)


def forward(params: dict[str, torch.Tensor], X: torch.Tensor, *, check: bool = True):
    """Forward pass on a batch (eq. fwd-batch); returns ``(Yhat, outputs)``.

    ``check=False`` skips the input checks (the training loop checks its inputs once, up front).
    """
    if check:
        nx, _, _ = check_params(params)
        as_matrix("X", X, columns=nx)
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = torch.tanh(htilde)  # N x nh
    ytilde = h @ params["Wy"].T + params["by"]  # N x ny
    yhat = softmax(ytilde)  # N x ny
    outputs = {"X": X, "htilde": htilde, "h": h, "ytilde": ytilde, "yhat": yhat}
    return yhat, outputs


def cross_entropy_from_logits(ytilde: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    """Mean of l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j) (eq. q14-simplified).

    Exact for one-hot (or any row-stochastic) targets, and finite for logits of any size.
    """
    log_normaliser = torch.logsumexp(ytilde, dim=1)  # N
    return (log_normaliser - (Y * ytilde).sum(dim=1)).mean()


def accuracy(Yhat: torch.Tensor, Y: torch.Tensor) -> float:
    """Fraction of rows whose largest score is at the target's class (one-hot ``Y``)."""
    return float((Yhat.argmax(dim=1) == Y.argmax(dim=1)).double().mean())


def loss_accuracy(Yhat: torch.Tensor, Y: torch.Tensor, *, ytilde: torch.Tensor | None = None):
    """Mean cross-entropy and accuracy in [0, 1] of predictions ``Yhat`` for one-hot targets ``Y``.

    With the logits ``ytilde`` (``outputs["ytilde"]``) the loss takes the simplified form of
    question 14, which stays exact when a SoftMax output underflows to 0; without them it is
    -mean sum_i y_i log yhat_i, which is then not finite (inf where the target's probability is
    0, NaN from 0 * log 0 elsewhere).
    """
    as_matrix("Yhat", Yhat)
    check_targets(Y, rows=Yhat.shape[0], classes=Yhat.shape[1])
    if ytilde is None:
        L = -(Y * torch.log(Yhat)).sum(dim=1).mean()
    else:
        as_matrix("ytilde", ytilde)
        if ytilde.shape != Yhat.shape:
            raise ValueError(
                f"ytilde has shape {tuple(ytilde.shape)}, Yhat has {tuple(Yhat.shape)}"
            )
        L = cross_entropy_from_logits(ytilde, Y)
    acc = (Yhat.argmax(dim=1) == Y.argmax(dim=1)).double().mean()
    return L, acc


def backward(
    params: dict[str, torch.Tensor],
    outputs: dict[str, torch.Tensor],
    Y: torch.Tensor,
    *,
    check: bool = True,
):
    """Gradients of the mean loss for every parameter, one chain-rule step a line (eqs. q15-q17)."""
    if check:
        check_params(params)
        missing = [k for k in ("X", "h", "yhat") if k not in outputs]
        if missing:
            raise KeyError(f"outputs lacks {missing}; pass the dict returned by forward")
        check_targets(Y, rows=outputs["X"].shape[0], classes=outputs["yhat"].shape[1])
    X, h, yhat = outputs["X"], outputs["h"], outputs["yhat"]
    N = X.shape[0]
    delta_y = (yhat - Y) / N  # dL/dytilde, N x ny (eq. q15-batch)
    grad_Wy = delta_y.T @ h  # ny x nh (eq. q16-batch)
    grad_by = delta_y.sum(dim=0)  # ny
    delta_h = (delta_y @ params["Wy"]) * (1 - h**2)  # dL/dhtilde, N x nh (eq. q17-batch)
    grad_Wh = delta_h.T @ X  # nh x nx
    grad_bh = delta_h.sum(dim=0)  # nh
    return {"Wh": grad_Wh, "bh": grad_bh, "Wy": grad_Wy, "by": grad_by}


def sgd(
    params: dict[str, torch.Tensor],
    grads: dict[str, torch.Tensor],
    eta: float,
    *,
    check: bool = True,
):
    """One gradient-descent step, theta <- theta - eta * dL/dtheta, for every parameter."""
    if check:
        check_params(params)
        if set(grads) != set(PARAM_KEYS):
            raise KeyError(f"grads must have the keys {PARAM_KEYS}, got {sorted(grads)}")
        if not eta > 0:
            raise ValueError(f"the learning rate eta must be positive, got {eta!r}")
        for key in PARAM_KEYS:
            if grads[key].shape != params[key].shape:
                raise ValueError(
                    f"grads[{key!r}] has shape {tuple(grads[key].shape)}, "
                    f"params[{key!r}] has {tuple(params[key].shape)}"
                )
            require_finite(f"grads[{key!r}]", grads[key])
    return {key: params[key] - eta * grads[key] for key in PARAM_KEYS}
