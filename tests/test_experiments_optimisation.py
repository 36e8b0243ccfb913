"""The optimisation page (questions 10 to 13): reduced runs of each study,
the four gradient methods of question 12 against autograd, and their
operation counts."""

import dataclasses
import math

import matplotlib
import numpy as np
import pytest
import torch

from nnintro import init_params, make_circles
from nnintro.experiments.forward.activation import activation_gradients
from nnintro.experiments.optimisation import cost_methods as cm
from nnintro.experiments.optimisation.cost import (
    CostFinding,
    cost_study,
    loglog_slope,
)
from nnintro.experiments.optimisation.learning_rate import (
    LearningRateConfig,
    learning_rate_sweep,
)
from nnintro.experiments.optimisation.step_activation import (
    StepConfig,
    heaviside_backward_error,
    step,
    step_activation_study,
    step_derivative,
)
from nnintro.experiments.optimisation.variants import (
    VariantsConfig,
    gradient_descent_variants,
    gradient_deviation,
    variant_name,
)
from nnintro.plots import optimisation as opt_plots
from nnintro.plots.optimisation import learning_rate_figure

matplotlib.use("Agg")

DATA = make_circles(0)
CONFIG = cm.CostConfig(depths=(1, 2, 4), width=4, examples=5, repeats=1)

# --- q10, q11 -------------------------------------------------------------


def test_variants_count_their_updates_from_the_same_weights():
    variants = gradient_descent_variants(DATA, VariantsConfig(epochs=2))
    for b, h in variants.runs.items():
        assert h.updates[-1] == 2 * math.ceil(200 / b)
        assert not h.diverged
    starts = {float(h.train_loss[0]) for h in variants.runs.values()}
    assert len(starts) == 1
    assert (
        variants.loss_after_updates(10, 20) == variants.runs[10].train_loss[1]
    )
    assert math.isnan(variants.loss_after_updates(10, 21))
    table = opt_plots.variants_table(variants).splitlines()
    assert len(table) == 2 + 5 and "online, $B$ = 1" in table[0]


def test_gradient_deviation_is_zero_for_the_full_batch():
    params = init_params(2, 10, 2, seed=0)
    X, Y = DATA.Xtrain, DATA.Ytrain
    assert gradient_deviation(params, X, Y, 200, 0) < 1e-12
    one, ten = (gradient_deviation(params, X, Y, b, 0) for b in (1, 10))
    assert one > ten > 0


def test_variant_names_and_order():
    names = [variant_name(b, 200) for b in (200, 10, 1)]
    assert names == ["batch", "mini-batch", "online"]
    with pytest.raises(ValueError):
        VariantsConfig(batch_sizes=(1, 10, 200))


def test_sweep_reports_the_divergence_and_the_figure_draws_it():
    config = LearningRateConfig(etas=(0.01, 0.1, 10.0), epochs=3)
    sweep = learning_rate_sweep(DATA, config)
    assert sweep.diverged == [10.0] and sweep.stable == [0.01, 0.1]
    h = sweep.runs[10.0]
    assert h.status == f"diverged at epoch {h.diverged_at}"
    assert np.isnan(h.train_loss[h.diverged_at + 1 :]).all()
    by_id = {c.id: c for c in sweep.claims()}
    assert by_id["q11-largest-diverges"].holds
    row = [
        r
        for r in opt_plots.learning_rate_table(sweep).splitlines()
        if r.startswith("| 10 ")
    ]
    assert "diverged" in row[0] and "—" in row[0]
    fig = learning_rate_figure(sweep)
    cross = fig.axes[0].lines[-1]
    assert cross.get_marker() == "x" and np.isfinite(cross.get_ydata()).all()
    matplotlib.pyplot.close(fig)


# --- q12 ------------------------------------------------------------------


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
@pytest.mark.parametrize("method", ["backprop", "per-layer", "per-parameter"])
def test_exact_methods_equal_autograd(depth, method):
    params, (X, Y) = cm.deep_params(depth, CONFIG), cm.deep_batch(CONFIG)
    grads = cm.GRADIENT_FUNCTIONS[method](params, X, Y)
    torch.testing.assert_close(
        cm.flatten(grads),
        independent_autograd(params, X, Y),
        rtol=1e-12,
        atol=1e-14,
    )


def test_numerical_close_to_autograd_and_params_restored():
    params, (X, Y) = cm.deep_params(3, CONFIG), cm.deep_batch(CONFIG)
    reference = independent_autograd(params, X, Y)
    numerical = cm.flatten(cm.numerical_gradients(params, X, Y, eps=1e-6))
    error = torch.linalg.vector_norm(numerical - reference)
    assert float(error / torch.linalg.vector_norm(reference)) < 1e-5
    assert torch.equal(
        cm.flatten(params), cm.flatten(cm.deep_params(3, CONFIG))
    )


