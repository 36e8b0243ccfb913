"""The optimisation page, question 12: one gradient by four methods, each
counting its operations as it runs.

The benchmark network has ``depth`` tanh layers of one ``width`` w (inputs of
that width too), N examples, and the loss L = (1/2N) sum (A_D - Y)^2. The unit
of cost is one matrix product, N w^2 multiply-adds; elementwise operations are
left out. The methods: backprop (3D - 1 products), the chain rule per layer
(D + D(D + 1)/2), per parameter (2D + (w^2 + w) D(D - 1)/2) and forward
differences ((P + 1) D, P = D (w^2 + w)); the book derives each count.

The study that compares these counts with the formulas is in
:mod:`nnintro.experiments.optimisation.cost`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

METHODS = ("backprop", "per-layer", "per-parameter", "numerical")
METHOD_NAMES = {
    "backprop": "backpropagation",
    "per-layer": "chain rule per layer, no reuse",
    "per-parameter": "chain rule per parameter, no reuse",
    "numerical": "numerical (forward differences)",
}


@dataclass(frozen=True)
class CostConfig:
    """Depths, layer width w, examples N, seed, step eps, timing repeats."""

    depths: tuple[int, ...] = (1, 2, 4, 8, 16, 32)
    width: int = 8
    examples: int = 16
    seed: int = 0
    eps: float = 1e-6
    repeats: int = 3

    def __post_init__(self):
        if len(self.depths) < 2 or min(self.depths) < 1:
            raise ValueError(f"need two depths >= 1, got {self.depths}")
        if list(self.depths) != sorted(set(self.depths)):
            raise ValueError(f"depths must increase, got {self.depths}")

    @property
    def unit(self) -> int:
        """Multiply-adds of one product (N x w) @ (w x w): N w^2."""
        return self.examples * self.width**2


@dataclass
class OpCounter:
    """Multiply-adds of the matrix products and forward passes, as run."""

    multiply_adds: int = 0
    forward_passes: int = 0


def matmul(A: torch.Tensor, B: torch.Tensor, counter: OpCounter | None):
    """A @ B, adding rows(A) cols(A) cols(B) multiply-adds to ``counter``."""
    if counter is not None:
        counter.multiply_adds += A.shape[0] * A.shape[1] * B.shape[1]
    return A @ B


def deep_params(depth: int, config: CostConfig = CostConfig()):
    """[W_l, b_l] for l = 1..depth; W_l is w x w, drawn from N(0, 1/w)."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    g = torch.Generator().manual_seed(config.seed)
    w = config.width
    return [
        [
            torch.randn(w, w, generator=g, dtype=torch.float64) / w**0.5,
            0.1 * torch.randn(w, generator=g, dtype=torch.float64),
        ]
        for _ in range(depth)
    ]


def deep_batch(config: CostConfig = CostConfig()):
    """Seeded inputs X (N x w) and targets Y (N x w) in (-1, 1)."""
    g = torch.Generator().manual_seed(config.seed + 1)
    shape = (config.examples, config.width)
    X = torch.randn(shape, generator=g, dtype=torch.float64)
    Y = torch.tanh(torch.randn(shape, generator=g, dtype=torch.float64))
    return X, Y


def forward_loss(params, X, Y, counter: OpCounter | None = None):
    """A_l = tanh(A_{l-1} W_l^T + b_l), A_0 = X; L = (1/2N) sum (A_D - Y)^2.

    Returns L and the list [A_0, ..., A_D].
    """
    if counter is not None:
        counter.forward_passes += 1
    A = [X]
    for W, b in params:
        A.append(torch.tanh(matmul(A[-1], W.T, counter) + b))  # N x w
    loss = 0.5 * ((A[-1] - Y) ** 2).sum() / X.shape[0]
    return loss, A


def top_delta(A, Y):
    """Delta_D = dL/d(pre-activation of layer D) = (A_D - Y)/N (1 - A_D^2)."""
    return (A[-1] - Y) / Y.shape[0] * (1 - A[-1] ** 2)  # N x w


def delta_from_the_top(params, A, Y, l: int, counter):
    """R_l = Delta_l, from the loss down to layer l, reusing nothing."""
    delta = top_delta(A, Y)  # Delta_D
    for k in range(len(params), l, -1):  # Delta_{k-1} from Delta_k
        delta = matmul(delta, params[k - 1][0], counter) * (1 - A[k - 1] ** 2)
    return delta  # N x w


