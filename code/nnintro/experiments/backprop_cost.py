"""Question 12: what one gradient costs, by three methods, as a net deepens.

The benchmark network has ``depth`` tanh layers of one ``width`` (inputs
of that width too), N examples, and the loss L = (1/2N) sum (A_D - Y)^2
on the last layer. Every matrix product here multiplies an N x w (or
w x N) matrix by a w x w (or N x w) one: N w^2 multiply-adds, the unit in
which the book counts. Everything else is elementwise and cheaper.

- backprop: one forward pass, then one backward pass that reuses each
  layer's Delta for the layer below: (3D - 1) products;
- chain rule: one forward pass, then for each layer its chain rule
  written out from the loss down, sharing nothing with the other
  layers: D + D(D + 1)/2 products;
- numerical: forward differences, one forward pass per parameter plus
  one: (P + 1) D products, with P = D (w^2 + w) parameters.

The counts are made by the code as it runs and compared with these
formulas; processor times are measured too, but only shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.findings import Claim, Finding, claim

METHODS = ("backprop", "chain", "numerical")
METHOD_NAMES = {
    "backprop": "backpropagation",
    "chain": "chain rule, no reuse",
    "numerical": "numerical (forward differences)",
}
EXACT_TOLERANCE = 1e-12  # relative: rounding only
NUMERICAL_TOLERANCE = 1e-5  # relative: the truncation error of eps = 1e-6


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


def chain_rule_gradients(params, X, Y, counter: OpCounter | None = None):
    """Each layer's chain rule written out from the loss down, no reuse."""
    _, A = forward_loss(params, X, Y, counter)
    D = len(params)
    grads = []
    for l in range(1, D + 1):
        delta = top_delta(A, Y)  # start again from the loss for layer l
        for k in range(D, l, -1):  # Delta_{k-1} from Delta_k, k = D..l+1
            W = params[k - 1][0]
            delta = matmul(delta, W, counter) * (1 - A[k - 1] ** 2)
        dW = matmul(delta.T, A[l - 1], counter)  # w x w
        grads.append([dW, delta.sum(dim=0)])
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


def flatten(grads) -> torch.Tensor:
    """All entries of [[dW_1, db_1], ...] as one vector, layer by layer."""
    return torch.cat([t.flatten() for layer in grads for t in layer])


def autograd_reference(params, X, Y):
    """The same gradient by torch.autograd (the referee), same layout."""
    leaves = [
        [t.detach().clone().requires_grad_(True) for t in layer]
        for layer in params
    ]
    loss, _ = forward_loss(leaves, X, Y)
    flat = torch.autograd.grad(loss, [t for layer in leaves for t in layer])
    return [list(flat[2 * l : 2 * l + 2]) for l in range(len(params))]


def parameter_count(depth: int, width: int) -> int:
    """P = D (w^2 + w)."""
    return depth * (width * width + width)


def products_formula(method: str, depth: int, width: int) -> int:
    """Matrix products of N w^2 multiply-adds each, by the book's formulas."""
    D = depth
    if method == "backprop":  # forward D, weights D, Deltas D - 1
        return 3 * D - 1
    if method == "chain":  # forward D, then D - l + 1 for layer l
        return D + D * (D + 1) // 2
    if method == "numerical":  # P + 1 forward passes of D products
        return (parameter_count(D, width) + 1) * D
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def forward_passes_formula(method: str, depth: int, width: int) -> int:
    """One forward pass, except P + 1 for numerical differentiation."""
    if method == "numerical":
        return parameter_count(depth, width) + 1
    products_formula(method, depth, width)  # rejects an unknown method
    return 1


GRADIENT_FUNCTIONS = {
    "backprop": backprop_gradients,
    "chain": chain_rule_gradients,
}


