"""The backprop page (questions 14 to 17) in floating point: underflow, the
factor N, and the gradient check."""

import dataclasses

import numpy as np
import pytest

from nnintro import init_params, make_circles
from nnintro.experiments.backprop import (
    factor_n_mismatch,
    gradient_check,
    underflow_study,
)

DATA = make_circles(0)


def test_underflow_on_a_coarse_grid():
    finding = underflow_study(np.linspace(0.0, 1000.0, 41)).require()
    assert 700 <= finding.numbers()["backprop-q14-overflow-gap"] <= 800


def test_a_simplified_form_that_overflowed_too_fails():
    finding = underflow_study(np.linspace(0.0, 1000.0, 41))
    broken = dataclasses.replace(finding, simplified=finding.naive)
    with pytest.raises(AssertionError, match="q14-simplified-exact"):
        broken.require()


def test_scale_mismatch_is_exactly_n():
    finding = factor_n_mismatch(N=5).require()
    assert finding.numbers()["backprop-scale-ratio"] == pytest.approx(5)
    assert finding.backward_error < 1e-12  # backward keeps the 1/N


def test_gradient_check_holds_on_another_shape():
    params = init_params(2, 5, 2, seed=1)
    finding = gradient_check(params, DATA.Xtrain[:6], DATA.Ytrain[:6])
    assert finding.require() is finding
    assert set(finding.report.vs_autograd) == {"Wh", "bh", "Wy", "by"}
