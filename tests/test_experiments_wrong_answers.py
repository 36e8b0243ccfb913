"""Each wrong answer is refuted, and each refutation can fail."""

import dataclasses
import math

import matplotlib.pyplot as plt
import pytest
import torch

import nnintro.experiments.wrong_answers as wa
from nnintro.digits import load_sklearn_digits
from nnintro.plots.wrong_answers import init_figure

CIRCLES = dataclasses.replace(wa.CIRCLES_INIT, epochs=30)
DIGITS = dataclasses.replace(wa.DIGITS_INIT, epochs=3)


def test_targets_off_the_simplex_break_the_simplification():
    case = wa.simplification_without_simplex_targets()
    assert case.require() is case
    assert case.sum_yhat == 1 and case.sum_y == 2
    gap = case.cross_entropy - case.simplified
    assert math.isclose(gap, case.residual, rel_tol=1e-12)


def test_targets_on_the_simplex_are_no_counterexample():
    case = wa.simplification_without_simplex_targets(y=(0.25, 0.25, 0.5))
    assert case.residual == 0.0
    with pytest.raises(AssertionError, match="wrong-simplex-forms-differ"):
        case.require()


def test_summed_output_gradient_is_zero_and_wrong():
    case = wa.output_gradient_with_summed_error()
    assert case.require() is case
    assert abs(case.summed) < 1e-15
    assert float(case.wrong.abs().max()) < 1e-15
    assert float(case.correct.abs().max()) > 0.05
    # the true gradient in place of the wrong one refutes nothing
    fair = dataclasses.replace(case, wrong=case.correct)
    with pytest.raises(AssertionError) as error:
        fair.require()
    assert "wrong-summed-error-vanishes" in str(error.value)
    assert "wrong-summed-error-nothing-left" in str(error.value)


def test_hidden_gradient_without_upstream_ignores_the_target():
    case = wa.hidden_gradient_without_upstream()
    assert case.require() is case
    assert case.wrong_change == 0.0 and case.true_change > 0.1
    seeing = dataclasses.replace(case, wrong_change=0.3)
    with pytest.raises(AssertionError, match="wrong-upstream-blind"):
        seeing.require()
    exact = dataclasses.replace(case, wrong=case.correct)
    with pytest.raises(AssertionError, match="wrong-upstream-far"):
        exact.require()


@pytest.mark.parametrize("B", [2, 5, 8])
def test_factor_b_mismatch_is_exactly_b(B):
    case = wa.factor_b_mismatch(B=B)
    assert case.require() is case
    torch.testing.assert_close(
        case.ratios, torch.full_like(case.ratios, float(B))
    )
    assert math.isclose(
        case.relative_error_without_1_over_B, 1 - 1 / B, rel_tol=1e-9
    )


def test_factor_b_claim_fails_for_another_factor():
    case = wa.factor_b_mismatch(B=8)
    off = dataclasses.replace(case, B=4)
    with pytest.raises(AssertionError, match="wrong-scale-factor-b"):
        off.require()
    bad = dataclasses.replace(case, relative_error_backward=1e-3)
    with pytest.raises(AssertionError, match="wrong-scale-backward-agrees"):
        bad.require()


@pytest.fixture(scope="module")
def init():
    return wa.init_variance_study(
        load_sklearn_digits(seed=0), CIRCLES, DIGITS, sample_shape=(300, 400)
    )


def test_the_course_weights_have_variance_0_09(init):
    assert abs(init.sample_std - 0.3) < 0.003
    assert init.sample_size == 120_000
    assert init.circles.stds == (0.3, math.sqrt(0.3))
    numbers = init.numbers()
    assert numbers["wrong-init-std"] == "0.548"
    assert numbers["wrong-init-factor"] == "1.83"


def test_variance_0_3_saturates_the_digits(init):
    d = init.digits
    assert d.saturated_fraction[0] < 0.1 < d.saturated_fraction[1]
    assert d.mean_tanh_slope[1] < d.mean_tanh_slope[0]
    assert d.initial_loss[1] > d.initial_loss[0]
    assert d.hidden[0].shape == (1348 * DIGITS.nh,)


def test_init_claims_on_the_reduced_run(init):
    claims = {c.id: c.holds for c in init.claims()}
    for key in (
        "wrong-init-variance",
        "wrong-init-slope-lower",
        "wrong-init-digits-saturate",
        "wrong-init-loss-higher",
        "wrong-init-digits-behind",
    ):
        assert claims[key], key


def test_a_sample_with_variance_0_3_breaks_the_claim(init):
    wide = dataclasses.replace(init, sample_std=math.sqrt(0.3))
    with pytest.raises(AssertionError, match="wrong-init-variance"):
        wide.require()


def test_the_same_std_twice_shows_no_difference():
    run = wa.init_scale_comparison(
        config=dataclasses.replace(wa.INIT_COMPARISON, epochs=2),
        stds=(0.3, 0.3),
    )
    assert run.saturated_fraction[0] == run.saturated_fraction[1]
    assert run.final_test_acc[0] == run.final_test_acc[1]
    init = wa.InitVariance(0.3, 100, run, run, 2, 200)
    failing = {c.id for c in init.failing()}
    assert {
        "wrong-init-slope-lower",
        "wrong-init-digits-saturate",
        "wrong-init-loss-higher",
        "wrong-init-digits-behind",
    } <= failing


def test_init_figure_draws(init):
    fig = init_figure(init)
    assert len(fig.axes) == 3
    plt.close("all")


def test_skip_connection_backprop_needs_both_paths():
    check = wa.skip_connection_check()
    assert check.require() is check
    assert check.one_path_vs_autograd > 0.1
    chain = dataclasses.replace(check, one_path_vs_autograd=1e-9)
    with pytest.raises(AssertionError, match="wrong-dag-one-path-fails"):
        chain.require()


@pytest.mark.parametrize("seed", [1, 2])
def test_skip_connection_other_seeds(seed):
    assert wa.skip_connection_check(B=5, seed=seed).require()


def test_claim_ids_are_unique_and_of_the_page(init):
    findings = [
        wa.simplification_without_simplex_targets(),
        wa.output_gradient_with_summed_error(),
        wa.hidden_gradient_without_upstream(),
        wa.factor_b_mismatch(),
        init,
        wa.skip_connection_check(),
    ]
    ids = [c.id for f in findings for c in f.claims()]
    assert len(ids) == len(set(ids)) == 15
    assert all(i.startswith("wrong-") for i in ids)
    assert {f.page for f in findings} == {"wrong_answers"}
