"""Questions 15-17 identities:
the gradients with respect to the logits and to every parameter.

Each identity runs the package's own code on symbols: ``backward`` of
:mod:`nnintro.network` (and the closed forms of :mod:`nnintro.chain_rule`
that it calls) on :class:`~nnintro.derivations.symbolic.SymTensor`, compared
entry by entry with SymPy's derivative of the scalar loss. Every builder
takes the ``rule`` (a :class:`~nnintro.chain_rule.ChainRule`) that
``backward`` uses, so a test can pass one wrong closed form and watch the
verdict turn, while ``train`` runs the default rule. The shapes of both
forms are those of :mod:`nnintro.chain_rule`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import sympy as sp

from nnintro.chain_rule import BATCH, COLUMN, ChainRule, tanh_prime
from nnintro.derivations.core import (
    Identity,
    gradient_identity,
    gradient_matrix,
    matrix_symbols,
    prove,
    symbol_vector,
)
from nnintro.derivations.symbolic import (
    SymbolicNetwork,
    SymTensor,
    cross_entropy_of_softmax,
    symbolic_batch_network,
    symbolic_network,
    target_constraint,
)
from nnintro.network import backward

# --- the closed forms of nnintro.chain_rule on SymPy matrices ----------------


def on_matrices(step: Callable) -> Callable:
    """``step`` of :mod:`nnintro.chain_rule`, taking and giving SymPy
    matrices (a 1-D result, a bias gradient, as a column)."""

    def apply(*matrices):
        return step(*(SymTensor(m) for m in matrices)).matrix

    apply.__doc__ = step.__doc__
    return apply


# the references of the answer checker (nnintro.answers), by equation
grad_ytilde_closed_form = on_matrices(COLUMN.Delta_y)  # q15-grad
grad_Wy_closed_form = on_matrices(COLUMN.grad_Wy)  # q16-Wy
grad_by_closed_form = on_matrices(COLUMN.grad_by)  # q16-by
grad_htilde_closed_form = on_matrices(COLUMN.Delta_h)  # q17-htilde
grad_Wh_closed_form = on_matrices(COLUMN.grad_Wh)  # q17-Wh
grad_bh_closed_form = on_matrices(COLUMN.grad_bh)  # q17-bh
batch_grad_ytilde_closed_form = on_matrices(BATCH.Delta_y)  # q15-batch
batch_grad_Wy_closed_form = on_matrices(BATCH.grad_Wy)  # q16-batch
batch_grad_by_closed_form = on_matrices(BATCH.grad_by)
batch_grad_htilde_closed_form = on_matrices(BATCH.Delta_h)  # q17-batch
batch_grad_Wh_closed_form = on_matrices(BATCH.grad_Wh)
batch_grad_bh_closed_form = on_matrices(BATCH.grad_bh)


def symbolic_gradients(net: SymbolicNetwork, rule: ChainRule) -> dict:
    """The package's ``backward`` on the symbolic network, as matrices."""
    grads = backward(
        net.params, net.outputs, net.targets, rule=rule, check=False
    )
    return {key: value.matrix for key, value in grads.items()}


# --- question 15 -------------------------------------------------------------


