"""Question 12: the cost of naive differentiation against backpropagation as a network deepens.

The benchmark network has ``depth`` tanh layers of the same ``width`` (inputs of size ``width``
too) and the loss l = (1/2N) sum (a_D - Y)^2 on the last layer's output. The cost is counted as
multiply-adds of the matrix products (every other operation is elementwise and costs the same
per layer for both methods), and also measured in processor time.

- naive: the derivative of each of the P parameters from its own forward pass,
  (l(theta + eps e_k) - l(theta)) / eps, i.e. P + 1 forward passes;
- backprop: one forward pass and one backward pass that reuses the stored activations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class CostConfig:
    """Width of every layer, batch size, seed, finite-difference step, timing repeats."""

    width: int = 8
    batch: int = 16
    seed: int = 0
    eps: float = 1e-6
    repeats: int = 3


@dataclass
class OpCounter:
    """Multiply-adds of the matrix products and forward passes, counted as they run."""

    multiply_adds: int = 0
    forward_passes: int = 0


def matmul(A: torch.Tensor, B: torch.Tensor, counter: OpCounter | None) -> torch.Tensor:
    """A @ B, adding rows(A) * cols(A) * cols(B) multiply-adds to the counter."""
    if counter is not None:
        counter.multiply_adds += A.shape[0] * A.shape[1] * B.shape[1]
    return A @ B


def deep_params(depth: int, config: CostConfig = CostConfig()) -> list[list[torch.Tensor]]:
    """[W_l, b_l] for l = 1..depth, W_l width x width, drawn from N(0, 1/width)."""
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


def deep_batch(config: CostConfig = CostConfig()) -> tuple[torch.Tensor, torch.Tensor]:
    """A seeded batch X (N x width) and targets Y (N x width) in (-1, 1)."""
    g = torch.Generator().manual_seed(config.seed + 1)
    X = torch.randn(config.batch, config.width, generator=g, dtype=torch.float64)
    Y = torch.tanh(torch.randn(config.batch, config.width, generator=g, dtype=torch.float64))
    return X, Y


def forward_loss(params, X, Y, counter: OpCounter | None = None):
    """a_l = tanh(a_{l-1} W_l^T + b_l), a_0 = X; returns l = (1/2N) sum (a_D - Y)^2 and all a_l."""
    if counter is not None:
        counter.forward_passes += 1
    activations = [X]
    for W, b in params:
        activations.append(torch.tanh(matmul(activations[-1], W.T, counter) + b))  # N x width
    loss = 0.5 * ((activations[-1] - Y) ** 2).sum() / X.shape[0]
    return loss, activations


def backprop_gradients(params, X, Y, counter: OpCounter | None = None):
    """One forward, one backward pass: [dl/dW_l, dl/db_l] for every layer."""
    _, a = forward_loss(params, X, Y, counter)
    N = X.shape[0]
    delta = (a[-1] - Y) / N * (1 - a[-1] ** 2)  # dl/d(pre-activation of layer D), N x width
    grads = [None] * len(params)
    for l in range(len(params), 0, -1):
        W = params[l - 1][0]
        grads[l - 1] = [matmul(delta.T, a[l - 1], counter), delta.sum(dim=0)]  # width x width
        if l > 1:
            delta = matmul(delta, W, counter) * (1 - a[l - 1] ** 2)  # N x width
    return grads


def naive_gradients(params, X, Y, counter: OpCounter | None = None, *, eps: float = 1e-6):
    """Each parameter's derivative from its own forward pass (forward differences)."""
    base, _ = forward_loss(params, X, Y, counter)
    grads = []
    for W, b in params:
        layer = []
        for tensor in (W, b):
            grad = torch.zeros_like(tensor)
            flat, flat_grad = tensor.view(-1), grad.view(-1)
            for k, saved in enumerate(flat.tolist()):
                flat[k] = saved + eps
                perturbed, _ = forward_loss(params, X, Y, counter)
                flat[k] = saved
                flat_grad[k] = (perturbed - base) / eps
            layer.append(grad)
        grads.append(layer)
    return grads


