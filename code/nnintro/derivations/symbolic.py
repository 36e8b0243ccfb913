"""The symbolic network, built once for every topic: the forward pass in column
and batch form as SymPy matrices, SoftMax, the cross-entropy, and the full
network with its scalar loss."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nnintro.derivations.core import matrix_symbols, symbol_vector


def softmax_exprs(ytilde: list[sp.Expr]) -> list[sp.Expr]:
    """yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j) as SymPy expressions."""
    total = sum(sp.exp(t) for t in ytilde)
    return [sp.exp(t) / total for t in ytilde]


def cross_entropy_of_softmax(ytilde, y) -> sp.Expr:
    """l = -sum_i y_i log SoftMax(ytilde)_i, with each log expanded."""
    return -sum(
        y_i * sp.expand_log(sp.log(p), force=True)
        for y_i, p in zip(y, softmax_exprs(ytilde))
    )


def batch_forward_exprs(X, Wh, bh, Wy, by) -> dict[str, sp.Matrix]:
    """Eq. fwd-batch as SymPy matrices: H~ = X Wh^T + 1 bh^T, H = tanh(H~),
    Y~ = H Wy^T + 1 by^T."""
    ones = sp.ones(X.rows, 1)
    htilde = X * Wh.T + ones * bh.T
    h = htilde.applyfunc(sp.tanh)
    ytilde = h * Wy.T + ones * by.T
    return {"htilde": htilde, "h": h, "ytilde": ytilde}


def column_forward_exprs(x, Wh, bh, Wy, by) -> dict[str, sp.Matrix]:
    """Eq. fwd-column as SymPy matrices: h~ = Wh x + bh, h = tanh(h~),
    y~ = Wy h + by."""
    htilde = Wh * x + bh
    h = htilde.applyfunc(sp.tanh)
    ytilde = Wy * h + by
    return {"htilde": htilde, "h": h, "ytilde": ytilde}


# --- the symbolic network ----------------------------------------------------


@dataclass(frozen=True)
class SymbolicNetwork:
    """Every quantity of the network as SymPy matrices, and the scalar loss.

    Column form from :func:`symbolic_network` (vectors are columns), batch
    form from :func:`symbolic_batch_network` (rows are examples, and the loss
    is the mean over the rows). The targets
    are free symbols; ``on_simplex`` is the substitution that makes every
    target vector sum to 1.
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


def target_constraint(Y: sp.Matrix, batch: bool) -> dict:
    """Eliminate the last target of each example:
    y_ny = 1 - (y_1 + ... + y_{ny-1})."""
    rows = [Y[r, :] for r in range(Y.shape[0])] if batch else [Y.T]
    return {row[-1]: 1 - sum(list(row)[:-1]) for row in rows}


def parameter_symbols(nx: int, nh: int, ny: int) -> tuple[sp.Matrix, ...]:
    """W_h, b_h, W_y, b_y as symbolic matrices (the biases as columns)."""
    return (
        matrix_symbols("W_h", nh, nx),
        sp.Matrix(symbol_vector("b_h", nh, real=True)),
        matrix_symbols("W_y", ny, nh),
        sp.Matrix(symbol_vector("b_y", ny, real=True)),
    )


def symbolic_network(
    nx: int, nh: int, ny: int, *, free_htilde: bool = False
) -> SymbolicNetwork:
    """One example in column form,
    l = -sum_i y_i log SoftMax(W_y tanh(W_h x + b_h) + b_y)_i.

    With ``free_htilde`` the pre-activations are free symbols
    (to differentiate with respect to them) and x, W_h, b_h play no part.
    """
    x = sp.Matrix(symbol_vector("x", nx, real=True))
    y = sp.Matrix(symbol_vector("y", ny, real=True))
    Wh, bh, Wy, by = parameter_symbols(nx, nh, ny)
    if free_htilde:
        htilde = sp.Matrix(symbol_vector("htilde", nh, real=True))
        h = htilde.applyfunc(sp.tanh)
        ytilde = Wy @ h + by
    else:
        htilde, h, ytilde = column_forward_exprs(x, Wh, bh, Wy, by).values()
    return SymbolicNetwork(
        X=x,
        Wh=Wh,
        bh=bh,
        Wy=Wy,
        by=by,
        Y=y,
        htilde=htilde,
        h=h,
        ytilde=ytilde,
        yhat=sp.Matrix(softmax_exprs(list(ytilde))),
        loss=cross_entropy_of_softmax(list(ytilde), list(y)),
        on_simplex=target_constraint(y, False),
    )


def symbolic_batch_network(
    N: int, nx: int, nh: int, ny: int
) -> SymbolicNetwork:
    """A batch of N examples in row form,
    L = (1/N) sum_n l_n (eq. q15-batch)."""
    X, Y = matrix_symbols("X", N, nx), matrix_symbols("Y", N, ny)
    Wh, bh, Wy, by = parameter_symbols(nx, nh, ny)
    htilde, h, ytilde = batch_forward_exprs(X, Wh, bh, Wy, by).values()
    rows = [list(ytilde[n, :]) for n in range(N)]
    losses = [
        cross_entropy_of_softmax(r, list(Y[n, :])) for n, r in enumerate(rows)
    ]
    return SymbolicNetwork(
        X=X,
        Wh=Wh,
        bh=bh,
        Wy=Wy,
        by=by,
        Y=Y,
        htilde=htilde,
        h=h,
        ytilde=ytilde,
        yhat=sp.Matrix([softmax_exprs(r) for r in rows]),
        loss=sum(losses) / N,
        on_simplex=target_constraint(Y, True),
    )
