"""The four versions of the network follow one trajectory from one start."""

import pytest
import torch

from nnintro import TrainConfig, forward, make_circles, train
from nnintro.batched import torch_threads
from nnintro.torch_versions import (
    TRAINERS,
    compare_trajectories,
    max_parameter_difference,
    model_params,
    nn_model,
    predict_proba,
    train_manual,
    training_schedule,
)

TOLERANCE = 1e-10


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    with torch_threads(
        1
    ):  # tiny tensors: one thread is much faster on a busy machine
        yield


@pytest.fixture(scope="module")
def setup():
    data = make_circles(seed=1)
    config = TrainConfig(batch_size=10, eta=0.1, epochs=2, seed=7)
    params, schedule = training_schedule(config, 2, 2, data.Xtrain.shape[0])
    return data, config, params, schedule


@pytest.fixture(scope="module")
def trajectories(setup):
    data, config, params, schedule = setup
    return {
        name: trainer(params, data.Xtrain, data.Ytrain, schedule, config.eta)
        for name, trainer in TRAINERS.items()
    }


def test_manual_trainer_is_train(setup, trajectories):
    data, config, _, _ = setup
    history = train(config, data)
    assert (
        max_parameter_difference(history.params, trajectories["manual"].final)
        == 0.0
    )


@pytest.mark.parametrize("name", ["autograd", "nn", "nn + optim"])
def test_each_version_follows_the_manual_trajectory(trajectories, name):
    manual, other = trajectories["manual"], trajectories[name]
    assert len(other.losses) == len(manual.losses) == 40
    assert abs(other.losses - manual.losses).max() < TOLERANCE
    assert compare_trajectories(trajectories)[name].max() < TOLERANCE
    # and the parameters really moved, so the agreement is not trivial
    assert max_parameter_difference(other.final, other.params[0]) > 1e-3


def test_start_is_not_modified(setup, trajectories):
    _, _, params, _ = setup
    fresh, _ = training_schedule(
        TrainConfig(batch_size=10, eta=0.1, epochs=2, seed=7), 2, 2, 200
    )
    assert max_parameter_difference(params, fresh) == 0.0


def test_nn_model_shares_the_tensors_and_matches_forward(setup):
    data, _, params, _ = setup
    shared = {k: v.clone() for k, v in params.items()}
    rng_state = torch.get_rng_state()
    model = nn_model(shared)
    assert torch.equal(
        rng_state, torch.get_rng_state()
    )  # no throw-away random init
    assert model[0].weight.data_ptr() == shared["Wh"].data_ptr()
    assert model[2].weight.shape == shared["Wy"].shape  # out x in, like ours

    Yhat, _ = forward(shared, data.Xtest)
    torch.testing.assert_close(
        predict_proba(model, data.Xtest), Yhat, rtol=0, atol=1e-14
    )
    assert max_parameter_difference(model_params(model), shared) == 0.0


def test_a_wrong_learning_rate_is_caught(setup, trajectories):
    data, config, params, schedule = setup
    off = train_manual(
        params, data.Xtrain, data.Ytrain, schedule, config.eta * 1.001
    )
    diffs = compare_trajectories(
        {"manual": trajectories["manual"], "off": off}
    )
    assert diffs["off"].max() > TOLERANCE


def test_trajectories_of_different_lengths_are_not_compared(
    setup, trajectories
):
    data, config, params, schedule = setup
    short = train_manual(
        params, data.Xtrain, data.Ytrain, schedule[:1], config.eta
    )
    with pytest.raises(
        ValueError, match="'short' has 1 epochs, 'manual' has 2"
    ):
        compare_trajectories(
            {"manual": trajectories["manual"], "short": short}
        )
    with pytest.raises(KeyError, match="no trajectory named 'manual'"):
        compare_trajectories({"short": short})
