"""The batched study equals the sequential one, and reports divergence as ``train`` does."""

import math

import numpy as np
import pytest
import torch

from nnintro import TrainConfig, make_circles, train
from nnintro.study import (
    StudyConfig,
    initial_state,
    max_history_difference,
    run_batched,
    run_group,
    run_seconds,
    run_sequential,
)
from nnintro.training import DIVERGENCE_LOSS_FACTOR


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


# a reduced grid: two batch sizes (one with a single example), a stable and a diverging rate
REDUCED = StudyConfig(batch_sizes=(1, 50), learning_rates=(0.1, 5.0), epochs=4, seed=3)


@pytest.fixture(scope="module")
def both(data):
    configs = REDUCED.configs()
    return run_sequential(configs, data), run_batched(configs, data)


def test_grid_has_every_cell_batch_size_major():
    configs = StudyConfig().configs()
    assert len(configs) == 30
    assert [(c.batch_size, c.eta) for c in configs[:7]] == [
        (1, 0.01),
        (1, 0.05),
        (1, 0.1),
        (1, 0.5),
        (1, 1.0),
        (1, 5.0),
        (10, 0.01),
    ]
    assert {c.epochs for c in configs} == {150} and {c.seed for c in configs} == {0}


def test_initial_state_draws_like_train(data):
    config = TrainConfig(epochs=0, seed=5)
    params, orders = initial_state(config, 2, 2, 200)
    history = train(config, data)  # zero epochs: returns its initial parameters
    for key in params:
        assert torch.equal(params[key], history.params[key])
    assert orders.shape == (0, 200)


def test_batched_equals_sequential_on_reduced_grid(both):
    sequential, batched = both
    assert max_history_difference(sequential, batched) == 0.0  # to the last bit
    for s, b in zip(sequential, batched):
        assert s.config == b.config
        assert s.diverged_at == b.diverged_at
        for key in s.params:
            assert torch.equal(s.params[key].isnan(), b.params[key].isnan())
            assert torch.equal(s.params[key].nan_to_num(), b.params[key].nan_to_num())


def test_batched_is_bit_identical_for_odd_sizes(data):
    """An odd hidden size, and a batch size whose last batch is smaller (200 = 66 x 3 + 2)."""
    configs = [
        TrainConfig(nh=7, eta=eta, batch_size=B, epochs=2, seed=2)
        for B in (1, 3)
        for eta in (0.1, 2.0)
    ]
    sequential, batched = run_sequential(configs, data), run_batched(configs, data)
    assert max_history_difference(sequential, batched) == 0.0
    for s, b in zip(sequential, batched):
        for key in s.params:
            assert torch.equal(s.params[key], b.params[key])


def test_a_diverging_run_is_reported_and_still_draws(both):
    sequential, batched = both
    for histories in (sequential, batched):
        diverging = [h for h in histories if h.config.eta == 5.0 and h.config.batch_size == 1]
        assert len(diverging) == 1 and diverging[0].diverged, "eta = 5 online must diverge"
        h = diverging[0]
        assert np.isnan(h.train_loss[h.diverged_at + 1 :]).all()
        assert np.isfinite(h.train_loss[0])  # the curve has a start to draw
        assert len(h.train_loss) == h.config.epochs + 1
        stable = [h for h in histories if h.config.eta == 0.1]
        assert all(not h.diverged for h in stable)


def test_loss_rule_matches_train(data):
    """A run stopped by the 10x-loss rule records that epoch's loss, above the threshold."""
    config = TrainConfig(batch_size=200, eta=5.0, epochs=30, seed=0)
    (b,) = run_batched([config], data)
    s = train(config, data)
    assert b.diverged_at == s.diverged_at is not None
    last = b.train_loss[b.diverged_at]
    assert not math.isfinite(last) or last > DIVERGENCE_LOSS_FACTOR * b.train_loss[0]
    assert max_history_difference([b], [s]) <= 1e-12


def test_mixed_groups_keep_input_order_and_epochs(data):
    configs = [
        TrainConfig(batch_size=100, eta=0.5, epochs=3, seed=1),
        TrainConfig(batch_size=20, eta=0.1, epochs=2, seed=2),
        TrainConfig(batch_size=100, eta=1.0, epochs=2, seed=4, snapshot_epochs=(0, 2)),
    ]
    batched = run_batched(configs, data)
    sequential = run_sequential(configs, data)
    assert [h.config for h in batched] == configs
    assert [len(h.train_loss) for h in batched] == [4, 3, 3]
    assert max_history_difference(batched, sequential) <= 1e-12
    assert sorted(batched[2].snapshots) == [0, 2]
    for epoch, grid in sequential[2].snapshots.items():
        np.testing.assert_allclose(batched[2].snapshots[epoch], grid, rtol=0, atol=1e-12)


def test_group_rejects_mixed_batch_sizes(data):
    with pytest.raises(ValueError, match="share batch_size"):
        run_group([TrainConfig(batch_size=10), TrainConfig(batch_size=20)], data)
    with pytest.raises(ValueError, match="at least one configuration"):
        run_group([], data)
    assert run_batched([], data) == []


def test_difference_detects_a_changed_run(both):
    sequential, batched = both
    changed = [*batched]
    h = changed[0]
    changed[0] = type(h)(**{**h.__dict__, "train_loss": h.train_loss + 1e-6})
    assert max_history_difference(sequential, changed) >= 1e-6
    moved = type(h)(**{**h.__dict__, "diverged_at": 2})
    assert max_history_difference([h], [moved]) == math.inf


def test_run_seconds_is_last_finite_time(both):
    _, batched = both
    for h in batched:
        assert run_seconds(h) >= 0
        assert run_seconds(h) == pytest.approx(np.nanmax(h.seconds))
