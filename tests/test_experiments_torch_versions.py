"""The nn model check and the four-trajectory comparison, claims both ways."""

import dataclasses

import numpy as np
import pytest

from nnintro import TrainConfig, make_circles, train
from nnintro.experiments.torch_versions import (
    TOLERANCE,
    nn_model_check,
    trajectories_finding,
)
from nnintro.torch_versions import TRAINERS, train_manual, training_schedule

CONFIG = TrainConfig(batch_size=20, eta=0.5, epochs=2, seed=3)


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=1)


@pytest.fixture(scope="module")
def start_and_schedule(data):
    return training_schedule(CONFIG, 2, 2, len(data.Xtrain))


@pytest.fixture(scope="module")
def finding(data, start_and_schedule):
    start, schedule = start_and_schedule
    X, Y = data.Xtrain, data.Ytrain
    runs = {
        name: trainer(start, X, Y, schedule, CONFIG.eta)
        for name, trainer in TRAINERS.items()
    }
    return trajectories_finding(runs, start, train(CONFIG, data))


def test_nn_model_claims_hold_and_fail(data, start_and_schedule):
    start, _ = start_and_schedule
    check = nn_model_check(start, data.Xtest, data.Ytest)
    assert check.require() is check
    assert check.shapes == ((10, 2), (2, 10))
    with pytest.raises(AssertionError, match="pytorch-ce-one-hot"):
        dataclasses.replace(check, ce_one_hot_gap=1e-3).require()
    with pytest.raises(AssertionError, match="pytorch-nn-shares-tensors"):
        dataclasses.replace(check, shares_memory=False).require()


def test_trajectories_agree(finding):
    assert finding.require() is finding
    assert set(finding.differences) == {"autograd", "nn", "nn + optim"}
    assert len(finding.losses["manual"]) == 2 * 10
    assert finding.worst <= TOLERANCE and finding.moved > 1e-2
    ids = [c.id for c in finding.claims()]
    assert "pytorch-nn-optim-follows" in ids and len(ids) == len(set(ids))
    table = finding.table().splitlines()
    assert len(table) == 2 + 3 and table[2].startswith("| autograd |")


def test_a_wrong_learning_rate_breaks_the_claims(
    data, start_and_schedule, finding
):
    start, schedule = start_and_schedule
    runs = {
        name: trainer(start, data.Xtrain, data.Ytrain, schedule, CONFIG.eta)
        for name, trainer in TRAINERS.items()
    }
    runs["autograd"] = train_manual(
        start, data.Xtrain, data.Ytrain, schedule, CONFIG.eta * 1.001
    )
    off = trajectories_finding(runs, start, train(CONFIG, data))
    with pytest.raises(AssertionError, match="pytorch-autograd-follows"):
        off.require()


def test_manual_not_train_is_caught(finding):
    moved = dataclasses.replace(finding, train_gap=1e-16)
    with pytest.raises(AssertionError, match="pytorch-manual-is-train"):
        moved.require()
    still = dataclasses.replace(finding, moved=0.0)
    with pytest.raises(AssertionError, match="pytorch-parameters-moved"):
        still.require()
    losses = {**finding.losses, "nn": finding.losses["nn"] + 1e-6}
    with pytest.raises(AssertionError, match="pytorch-losses-agree"):
        dataclasses.replace(finding, losses=losses).require()
    assert np.all(finding.losses["manual"] > 0)
