"""The Part I experiments: shapes, determinism, and the facts the pages state."""

import math

import numpy as np
import pytest
import torch

from nnintro import experiments as ex
from nnintro import make_circles
from nnintro.derivations.loss import true_logit_gradient_functions

DATA = make_circles(0)


def test_without_activation_the_network_is_linear_and_fails_on_circles():
    config = ex.ActivationRunConfig(epochs=150)
    linear = ex.train_with_activation(DATA, "identity", config)
    tanh = ex.train_with_activation(DATA, "tanh", config)
    assert linear.test_acc < 0.7 < 0.85 < tanh.test_acc
    # the identity network's logits are an affine function of x: second differences vanish
    X = torch.tensor([[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]], dtype=torch.float64)
    _, ytilde = ex.activation_forward(linear.params, X, "identity")
    torch.testing.assert_close(
        ytilde[2] - 2 * ytilde[1] + ytilde[0], torch.zeros(2, dtype=torch.float64)
    )
    assert linear.loss.shape == (151,)


def test_unknown_activation():
    with pytest.raises(KeyError):
        ex.train_with_activation(DATA, "softplus")


def test_step_activation_has_zero_gradient():
    t = torch.linspace(-2, 2, 9, dtype=torch.float64)
    assert torch.equal(ex.step_gradient_from_autograd(t), torch.zeros(9, dtype=torch.float64))
    grads = ex.activation_gradients(DATA, "step")
    assert float(grads["Wh"].abs().max()) == 0.0 and float(grads["bh"].abs().max()) == 0.0
    assert float(grads["Wy"].abs().max()) > 0
    tanh_grads = ex.activation_gradients(DATA, "tanh")
    assert float(tanh_grads["Wh"].abs().max()) > 0


def test_batch_size_runs_count_updates():
    study = ex.BatchSizeStudy(batch_sizes=(200, 10, 1), epochs=2)
    runs = ex.batch_size_runs(DATA, study)
    for bs, history in runs.items():
        assert history.updates[-1] == 2 * math.ceil(200 / bs)
        assert not history.diverged


def test_learning_rate_sweep_reports_divergence():
    study = ex.LearningRateStudy(etas=(0.1, 10.0), epochs=3)
    runs = ex.learning_rate_runs(DATA, study)
    assert not runs[0.1].diverged
    assert runs[10.0].diverged and "diverged" in runs[10.0].status


def test_autograd_logit_gradients_match_sympy():
    z = np.linspace(-9, 9, 19)
    auto = ex.autograd_true_logit_gradients(z)
    sym = true_logit_gradient_functions()
    for name in ("cross-entropy", "squared error"):
        np.testing.assert_allclose(auto[name], sym[name](z), rtol=1e-9, atol=1e-15)
