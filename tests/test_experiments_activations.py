"""Question 3: with and without tanh, the best lines,
and the claims both ways."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro import make_circles
from nnintro.experiments.activations import (
    ActivationRunConfig,
    activation_forward,
    activation_study,
    best_half_plane,
    train_with_activation,
)

DATA = make_circles(0)


@pytest.fixture(scope="module")
def finding():
    return activation_study(DATA, ActivationRunConfig(epochs=150))


def test_the_short_run_already_shows_every_claim(finding):
    assert finding.require() is finding
    assert {c.id for c in finding.claims()} >= {
        "q3-tanh-separates",
        "q3-linear-net-near-constant",
    }


def test_a_linear_network_that_separated_the_circles_fails_the_claims(finding):
    linear = dataclasses.replace(finding.runs["identity"], test_acc=0.9)
    runs = {**finding.runs, "identity": linear}
    broken = dataclasses.replace(
        finding, runs=runs, linear_prob_range=(0.01, 0.99)
    )
    with pytest.raises(AssertionError) as error:
        broken.require()
    assert "q3-linear-net-near-constant" in str(error.value)
    assert "q3-linear-net-below-lines" in str(error.value)


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


def test_unknown_activation_is_refused():
    with pytest.raises(KeyError, match="unknown activation"):
        train_with_activation(DATA, "sigmoid")


def test_without_activation_the_logits_are_affine_in_x():
    run = train_with_activation(
        DATA, "identity", ActivationRunConfig(epochs=20)
    )
    X = torch.tensor([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], dtype=torch.float64)
    _, ytilde = activation_forward(run.params, X, "identity")
    second_difference = ytilde[2] - 2 * ytilde[1] + ytilde[0]
    torch.testing.assert_close(
        second_difference, torch.zeros(2, dtype=torch.float64)
    )
    assert run.loss.shape == (21,)
