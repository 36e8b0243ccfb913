"""The network in symbols, at small sizes, with every name a student may use.

Column form (one example): ``htilde = Wh @ x + bh``, ``h = tanh(htilde)``,
``ytilde = Wy @ h + by``, ``yhat = SoftMax(ytilde)``, vectors as columns.
Batch form (rows are examples): ``Htilde = X @ Wh.T + bh`` with ``bh`` a
1-D vector (as in the code), and the mean loss over the ``N`` rows.
The targets sum to 1 (the book's assumption): the last entry of each
target vector is 1 minus the others. The forward pass is the package's
own (:mod:`nnintro.forward_pass`, the lines that train the network), and
``delta_y``, ``delta_h``, ``Delta_y`` and ``Delta_h`` are the book's
definitions (eqs. q15-grad, q17-htilde, q15-batch, q17-batch), computed by
the closed forms of :mod:`nnintro.chain_rule` that ``backward`` calls.

Each network is built at a set of sizes (:class:`Sizes`). The sizes of
one set are small and all different, so that a transposed or misshapen
answer shows up as a wrong shape; each size differs from one set to the
next, so that a number typed for a size (5 for N) cannot pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import sympy as sp

from nnintro.answers import arrays
from nnintro.answers.arrays import Array
from nnintro.chain_rule import BATCH, COLUMN
from nnintro.forward_pass import batch_forward, column_forward

#: The intermediates of the forward pass, in its order.
FORWARD_KEYS = ("htilde", "h", "ytilde", "yhat")


@dataclass(frozen=True)
class Sizes:
    """n_x, n_h, n_y and the batch size N."""

    nx: int
    nh: int
    ny: int
    nb: int

    @property
    def dims(self) -> dict[int, str]:
        """Each size's name, by its value (the values are all different)."""
        return {self.nx: "n_x", self.nh: "n_h", self.ny: "n_y", self.nb: "N"}

    def text(self, form: str) -> str:
        if form == "loss":
            return f"n_y = {self.ny}"
        sizes = f"n_x = {self.nx}, n_h = {self.nh}, n_y = {self.ny}"
        return sizes + (f", N = {self.nb}" if form == "batch" else "")


# The first set is the one shown with a counterexample and used for the
# symbolic proof; in every set the four sizes differ, and from one set to
# another each size changes.
SIZE_SETS = (Sizes(2, 4, 3, 5), Sizes(1, 3, 2, 4), Sizes(3, 2, 4, 6))
FIRST = SIZE_SETS[0]
NX, NH, NY, NB = FIRST.nx, FIRST.nh, FIRST.ny, FIRST.nb
DIMS = FIRST.dims

COLUMN_NAMES = (
    "x", "htilde", "h", "ytilde", "yhat", "y",
    "Wh", "bh", "Wy", "by", "delta_y", "delta_h",
)  # fmt: skip
BATCH_NAMES = (
    "X", "Htilde", "H", "Y", "Yhat", "Delta_y", "Delta_h", "N",
    "Wh", "bh", "Wy", "by",
)  # fmt: skip
LOSS_NAMES = ("ytilde", "y")

# How each free input is drawn at a random point (see checker.points).
WEIGHT, BIAS, INPUT, TARGET, LOGIT = (
    "weight", "bias", "input", "target", "logit",
)  # fmt: skip


@dataclass(frozen=True)
class Network:
    """The named values of one form, and the free inputs they depend on.

    ``inputs`` maps each input name to its array and the kind of values it
    takes; ``free`` lists the symbols of each input (for a target, only the
    entries that are not 1 minus the others).
    """

    form: str
    values: dict[str, Array]
    inputs: dict[str, tuple[Array, str]]
    free: dict[str, tuple[sp.Symbol, ...]]
    derived: tuple[str, ...]  # names shown with a counterexample
    nonzero: tuple[str, ...] = ()  # kept away from 0 at random points
    sizes: Sizes = FIRST


def symbols(name: str, shape: tuple[int, ...]) -> Array:
    """An array of real symbols name_i or name_ij (1-based)."""
    if len(shape) == 1:
        entries = [
            sp.Symbol(f"{name}_{i + 1}", real=True) for i in range(shape[0])
        ]
    else:
        rows, cols = shape
        entries = [
            sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True)
            for i in range(rows)
            for j in range(cols)
        ]
    return Array(shape, tuple(entries))


