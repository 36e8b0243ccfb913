"""The identities of questions 8, 9 and 14: each turns False when its
closed form is wrong (tests/test_derivations.py checks that every registered
identity holds), and the numeric functions behind the figure agree with the
closed forms."""

import numpy as np
import pytest
import sympy as sp

from nnintro.derivations import loss, simplified_loss


def home(name: str):
    """The module (loss or simplified_loss) that defines ``name``."""
    return loss if hasattr(loss, name) else simplified_loss


WRONG = [
    (
        "simplification_residual_closed_form",
        lambda ytilde, y: sp.Integer(0),  # "always exact"
        "softmax_ce_simplification",
    ),
    # forgot the log-sum-exp
    (
        "simplified_cross_entropy_closed_form",
        lambda ytilde, y: -sum(a * t for a, t in zip(y, ytilde)),
        "softmax_ce_simplification_one_hot",
    ),
    (
        "simplified_cross_entropy_closed_form",
        lambda ytilde, y: -sum(a * t for a, t in zip(y, ytilde)),
        "softmax_ce_simplification_probability_vector",
    ),
    (
        "ce_grad_yhat_closed_form",
        lambda yhat, y: [y_i / p for y_i, p in zip(y, yhat)],
        "ce_grad_yhat",
    ),
    (
        "mse_grad_yhat_closed_form",
        lambda yhat, y: [p - y_i for y_i, p in zip(y, yhat)],
        "mse_grad_yhat",
    ),
    # the naive "yhat - y" for the squared error through SoftMax
    (
        "mse_grad_logit_closed_form",
        lambda yhat, y: [p - y_i for y_i, p in zip(y, yhat)],
        "mse_grad_logit",
    ),
    (
        "two_class_true_logit_grads_closed_form",
        lambda z: (1 / (1 + sp.exp(-z)) - 1, 1 / (1 + sp.exp(-z)) - 1),
        "two_class_true_logit_grads",
    ),
    # the squared error without its 1 / (2 sigma^2)
    (
        "gaussian_nll_closed_form",
        lambda t, mu, sigma: (t - mu) ** 2 + sp.log(2 * sp.pi * sigma**2) / 2,
        "gaussian_nll_is_squared_error",
    ),
    (
        "confidently_wrong_limits_closed_form",
        lambda: (sp.Integer(-1), sp.Integer(-1)),
        "confidently_wrong_limits",
    ),
]


@pytest.mark.parametrize("closed_form, wrong, builder", WRONG)
def test_wrong_closed_form_is_caught(closed_form, wrong, builder):
    identity = getattr(home(builder), builder)(**{closed_form: wrong})
    assert not identity.holds
    with pytest.raises(AssertionError):
        identity.require()


def test_signs_say_how_yhat_moves():
    # target class 0: CE pushes yhat_0 up (negative derivative),
    # MSE pushes the others down
    yhat = [sp.Rational(1, 5), sp.Rational(3, 5), sp.Rational(1, 5)]
    y = [1, 0, 0]
    assert loss.ce_grad_yhat_closed_form(yhat, y)[0] < 0
    assert [g > 0 for g in loss.mse_grad_yhat_closed_form(yhat, y)[1:]] == [
        True,
        True,
    ]


def test_figure_functions_match_closed_forms():
    z = np.linspace(-8, 8, 33)
    f = loss.true_logit_gradient_functions()
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(
        f["cross-entropy"](z), s - 1, rtol=1e-10, atol=1e-14
    )
    np.testing.assert_allclose(
        f["squared error"](z), -4 * s * (1 - s) ** 2, rtol=1e-10, atol=1e-14
    )


def test_simplification_residual_is_nonzero_off_the_simplex():
    identity = simplified_loss.softmax_ce_simplification(ny=2)
    y1, y2 = sp.symbols("y_1:3", real=True)
    value = identity.rhs.subs({y1: 1, y2: 1}).subs(
        {
            s: 0
            for s in identity.rhs.free_symbols
            if s.name.startswith("ytilde")
        }
    )
    assert sp.simplify(value - sp.log(2)) == 0  # (2 - 1) log(e^0 + e^0)


def test_every_closed_form_has_a_wrong_version():
    names = {
        n
        for module in (loss, simplified_loss)
        for n in dir(module)
        if n.endswith("_closed_form")
    }
    assert names == {w[0] for w in WRONG}
