"""The training loop: it learns, is deterministic, and reports divergence."""

import math

import numpy as np
import pytest
import torch

from nnintro import (
    TrainConfig,
    forward,
    init_params,
    loss_accuracy,
    make_circles,
    train,
)
from nnintro.circles import CirclesData
from nnintro.training import DIVERGENCE_LOSS_FACTOR, epoch_batches, evaluate


@pytest.fixture(scope="module")
def circles():
    return make_circles(0)


@pytest.fixture(scope="module")
def course_run(circles):
    return train(
        TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=150, seed=0), circles
    )


def test_course_settings_reach_93_percent_test_accuracy(course_run):
    assert not course_run.diverged
    assert course_run.final("test_acc") >= 0.93, course_run.final("test_acc")
    assert course_run.final("train_loss") < 0.2
    assert course_run.train_loss[0] == pytest.approx(math.log(2), abs=0.1)


def test_history_has_one_row_per_epoch_plus_the_start(course_run):
    for name in (
        "train_loss",
        "train_acc",
        "test_loss",
        "test_acc",
        "updates",
        "seconds",
    ):
        assert getattr(course_run, name).shape == (151,)
    assert course_run.updates[0] == 0 and course_run.updates[-1] == 150 * 20
    assert np.all(np.diff(course_run.seconds) >= 0)


def test_same_seed_same_run_to_the_bit(circles):
    config = TrainConfig(eta=0.1, batch_size=10, epochs=5, seed=3)
    a, b = train(config, circles), train(config, circles)
    assert np.array_equal(a.train_loss, b.train_loss)
    for k in a.params:
        assert torch.equal(a.params[k], b.params[k])
    c = train(TrainConfig(eta=0.1, batch_size=10, epochs=5, seed=4), circles)
    assert not np.array_equal(a.train_loss, c.train_loss)


def test_the_loss_decreases_on_average_over_epochs(circles):
    h = train(TrainConfig(eta=0.1, batch_size=10, epochs=30, seed=1), circles)
    assert h.train_loss[-1] < 0.8 * h.train_loss[0]


@pytest.mark.parametrize("eta, batch_size", [(5.0, 1), (5.0, 10)])
def test_a_diverging_learning_rate_is_reported_and_stops_with_nan(
    circles, eta, batch_size
):
    h = train(
        TrainConfig(eta=eta, batch_size=batch_size, epochs=20, seed=0), circles
    )
    assert h.diverged and h.status.startswith("diverged at epoch")
    k = h.diverged_at
    assert 1 <= k <= 20
    assert np.all(np.isfinite(h.train_loss[:k])) and np.all(
        np.isnan(h.train_loss[k + 1 :])
    )
    blew_up = h.train_loss[k]
    assert (
        not np.isfinite(blew_up)
        or blew_up > DIVERGENCE_LOSS_FACTOR * h.train_loss[0]
    )
    assert (
        len(h.train_loss) == 21
    )  # plots get full-length arrays; NaN draws as a gap


def test_divergence_rule_uses_the_loss_factor(circles):
    h = train(TrainConfig(eta=1.0, batch_size=1, epochs=150, seed=0), circles)
    if h.diverged:
        assert h.diverged_at >= 1
        before = h.train_loss[: h.diverged_at]
        assert np.all(before <= DIVERGENCE_LOSS_FACTOR * h.train_loss[0])
    else:
        assert np.all(h.train_loss <= DIVERGENCE_LOSS_FACTOR * h.train_loss[0])


def test_snapshots_hold_grid_probabilities(circles):
    h = train(TrainConfig(epochs=3, snapshot_epochs=(0, 3)), circles)
    assert set(h.snapshots) == {0, 3}
    assert h.snapshots[3].shape == (40, 40)
    assert np.all((h.snapshots[3] >= 0) & (h.snapshots[3] <= 1))


def test_epoch_batches_cover_every_example_once():
    batches = epoch_batches(23, 5, torch.Generator().manual_seed(0))
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    assert sorted(torch.cat(batches).tolist()) == list(range(23))


def test_from_config_takes_the_shared_fields_then_the_changes():
    from dataclasses import dataclass

    @dataclass
    class Study:  # no eta, batch_size or snapshot_epochs; fields of its own
        nh: int = 7
        epochs: int = 3
        seed: int = 5
        etas: tuple[float, ...] = (0.01, 0.1)

    run = TrainConfig.from_config(Study(), batch_size=4)
    assert run == TrainConfig(nh=7, eta=0.1, batch_size=4, epochs=3, seed=5)
    assert TrainConfig.from_config(run) == run
    assert TrainConfig.from_config(Study(), eta=0.5, seed=9).eta == 0.5
    assert TrainConfig.from_config(Study(), seed=9).seed == 9
    with pytest.raises(ValueError):
        TrainConfig.from_config(Study(nh=0))


def test_bad_configs_and_data_are_rejected(circles):
    with pytest.raises(ValueError, match="learning rate"):
        TrainConfig(eta=0.0)
    for eta in (True, "0.1", None):
        with pytest.raises(TypeError, match="learning rate eta must be"):
            TrainConfig(eta=eta)
    with pytest.raises(ValueError, match="batch_size"):
        TrainConfig(batch_size=0)
    bad = CirclesData(
        circles.Xtrain,
        circles.Ytrain * 0.5,
        circles.Xtest,
        circles.Ytest,
        circles.Xgrid,
        0,
    )
    with pytest.raises(ValueError, match="Ytrain must be one-hot"):
        train(TrainConfig(epochs=1), bad)
    with pytest.raises(
        ValueError, match="Xtrain has 2 columns but 3 are expected"
    ):
        train(TrainConfig(epochs=1), circles, params=init_params(3, 10, 2))


def test_evaluate_is_loss_accuracy_on_the_forward_pass(circles):
    params = init_params(2, 10, 2, seed=0)
    X, Y = circles.Xtest, circles.Ytest
    L, acc = evaluate(params, X, Y)
    Yhat, outputs = forward(params, X)
    L_ref, acc_ref = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    assert L == float(L_ref) and acc == acc_ref
    assert isinstance(acc, float) and 0.0 <= acc <= 1.0
    assert evaluate(params, X, Y, check=False) == (L, acc)


def test_evaluate_checks_its_inputs(circles):
    params = init_params(2, 10, 2, seed=0)
    with pytest.raises(ValueError, match="Y must be one-hot"):
        evaluate(params, circles.Xtest, 0.5 * circles.Ytest)
    with pytest.raises(ValueError, match="X is an empty batch"):
        evaluate(params, circles.Xtest[:0], circles.Ytest[:0])
