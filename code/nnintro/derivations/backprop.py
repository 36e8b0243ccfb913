"""Questions 15-17 identities:
the gradients with respect to the logits and to every parameter.

The closed forms claimed by the book are module-level functions
(``*_closed_form``), so a test can replace one with a wrong formula and watch
the verdict turn. The gradient closed forms use only ``@``, ``.T``, ``-``,
``/`` and the helpers :func:`hadamard`, :func:`one_minus_square` and
:func:`column_sums`, so the same function works on SymPy matrices (the proofs)
and on torch tensors (the numerical checks against autograd).

Column form (one example): ``x`` n_x x 1, ``h`` n_h x 1, ``y`` n_y x 1. Batch
(row) form: ``X`` is N x n_x, ``H`` N x n_h, ``Y`` N x n_y, and the loss is the
mean over the N rows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import sympy as sp

from nnintro.derivations.core import (
    Identity,
    gradient_identity,
    gradient_matrix,
    is_zero,
    matrix_symbols,
    prove,
    symbol_vector,
)
from nnintro.derivations.symbolic import (
    SymbolicNetwork,
    cross_entropy_of_softmax,
    softmax_exprs,
    symbolic_batch_network,
    symbolic_network,
    target_constraint,
)

# --- backend-agnostic matrix helpers (SymPy matrices or torch tensors) -------


def hadamard(a, b):
    """Entrywise product a ⊙ b."""
    return a.multiply_elementwise(b) if isinstance(a, sp.MatrixBase) else a * b


def one_minus_square(h):
    """1 - h ⊙ h entrywise:
    tanh'(htilde) written with h = tanh(htilde) (eq. tanh-derivative)."""
    return (
        h.applyfunc(lambda v: 1 - v**2)
        if isinstance(h, sp.MatrixBase)
        else 1 - h**2
    )


def column_sums(M):
    """The sum of the rows of M (1^T M): a column for SymPy,
    a 1-D tensor for torch."""
    if isinstance(M, sp.MatrixBase):
        return sp.Matrix([sum(M[:, j]) for j in range(M.shape[1])])
    return M.sum(dim=0)


# --- closed forms the book claims --------------------------------------------


def grad_ytilde_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. q15-grad: dl/dytilde = yhat - y (targets summing to 1)."""
    return [p - t for p, t in zip(yhat, y)]


def tanh_derivative_closed_form(t) -> sp.Expr:
    """Eq. tanh-derivative: tanh'(x) = 1 - tanh(x)^2,
    written with t = tanh(x)."""
    return 1 - t**2


def grad_Wy_closed_form(delta_y, h):
    """Eq. q16-Wy: dl/dW_y = delta_y h^T (n_y x n_h), delta_y = dl/dytilde."""
    return delta_y @ h.T


def grad_by_closed_form(delta_y):
    """Eq. q16-by: dl/db_y = delta_y."""
    return delta_y


def grad_htilde_closed_form(Wy, delta_y, h):
    """Eq. q17-htilde: dl/dhtilde = (W_y^T delta_y) ⊙ (1 - h ⊙ h)."""
    return hadamard(Wy.T @ delta_y, one_minus_square(h))


def grad_Wh_closed_form(delta_h, x):
    """Eq. q17-Wh: dl/dW_h = delta_h x^T (n_h x n_x), delta_h = dl/dhtilde."""
    return delta_h @ x.T


def grad_bh_closed_form(delta_h):
    """Eq. q17-bh: dl/db_h = delta_h."""
    return delta_h


def batch_grad_ytilde_closed_form(Yhat, Y):
    """Eq. q15-batch: dL/dYtilde = (Yhat - Y) / N for the mean loss L
    over N rows."""
    return (Yhat - Y) / Y.shape[0]


def batch_grad_Wy_closed_form(Delta_y, H):
    """Eq. q16-batch: dL/dW_y = Delta_y^T H (n_y x n_h)."""
    return Delta_y.T @ H


def batch_grad_by_closed_form(Delta_y):
    """Eq. q16-batch: dL/db_y = 1^T Delta_y (the column sums)."""
    return column_sums(Delta_y)


def batch_grad_htilde_closed_form(Wy, Delta_y, H):
    """Eq. q17-batch: dL/dHtilde = (Delta_y W_y) ⊙ (1 - H ⊙ H) (N x n_h)."""
    return hadamard(Delta_y @ Wy, one_minus_square(H))


def batch_grad_Wh_closed_form(Delta_h, X):
    """Eq. q17-batch: dL/dW_h = Delta_h^T X (n_h x n_x)."""
    return Delta_h.T @ X


def batch_grad_bh_closed_form(Delta_h):
    """Eq. q17-batch: dL/db_h = 1^T Delta_h."""
    return column_sums(Delta_h)


# --- question 15 -------------------------------------------------------------


@cache
def softmax_ce_gradient(ny: int = 3) -> Identity:
    """dl/dytilde_j of CE(SoftMax) equals yhat_j - y_j once the
    targets sum to 1."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    loss = cross_entropy_of_softmax(ytilde, y)
    yhat = softmax_exprs(ytilde)
    derivative = sp.Matrix([sp.diff(loss, t) for t in ytilde])
    claimed = sp.Matrix(grad_ytilde_closed_form(yhat, y))
    # impose sum_i y_i = 1 by eliminating the last target
    on_simplex = {y[-1]: 1 - sum(y[:-1])}
    residual = sp.simplify((derivative - claimed).subs(on_simplex))
    return Identity(
        name=f"softmax-ce-gradient-ny{ny}",
        label="q15-grad",
        statement=r"\frac{\partial \ell}{\partial \tilde y_j} = "
        r"\hat y_j - y_j",
        method=f"SymPy diff of the scalar loss, n_y = {ny}, "
        "targets constrained to sum to 1",
        lhs=derivative,
        rhs=claimed,
        residual=residual,
        holds=is_zero(residual),
    )


