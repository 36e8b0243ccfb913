"""The manual network: shapes, values against the equations, bad input."""

import math
import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nnintro import (
    PARAM_KEYS,
    backward,
    cross_entropy_from_logits,
    forward,
    init_params,
    loss_accuracy,
    sgd,
    softmax,
)
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    autograd_gradients,
    relative_error,
)
from nnintro.network import accuracy

# (nx, nh, ny, N): the course's sizes, a batch of one, one hidden unit, ...
CASES = [
    (2, 10, 2, 10),
    (2, 4, 2, 1),
    (2, 1, 2, 7),
    (3, 4, 5, 6),
    (784, 3, 10, 2),
    (1, 1, 1, 3),
]


def one_hot(labels, ny):
    return torch.eye(ny, dtype=torch.float64)[labels]


def random_batch(nx, ny, N, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, nx, generator=g, dtype=torch.float64)
    Y = one_hot(torch.randint(ny, (N,), generator=g), ny)
    return X, Y


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_shapes_follow_nn_linear(nx, nh, ny, N):
    params = init_params(nx, nh, ny, seed=1)
    assert {k: tuple(v.shape) for k, v in params.items()} == {
        "Wh": (nh, nx),
        "bh": (nh,),
        "Wy": (ny, nh),
        "by": (ny,),
    }
    X, Y = random_batch(nx, ny, N)
    Yhat, outputs = forward(params, X)
    assert Yhat.shape == (N, ny)
    assert set(outputs) == {"X", "htilde", "h", "ytilde", "yhat"}
    assert outputs["htilde"].shape == outputs["h"].shape == (N, nh)
    grads = backward(params, outputs, Y)
    assert {k: g.shape for k, g in grads.items()} == {
        k: p.shape for k, p in params.items()
    }


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_forward_matches_the_column_equations_example_by_example(
    nx, nh, ny, N
):
    params = init_params(nx, nh, ny, seed=2)
    X, _ = random_batch(nx, ny, N, seed=3)
    Yhat, _ = forward(params, X)
    for n in range(N):
        x = X[n]
        h = torch.tanh(params["Wh"] @ x + params["bh"])
        ytilde = params["Wy"] @ h + params["by"]
        yhat = torch.exp(ytilde) / torch.exp(ytilde).sum()
        torch.testing.assert_close(Yhat[n], yhat, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_backward_equals_autograd_of_the_mean_loss(nx, nh, ny, N):
    params = init_params(nx, nh, ny, seed=4)
    X, Y = random_batch(nx, ny, N, seed=5)
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    Yhat, outputs = forward(leaves, X)
    L, _ = loss_accuracy(Yhat, Y)
    L.backward()
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    for k in PARAM_KEYS:
        torch.testing.assert_close(
            grads[k], leaves[k].grad, rtol=1e-10, atol=1e-13, msg=k
        )


def test_init_params_is_reproducible_and_has_the_course_scale():
    a = init_params(2, 10, 2, seed=7)
    b = init_params(2, 10, 2, generator=torch.Generator().manual_seed(7))
    for k in PARAM_KEYS:
        assert torch.equal(a[k], b[k])
    big = init_params(200, 300, 100, seed=0)
    std = torch.cat([v.flatten() for v in big.values()]).std().item()
    assert abs(std - 0.3) < 0.005, (
        f"weights should be N(0, 0.3^2), measured std {std}"
    )
    assert not torch.equal(init_params(2, 10, 2, seed=8)["Wh"], a["Wh"])


def test_softmax_rows_sum_to_one_and_survive_huge_logits():
    ytilde = torch.tensor(
        [[1e4, -1e4, 0.0], [3.0, 3.0, 3.0]], dtype=torch.float64
    )
    p = softmax(ytilde)
    assert torch.isfinite(p).all()
    torch.testing.assert_close(
        p.sum(dim=1), torch.ones(2, dtype=torch.float64)
    )
    torch.testing.assert_close(
        p[1], torch.full((3,), 1 / 3, dtype=torch.float64)
    )


@pytest.mark.parametrize("scale", [1e2, 1e3, 1e4])
def test_loss_is_finite_and_exact_for_large_logits(scale):
    ytilde = torch.tensor(
        [[scale, -scale], [scale, -scale]], dtype=torch.float64
    )
    Y = one_hot(
        torch.tensor([1, 0]), 2
    )  # first example confidently wrong, second right
    Yhat = softmax(ytilde)
    L, acc = loss_accuracy(Yhat, Y, ytilde=ytilde)
    # wrong example: -(-scale) + log(e^scale + e^-scale) = 2 scale (float64)
    assert math.isfinite(L.item())
    assert L.item() == pytest.approx(scale, rel=1e-15)  # mean of 2*scale and 0
    assert acc == 0.5
    assert cross_entropy_from_logits(ytilde, Y).item() == pytest.approx(
        scale, rel=1e-15
    )


def test_loss_from_probabilities_agrees_with_logit_form_for_moderate_logits():
    X, Y = random_batch(2, 3, 20, seed=9)
    params = init_params(2, 5, 3, seed=9)
    Yhat, outputs = forward(params, X)
    L1, acc1 = loss_accuracy(Yhat, Y)
    L2, acc2 = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    torch.testing.assert_close(L1, L2, rtol=1e-12, atol=0)
    assert acc1 == acc2


def test_accuracy_counts_argmax_matches():
    Yhat = torch.tensor(
        [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]], dtype=torch.float64
    )
    Y = one_hot(torch.tensor([0, 1, 1, 1]), 2)
    _, acc = loss_accuracy(Yhat, Y)
    assert acc == 0.75
    assert accuracy(Yhat, Y) == 0.75  # loss_accuracy uses the one accuracy
    assert isinstance(acc, float)


