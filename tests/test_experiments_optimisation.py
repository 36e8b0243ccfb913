"""Questions 10 and 11: reduced runs, and each claim checked both ways."""

import dataclasses
import math

import matplotlib
import numpy as np
import pytest

from nnintro import init_params, make_circles
from nnintro.experiments.optimisation import (
    LearningRateConfig,
    LearningRateFinding,
    VariantsConfig,
    VariantsFinding,
    gradient_descent_variants,
    gradient_deviation,
    learning_rate_sweep,
    variant_name,
)
from nnintro.training import History, TrainConfig

matplotlib.use("Agg")

DATA = make_circles(0)


def history(losses, updates, *, diverged_at=None, eta=0.1):
    """A hand-made History with the given training losses."""
    losses = np.asarray(losses, dtype=float)
    return History(
        TrainConfig(eta=eta),
        train_loss=losses,
        train_acc=np.full(losses.size, 0.5),
        test_loss=losses,
        test_acc=np.full(losses.size, 0.5),
        updates=np.asarray(updates, dtype=float),
        seconds=np.linspace(0, 1, losses.size),
        diverged_at=diverged_at,
    )


# --- q10 ------------------------------------------------------------------


@pytest.fixture(scope="module")
def variants():
    return gradient_descent_variants(DATA, VariantsConfig(epochs=2))


def test_variants_count_their_updates(variants):
    for b, h in variants.runs.items():
        assert h.updates[-1] == 2 * math.ceil(200 / b)
        assert not h.diverged
    by_id = {c.id: c for c in variants.claims()}
    assert by_id["q10-updates-counted"].holds
    assert (
        variants.loss_after_updates(10, 20) == variants.runs[10].train_loss[1]
    )
    assert math.isnan(variants.loss_after_updates(10, 21))


def test_variants_start_from_the_same_weights(variants):
    starts = {float(h.train_loss[0]) for h in variants.runs.values()}
    assert len(starts) == 1


def test_gradient_deviation_is_zero_for_the_full_batch():
    params = init_params(2, 10, 2, seed=0)
    X, Y = DATA.Xtrain, DATA.Ytrain
    assert gradient_deviation(params, X, Y, 200, 0) < 1e-12
    one, ten = (gradient_deviation(params, X, Y, b, 0) for b in (1, 10))
    assert one > ten > 0


def test_variant_names():
    assert [variant_name(b, 200) for b in (200, 10, 1)] == [
        "batch",
        "mini-batch",
        "online",
    ]
    with pytest.raises(ValueError):
        VariantsConfig(batch_sizes=(1, 10, 200))


def good_variants():
    """Per epoch: online lowest; per update: the larger batch lower."""
    runs = {
        4: history([0.7, 0.69, 0.68], [0, 1, 2]),
        2: history([0.7, 0.695, 0.60], [0, 2, 4]),
        1: history([0.7, 0.65, 0.30], [0, 4, 8]),
    }
    config = VariantsConfig(batch_sizes=(4, 2, 1), epochs=2)
    deviation = {4: 0.0, 2: 0.5, 1: 1.0}
    return VariantsFinding(config, 4, runs, deviation)


def test_variant_claims_hold_on_good_data_and_fail_on_bad():
    ok = good_variants()
    assert ok.require() is ok
    runs = dict(ok.runs)
    runs[1] = history([0.7, 0.69, 0.685], [0, 4, 8])  # online no better
    with pytest.raises(AssertionError, match="q10-per-epoch-smaller-wins"):
        dataclasses.replace(ok, runs=runs).require()
    runs = dict(ok.runs)
    runs[2] = history([0.7, 0.60, 0.50], [0, 2, 4])  # 0.60 < 0.68 at 2
    with pytest.raises(AssertionError, match="q10-per-update-larger-wins"):
        dataclasses.replace(ok, runs=runs).require()
    runs = dict(ok.runs)
    runs[1] = history([0.7, 0.65, 0.30], [0, 4, 7])  # a lost update
    with pytest.raises(AssertionError, match="q10-updates-counted"):
        dataclasses.replace(ok, runs=runs).require()
    noisy_large = {4: 0.0, 2: 1.0, 1: 0.5}
    with pytest.raises(AssertionError, match="q10-noise-shrinks"):
        dataclasses.replace(ok, deviation=noisy_large).require()


