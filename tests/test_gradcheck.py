"""The gradient checkers: they pass the real backward, catch a broken one."""

import pytest
import torch

from nnintro import init_params
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    autograd_gradients,
    autograd_gradients_of,
    central_differences,
    check_gradients,
    mean_loss,
    relative_error,
)
from nnintro.network import backward

CASES = [(2, 10, 2, 20), (2, 4, 2, 1), (2, 1, 2, 5), (3, 4, 5, 6)]


def batch(nx, ny, N, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, nx, generator=g, dtype=torch.float64)
    Y = torch.eye(ny, dtype=torch.float64)[
        torch.randint(ny, (N,), generator=g)
    ]
    return X, Y


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_backward_passes_both_checks(nx, nh, ny, N):
    params = init_params(nx, nh, ny, seed=N)
    report = check_gradients(params, *batch(nx, ny, N, seed=N)).require()
    assert report.worst_autograd <= AUTOGRAD_TOLERANCE
    assert report.worst_central_difference <= CENTRAL_DIFFERENCE_TOLERANCE
    assert (
        report.worst_central_difference < 1e-8
    )  # float64 central differences: near 1e-9


def backward_without_tanh_derivative(params, outputs, Y):
    grads = backward(params, outputs, Y)
    N = Y.shape[0]
    delta_h = ((outputs["yhat"] - Y) / N) @ params["Wy"]  # forgot * (1 - h**2)
    grads["Wh"], grads["bh"] = delta_h.T @ outputs["X"], delta_h.sum(0)
    return grads


def backward_per_example(params, outputs, Y):
    grads = backward(params, outputs, Y)
    return {
        k: g * Y.shape[0] for k, g in grads.items()
    }  # the factor-N mistake


@pytest.mark.parametrize(
    "broken", [backward_without_tanh_derivative, backward_per_example]
)
def test_a_broken_backward_is_caught_and_named(broken):
    params = init_params(2, 5, 2, seed=0)
    report = check_gradients(
        params, *batch(2, 2, 8, seed=0), backward_fn=broken
    )
    assert not report.passed
    with pytest.raises(AssertionError, match="backward disagrees"):
        report.require()


def test_relative_error_is_scale_free_and_zero_for_equal_tensors():
    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    assert relative_error(a, a) == 0.0
    assert relative_error(a, 1.01 * a) == pytest.approx(
        relative_error(1e6 * a, 1.01e6 * a)
    )
    assert relative_error(torch.zeros(2), torch.zeros(2)) == 0.0


def test_float32_parameters_are_refused():
    params = init_params(2, 3, 2, dtype=torch.float32)
    X, Y = batch(2, 2, 3, 0)
    with pytest.raises(TypeError, match="need float64 parameters"):
        check_gradients(params, X.float(), Y.float())
    with pytest.raises(TypeError, match="X is torch.float32"):
        check_gradients(init_params(2, 3, 2), X.float(), Y)


def test_central_differences_of_a_known_function():
    params = {"a": torch.tensor([1.0, -2.0], dtype=torch.float64)}
    grads = central_differences(lambda p: (p["a"] ** 3).sum(), params)
    torch.testing.assert_close(
        grads["a"], 3 * params["a"] ** 2, rtol=1e-8, atol=1e-8
    )


def test_autograd_gradients_of_a_known_function():
    params = {
        "a": torch.tensor([1.0, -2.0], dtype=torch.float64),
        "M": torch.tensor([[0.5, 3.0]], dtype=torch.float64),
    }

    def loss(p):
        return (p["a"] ** 3).sum() + (p["M"] @ p["a"]).squeeze() ** 2

    grads = autograd_gradients_of(loss, params)
    Ma = float(params["M"] @ params["a"])  # 0.5 - 6 = -5.5
    expected_a = 3 * params["a"] ** 2 + 2 * Ma * params["M"][0]
    torch.testing.assert_close(grads["a"], expected_a, rtol=1e-15, atol=0)
    torch.testing.assert_close(
        grads["M"], 2 * Ma * params["a"][None, :], rtol=1e-15, atol=0
    )
    numeric = central_differences(loss, params)
    for k in params:
        assert relative_error(grads[k], numeric[k]) < 1e-9, k


def test_autograd_gradients_of_leaves_the_parameters_alone():
    params = init_params(2, 3, 2, seed=0)
    before = {k: v.clone() for k, v in params.items()}
    X, Y = batch(2, 2, 4, seed=0)
    grads = autograd_gradients_of(lambda p: mean_loss(p, X, Y), params)
    assert list(grads) == list(params)
    for k in params:
        assert not params[k].requires_grad and params[k].grad is None
        assert torch.equal(params[k], before[k])
        assert not grads[k].requires_grad


def test_the_network_helper_is_the_general_one_on_the_mean_loss():
    params = init_params(3, 4, 5, seed=2)
    X, Y = batch(3, 5, 6, seed=2)
    general = autograd_gradients_of(lambda p: mean_loss(p, X, Y), params)
    network = autograd_gradients(params, X, Y)
    for k in params:
        assert torch.equal(general[k], network[k])