def test_accuracy_rejects_mismatched_shapes_and_empty_batches():
    Yhat = torch.full((3, 2), 0.5, dtype=torch.float64)
    with pytest.raises(ValueError, match="prediction has shape"):
        accuracy(Yhat, one_hot(torch.tensor([0, 1]), 2))
    with pytest.raises(ValueError, match="empty batch"):
        accuracy(Yhat[:0], one_hot(torch.tensor([], dtype=torch.long), 2))


def test_sgd_steps_against_the_gradient_and_returns_new_tensors():
    params = init_params(2, 3, 2, seed=0)
    grads = {k: torch.ones_like(v) for k, v in params.items()}
    new = sgd(params, grads, 0.5)
    for k in PARAM_KEYS:
        torch.testing.assert_close(new[k], params[k] - 0.5)
    assert new is not params


def test_a_small_step_along_minus_the_gradient_lowers_the_loss():
    X, Y = random_batch(2, 2, 30, seed=11)
    params = init_params(2, 6, 2, seed=11)
    Yhat, outputs = forward(params, X)
    before, _ = loss_accuracy(Yhat, Y)
    after, _ = loss_accuracy(
        forward(sgd(params, backward(params, outputs, Y), 1e-2), X)[0], Y
    )
    assert after < before


# --- bad input -------------------------------------------------------------


def test_wrong_input_width_is_reported():
    params = init_params(2, 3, 2)
    with pytest.raises(ValueError, match="3 columns but 2 are expected"):
        forward(params, torch.zeros(4, 3, dtype=torch.float64))


def test_one_dimensional_input_is_reported():
    with pytest.raises(ValueError, match="must be 2-D"):
        forward(init_params(2, 3, 2), torch.zeros(2, dtype=torch.float64))


def test_non_finite_input_is_reported_with_its_position():
    X = torch.zeros(3, 2, dtype=torch.float64)
    X[1, 0] = float("nan")
    with pytest.raises(ValueError, match=r"non-finite.*\(1, 0\)"):
        forward(init_params(2, 3, 2), X)


def test_non_finite_parameters_are_reported_as_a_likely_divergence():
    params = init_params(2, 3, 2)
    params["Wy"][0, 0] = float("inf")
    with pytest.raises(ValueError, match="diverged"):
        forward(params, torch.zeros(1, 2, dtype=torch.float64))


def test_unknown_and_missing_parameter_keys_are_named():
    params = init_params(2, 3, 2)
    params["W_h"] = params.pop("Wh")
    with pytest.raises(
        KeyError, match=r"unknown: \['W_h'\], missing: \['Wh'\]"
    ):
        forward(params, torch.zeros(1, 2, dtype=torch.float64))


