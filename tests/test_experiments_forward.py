"""The forward page (questions 3 to 7): with and without tanh, the best
lines, the interval of the hidden outputs, SoftMax in floating point, and the
column form against the batch form."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro import forward, init_params, make_circles
from nnintro.experiments.forward.activation import (
    ACTIVATIONS,
    ActivationRunConfig,
    activation_forward,
    activation_study,
    best_half_plane,
    train_with_activation,
)
from nnintro.experiments.forward.outputs import (
    PredictionsFinding,
    softmax_in_floating_point,
)
from nnintro.forward_pass import column_forward, softmax
from nnintro.plots.forward import predictions_table

DATA = make_circles(0)
PARAMS = init_params(2, 10, 2, seed=0)


@pytest.fixture(scope="module")
def finding():
    return activation_study(DATA, ActivationRunConfig(epochs=150))


def test_the_short_run_already_shows_every_claim(finding):
    assert finding.require() is finding
    assert finding.hidden_max["tanh"] < 1 < finding.hidden_max["identity"]


def test_the_interval_claim_fails_when_tanh_reaches_one(finding):
    # the sentence "inside (-1, 1)" with a hidden output of exactly 1
    reached = dataclasses.replace(
        finding, hidden_max={**finding.hidden_max, "tanh": 1.0}
    )
    with pytest.raises(AssertionError, match="q3-tanh-bounds-hidden"):
        reached.require()


def test_best_half_plane_is_optimal_on_a_separable_set():
    X = torch.tensor([[0.0, -1.0], [1.0, -2.0], [0.0, 1.0], [2.0, 3.0]])
    Y = torch.tensor([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=torch.float64)
    rule = best_half_plane(X.double(), Y, angles=360)
    assert rule.accuracy(X.double(), Y) == 1.0


def test_best_half_plane_beats_a_fixed_line():
    rule = best_half_plane(DATA.Xtest, DATA.Ytest, angles=720)
    vertical = np.mean(
        (DATA.Xtest[:, 0] > 0).numpy() == (DATA.Ytest[:, 1] == 1).numpy()
    )
    assert rule.accuracy(DATA.Xtest, DATA.Ytest) >= vertical


def test_without_activation_the_logits_are_affine_in_x():
    params = train_with_activation(
        DATA, ACTIVATIONS["identity"], ActivationRunConfig(epochs=20)
    )
    X = torch.tensor([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], dtype=torch.float64)
    _, ytilde, _ = activation_forward(params, X, ACTIVATIONS["identity"])
    second_difference = ytilde[2] - 2 * ytilde[1] + ytilde[0]
    torch.testing.assert_close(
        second_difference, torch.zeros(2, dtype=torch.float64)
    )


def test_parameter_count_is_the_formula():
    for nx, nh, ny in ((2, 4, 2), (784, 100, 10), (3, 1, 5)):
        params = init_params(nx, nh, ny, seed=0)
        counted = sum(p.numel() for p in params.values())
        assert counted == nh * (nx + 1) + ny * (nh + 1)


def test_targets_are_one_hot_and_predictions_probabilities():
    Yhat, _ = forward(PARAMS, DATA.Xtrain[:4])
    Y = DATA.Ytrain[:4]
    assert bool(((Y == 0) | (Y == 1)).all()) and bool((Y.sum(1) == 1).all())
    assert bool((Yhat > 0).all())
    torch.testing.assert_close(Yhat.sum(1), torch.ones(4, dtype=Yhat.dtype))
    finding = PredictionsFinding(Y, Yhat).require()
    assert (
        predictions_table(finding).count("\n") == 5
    )  # header, rule, four rows


def test_a_naive_softmax_fails_the_floating_point_claims():
    ytilde = torch.tensor(
        [[1.0, -2.0, 0.5], [800.0, 799.0, 0.0]], dtype=torch.float64
    )
    finding = softmax_in_floating_point(ytilde).require()
    naive = torch.exp(ytilde) / torch.exp(ytilde).sum(dim=1, keepdim=True)
    with pytest.raises(AssertionError, match="q6-softmax-finite"):
        dataclasses.replace(finding, yhat=naive).require()


def test_two_class_softmax_is_the_sigmoid_of_the_difference():
    ytilde = torch.randn(50, 2, dtype=torch.float64) * 30
    sigmoid = torch.sigmoid(ytilde[:, 0] - ytilde[:, 1])
    torch.testing.assert_close(
        softmax(ytilde)[:, 0], sigmoid, rtol=0, atol=4e-16
    )


def test_batch_forward_equals_the_column_form_example_by_example():
    X = DATA.Xtrain[:16]
    _, outputs = forward(PARAMS, X)
    for n in range(X.shape[0]):
        column = column_forward(PARAMS, X[n].reshape(-1, 1))
        for name, value in column.items():
            row = outputs[name][n].reshape(-1, 1)
            assert float((row - value).abs().max()) < 1e-12, name
