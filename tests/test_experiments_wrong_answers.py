"""Each wrong answer is refuted, and each refutation can fail."""

import dataclasses
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnintro.experiments.wrong_answers as wa
from nnintro.digits_data import load_sklearn_digits
from nnintro.experiments.wrong_answers.init_scale import (
    CIRCLES_INIT,
    DIGITS_INIT,
)
from nnintro.plots.wrong_answers import init_figure

CIRCLES = CIRCLES_INIT  # 60 epochs: the page's run, a second or so
DIGITS = dataclasses.replace(DIGITS_INIT, epochs=3)


def test_targets_off_the_simplex_break_the_simplification():
    case = wa.simplification_without_simplex_targets()
    assert case.require() is case
    assert case.sum_yhat == 1 and case.sum_y == 2


def test_targets_on_the_simplex_are_no_counterexample():
    case = wa.simplification_without_simplex_targets(y=(0.25, 0.25, 0.5))
    assert case.residual == 0.0
    with pytest.raises(AssertionError, match="wrong-simplex-forms-differ"):
        case.require()


def test_summed_output_gradient_is_zero_and_wrong():
    case = wa.output_gradient_with_summed_error()
    assert case.require() is case
    assert abs(case.summed) < 1e-15 and case.largest_wrong < 1e-15


def test_hidden_gradient_without_upstream_ignores_the_target():
    case = wa.hidden_gradient_without_upstream()
    assert case.require() is case
    assert case.wrong_change == 0.0 and case.true_change > 0.1


@pytest.fixture(scope="module")
def init():
    return wa.init_variance_study(
        load_sklearn_digits(seed=0), CIRCLES, DIGITS, sample_shape=(300, 400)
    )


def test_the_course_weights_have_variance_0_09(init):
    assert abs(init.sample_std - 0.3) < 0.003
    assert init.sample_size == 120_000
    assert init.circles.stds == (0.3, math.sqrt(0.3))


def test_variance_0_3_saturates_the_digits(init):
    d = init.digits
    assert d.saturated_fraction[0] < 0.1 < d.saturated_fraction[1]
    assert d.hidden[0].shape == (1348 * DIGITS.nh,)


def test_the_init_claims_hold_on_the_reduced_run(init):
    assert init.require() is init


def test_an_early_epoch_where_the_course_scale_leads_fails_the_claim(init):
    """Issue 20, finding 2: the claim tests each early epoch it names.
    Give the course's scale a lead at epoch 15 only: the claim fails."""
    right = init.circles.histories[0]
    acc = right.test_acc.copy()
    acc[15] = init.circles.histories[1].test_acc[15] + 0.005
    behind = dataclasses.replace(
        init.circles,
        histories=(dataclasses.replace(right, test_acc=acc),)
        + init.circles.histories[1:],
    )
    failing = dataclasses.replace(init, circles=behind).failing()
    assert [c.id for c in failing] == ["wrong-init-circles-ahead-early"]
    assert "epoch 15" in failing[0].describe_values()


def test_the_same_std_twice_shows_no_difference():
    config = dataclasses.replace(CIRCLES_INIT, epochs=20)
    run = wa.init_scale_comparison(config=config, stds=(0.3, 0.3))
    assert run.saturated_fraction[0] == run.saturated_fraction[1]
    assert np.array_equal(run.histories[0].test_acc, run.histories[1].test_acc)
    init = wa.InitVariance(0.3, 100, run, run, 2, 200)
    assert {c.id for c in init.failing()} == {
        "wrong-init-slope-lower",
        "wrong-init-loss-higher",
        "wrong-init-digits-saturate",
        "wrong-init-circles-ahead-early",
        "wrong-init-digits-behind",
    }


def test_init_figure_draws(init):
    fig = init_figure(init)
    assert len(fig.axes) == 3
    plt.close("all")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_skip_connection_backprop_needs_both_paths(seed):
    check = wa.skip_connection_check(B=5 + seed, seed=seed)
    assert check.require() is check
    assert check.one_path_vs_autograd > 0.1


def test_claim_ids_are_unique_and_of_the_page(init):
    findings = [
        wa.simplification_without_simplex_targets(),
        wa.output_gradient_with_summed_error(),
        wa.hidden_gradient_without_upstream(),
        init,
        wa.skip_connection_check(),
    ]
    ids = [c.id for f in findings for c in f.claims()]
    assert len(ids) == len(set(ids)) == 14
    assert all(i.startswith("wrong-") for i in ids)
    assert {f.page for f in findings} == {"wrong_answers"}