def measure(method: str, depth: int, config: CostConfig = CostConfig()):
    """Run ``method`` ``config.repeats`` times at ``depth``.

    Returns the operations counted in one run, the gradient, and the
    best processor time in seconds (shown, never tested: it varies).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    params, (X, Y) = deep_params(depth, config), deep_batch(config)
    counters, best = [], float("inf")
    with torch.no_grad():
        for _ in range(max(1, config.repeats)):
            counter = OpCounter()
            start = time.process_time()
            if method == "numerical":
                grads = numerical_gradients(
                    params, X, Y, counter, eps=config.eps
                )
            else:
                grads = GRADIENT_FUNCTIONS[method](params, X, Y, counter)
            best = min(best, time.process_time() - start)
            counters.append(counter)
    if any(c != counters[0] for c in counters):
        raise RuntimeError("the operation count changed between repeats")
    return counters[0], flatten(grads), best


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """max |a - b| / max |b|."""
    return float((a - b).abs().max() / b.abs().max())


def widens(ratios: np.ndarray) -> bool:
    """True when ``ratios`` never fall and end above where they start."""
    return bool(np.all(np.diff(ratios) >= 0) and ratios[-1] > ratios[0])


def loglog_slope(depths, values) -> float:
    """Exponent k of the least-squares fit values ~ c depth^k."""
    return float(np.polyfit(np.log(depths), np.log(values), 1)[0])


@dataclass(frozen=True)
class CostFinding(Finding):
    """Counted products, forward passes, errors and times, per depth."""

    page = "optimisation"
    name = "q12-cost"

    config: CostConfig
    multiply_adds: dict[str, tuple[int, ...]]  # method -> per depth
    forward_passes: dict[str, tuple[int, ...]]  # method -> per depth
    errors: dict[str, tuple[float, ...]]  # relative error vs autograd
    seconds: dict[str, tuple[float, ...]]  # best processor time (shown)

    @property
    def depths(self) -> tuple[int, ...]:
        return self.config.depths

    def products(self, method: str) -> np.ndarray:
        """Counted multiply-adds in units of N w^2 (one matrix product)."""
        return np.array(self.multiply_adds[method]) / self.config.unit

    def ratio(self, method: str) -> np.ndarray:
        """Cost of ``method`` over that of backpropagation, per depth."""
        return self.products(method) / self.products("backprop")

    def exponent(self, method: str, last: int | None = None) -> float:
        """Fitted exponent k of products ~ c D^k (over the last depths)."""
        d, p = np.array(self.depths), self.products(method)
        if last is not None:
            d, p = d[-last:], p[-last:]
        return loglog_slope(d, p)

    def formula_mismatches(self) -> int:
        """Depth-method pairs whose counts differ from the formulas."""
        c, bad = self.config, 0
        for m in METHODS:
            for i, d in enumerate(self.depths):
                expected = products_formula(m, d, c.width) * c.unit
                passes = forward_passes_formula(m, d, c.width)
                bad += self.multiply_adds[m][i] != expected
                bad += self.forward_passes[m][i] != passes
        return bad

    def numbers(self) -> dict[str, object]:
        c = self.config
        d_max = self.depths[-1]
        out = {
            "q12-width": c.width,
            "q12-examples": c.examples,
            "q12-repeats": c.repeats,
            "q12-eps": f"{c.eps:g}",
            "q12-depths": ", ".join(str(d) for d in self.depths),
            "q12-depth-max": d_max,
            "q12-depth-before-max": self.depths[-2],
            "q12-params-max": parameter_count(d_max, c.width),
            "q12-unit": c.unit,
            "q12-exact-error": f"{self.worst_exact_error():.1e}",
            "q12-numerical-error": f"{max(self.errors['numerical']):.1e}",
        }
        for m in METHODS:
            out[f"q12-{m}-products"] = int(self.products(m)[-1])
            out[f"q12-{m}-local"] = f"{self.exponent(m, last=2):.2f}"
        out["q12-chain-ratio"] = f"{self.ratio('chain')[-1]:.1f}"
        out["q12-numerical-ratio"] = f"{self.ratio('numerical')[-1]:.0f}"
        return out

    def worst_exact_error(self) -> float:
        return max(max(self.errors["backprop"]), max(self.errors["chain"]))

    def claims(self) -> tuple[Claim, ...]:
        chain, numerical = self.ratio("chain"), self.ratio("numerical")
        vs_chain = self.products("numerical") / self.products("chain")
        k_back = self.exponent("backprop", last=2)
        k_chain = self.exponent("chain", last=2)
        k_num = self.exponent("numerical", last=2)
        return (
            claim(
                "q12-counts-match-formulas",
                "The counted products and forward passes of all three"
                " methods equal their formulas at every depth",
                self.formula_mismatches() == 0,
                "count == formula for each method and depth",
                depths=len(self.depths),
                mismatches=self.formula_mismatches(),
            ),
            claim(
                "q12-exact-methods-agree",
                "Backpropagation and the chain rule without reuse equal"
                " autograd to rounding at every depth",
                self.worst_exact_error() < EXACT_TOLERANCE,
                f"max relative error < {EXACT_TOLERANCE:g}",
                worst=self.worst_exact_error(),
            ),
            claim(
                "q12-numerical-close",
                "Forward differences agree with autograd to their truncation "
                "error at every depth",
                max(self.errors["numerical"]) < NUMERICAL_TOLERANCE,
                f"max relative error < {NUMERICAL_TOLERANCE:g}",
                worst=max(self.errors["numerical"]),
            ),
            claim(
                "q12-backprop-linear",
                "The cost of backpropagation grows linearly in depth",
                abs(k_back - 1) < 0.05,
                "|k - 1| < 0.05, k fitted over the two largest depths",
                k=k_back,
            ),
            claim(
                "q12-chain-quadratic",
                "The cost of the chain rule without reuse grows almost "
                "quadratically in depth",
                1.75 < k_chain <= 2,
                "1.75 < k <= 2, k fitted over the two largest depths",
                k=k_chain,
            ),
            claim(
                "q12-numerical-quadratic",
                "The cost of numerical differentiation grows "
                "quadratically in depth",
                abs(k_num - 2) < 0.05,
                "|k - 2| < 0.05, k fitted over the two largest depths",
                k=k_num,
            ),
            claim(
                "q12-gap-widens",
                "Relative to backpropagation, neither other method gets"
                " cheaper as D grows, and both cost more at D max than at"
                " D min",
                widens(chain) and widens(numerical),
                "ratio to backprop never falls, and last > first",
                chain_first=float(chain[0]),
                chain_last=float(chain[-1]),
                numerical_first=float(numerical[0]),
                numerical_last=float(numerical[-1]),
            ),
            claim(
                "q12-chain-few-times",
                "At the largest depth the chain rule without reuse costs"
                " less than ten times backpropagation",
                1 < chain[-1] < 10,
                "1 < chain/backprop < 10 at D max",
                ratio=float(chain[-1]),
            ),
            claim(
                "q12-numerical-far-costlier",
                "Numerical differentiation costs over ten times the chain"
                " rule at every depth, and over a hundred times backprop"
                " at D max",
                bool(np.all(vs_chain > 10)) and numerical[-1] > 100,
                "numerical/chain > 10 at every D; "
                "numerical/backprop > 100 at D max",
                over_chain_min=float(vs_chain.min()),
                over_backprop_at_D_max=float(numerical[-1]),
            ),
        )

    def counts_table(self) -> str:
        """Markdown: products per depth and method, and the two ratios."""
        rows = [
            "| $D$ | backprop | chain rule (ratio) | numerical (ratio) |",
            "|---:|---:|---:|---:|",
        ]
        for i, d in enumerate(self.depths):
            p = [int(self.products(m)[i]) for m in METHODS]
            chain, numerical = self.ratio("chain"), self.ratio("numerical")
            rows.append(
                f"| {d} | {p[0]} | {p[1]} (×{chain[i]:.1f}) | {p[2]} "
                f"(×{numerical[i]:.0f}) |"
            )
        return "\n".join(rows)

    def times_table(self) -> str:
        """Markdown: measured processor times in milliseconds (shown)."""
        rows = [
            "| $D$ | backprop (ms) | chain rule (ms) | numerical (ms) |",
            "|---:|---:|---:|---:|",
        ]
        for i, d in enumerate(self.depths):
            t = [1000 * self.seconds[m][i] for m in METHODS]
            rows.append(f"| {d} | {t[0]:.2f} | {t[1]:.2f} | {t[2]:.1f} |")
        return "\n".join(rows)


def cost_study(config: CostConfig = CostConfig()) -> CostFinding:
    """Count, check against autograd, and time each method at each depth."""
    adds: dict[str, list] = {m: [] for m in METHODS}
    passes: dict[str, list] = {m: [] for m in METHODS}
    errors: dict[str, list] = {m: [] for m in METHODS}
    seconds: dict[str, list] = {m: [] for m in METHODS}
    for depth in config.depths:
        params, (X, Y) = deep_params(depth, config), deep_batch(config)
        reference = flatten(autograd_reference(params, X, Y))
        for m in METHODS:
            counter, grad, best = measure(m, depth, config)
            adds[m].append(counter.multiply_adds)
            passes[m].append(counter.forward_passes)
            errors[m].append(relative_error(grad, reference))
            seconds[m].append(best)
    as_tuples = lambda d: {k: tuple(v) for k, v in d.items()}  # noqa: E731
    return CostFinding(
        config,
        as_tuples(adds),
        as_tuples(passes),
        as_tuples(errors),
        as_tuples(seconds),
    )