def test_mismatched_parameter_shapes_are_reported():
    params = init_params(2, 3, 2)
    params["bh"] = torch.zeros(4, dtype=torch.float64)
    with pytest.raises(
        ValueError, match=r"params\['bh'\] has shape \(4,\), expected \(3,\)"
    ):
        forward(params, torch.zeros(1, 2, dtype=torch.float64))


@pytest.mark.parametrize(
    "Y, what",
    [
        ([[0.5, 0.5]], "row 0"),  # smoothed label
        ([[1.0, 1.0]], "row 0"),  # two ones
        ([[1.0, 0.0], [0.0, 0.0]], "row 1"),  # no one
    ],
)
def test_non_one_hot_targets_are_rejected_with_the_row(Y, what):
    Y = torch.tensor(Y, dtype=torch.float64)
    Yhat = torch.full(Y.shape, 0.5, dtype=torch.float64)
    with pytest.raises(ValueError, match=f"one-hot.*{what}"):
        loss_accuracy(Yhat, Y)


def test_target_shape_must_match_prediction():
    with pytest.raises(ValueError, match="prediction has shape"):
        loss_accuracy(
            torch.full((2, 2), 0.5, dtype=torch.float64),
            torch.eye(3)[:2].double(),
        )


def test_backward_rejects_wrong_targets_and_outputs_not_from_forward():
    params = init_params(2, 3, 2)
    X, Y = random_batch(2, 2, 4)
    _, outputs = forward(params, X)
    with pytest.raises(ValueError, match="prediction has shape"):
        backward(params, outputs, Y[:3])
    with pytest.raises(KeyError, match="outputs lacks"):
        backward(params, {"X": X}, Y)


@pytest.mark.parametrize("eta", [0.0, -0.1, float("nan")])
def test_sgd_rejects_a_non_positive_learning_rate(eta):
    params = init_params(2, 3, 2)
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    with pytest.raises(ValueError, match="learning rate"):
        sgd(params, grads, eta)


def test_sgd_rejects_non_finite_gradients_and_unknown_keys():
    params = init_params(2, 3, 2)
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    grads["by"][0] = float("nan")
    with pytest.raises(ValueError, match=r"grads\['by'\]"):
        sgd(params, grads, 0.1)
    with pytest.raises(KeyError, match="grads must have the keys"):
        sgd(params, {"Wh": grads["Wh"]}, 0.1)


def test_init_params_rejects_bad_sizes():
    with pytest.raises(ValueError, match="nh must be a positive integer"):
        init_params(2, 0, 2)
    with pytest.raises(ValueError, match="either a seed or a generator"):
        init_params(2, 3, 2, seed=1, generator=torch.Generator())


# --- the loss never returns NaN ---------------------------------------------


def loss_of_gap(gap):
    """One example whose true class (class 2) has a logit ``gap`` below."""
    ytilde = torch.tensor([[gap, 0.0]], dtype=torch.float64)
    Y = torch.tensor([[0.0, 1.0]], dtype=torch.float64)
    return softmax(ytilde), Y, ytilde


def test_probability_form_is_exact_while_the_probabilities_are_normal():
    Yhat, Y, ytilde = loss_of_gap(700.0)  # true class: e^-700, about 1e-304
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning here
        L, _ = loss_accuracy(Yhat, Y)
    exact = math.log1p(math.exp(-700.0)) + 700.0
    assert L.item() == pytest.approx(exact, rel=1e-15)


def test_underflowed_true_class_gives_inf_and_names_the_logits_path():
    Yhat, Y, ytilde = loss_of_gap(800.0)  # e^-800 underflows to 0
    assert Yhat[0, 1].item() == 0.0
    with pytest.warns(RuntimeWarning, match=r"ytilde=outputs\["):
        L, acc = loss_accuracy(Yhat, Y)
    assert L.item() == math.inf and acc == 0.0
    L_logits, _ = loss_accuracy(Yhat, Y, ytilde=ytilde)
    assert L_logits.item() == 800.0  # log(1 + e^800) in float64


def test_zero_probability_of_a_wrong_class_counts_as_0_log_0():
    Yhat, _, _ = loss_of_gap(800.0)  # Yhat = [1, 0]
    Y = torch.tensor([[1.0, 0.0]], dtype=torch.float64)  # right, confident
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L, acc = loss_accuracy(Yhat, Y)
    assert L.item() == 0.0 and acc == 1.0  # the textbook form gave NaN


