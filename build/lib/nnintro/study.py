"""The batch-size x learning-rate study, run two ways that must agree.

``run_sequential`` trains one configuration after another with :func:`nnintro.training.train`.
``run_batched`` trains many configurations at once: their parameters are stacked along a leading
axis C, and each step does the forward pass, ``backward`` and the SGD update of all of them with
batched matrix products. Each configuration keeps its own seed, initial parameters and batch order
(drawn exactly as ``train`` draws them), so both give the same histories up to rounding.
Configurations that share a batch size take the same number of steps per epoch, so the batched
runner trains one group per batch size.
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.network import init_params
from nnintro.training import (
    DIVERGENCE_LOSS_FACTOR,
    History,
    TrainConfig,
    epoch_batches,
    train,
)

HISTORY_KEYS = ("train_loss", "train_acc", "test_loss", "test_acc", "updates", "seconds")


@dataclass(frozen=True)
class StudyConfig:
    """The grid of the study: every batch size crossed with every learning rate, one seed."""

    batch_sizes: tuple[int, ...] = (1, 10, 50, 100, 200)
    learning_rates: tuple[float, ...] = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0)
    epochs: int = 150
    nh: int = 10
    seed: int = 0

    def configs(self) -> list[TrainConfig]:
        """One TrainConfig per cell of the grid, batch size major, learning rate minor."""
        return [
            TrainConfig(nh=self.nh, eta=eta, batch_size=b, epochs=self.epochs, seed=self.seed)
            for b in self.batch_sizes
            for eta in self.learning_rates
        ]


@contextmanager
def torch_threads(threads: int | None):
    """Run with ``threads`` intra-op threads (None: leave as is), restoring the setting after.

    The study's tensors are tiny: splitting an operation over threads costs more than it saves.
    """
    before = torch.get_num_threads()
    if threads is not None:
        torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_sequential(configs: list[TrainConfig], data, *, threads: int | None = 1) -> list[History]:
    """One call of ``train`` per configuration, in order."""
    with torch_threads(threads):
        return [train(config, data) for config in configs]


def initial_state(config: TrainConfig, nx: int, ny: int, n: int):
    """The initial parameters and every epoch's batch order of a run, drawn as ``train`` draws them.

    One generator seeded with ``config.seed`` draws ``init_params`` first, then one permutation of
    the ``n`` examples per epoch; returns ``(params, orders)`` with ``orders`` epochs x n.
    """
    generator = torch.Generator().manual_seed(config.seed)
    params = init_params(nx, config.nh, ny, generator=generator)
    # one batch of all n examples: the same draw as any batch size, without cutting it up
    orders = [epoch_batches(n, max(n, 1), generator)[0] for _ in range(config.epochs)]
    return params, torch.stack(orders) if orders else torch.empty(0, n, dtype=torch.long)


def aligned_stack(C: int, rows: int, cols: int, like: torch.Tensor) -> torch.Tensor:
    """An empty C x rows x cols tensor whose C matrices each start on a 64-byte boundary.

    A fresh tensor starts on such a boundary, and the order in which the BLAS product
    ``h @ Wy.T`` of ``train`` adds up can depend on where ``h`` starts (it does for one example
    and ``nh = 10``); starting each network's ``h`` where a fresh one would start keeps that order.
    """
    size = rows * cols
    per_line = 64 // like.element_size()
    padded = -(-size // per_line) * per_line
    return like.new_empty(C, padded)[:, :size].view(C, rows, cols)


class StepBuffers:
    """The intermediate results of one stacked step on batches of ``N`` examples, allocated once.

    For one example the sums over the batch are sums of one term, so ``delta_y`` and ``delta_h``
    are written straight into the gradients of ``by`` and ``bh``.
    """

    def __init__(self, flat: torch.Tensor, G: dict[str, torch.Tensor], N: int):
        C, (ny, nh) = flat.shape[0], G["Wy"].shape[1:]
        self.htilde = flat.new_empty(C, N, nh)
        self.h = aligned_stack(C, N, nh, flat)
        self.h_each = list(self.h)  # N x nh each, as contiguous as train's h
        self.ytilde = flat.new_empty(C, N, ny)
        self.ytilde_each = list(self.ytilde)
        self.top = flat.new_empty(C, N, 1)  # the row maxima of ytilde
        self.total = flat.new_empty(C, N, 1)  # the row sums of exp(ytilde - top)
        self.dtanh = flat.new_empty(C, N, nh)  # 1 - h**2
        self.one = flat.new_ones(())
        if N == 1:
            self.delta_y, self.delta_h = G["by"][:, None, :], G["bh"][:, None, :]
        else:
            self.delta_y, self.delta_h = flat.new_empty(C, N, ny), flat.new_empty(C, N, nh)
        self.delta_y_T, self.delta_h_T = self.delta_y.transpose(1, 2), self.delta_h.transpose(1, 2)


def per_network_matmul(A, B, out=None) -> torch.Tensor:
    """``A[i] @ B[i]`` for each network ``i``, each with the very 2-D product ``train`` uses.

    A batched product (``torch.matmul`` on C x N x k) rounds differently from the 2-D one for some
    tiny shapes (for one example the 2-D product is a matrix-vector product, with its own order
    of additions). One ulp is enough to change the fate of a chaotic run, so this product, the only
    one that differed in our tests, is taken network by network. ``out``: a list of C matrices to
    write the products into (then returns None).
    """
    if out is None:
        return torch.stack([torch.mm(a, b) for a, b in zip(A, B)])
    for a, b, o in zip(A, B, out):
        torch.mm(a, b, out=o)
    return None


def stacked_forward(P, X):
    """Forward pass of C networks at once: ``X`` is C x N x nx (or N x nx, shared); eq. fwd-batch."""
    product = torch.bmm if X.ndim == 3 else torch.matmul
    htilde = product(X, P["WhT"]) + P["bh_row"]  # C x N x nh
    h = torch.tanh(htilde)  # C x N x nh
    ytilde = per_network_matmul(h, P["WyT_each"]) + P["by_row"]  # C x N x ny
    shifted = ytilde - ytilde.amax(dim=-1, keepdim=True)
    e = torch.exp(shifted)
    yhat = e / e.sum(dim=-1, keepdim=True)  # C x N x ny
    return h, ytilde, yhat


def unflatten(flat: torch.Tensor, shapes: dict[str, tuple[int, ...]]) -> dict[str, torch.Tensor]:
    """Views of the C x D stack of flattened parameters as ``Wh``, ``bh``, ``Wy``, ``by`` stacks.

    They share memory with ``flat``, so they follow its in-place updates. Also made once here:
    the transposes and broadcastable rows the forward pass uses, and ``WyT_each``, the transposed
    output weights of each network for :func:`per_network_matmul`.
    """
    views, offset = {}, 0
    for key, shape in shapes.items():
        size = math.prod(shape)
        views[key] = flat[:, offset : offset + size].view(flat.shape[0], *shape)
        offset += size
    views["WhT"] = views["Wh"].transpose(1, 2)  # C x nx x nh
    views["bh_row"] = views["bh"][:, None, :]  # C x 1 x nh
    views["by_row"] = views["by"][:, None, :]  # C x 1 x ny
    views["WyT_each"] = list(views["Wy"].transpose(1, 2))
    return views


class Stack:
    """C networks trained together: flat parameters (C x D), their views, learning rates, buffers."""

    def __init__(self, flat: torch.Tensor, eta: torch.Tensor, shapes: dict[str, tuple[int, ...]]):
        self.flat, self.shapes = flat, shapes
        self.eta = eta.reshape(-1, 1)  # C x 1
        self.P = unflatten(flat, shapes)
        self.grad = torch.empty_like(flat)  # C x D, the gradients of the last step
        self.G = unflatten(self.grad, shapes)
        self.buffers: dict[int, StepBuffers] = {}  # batch size -> the step's intermediates

    def keep(self, rows: torch.Tensor) -> Stack:
        """A new stack with only the networks ``rows``."""
        return Stack(self.flat[rows], self.eta[rows], self.shapes)

    def step(self, X: torch.Tensor, Y: torch.Tensor) -> None:
        """One SGD step of the mean loss for every network, in place; ``X`` C x N x nx, ``Y`` C x N x ny.

        The same operations as ``forward``, ``backward`` and ``sgd``, with a leading network axis,
        written into buffers made once. Only exact rewrites are allowed: ``x / 1 == x`` and a sum
        of one term is that term, so one example skips both; anything that could round
        differently (a fused multiply-add, another order of additions) is avoided.
        """
        P, G, N = self.P, self.G, X.shape[1]
        b = self.buffers.get(N) or self.buffers.setdefault(N, StepBuffers(self.flat, G, N))
        if N == 1:  # one call: the tiny product X WhT, then bh added to it, as train's "+" does
            torch.baddbmm(P["bh_row"], X, P["WhT"], out=b.htilde)
        else:
            torch.bmm(X, P["WhT"], out=b.htilde).add_(P["bh_row"])  # C x N x nh (eq. fwd-batch)
        torch.tanh(b.htilde, out=b.h)
        per_network_matmul(b.h_each, P["WyT_each"], out=b.ytilde_each)
        e = b.ytilde.add_(P["by_row"])  # C x N x ny, then exp(ytilde - row maximum) in place
        e.sub_(torch.amax(e, dim=-1, keepdim=True, out=b.top)).exp_()
        delta_y = torch.div(e, torch.sum(e, dim=-1, keepdim=True, out=b.total), out=b.delta_y)
        delta_y.sub_(Y)  # yhat - Y
        if N > 1:
            delta_y.div_(N)  # (eq. q15-batch)
        torch.sub(b.one, torch.mul(b.h, b.h, out=b.dtanh), out=b.dtanh)  # 1 - h**2
        torch.bmm(delta_y, P["Wy"], out=b.delta_h).mul_(b.dtanh)  # C x N x nh (eq. q17-batch)
        if N == 1:  # one example: the products over the batch are outer products
            torch.mul(b.delta_h_T, X, out=G["Wh"])  # C x nh x nx
            torch.mul(b.delta_y_T, b.h, out=G["Wy"])  # C x ny x nh (eq. q16-batch)
        else:  # (written with out= straight into the gradients, one test rounded differently)
            G["Wh"].copy_(torch.bmm(b.delta_h_T, X))  # C x nh x nx
            G["Wy"].copy_(torch.bmm(b.delta_y_T, b.h))  # C x ny x nh (eq. q16-batch)
            G["bh"].copy_(b.delta_h.sum(dim=1))  # C x nh
            G["by"].copy_(delta_y.sum(dim=1))  # C x ny
        self.flat.sub_(self.grad.mul_(self.eta))


def stacked_evaluate(P, X, Y):
    """Mean loss (the finite form of eq. q14-simplified) and accuracy of each of C networks."""
    _, ytilde, yhat = stacked_forward(P, X)
    loss = (torch.logsumexp(ytilde, dim=-1) - (Y * ytilde).sum(dim=-1)).mean(dim=-1)
    acc = (yhat.argmax(dim=-1) == Y.argmax(dim=-1)).double().mean(dim=-1)
    return loss, acc


def run_group(configs: list[TrainConfig], data) -> list[History]:
    """Train configurations that share ``batch_size`` and ``nh`` together, as ``train`` would.

    The divergence rule is ``train``'s: a run stops at the first epoch whose parameters are not
    finite (nothing recorded) or whose training loss is not finite or above
    ``DIVERGENCE_LOSS_FACTOR`` times its initial loss (that epoch recorded); later entries are NaN.
    ``seconds`` is the wall time of the whole group, which its runs share.
    """
    if not configs:
        raise ValueError("run_group needs at least one configuration")
    Xtrain, Ytrain, Xtest, Ytest = data.Xtrain, data.Ytrain, data.Xtest, data.Ytest
    n, nx, ny = Xtrain.shape[0], Xtrain.shape[1], Ytrain.shape[1]
    batch_size, nh = configs[0].batch_size, configs[0].nh
    if any(c.batch_size != batch_size or c.nh != nh for c in configs):
        raise ValueError("a group must share batch_size and nh")
    C, max_epochs = len(configs), max(c.epochs for c in configs)
    epochs = np.array([c.epochs for c in configs])
    states = [initial_state(c, nx, ny, n) for c in configs]
    shapes = {k: tuple(v.shape) for k, v in states[0][0].items()}
    flat = torch.stack([torch.cat([p.reshape(-1) for p in s[0].values()]) for s in states])
    orders = torch.zeros(C, max_epochs, n, dtype=torch.long)
    for i, (_, order) in enumerate(states):
        orders[i, : order.shape[0]] = order
    stack = Stack(flat, torch.tensor([c.eta for c in configs], dtype=flat.dtype), shapes)
    rows = {key: np.full((C, max_epochs + 1), np.nan) for key in HISTORY_KEYS}
    snapshots: list[dict[int, np.ndarray]] = [{} for _ in configs]
    final: list[torch.Tensor] = list(flat.clone())
    diverged_at: list[int | None] = [None] * C
    alive = np.arange(C)  # the configurations still training, in the order of the stack's rows
    starts = range(0, n, batch_size)
    start = time.perf_counter()

    def record(epoch, rows_to_record):
        train_loss, train_acc = stacked_evaluate(stack.P, Xtrain, Ytrain)
        test_loss, test_acc = stacked_evaluate(stack.P, Xtest, Ytest)
        which = alive[rows_to_record]
        for key, value in zip(HISTORY_KEYS, (train_loss, train_acc, test_loss, test_acc)):
            rows[key][which, epoch] = value.numpy()[rows_to_record]
        rows["updates"][which, epoch] = epoch * len(starts)
        rows["seconds"][which, epoch] = time.perf_counter() - start
        for r in np.flatnonzero(rows_to_record):
            if epoch in configs[alive[r]].snapshot_epochs:
                snapshots[alive[r]][epoch] = grid_probabilities(stack.P, r, data)
        return train_loss.numpy()

    initial_loss = record(0, np.ones(C, dtype=bool))
    for epoch in range(1, max_epochs + 1):
        order = orders[alive, epoch - 1]  # runs x n: this epoch's example order of each run
        Xepoch, Yepoch = Xtrain[order], Ytrain[order]  # runs x n x nx, runs x n x ny
        for X, Y in zip(Xepoch.split(batch_size, dim=1), Yepoch.split(batch_size, dim=1)):
            stack.step(X, Y)
        finite = torch.isfinite(stack.flat).all(dim=1).numpy()
        loss = record(epoch, finite)
        with np.errstate(invalid="ignore"):
            within = np.isfinite(loss) & (loss <= DIVERGENCE_LOSS_FACTOR * initial_loss[alive])
        diverged = ~finite | ~within
        done = diverged | (epoch >= epochs[alive])
        for r in np.flatnonzero(done):
            final[alive[r]] = stack.flat[r].clone()
            if diverged[r]:
                diverged_at[alive[r]] = epoch
        # finished runs leave the stack (non-finite values would also slow every later step)
        if done.any():
            alive, stack = alive[~done], stack.keep(torch.from_numpy(np.flatnonzero(~done)))
        if alive.size == 0:
            break
    return [
        History(
            config,
            **{key: rows[key][i, : config.epochs + 1] for key in HISTORY_KEYS},
            diverged_at=diverged_at[i],
            params={k: unflatten(final[i][None], shapes)[k][0].clone() for k in shapes},
            snapshots=snapshots[i],
        )
        for i, config in enumerate(configs)
    ]


def grid_probabilities(P, i: int, data) -> np.ndarray:
    """P(class 1) of network ``i`` of the stack on the data's grid, as a square array."""
    _, _, yhat = stacked_forward({k: v[i : i + 1] for k, v in P.items()}, data.Xgrid)
    size = int(round(math.sqrt(data.Xgrid.shape[0])))
    return yhat[0, :, 1].reshape(size, size).numpy()


