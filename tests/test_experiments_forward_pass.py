"""Questions 4 to 7 in floating point, and their claims both ways."""

import dataclasses

import pytest
import torch

from nnintro import forward, init_params, make_circles
from nnintro.experiments.forward_pass import (
    PredictionsFinding,
    compare_with_column_form,
    sizes_of,
    softmax_in_floating_point,
)

DATA = make_circles(0)
PARAMS = init_params(2, 10, 2, seed=0)


def test_parameter_count_and_a_miscount():
    sizes = sizes_of(init_params(2, 4, 2, seed=0))
    assert sizes.require().counted == 22
    with pytest.raises(AssertionError, match="q4-parameter-count"):
        dataclasses.replace(sizes, counted=20).require()


def test_targets_and_predictions():
    Yhat, _ = forward(PARAMS, DATA.Xtrain[:4])
    finding = PredictionsFinding(DATA.Ytrain[:4], Yhat).require()
    assert finding.table().count("\n") == 5  # header, rule, four rows
    bad = PredictionsFinding(DATA.Ytrain[:4] * 2, Yhat)
    with pytest.raises(AssertionError, match="q5-targets-one-hot"):
        bad.require()


def test_softmax_in_floating_point_and_a_naive_softmax():
    ytilde = torch.tensor(
        [[1.0, -2.0, 0.5], [800.0, 799.0, 0.0]], dtype=torch.float64
    )
    assert softmax_in_floating_point(ytilde).require()
    naive = torch.exp(ytilde) / torch.exp(ytilde).sum(dim=1, keepdim=True)
    finding = softmax_in_floating_point(ytilde)
    broken = dataclasses.replace(finding, yhat=naive)
    with pytest.raises(AssertionError, match="q6-softmax-finite"):
        broken.require()


def test_column_form_matches_and_a_perturbed_batch_does_not():
    finding = compare_with_column_form(PARAMS, DATA.Xtrain[:8]).require()
    assert set(finding.worst) == {"htilde", "h", "ytilde", "yhat"}
    broken = dataclasses.replace(finding, worst={**finding.worst, "h": 1e-6})
    with pytest.raises(AssertionError, match="q7-batch-equals-column"):
        broken.require()