def simplex_rows(name: str, rows: int, cols: int, column: bool):
    """Targets whose rows sum to 1: the free symbols and the array.

    With ``column`` the single target is an ny x 1 column.
    """
    free, entries = [], []
    for r in range(rows):
        row = [
            sp.Symbol(f"{name}_{r + 1}{j + 1}", real=True)
            for j in range(cols - 1)
        ]
        free.extend(row)
        entries.extend([*row, 1 - sp.Add(*row)])
    shape = (cols, 1) if column else (rows, cols)
    return tuple(free), Array(shape, tuple(entries))


@cache
def column_network(sizes: Sizes = FIRST) -> Network:
    """One example in column form."""
    NX, NH, NY = sizes.nx, sizes.nh, sizes.ny  # noqa: N806
    x = symbols("x", (NX, 1))
    Wh, bh = symbols("W_h", (NH, NX)), symbols("b_h", (NH, 1))
    Wy, by = symbols("W_y", (NY, NH)), symbols("b_y", (NY, 1))
    y_free, y = simplex_rows("y", 1, NY, column=True)
    params = dict(Wh=Wh, bh=bh, Wy=Wy, by=by)
    forward = column_forward(params, x)  # eq. fwd-column, as trained
    htilde, h, ytilde, yhat = (forward[k] for k in FORWARD_KEYS)
    delta_y = COLUMN.Delta_y(yhat, y)  # the closed forms backward uses
    delta_h = COLUMN.Delta_h(Wy, delta_y, h)
    values = dict(
        x=x, htilde=htilde, h=h, ytilde=ytilde, yhat=yhat, y=y,
        Wh=Wh, bh=bh, Wy=Wy, by=by, delta_y=delta_y, delta_h=delta_h,
    )  # fmt: skip
    inputs = dict(
        x=(x, INPUT), Wh=(Wh, WEIGHT), bh=(bh, BIAS),
        Wy=(Wy, WEIGHT), by=(by, BIAS), y=(y, TARGET),
    )  # fmt: skip
    free = {name: a.entries for name, (a, _) in inputs.items()}
    free["y"] = y_free
    return Network(
        "column",
        values,
        inputs,
        free,
        ("h", "yhat", "delta_y", "delta_h"),
        ("htilde",),
        sizes,
    )


@cache
def batch_network(sizes: Sizes = FIRST) -> Network:
    """A batch of N examples in row form, mean loss."""
    NX, NH, NY, NB = sizes.nx, sizes.nh, sizes.ny, sizes.nb  # noqa: N806
    X = symbols("X", (NB, NX))
    Wh, bh = symbols("W_h", (NH, NX)), symbols("b_h", (NH,))
    Wy, by = symbols("W_y", (NY, NH)), symbols("b_y", (NY,))
    Y_free, Y = simplex_rows("Y", NB, NY, column=False)
    N = arrays.scalar(NB)
    params = dict(Wh=Wh, bh=bh, Wy=Wy, by=by)
    forward = batch_forward(params, X)  # eq. fwd-batch, as trained
    Htilde, H, Ytilde, Yhat = (forward[k] for k in FORWARD_KEYS)
    Delta_y = BATCH.Delta_y(Yhat, Y)  # the closed forms backward uses
    Delta_h = BATCH.Delta_h(Wy, Delta_y, H)
    values = dict(
        X=X, Htilde=Htilde, H=H, Y=Y, Yhat=Yhat, Delta_y=Delta_y,
        Delta_h=Delta_h, N=N, Wh=Wh, bh=bh, Wy=Wy, by=by,
    )  # fmt: skip
    inputs = dict(
        X=(X, INPUT), Wh=(Wh, WEIGHT), bh=(bh, BIAS),
        Wy=(Wy, WEIGHT), by=(by, BIAS), Y=(Y, TARGET),
    )  # fmt: skip
    free = {name: a.entries for name, (a, _) in inputs.items()}
    free["Y"] = Y_free
    return Network(
        "batch",
        values,
        inputs,
        free,
        ("H", "Yhat", "Delta_y", "Delta_h"),
        ("Htilde",),
        sizes,
    )


@cache
def loss_network(sizes: Sizes = FIRST) -> Network:
    """Question 14: the logits and the targets of one example."""
    ytilde = symbols("ytilde", (sizes.ny, 1))
    y_free, y = simplex_rows("y", 1, sizes.ny, column=True)
    values = {"ytilde": ytilde, "y": y}
    inputs = {"ytilde": (ytilde, LOGIT), "y": (y, TARGET)}
    free = {"ytilde": ytilde.entries, "y": y_free}
    return Network("loss", values, inputs, free, (), (), sizes)


NETWORKS = {
    "column": column_network,
    "batch": batch_network,
    "loss": loss_network,
}
