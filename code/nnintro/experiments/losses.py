"""Questions 8 and 9 in numbers: the signs of each loss's derivative on one
example, and the two losses' gradients on the true class's logit, SymPy against
autograd.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
import torch

from nnintro.derivations.loss import (
    ce_grad_yhat,
    mse_grad_yhat,
    true_logit_gradient_functions,
)
from nnintro.findings import Claim, Finding, claim


@dataclass(frozen=True)
class SignsFinding(Finding):
    """Q8: dl/dyhat of both losses at one prediction,
    target class 1 of three."""

    page = "loss"
    name = "q8-signs"

    yhat: tuple[sp.Rational, ...]
    ce: tuple[sp.Expr, ...]  # dl/dyhat_i, cross-entropy
    mse: tuple[sp.Expr, ...]  # dl/dyhat_i, squared error

    def table(self) -> str:
        """A Markdown table: one row per loss, one column per output."""
        n = len(self.yhat)
        head = " | ".join(
            f"$\\partial\\ell/\\partial\\hat y_{i + 1}$" for i in range(n)
        )
        rows = [f"| loss | {head} |", "|---|" + "---:|" * n]
        for name, values in (
            ("cross-entropy", self.ce),
            ("squared error", self.mse),
        ):
            cells = " | ".join(f"${sp.latex(v)}$" for v in values)
            rows.append(f"| {name} | {cells} |")
        return "\n".join(rows)

    def claims(self) -> tuple[Claim, ...]:
        ce, mse = [float(v) for v in self.ce], [float(v) for v in self.mse]
        return (
            claim(
                "q8-ce-pushes-true-class-only",
                "Cross-entropy asks the true class up and "
                "leaves the others alone",
                ce[0] < 0 and all(v == 0 for v in ce[1:]),
                "dCE/dyhat_1 < 0 and dCE/dyhat_i == 0 for i > 1",
                true_class=ce[0],
            ),
            claim(
                "q8-mse-pushes-all",
                "Squared error asks the true class up and "
                "every other class down",
                mse[0] < 0 and all(v > 0 for v in mse[1:]),
                "dMSE/dyhat_1 < 0 < dMSE/dyhat_i for i > 1",
                true_class=mse[0],
                smallest_other=min(mse[1:]),
            ),
        )


def signs_at(yhat: Sequence[sp.Rational]) -> SignsFinding:
    """Evaluate SymPy's derivatives of both losses at ``yhat``,
    target class 1."""
    ny = len(yhat)
    values = {f"y_{i + 1}": int(i == 0) for i in range(ny)}
    values |= {f"yhat_{i + 1}": sp.nsimplify(p) for i, p in enumerate(yhat)}

    def at(expr: sp.Matrix) -> tuple[sp.Expr, ...]:
        point = {s: values[s.name] for s in expr.free_symbols}
        return tuple(expr.subs(point))

    ce, mse = ce_grad_yhat(ny).lhs, mse_grad_yhat(ny).lhs
    return SignsFinding(tuple(sp.nsimplify(p) for p in yhat), at(ce), at(mse))


def autograd_true_logit_gradients(
    z: np.ndarray | Sequence[float],
) -> dict[str, np.ndarray]:
    """dl/dytilde_1 at logits (z, 0), target (1, 0), for both losses,
    by autograd."""
    zt = torch.tensor(np.asarray(z, dtype=float), requires_grad=True)
    ytilde = torch.stack([zt, torch.zeros_like(zt)], dim=1)  # N x 2
    yhat = torch.softmax(ytilde, dim=1)
    target = torch.tensor([1.0, 0.0], dtype=torch.float64)
    ce = -(target * torch.log_softmax(ytilde, dim=1)).sum()
    mse = ((yhat - target) ** 2).sum()
    (g_ce,) = torch.autograd.grad(ce, zt)
    (g_mse,) = torch.autograd.grad(mse, zt)
    return {"cross-entropy": g_ce.numpy(), "squared error": g_mse.numpy()}


@dataclass(frozen=True)
class LogitGradientsFinding(Finding):
    """Q9: both losses' gradients on the true logit, along z, two ways."""

    page = "loss"
    name = "q9-logit-gradients"

    z: np.ndarray
    sympy: dict  # loss name -> dl/dytilde_1 along z (SymPy, lambdified)
    autograd: dict  # the same by autograd
    z_wrong: float

    def at_wrong(self) -> dict[str, float]:
        f = true_logit_gradient_functions()
        z = np.asarray(self.z_wrong)
        return {name: float(g(z)) for name, g in f.items()}

    def numbers(self) -> dict[str, object]:
        at = self.at_wrong()
        ce, mse = at["cross-entropy"], at["squared error"]
        return {
            "loss-z-wrong": f"{self.z_wrong:g}",
            "loss-p-wrong": f"{1 / (1 + np.exp(-self.z_wrong)):.4f}",
            "loss-ce-at-wrong": f"{abs(ce):.4f}",
            "loss-mse-at-wrong": f"{abs(mse):.4f}",
            "loss-ratio-at-wrong": f"{ce / mse:.0f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        gap = max(
            float(np.max(np.abs(self.autograd[k] - self.sympy[k])))
            for k in self.sympy
        )
        at = self.at_wrong()
        mse_size = np.abs(self.sympy["squared error"])
        peak = int(np.argmax(mse_size))
        return (
            claim(
                "q9-sympy-equals-autograd",
                "Autograd computes the same two gradients as SymPy along z",
                gap < 1e-12,
                "max |autograd - SymPy| < 1e-12",
                max_difference=gap,
            ),
            claim(
                "q9-mse-vanishes-when-wrong",
                "Confidently wrong, the squared error's gradient has almost"
                " vanished while the cross-entropy's is almost 1",
                abs(at["squared error"]) < 0.01
                and abs(at["cross-entropy"]) > 0.99,
                "|MSE grad| < 0.01 and |CE grad| > 0.99 at z wrong",
                z=self.z_wrong,
                mse=abs(at["squared error"]),
                ce=abs(at["cross-entropy"]),
            ),
            claim(
                "q9-mse-peak",
                "The squared error pushes hardest near z = "
                "log(1/2), with size 16/27",
                abs(self.z[peak] - np.log(0.5)) < 0.05
                and abs(mse_size[peak] - 16 / 27) < 1e-3,
                "|z peak - log 1/2| < 0.05 and |size - 16/27| < 1e-3",
                z_peak=float(self.z[peak]),
                size=float(mse_size[peak]),
            ),
        )


def logit_gradients(
    z: np.ndarray | None = None, z_wrong: float = -6.0
) -> LogitGradientsFinding:
    z = np.linspace(-10, 10, 401) if z is None else np.asarray(z, dtype=float)
    sympy = {name: f(z) for name, f in true_logit_gradient_functions().items()}
    return LogitGradientsFinding(
        z, sympy, autograd_true_logit_gradients(z), z_wrong
    )