@pytest.mark.parametrize("gap", [1e3, 1e4, 1e6])
def test_logits_path_is_exact_at_huge_gaps(gap):
    Yhat, Y, ytilde = loss_of_gap(gap)
    L, _ = loss_accuracy(Yhat, Y, ytilde=ytilde)
    reference = torch.nn.functional.cross_entropy(ytilde, torch.tensor([1]))
    assert L.item() == gap == reference.item()


def test_loss_names_non_finite_logits():
    Yhat, Y, ytilde = loss_of_gap(1.0)
    ytilde[0, 0] = math.inf
    with pytest.raises(ValueError, match=r"ytilde contains 1 non-finite"):
        loss_accuracy(Yhat, Y, ytilde=ytilde)


@pytest.mark.parametrize(
    "Yhat, message",
    [
        ([[1.5, -0.5]], r"negative entries, the first -0.5 at \(0, 1\)"),
        ([[0.5, 0.6]], r"row 0 sums to 1.1"),
        ([[0.5, 0.5], [3.0, 1.0]], r"row 1 sums to 4"),
        ([[math.nan, 1.0]], r"Yhat contains 1 non-finite"),
        ([[math.inf, 0.0]], r"Yhat contains 1 non-finite"),
    ],
)
def test_a_yhat_that_is_not_a_probability_matrix_is_rejected(Yhat, message):
    Yhat = torch.tensor(Yhat, dtype=torch.float64)
    Y = one_hot(torch.zeros(len(Yhat), dtype=torch.long), 2)
    with pytest.raises(ValueError, match=message):
        loss_accuracy(Yhat, Y)


def test_with_the_logits_loss_and_accuracy_are_read_from_them():
    X, Y = random_batch(2, 2, 6)
    Yhat, outputs = forward(init_params(2, 3, 2), X)
    ytilde = outputs["ytilde"]
    L, acc = loss_accuracy(Yhat, Y, ytilde=ytilde)
    assert (L, acc) == (
        cross_entropy_from_logits(ytilde, Y),
        accuracy(Yhat, Y),
    )
    # Yhat then only gives the shape: any matrix of that shape is accepted
    assert loss_accuracy(torch.zeros_like(Yhat), Y, ytilde=ytilde)[1] == acc
    with pytest.raises(ValueError, match=r"ytilde has shape \(6, 3\)"):
        loss_accuracy(Yhat, Y, ytilde=torch.zeros(6, 3, dtype=Yhat.dtype))


def test_logits_passed_as_yhat_are_caught():
    X, Y = random_batch(2, 2, 5)
    _, outputs = forward(init_params(2, 3, 2), X)
    with pytest.raises(ValueError, match="not the logits"):
        loss_accuracy(outputs["ytilde"], Y)


def test_rows_summing_to_one_within_rounding_are_accepted():
    Yhat = torch.tensor([[0.7, 0.2, 0.1]], dtype=torch.float64)  # 0.9999...
    assert Yhat.sum().item() != 1.0
    L, _ = loss_accuracy(Yhat, one_hot(torch.tensor([0]), 3))
    assert L.item() == pytest.approx(-math.log(0.7), rel=1e-15)


# --- empty batches, dtypes, learning rates ----------------------------------


def test_empty_batches_are_reported():
    params = init_params(2, 3, 2)
    empty = torch.zeros(0, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match="X is an empty batch"):
        forward(params, empty)
    with pytest.raises(ValueError, match="Yhat is an empty batch"):
        loss_accuracy(empty, empty)


def test_a_dtype_mismatch_between_x_and_the_parameters_is_named():
    params = init_params(2, 3, 2)  # float64
    X = torch.zeros(4, 2, dtype=torch.float32)
    with pytest.raises(TypeError, match="X is torch.float32 but the param"):
        forward(params, X)
    params["bh"] = params["bh"].float()
    with pytest.raises(TypeError, match="share one dtype"):
        forward(params, X.double())


def test_integer_inputs_are_rejected():
    with pytest.raises(TypeError, match="floating"):
        forward(init_params(2, 3, 2), torch.zeros(4, 2, dtype=torch.long))


