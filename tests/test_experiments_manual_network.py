"""The manual-network page: the functions do what the page says they do,
and its measurements hold their claims."""

import math
import warnings

import pytest
import torch

from nnintro import (
    TrainConfig,
    backward,
    forward,
    init_params,
    loss_accuracy,
    make_circles,
    sgd,
    train,
)
from nnintro.experiments.manual_network import (
    init_spread,
    loud_network,
    one_step,
    training_run,
)
from nnintro.plots.manual_network import probability_table, shape_table
from nnintro.training import epoch_batches


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


@pytest.fixture(scope="module")
def params():
    return init_params(2, 10, 2, seed=0)


def test_init_shapes_are_the_column_form_and_a_seed_repeats():
    params = init_params(3, 5, 4, seed=7)
    shapes = {k: tuple(v.shape) for k, v in params.items()}
    assert shapes == {"Wh": (5, 3), "bh": (5,), "Wy": (4, 5), "by": (4,)}
    again = init_params(3, 5, 4, seed=7)
    assert all(torch.equal(params[k], again[k]) for k in params)


def test_init_spread_holds_for_weights_and_biases():
    assert init_spread(nh=5_000).require()


def test_forward_rows_are_the_column_form(params, data):
    X = data.Xtrain[:5]
    Yhat, outputs = forward(params, X)
    shapes = {k: tuple(v.shape) for k, v in outputs.items()}
    assert shapes == {
        "X": (5, 2),
        "htilde": (5, 10),
        "h": (5, 10),
        "ytilde": (5, 2),
        "yhat": (5, 2),
    }
    assert float((Yhat.sum(dim=1) - 1).abs().max()) <= 1e-15
    assert float(Yhat.min()) > 0
    for n in range(5):
        h = torch.tanh(params["Wh"] @ X[n] + params["bh"])
        ytilde = params["Wy"] @ h + params["by"]
        yhat = torch.exp(ytilde) / torch.exp(ytilde).sum()
        torch.testing.assert_close(yhat, Yhat[n], rtol=0, atol=1e-15)


def test_both_forms_of_the_loss_are_the_definition(params, data):
    X, Y = data.Xtrain[:5], data.Ytrain[:5]
    Yhat, outputs = forward(params, X)
    classes = Y.argmax(dim=1)
    definition = -torch.log(Yhat[torch.arange(5), classes]).mean()
    L, acc = loss_accuracy(Yhat, Y)
    L_logits, _ = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    torch.testing.assert_close(L, definition, rtol=1e-14, atol=0)
    torch.testing.assert_close(L_logits, definition, rtol=1e-14, atol=0)
    assert acc == float((Yhat.argmax(dim=1) == classes).double().mean())


def test_the_loud_network(params, data):
    finding = loud_network(params, data)
    assert finding.require() is finding
    assert (
        finding.target_zero_rows + finding.other_zero_rows == finding.zero_rows
    )
    assert finding.log_form == math.inf


def test_the_loud_logit_form_is_pytorchs_cross_entropy(params, data):
    finding = loud_network(params, data)
    loud = {
        k: 10_000 * v if k in ("Wy", "by") else v for k, v in params.items()
    }
    ytilde = forward(loud, data.Xtrain)[1]["ytilde"]
    reference = torch.nn.functional.cross_entropy(
        ytilde, data.Ytrain.argmax(dim=1)
    )
    assert finding.logit_form == pytest.approx(float(reference), rel=1e-12)


def test_the_log_form_of_the_loud_network_warns(params, data):
    loud = {
        k: 10_000 * v if k in ("Wy", "by") else v for k, v in params.items()
    }
    Yhat, _ = forward(loud, data.Xtrain)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss, _ = loss_accuracy(Yhat, data.Ytrain)
    assert loss == math.inf and not math.isnan(loss)
    assert any("ytilde=" in str(w.message) for w in caught)


def test_sgd_is_the_rule_and_leaves_the_old_parameters(params, data):
    X, Y = data.Xtrain[:20], data.Ytrain[:20]
    copy = {k: v.clone() for k, v in params.items()}
    grads = backward(params, forward(params, X)[1], Y)
    stepped = sgd(params, grads, 0.01)
    for k in params:
        assert torch.equal(params[k], copy[k])
        assert torch.equal(stepped[k], copy[k] - 0.01 * grads[k])
    assert one_step(params, X, Y, eta=0.01).require()


def test_the_loop_of_the_page_is_train(data):
    """The page's loop and ``train`` take the same steps."""
    config = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=3, seed=0)
    generator = torch.Generator().manual_seed(0)
    params = init_params(2, 10, 2, generator=generator)
    X, Y = data.Xtrain, data.Ytrain
    for _ in range(3):
        for batch in epoch_batches(len(X), 10, generator):
            grads = backward(params, forward(params, X[batch])[1], Y[batch])
            params = sgd(params, grads, eta=0.1)
    history = train(config, data)
    assert all(torch.equal(params[k], history.params[k]) for k in params)


def test_training_run_on_a_short_schedule(data):
    config = TrainConfig(epochs=3, batch_size=50, snapshot_epochs=(0, 1, 3))
    finding = training_run(config, data)
    assert finding.numbers()["manual-updates"] == 3 * 4  # 200 / 50 a epoch
    ids = {c.id: c for c in finding.claims()}
    # three epochs are too few to reach 90 %: the claim says so
    assert not ids["manual-train-accuracy"].holds


def test_tables_are_markdown(params, data):
    assert shape_table(params).data.splitlines()[2] == "| `Wh` | 10 × 2 |"
    X = data.Xtrain[:2]
    lines = probability_table(X, forward(params, X)[0]).data.splitlines()
    assert len(lines) == 4 and lines[2].endswith("| 1.000 |")
