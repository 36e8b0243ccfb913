"""Questions 15-17: every identity holds,
and each fails when its closed form is made wrong."""

import pytest
import sympy as sp
import torch

import nnintro.derivations.backprop as bp
from nnintro import backward, forward, init_params
from nnintro.derivations.core import Identity


@pytest.fixture(scope="module")
def built():
    """Every identity of the module,
    built once for the tests that only read them."""
    return {name: build() for name, build in bp.IDENTITIES.items()}


@pytest.mark.parametrize("name", list(bp.IDENTITIES))
def test_identity_holds_and_names_its_label(built, name):
    identity = built[name]
    assert isinstance(identity, Identity)
    assert identity.holds, f"{name}: residual {identity.residual}"
    assert identity.require() is identity
    assert identity.label in {
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


def test_every_equation_label_of_questions_15_to_17_has_an_identity(built):
    labels = {identity.label for identity in built.values()}
    expected = {"q15-grad", "q15-batch", "tanh-derivative"}
    expected |= {
        "q16-Wy",
        "q16-by",
        "q16-batch",
        "q17-htilde",
        "q17-Wh",
        "q17-bh",
        "q17-batch",
    }
    assert labels == expected


# A plausible wrong formula for each closed form,
# and the identities that must then fail.
WRONG = {
    "grad_ytilde_closed_form": (
        lambda yhat, y: [t - p for p, t in zip(yhat, y)],  # sign flipped
        [bp.softmax_ce_gradient],
    ),
    "tanh_derivative_closed_form": (
        lambda t: 1 - t,  # forgot the square
        [bp.tanh_derivative],
    ),
    "grad_Wy_closed_form": (
        lambda d, h: (
            (sp.ones(d.shape[0], 1) * sum(d)) @ h.T
        ),  # h_j sum_k (yhat_k - y_k)
        [bp.output_weight_gradient],
    ),
    "grad_by_closed_form": (lambda d: 2 * d, [bp.output_bias_gradient]),
    "grad_htilde_closed_form": (
        lambda Wy, d, h: bp.one_minus_square(h),  # no upstream gradient
        [
            bp.hidden_preactivation_gradient,
            bp.hidden_weight_gradient,
            bp.hidden_bias_gradient,
        ],
    ),
    "grad_Wh_closed_form": (
        lambda d, x: -(d @ x.T),
        [bp.hidden_weight_gradient],
    ),
    "grad_bh_closed_form": (
        lambda d: bp.hadamard(d, d),
        [bp.hidden_bias_gradient],
    ),
    "batch_grad_ytilde_closed_form": (
        lambda Yhat, Y: Yhat - Y,  # forgot 1/N
        [
            bp.batch_softmax_ce_gradient,
            bp.batch_output_gradients,
            bp.batch_hidden_gradients,
        ],
    ),
    "batch_grad_Wy_closed_form": (
        lambda D, H: H.T @ D,
        [bp.batch_output_gradients],
    ),
    "batch_grad_by_closed_form": (
        lambda D: bp.column_sums(D.T),
        [bp.batch_output_gradients],
    ),
    "batch_grad_htilde_closed_form": (
        lambda Wy, D, H: D @ Wy,  # forgot tanh'
        [bp.batch_hidden_gradients],
    ),
    "batch_grad_Wh_closed_form": (
        lambda D, X: X.T @ D,
        [bp.batch_hidden_gradients],
    ),
    "batch_grad_bh_closed_form": (
        lambda D: 2 * bp.column_sums(D),
        [bp.batch_hidden_gradients],
    ),
}


def test_every_closed_form_has_a_wrong_variant_tested():
    names = {n for n in dir(bp) if n.endswith("_closed_form")}
    assert names == set(WRONG)


@pytest.mark.parametrize("closed_form", list(WRONG))
def test_a_wrong_closed_form_makes_its_identities_fail(
    monkeypatch, closed_form
):
    wrong, builders = WRONG[closed_form]
    monkeypatch.setattr(bp, closed_form, wrong)
    for build in builders:
        identity = build()
        assert identity.holds is False, (
            f"{build.__name__} still holds with a wrong {closed_form}"
        )
        with pytest.raises(AssertionError, match=identity.label):
            identity.require()


def test_closed_forms_on_tensors_equal_backward():
    params = init_params(3, 4, 5, seed=1)
    g = torch.Generator().manual_seed(2)
    X = torch.randn(6, 3, generator=g, dtype=torch.float64)
    Y = torch.eye(5, dtype=torch.float64)[torch.randint(5, (6,), generator=g)]
    _, out = forward(params, X)
    grads = backward(params, out, Y)
    Delta_y = bp.batch_grad_ytilde_closed_form(out["yhat"], Y)
    Delta_h = bp.batch_grad_htilde_closed_form(params["Wy"], Delta_y, out["h"])
    closed = {
        "Wy": bp.batch_grad_Wy_closed_form(Delta_y, out["h"]),
        "by": bp.batch_grad_by_closed_form(Delta_y),
        "Wh": bp.batch_grad_Wh_closed_form(Delta_h, X),
        "bh": bp.batch_grad_bh_closed_form(Delta_h),
    }
    for key, value in closed.items():
        torch.testing.assert_close(value, grads[key], rtol=1e-13, atol=1e-15)


def test_a_gradient_of_the_wrong_shape_is_reported(monkeypatch):
    monkeypatch.setattr(
        bp, "grad_Wy_closed_form", lambda d, h: h @ d.T
    )  # transposed
    identity = bp.output_weight_gradient(nx=2, nh=3, ny=2)
    assert identity.holds is False
    assert "shape" in str(identity.residual)
