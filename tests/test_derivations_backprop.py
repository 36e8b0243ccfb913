"""Questions 15-17: every equation has an identity, proved on the package's
own ``backward`` (tests/test_derivations.py checks that each holds), and a
wrong closed form in one step makes it fail."""

import dataclasses
from functools import partial

import pytest

import nnintro.derivations.backprop as bp
import nnintro.network as network
import nnintro.training as training
from nnintro.chain_rule import BATCH, COLUMN, ChainRule, tanh_prime
from nnintro.gradcheck import check_gradients
from nnintro.ledger import Case, case_data, numeric_row

LABELS = {
    "q15-grad",
    "q15-batch",
    "tanh-derivative",
    "q16-Wy",
    "q16-by",
    "q16-batch",
    "q17-htilde",
    "q17-Wh",
    "q17-bh",
    "q17-batch",
}


def test_every_equation_label_of_questions_15_to_17_has_an_identity():
    labels = {build().label for build in bp.IDENTITIES.values()}
    assert labels == LABELS


def test_the_proofs_run_the_backward_that_train_calls():
    assert bp.backward is network.backward is training.backward
    rule = network.backward.__wrapped__.__kwdefaults__["rule"]
    assert rule is BATCH  # train passes no rule: it runs BATCH
    assert bp.batch_gradients.__wrapped__.__kwdefaults__["rule"] is BATCH


WY, BY, WH, BH = (
    partial(bp.column_gradient, k) for k in ("Wy", "by", "Wh", "bh")
)
OUTPUT_BATCH = partial(bp.batch_gradients, "q16-batch")
HIDDEN_BATCH = partial(bp.batch_gradients, "q17-batch")

# A plausible wrong formula for each step of backward, in each form, written
# with the operations torch and SymTensor share; and the identities that
# must then fail.
WRONG = {
    ("column", "Delta_y"): (
        lambda yhat, y: y - yhat,  # sign flipped
        [bp.softmax_ce_gradient, BY],
    ),
    ("column", "grad_Wy"): (
        lambda d, h: d @ tanh_prime(h).T,  # a tanh' that does not belong
        [WY],
    ),
    ("column", "grad_by"): (lambda d: 2 * d, [BY]),
    ("column", "Delta_h"): (
        lambda Wy, d, h: Wy.T @ d,  # forgot tanh'
        [bp.hidden_preactivation_gradient, BH],
    ),
    ("column", "grad_Wh"): (
        lambda d, x: -(d @ x.T),
        [WH],
    ),
    ("column", "grad_bh"): (lambda d: d * d, [BH]),
    ("batch", "Delta_y"): (
        lambda Yhat, Y: Yhat - Y,  # forgot 1/N
        [bp.batch_softmax_ce_gradient, OUTPUT_BATCH],
    ),
    ("batch", "grad_Wy"): (
        lambda D, H: H.T @ D,
        [OUTPUT_BATCH],
    ),
    ("batch", "grad_by"): (
        lambda D: D.sum(dim=1),  # summed over classes, not examples
        [OUTPUT_BATCH],
    ),
    ("batch", "Delta_h"): (
        lambda Wy, D, H: D @ Wy,  # forgot tanh'
        [HIDDEN_BATCH],
    ),
    ("batch", "grad_Wh"): (
        lambda D, X: X.T @ D,
        [HIDDEN_BATCH],
    ),
    ("batch", "grad_bh"): (
        lambda D: 2 * D.sum(dim=0),
        [HIDDEN_BATCH],
    ),
}
RULES = {"column": COLUMN, "batch": BATCH}


def wrong_rule(form: str, step: str) -> ChainRule:
    return dataclasses.replace(RULES[form], **{step: WRONG[form, step][0]})


def test_every_step_of_backward_has_a_wrong_variant_in_each_form():
    steps = [field.name for field in dataclasses.fields(ChainRule)]
    assert set(WRONG) == {(form, s) for form in RULES for s in steps}


@pytest.mark.parametrize("form, step", list(WRONG))
def test_a_wrong_step_makes_its_identities_fail(form, step):
    rule = wrong_rule(form, step)
    for build in WRONG[form, step][1]:
        identity = build(rule=rule)
        assert identity.holds is False, (
            f"{identity.name} still holds with a wrong {form} {step}"
        )
        with pytest.raises(AssertionError, match=identity.label):
            identity.require()


@pytest.mark.parametrize("step", [s for f, s in WRONG if f == "batch"])
def test_the_same_wrong_step_fails_the_gradient_check_too(step):
    params, X, Y = case_data(Case("check", 4, 2, 3, 2))
    broken = partial(network.backward, rule=wrong_rule("batch", step))
    assert not check_gradients(params, X, Y, backward_fn=broken).passed
    assert check_gradients(params, X, Y).passed


@pytest.mark.parametrize("step", [s for f, s in WRONG if f == "column"])
def test_a_wrong_column_step_fails_the_ledgers_numeric_row(step):
    case = Case("column", 3, 2, 3, 2)
    row = numeric_row(case, column_rule=wrong_rule("column", step))
    assert not row.passed and row.column_forms_vs_autograd > 1e-3


def test_a_wrong_tanh_derivative_fails_its_identity():
    identity = bp.tanh_derivative(closed_form=lambda t: 1 - t)
    assert identity.holds is False
    with pytest.raises(AssertionError, match="tanh-derivative"):
        identity.require()


def test_a_gradient_of_the_wrong_shape_is_reported():
    transposed = dataclasses.replace(COLUMN, grad_Wy=lambda d, h: h @ d.T)
    identity = bp.column_gradient("Wy", nx=2, nh=3, ny=2, rule=transposed)
    assert identity.holds is False
    assert "shape" in str(identity.residual)


def test_the_closed_forms_on_matrices_are_the_package_steps():
    """The answer checker's references: the steps of backward, on SymPy."""
    net = bp.symbolic_batch_network(2, 2, 2, 2)
    Delta_y = bp.batch_grad_ytilde_closed_form(net.yhat, net.Y)
    assert Delta_y == BATCH.Delta_y(net.outputs["yhat"], net.targets).matrix
    grads = bp.symbolic_gradients(net, BATCH)
    assert bp.batch_grad_Wy_closed_form(Delta_y, net.h) == grads["Wy"]
    assert bp.batch_grad_by_closed_form(Delta_y) == grads["by"]
