"""The loss page, questions 8 and 9 in numbers: the signs of each loss's
derivative at one prediction, and the two losses' gradients on the true
class's logit along the logit difference z (from SymPy's expressions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from nnintro.derivations.loss import (
    ce_grad_yhat,
    mse_grad_yhat,
    true_logit_gradient_functions,
)
from nnintro.findings import Claim, Finding, above, below, claim, close, each


@dataclass(frozen=True)
class SignsFinding(Finding):
    """Q8: dl/dyhat of both losses at one prediction,
    target class 1 of three."""

    page = "loss"
    name = "q8-signs"

    yhat: tuple[sp.Rational, ...]
    ce: tuple[sp.Expr, ...]  # dl/dyhat_i, cross-entropy
    mse: tuple[sp.Expr, ...]  # dl/dyhat_i, squared error

    def claims(self) -> tuple[Claim, ...]:
        def others(values):
            return {
                f"class {i + 2}": float(v) for i, v in enumerate(values[1:])
            }

        ce, mse, of = others(self.ce), others(self.mse), "other classes"
        return (
            claim(
                "q8-ce-pushes-true-class-only",
                "Cross-entropy asks the true class up and "
                "leaves the others alone",
                below(("dCE/dyhat_1", float(self.ce[0])), 0)
                & each("dCE/dyhat_i", ce, "==", 0, of=of),
            ),
            claim(
                "q8-mse-pushes-all",
                "Squared error asks the true class up and "
                "every other class down",
                below(("dMSE/dyhat_1", float(self.mse[0])), 0)
                & each("dMSE/dyhat_i", mse, ">", 0, of=of),
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


@dataclass(frozen=True)
class LogitGradientsFinding(Finding):
    """Q9: both losses' gradients on the true logit, along z."""

    page = "loss"
    name = "q9-logit-gradients"

    z: np.ndarray
    sympy: dict  # loss name -> dl/dytilde_1 along z (SymPy, lambdified)
    z_wrong: float

    def at_wrong(self) -> dict[str, float]:
        """The size of each gradient at z = z_wrong."""
        f = true_logit_gradient_functions()
        z = np.asarray(self.z_wrong)
        return {name: abs(float(g(z))) for name, g in f.items()}

    def numbers(self) -> dict[str, object]:
        at = self.at_wrong()
        ce, mse = at["cross-entropy"], at["squared error"]
        return {
            "loss-z-wrong": self.z_wrong,
            "loss-p-wrong": 1 / (1 + np.exp(-self.z_wrong)),
            "loss-ce-at-wrong": ce,
            "loss-mse-at-wrong": mse,
            "loss-ratio-at-wrong": ce / mse,
        }

    def claims(self) -> tuple[Claim, ...]:
        mse_size = np.abs(self.sympy["squared error"])
        peak = int(np.argmax(mse_size))
        wrong = self.z <= self.z_wrong  # the shaded region of the figure
        region = f"z <= {self.z_wrong:g}"
        mse_wrong = (
            f"largest |MSE gradient| at {region}",
            float(np.abs(self.sympy["squared error"][wrong]).max()),
        )
        ce_wrong = (
            f"smallest |CE gradient| at {region}",
            float(np.abs(self.sympy["cross-entropy"][wrong]).min()),
        )
        peak_z = ("z of the peak", self.z[peak])
        peak_size = ("size at the peak", mse_size[peak])
        return (
            claim(
                "q9-mse-vanishes-when-wrong",
                "Confidently wrong, the squared error's gradient has almost"
                " vanished while the cross-entropy's is almost 1",
                below(mse_wrong, 0.01) & above(ce_wrong, 0.99),
            ),
            claim(
                "q9-mse-peak",
                "The squared error pushes hardest near z = "
                "log(1/2), with size 16/27",
                close(peak_z, ("log(1/2)", np.log(0.5)), tol=0.05)
                & close(peak_size, ("16/27", 16 / 27), tol=1e-3),
            ),
        )


def logit_gradients(
    z: np.ndarray | None = None, z_wrong: float = -6.0
) -> LogitGradientsFinding:
    z = np.linspace(-10, 10, 401) if z is None else np.asarray(z, dtype=float)
    sympy = {name: f(z) for name, f in true_logit_gradient_functions().items()}
    return LogitGradientsFinding(z, sympy, z_wrong)
