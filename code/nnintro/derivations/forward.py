"""Questions 3-7 identities: affine maps compose to an affine map; SoftMax;
column vs batch form.

The closed forms claimed by the book are module-level functions
(``*_closed_form``); each identity takes the ones it uses as keyword
arguments (defaulting to them), so a test can pass a wrong formula and watch
the verdict turn.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sympy as sp

from nnintro.derivations.core import Identity, is_zero, prove, symbol_vector
from nnintro.derivations.symbolic import (
    batch_forward_exprs,
    column_forward_exprs,
    softmax_exprs,
)

# --- closed forms the book claims --------------------------------------------


def affine_composition_closed_form(
    W1, b1, W2, b2
) -> tuple[sp.Matrix, sp.Matrix]:
    """Eq. affine-composition:
    W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)."""
    return W2 * W1, W2 * b1 + b2


def softmax_sum_closed_form(ytilde) -> sp.Expr:
    """Eq. softmax: the outputs of SoftMax sum to 1 whatever the logits."""
    return sp.Integer(1)


def softmax_jacobian_closed_form(yhat) -> sp.Matrix:
    """Eq. fwd-softmax-jacobian:
    d yhat_i / d ytilde_j = yhat_i ([i = j] - yhat_j)."""
    n = len(yhat)
    return sp.Matrix(n, n, lambda i, j: yhat[i] * (int(i == j) - yhat[j]))


def softmax_two_class_closed_form(ytilde1, ytilde2) -> sp.Expr:
    """Eq. softmax-sigmoid:
    for two classes yhat_1 = sigma(ytilde_1 - ytilde_2)."""
    return 1 / (1 + sp.exp(-(ytilde1 - ytilde2)))


# --- identities --------------------------------------------------------------


@cache
def affine_composition(
    n_in: int = 2,
    n_mid: int = 3,
    n_out: int = 2,
    *,
    affine_composition_closed_form=affine_composition_closed_form,
) -> Identity:
    """Two affine maps with general symbolic matrices compose to one affine map
    (no activation)."""
    x = sp.Matrix(symbol_vector("x", n_in, real=True))
    W1 = sp.Matrix(sp.MatrixSymbol("A", n_mid, n_in))
    b1 = sp.Matrix(symbol_vector("a", n_mid, real=True))
    W2 = sp.Matrix(sp.MatrixSymbol("B", n_out, n_mid))
    b2 = sp.Matrix(symbol_vector("b", n_out, real=True))
    lhs = W2 * (W1 * x + b1) + b2
    W, b = affine_composition_closed_form(W1, b1, W2, b2)
    rhs = W * x + b
    return prove(
        name=f"affine-composition-{n_in}-{n_mid}-{n_out}",
        label="affine-composition",
        statement=r"W_2(W_1 x + b_1) + b_2 = (W_2W_1)\,x + (W_2 b_1 + b_2)",
        method="SymPy expand, entry by entry, "
        f"symbolic {n_mid}x{n_in} and {n_out}x{n_mid} matrices",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.expand,
    )


@cache
def softmax_sums_to_one(
    ny: int = 3, *, softmax_sum_closed_form=softmax_sum_closed_form
) -> Identity:
    """sum_i SoftMax(ytilde)_i = 1 for free real logits."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    lhs = sum(softmax_exprs(ytilde))
    rhs = softmax_sum_closed_form(ytilde)
    return prove(
        name=f"softmax-sums-to-one-ny{ny}",
        label="softmax",
        statement=r"\sum_i \hat y_i = 1",
        method=f"SymPy simplify(sum - 1) == 0, n_y = {ny}",
        lhs=lhs,
        rhs=rhs,
    )