@cache
def softmax_ce_gradient(ny: int = 3, *, rule: ChainRule = COLUMN) -> Identity:
    """dl/dytilde_j of CE(SoftMax) equals yhat_j - y_j once the
    targets sum to 1."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    loss = cross_entropy_of_softmax(ytilde, y)
    yhat = SymTensor(ytilde).softmax(dim=0)
    return gradient_identity(
        f"softmax-ce-gradient-ny{ny}",
        "q15-grad",
        r"\frac{\partial \ell}{\partial \tilde y_j} = \hat y_j - y_j",
        gradient_matrix(loss, sp.Matrix(ytilde)),
        rule.Delta_y(yhat, SymTensor(y)).matrix,
        {y[-1]: 1 - sum(y[:-1])},  # the targets sum to 1
        f"SymPy diff of the scalar loss, n_y = {ny}, targets constrained "
        "to sum to 1; cancel(residual) == 0",
    )


@cache
def batch_softmax_ce_gradient(
    N: int = 2, ny: int = 3, *, rule: ChainRule = BATCH
) -> Identity:
    """Eq. q15-batch: the mean loss over N rows has
    dL/dYtilde = (Yhat - Y) / N."""
    Yt, Y = matrix_symbols("Ytilde", N, ny), matrix_symbols("Y", N, ny)
    losses = [cross_entropy_of_softmax(Yt[n, :], Y[n, :]) for n in range(N)]
    loss, Yhat = sum(losses) / N, SymTensor(Yt).softmax(dim=-1)
    return gradient_identity(
        f"batch-softmax-ce-gradient-N{N}-ny{ny}",
        "q15-batch",
        r"\frac{\partial L}{\partial \tilde Y} = \frac{1}{N}(\hat Y - Y)",
        gradient_matrix(loss, Yt),
        rule.Delta_y(Yhat, SymTensor(Y)).matrix,
        target_constraint(Y, True),
        f"SymPy diff of the mean loss w.r.t. each of the {N * ny} logits, "
        f"N = {N}, n_y = {ny}, "
        "each target row summing to 1; cancel(residual) == 0 entry by entry",
    )


# --- questions 16 and 17 ----------------------------------------------------
# Every entry of each gradient, from the full scalar loss.

#: The column-form gradients of questions 16 and 17 proved from the
#: outputs of ``backward``: parameter -> (equation label, statement).
DL = r"\frac{\partial \ell}{\partial "  # the start of each statement
COLUMN_GRADIENTS = {
    "Wy": ("q16-Wy", DL + r"W_y} = (\hat y - y)\, h^\top"),
    "by": ("q16-by", DL + r"b_y} = \hat y - y"),
    "Wh": ("q17-Wh", DL + r"W_h} = \delta_h\, x^\top"),
    "bh": ("q17-bh", DL + r"b_h} = \delta_h"),
}

#: The batch-form gradients: equation label -> (weight, bias, statement).
BATCH_GRADIENTS = {
    "q16-batch": (
        "Wy",
        "by",
        r"\frac{\partial L}{\partial W_y} = \Delta_y^\top H,\quad"
        r"\frac{\partial L}{\partial b_y} = \Delta_y^\top \mathbf 1",
    ),
    "q17-batch": (
        "Wh",
        "bh",
        r"\frac{\partial L}{\partial W_h} = \Delta_h^\top X,\quad"
        r"\frac{\partial L}{\partial b_h} = \Delta_h^\top \mathbf 1",
    ),
}


def _method(what: str, wrt: str, sizes: dict) -> str:
    given = ", ".join(f"{k} = {v}" for k, v in sizes.items())
    return (
        f"the package's backward on {what} against SymPy diff of its loss "
        f"w.r.t. each entry of {wrt} ({given}, targets summing to 1); "
        "cancel(residual) == 0"
    )


@cache
def column_gradient(
    key: str, nx: int = 2, nh: int = 3, ny: int = 2, *, rule=COLUMN
) -> Identity:
    """Eqs. q16-Wy, q16-by, q17-Wh, q17-bh: ``backward`` (column rule) on
    one symbolic example gives dl/d``key``, checked entry by entry."""
    label, statement = COLUMN_GRADIENTS[key]
    net = symbolic_network(nx, nh, ny)
    return gradient_identity(
        f"grad-{key}-column-{nx}-{nh}-{ny}",
        label,
        statement,
        gradient_matrix(net.loss, getattr(net, key)),
        symbolic_gradients(net, rule)[key],
        net.on_simplex,
        _method("one example", key, {"n_x": nx, "n_h": nh, "n_y": ny}),
    )


@cache
def hidden_preactivation_gradient(
    nx: int = 2, nh: int = 3, ny: int = 2, *, rule: ChainRule = COLUMN
) -> Identity:
    """Eq. q17-htilde: dl/dhtilde = (W_y^T (yhat - y)) ⊙ (1 - h ⊙ h),
    htilde free symbols; the two steps of ``backward`` that reach it."""
    net = symbolic_network(nx, nh, ny, free_htilde=True)
    out = net.outputs
    delta_y = rule.Delta_y(out["yhat"], net.targets)
    delta_h = rule.Delta_h(net.params["Wy"], delta_y, out["h"])
    return gradient_identity(
        f"grad-htilde-column-{nh}-{ny}",
        "q17-htilde",
        r"\frac{\partial \ell}{\partial \tilde h} = "
        r"\big(W_y^\top(\hat y - y)\big)\odot(1 - h\odot h)",
        gradient_matrix(net.loss, net.htilde),
        delta_h.matrix,
        net.on_simplex,
        _method(
            "one example", "htilde (free symbols)", {"n_h": nh, "n_y": ny}
        ),
    )


@cache
def batch_gradients(
    label: str,
    N: int = 2,
    nx: int = 2,
    nh: int = 2,
    ny: int = 2,
    *,
    rule: ChainRule = BATCH,
) -> Identity:
    """Eqs. q16-batch (W_y, b_y) and q17-batch (W_h, b_h): ``backward`` on a
    symbolic batch gives both gradients of the mean loss, side by side."""
    W, b, statement = BATCH_GRADIENTS[label]
    net = symbolic_batch_network(N, nx, nh, ny)
    grads = symbolic_gradients(net, rule)
    derivative = gradient_matrix(net.loss, getattr(net, W)).row_join(
        gradient_matrix(net.loss, getattr(net, b))
    )
    joinable = grads[W].rows == grads[b].rows  # else a wrong shape
    claimed = grads[W].row_join(grads[b]) if joinable else grads[W]
    sizes = {"N": N, "n_x": nx, "n_h": nh, "n_y": ny}
    return gradient_identity(
        f"batch-grad-{W}-{b}-{N}-{nx}-{nh}-{ny}",
        label,
        statement,
        derivative,
        claimed,
        net.on_simplex,
        _method("a symbolic batch", f"{W} and {b}", sizes),
    )


def tanh_from_exponentials(x: sp.Symbol) -> sp.Expr:
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x), the definition."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


@cache
def tanh_derivative(closed_form: Callable = tanh_prime) -> Identity:
    """d tanh(x)/dx = 1 - tanh(x)^2,
    derived from the definition by exponentials.

    SymPy differentiates the quotient of exponentials (quotient rule, no rule
    for tanh involved) and compares with the closed form applied to the same
    quotient; ``closed_form`` is the package's ``tanh_prime``, the factor
    that ``backward`` multiplies by.
    """
    x = sp.Symbol("x", real=True)
    t = tanh_from_exponentials(x)
    lhs = sp.diff(t, x)
    rhs = closed_form(t)
    return prove(
        name="tanh-derivative",
        label="tanh-derivative",
        statement=r"\tanh'(x) = 1 - \tanh^2(x)",
        method="SymPy diff of (e^x - e^-x)/(e^x + e^-x), "
        "simplify(lhs - rhs) == 0",
        lhs=lhs,
        rhs=rhs,
        reduce=lambda d: sp.simplify(sp.expand(sp.together(d))),
    )


#: Numbers of classes for which the gradients of questions 16
#: and 17 are proved.
GRADIENT_CLASS_COUNTS = (2, 3)

#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    "softmax-ce-gradient": softmax_ce_gradient,
    "batch-softmax-ce-gradient": batch_softmax_ce_gradient,
    "tanh-derivative": tanh_derivative,
    # n_y = 2 leaves delta_y one degree of freedom (its entries sum to 0);
    # n_y = 3 two
    **{
        name: partial(build, ny=ny)
        for ny in GRADIENT_CLASS_COUNTS
        for name, build in (
            (f"grad-Wy-ny{ny}", partial(column_gradient, "Wy")),
            (f"grad-by-ny{ny}", partial(column_gradient, "by")),
            (f"grad-htilde-ny{ny}", hidden_preactivation_gradient),
            (f"grad-Wh-ny{ny}", partial(column_gradient, "Wh")),
            (f"grad-bh-ny{ny}", partial(column_gradient, "bh")),
            (
                f"batch-grad-Wy-by-ny{ny}",
                partial(batch_gradients, "q16-batch"),
            ),
            (
                f"batch-grad-Wh-bh-ny{ny}",
                partial(batch_gradients, "q17-batch"),
            ),
        )
    },
}
