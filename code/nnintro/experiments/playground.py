"""The playground (book/playground.md): its data, and its engine checked
against the package.

The playground trains the course's network in the reader's browser with a
JavaScript engine (``book/_ext/static/playground/``). The build exports the
circles data and, for a few reference configurations, the initial
parameters and the order of the examples in every epoch exactly as
:func:`nnintro.training.train` draws them, with the loss after every epoch
of the package's run. The same engine file then runs under Node.js on that
export, and its losses are compared with the package's. The runs with
another activation than tanh are trained here with autograd (the package's
``backward`` is written for tanh), so their reference is independent of any
hand-written gradient.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import torch

from nnintro.circles import GRID_LIMITS, GRID_SIZE, CirclesData
from nnintro.experiments.playground_node import engine_digest, run_engine
from nnintro.findings import Claim, Finding, claim, each
from nnintro.network import (
    INIT_STD,
    cross_entropy_from_logits,
    sgd,
)
from nnintro.torch_versions import training_schedule
from nnintro.training import DIVERGENCE_LOSS_FACTOR, TrainConfig, train

AGREEMENT = 1e-9  # relative, on the loss after every epoch
PRINTED = (  # where the page is printed: the PDF, a plain notebook
    "The playground runs on the book's website, "
    "where it trains this network in your browser."
)
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "none": lambda t: t,
}


@dataclass(frozen=True)
class ReferenceConfig:
    """One reference run: activation, batch size, and the rest fixed."""

    activation: str = "tanh"
    batch_size: int = 10
    nh: int = 10
    eta: float = 0.1
    epochs: int = 5
    seed: int = 0

    def __post_init__(self):
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {self.activation!r}; "
                f"choose from {sorted(ACTIVATIONS)}"
            )

    @property
    def name(self) -> str:
        return f"{self.activation}, B = {self.batch_size}"


REFERENCES = (
    ReferenceConfig("tanh", 10),
    ReferenceConfig("tanh", 1),
    ReferenceConfig("tanh", 200),
    ReferenceConfig("relu", 10),
    ReferenceConfig("sigmoid", 10),
    ReferenceConfig("none", 10),
)


@dataclass(frozen=True)
class ReferenceRun:
    """What the engine needs to replay a run, and the package's losses."""

    config: ReferenceConfig
    params: dict[str, list]  # initial parameters, nested lists
    orders: list[list[int]]  # the examples of each epoch, in order
    train_loss: list[float]  # index 0 before any update
    test_loss: list[float]


def drawn_like_train(config: ReferenceConfig, n: int):
    """The initial parameters and the epochs' orders,
    drawn as ``train`` draws them: one generator, parameters first."""
    run = TrainConfig.from_config(config)
    params, schedule = training_schedule(run, 2, 2, n)
    return params, [torch.cat(batches).tolist() for batches in schedule]


def loss(params, X, Y, activation: str) -> torch.Tensor:
    """Mean cross-entropy, eq. q14-simplified, with any hidden activation."""
    h = ACTIVATIONS[activation](X @ params["Wh"].T + params["bh"])
    return cross_entropy_from_logits(h @ params["Wy"].T + params["by"], Y)


def autograd_losses(
    config: ReferenceConfig, data: CirclesData, params, orders
):
    """Train with autograd's gradients of the mean loss, the given order;
    return the train and test losses after every epoch."""
    train_loss, test_loss, a = [], [], config.activation

    def record():
        train_loss.append(float(loss(params, data.Xtrain, data.Ytrain, a)))
        test_loss.append(float(loss(params, data.Xtest, data.Ytest, a)))

    record()
    for order in orders:
        for batch in torch.split(torch.tensor(order), config.batch_size):
            leaves = {
                k: v.clone().requires_grad_(True) for k, v in params.items()
            }
            L = loss(leaves, data.Xtrain[batch], data.Ytrain[batch], a)
            grads = dict(
                zip(leaves, torch.autograd.grad(L, list(leaves.values())))
            )
            params = sgd(params, grads, config.eta, check=False)
        record()
    return train_loss, test_loss


