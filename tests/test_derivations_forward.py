"""Questions 3-7: each identity turns False when its closed form is wrong,
and holds at other sizes (tests/test_derivations.py checks that every
registered identity holds)."""

import pytest
import sympy as sp

from nnintro.derivations import forward


def test_affine_composition_other_sizes():
    assert forward.affine_composition(3, 2, 4).holds


def test_softmax_identities_for_two_and_four_classes():
    for ny in (2, 4):
        assert forward.softmax_sums_to_one(ny).holds
        assert forward.softmax_shift_invariance(ny).holds


WRONG = [
    # forgetting that the first bias passes through W2
    (
        "affine_composition_closed_form",
        lambda W1, b1, W2, b2: (W2 * W1, b2),
        "affine_composition",
    ),
    (
        "softmax_sum_closed_form",
        lambda ytilde: sp.Integer(2),
        "softmax_sums_to_one",
    ),
    # the Jacobian without the off-diagonal terms
    (
        "softmax_jacobian_closed_form",
        lambda yhat: sp.diag(*[p * (1 - p) for p in yhat]),
        "softmax_jacobian",
    ),
    # sigmoid of the wrong difference
    (
        "softmax_two_class_closed_form",
        lambda t1, t2: 1 / (1 + sp.exp(t1 - t2)),
        "softmax_two_classes_is_sigmoid",
    ),
]


@pytest.mark.parametrize("closed_form, wrong, builder", WRONG)
def test_wrong_closed_form_is_caught(closed_form, wrong, builder):
    identity = getattr(forward, builder)(**{closed_form: wrong})
    assert not identity.holds
    with pytest.raises(AssertionError, match=identity.label):
        identity.require()


def test_wrong_batch_form_is_caught():
    def no_bias(X, Wh, bh, Wy, by):
        htilde = X * Wh.T
        return {"ytilde": htilde.applyfunc(sp.tanh) * Wy.T}

    assert not forward.batch_rows_are_columns(
        batch_forward_exprs=no_bias
    ).holds


def test_a_column_forward_without_tanh_is_caught():
    def no_tanh(x, Wh, bh, Wy, by):
        htilde = Wh * x + bh
        return {"htilde": htilde, "h": htilde, "ytilde": Wy * htilde + by}

    assert forward.column_form_is_the_equation().holds
    assert not forward.column_form_is_the_equation(
        column_forward_exprs=no_tanh
    ).holds


def test_shift_invariance_fails_for_a_non_constant_shift():
    ytilde = sp.symbols("t1:4", real=True)
    shifted = forward.softmax_exprs([t * 2 for t in ytilde])
    assert (
        sp.simplify(shifted[0] - forward.softmax_exprs(list(ytilde))[0]) != 0
    )
