"""All at once equals one by one, up to rounding, where rounding is harmless.

The tolerance is ``nnintro.batched.TOLERANCE`` (float64). Online runs at a
large learning rate are chaotic: there a difference of one rounding grows
with every step, so they are compared over one epoch only, or not at all.
"""

import math

import numpy as np
import pytest
import torch

from nnintro import TrainConfig, make_circles, train
from nnintro.batched import (
    TOLERANCE,
    max_history_difference,
    run_batched,
    run_group,
    run_sequential,
    stacked_step,
    torch_threads,
)
from nnintro.network import backward, forward, init_params, sgd
from nnintro.training import DIVERGENCE_LOSS_FACTOR


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


# two batch sizes (one with a single example), a calm and a diverging rate
REDUCED = [
    TrainConfig(batch_size=B, eta=eta, epochs=4, seed=3)
    for B in (1, 50)
    for eta in (0.1, 5.0)
]


@pytest.fixture(scope="module")
def both(data):
    return run_sequential(REDUCED, data), run_batched(REDUCED, data)


def test_one_stacked_step_is_three_steps_of_the_network():
    """From the same parameters, the stacked step is forward+backward+sgd."""
    g = torch.Generator().manual_seed(0)
    nets = [init_params(2, 5, 3, seed=s) for s in range(3)]
    X = torch.randn(3, 4, 2, generator=g, dtype=torch.float64)
    Y = torch.eye(3, dtype=torch.float64)[
        torch.randint(3, (3, 4), generator=g)
    ]
    etas = (0.1, 1.0, 5.0)
    P = {
        k: torch.stack([torch.atleast_2d(p[k]) for p in nets]) for k in nets[0]
    }
    eta = torch.tensor(etas, dtype=torch.float64).view(-1, 1, 1)
    stacked = stacked_step(P, X, Y, eta)
    for i, (params, rate) in enumerate(zip(nets, etas)):
        _, outputs = forward(params, X[i])
        expected = sgd(params, backward(params, outputs, Y[i]), rate)
        for k, value in expected.items():
            torch.testing.assert_close(
                stacked[k][i].reshape(value.shape), value, rtol=0, atol=1e-15
            )


def test_batched_equals_sequential_on_reduced_grid(both):
    sequential, batched = both
    assert max_history_difference(sequential, batched) <= TOLERANCE
    for s, b in zip(sequential, batched):
        assert s.config == b.config and s.diverged_at == b.diverged_at
        if not s.diverged:
            for key in s.params:
                torch.testing.assert_close(
                    s.params[key], b.params[key], rtol=0, atol=TOLERANCE
                )


def test_odd_sizes_and_a_short_last_batch(data):
    """An odd hidden size; 200 = 66 x 3 + 2, so the last batch is smaller."""
    configs = [
        TrainConfig(nh=7, eta=eta, batch_size=B, epochs=2, seed=2)
        for B in (3, 7)
        for eta in (0.1, 0.5)
    ]
    sequential = run_sequential(configs, data)
    batched = run_batched(configs, data)
    assert max_history_difference(sequential, batched) <= TOLERANCE
    assert batched[0].updates[-1] == 2 * 67


def test_a_diverging_run_is_reported_and_still_draws(both):
    for histories in both:
        (h,) = [
            h
            for h in histories
            if h.config.eta == 5.0 and h.config.batch_size == 1
        ]
        assert h.diverged, "eta = 5 online must diverge"
        assert np.isnan(h.train_loss[h.diverged_at + 1 :]).all()
        assert np.isfinite(h.train_loss[0])
        assert len(h.train_loss) == h.config.epochs + 1
        calm = [h for h in histories if h.config.eta == 0.1]
        assert not any(h.diverged for h in calm)


def test_loss_rule_matches_train(data):
    """A run stopped by the 10x-loss rule records that epoch's loss."""
    config = TrainConfig(batch_size=200, eta=5.0, epochs=30, seed=0)
    (b,) = run_batched([config], data)
    s = train(config, data)
    assert b.diverged_at == s.diverged_at is not None
    last = b.train_loss[b.diverged_at]
    assert last > DIVERGENCE_LOSS_FACTOR * b.train_loss[0]
    assert max_history_difference([b], [s]) <= TOLERANCE


def test_mixed_groups_keep_input_order_and_epochs(data):
    configs = [
        TrainConfig(batch_size=100, eta=0.5, epochs=3, seed=1),
        TrainConfig(batch_size=20, eta=0.1, epochs=2, seed=2),
        TrainConfig(batch_size=100, eta=1.0, epochs=2, seed=4),
    ]
    batched = run_batched(configs, data)
    assert [h.config for h in batched] == configs
    assert [len(h.train_loss) for h in batched] == [4, 3, 3]
    sequential = run_sequential(configs, data)
    assert max_history_difference(batched, sequential) <= TOLERANCE


def test_zero_epochs_return_the_start(data):
    config = TrainConfig(epochs=0, seed=5)
    (b,) = run_batched([config], data)
    s = train(config, data)
    for key in s.params:
        assert torch.equal(b.params[key], s.params[key])


def test_nudge_moves_one_weight_by_one_float64_step(data):
    config = TrainConfig(batch_size=50, eta=0.1, epochs=0)
    plain, nudged = run_batched([config, config], data, nudge=[False, True])
    a, b = plain.params["Wh"], nudged.params["Wh"]
    assert b[0, 0] == torch.nextafter(a[0, 0], torch.tensor(math.inf))
    assert torch.equal(a.flatten()[1:], b.flatten()[1:])


def test_group_rejects_what_it_cannot_do(data):
    with pytest.raises(ValueError, match="share batch_size"):
        run_group(
            [TrainConfig(batch_size=10), TrainConfig(batch_size=20)], data
        )
    with pytest.raises(ValueError, match="snapshots"):
        run_group([TrainConfig(snapshot_epochs=(0,))], data)
    assert run_batched([], data) == []


def test_difference_detects_a_changed_run(both):
    sequential, batched = both
    h = batched[0]
    changed = type(h)(**{**h.__dict__, "train_loss": h.train_loss + 1e-6})
    assert max_history_difference([sequential[0]], [changed]) >= 1e-6
    moved = type(h)(**{**h.__dict__, "diverged_at": 2})
    assert max_history_difference([h], [moved]) == math.inf


def test_torch_threads_restores_the_setting():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