@cache
def batch_softmax_ce_gradient(N: int = 2, ny: int = 3) -> Identity:
    """Eq. q15-batch: the mean loss over N rows has
    dL/dYtilde = (Yhat - Y) / N."""
    Yt, Y = matrix_symbols("Ytilde", N, ny), matrix_symbols("Y", N, ny)
    rows = [list(Yt[n, :]) for n in range(N)]
    loss = (
        sum(
            cross_entropy_of_softmax(r, list(Y[n, :]))
            for n, r in enumerate(rows)
        )
        / N
    )
    Yhat = sp.Matrix([softmax_exprs(r) for r in rows])
    return gradient_identity(
        f"batch-softmax-ce-gradient-N{N}-ny{ny}",
        "q15-batch",
        r"\frac{\partial L}{\partial \tilde Y} = \frac{1}{N}(\hat Y - Y)",
        gradient_matrix(loss, Yt),
        batch_grad_ytilde_closed_form(Yhat, Y),
        target_constraint(Y, True),
        f"SymPy diff of the mean loss w.r.t. each of the {N * ny} logits, "
        f"N = {N}, n_y = {ny}, "
        "each target row summing to 1; cancel(residual) == 0 entry by entry",
    )


# --- questions 16 and 17 ----------------------------------------------------
# Every entry of each gradient, from the full scalar loss.

COLUMN_SIZES = (2, 3, 2)  # n_x, n_h, n_y of the symbolic column-form checks
# N, n_x, n_h, n_y of the symbolic batch-form checks
BATCH_SIZES = (2, 2, 2, 2)


def _column_method(wrt: str, sizes) -> str:
    nx, nh, ny = sizes
    return (
        f"SymPy diff of the full scalar loss w.r.t. each entry of {wrt} "
        f"(n_x = {nx}, n_h = {nh}, n_y = {ny}, targets summing to 1); "
        "cancel(residual) == 0"
    )


@cache
def output_weight_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q16-Wy: dl/dW_y,ij = (yhat_i - y_i) h_j, checked entry by entry."""
    net = symbolic_network(nx, nh, ny)
    delta_y = net.yhat - net.Y
    return gradient_identity(
        f"grad-Wy-column-{nx}-{nh}-{ny}",
        "q16-Wy",
        r"\frac{\partial \ell}{\partial W_y} = (\hat y - y)\, h^\top",
        gradient_matrix(net.loss, net.Wy),
        grad_Wy_closed_form(delta_y, net.h),
        net.on_simplex,
        _column_method("W_y", (nx, nh, ny)),
    )


@cache
def output_bias_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q16-by: dl/db_y = yhat - y."""
    net = symbolic_network(nx, nh, ny)
    return gradient_identity(
        f"grad-by-column-{nx}-{nh}-{ny}",
        "q16-by",
        r"\frac{\partial \ell}{\partial b_y} = \hat y - y",
        gradient_matrix(net.loss, net.by),
        grad_by_closed_form(net.yhat - net.Y),
        net.on_simplex,
        _column_method("b_y", (nx, nh, ny)),
    )


@cache
def hidden_preactivation_gradient(
    nx: int = 2, nh: int = 3, ny: int = 2
) -> Identity:
    """Eq. q17-htilde: dl/dhtilde = (W_y^T (yhat - y)) ⊙ (1 - h ⊙ h),
    htilde free symbols."""
    net = symbolic_network(nx, nh, ny, free_htilde=True)
    return gradient_identity(
        f"grad-htilde-column-{nh}-{ny}",
        "q17-htilde",
        r"\frac{\partial \ell}{\partial \tilde h} = "
        r"\big(W_y^\top(\hat y - y)\big)\odot(1 - h\odot h)",
        gradient_matrix(net.loss, net.htilde),
        grad_htilde_closed_form(net.Wy, net.yhat - net.Y, net.h),
        net.on_simplex,
        _column_method("htilde (free symbols)", (nx, nh, ny)),
    )


def _column_delta_h(net: SymbolicNetwork):
    return grad_htilde_closed_form(net.Wy, net.yhat - net.Y, net.h)