def run_batched(configs: list[TrainConfig], data, *, threads: int | None = 1) -> list[History]:
    """Train all configurations as stacked tensors, one group per (batch size, nh); keep order."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(configs):
        groups.setdefault((c.batch_size, c.nh), []).append(i)
    histories: list[History | None] = [None] * len(configs)
    with torch_threads(threads):
        for members in groups.values():
            for i, history in zip(members, run_group([configs[i] for i in members], data)):
                histories[i] = history
    return histories


def run_seconds(history: History) -> float:
    """Wall time from the start of the run (or of its group) to its last recorded epoch."""
    seconds = history.seconds[np.isfinite(history.seconds)]
    return float(seconds[-1]) if seconds.size else float("nan")


def max_history_difference(a: list[History], b: list[History]) -> float:
    """Largest absolute difference between the loss and accuracy curves of two lists of runs.

    NaNs must sit in the same places (both runs stopped at the same epoch); otherwise it is inf.
    """
    worst = 0.0
    for ha, hb in zip(a, b, strict=True):
        if ha.diverged_at != hb.diverged_at:
            return math.inf
        for key in ("train_loss", "train_acc", "test_loss", "test_acc", "updates"):
            x, y = getattr(ha, key), getattr(hb, key)
            if not np.array_equal(np.isnan(x), np.isnan(y)):
                return math.inf
            both = ~np.isnan(x)
            if both.any():
                worst = max(worst, float(np.max(np.abs(x[both] - y[both]))))
    return worst
