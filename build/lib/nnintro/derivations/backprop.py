"""Question 14-17 identities: the SoftMax + cross-entropy simplification and the gradients.

The closed forms claimed by the book are module-level functions (``*_closed_form``), so a test can
replace one with a wrong formula and watch the verdict turn. The gradient closed forms use only
``@``, ``.T``, ``-``, ``/`` and the helpers :func:`hadamard`, :func:`one_minus_square` and
:func:`column_sums`, so the same function works on SymPy matrices (the proofs) and on torch
tensors (the numerical checks against autograd).

Column form (one example): ``x`` n_x x 1, ``h`` n_h x 1, ``y`` n_y x 1. Batch (row) form: ``X`` is
N x n_x, ``H`` N x n_h, ``Y`` N x n_y, and the loss is the mean over the N rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import sympy as sp

from nnintro.derivations.core import (
    Identity,
    cross_entropy_of_softmax,
    softmax_exprs,
    symbol_vector,
)

# --- backend-agnostic matrix helpers (SymPy matrices or torch tensors) -------------------------


def hadamard(a, b):
    """Entrywise product a ⊙ b."""
    return a.multiply_elementwise(b) if isinstance(a, sp.MatrixBase) else a * b


def one_minus_square(h):
    """1 - h ⊙ h entrywise: tanh'(htilde) written with h = tanh(htilde) (eq. tanh-derivative)."""
    return h.applyfunc(lambda v: 1 - v**2) if isinstance(h, sp.MatrixBase) else 1 - h**2


def column_sums(M):
    """The sum of the rows of M (1^T M): a column for SymPy, a 1-D tensor for torch."""
    if isinstance(M, sp.MatrixBase):
        return sp.Matrix([sum(M[:, j]) for j in range(M.shape[1])])
    return M.sum(dim=0)


# --- closed forms the book claims -------------------------------------------------------------


def simplified_cross_entropy_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-simplified: l = -sum_i y_i ytilde_i + log sum_j exp(ytilde_j)."""
    return -sum(y_i * t for y_i, t in zip(y, ytilde)) + sp.log(sum(sp.exp(t) for t in ytilde))


def simplification_residual_closed_form(ytilde, y) -> sp.Expr:
    """Eq. q14-residual: CE(SoftMax) - simplified form = (sum_i y_i - 1) log sum_j exp(ytilde_j)."""
    return (sum(y) - 1) * sp.log(sum(sp.exp(t) for t in ytilde))


def grad_ytilde_closed_form(yhat, y) -> list[sp.Expr]:
    """Eq. q15-grad: dl/dytilde = yhat - y (targets summing to 1)."""
    return [p - t for p, t in zip(yhat, y)]


def tanh_derivative_closed_form(x) -> sp.Expr:
    """Eq. tanh-derivative: tanh'(x) = 1 - tanh(x)^2."""
    return 1 - sp.tanh(x) ** 2


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
    """Eq. q15-batch: dL/dYtilde = (Yhat - Y) / N for the mean loss L over N rows."""
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


# --- the symbolic network -----------------------------------------------------------------------


def matrix_symbols(name: str, rows: int, cols: int) -> sp.Matrix:
    """A rows x cols matrix of real symbols name_ij (1-based)."""
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


@dataclass(frozen=True)
class SymbolicNetwork:
    """Every quantity of the network as SymPy matrices, and the scalar loss.

    Column form when ``N`` is None (vectors are columns), batch form otherwise (rows are examples,
    and the loss is the mean over the rows). The targets are free symbols; ``on_simplex`` is the
    substitution that makes every target vector sum to 1.
    """

    X: sp.Matrix
    Wh: sp.Matrix
    bh: sp.Matrix
    Wy: sp.Matrix
    by: sp.Matrix
    Y: sp.Matrix
    htilde: sp.Matrix
    h: sp.Matrix
    ytilde: sp.Matrix
    yhat: sp.Matrix
    loss: sp.Expr
    on_simplex: dict


def _target_constraint(Y: sp.Matrix, batch: bool) -> dict:
    """Eliminate the last target of each example: y_ny = 1 - (y_1 + ... + y_{ny-1})."""
    rows = [Y[r, :] for r in range(Y.shape[0])] if batch else [Y.T]
    return {row[-1]: 1 - sum(list(row)[:-1]) for row in rows}