@pytest.mark.parametrize("eta", [True, "0.1", None, [0.1], torch.tensor(0.1)])
def test_sgd_rejects_a_learning_rate_that_is_not_a_number(eta):
    params = init_params(2, 3, 2)
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    with pytest.raises(TypeError, match="learning rate eta must be a pos"):
        sgd(params, grads, eta)


@pytest.mark.parametrize("eta", [math.inf, -math.inf, -1])
def test_sgd_rejects_an_infinite_or_negative_learning_rate(eta):
    params = init_params(2, 3, 2)
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    with pytest.raises(ValueError, match="positive and finite"):
        sgd(params, grads, eta)


def test_integer_and_numpy_learning_rates_are_numbers():
    import numpy as np

    params = init_params(2, 3, 2)
    grads = {k: torch.ones_like(v) for k, v in params.items()}
    for eta in (1, np.float64(0.5), np.float32(0.25)):
        new = sgd(params, grads, eta)
        torch.testing.assert_close(new["by"], params["by"] - float(eta))


# --- non-finite values: where they entered ----------------------------------


@pytest.mark.parametrize("where", ["X", *PARAM_KEYS])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_forward_names_any_non_finite_input(where, bad):
    params = init_params(3, 4, 2, seed=1)
    X = torch.zeros(5, 3, dtype=torch.float64)  # zeros: inf * 0 is NaN
    target = X if where == "X" else params[where]
    target.view(-1)[-1] = bad
    label = "X" if where == "X" else rf"params\['{where}'\] \(a training"
    with pytest.raises(ValueError, match=rf"{label}.* 1 non-finite"):
        forward(params, X)


def test_forward_reports_an_overflow_of_finite_inputs():
    params = init_params(2, 1, 2)
    params["Wh"] = torch.tensor([[4.0, 4.0]], dtype=torch.float64)
    X = torch.tensor([[1e308, 1e308]], dtype=torch.float64)
    with pytest.raises(ValueError, match=r"htilde \(an overflow"):
        forward(params, X)


def test_backward_names_non_finite_outputs():
    params = init_params(2, 3, 2)
    X, Y = random_batch(2, 2, 4)
    _, outputs = forward(params, X)
    outputs["h"] = outputs["h"].clone()
    outputs["h"][2, 1] = math.nan
    with pytest.raises(ValueError, match=r"outputs\['h'\] contains 1"):
        backward(params, outputs, Y)


def test_backward_rejects_outputs_of_other_parameters():
    X, Y = random_batch(2, 2, 4)
    _, outputs = forward(init_params(2, 5, 2), X)
    with pytest.raises(ValueError, match=r"outputs\['h'\] has shape \(4, 5\)"):
        backward(init_params(2, 3, 2), outputs, Y)


def test_a_huge_sgd_step_overflows_to_inf_not_nan_and_is_named_next():
    params = init_params(2, 3, 2)
    grads = {k: torch.full_like(v, 1e10) for k, v in params.items()}
    new = sgd(params, grads, 1e300)  # eta * grad overflows
    assert not any(torch.isnan(v).any() for v in new.values())
    with pytest.raises(ValueError, match="diverged"):
        forward(new, torch.zeros(1, 2, dtype=torch.float64))


# --- nothing checked twice, and nothing missed ------------------------------


def test_in_place_writes_after_a_check_are_caught():
    params = init_params(2, 3, 2)
    X, Y = random_batch(2, 2, 4)
    Yhat, outputs = forward(params, X)
    loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])  # Y now known one-hot
    grads = backward(params, outputs, Y)  # grads now known finite
    Y[0] = torch.tensor([0.5, 0.5])
    with pytest.raises(ValueError, match="one-hot.*row 0"):
        backward(params, outputs, Y)
    grads["by"][1] = math.nan
    with pytest.raises(ValueError, match=r"grads\['by'\]"):
        sgd(params, grads, 0.1)
    grads["by"][1] = 0.0
    params["Wy"][0, 0] = math.inf  # params were known finite from forward
    with pytest.raises(ValueError, match=r"params\['Wy'\].*diverged"):
        sgd(params, grads, 0.1)


def test_yhat_changed_in_place_is_checked_again():
    params = init_params(2, 3, 2)
    X, Y = random_batch(2, 2, 4)
    Yhat, _ = forward(params, X)
    Yhat[0, 0] = -1.0
    with pytest.raises(ValueError, match="negative entries"):
        loss_accuracy(Yhat, Y)


