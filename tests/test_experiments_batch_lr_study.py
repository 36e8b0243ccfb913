"""The batch size x learning rate study: a reduced run, and its claims."""

import dataclasses

import numpy as np
import pytest

from nnintro import make_circles
from nnintro.batched import TOLERANCE, run_batched, run_sequential
from nnintro.experiments.batch_lr_study import (
    StudyConfig,
    StudyFinding,
    batch_lr_study,
    gaps,
    twins,
)
from nnintro.plots.batch_lr_study import accuracy_table
from nnintro.training import History

SMALL = StudyConfig(batch_sizes=(1, 50), learning_rates=(0.1, 5.0), epochs=3)


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


@pytest.fixture(scope="module")
def small(data):
    return batch_lr_study(SMALL, data)


def test_reduced_study_runs_every_cell_twice(small):
    assert len(small.runs) == len(small.twins) == 4
    assert [(h.config.batch_size, h.config.eta) for h in small.runs] == [
        (1, 0.1),
        (1, 5.0),
        (50, 0.1),
        (50, 5.0),
    ]
    assert small.run(50, 0.1) is small.runs[2]
    assert small.twin(1, 5.0) is small.twins[1]
    assert small.grid("test_acc").shape == (2, 2)
    assert small.diverged[0, 1]  # online at eta = 5 diverges at once


def test_accuracy_table_has_a_row_per_batch_size(small):
    lines = accuracy_table(small).data.splitlines()
    assert len(lines) == 2 + 2
    assert lines[0].count("|") == 4
    assert "div. (1)" in lines[2]
    h = small.run(50, 0.1)
    expected = f"{100 * h.final('test_acc'):.1f}"
    assert lines[3].split("|")[2].strip().endswith(expected)


def test_all_at_once_agrees_with_train_on_every_calm_run(data):
    """The page's check: every configuration of the grid, three epochs,
    both ways; every run that a last-bit nudge leaves unmoved agrees."""
    configs = dataclasses.replace(StudyConfig(), epochs=3).configs()
    batched = run_batched(configs, data)
    engine_gap = gaps(batched, run_sequential(configs, data))
    calm = gaps(batched, twins(configs, data)[1]) <= TOLERANCE
    assert calm.sum() >= len(configs) - 2
    assert engine_gap[calm].max() <= TOLERANCE
    restless = [c.batch_size for c, ok in zip(configs, calm) if not ok]
    assert set(restless) <= {1}


# --- the study's claims on made-up records, both ways ----------------------

CONFIG = StudyConfig(epochs=60)
# final test accuracy of each cell (rows B = 1 ... 200, columns the rates);
# 0 marks a run that diverges at epoch 3
ACC = np.array(
    [
        [0.93, 0.93, 0.94, 0.90, 0, 0],
        [0.73, 0.93, 0.93, 0.93, 0.93, 0],
        [0.61, 0.73, 0.91, 0.94, 0.93, 0.94],
        [0.65, 0.64, 0.74, 0.93, 0.94, 0],
        [0.57, 0.61, 0.64, 0.92, 0.93, 0],
    ]
)


def made_up(acc: float, config, *, restless=False, shift=0.0) -> History:
    E = config.epochs
    test_acc = np.linspace(0.5, acc, E + 1) + shift
    if restless:  # swings by 0.3 from one epoch to the next
        test_acc[1::2] -= 0.3
    loss = np.linspace(0.7, 0.2, E + 1)
    diverged_at = None
    if acc == 0:
        diverged_at = 3
        loss[3], loss[4:], test_acc[4:] = 100.0, np.nan, np.nan
    return History(
        config,
        train_loss=loss,
        train_acc=test_acc,
        test_loss=loss,
        test_acc=test_acc,
        updates=np.arange(E + 1.0),
        seconds=np.zeros(E + 1),
        diverged_at=diverged_at,
    )


def made_up_finding(acc=ACC, moved=((0, 3),)) -> StudyFinding:
    configs = CONFIG.configs()
    runs, twins = [], []
    for i, config in enumerate(configs):
        r, k = divmod(i, len(CONFIG.learning_rates))
        restless = (r, k) == (0, 3)
        runs.append(made_up(acc[r, k], config, restless=restless))
        shift = 0.05 if (r, k) in moved else 0.0
        twins.append(
            made_up(acc[r, k], config, restless=restless, shift=shift)
        )
    return StudyFinding(CONFIG, 200, 200, tuple(runs), tuple(twins), 1.0)


def test_claims_hold_on_the_expected_pattern():
    finding = made_up_finding()
    assert finding.require() is finding
    numbers = finding.numbers()
    assert numbers["study-survivors"] == "B = 50"
    assert numbers["study-moved-list"] == "B = 1 with η = 0.5"


@pytest.mark.parametrize(
    "cell, value, failing",
    [
        ((2, 3), 0, "study-stable-rates"),  # B = 50 diverges at eta = 0.5
        ((4, 4), 0.85, "study-full-batch-needs-a-large-rate"),
        ((4, 1), 0.50, "study-full-batch-needs-a-large-rate"),  # a step down
        ((4, 0), 0.95, "study-online-ahead-at-small-rate"),
        ((0, 4), 0.93, "study-online-diverges"),
        ((4, 5), 0.93, "study-ragged-edge"),  # the largest batch survives
    ],
)
def test_each_claim_fails_on_data_that_contradict_it(cell, value, failing):
    """Issue 20, finding 3: the first case gives one run at a rate up to
    0.5 (B = 50, η = 0.5) a divergence, and the stable-region claim fails."""
    acc = ACC.copy()
    acc[cell] = value
    with pytest.raises(AssertionError, match=failing):
        made_up_finding(acc).require()


def test_chaos_claim_fails_when_a_larger_batch_is_moved():
    with pytest.raises(AssertionError, match="study-chaos-online-only"):
        made_up_finding(moved=((0, 3), (2, 2))).require()
    with pytest.raises(AssertionError, match="study-chaos-online-only"):
        made_up_finding(moved=()).require()


def test_near_best_claim_fails_when_one_run_stands_out():
    acc = np.where(ACC > 0, 0.6, 0.0)
    acc[0, 2] = 0.95
    acc[4, 4] = 0.91  # keep the full-batch claim true
    with pytest.raises(AssertionError, match="study-near-best"):
        made_up_finding(acc).require()


@pytest.mark.parametrize(
    "cell, value, failing",
    [
        # B = 50 at the smallest rate only 0.14 below the best
        ((2, 0), 0.80, "study-large-batches-far-from-best"),
        # B = 100 first ends above 0.9 at eta = 1, after B = 200 at 0.5
        ((3, 3), 0.85, "study-good-band"),
        # full-batch at the smallest rate 0.105 above its start of 0.5
        ((4, 0), 0.605, "study-full-batch-slow-near-start"),
    ],
)
def test_band_claims_fail_on_data_that_contradict_them(cell, value, failing):
    acc = ACC.copy()
    acc[cell] = value
    finding = made_up_finding(acc)
    assert [c.id for c in finding.failing()] == [failing]