def symbolic_network(nx: int, nh: int, ny: int, *, free_htilde: bool = False) -> SymbolicNetwork:
    """One example in column form, l = -sum_i y_i log SoftMax(W_y tanh(W_h x + b_h) + b_y)_i.

    With ``free_htilde`` the pre-activations are free symbols (to differentiate with respect to
    them) and x, W_h, b_h play no part.
    """
    x = sp.Matrix(symbol_vector("x", nx, real=True))
    Wh, bh = matrix_symbols("W_h", nh, nx), sp.Matrix(symbol_vector("b_h", nh, real=True))
    Wy, by = matrix_symbols("W_y", ny, nh), sp.Matrix(symbol_vector("b_y", ny, real=True))
    y = sp.Matrix(symbol_vector("y", ny, real=True))
    htilde = sp.Matrix(symbol_vector("htilde", nh, real=True)) if free_htilde else Wh @ x + bh
    h = htilde.applyfunc(sp.tanh)
    ytilde = Wy @ h + by
    yhat = sp.Matrix(softmax_exprs(list(ytilde)))
    loss = cross_entropy_of_softmax(list(ytilde), list(y))
    return SymbolicNetwork(
        x, Wh, bh, Wy, by, y, htilde, h, ytilde, yhat, loss, _target_constraint(y, False)
    )


def symbolic_batch_network(N: int, nx: int, nh: int, ny: int) -> SymbolicNetwork:
    """A batch of N examples in row form, L = (1/N) sum_n l_n (eq. q15-batch)."""
    X, Y = matrix_symbols("X", N, nx), matrix_symbols("Y", N, ny)
    Wh, bh = matrix_symbols("W_h", nh, nx), sp.Matrix(symbol_vector("b_h", nh, real=True))
    Wy, by = matrix_symbols("W_y", ny, nh), sp.Matrix(symbol_vector("b_y", ny, real=True))
    ones = sp.ones(N, 1)
    htilde = X @ Wh.T + ones @ bh.T
    h = htilde.applyfunc(sp.tanh)
    ytilde = h @ Wy.T + ones @ by.T
    rows = [list(ytilde[n, :]) for n in range(N)]
    yhat = sp.Matrix([softmax_exprs(r) for r in rows])
    loss = sum(cross_entropy_of_softmax(r, list(Y[n, :])) for n, r in enumerate(rows)) / N
    return SymbolicNetwork(
        X, Wh, bh, Wy, by, Y, htilde, h, ytilde, yhat, loss, _target_constraint(Y, True)
    )


def gradient_matrix(loss: sp.Expr, wrt: sp.Matrix) -> sp.Matrix:
    """SymPy's derivative of the scalar ``loss`` with respect to each entry of ``wrt``."""
    return wrt.applyfunc(lambda v: sp.diff(loss, v))


