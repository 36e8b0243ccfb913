"""The shapes table of the notation page, read off real tensors of the package.

Each quantity of the network and each gradient, in column form (one example)
and in batch form (N examples as rows), with its shape turned back into
symbols. The sizes are distinct, so every dimension names its symbol
unambiguously.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnintro.chain_rule import BATCH, COLUMN
from nnintro.forward_pass import column_forward
from nnintro.ledger import Case, case_data
from nnintro.network import backward, forward
from nnintro.validation import PARAM_KEYS

#: Distinct sizes, so that each dimension of a real tensor names its
#: symbol unambiguously.
SHAPE_SIZES = {"N": 5, "n_x": 2, "n_h": 3, "n_y": 4}


@dataclass(frozen=True)
class ShapeRow:
    quantity: str  # LaTeX, column form
    batch_quantity: str  # LaTeX, batch form
    code: str  # the code's name
    column_shape: str
    batch_shape: str


def _symbolic(shape, names: dict[int, str]) -> str:
    return r" \times ".join(names[d] for d in shape)


def shape_rows(sizes: dict[str, int] = SHAPE_SIZES) -> list[ShapeRow]:
    """Every quantity and gradient,
    with its shape read off real tensors of the package.

    Column shapes come from ``column_forward`` and ``backward`` with the
    column rule on one example, batch shapes from ``forward`` and
    ``backward`` on N examples.
    """
    N, nx, nh, ny = (sizes[k] for k in ("N", "n_x", "n_h", "n_y"))
    if len(set(sizes.values()) | {1}) != 5:
        raise ValueError(
            f"the sizes must be distinct and differ from 1: {sizes}"
        )
    names = {v: k for k, v in sizes.items()} | {1: "1"}
    params, X, Y = case_data(Case("shapes", N, nx, nh, ny))
    _, out = forward(params, X)
    x, y = X[:1].T, Y[:1].T  # the first example, as columns
    col = column_forward(params, x)
    col["y"] = y
    # the steps of backward, one by one, in each form
    col["delta_y"] = COLUMN.Delta_y(col["yhat"], y)
    col["delta_h"] = COLUMN.Delta_h(params["Wy"], col["delta_y"], col["h"])
    col_grads = backward(params, col, y, rule=COLUMN, check=False)
    Delta_y = BATCH.Delta_y(out["yhat"], Y)
    Delta_h = BATCH.Delta_h(params["Wy"], Delta_y, out["h"])
    batch_grads = backward(params, out, Y)
    for key in PARAM_KEYS:
        if batch_grads[key].shape != params[key].shape:
            raise AssertionError(
                f"the gradient of {key} does not have the shape of {key}"
            )

    def tex(v):
        return _symbolic(tuple(v.shape), names)

    def row(quantity, batch_quantity, code, column, batch):
        return ShapeRow(
            quantity, batch_quantity, code, tex(column), tex(batch)
        )

    return [
        row("x", "X", "X", col["X"], X),
        row("W_h", "W_h", "Wh", params["Wh"], params["Wh"]),
        row("b_h", "b_h", "bh", params["bh"].reshape(-1, 1), params["bh"]),
        row(r"\tilde h", r"\tilde H", "htilde", col["htilde"], out["htilde"]),
        row("h", "H", "h", col["h"], out["h"]),
        row("W_y", "W_y", "Wy", params["Wy"], params["Wy"]),
        row("b_y", "b_y", "by", params["by"].reshape(-1, 1), params["by"]),
        row(r"\tilde y", r"\tilde Y", "ytilde", col["ytilde"], out["ytilde"]),
        row(r"\hat y", r"\hat Y", "yhat", col["yhat"], out["yhat"]),
        row("y", "Y", "Y", col["y"], Y),
        row(
            r"\delta_y = \hat y - y",
            r"\Delta_y = (\hat Y - Y)/N",
            "Delta_y",
            col["delta_y"],
            Delta_y,
        ),
        row(r"\delta_h", r"\Delta_h", "Delta_h", col["delta_h"], Delta_h),
        row(
            r"\partial \ell / \partial W_y",
            r"\partial L / \partial W_y",
            'grads["Wy"]',
            col_grads["Wy"],
            batch_grads["Wy"],
        ),
        row(
            r"\partial \ell / \partial b_y",
            r"\partial L / \partial b_y",
            'grads["by"]',
            col_grads["by"],
            batch_grads["by"],
        ),
        row(
            r"\partial \ell / \partial W_h",
            r"\partial L / \partial W_h",
            'grads["Wh"]',
            col_grads["Wh"],
            batch_grads["Wh"],
        ),
        row(
            r"\partial \ell / \partial b_h",
            r"\partial L / \partial b_h",
            'grads["bh"]',
            col_grads["bh"],
            batch_grads["bh"],
        ),
    ]


def shapes_table(rows: list[ShapeRow]) -> str:
    """A MyST table: each quantity and its shape in column and in batch form,
    and its code name."""
    lines = [
        "| one example | shape (column form) | batch of $N$ "
        "| shape (row form) | in the code |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| ${r.quantity}$ | ${r.column_shape}$ | ${r.batch_quantity}$ "
            f"| ${r.batch_shape}$ "
            f"| `{r.code}` |"
        )
    return "\n".join(lines)