def test_variants_table_and_numbers(variants):
    table = variants.table().splitlines()
    assert len(table) == 2 + 5 and "online, $B$ = 1" in table[0]
    assert table[-1].startswith("| wall time (s) |")
    numbers = variants.numbers()
    assert numbers["q10-online-updates"] == 400
    assert numbers["q10-pair0-updates"] == 2


# --- q11 ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep():
    config = LearningRateConfig(etas=(0.01, 0.1, 10.0), epochs=3)
    return learning_rate_sweep(DATA, config)


def test_sweep_reports_the_divergence(sweep):
    assert sweep.diverged == [10.0] and sweep.stable == [0.01, 0.1]
    h = sweep.runs[10.0]
    assert h.status == f"diverged at epoch {h.diverged_at}"
    assert np.isnan(h.train_loss[h.diverged_at + 1 :]).all()
    by_id = {c.id: c for c in sweep.claims()}
    assert by_id["q11-largest-diverges"].holds
    assert by_id["q11-too-small-stalls"].holds
    row = [r for r in sweep.table().splitlines() if r.startswith("| 10 ")]
    assert "diverged" in row[0] and "—" in row[0]


def good_sweep():
    config = LearningRateConfig(etas=(0.01, 0.1, 1.0, 10.0), epochs=4)
    runs = {
        0.01: history([0.7, 0.699, 0.698, 0.697, 0.696], range(5)),
        0.1: history([0.7, 0.6, 0.5, 0.45, 0.4], range(5)),
        1.0: history([0.7, 0.9, 0.3, 0.5, 0.2], range(5)),
        10.0: history([0.7, 8.0] + [np.nan] * 3, range(5), diverged_at=1),
    }
    return LearningRateFinding(config, runs)


def test_learning_rate_claims_hold_on_good_data_and_fail_on_bad():
    ok = good_sweep()
    assert ok.require() is ok
    assert ok.jumps(1.0) == 2 and ok.jumps(0.1) == 0
    runs = dict(ok.runs)
    runs[0.01] = history([0.7, 0.6, 0.6, 0.6, 0.6], range(5))
    with pytest.raises(AssertionError, match="q11-too-small-stalls"):
        dataclasses.replace(ok, runs=runs).require()
    runs = dict(ok.runs)
    runs[1.0] = history([0.7, 0.75, 0.45, 0.5, 0.45], range(5))
    with pytest.raises(AssertionError, match="q11-larger-lower"):
        dataclasses.replace(ok, runs=runs).require()
    runs = dict(ok.runs)
    runs[0.1] = history([0.7, 0.8, 0.5, 0.45, 0.4], range(5))
    with pytest.raises(AssertionError, match="q11-large-jumps"):
        dataclasses.replace(ok, runs=runs).require()
    runs = dict(ok.runs)
    runs[10.0] = history([0.7, 0.6, 0.5, 0.1, 0.05], range(5))
    with pytest.raises(AssertionError, match="q11-largest-diverges"):
        dataclasses.replace(ok, runs=runs).require()


def test_learning_rate_figure_draws_a_diverged_run():
    from nnintro.plots.optimisation import learning_rate_figure

    ok = good_sweep()
    runs = dict(ok.runs)
    runs[10.0] = history([0.7, np.inf] + [np.nan] * 3, range(5), diverged_at=1)
    for finding in (ok, dataclasses.replace(ok, runs=runs)):
        fig = learning_rate_figure(finding)
        ax = fig.axes[0]
        assert len(ax.lines) == len(finding.runs) + 1  # curves and the cross
        cross = ax.lines[-1]
        assert cross.get_marker() == "x"
        assert np.isfinite(cross.get_ydata()).all()
        texts = [t.get_text() for t in fig.legends[0].get_texts()]
        assert any("diverged at epoch 1" in t for t in texts)
        matplotlib.pyplot.close(fig)


def test_claim_ids_are_unique_and_prefixed(variants, sweep):
    for finding, prefix in (
        (variants, "q10-"),
        (sweep, "q11-"),
    ):
        ids = [c.id for c in finding.claims()]
        assert len(ids) == len(set(ids)) and all(
            i.startswith(prefix) for i in ids
        )
        assert finding.page == "optimisation"