def backprop_gradients(params, X, Y, counter: OpCounter | None = None):
    """One forward and one backward pass: [[dL/dW_l, dL/db_l], ...]."""
    _, A = forward_loss(params, X, Y, counter)
    delta = top_delta(A, Y)  # Delta_D, N x w
    grads: list[list[torch.Tensor]] = [[] for _ in params]
    for l in range(len(params), 0, -1):
        dW = matmul(delta.T, A[l - 1], counter)  # w x w
        grads[l - 1] = [dW, delta.sum(dim=0)]
        if l > 1:  # Delta_{l-1} from Delta_l: reused by every layer below
            W = params[l - 1][0]
            delta = matmul(delta, W, counter) * (1 - A[l - 1] ** 2)
    return grads


def per_layer_gradients(params, X, Y, counter: OpCounter | None = None):
    """Each layer's whole gradient from its own chain rule, no reuse."""
    _, A = forward_loss(params, X, Y, counter)
    grads = []
    for l in range(1, len(params) + 1):
        delta = delta_from_the_top(params, A, Y, l, counter)
        dW = matmul(delta.T, A[l - 1], counter)  # w x w
        grads.append([dW, delta.sum(dim=0)])
    return grads


def per_parameter_gradients(params, X, Y, counter: OpCounter | None = None):
    """Each weight and bias from its own chain rule, nothing reused."""
    _, A = forward_loss(params, X, Y, counter)
    grads = []
    for l, (W, b) in enumerate(params, start=1):
        dW, db = torch.zeros_like(W), torch.zeros_like(b)
        for i, j in np.ndindex(*W.shape):  # dL/dW_l[i, j]
            delta = delta_from_the_top(params, A, Y, l, counter)
            dot = matmul(
                delta[:, i : i + 1].T, A[l - 1][:, j : j + 1], counter
            )
            dW[i, j] = dot[0, 0]
        for i in range(b.shape[0]):  # dL/db_l[i]: a sum, no product
            db[i] = delta_from_the_top(params, A, Y, l, counter)[:, i].sum()
        grads.append([dW, db])
    return grads


def numerical_gradients(params, X, Y, counter=None, *, eps=1e-6):
    """(L(theta + eps e_k) - L(theta)) / eps: one forward pass each."""
    base, _ = forward_loss(params, X, Y, counter)
    grads = []
    for W, b in params:
        layer = []
        for tensor in (W, b):
            grad = torch.zeros_like(tensor)
            flat, flat_grad = tensor.view(-1), grad.view(-1)
            for k, saved in enumerate(flat.tolist()):
                flat[k] = saved + eps
                shifted, _ = forward_loss(params, X, Y, counter)
                flat[k] = saved
                flat_grad[k] = (shifted - base) / eps
            layer.append(grad)
        grads.append(layer)
    return grads


GRADIENT_FUNCTIONS = {
    "backprop": backprop_gradients,
    "per-layer": per_layer_gradients,
    "per-parameter": per_parameter_gradients,
    "numerical": numerical_gradients,
}


def flatten(grads) -> torch.Tensor:
    """All entries of [[dW_1, db_1], ...] as one vector, layer by layer."""
    return torch.cat([t.flatten() for layer in grads for t in layer])


def parameter_count(depth: int, width: int) -> int:
    """P = D (w^2 + w)."""
    return depth * (width * width + width)


def products_formula(method: str, depth: int, width: int) -> int:
    """Matrix products of N w^2 multiply-adds each, by the book's formulas."""
    D = depth
    if method == "backprop":  # forward D, weights D, Deltas D - 1
        return 3 * D - 1
    if method == "per-layer":  # forward D, then D - l + 1 for layer l
        return D + D * (D + 1) // 2
    if method == "per-parameter":  # forward D, dot products D, then
        # D - l products for each of the w^2 + w parameters of layer l
        return 2 * D + (width * width + width) * D * (D - 1) // 2
    if method == "numerical":  # P + 1 forward passes of D products
        return (parameter_count(D, width) + 1) * D
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def forward_passes_formula(method: str, depth: int, width: int) -> int:
    """One forward pass, except P + 1 for numerical differentiation."""
    products_formula(method, depth, width)  # rejects an unknown method
    if method == "numerical":
        return parameter_count(depth, width) + 1
    return 1


def measure(method: str, depth: int, config: CostConfig = CostConfig()):
    """Run ``method`` ``config.repeats`` times at ``depth``.

    Returns the operations counted in one run and the best processor time
    in seconds (shown, never tested: it varies).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    params, (X, Y) = deep_params(depth, config), deep_batch(config)
    extra = {"eps": config.eps} if method == "numerical" else {}
    counters, best = [], float("inf")
    with torch.no_grad():
        for _ in range(max(1, config.repeats)):
            counter = OpCounter()
            start = time.process_time()
            GRADIENT_FUNCTIONS[method](params, X, Y, counter, **extra)
            best = min(best, time.process_time() - start)
            counters.append(counter)
    if any(c != counters[0] for c in counters):
        raise RuntimeError("the operation count changed between repeats")
    return counters[0], best
