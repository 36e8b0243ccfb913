"""Many training runs at once: the parameters of C networks in one tensor.

``run_sequential`` calls :func:`nnintro.training.train` once per run.
``run_batched`` trains the runs that share a batch size together: their
parameters are stacked along a leading axis C, and one step does the forward
pass, the backward pass and the update of all C networks with batched matrix
products (the package's ``forward`` and ``backward``, which run on stacks
as they run on one network). Each run keeps its own start, batch order and
learning rate, drawn as ``train`` draws them, and ``train``'s rule for
divergence. The two ways
add the same numbers in different orders, so they agree up to rounding
(``TOLERANCE``, tested on runs that rounding cannot push around).
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager

import numpy as np
import torch

from nnintro.network import backward, cross_entropy_from_logits, forward
from nnintro.torch_versions import training_schedule
from nnintro.training import (
    DIVERGENCE_LOSS_FACTOR,
    History,
    TrainConfig,
    train,
)
from nnintro.validation import PARAM_KEYS

RECORDED = ("train_loss", "train_acc", "test_loss", "test_acc")
HISTORY_ROWS = (*RECORDED, "updates", "seconds")
TOLERANCE = 1e-10  # batched vs sequential records


@contextmanager
def torch_threads(threads: int | None):
    """Run with ``threads`` intra-op threads (None: as is), then restore."""
    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_sequential(
    configs: list[TrainConfig], data, *, threads: int | None = 1
) -> list[History]:
    """One call of ``train`` per configuration, in order."""
    with torch_threads(threads):
        return [train(config, data) for config in configs]


# --- all at once -----------------------------------------------------------
# C networks in one tensor each: Wh is C x nh x nx, bh a stack of rows
# C x 1 x nh (likewise Wy, by), and the C learning rates are C x 1 x 1.
# A @ B multiplies A[i] by B[i] for each network i, and .mT transposes each
# network's matrix, so the package's own forward and backward run on stacks.


def stacked_forward(P, X):
    """Forward pass of C networks; ``X`` is C x B x nx (eq. fwd-batch)."""
    _, outputs = forward(P, X, check=False)  # the network's forward
    return outputs["h"], outputs["ytilde"], outputs["yhat"]


def stacked_step(P, X, Y, eta):
    """``backward`` and ``sgd`` of C networks, each with its own batch."""
    _, outputs = forward(P, X, check=False)
    grads = backward(P, outputs, Y, check=False)  # bias gradients C x n
    return {k: P[k] - eta * grads[k].reshape(P[k].shape) for k in PARAM_KEYS}


def stacked_evaluate(P, X, Y):
    """Mean loss (eq. q14-simplified) and accuracy of each of C networks."""
    X = X.expand(len(P["Wh"]), -1, -1)  # the same n examples for all C
    _, ytilde, yhat = stacked_forward(P, X)
    hits = yhat.argmax(dim=2) == Y.argmax(dim=1)
    return cross_entropy_from_logits(ytilde, Y), hits.double().mean(dim=1)


def unstack(P, i, shapes) -> dict[str, torch.Tensor]:
    """The parameters of network ``i`` of the stack, in their own shapes."""
    return {k: P[k][i].reshape(shape) for k, shape in shapes.items()}


def run_group(
    configs: list[TrainConfig], data, nudge: list[bool] | None = None
) -> list[History]:
    """Train runs that share batch size, ``nh`` and epochs, together.

    ``nudge[i]``: start run i with ``Wh[0, 0]`` moved to the next float64.
    """
    B, nh, epochs = configs[0].batch_size, configs[0].nh, configs[0].epochs
    if any((c.batch_size, c.nh, c.epochs) != (B, nh, epochs) for c in configs):
        raise ValueError("a group must share batch_size, nh and epochs")
    if any(c.snapshot_epochs for c in configs):
        raise ValueError("run_batched draws no snapshots; use train")
    (n, nx), ny = data.Xtrain.shape, data.Ytrain.shape[1]
    starts = [training_schedule(c, nx, ny, n) for c in configs]
    shapes = {k: v.shape for k, v in starts[0][0].items()}
    P = {
        k: torch.stack([torch.atleast_2d(p[k]) for p, _ in starts])
        for k in PARAM_KEYS
    }
    if nudge is not None:
        Wh00 = P["Wh"][:, 0, 0]
        up = torch.nextafter(Wh00, torch.full_like(Wh00, np.inf))
        P["Wh"][:, 0, 0] = torch.where(torch.tensor(nudge), up, Wh00)
    eta = torch.tensor([c.eta for c in configs], dtype=P["Wh"].dtype)
    eta = eta.view(-1, 1, 1)
    C, steps = len(configs), -(-n // B)  # steps per epoch
    rows = {k: np.full((C, epochs + 1), np.nan) for k in HISTORY_ROWS}
    final = [unstack(P, i, shapes) for i in range(C)]
    diverged_at: list[int | None] = [None] * C
    alive = np.arange(C)
    clock = time.perf_counter()

    def record(epoch):
        values = (
            *stacked_evaluate(P, data.Xtrain, data.Ytrain),
            *stacked_evaluate(P, data.Xtest, data.Ytest),
        )
        for key, value in zip(RECORDED, values):
            rows[key][alive, epoch] = value.numpy()
        rows["updates"][alive, epoch] = epoch * steps
        rows["seconds"][alive, epoch] = time.perf_counter() - clock
        return values[0]

    initial = record(0)
    for epoch in range(1, epochs + 1):
        order = torch.stack(
            [torch.cat(starts[i][1][epoch - 1]) for i in alive]
        )
        X, Y = data.Xtrain[order], data.Ytrain[order]  # C x n x nx, C x n x ny
        for Xb, Yb in zip(X.split(B, dim=1), Y.split(B, dim=1)):
            P = stacked_step(P, Xb, Yb, eta)
        loss = record(epoch)
        finite = torch.stack([P[k].flatten(1).isfinite().all(1) for k in P])
        # train's rule; a NaN loss fails "<=" too
        ok = finite.all(0) & (loss <= DIVERGENCE_LOSS_FACTOR * initial)
        for r in np.flatnonzero(~ok.numpy() | (epoch == epochs)):
            final[alive[r]] = unstack(P, r, shapes)
            diverged_at[alive[r]] = None if ok[r] else epoch
        P = {k: v[ok] for k, v in P.items()}
        eta, initial, alive = eta[ok], initial[ok], alive[ok.numpy()]
        if alive.size == 0:
            break
    return [
        History(
            c,
            **{k: v[i] for k, v in rows.items()},
            diverged_at=diverged_at[i],
            params=final[i],
        )
        for i, c in enumerate(configs)
    ]


def run_batched(
    configs: list[TrainConfig],
    data,
    *,
    nudge: list[bool] | None = None,
    threads: int | None = 1,
) -> list[History]:
    """Train the runs in groups of one batch size; results in input order."""
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(configs):
        groups.setdefault((c.batch_size, c.nh, c.epochs), []).append(i)
    histories: dict[int, History] = {}
    with torch_threads(threads):
        for members in groups.values():
            runs = run_group(
                [configs[i] for i in members],
                data,
                None if nudge is None else [nudge[i] for i in members],
            )
            histories.update(zip(members, runs))
    return [histories[i] for i in range(len(configs))]


def max_history_difference(a, b) -> float:
    """Largest difference between the records of two lists of runs before
    their divergence; inf if they diverge at different epochs."""
    worst = 0.0
    for ha, hb in zip(a, b, strict=True):
        if ha.diverged_at != hb.diverged_at:
            return math.inf
        end = ha.diverged_at or len(ha.train_loss)
        for key in (*RECORDED, "updates"):
            gap = np.abs(getattr(ha, key)[:end] - getattr(hb, key)[:end])
            worst = max(worst, float(gap.max()))
    return worst
