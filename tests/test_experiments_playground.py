"""The playground's data, its engine under Node.js, and its presets."""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from book_sources import ROOT, unavailable

from nnintro import make_circles
from nnintro.experiments import playground_node
from nnintro.experiments.playground import (
    ReferenceConfig,
    autograd_losses,
    drawn_like_train,
    engine_check,
    export,
    page_data,
    reference_run,
    relative_difference,
    shared,
)
from nnintro.experiments.playground_node import run_engine
from nnintro.experiments.playground_presets import (
    PRESETS,
    Preset,
    full_batch_rates,
    links_table,
    preset_outcomes,
)

SMALL = (
    ReferenceConfig("tanh", 50, epochs=2),
    ReferenceConfig("relu", 50, epochs=2),
)
LINK = re.compile(r"\{playground\}`[^`<]*<([^>`]*)>`")


@pytest.fixture(scope="module")
def data():
    return make_circles(seed=0)


@pytest.fixture(scope="module")
def node():
    try:
        return playground_node.node_program()
    except RuntimeError as error:
        unavailable(str(error))


def test_the_autograd_loop_follows_train(data):
    """With tanh, the loop of the other activations gives train's losses:
    the draws are train's, and the loop is the same loop."""
    config = ReferenceConfig("tanh", 10, epochs=3)
    run = reference_run(config, data)
    params, orders = drawn_like_train(config, data.Xtrain.shape[0])
    train_loss, test_loss = autograd_losses(config, data, params, orders)
    assert relative_difference(train_loss, run.train_loss) < 1e-12
    assert relative_difference(test_loss, run.test_loss) < 1e-12
    assert sorted(orders[0]) == list(range(200)) and orders[0] != orders[1]


def test_engine_equals_package(data, node):
    finding, page = engine_check(data, SMALL)
    assert finding.require() is finding
    assert set(finding.differences) == {"tanh, B = 50", "relu, B = 50"}
    assert finding.largest < 1e-12
    worse = dataclasses.replace(
        finding, differences={**finding.differences, "tanh, B = 50": 2e-9}
    )
    with pytest.raises(AssertionError, match="playground-equals-package"):
        worse.require()


def test_the_comparison_sees_a_wrong_step(data, node):
    """Replayed with another learning rate, the engine's losses differ."""
    runs = [reference_run(SMALL[0], data)]
    page = export(data, runs)
    page["references"][0]["eta"] = 0.2
    replayed = run_engine(page, [])["references"][0]
    gap = relative_difference(replayed["train"], runs[0].train_loss)
    assert gap > 1e-6


def test_missing_node_is_named(data, monkeypatch, tmp_path):
    monkeypatch.setenv("NNINTRO_NODE", str(tmp_path / "no-node"))
    with pytest.raises(RuntimeError, match="Node.js is needed"):
        run_engine(export(data, []), [])


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="unknown activation 'step'"):
        ReferenceConfig("step")


def test_lengths_must_match():
    with pytest.raises(ValueError, match="2 losses, the package 3"):
        relative_difference([1.0, 2.0], [1.0, 2.0, 3.0])


def test_page_data_is_json_a_script_cannot_end(data):
    page = export(data, [])
    bundle = page_data(page)
    html = bundle["text/html"]
    inner = html.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in inner
    assert json.loads(inner.replace("<\\/", "</"))["grid"]["size"] == 40
    assert "website" in bundle["text/plain"]


def test_presets_show_what_the_sentences_say(data, node):
    page = export(data, [])
    outcomes = preset_outcomes(page)
    assert outcomes.require() is outcomes
    assert outcomes.outcomes["q11-diverges"]["diverged"]
    flipped = {**outcomes.outcomes}
    flipped["q10-online"] = {**flipped["q10-online"], "trainLoss": 1.0}
    with pytest.raises(AssertionError, match="playground-q10"):
        dataclasses.replace(outcomes, outcomes=flipped).require()


def test_every_link_of_the_book_is_a_checked_preset():
    checked = {p.query for p in PRESETS}
    links = {
        (page.name, query)
        for page in Path(ROOT, "book").glob("*.md")
        for query in LINK.findall(page.read_text(encoding="utf-8"))
    }
    assert {page for page, _ in links} >= {
        "forward.md",
        "optimisation.md",
        "batch_lr_study.md",
    }
    unchecked = sorted(link for link in links if link[1] not in checked)
    assert not unchecked, (
        f"links to presets the build does not check: {unchecked}"
    )
    assert all(p.query in links_table() for p in PRESETS)


def test_the_page_states_settings_the_runs_share():
    with pytest.raises(ValueError, match="differ in eta"):
        shared((ReferenceConfig(eta=0.1), ReferenceConfig(eta=0.2)), "eta")
    assert shared(SMALL, "epochs") == "2"


def test_full_batch_rates_are_the_two_presets_and_differ_in_eta_alone():
    by_key = {p.key: p for p in PRESETS}
    numbers = full_batch_rates()
    assert numbers["pg_slow_eta"] == by_key["study-slow"].changes["eta"]
    assert numbers["pg_fast_eta"] == by_key["study-fast"].changes["eta"]
    assert numbers["pg_epochs"] == by_key["study-slow"].run
    assert numbers["pg_batch"] == by_key["study-fast"].changes["batch"]
    longer = Preset("study-fast", 300, {"batch": 200, "eta": 2})
    others = [p for p in PRESETS if p.key != "study-fast"]
    with pytest.raises(ValueError, match="eta alone"):
        full_batch_rates([*others, longer])