@pytest.mark.parametrize("depth", [1, 2, 3, 7])
def test_counts_follow_the_formulas(depth):
    w = CONFIG.width
    for method in cm.METHODS:
        counter, _ = cm.measure(method, depth, CONFIG)
        expected = cm.products_formula(method, depth, w) * CONFIG.unit
        assert counter.multiply_adds == expected, method
        passes = cm.forward_passes_formula(method, depth, w)
        assert counter.forward_passes == passes, method


def test_formulas_by_hand():
    # D = 3: backprop 3 + 3 + 2; per layer 3 + (3 + 2 + 1);
    # per parameter 3 + 3 + 72 (2 + 1 + 0); numerical (P + 1) 3
    assert cm.products_formula("backprop", 3, 8) == 8
    assert cm.products_formula("per-layer", 3, 8) == 9
    assert cm.products_formula("per-parameter", 3, 8) == 6 + 72 * 3
    assert cm.products_formula("numerical", 3, 8) == (3 * 72 + 1) * 3
    # issue 20's count at D = 32, w = 8 (plus the 32 dot-product units)
    assert cm.products_formula("per-parameter", 32, 8) == 35744 + 32


def test_loglog_slope_recovers_a_power():
    d = np.array([1, 2, 4, 8])
    assert loglog_slope(d, 3.0 * d**2.5) == pytest.approx(2.5)


def test_study_counts_are_deterministic_and_tabled():
    study, again = cost_study(CONFIG), cost_study(CONFIG)
    assert study.multiply_adds == again.multiply_adds
    assert study.forward_passes == again.forward_passes
    assert study.formula_mismatches() == 0
    counts = opt_plots.counts_table(study).splitlines()
    assert len(counts) == 2 + len(CONFIG.depths)
    assert counts[-1].startswith("| 4 | 11 | 14 (×1.3) |")
    assert "ms" in opt_plots.times_table(study).splitlines()[0]


def formula_finding() -> CostFinding:
    """The page's configuration, counted by the formulas."""
    config = cm.CostConfig()
    adds = {
        m: tuple(
            cm.products_formula(m, d, config.width) * config.unit
            for d in config.depths
        )
        for m in cm.METHODS
    }
    passes = {
        m: tuple(
            cm.forward_passes_formula(m, d, config.width)
            for d in config.depths
        )
        for m in cm.METHODS
    }
    seconds = {m: (1.0,) * len(config.depths) for m in cm.METHODS}
    return CostFinding(config, adds, passes, seconds)


def test_a_per_parameter_count_that_reused_would_fail():
    finding = formula_finding()
    assert finding.require() is finding
    # the per-layer count passed off as the per-parameter one (560 at D=32)
    reusing = dict(finding.multiply_adds)
    reusing["per-parameter"] = finding.multiply_adds["per-layer"]
    failing = {
        c.id
        for c in dataclasses.replace(finding, multiply_adds=reusing).failing()
    }
    assert {"q12-per-parameter-hundreds", "q12-counts-match-formulas"} <= (
        failing
    )


def test_bad_input_raises():
    with pytest.raises(ValueError):
        cm.measure("finite", 1, CONFIG)
    with pytest.raises(ValueError):
        cm.deep_params(0, CONFIG)
    with pytest.raises(ValueError):
        cm.CostConfig(depths=(4, 2))
    with pytest.raises(ValueError):
        cm.products_formula("symbolic", 2, 4)


# --- q13 ------------------------------------------------------------------


def test_step_has_zero_derivative_everywhere():
    t = torch.linspace(-2, 2, 9, dtype=torch.float64)
    assert torch.equal(step_derivative(t), torch.zeros(9, dtype=torch.float64))
    assert float(step(torch.tensor(0.0))) == 0.5
    assert "not implemented" in heaviside_backward_error()


def test_step_network_gradients():
    params = init_params(2, 10, 2, seed=0)
    grads = activation_gradients(params, DATA.Xtrain, DATA.Ytrain, step)
    assert float(grads["Wh"].abs().max()) == 0.0
    assert float(grads["bh"].abs().max()) == 0.0
    assert float(grads["Wy"].abs().max()) > 0


def test_a_short_step_study_shows_the_frozen_hidden_layer():
    study = step_activation_study(DATA, StepConfig(epochs=5))
    by_id = {c.id: c for c in study.claims()}
    for cid in (
        "q13-heaviside-no-derivative",
        "q13-step-derivative-zero",
        "q13-step-hidden-gradient-zero",
        "q13-smooth-hidden-gradient",
        "q13-step-hidden-frozen",
    ):
        assert by_id[cid].holds, cid
    assert study.moved["tanh"]["Wh"] > 0
