"""The closed form of each step of backpropagation, written once.

Questions 15 to 17 derive them; :func:`nnintro.network.backward` calls them,
one line per step, and :mod:`nnintro.derivations.backprop` proves them by
running that same ``backward`` on symbolic tensors. Each closed form uses
only operations that torch tensors and
:class:`nnintro.derivations.symbolic.SymTensor` share: ``-``, ``/``, ``@``,
``.T`` and ``.mT``, ``*`` and ``**`` entry by entry, ``.sum(dim)`` and
``.shape``. This module imports nothing else (neither torch nor SymPy).

Batch (row) form: ``X`` is N x n_x, ``H`` N x n_h, ``Yhat`` and ``Y``
N x n_y, the loss is the mean over the N rows. The batch steps transpose with
``.mT`` (the last two axes) and sum over axis -2 (the rows), so they also run
on stacks of C networks (C x N x ...), as :mod:`nnintro.batched` does.
Column form: one example, every vector a column (``x`` n_x x 1, ``h``
n_h x 1, ``y`` n_y x 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def tanh_prime(h):
    """tanh'(htilde) = 1 - h ⊙ h, written with h = tanh(htilde)
    (eq. tanh-derivative)."""
    return 1 - h**2


# --- batch form (eqs. q15-batch, q16-batch, q17-batch) -----------------------


def output_error(Yhat, Y):
    """Delta_y = dL/dYtilde = (Yhat - Y) / N (eq. q15-batch)."""
    return (Yhat - Y) / Y.shape[-2]  # N, the rows


def weight_gradient(Delta, inputs):
    """dL/dW = Delta^T inputs: Delta_y^T H for W_y, Delta_h^T X for W_h."""
    return Delta.mT @ inputs


def bias_gradient(Delta):
    """dL/db = Delta^T 1_N, the column sums of Delta."""
    return Delta.sum(dim=-2)  # over the examples


def hidden_error(Wy, Delta_y, H):
    """Delta_h = dL/dHtilde = (Delta_y W_y) ⊙ (1 - H ⊙ H) (eq. q17-batch)."""
    return (Delta_y @ Wy) * tanh_prime(H)


# --- column form, one example (eqs. q15-grad to q17-bh) ----------------------


def column_output_error(yhat, y):
    """delta_y = dl/dytilde = yhat - y (eq. q15-grad)."""
    return yhat - y


def column_weight_gradient(delta, inputs):
    """dl/dW = delta inputs^T: delta_y h^T (eq. q16-Wy), delta_h x^T
    (eq. q17-Wh)."""
    return delta @ inputs.T


def column_bias_gradient(delta):
    """dl/db = delta (eqs. q16-by, q17-bh)."""
    return delta


def column_hidden_error(Wy, delta_y, h):
    """delta_h = dl/dhtilde = (W_y^T delta_y) ⊙ (1 - h ⊙ h)
    (eq. q17-htilde)."""
    return (Wy.T @ delta_y) * tanh_prime(h)


# --- the steps of backward, by the name of their result ----------------------


@dataclass(frozen=True)
class ChainRule:
    """The closed form that :func:`~nnintro.network.backward` uses for
    each step. Replace one (``dataclasses.replace``) to see a proof fail."""

    Delta_y: Callable  # (Yhat, Y) -> dL/dYtilde
    grad_Wy: Callable  # (Delta_y, H) -> dL/dW_y
    grad_by: Callable  # (Delta_y) -> dL/db_y
    Delta_h: Callable  # (W_y, Delta_y, H) -> dL/dHtilde
    grad_Wh: Callable  # (Delta_h, X) -> dL/dW_h
    grad_bh: Callable  # (Delta_h) -> dL/db_h


#: Rows are examples and the loss is their mean: what ``train`` uses.
BATCH = ChainRule(
    *(output_error, weight_gradient, bias_gradient),  # Delta_y, W_y, b_y
    *(hidden_error, weight_gradient, bias_gradient),  # Delta_h, W_h, b_h
)

#: One example, every vector a column (the outputs of ``column_forward``).
COLUMN = ChainRule(
    *(column_output_error, column_weight_gradient, column_bias_gradient),
    *(column_hidden_error, column_weight_gradient, column_bias_gradient),
)
