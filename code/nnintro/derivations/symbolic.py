"""The symbolic network, built once for every topic: the forward pass in column
and batch form as SymPy matrices, SoftMax, the cross-entropy, and the full
network with its scalar loss."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from nnintro.derivations.core import matrix_symbols, symbol_vector
from nnintro.forward_pass import column_forward
from nnintro.network import forward


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


class SymTensor:
    """A SymPy matrix that follows torch's rules, for the operations that
    :mod:`nnintro.network` and :mod:`nnintro.chain_rule` use.

    ``*``, ``/``, ``+``, ``-`` and ``**`` act entry by entry; a 1-D tensor
    (a bias, held as a column) is added to every row of a 2-D one, as torch
    broadcasts it; ``@`` is the matrix product; ``.sum(dim)``, ``.tanh()``,
    ``.softmax(dim)``, ``.reshape(-1, 1)``, ``.T`` and ``.shape`` as in
    torch. So the package's own ``forward`` and ``backward`` run on symbols.
    """

    def __init__(self, matrix, ndim: int = 2) -> None:
        self.matrix = sp.Matrix(matrix)
        self.ndim = ndim
        if ndim == 1 and self.matrix.cols != 1:
            raise ValueError("a 1-D SymTensor is held as a column")

    @property
    def shape(self) -> tuple[int, ...]:
        if self.ndim == 1:
            return (self.matrix.rows,)
        return tuple(self.matrix.shape)

    @property
    def T(self) -> SymTensor:
        return self if self.ndim == 1 else SymTensor(self.matrix.T)

    mT = T  # the last two axes: for a matrix, its transpose

    def __matmul__(self, other: SymTensor) -> SymTensor:
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError("SymTensor @ multiplies 2-D tensors only")
        return SymTensor(self.matrix * other.matrix)

    def _entrywise(self, other, op) -> SymTensor:
        if not isinstance(other, SymTensor):  # a number or an expression
            return SymTensor(self.matrix.applyfunc(lambda a: op(a, other)))
        a, b = self, other
        if a.shape == b.shape:
            rows, cols = a.matrix.shape
            return SymTensor(
                sp.Matrix(
                    rows, cols, lambda i, j: op(a.matrix[i, j], b.matrix[i, j])
                ),
                a.ndim,
            )
        if a.ndim == 2 and b.ndim == 1 and a.shape[1] == b.shape[0]:
            rows, cols = a.shape
            return SymTensor(
                sp.Matrix(rows, cols, lambda i, j: op(a.matrix[i, j], b[j]))
            )
        raise ValueError(f"cannot broadcast {a.shape} with {b.shape}")

    def __getitem__(self, index):
        if self.ndim == 1:
            return self.matrix[index, 0]
        return self.matrix[index]

    def __add__(self, other):
        return self._entrywise(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._entrywise(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._entrywise(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._entrywise(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._entrywise(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self._entrywise(other, lambda a, b: b * a)

    def __truediv__(self, other):
        return self._entrywise(other, lambda a, b: a / b)

    def __pow__(self, other):
        return self._entrywise(other, lambda a, b: a**b)

    def __neg__(self):
        return SymTensor(-self.matrix, self.ndim)

    def tanh(self) -> SymTensor:
        return SymTensor(self.matrix.applyfunc(sp.tanh), self.ndim)

    def sum(self, dim: int) -> SymTensor:
        """Column sums (dim=0 or -2) or row sums (dim=1 or -1), 1-D."""
        M = self.matrix
        if dim % 2 == 0:
            return SymTensor([sum(M[:, j]) for j in range(M.cols)], 1)
        return SymTensor([sum(M[i, :]) for i in range(M.rows)], 1)

    def softmax(self, dim: int) -> SymTensor:
        """exp of each entry over the sum along ``dim`` (no shift)."""
        e = self.matrix.applyfunc(sp.exp)
        sums = SymTensor(e).sum(dim)
        return SymTensor(
            sp.Matrix(
                *e.shape, lambda i, j: e[i, j] / sums[i if dim % 2 else j]
            )
        )

    def reshape(self, *shape: int) -> SymTensor:
        """``reshape(-1, 1)``: a column; ``reshape(-1)``: 1-D."""
        if shape == (-1, 1) or shape == (-1,):
            if self.matrix.cols != 1:
                raise ValueError("SymTensor reshapes columns only")
            return SymTensor(self.matrix, 2 if len(shape) == 2 else 1)
        raise ValueError(f"SymTensor cannot reshape to {shape}")


def symbolic_params(Wh, bh, Wy, by) -> dict[str, SymTensor]:
    """The package's parameter dict, of SymPy matrices (biases 1-D)."""
    return {
        "Wh": SymTensor(Wh),
        "bh": SymTensor(bh, 1),
        "Wy": SymTensor(Wy),
        "by": SymTensor(by, 1),
    }


