"""Each wrong answer is refuted by its counterexample, and the counterexample is sensitive."""

import math
from dataclasses import replace

import pytest
import torch

import nnintro.wrong_answers as wa
from nnintro.digits import load_sklearn_digits


def test_targets_off_the_simplex_break_the_simplification():
    case = wa.simplification_without_simplex_targets()
    assert case.refuted
    assert case.sum_yhat == 1 and case.sum_y == 2
    assert math.isclose(case.cross_entropy - case.simplified, case.residual, rel_tol=1e-12)


def test_targets_on_the_simplex_are_no_counterexample():
    case = wa.simplification_without_simplex_targets(y=(0.25, 0.25, 0.5))
    assert case.residual == 0.0
    assert not case.refuted


def test_summed_output_gradient_is_zero_and_wrong():
    case = wa.output_gradient_with_summed_error()
    assert case.refuted
    assert abs(case.note) < 1e-15 and float(case.wrong.abs().max()) < 1e-15
    assert float(case.correct.abs().max()) > 0.05


def test_hidden_gradient_without_upstream_ignores_the_target():
    case = wa.hidden_gradient_without_upstream()
    assert case.refuted and case.note == 0.0
    assert wa.target_dependence_of_true_hidden_gradient() > 0.1


def test_factor_n_mismatch_is_exactly_n():
    for N in (2, 5, 8):
        case = wa.factor_n_mismatch(N=N)
        assert case.refuted
        torch.testing.assert_close(case.ratios, torch.full_like(case.ratios, float(N)))
        assert math.isclose(case.relative_error_without_1_over_N, 1 - 1 / N, rel_tol=1e-9)


def test_init_scale_saturates_and_hurts_on_digits():
    circles = wa.init_scale_comparison(config=replace(wa.INIT_COMPARISON, epochs=5))
    assert circles.saturates_more
    assert circles.saturated_fraction[0] < 0.01 < circles.saturated_fraction[1]
    digits = wa.init_scale_comparison(
        load_sklearn_digits(seed=0), replace(wa.INIT_COMPARISON, nh=20, epochs=20)
    )
    assert digits.saturates_more and digits.trains_worse
    assert digits.saturated_fraction[1] > 0.5


def test_same_std_twice_shows_no_difference():
    run = wa.init_scale_comparison(config=replace(wa.INIT_COMPARISON, epochs=2), stds=(0.3, 0.3))
    assert not run.saturates_more and not run.trains_worse


def test_skip_connection_backprop_is_correct_and_needs_both_paths():
    check = wa.skip_connection_check()
    assert check.refuted
    assert check.hand_vs_autograd < 1e-12 and check.one_path_vs_autograd > 0.1


@pytest.mark.parametrize("seed", [1, 2])
def test_skip_connection_other_seeds(seed):
    assert wa.skip_connection_check(N=5, seed=seed).refuted