@cache
def hidden_weight_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q17-Wh: dl/dW_h = delta_h x^T with delta_h from eq. q17-htilde."""
    net = symbolic_network(nx, nh, ny)
    return gradient_identity(
        f"grad-Wh-column-{nx}-{nh}-{ny}",
        "q17-Wh",
        r"\frac{\partial \ell}{\partial W_h} = \delta_h\, x^\top",
        gradient_matrix(net.loss, net.Wh),
        grad_Wh_closed_form(_column_delta_h(net), net.X),
        net.on_simplex,
        _column_method("W_h", (nx, nh, ny)),
    )


@cache
def hidden_bias_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q17-bh: dl/db_h = delta_h."""
    net = symbolic_network(nx, nh, ny)
    return gradient_identity(
        f"grad-bh-column-{nx}-{nh}-{ny}",
        "q17-bh",
        r"\frac{\partial \ell}{\partial b_h} = \delta_h",
        gradient_matrix(net.loss, net.bh),
        grad_bh_closed_form(_column_delta_h(net)),
        net.on_simplex,
        _column_method("b_h", (nx, nh, ny)),
    )


def _batch_method(wrt: str, sizes) -> str:
    N, nx, nh, ny = sizes
    return (
        "SymPy diff of the mean loss of a symbolic batch w.r.t. "
        f"each entry of {wrt} "
        f"(N = {N}, n_x = {nx}, n_h = {nh}, n_y = {ny}, "
        "target rows summing to 1); "
        "cancel(residual) == 0"
    )


@cache
def batch_output_gradients(
    N: int = 2, nx: int = 2, nh: int = 2, ny: int = 2
) -> Identity:
    """Eq. q16-batch: dL/dW_y = Delta_y^T H and dL/db_y = 1^T Delta_y,
    Delta_y = (Yhat - Y)/N."""
    net = symbolic_batch_network(N, nx, nh, ny)
    Delta_y = batch_grad_ytilde_closed_form(net.yhat, net.Y)
    derivative = gradient_matrix(net.loss, net.Wy).row_join(
        gradient_matrix(net.loss, net.by)
    )
    claimed = batch_grad_Wy_closed_form(Delta_y, net.h).row_join(
        sp.Matrix(batch_grad_by_closed_form(Delta_y))
    )
    return gradient_identity(
        f"batch-grad-Wy-by-{N}-{nx}-{nh}-{ny}",
        "q16-batch",
        r"\frac{\partial L}{\partial W_y} = \Delta_y^\top H,\quad"
        r"\frac{\partial L}{\partial b_y} = \Delta_y^\top \mathbf 1",
        derivative,
        claimed,
        net.on_simplex,
        _batch_method("W_y and b_y", (N, nx, nh, ny)),
    )


@cache
def batch_hidden_gradients(
    N: int = 2, nx: int = 2, nh: int = 2, ny: int = 2
) -> Identity:
    """Eq. q17-batch: Delta_h = (Delta_y W_y) ⊙ (1 - H ⊙ H),
    dL/dW_h = Delta_h^T X, dL/db_h."""
    net = symbolic_batch_network(N, nx, nh, ny)
    Delta_y = batch_grad_ytilde_closed_form(net.yhat, net.Y)
    Delta_h = batch_grad_htilde_closed_form(net.Wy, Delta_y, net.h)
    derivative = gradient_matrix(net.loss, net.Wh).row_join(
        gradient_matrix(net.loss, net.bh)
    )
    claimed = batch_grad_Wh_closed_form(Delta_h, net.X).row_join(
        sp.Matrix(batch_grad_bh_closed_form(Delta_h))
    )
    return gradient_identity(
        f"batch-grad-Wh-bh-{N}-{nx}-{nh}-{ny}",
        "q17-batch",
        r"\frac{\partial L}{\partial W_h} = \Delta_h^\top X,\quad"
        r"\frac{\partial L}{\partial b_h} = \Delta_h^\top \mathbf 1",
        derivative,
        claimed,
        net.on_simplex,
        _batch_method("W_h and b_h", (N, nx, nh, ny)),
    )


def tanh_from_exponentials(x: sp.Symbol) -> sp.Expr:
    """tanh(x) = (e^x - e^-x) / (e^x + e^-x), the definition."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


@cache
def tanh_derivative() -> Identity:
    """d tanh(x)/dx = 1 - tanh(x)^2,
    derived from the definition by exponentials.

    SymPy differentiates the quotient of exponentials (quotient rule, no rule
    for tanh involved) and compares with the closed form applied to the same
    quotient.
    """
    x = sp.Symbol("x", real=True)
    t = tanh_from_exponentials(x)
    lhs = sp.diff(t, x)
    rhs = tanh_derivative_closed_form(t)
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
        f"{name}-ny{ny}": partial(builder, ny=ny)
        for ny in GRADIENT_CLASS_COUNTS
        for name, builder in (
            ("grad-Wy", output_weight_gradient),
            ("grad-by", output_bias_gradient),
            ("grad-htilde", hidden_preactivation_gradient),
            ("grad-Wh", hidden_weight_gradient),
            ("grad-bh", hidden_bias_gradient),
            ("batch-grad-Wy-by", batch_output_gradients),
            ("batch-grad-Wh-bh", batch_hidden_gradients),
        )
    },
}
