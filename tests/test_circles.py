"""The circles data: determinism, sizes, one-hot targets,
the statistics of the course's data."""

import numpy as np
import pytest
import torch

from nnintro.circles import (
    best_radius_threshold_accuracy,
    grid_axis,
    make_circles,
    make_grid,
)


def radii(X, Y, k):
    return torch.linalg.vector_norm(X[Y[:, k] == 1], dim=1).numpy()


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = make_circles(3), make_circles(3), make_circles(4)
    for name in ("Xtrain", "Ytrain", "Xtest", "Ytest"):
        assert torch.equal(getattr(a, name), getattr(b, name))
    assert not torch.equal(a.Xtrain, c.Xtrain)
    assert not torch.equal(a.Xtrain, a.Xtest)


def test_sizes_and_one_hot_balanced_classes():
    d = make_circles(0)
    assert d.Xtrain.shape == d.Xtest.shape == (200, 2)
    assert d.Ytrain.shape == d.Ytest.shape == (200, 2)
    for Y in (d.Ytrain, d.Ytest):
        assert torch.equal(Y.sum(dim=1), torch.ones(200, dtype=Y.dtype))
        assert Y.sum(dim=0).tolist() == [100.0, 100.0]
    assert d.Xtrain.dtype == torch.float64


@pytest.mark.parametrize("seed", range(5))
def test_ring_and_disc_statistics(seed):
    d = make_circles(seed)
    ring = np.concatenate(
        [radii(d.Xtrain, d.Ytrain, 0), radii(d.Xtest, d.Ytest, 0)]
    )
    disc = np.concatenate(
        [radii(d.Xtrain, d.Ytrain, 1), radii(d.Xtest, d.Ytest, 1)]
    )
    assert 0.5 <= ring.min() and ring.max() <= 1.75
    assert abs(ring.mean() - 1.0) < 0.06
    assert disc.max() <= 0.8 and abs(disc.mean() - 0.4) < 0.05


def test_classes_overlap_so_no_radius_threshold_is_perfect():
    scores = [
        best_radius_threshold_accuracy(
            make_circles(s).Xtest, make_circles(s).Ytest
        )[0]
        for s in range(20)
    ]
    assert max(scores) < 1.0, "the two classes should overlap a little"
    assert 0.94 <= float(np.mean(scores)) <= 0.985, np.mean(scores)


def test_best_threshold_on_separable_points():
    X = torch.tensor(
        [[0.1, 0.0], [0.2, 0.0], [1.0, 0.0], [1.5, 0.0]], dtype=torch.float64
    )
    Y = torch.tensor([[0, 1], [0, 1], [1, 0], [1, 0]], dtype=torch.float64)
    acc, t = best_radius_threshold_accuracy(X, Y)
    assert acc == 1.0 and 0.2 <= t < 1.0


def test_grid_is_40_by_40_over_minus_two_to_two():
    axis = grid_axis()
    assert (
        len(axis) == 40 and axis[0] == -2.0 and axis[-1] == pytest.approx(1.9)
    )
    grid = make_grid()
    assert grid.shape == (1600, 2)
    assert grid[:, 0].min() == -2.0 and grid[:, 0].max() < 2.0
    # row-major over (x2, x1): the first 40 points share x2 and sweep x1
    assert torch.all(grid[:40, 1] == -2.0) and torch.equal(
        grid[:40, 0], torch.from_numpy(axis)
    )
    assert torch.equal(make_circles(0).Xgrid, grid)


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match="n_per_class"):
        make_circles(0, n_per_class=0)
