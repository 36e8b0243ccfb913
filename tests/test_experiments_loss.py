"""The loss page (questions 8 and 9): the signs at one prediction, and the
two losses' gradients on the true logit, SymPy against autograd."""

import dataclasses

import numpy as np
import pytest
import sympy as sp
import torch

from nnintro.derivations.loss import true_logit_gradient_functions
from nnintro.experiments.loss import logit_gradients, signs_at
from nnintro.plots.loss import signs_table

PREDICTION = (sp.Rational(2, 10), sp.Rational(5, 10), sp.Rational(3, 10))


def test_signs_at_one_prediction():
    finding = signs_at(PREDICTION).require()
    assert finding.ce == (-5, 0, 0)
    assert finding.mse == (sp.Rational(-8, 5), 1, sp.Rational(3, 5))
    assert signs_table(finding).count("\n") == 3


def test_a_cross_entropy_that_pushed_every_class_fails():
    broken = dataclasses.replace(signs_at(PREDICTION), ce=(-5, 1, 1))
    with pytest.raises(AssertionError, match="q8-ce-pushes-true-class-only"):
        broken.require()


def test_logit_gradients_on_the_page_grid():
    finding = logit_gradients().require()
    assert round(finding.numbers()["loss-ratio-at-wrong"]) == 101


def autograd_true_logit_gradients(z):
    """dl/dytilde_1 at logits (z, 0), target (1, 0), by autograd."""
    zt = torch.tensor(np.asarray(z, dtype=float), requires_grad=True)
    ytilde = torch.stack([zt, torch.zeros_like(zt)], dim=1)  # N x 2
    target = torch.tensor([1.0, 0.0], dtype=torch.float64)
    ce = -(target * torch.log_softmax(ytilde, dim=1)).sum()
    mse = ((torch.softmax(ytilde, dim=1) - target) ** 2).sum()
    (g_ce,) = torch.autograd.grad(ce, zt)
    (g_mse,) = torch.autograd.grad(mse, zt)
    return {"cross-entropy": g_ce.numpy(), "squared error": g_mse.numpy()}


def test_autograd_logit_gradients_match_sympy():
    z = np.linspace(-10, 10, 401)
    auto = autograd_true_logit_gradients(z)
    sym = true_logit_gradient_functions()
    for name in ("cross-entropy", "squared error"):
        assert np.max(np.abs(auto[name] - sym[name](z))) < 1e-12, name