def reference_run(config: ReferenceConfig, data: CirclesData) -> ReferenceRun:
    """The package's run of ``config``: tanh with ``train`` itself,
    another activation with autograd, from the same draws."""
    params, orders = drawn_like_train(config, data.Xtrain.shape[0])
    if config.activation == "tanh":
        history = train(TrainConfig.from_config(config), data)
        train_loss = history.train_loss.tolist()
        test_loss = history.test_loss.tolist()
    else:
        train_loss, test_loss = autograd_losses(config, data, params, orders)
    return ReferenceRun(
        config,
        {k: v.tolist() for k, v in params.items()},
        orders,
        train_loss,
        test_loss,
    )


def points(X: torch.Tensor, Y: torch.Tensor) -> dict[str, list]:
    return {"x": X.tolist(), "labels": Y.argmax(dim=1).tolist()}


def export(data: CirclesData, runs: list[ReferenceRun]) -> dict:
    """The page's JSON: the circles data, the course's grid, nnintro's rule
    of divergence, and the reference runs."""
    low, high = GRID_LIMITS
    return {
        "grid": {"size": GRID_SIZE, "low": low, "high": high},
        "divergence_factor": DIVERGENCE_LOSS_FACTOR,
        "train": points(data.Xtrain, data.Ytrain),
        "test": points(data.Xtest, data.Ytest),
        "references": [
            {
                "name": run.config.name,
                "activation": run.config.activation,
                "batch_size": run.config.batch_size,
                "nh": run.config.nh,
                "eta": run.config.eta,
                "params": run.params,
                "orders": run.orders,
                "train_loss": run.train_loss,
                "test_loss": run.test_loss,
            }
            for run in runs
        ],
    }


def relative_difference(engine: list[float], package: list[float]) -> float:
    """The largest |engine - package| / |package| over the epochs."""
    if len(engine) != len(package):
        raise ValueError(
            f"the engine gave {len(engine)} losses, the package {len(package)}"
        )
    return max(abs(a - b) / abs(b) for a, b in zip(engine, package))


def shared(configs, key: str) -> str:
    """The value of ``key`` in the configurations, when they share it."""
    values = sorted({getattr(c, key) for c in configs})
    if len(values) != 1:
        raise ValueError(f"the reference runs differ in {key}: {values}")
    return f"{values[0]:g}"


@dataclass(frozen=True)
class EngineCheck(Finding):
    """The engine's loss after every epoch against the package's run."""

    page = "playground"
    name = "playground-engine"

    differences: dict[str, float]  # configuration -> largest relative gap
    configs: tuple[ReferenceConfig, ...]
    digest: str  # of the engine's files

    @property
    def largest(self) -> float:
        return max(self.differences.values())

    def numbers(self):
        return {
            "playground-max-difference": f"{self.largest:.1e}",
            "playground-configurations": len(self.differences),
            "playground-agreement": f"{AGREEMENT:g}",
            "playground-factor": f"{DIVERGENCE_LOSS_FACTOR:g}",
            "playground-std": f"{INIT_STD:g}",
            **{
                f"playground-ref-{key}": shared(self.configs, key)
                for key in ("nh", "eta", "epochs")
            },
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "playground-equals-package",
                "With the same initial parameters and order of the examples, "
                "the engine's train and test loss after every epoch equals "
                "the package's to 1e-9 relative",
                each(
                    "relative difference",
                    self.differences,
                    "<=",
                    AGREEMENT,
                    of="configurations",
                ),
            ),
        )


def engine_check(data: CirclesData, references=REFERENCES):
    """Run the references in the package and in the engine (Node.js);
    return the finding and the page's JSON."""
    runs = [reference_run(config, data) for config in references]
    page = export(data, runs)
    replayed = run_engine(page, [])["references"]
    differences = {
        run.config.name: relative_difference(
            js["train"] + js["test"], run.train_loss + run.test_loss
        )
        for run, js in zip(runs, replayed)
    }
    return EngineCheck(differences, tuple(references), engine_digest()), page


def page_data(page: dict) -> dict[str, str]:
    """The page's JSON for the playground's script, as an output: HTML in
    the browser, a sentence elsewhere."""
    text = json.dumps(page, separators=(",", ":")).replace("</", "<\\/")
    html = (
        f'<script type="application/json" id="playground-data">{text}</script>'
    )
    return {
        "text/html": html,
        "text/plain": PRINTED,
    }
