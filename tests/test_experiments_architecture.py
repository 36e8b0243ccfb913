"""Question 13: the step activation, a reduced run,
and each claim both ways."""

import dataclasses

import numpy as np
import pytest
import torch

from nnintro import init_params, make_circles
from nnintro.experiments.activations import ACTIVATIONS
from nnintro.experiments.architecture import (
    StepConfig,
    activation_gradients,
    heaviside_backward_error,
    logits,
    step_activation_study,
    step_derivative,
)

DATA = make_circles(0)


@pytest.fixture(scope="module")
def step_study():
    return step_activation_study(DATA, StepConfig(epochs=5))


def test_step_has_zero_derivative_everywhere():
    t = torch.linspace(-2, 2, 9, dtype=torch.float64)
    assert torch.equal(step_derivative(t), torch.zeros(9, dtype=torch.float64))
    assert float(ACTIVATIONS["step"](torch.tensor(0.0))) == 0.5
    assert "not implemented" in heaviside_backward_error()


def test_step_network_gradients():
    params = init_params(2, 10, 2, seed=0)
    grads = activation_gradients(params, DATA.Xtrain, DATA.Ytrain, "step")
    assert float(grads["Wh"].abs().max()) == float(grads["bh"].abs().max())
    assert float(grads["bh"].abs().max()) == 0.0
    assert float(grads["Wy"].abs().max()) > 0
    with pytest.raises(KeyError):
        logits(params, DATA.Xtrain, "softplus")


def test_step_study_claims(step_study):
    by_id = {c.id: c for c in step_study.claims()}
    for cid in (
        "q13-heaviside-no-derivative",
        "q13-step-derivative-zero",
        "q13-step-hidden-gradient-zero",
        "q13-smooth-hidden-gradient",
        "q13-step-hidden-frozen",
    ):
        assert by_id[cid].holds, cid
    assert step_study.moved["tanh"]["Wh"] > 0


def test_step_claims_fail_on_bad_data(step_study):
    ok = dataclasses.replace(
        step_study, test_acc={"step": 0.7, "tanh": 0.9, "relu": 0.9}
    )
    assert ok.require() is ok
    largest = {**ok.largest, "step": {**ok.largest["step"], "Wh": 1e-9}}
    with pytest.raises(AssertionError, match="q13-step-hidden-gradient-zero"):
        dataclasses.replace(ok, largest=largest).require()
    moved = {**ok.moved, "step": {**ok.moved["step"], "bh": 1e-12}}
    with pytest.raises(AssertionError, match="q13-step-hidden-frozen"):
        dataclasses.replace(ok, moved=moved).require()
    with pytest.raises(AssertionError, match="q13-heaviside-no-derivative"):
        dataclasses.replace(ok, heaviside_error="").require()
    with pytest.raises(AssertionError, match="q13-step-derivative-zero"):
        dataclasses.replace(ok, step_derivative=np.ones(3)).require()
    acc = {"step": 0.95, "tanh": 0.9, "relu": 0.9}
    with pytest.raises(AssertionError, match="q13-step-learns-less"):
        dataclasses.replace(ok, test_acc=acc).require()


def test_claim_ids_are_prefixed(step_study):
    ids = [c.id for c in step_study.claims()]
    assert len(ids) == len(set(ids)) and all(i.startswith("q13-") for i in ids)
    assert step_study.page == "optimisation"