@cache
def softmax_shift_invariance(ny: int = 3) -> Identity:
    """SoftMax(ytilde + c) = SoftMax(ytilde) for every real constant c,
    entry by entry."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    c = sp.Symbol("c", real=True)
    lhs = sp.Matrix(softmax_exprs([t + c for t in ytilde]))
    rhs = sp.Matrix(softmax_exprs(ytilde))
    return prove(
        name=f"softmax-shift-invariance-ny{ny}",
        label="softmax",
        statement=r"\mathrm{SoftMax}(\tilde y + c\mathbf 1) = "
        r"\mathrm{SoftMax}(\tilde y)",
        method=f"SymPy simplify entry by entry, n_y = {ny}, "
        "c a free real symbol",
        lhs=lhs,
        rhs=rhs,
        reduce=sp.simplify,
    )


@cache
def softmax_jacobian(
    ny: int = 3, *, softmax_jacobian_closed_form=softmax_jacobian_closed_form
) -> Identity:
    """The Jacobian of SoftMax is diag(yhat) - yhat yhat^T: positive diagonal,
    so monotone."""
    ytilde = symbol_vector("ytilde", ny, real=True)
    yhat = softmax_exprs(ytilde)
    lhs = sp.Matrix(ny, ny, lambda i, j: sp.diff(yhat[i], ytilde[j]))
    rhs = softmax_jacobian_closed_form(yhat)
    residual = (lhs - rhs).applyfunc(sp.simplify)
    # monotone: each diagonal entry yhat_i (1 - yhat_i) is a product of
    # numbers in (0, 1)
    diagonal_positive = all(
        sp.simplify(rhs[i, i] - yhat[i] * (1 - yhat[i])) == 0
        and yhat[i].is_positive
        for i in range(ny)
    )
    return Identity(
        name=f"softmax-jacobian-ny{ny}",
        label="fwd-softmax-jacobian",
        statement=r"\frac{\partial \hat y_i}{\partial \tilde y_j} = "
        r"\hat y_i([i = j] - \hat y_j)",
        method=f"SymPy diff and simplify entry by entry, n_y = {ny}; "
        "diagonal yhat_i(1 - yhat_i) > 0",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=residual == sp.zeros(ny, ny) and diagonal_positive,
    )


@cache
def softmax_two_classes_is_sigmoid(
    *, softmax_two_class_closed_form=softmax_two_class_closed_form
) -> Identity:
    """With two classes, SoftMax(ytilde)_1 is the logistic sigmoid of
    ytilde_1 - ytilde_2."""
    t1, t2 = symbol_vector("ytilde", 2, real=True)
    lhs = softmax_exprs([t1, t2])[0]
    rhs = softmax_two_class_closed_form(t1, t2)
    return prove(
        name="softmax-two-classes-sigmoid",
        label="softmax-sigmoid",
        statement=r"\frac{e^{\tilde y_1}}{e^{\tilde y_1} + e^{\tilde y_2}}"
        r" = \sigma(\tilde y_1 - \tilde y_2) = "
        r"\frac{1}{1 + e^{-(\tilde y_1 - \tilde y_2)}}",
        method="SymPy simplify(lhs - rhs) == 0",
        lhs=lhs,
        rhs=rhs,
    )


@cache
def batch_rows_are_columns(
    N: int = 2,
    nx: int = 2,
    nh: int = 2,
    ny: int = 2,
    *,
    batch_forward_exprs=batch_forward_exprs,
) -> Identity:
    """Row n of the batch form equals the transposed column form of example
    x_n, exactly: the package's ``forward`` against its ``column_forward``."""
    X = sp.Matrix(sp.MatrixSymbol("X", N, nx))
    Wh = sp.Matrix(sp.MatrixSymbol("W_h", nh, nx))
    bh = sp.Matrix(symbol_vector("b_h", nh, real=True))
    Wy = sp.Matrix(sp.MatrixSymbol("W_y", ny, nh))
    by = sp.Matrix(symbol_vector("b_y", ny, real=True))
    batch = batch_forward_exprs(X, Wh, bh, Wy, by)["ytilde"]
    columns = [
        column_forward_exprs(X[n, :].T, Wh, bh, Wy, by)["ytilde"].T
        for n in range(N)
    ]
    stacked = sp.Matrix.vstack(*columns)
    residual = (batch - stacked).applyfunc(sp.expand)
    return Identity(
        name=f"batch-rows-are-columns-N{N}-{nx}-{nh}-{ny}",
        label="fwd-batch",
        statement=r"\big(\tilde H W_y^\top + \mathbf 1 b_y^\top\big)_{n,:}"
        r" = \big(W_y \tanh(W_h x_n + b_h) + b_y\big)^\top",
        method=f"SymPy, symbolic X ({N}x{nx}), W_h ({nh}x{nx}), "
        f"W_y ({ny}x{nh}), biases",
        lhs=batch,
        rhs=stacked,
        residual=residual,
        holds=is_zero(residual),
    )


def column_forward_as_written(x, Wh, bh, Wy, by) -> dict[str, sp.Matrix]:
    """Eq. fwd-column written out with SymPy's matrices, line by line."""
    htilde = Wh * x + bh
    h = htilde.applyfunc(sp.tanh)
    return {"htilde": htilde, "h": h, "ytilde": Wy * h + by}


@cache
def column_form_is_the_equation(
    nx: int = 2,
    nh: int = 3,
    ny: int = 2,
    *,
    column_forward_exprs=column_forward_exprs,
) -> Identity:
    """The package's ``column_forward``, run on symbols, computes eq.
    fwd-column as the book writes it: every intermediate, exactly."""
    x = sp.Matrix(symbol_vector("x", nx, real=True))
    Wh = sp.Matrix(sp.MatrixSymbol("W_h", nh, nx))
    bh = sp.Matrix(symbol_vector("b_h", nh, real=True))
    Wy = sp.Matrix(sp.MatrixSymbol("W_y", ny, nh))
    by = sp.Matrix(symbol_vector("b_y", ny, real=True))
    code = column_forward_exprs(x, Wh, bh, Wy, by)
    book = column_forward_as_written(x, Wh, bh, Wy, by)
    keys = ("htilde", "h", "ytilde")
    lhs = sp.Matrix.vstack(*(code[k] for k in keys))
    rhs = sp.Matrix.vstack(*(book[k] for k in keys))
    residual = (lhs - rhs).applyfunc(sp.expand)
    return Identity(
        name=f"column-form-is-the-equation-{nx}-{nh}-{ny}",
        label="fwd-column",
        statement=r"\tilde h = W_h x + b_h,\ h = \tanh(\tilde h),\ "
        r"\tilde y = W_y h + b_y\ \text{(column\_forward)}",
        method=f"SymPy, symbolic x ({nx}), W_h ({nh}x{nx}), W_y ({ny}x{nh}),"
        " biases",
        lhs=lhs,
        rhs=rhs,
        residual=residual,
        holds=is_zero(residual),
    )


#: The identities of this module, in the order of the ledger.
IDENTITIES: dict[str, Callable[[], Identity]] = {
    "affine-composition": affine_composition,
    "softmax-sums-to-one": softmax_sums_to_one,
    "softmax-shift-invariance": softmax_shift_invariance,
    "softmax-jacobian": softmax_jacobian,
    "softmax-two-classes-sigmoid": softmax_two_classes_is_sigmoid,
    "column-form-is-the-equation": column_form_is_the_equation,
    "batch-rows-are-columns": batch_rows_are_columns,
}
