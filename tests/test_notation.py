"""The shapes table of the notation page."""

import pytest

import nnintro.notation as notation


def test_shape_rows_match_the_conventions():
    rows = {r.code: r for r in notation.shape_rows()}
    assert (
        rows["X"].column_shape == r"n_x \times 1"
        and rows["X"].batch_shape == r"N \times n_x"
    )
    assert rows["Wh"].batch_shape == r"n_h \times n_x"
    assert (
        rows["bh"].batch_shape == "n_h"
        and rows["bh"].column_shape == r"n_h \times 1"
    )
    assert rows['grads["Wy"]'].batch_shape == r"n_y \times n_h"
    assert rows["Delta_h"].batch_shape == r"N \times n_h"
    assert "| `yhat` |" in notation.shapes_table(list(rows.values()))


def test_shape_rows_need_distinct_sizes():
    with pytest.raises(ValueError, match="distinct"):
        notation.shape_rows({"N": 2, "n_x": 2, "n_h": 3, "n_y": 4})