def batch_forward_exprs(X, Wh, bh, Wy, by) -> dict[str, sp.Matrix]:
    """Eq. fwd-batch on symbols: the package's ``forward`` itself."""
    _, outputs = forward(
        symbolic_params(Wh, bh, Wy, by), SymTensor(X), check=False
    )
    return {k: outputs[k].matrix for k in ("htilde", "h", "ytilde")}


def column_forward_exprs(x, Wh, bh, Wy, by) -> dict[str, sp.Matrix]:
    """Eq. fwd-column on symbols: the package's ``column_forward`` itself."""
    outputs = column_forward(symbolic_params(Wh, bh, Wy, by), SymTensor(x))
    return {k: outputs[k].matrix for k in ("htilde", "h", "ytilde")}


# --- the symbolic network ----------------------------------------------------


@dataclass(frozen=True)
class SymbolicNetwork:
    """Every quantity of the network as SymPy matrices, and the scalar loss.

    Column form from :func:`symbolic_network` (vectors are columns), batch
    form from :func:`symbolic_batch_network` (rows are examples, and the loss
    is the mean over the rows). The forward pass is the package's own, run on
    :class:`SymTensor`; ``params``, ``outputs`` and ``targets`` are its inputs
    and results, ready for the package's ``backward``. The loss is built
    independently from ``ytilde``. The targets are free symbols;
    ``on_simplex`` is the substitution that makes every target vector sum
    to 1.
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
    params: dict
    outputs: dict
    targets: SymTensor


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


def _network(X, Y, matrices, outputs, loss, batch) -> SymbolicNetwork:
    Wh, bh, Wy, by = matrices
    htilde, h, ytilde, yhat = (
        outputs[k].matrix for k in ("htilde", "h", "ytilde", "yhat")
    )
    params, constraint = (
        symbolic_params(*matrices),
        target_constraint(Y, batch),
    )
    return SymbolicNetwork(
        X, Wh, bh, Wy, by, Y, htilde, h, ytilde, yhat,
        loss, constraint, params, outputs, SymTensor(Y),
    )  # fmt: skip


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
    matrices = parameter_symbols(nx, nh, ny)
    outputs = column_forward(symbolic_params(*matrices), SymTensor(x))
    if free_htilde:  # the package's last layer on free pre-activations
        free = SymTensor(symbol_vector("htilde", nh, real=True))
        last = {**symbolic_params(*matrices), "Wh": SymTensor(sp.eye(nh))}
        last["bh"] = SymTensor(sp.zeros(nh, 1), 1)
        outputs = {**column_forward(last, free), "X": SymTensor(x)}
    ytilde = list(outputs["ytilde"].matrix)
    loss = cross_entropy_of_softmax(ytilde, list(y))
    return _network(x, y, matrices, outputs, loss, False)


def symbolic_batch_network(
    N: int, nx: int, nh: int, ny: int
) -> SymbolicNetwork:
    """A batch of N examples in row form,
    L = (1/N) sum_n l_n (eq. q15-batch)."""
    X, Y = matrix_symbols("X", N, nx), matrix_symbols("Y", N, ny)
    matrices = parameter_symbols(nx, nh, ny)
    _, outputs = forward(symbolic_params(*matrices), SymTensor(X), check=False)
    ytilde = outputs["ytilde"].matrix
    losses = [
        cross_entropy_of_softmax(list(ytilde[n, :]), list(Y[n, :]))
        for n in range(N)
    ]
    return _network(X, Y, matrices, outputs, sum(losses) / N, True)
