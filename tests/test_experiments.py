"""The Part I experiments: shapes, determinism, and the facts the pages state."""

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


def test_autograd_logit_gradients_match_sympy():
    z = np.linspace(-9, 9, 19)
    auto = ex.autograd_true_logit_gradients(z)
    sym = true_logit_gradient_functions()
    for name in ("cross-entropy", "squared error"):
        np.testing.assert_allclose(auto[name], sym[name](z), rtol=1e-9, atol=1e-15)