def atoms_as_symbols(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each tanh(...) and then each exp(...) replaced by a fresh symbol.

    An expression that becomes identically 0 after the replacement was identically 0 before
    (substituting the functions back into 0 gives 0); the replacement only makes ``cancel`` fast.
    """
    tanhs = sorted(expr.atoms(sp.tanh), key=sp.default_sort_key)
    expr = expr.xreplace({a: sp.Dummy(f"t{i}") for i, a in enumerate(tanhs)})
    exps = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    return expr.xreplace({a: sp.Dummy(f"e{i}", positive=True) for i, a in enumerate(exps)})


def entrywise_residual(derivative: sp.Matrix, claimed, on_simplex: dict) -> sp.Matrix:
    """derivative - claimed, entry by entry, on the simplex, reduced to lowest terms.

    Each entry is a rational function of the symbols, the exponentials and the tanh's; ``cancel``
    brings it to lowest terms, so an entry that comes out 0 is identically 0 (a proof, not a sample).
    """
    return (derivative - sp.Matrix(claimed)).applyfunc(
        lambda e: sp.cancel(atoms_as_symbols(sp.expand_log(e.subs(on_simplex), force=True)))
    )


def _gradient_identity(name, label, statement, derivative, claimed, on_simplex, method):
    claimed = sp.Matrix(claimed)
    if claimed.shape != derivative.shape:  # a gradient has the shape of its variable
        mismatch = sp.Symbol(f"shape_{claimed.shape}_instead_of_{derivative.shape}")
        return Identity(name, label, statement, method, derivative, claimed, mismatch, False)
    residual = entrywise_residual(derivative, claimed, on_simplex)
    return Identity(
        name=name,
        label=label,
        statement=statement,
        method=method,
        lhs=derivative,
        rhs=claimed,
        residual=residual,
        holds=residual.is_zero_matrix is True,
    )


# --- question 14 --------------------------------------------------------------------------------


def softmax_ce_simplification(ny: int = 3) -> Identity:
    """The CE of the SoftMax minus the simplified form equals the claimed residual, exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    lhs = cross_entropy_of_softmax(ytilde, y) - simplified_cross_entropy_closed_form(ytilde, y)
    rhs = simplification_residual_closed_form(ytilde, y)
    residual = sp.simplify(lhs - rhs)
    return Identity(
        name=f"softmax-ce-simplification-ny{ny}",
        label="q14-residual",
        statement=r"-\sum_i y_i\log\hat y_i - \Big(-\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}\Big)"
        r" = \Big(\sum_i y_i - 1\Big)\log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify(lhs - rhs) == 0, n_y = {ny}, y and ytilde free real symbols",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


def softmax_ce_simplification_any_ny() -> Identity:
    """Eq. q14-residual for a symbolic number of classes n (sums as SymPy ``Sum`` objects).

    S stands for sum_j exp(ytilde_j) > 0; log(exp(ytilde_i)/S) = ytilde_i - log S for real ytilde_i.
    """
    n = sp.Symbol("n_y", integer=True, positive=True)
    i = sp.Symbol("i", integer=True, positive=True)
    t, y = sp.IndexedBase("ytilde", real=True), sp.IndexedBase("y", real=True)
    S = sp.Symbol("S", positive=True)
    ce = -sp.Sum(y[i] * sp.log(sp.exp(t[i]) / S), (i, 1, n))
    simplified = -sp.Sum(y[i] * t[i], (i, 1, n)) + sp.log(S)
    lhs = ce - simplified
    rhs = (sp.Sum(y[i], (i, 1, n)) - 1) * sp.log(S)
    residual = sp.simplify(sp.expand(sp.expand_log(lhs - rhs, force=True)))
    return Identity(
        name="softmax-ce-simplification-any-ny",
        label="q14-residual",
        statement=r"\text{as above, for a symbolic number of classes } n_y",
        method="SymPy Sum over i = 1..n_y with n_y a symbol: expand_log, expand, simplify == 0",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


def softmax_ce_simplification_one_hot(ny: int = 3) -> Identity:
    """For every one-hot target the simplified form equals the CE of the SoftMax exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    residuals = []
    for k in range(ny):
        y = [sp.Integer(int(i == k)) for i in range(ny)]
        diff = cross_entropy_of_softmax(ytilde, y) - simplified_cross_entropy_closed_form(ytilde, y)
        residuals.append(sp.simplify(diff))
    residual = sp.Matrix(residuals)
    return Identity(
        name=f"softmax-ce-one-hot-ny{ny}",
        label="q14-simplified",
        statement=r"-\sum_i y_i\log\hat y_i = -\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify for each of the {ny} one-hot targets",
        lhs=sp.Matrix([0] * ny),
        rhs=sp.Matrix([0] * ny),
        residual=residual,
        holds=all(r == 0 for r in residuals),
    )


def softmax_ce_simplification_probability_vector(ny: int = 3) -> Identity:
    """Eq. q14-simplified for any target vector summing to 1 (e.g. smoothed labels), exactly."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    y = symbol_vector("y", ny, real=True)
    on_simplex = {y[-1]: 1 - sum(y[:-1])}
    lhs = cross_entropy_of_softmax(ytilde, y).subs(on_simplex)
    rhs = simplified_cross_entropy_closed_form(ytilde, y).subs(on_simplex)
    residual = sp.simplify(lhs - rhs)
    return Identity(
        name=f"softmax-ce-probability-targets-ny{ny}",
        label="q14-simplified",
        statement=r"\sum_i y_i = 1 \implies -\sum_i y_i\log\hat y_i"
        r" = -\sum_i y_i\tilde y_i + \log\sum_j e^{\tilde y_j}",
        method=f"SymPy simplify with y_{ny} = 1 - (y_1 + ... + y_{ny - 1}), n_y = {ny}",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


# --- question 15 --------------------------------------------------------------------------------


def softmax_ce_gradient(ny: int = 3) -> Identity:
    """dl/dytilde_j of CE(SoftMax) equals yhat_j - y_j once the targets sum to 1."""
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
        statement=r"\frac{\partial \ell}{\partial \tilde y_j} = \hat y_j - y_j",
        method=f"SymPy diff of the scalar loss, n_y = {ny}, targets constrained to sum to 1",
        lhs=derivative,
        rhs=claimed,
        residual=residual,
        holds=residual == sp.zeros(ny, 1),
    )


def batch_softmax_ce_gradient(N: int = 2, ny: int = 3) -> Identity:
    """Eq. q15-batch: the mean loss over N rows has dL/dYtilde = (Yhat - Y) / N."""
    Yt, Y = matrix_symbols("Ytilde", N, ny), matrix_symbols("Y", N, ny)
    rows = [list(Yt[n, :]) for n in range(N)]
    loss = sum(cross_entropy_of_softmax(r, list(Y[n, :])) for n, r in enumerate(rows)) / N
    Yhat = sp.Matrix([softmax_exprs(r) for r in rows])
    return _gradient_identity(
        f"batch-softmax-ce-gradient-N{N}-ny{ny}",
        "q15-batch",
        r"\frac{\partial L}{\partial \tilde Y} = \frac{1}{N}(\hat Y - Y)",
        gradient_matrix(loss, Yt),
        batch_grad_ytilde_closed_form(Yhat, Y),
        _target_constraint(Y, True),
        f"SymPy diff of the mean loss w.r.t. each of the {N * ny} logits, N = {N}, n_y = {ny}, "
        "each target row summing to 1; cancel(residual) == 0 entry by entry",
    )


# --- questions 16 and 17: every entry of each gradient, from the full scalar loss ---------------

COLUMN_SIZES = (2, 3, 2)  # n_x, n_h, n_y of the symbolic column-form checks
BATCH_SIZES = (2, 2, 2, 2)  # N, n_x, n_h, n_y of the symbolic batch-form checks


def _column_method(wrt: str, sizes) -> str:
    nx, nh, ny = sizes
    return (
        f"SymPy diff of the full scalar loss w.r.t. each entry of {wrt} "
        f"(n_x = {nx}, n_h = {nh}, n_y = {ny}, targets summing to 1); cancel(residual) == 0"
    )


def output_weight_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q16-Wy: dl/dW_y,ij = (yhat_i - y_i) h_j, checked entry by entry."""
    net = symbolic_network(nx, nh, ny)
    delta_y = net.yhat - net.Y
    return _gradient_identity(
        f"grad-Wy-column-{nx}-{nh}-{ny}",
        "q16-Wy",
        r"\frac{\partial \ell}{\partial W_y} = (\hat y - y)\, h^\top",
        gradient_matrix(net.loss, net.Wy),
        grad_Wy_closed_form(delta_y, net.h),
        net.on_simplex,
        _column_method("W_y", (nx, nh, ny)),
    )


def output_bias_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q16-by: dl/db_y = yhat - y."""
    net = symbolic_network(nx, nh, ny)
    return _gradient_identity(
        f"grad-by-column-{nx}-{nh}-{ny}",
        "q16-by",
        r"\frac{\partial \ell}{\partial b_y} = \hat y - y",
        gradient_matrix(net.loss, net.by),
        grad_by_closed_form(net.yhat - net.Y),
        net.on_simplex,
        _column_method("b_y", (nx, nh, ny)),
    )


def hidden_preactivation_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q17-htilde: dl/dhtilde = (W_y^T (yhat - y)) ⊙ (1 - h ⊙ h), htilde free symbols."""
    net = symbolic_network(nx, nh, ny, free_htilde=True)
    return _gradient_identity(
        f"grad-htilde-column-{nh}-{ny}",
        "q17-htilde",
        r"\frac{\partial \ell}{\partial \tilde h} = \big(W_y^\top(\hat y - y)\big)\odot(1 - h\odot h)",
        gradient_matrix(net.loss, net.htilde),
        grad_htilde_closed_form(net.Wy, net.yhat - net.Y, net.h),
        net.on_simplex,
        _column_method("htilde (free symbols)", (nx, nh, ny)),
    )


def _column_delta_h(net: SymbolicNetwork):
    return grad_htilde_closed_form(net.Wy, net.yhat - net.Y, net.h)


def hidden_weight_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q17-Wh: dl/dW_h = delta_h x^T with delta_h from eq. q17-htilde."""
    net = symbolic_network(nx, nh, ny)
    return _gradient_identity(
        f"grad-Wh-column-{nx}-{nh}-{ny}",
        "q17-Wh",
        r"\frac{\partial \ell}{\partial W_h} = \delta_h\, x^\top",
        gradient_matrix(net.loss, net.Wh),
        grad_Wh_closed_form(_column_delta_h(net), net.X),
        net.on_simplex,
        _column_method("W_h", (nx, nh, ny)),
    )


def hidden_bias_gradient(nx: int = 2, nh: int = 3, ny: int = 2) -> Identity:
    """Eq. q17-bh: dl/db_h = delta_h."""
    net = symbolic_network(nx, nh, ny)
    return _gradient_identity(
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
        f"SymPy diff of the mean loss of a symbolic batch w.r.t. each entry of {wrt} "
        f"(N = {N}, n_x = {nx}, n_h = {nh}, n_y = {ny}, target rows summing to 1); "
        "cancel(residual) == 0"
    )


def batch_output_gradients(N: int = 2, nx: int = 2, nh: int = 2, ny: int = 2) -> Identity:
    """Eq. q16-batch: dL/dW_y = Delta_y^T H and dL/db_y = 1^T Delta_y, Delta_y = (Yhat - Y)/N."""
    net = symbolic_batch_network(N, nx, nh, ny)
    Delta_y = batch_grad_ytilde_closed_form(net.yhat, net.Y)
    derivative = gradient_matrix(net.loss, net.Wy).row_join(gradient_matrix(net.loss, net.by))
    claimed = batch_grad_Wy_closed_form(Delta_y, net.h).row_join(
        sp.Matrix(batch_grad_by_closed_form(Delta_y))
    )
    return _gradient_identity(
        f"batch-grad-Wy-by-{N}-{nx}-{nh}-{ny}",
        "q16-batch",
        r"\frac{\partial L}{\partial W_y} = \Delta_y^\top H,\quad"
        r"\frac{\partial L}{\partial b_y} = \Delta_y^\top \mathbf 1",
        derivative,
        claimed,
        net.on_simplex,
        _batch_method("W_y and b_y", (N, nx, nh, ny)),
    )


def batch_hidden_gradients(N: int = 2, nx: int = 2, nh: int = 2, ny: int = 2) -> Identity:
    """Eq. q17-batch: Delta_h = (Delta_y W_y) ⊙ (1 - H ⊙ H), dL/dW_h = Delta_h^T X, dL/db_h."""
    net = symbolic_batch_network(N, nx, nh, ny)
    Delta_y = batch_grad_ytilde_closed_form(net.yhat, net.Y)
    Delta_h = batch_grad_htilde_closed_form(net.Wy, Delta_y, net.h)
    derivative = gradient_matrix(net.loss, net.Wh).row_join(gradient_matrix(net.loss, net.bh))
    claimed = batch_grad_Wh_closed_form(Delta_h, net.X).row_join(
        sp.Matrix(batch_grad_bh_closed_form(Delta_h))
    )
    return _gradient_identity(
        f"batch-grad-Wh-bh-{N}-{nx}-{nh}-{ny}",
        "q17-batch",
        r"\frac{\partial L}{\partial W_h} = \Delta_h^\top X,\quad"
        r"\frac{\partial L}{\partial b_h} = \Delta_h^\top \mathbf 1",
        derivative,
        claimed,
        net.on_simplex,
        _batch_method("W_h and b_h", (N, nx, nh, ny)),
    )


def tanh_derivative() -> Identity:
    """d tanh(x)/dx = 1 - tanh(x)^2."""
    x = sp.Symbol("x", real=True)
    lhs = sp.diff(sp.tanh(x), x)
    rhs = tanh_derivative_closed_form(x)
    residual = sp.simplify(lhs - rhs)
    return Identity(
        name="tanh-derivative",
        label="tanh-derivative",
        statement=r"\tanh'(x) = 1 - \tanh^2(x)",
        method="SymPy simplify(diff(tanh(x), x) - (1 - tanh(x)**2)) == 0",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == 0,
    )


#: Numbers of classes for which eq. q14-residual is proved with explicit symbols.
Q14_CLASS_COUNTS = (2, 3, 4, 5)

#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    **{
        f"softmax-ce-simplification-ny{ny}": partial(softmax_ce_simplification, ny)
        for ny in Q14_CLASS_COUNTS
    },
    "softmax-ce-simplification-any-ny": softmax_ce_simplification_any_ny,
    "softmax-ce-one-hot": softmax_ce_simplification_one_hot,
    "softmax-ce-probability-targets": softmax_ce_simplification_probability_vector,
    "softmax-ce-gradient": softmax_ce_gradient,
    "batch-softmax-ce-gradient": batch_softmax_ce_gradient,
    "tanh-derivative": tanh_derivative,
    "grad-Wy": output_weight_gradient,
    "grad-by": output_bias_gradient,
    "grad-htilde": hidden_preactivation_gradient,
    "grad-Wh": hidden_weight_gradient,
    "grad-bh": hidden_bias_gradient,
    "batch-grad-Wy-by": batch_output_gradients,
    "batch-grad-Wh-bh": batch_hidden_gradients,
}
