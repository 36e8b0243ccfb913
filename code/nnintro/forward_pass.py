"""The forward pass, written once: batch form and column form.

Like :mod:`nnintro.chain_rule`, this module imports nothing. Its functions
use only operations that torch tensors, the symbolic tensors of
:mod:`nnintro.derivations` and the answer checker's arrays
(:mod:`nnintro.answers.arrays`) share: ``@``, ``+``, ``.mT``, ``.tanh()``,
``.softmax(dim)`` and ``.reshape(-1, 1)``. So the lines that train the
network are the lines SymPy proves and the lines the checker compares a
student's formula with. :func:`nnintro.network.forward` is
:func:`batch_forward` with its checks.
"""

from __future__ import annotations


def softmax(ytilde):
    """SoftMax of each row, yhat_i = exp(ytilde_i) / sum_j exp(ytilde_j).

    Eq. softmax. torch subtracts the row maximum first; SoftMax is
    shift-invariant, so nothing changes but overflow.
    """
    return ytilde.softmax(dim=-1)


def batch_forward(params: dict, X) -> dict:
    """Eq. fwd-batch on a batch ``X`` (N x n_x), one example a row.

    ``.mT`` transposes the last two axes: ``W.T`` for one network, and each
    network's for a stack of them (:mod:`nnintro.batched`). Returns every
    intermediate value, since ``backward`` needs them.
    """
    htilde = X @ params["Wh"].mT + params["bh"]  # N x nh
    h = htilde.tanh()  # N x nh
    ytilde = h @ params["Wy"].mT + params["by"]  # N x ny
    yhat = softmax(ytilde)  # N x ny
    return dict(X=X, htilde=htilde, h=h, ytilde=ytilde, yhat=yhat)


def column_forward(params: dict, x) -> dict:
    """Eq. fwd-column for ONE example ``x`` (n_x x 1); every vector a column.

    The biases, 1-D in ``params``, are taken as columns. Returns the outputs
    that ``backward(..., rule=COLUMN, check=False)`` reads.
    """
    htilde = params["Wh"] @ x + params["bh"].reshape(-1, 1)  # nh x 1
    h = htilde.tanh()  # nh x 1
    ytilde = params["Wy"] @ h + params["by"].reshape(-1, 1)  # ny x 1
    yhat = ytilde.softmax(dim=0)  # ny x 1
    return dict(X=x, htilde=htilde, h=h, ytilde=ytilde, yhat=yhat)