def test_the_checked_api_works_on_inference_tensors():
    params = init_params(2, 3, 2)
    X, Y = random_batch(2, 2, 4)
    with torch.inference_mode():
        Yhat, outputs = forward(params, X)
        L, _ = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
        new = sgd(params, backward(params, outputs, Y), 0.1)
    assert math.isfinite(L.item()) and set(new) == set(PARAM_KEYS)


# --- properties over random shapes (hypothesis) -----------------------------

SIZES = st.integers(min_value=1, max_value=6)
PROPERTIES = settings(
    max_examples=40, deadline=None, derandomize=True, database=None
)


@PROPERTIES
@given(nx=SIZES, nh=SIZES, ny=SIZES, N=SIZES, seed=st.integers(0, 2**16))
def test_forward_shapes_and_probabilities_for_any_sizes(nx, nh, ny, N, seed):
    params = init_params(nx, nh, ny, seed=seed)
    X, _ = random_batch(nx, ny, N, seed=seed)
    Yhat, outputs = forward(params, X)
    assert {k: tuple(v.shape) for k, v in outputs.items()} == {
        "X": (N, nx),
        "htilde": (N, nh),
        "h": (N, nh),
        "ytilde": (N, ny),
        "yhat": (N, ny),
    }
    assert outputs["yhat"] is Yhat and bool((Yhat >= 0).all())
    torch.testing.assert_close(
        Yhat.sum(dim=1), torch.ones(N, dtype=torch.float64), rtol=0, atol=1e-15
    )


@PROPERTIES
@given(nx=SIZES, nh=SIZES, ny=SIZES, N=SIZES, seed=st.integers(0, 2**16))
def test_backward_equals_autograd_for_any_sizes(nx, nh, ny, N, seed):
    params = init_params(nx, nh, ny, seed=seed)
    X, Y = random_batch(nx, ny, N, seed=seed + 1)
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    reference = autograd_gradients(params, X, Y)
    for k in PARAM_KEYS:
        assert grads[k].shape == params[k].shape
        error = relative_error(grads[k], reference[k])
        assert error <= AUTOGRAD_TOLERANCE, (k, error)


@PROPERTIES
@given(
    ny=st.integers(1, 5),
    N=st.integers(1, 5),
    scale=st.floats(0.0, 1e300),
    seed=st.integers(0, 2**16),
)
def test_the_loss_is_never_nan_however_large_the_logits(ny, N, scale, seed):
    g = torch.Generator().manual_seed(seed)
    ytilde = scale * torch.randn(N, ny, generator=g, dtype=torch.float64)
    Y = one_hot(torch.randint(ny, (N,), generator=g), ny)
    Yhat = softmax(ytilde)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # +inf is allowed
        L_probabilities, acc = loss_accuracy(Yhat, Y)
    L_logits, _ = loss_accuracy(Yhat, Y, ytilde=ytilde)
    assert not math.isnan(L_probabilities.item())
    assert not math.isnan(L_logits.item()) and 0.0 <= acc <= 1.0
    if scale <= 1e4:  # logits of the size of a trained network
        assert math.isfinite(L_logits.item())


@PROPERTIES
@given(
    scale=st.floats(0.0, 1e308),
    eta=st.floats(1e-3, 1e3),
    seed=st.integers(0, 2**16),
)
def test_a_checked_step_raises_or_returns_no_nan(scale, eta, seed):
    params = init_params(3, 4, 2, seed=seed)
    _, Y = random_batch(3, 2, 5, seed=seed)
    g = torch.Generator().manual_seed(seed)
    X = scale * (2 * torch.rand(5, 3, generator=g, dtype=torch.float64) - 1)
    assert bool(torch.isfinite(X).all())  # |X| <= scale <= 1e308
    try:
        Yhat, outputs = forward(params, X)
        L, _ = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
        grads = backward(params, outputs, Y)
        new = sgd(params, grads, eta)
    except ValueError as error:
        assert "overflow" in str(error)  # the only way finite inputs fail
        return
    tensors = [Yhat, L, *outputs.values(), *grads.values(), *new.values()]
    assert not any(bool(torch.isnan(t).any()) for t in tensors)
