"""The checks of the manual network as findings, and their claims both ways."""

import dataclasses
import math

import pytest

from nnintro import TrainConfig, init_params, make_circles
from nnintro.experiments.manual_training import (
    LOUD_SCALE,
    forward_check,
    gradient_check,
    init_check,
    loss_check,
    probability_table,
    shape_table,
    step_check,
    training_run,
)


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


@pytest.fixture(scope="module")
def params():
    return init_params(2, 10, 2, seed=0)


def test_init_claims_hold_and_fail():
    finding = init_check(2, 10, 2, seed=0, big=(20, 50, 20))
    assert finding.require() is finding
    assert finding.count == 1000
    wrong_shapes = dataclasses.replace(
        finding, shapes={**finding.shapes, "Wh": (2, 10)}
    )
    with pytest.raises(AssertionError, match="manual-init-shapes"):
        wrong_shapes.require()
    with pytest.raises(AssertionError, match="manual-init-std"):
        dataclasses.replace(finding, std=0.31).require()
    with pytest.raises(AssertionError, match="manual-init-repeatable"):
        dataclasses.replace(finding, differing=3).require()


def test_forward_claims_hold_and_fail(params, data):
    finding = forward_check(params, data.Xtrain[:5])
    assert finding.require() is finding
    assert finding.expected["htilde"] == (5, 10)
    with pytest.raises(AssertionError, match="manual-forward-column-form"):
        dataclasses.replace(finding, column_gap=1e-3).require()
    with pytest.raises(AssertionError, match="manual-forward-probabilities"):
        dataclasses.replace(finding, smallest=0.0).require()


def test_loss_finding_counts_the_exact_zeros(params, data):
    finding = loss_check(params, data, n=5)
    assert finding.require() is finding
    assert 0 < finding.zero_rows < finding.rows == len(data.Xtrain)
    assert (
        finding.target_zero_rows + finding.other_zero_rows == finding.zero_rows
    )
    assert finding.loud_log_form == math.inf
    assert "ytilde=" in finding.loud_warning
    assert finding.gap_zero > 700 > finding.gap_other * 0.9
    assert finding.numbers()["manual-loud-scale"] == f"{LOUD_SCALE:,}".replace(
        ",", " "
    )


def test_loss_claims_fail_on_the_old_sentence(params, data):
    """'SoftMax rounds the smaller probability to 0 on every point' fails."""
    finding = loss_check(params, data, n=5)
    every = dataclasses.replace(finding, zero_rows=finding.rows)
    with pytest.raises(AssertionError, match="manual-loud-exact-zeros"):
        every.require()
    finite = dataclasses.replace(finding, loud_log_form=1.0)
    with pytest.raises(AssertionError, match="manual-loud-log-form-inf"):
        finite.require()
    silent = dataclasses.replace(finding, loud_warning="")
    with pytest.raises(AssertionError, match="manual-loud-log-form-inf"):
        silent.require()
    off = dataclasses.replace(
        finding, loud_logit_form=finding.loud_reference * 1.01
    )
    with pytest.raises(AssertionError, match="manual-loud-logit-form"):
        off.require()


def test_gradient_finding_and_its_table(params, data):
    finding = gradient_check(params, data.Xtrain[:4], data.Ytrain[:4])
    assert finding.require() is finding
    table = finding.table().splitlines()
    assert len(table) == 2 + 4 and table[2].startswith("| `Wh` |")
    report = dataclasses.replace(
        finding.report,
        vs_autograd={**finding.report.vs_autograd, "Wy": 1e-6},
    )
    with pytest.raises(AssertionError, match="manual-grad-autograd"):
        dataclasses.replace(finding, report=report).require()


def test_step_claims_hold_and_fail(params, data):
    finding = step_check(params, data.Xtrain[:20], data.Ytrain[:20])
    assert finding.require() is finding
    assert finding.rule_gap == 0.0 and finding.changed == 0
    up = dataclasses.replace(finding, loss_after=finding.loss_before + 1)
    with pytest.raises(AssertionError, match="manual-step-lowers-loss"):
        up.require()
    with pytest.raises(AssertionError, match="manual-step-pure"):
        dataclasses.replace(finding, changed=1).require()


def test_training_run_on_a_short_schedule(data):
    config = TrainConfig(epochs=3, batch_size=50, snapshot_epochs=(0, 1, 3))
    finding = training_run(config, data)
    assert finding.numbers()["manual-updates"] == 3 * 4
    ids = {c.id: c for c in finding.claims()}
    assert ids["manual-train-updates"].holds
    # three epochs are too few to reach 90 %: the claim says so
    assert not ids["manual-train-accuracy"].holds
    with pytest.raises(AssertionError, match="manual-train-accuracy"):
        finding.require()


def test_tables_are_markdown(params, data):
    assert shape_table(params).splitlines()[2] == "| `Wh` | 10 × 2 |"
    X = data.Xtrain[:2]
    from nnintro import forward

    lines = probability_table(X, forward(params, X)[0]).splitlines()
    assert len(lines) == 4 and lines[2].endswith("| 1.000 |")
