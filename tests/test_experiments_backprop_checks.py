"""Questions 14 to 17 in floating point, and their claims both ways."""

import dataclasses

import numpy as np
import pytest

from nnintro import init_params, make_circles
from nnintro.experiments.backprop_checks import (
    factor_n_mismatch,
    gradient_check,
    underflow_study,
)

DATA = make_circles(0)


def test_underflow_on_a_coarse_grid():
    finding = underflow_study(np.linspace(0.0, 1000.0, 41)).require()
    assert 700 <= float(finding.numbers()["backprop-q14-overflow-gap"]) <= 800


def test_a_simplified_form_that_overflowed_too_fails():
    finding = underflow_study(np.linspace(0.0, 1000.0, 41))
    broken = dataclasses.replace(finding, simplified=finding.naive)
    with pytest.raises(AssertionError, match="q14-simplified-exact"):
        broken.require()


def test_scale_mismatch_is_exactly_n():
    finding = factor_n_mismatch(N=5).require()
    assert finding.numbers()["backprop-scale-ratio"] == "5"
    wrong_n = dataclasses.replace(finding, N=4)
    with pytest.raises(AssertionError, match="q15-sum-is-N-times-mean"):
        wrong_n.require()


def test_gradient_check_and_a_wrong_backward():
    params = init_params(2, 5, 2, seed=1)
    finding = gradient_check(
        params, DATA.Xtrain[:6], DATA.Ytrain[:6]
    ).require()
    report = dataclasses.replace(
        finding.report, vs_autograd={**finding.report.vs_autograd, "Wh": 1e-3}
    )
    with pytest.raises(AssertionError, match="q17-backward-equals-autograd"):
        dataclasses.replace(finding, report=report).require()