def flatten(grads) -> torch.Tensor:
    """All entries of a [[dW_1, db_1], ...] list as one vector, layer by layer."""
    return torch.cat([t.flatten() for layer in grads for t in layer])


def autograd_gradients(params, X, Y):
    """The same gradient by torch.autograd (the referee), in the layout of the other two."""
    leaves = [[t.detach().clone().requires_grad_(True) for t in layer] for layer in params]
    loss, _ = forward_loss(leaves, X, Y)
    flat = torch.autograd.grad(loss, [t for layer in leaves for t in layer])
    return [list(flat[2 * l : 2 * l + 2]) for l in range(len(params))]


def parameter_count(depth: int, width: int) -> int:
    """P = depth (width^2 + width)."""
    return depth * (width * width + width)


def naive_multiply_adds_closed_form(depth: int, width: int, batch: int) -> int:
    """(P + 1) forward passes of depth * N * width^2 multiply-adds each: quadratic in depth."""
    return (parameter_count(depth, width) + 1) * depth * batch * width * width


def backprop_multiply_adds_closed_form(depth: int, width: int, batch: int) -> int:
    """Forward D N w^2, weight gradients D N w^2, deltas (D - 1) N w^2: N w^2 (3D - 1), linear."""
    return (3 * depth - 1) * batch * width * width


def measure(method: str, depth: int, config: CostConfig = CostConfig()):
    """Run ``method`` ("naive" or "backprop") ``config.repeats`` times.

    Returns the operations counted in one run and the best processor time of this process in
    seconds (less disturbed by other programs than wall time, but it still varies from machine to
    machine and run to run; the counts do not).
    """
    if method not in ("naive", "backprop"):
        raise ValueError(f"method must be 'naive' or 'backprop', got {method!r}")
    params, (X, Y) = deep_params(depth, config), deep_batch(config)
    counters, best = [], float("inf")
    with torch.no_grad():
        for _ in range(max(1, config.repeats)):
            counter = OpCounter()
            start = time.process_time()
            if method == "naive":
                naive_gradients(params, X, Y, counter, eps=config.eps)
            else:
                backprop_gradients(params, X, Y, counter)
            best = min(best, time.process_time() - start)
            counters.append(counter)
    if any(c != counters[0] for c in counters):
        raise RuntimeError("the operation count changed between repeats")
    return counters[0], best


def loglog_slope(depths, values) -> float:
    """The exponent k of the least-squares fit values ~ c * depth^k (slope in log-log axes)."""
    return float(np.polyfit(np.log(depths), np.log(values), 1)[0])


@dataclass(frozen=True)
class CostStudy:
    depths: tuple[int, ...]
    naive_ops: tuple[int, ...]
    backprop_ops: tuple[int, ...]
    naive_passes: tuple[int, ...]
    naive_seconds: tuple[float, ...]
    backprop_seconds: tuple[float, ...]

    def slopes(self) -> dict[str, float]:
        """Fitted log-log exponents of every series against depth."""
        return {
            name: loglog_slope(self.depths, getattr(self, name))
            for name in ("naive_ops", "backprop_ops", "naive_seconds", "backprop_seconds")
        }


def cost_study(depths=(1, 2, 3, 4, 6, 8), config: CostConfig = CostConfig()) -> CostStudy:
    """Count and time both methods for each depth."""
    naive = [measure("naive", d, config) for d in depths]
    backprop = [measure("backprop", d, config) for d in depths]
    return CostStudy(
        depths=tuple(depths),
        naive_ops=tuple(c.multiply_adds for c, _ in naive),
        backprop_ops=tuple(c.multiply_adds for c, _ in backprop),
        naive_passes=tuple(c.forward_passes for c, _ in naive),
        naive_seconds=tuple(t for _, t in naive),
        backprop_seconds=tuple(t for _, t in backprop),
    )
