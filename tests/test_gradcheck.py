"""The gradient checkers: they pass on the real backward and catch a broken one."""

import pytest
import torch

from nnintro import init_params
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    central_differences,
    check_gradients,
    relative_error,
)
from nnintro.network import backward

CASES = [(2, 10, 2, 20), (2, 4, 2, 1), (2, 1, 2, 5), (3, 4, 5, 6)]


def batch(nx, ny, N, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(N, nx, generator=g, dtype=torch.float64)
    Y = torch.eye(ny, dtype=torch.float64)[torch.randint(ny, (N,), generator=g)]
    return X, Y


@pytest.mark.parametrize("nx, nh, ny, N", CASES)
def test_backward_passes_both_checks(nx, nh, ny, N):
    params = init_params(nx, nh, ny, seed=N)
    report = check_gradients(params, *batch(nx, ny, N, seed=N)).require()
    assert report.worst_autograd <= AUTOGRAD_TOLERANCE
    assert report.worst_central_difference <= CENTRAL_DIFFERENCE_TOLERANCE
    assert report.worst_central_difference < 1e-8  # float64 central differences: near 1e-9


def backward_without_tanh_derivative(params, outputs, Y):
    grads = backward(params, outputs, Y)
    N = Y.shape[0]
    delta_h = ((outputs["yhat"] - Y) / N) @ params["Wy"]  # forgot * (1 - h**2)
    grads["Wh"], grads["bh"] = delta_h.T @ outputs["X"], delta_h.sum(0)
    return grads


def backward_per_example(params, outputs, Y):
    grads = backward(params, outputs, Y)
    return {k: g * Y.shape[0] for k, g in grads.items()}  # the factor-N mistake


@pytest.mark.parametrize("broken", [backward_without_tanh_derivative, backward_per_example])
def test_a_broken_backward_is_caught_and_named(broken):
    params = init_params(2, 5, 2, seed=0)
    report = check_gradients(params, *batch(2, 2, 8, seed=0), backward_fn=broken)
    assert not report.passed
    with pytest.raises(AssertionError, match="backward disagrees"):
        report.require()


def test_relative_error_is_scale_free_and_zero_for_equal_tensors():
    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    assert relative_error(a, a) == 0.0
    assert relative_error(a, 1.01 * a) == pytest.approx(relative_error(1e6 * a, 1.01e6 * a))
    assert relative_error(torch.zeros(2), torch.zeros(2)) == 0.0


def test_float32_parameters_are_refused():
    params = init_params(2, 3, 2, dtype=torch.float32)
    X, Y = batch(2, 2, 3, 0)
    with pytest.raises(TypeError, match="float64"):
        check_gradients(params, X.float(), Y.float())


def test_central_differences_of_a_known_function():
    params = {"a": torch.tensor([1.0, -2.0], dtype=torch.float64)}
    grads = central_differences(lambda p: (p["a"] ** 3).sum(), params)
    torch.testing.assert_close(grads["a"], 3 * params["a"] ** 2, rtol=1e-8, atol=1e-8)
