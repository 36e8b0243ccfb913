"""Question 12: both methods compute the same gradient, and the counts follow the closed forms."""

import numpy as np
import pytest
import torch

from nnintro import backprop_cost as bc

CONFIG = bc.CostConfig(width=4, batch=5, repeats=1)


def flat(grads):
    return torch.cat([t.flatten() for layer in grads for t in layer])


def autograd_gradient(params, X, Y):
    leaves = [[t.clone().requires_grad_(True) for t in layer] for layer in params]
    L, _ = bc.forward_loss(leaves, X, Y)
    return torch.cat([g.flatten() for g in torch.autograd.grad(L, [t for l in leaves for t in l])])


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_backprop_equals_autograd(depth):
    params, (X, Y) = bc.deep_params(depth, CONFIG), bc.deep_batch(CONFIG)
    torch.testing.assert_close(
        flat(bc.backprop_gradients(params, X, Y)),
        autograd_gradient(params, X, Y),
        rtol=1e-12,
        atol=1e-14,
    )


def test_naive_equals_autograd_to_finite_difference_accuracy():
    params, (X, Y) = bc.deep_params(3, CONFIG), bc.deep_batch(CONFIG)
    reference = autograd_gradient(params, X, Y)
    naive = flat(bc.naive_gradients(params, X, Y, eps=1e-6))
    assert float((naive - reference).abs().max()) < 1e-5 * float(reference.abs().max())
    # the parameters are left exactly as they were
    assert torch.equal(flat(params), flat(bc.deep_params(3, CONFIG)))


@pytest.mark.parametrize("depth", [1, 2, 3, 7])
def test_counts_follow_closed_forms(depth):
    w, n = CONFIG.width, CONFIG.batch
    naive, _ = bc.measure("naive", depth, CONFIG)
    back, _ = bc.measure("backprop", depth, CONFIG)
    assert naive.forward_passes == bc.parameter_count(depth, w) + 1
    assert naive.multiply_adds == bc.naive_multiply_adds_closed_form(depth, w, n)
    assert back.forward_passes == 1
    assert back.multiply_adds == bc.backprop_multiply_adds_closed_form(depth, w, n)


def test_growth_exponents_of_the_counts():
    depths = np.array([8, 16, 32, 64])
    naive = [bc.naive_multiply_adds_closed_form(int(d), 8, 16) for d in depths]
    back = [bc.backprop_multiply_adds_closed_form(int(d), 8, 16) for d in depths]
    assert abs(bc.loglog_slope(depths, naive) - 2) < 0.03
    assert abs(bc.loglog_slope(depths, back) - 1) < 0.03


def test_loglog_slope_recovers_a_power():
    d = np.array([1, 2, 4, 8])
    assert bc.loglog_slope(d, 3.0 * d**2.5) == pytest.approx(2.5)


def test_study_is_deterministic_in_its_counts():
    a = bc.cost_study((1, 2), CONFIG)
    b = bc.cost_study((1, 2), CONFIG)
    assert (a.naive_ops, a.backprop_ops, a.naive_passes) == (
        b.naive_ops,
        b.backprop_ops,
        b.naive_passes,
    )
    assert all(t > 0 for t in a.naive_seconds + a.backprop_seconds)
    assert set(a.slopes()) == {"naive_ops", "backprop_ops", "naive_seconds", "backprop_seconds"}


def test_bad_input_raises():
    with pytest.raises(ValueError):
        bc.measure("finite", 1, CONFIG)
    with pytest.raises(ValueError):
        bc.deep_params(0, CONFIG)


def test_package_autograd_referee_matches_an_independent_one():
    params, (X, Y) = bc.deep_params(2, CONFIG), bc.deep_batch(CONFIG)
    torch.testing.assert_close(
        bc.flatten(bc.autograd_gradients(params, X, Y)), autograd_gradient(params, X, Y)
    )
    assert [len(layer) for layer in bc.autograd_gradients(params, X, Y)] == [2, 2]
