"""Question 12: three ways to one gradient, their counts, and the claims."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro.experiments import backprop_cost as bc

CONFIG = bc.CostConfig(depths=(1, 2, 4), width=4, examples=5, repeats=1)


def independent_autograd(params, X, Y):
    """Autograd through a forward pass written here, not the package's."""
    leaves = [
        [t.clone().requires_grad_(True) for t in layer] for layer in params
    ]
    A = X
    for W, b in leaves:
        A = torch.tanh(A @ W.T + b)
    L = 0.5 * ((A - Y) ** 2).sum() / X.shape[0]
    flat = [t for layer in leaves for t in layer]
    return torch.cat([g.flatten() for g in torch.autograd.grad(L, flat)])


@pytest.mark.parametrize("depth", [1, 2, 5])
@pytest.mark.parametrize("method", ["backprop", "chain"])
def test_exact_methods_equal_autograd(depth, method):
    params, (X, Y) = bc.deep_params(depth, CONFIG), bc.deep_batch(CONFIG)
    grads = bc.GRADIENT_FUNCTIONS[method](params, X, Y)
    torch.testing.assert_close(
        bc.flatten(grads),
        independent_autograd(params, X, Y),
        rtol=1e-12,
        atol=1e-14,
    )


def test_numerical_close_to_autograd_and_params_restored():
    params, (X, Y) = bc.deep_params(3, CONFIG), bc.deep_batch(CONFIG)
    reference = independent_autograd(params, X, Y)
    numerical = bc.flatten(bc.numerical_gradients(params, X, Y, eps=1e-6))
    assert bc.relative_error(numerical, reference) < 1e-5
    assert torch.equal(
        bc.flatten(params), bc.flatten(bc.deep_params(3, CONFIG))
    )


def test_package_referee_matches_the_independent_one():
    params, (X, Y) = bc.deep_params(2, CONFIG), bc.deep_batch(CONFIG)
    torch.testing.assert_close(
        bc.flatten(bc.autograd_reference(params, X, Y)),
        independent_autograd(params, X, Y),
        rtol=1e-12,
        atol=1e-14,
    )


@pytest.mark.parametrize("depth", [1, 2, 3, 7])
def test_counts_follow_the_formulas(depth):
    w = CONFIG.width
    for method in bc.METHODS:
        counter, _, _ = bc.measure(method, depth, CONFIG)
        expected = bc.products_formula(method, depth, w) * CONFIG.unit
        assert counter.multiply_adds == expected, method
        assert counter.forward_passes == bc.forward_passes_formula(
            method, depth, w
        )


def test_formulas_by_hand():
    # D = 3: backprop 3 + 3 + 2; chain 3 + (3 + 2 + 1); numerical (P + 1) 3
    assert bc.products_formula("backprop", 3, 8) == 8
    assert bc.products_formula("chain", 3, 8) == 9
    assert bc.products_formula("numerical", 3, 8) == (3 * 72 + 1) * 3
    # the figure: about 3 times backprop at D = 16
    ratio = bc.products_formula("chain", 16, 8) / bc.products_formula(
        "backprop", 16, 8
    )
    assert 3 < ratio < 3.5


def test_loglog_slope_recovers_a_power():
    d = np.array([1, 2, 4, 8])
    assert bc.loglog_slope(d, 3.0 * d**2.5) == pytest.approx(2.5)


@pytest.fixture(scope="module")
def study():
    return bc.cost_study(CONFIG)


def test_study_counts_are_deterministic(study):
    again = bc.cost_study(CONFIG)
    assert study.multiply_adds == again.multiply_adds
    assert study.forward_passes == again.forward_passes
    assert all(t > 0 for m in bc.METHODS for t in study.seconds[m])
    assert study.formula_mismatches() == 0


def test_study_claims_hold_on_the_full_depths_of_the_formulas():
    depths = (1, 2, 4, 8, 16, 32)
    config = bc.CostConfig(depths=depths, width=8, examples=16)
    adds = {
        m: tuple(bc.products_formula(m, d, 8) * config.unit for d in depths)
        for m in bc.METHODS
    }
    passes = {
        m: tuple(bc.forward_passes_formula(m, d, 8) for d in depths)
        for m in bc.METHODS
    }
    errors = {"backprop": (1e-16,) * 6, "chain": (1e-16,) * 6}
    errors["numerical"] = (1e-6,) * 6
    seconds = {m: (1.0,) * 6 for m in bc.METHODS}  # never tested
    ok = bc.CostFinding(config, adds, passes, errors, seconds)
    assert ok.require() is ok
    assert ok.exponent("chain", last=2) == pytest.approx(np.log2(560 / 152))
    miscounted = {**adds, "chain": adds["chain"][:-1] + (1,)}
    with pytest.raises(AssertionError, match="q12-counts-match-formulas"):
        dataclasses.replace(ok, multiply_adds=miscounted).require()
    wrong = {**errors, "chain": (1e-16,) * 5 + (1e-3,)}
    with pytest.raises(AssertionError, match="q12-exact-methods-agree"):
        dataclasses.replace(ok, errors=wrong).require()
    inaccurate = {**errors, "numerical": (1e-6,) * 5 + (1e-3,)}
    with pytest.raises(AssertionError, match="q12-numerical-close"):
        dataclasses.replace(ok, errors=inaccurate).require()


def test_a_chain_rule_that_reused_would_fail_the_claims():
    depths = (1, 2, 4, 8, 16, 32)
    config = bc.CostConfig(depths=depths, width=8, examples=16)
    adds = {
        m: [bc.products_formula(m, d, 8) * config.unit for d in depths]
        for m in bc.METHODS
    }
    adds["chain"] = list(adds["backprop"])  # linear, as backprop
    finding = bc.CostFinding(
        config,
        {m: tuple(v) for m, v in adds.items()},
        {m: (1,) * 6 for m in bc.METHODS},
        {m: (0.0,) * 6 for m in bc.METHODS},
        {m: (1.0,) * 6 for m in bc.METHODS},
    )
    failing = {c.id for c in finding.failing()}
    assert {"q12-chain-quadratic", "q12-gap-widens"} <= failing
    assert "q12-counts-match-formulas" in failing


def test_tables_and_numbers(study):
    counts = study.counts_table().splitlines()
    assert len(counts) == 2 + len(CONFIG.depths)
    assert counts[-1].startswith("| 4 | 11 | 14 (×1.3) |")
    assert "ms" in study.times_table().splitlines()[0]
    numbers = study.numbers()
    assert numbers["q12-depth-max"] == 4
    assert numbers["q12-chain-products"] == 14


def test_bad_input_raises():
    with pytest.raises(ValueError):
        bc.measure("finite", 1, CONFIG)
    with pytest.raises(ValueError):
        bc.deep_params(0, CONFIG)
    with pytest.raises(ValueError):
        bc.CostConfig(depths=(4, 2))
    with pytest.raises(ValueError):
        bc.products_formula("symbolic", 2, 4)
