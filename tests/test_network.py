"""The manual network: shapes on a registry of sizes, values against the equations, bad input."""

import math

import pytest
import torch

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

# (nx, nh, ny, N): the course's sizes, a batch of one, a single hidden unit, five classes, ...
CASES = [(2, 10, 2, 10), (2, 4, 2, 1), (2, 1, 2, 7), (3, 4, 5, 6), (784, 3, 10, 2), (1, 1, 1, 3)]


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
    assert {k: g.shape for k, g in grads.items()} == {k: p.shape for k, p in params.items()}


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_forward_matches_the_column_equations_example_by_example(nx, nh, ny, N):
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
        torch.testing.assert_close(grads[k], leaves[k].grad, rtol=1e-10, atol=1e-13, msg=k)


def test_init_params_is_reproducible_and_has_the_course_scale():
    a = init_params(2, 10, 2, seed=7)
    b = init_params(2, 10, 2, generator=torch.Generator().manual_seed(7))
    for k in PARAM_KEYS:
        assert torch.equal(a[k], b[k])
    big = init_params(200, 300, 100, seed=0)
    std = torch.cat([v.flatten() for v in big.values()]).std().item()
    assert abs(std - 0.3) < 0.005, f"weights should be N(0, 0.3^2), measured std {std}"
    assert not torch.equal(init_params(2, 10, 2, seed=8)["Wh"], a["Wh"])


def test_softmax_rows_sum_to_one_and_survive_huge_logits():
    ytilde = torch.tensor([[1e4, -1e4, 0.0], [3.0, 3.0, 3.0]], dtype=torch.float64)
    p = softmax(ytilde)
    assert torch.isfinite(p).all()
    torch.testing.assert_close(p.sum(dim=1), torch.ones(2, dtype=torch.float64))
    torch.testing.assert_close(p[1], torch.full((3,), 1 / 3, dtype=torch.float64))


@pytest.mark.parametrize("scale", [1e2, 1e3, 1e4])
def test_loss_is_finite_and_exact_for_large_logits(scale):
    ytilde = torch.tensor([[scale, -scale], [scale, -scale]], dtype=torch.float64)
    Y = one_hot(torch.tensor([1, 0]), 2)  # first example confidently wrong, second right
    Yhat = softmax(ytilde)
    L, acc = loss_accuracy(Yhat, Y, ytilde=ytilde)
    # wrong example: -(-scale) + log(e^scale + e^-scale) = 2 scale (to double precision)
    assert math.isfinite(L.item())
    assert L.item() == pytest.approx(scale, rel=1e-15)  # mean of 2*scale and 0
    assert acc == 0.5
    assert cross_entropy_from_logits(ytilde, Y).item() == pytest.approx(scale, rel=1e-15)


def test_loss_from_probabilities_agrees_with_logit_form_for_moderate_logits():
    X, Y = random_batch(2, 3, 20, seed=9)
    params = init_params(2, 5, 3, seed=9)
    Yhat, outputs = forward(params, X)
    L1, acc1 = loss_accuracy(Yhat, Y)
    L2, acc2 = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    torch.testing.assert_close(L1, L2, rtol=1e-12, atol=0)
    assert acc1 == acc2


def test_accuracy_counts_argmax_matches():
    Yhat = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]], dtype=torch.float64)
    Y = one_hot(torch.tensor([0, 1, 1, 1]), 2)
    _, acc = loss_accuracy(Yhat, Y)
    assert acc == 0.75


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
    after, _ = loss_accuracy(forward(sgd(params, backward(params, outputs, Y), 1e-2), X)[0], Y)
    assert after < before


# --- bad input ------------------------------------------------------------------------------


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
    with pytest.raises(KeyError, match=r"unknown: \['W_h'\], missing: \['Wh'\]"):
        forward(params, torch.zeros(1, 2, dtype=torch.float64))


def test_mismatched_parameter_shapes_are_reported():
    params = init_params(2, 3, 2)
    params["bh"] = torch.zeros(4, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"params\['bh'\] has shape \(4,\), expected \(3,\)"):
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
        loss_accuracy(torch.full((2, 2), 0.5, dtype=torch.float64), torch.eye(3)[:2].double())


def test_backward_rejects_targets_of_the_wrong_size_and_outputs_that_are_not_forwards():
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
