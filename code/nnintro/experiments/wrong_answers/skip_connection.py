"""Backpropagation on a network that is not a chain: a skip connection."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nnintro.circles import make_circles
from nnintro.findings import Finding, above, below, claim
from nnintro.forward_pass import softmax
from nnintro.gradcheck import central_differences, relative_error
from nnintro.network import cross_entropy_from_logits


def skip_forward(p: dict[str, torch.Tensor], X: torch.Tensor):
    """A DAG, not a chain: h feeds the second layer g and, by a skip, ytilde.

    H = tanh(X W_h^T + b_h), G = tanh(H W_g^T + b_g),
    Ytilde = G W_y^T + H W_s^T + b_y.
    """
    H = torch.tanh(X @ p["Wh"].T + p["bh"])
    G = torch.tanh(H @ p["Wg"].T + p["bg"])
    Ytilde = G @ p["Wy"].T + H @ p["Ws"].T + p["by"]
    return H, G, Ytilde


def skip_loss(p, X, Y) -> torch.Tensor:
    return cross_entropy_from_logits(skip_forward(p, X)[2], Y)


def skip_backward(p, X, Y, *, both_paths: bool = True):
    """Backprop by hand through the DAG: H sums its two consumers' gradients.

    ``both_paths=False`` keeps only the path through G (a chain).
    """
    H, G, Ytilde = skip_forward(p, X)
    delta_y = (softmax(Ytilde) - Y) / X.shape[0]  # B x ny
    delta_g = (delta_y @ p["Wy"]) * (1 - G**2)  # B x ng
    grad_H = delta_g @ p["Wg"]  # B x nh: the path through G
    if both_paths:
        grad_H = grad_H + delta_y @ p["Ws"]  # plus the skip path
    delta_h = grad_H * (1 - H**2)  # B x nh
    return {
        "Wh": delta_h.T @ X,
        "bh": delta_h.sum(0),
        "Wg": delta_g.T @ H,
        "bg": delta_g.sum(0),
        "Wy": delta_y.T @ G,
        "Ws": delta_y.T @ H,
        "by": delta_y.sum(0),
    }


def skip_params(nx=2, nh=4, ng=3, ny=2, *, seed=0) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    shapes = {"Wh": (nh, nx), "bh": (nh,), "Wg": (ng, nh), "bg": (ng,)}
    shapes |= {"Wy": (ny, ng), "Ws": (ny, nh), "by": (ny,)}
    return {
        k: 0.5 * torch.randn(s, generator=g, dtype=torch.float64)
        for k, s in shapes.items()
    }


@dataclass(frozen=True)
class DagCheck(Finding):
    """Worst relative errors between the skip network's gradients."""

    page = "wrong_answers"
    name = "wrong-dag"

    autograd_vs_central: float
    hand_vs_autograd: float
    one_path_vs_autograd: float  # hand backprop without the skip path

    def numbers(self):
        return {
            "wrong-dag-auto-cd": self.autograd_vs_central,
            "wrong-dag-hand": self.hand_vs_autograd,
            "wrong-dag-one-path": self.one_path_vs_autograd,
        }

    def claims(self):
        central = ("autograd vs central", self.autograd_vs_central)
        hand = ("two paths vs autograd", self.hand_vs_autograd)
        one_path = ("one path vs autograd", self.one_path_vs_autograd)
        return (
            claim(
                "wrong-dag-both-paths-agree",
                "On the skip network autograd matches central differences"
                " and the two-path backward matches autograd",
                below(central, 1e-7) & below(hand, 1e-12),
            ),
            claim(
                "wrong-dag-one-path-fails",
                "The backward that follows only the chain misses the gradient",
                above(one_path, 1e-2),
            ),
        )


def skip_connection_check(B: int = 10, seed: int = 0) -> DagCheck:
    """Autograd and two-path backprop agree with central differences."""
    data = make_circles(seed=seed)
    X, Y = data.Xtrain[:B], data.Ytrain[:B]
    p = skip_params(seed=seed)
    leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    grads = torch.autograd.grad(skip_loss(leaves, X, Y), list(leaves.values()))
    auto = dict(zip(p, grads))
    numeric = central_differences(lambda q: skip_loss(q, X, Y), p)
    hand = skip_backward(p, X, Y)
    one_path = skip_backward(p, X, Y, both_paths=False)

    def worst(a, b):
        return max(relative_error(a[k], b[k]) for k in p)

    return DagCheck(
        worst(auto, numeric), worst(hand, auto), worst(one_path, auto)
    )
