"""The PyTorch page: the nn model computes our functions, the manual version
is train, and the four trajectories agree."""

import numpy as np
import pytest
import torch

from nnintro import TrainConfig, forward, make_circles, train
from nnintro.experiments.pytorch import TOLERANCE, trajectories_finding
from nnintro.network import cross_entropy_from_logits
from nnintro.torch_versions import (
    TRAINERS,
    max_parameter_difference,
    model_params,
    nn_model,
    predict_proba,
    train_manual,
    training_schedule,
)

CONFIG = TrainConfig(batch_size=20, eta=0.5, epochs=2, seed=3)


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=1)


@pytest.fixture(scope="module")
def start_and_schedule(data):
    return training_schedule(CONFIG, 2, 2, len(data.Xtrain))


def runs_from(start, schedule, data, eta=CONFIG.eta):
    X, Y = data.Xtrain, data.Ytrain
    return {
        name: trainer(start, X, Y, schedule, eta)
        for name, trainer in TRAINERS.items()
    }


@pytest.fixture(scope="module")
def finding(data, start_and_schedule):
    start, schedule = start_and_schedule
    runs = runs_from(start, schedule, data)
    return trajectories_finding(runs, start, train(CONFIG, data))


def test_the_nn_model_holds_our_tensors_and_computes_our_functions(
    data, start_and_schedule
):
    start, _ = start_and_schedule
    shared = {k: v.clone() for k, v in start.items()}
    model = nn_model(shared)
    hidden, output = model[0], model[2]
    assert hidden.weight.data_ptr() == shared["Wh"].data_ptr()
    assert tuple(hidden.weight.shape) == (10, 2)
    assert tuple(output.weight.shape) == (2, 10)
    assert max_parameter_difference(model_params(model), start) == 0.0
    X, Y = data.Xtest, data.Ytest
    Yhat, outputs = forward(shared, X)
    with torch.no_grad():
        logits = model(X)
        loss = torch.nn.CrossEntropyLoss()
        by_index, by_one_hot = loss(logits, Y.argmax(dim=1)), loss(logits, Y)
    torch.testing.assert_close(logits, outputs["ytilde"], rtol=0, atol=1e-14)
    torch.testing.assert_close(
        predict_proba(model, X), Yhat, rtol=0, atol=1e-14
    )
    ours = cross_entropy_from_logits(outputs["ytilde"], Y)
    for theirs in (by_index, by_one_hot):
        torch.testing.assert_close(theirs, ours, rtol=1e-14, atol=0)


def test_the_manual_version_is_train_bit_for_bit(data, start_and_schedule):
    start, schedule = start_and_schedule
    manual = train_manual(start, data.Xtrain, data.Ytrain, schedule, 0.5)
    history = train(CONFIG, data)
    assert max_parameter_difference(manual.final, history.params) == 0.0


def test_trajectories_agree(finding):
    assert finding.require() is finding
    assert set(finding.differences) == {"autograd", "nn", "nn + optim"}
    assert len(finding.losses["manual"]) == 2 * 10
    assert finding.worst <= TOLERANCE and finding.moved > 1e-2
    assert np.all(finding.losses["manual"] > 0)
    table = finding.table().splitlines()
    assert len(table) == 2 + 3 and table[2].startswith("| autograd |")


def test_a_wrong_learning_rate_breaks_the_claims(data, start_and_schedule):
    start, schedule = start_and_schedule
    runs = runs_from(start, schedule, data)
    runs["autograd"] = train_manual(
        start, data.Xtrain, data.Ytrain, schedule, CONFIG.eta * 1.001
    )
    off = trajectories_finding(runs, start, train(CONFIG, data))
    failing = [c.id for c in off.failing()]
    assert "pytorch-versions-follow" in failing
    assert "autograd" in off.failing()[0].describe_values()
