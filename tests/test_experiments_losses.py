"""Questions 8 and 9 in numbers, and their claims both ways."""

import dataclasses

import numpy as np
import pytest
import sympy as sp

from nnintro.derivations.loss import true_logit_gradient_functions
from nnintro.experiments.losses import (
    autograd_true_logit_gradients,
    logit_gradients,
    signs_at,
)

PREDICTION = (sp.Rational(2, 10), sp.Rational(5, 10), sp.Rational(3, 10))


def test_signs_at_one_prediction():
    finding = signs_at(PREDICTION).require()
    assert finding.ce == (-5, 0, 0)
    assert finding.mse == (sp.Rational(-8, 5), 1, sp.Rational(3, 5))
    assert finding.table().count("\n") == 3


def test_a_cross_entropy_that_pushed_every_class_fails():
    finding = signs_at(PREDICTION)
    broken = dataclasses.replace(finding, ce=(-5, 1, 1))
    with pytest.raises(AssertionError, match="q8-ce-pushes-true-class-only"):
        broken.require()


def test_logit_gradients_on_a_coarse_grid():
    finding = logit_gradients(np.linspace(-10, 10, 401)).require()
    assert finding.numbers()["loss-ratio-at-wrong"] == "101"


def test_autograd_that_disagreed_with_sympy_fails():
    finding = logit_gradients()
    shifted = {k: v + 1e-6 for k, v in finding.autograd.items()}
    with pytest.raises(AssertionError, match="q9-sympy-equals-autograd"):
        dataclasses.replace(finding, autograd=shifted).require()


def test_autograd_logit_gradients_match_sympy():
    z = np.linspace(-9, 9, 19)
    auto = autograd_true_logit_gradients(z)
    sym = true_logit_gradient_functions()
    for name in ("cross-entropy", "squared error"):
        np.testing.assert_allclose(
            auto[name], sym[name](z), rtol=1e-9, atol=1e-15
        )
