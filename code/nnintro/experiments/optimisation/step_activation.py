"""The optimisation page, question 13: what the architecture needs from its
activation.

The unit step as hidden activation has a zero derivative wherever it has one,
so the hidden layer receives no gradient and never learns; tanh and ReLU do.
The forward pass with another activation is that of the forward page
(:func:`nnintro.experiments.forward.activation.activation_forward`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from nnintro.circles import CirclesData
from nnintro.experiments.forward.activation import (
    ActivationRunConfig,
    activation_forward,
    activation_gradients,
    train_with_activation,
)
from nnintro.findings import Claim, Finding, above, below, claim, each, equal
from nnintro.network import accuracy, init_params
from nnintro.validation import PARAM_KEYS


def step(t: torch.Tensor) -> torch.Tensor:
    """The unit step as 0.5 (sign(t) + 1): autograd knows the rule of sign."""
    return 0.5 * (torch.sign(t) + 1)  # torch.heaviside has no derivative


#: The hidden activations compared, in the order of the table.
HIDDEN: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "step": step,
    "tanh": torch.tanh,
    "relu": torch.relu,
}


def step_derivative(t: torch.Tensor) -> torch.Tensor:
    """d step(t) / dt as autograd computes it."""
    t = t.detach().clone().requires_grad_(True)
    (derivative,) = torch.autograd.grad(step(t).sum(), t)
    return derivative


def heaviside_backward_error() -> str:
    """The error PyTorch raises when asked for heaviside's derivative.

    The empty string if it raises none.
    """
    t = torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True)
    value = torch.tensor(0.5, dtype=torch.float64)
    try:
        torch.heaviside(t, value).sum().backward()
    except RuntimeError as error:
        return str(error).strip().splitlines()[0]
    return ""


@dataclass(frozen=True)
class StepConfig:
    """Hidden size, seed, and full-batch gradient descent settings."""

    nh: int = 10
    seed: int = 0
    eta: float = 0.5
    epochs: int = 300
    points: int = 9  # where the step's derivative is asked for, in [-2, 2]


@dataclass(frozen=True)
class StepFinding(Finding):
    """Derivatives, gradients and training with step, tanh and ReLU."""

    page = "optimisation"
    name = "q13-step"

    config: StepConfig
    heaviside_error: str
    step_derivative: dict  # t -> d step / dt, `points` points of [-2, 2]
    largest: dict[str, dict[str, float]]  # act -> key -> max |dL/dkey|
    moved: dict[str, dict[str, float]]  # act -> key -> max |change|
    test_acc: dict[str, float]  # act -> after training

    def numbers(self) -> dict[str, object]:
        c = self.config
        return {
            "q13-points": c.points,
            "q13-eta": c.eta,
            "q13-epochs": c.epochs,
            "q13-nh": c.nh,
            "q13-step-wy": self.largest["step"]["Wy"],
            "q13-tanh-wh": self.largest["tanh"]["Wh"],
            "q13-relu-wh": self.largest["relu"]["Wh"],
            **{f"q13-{a}-acc": 100 * acc for a, acc in self.test_acc.items()},
            "q13-heaviside-error": self.heaviside_error,
        }

    def claims(self) -> tuple[Claim, ...]:
        big, moved, acc = self.largest, self.moved, self.test_acc
        points = {f"t={t:g}": d for t, d in self.step_derivative.items()}
        said = int("not implemented" in self.heaviside_error)
        return (
            claim(
                "q13-heaviside-no-derivative",
                "PyTorch defines no derivative for torch.heaviside",
                equal(("error says 'not implemented'", said), 1),
            ),
            claim(
                "q13-step-derivative-zero",
                "Autograd's derivative of the step is exactly zero, at 0 too",
                each("d step / dt", points, "==", 0, of="points")
                & equal(("points at t=0", int("t=0" in points)), 1),
            ),
            claim(
                "q13-step-hidden-gradient-zero",
                "With the step the hidden layer's gradients are exactly"
                " zero and the output layer's are not",
                equal(("max |dL/dWh|, step", big["step"]["Wh"]), 0)
                & equal(("max |dL/dbh|, step", big["step"]["bh"]), 0)
                & above(("max |dL/dWy|, step", big["step"]["Wy"]), 0),
            ),
            claim(
                "q13-smooth-hidden-gradient",
                "With tanh and with ReLU the hidden layer's "
                "gradient is not zero",
                above(("max |dL/dWh|, tanh", big["tanh"]["Wh"]), 0)
                & above(("max |dL/dWh|, relu", big["relu"]["Wh"]), 0),
            ),
            claim(
                "q13-step-hidden-frozen",
                "After training with the step, W_h and b_h are exactly"
                " their initial values while W_y has moved",
                equal(("max change of Wh", moved["step"]["Wh"]), 0)
                & equal(("max change of bh", moved["step"]["bh"]), 0)
                & above(("max change of Wy", moved["step"]["Wy"]), 0),
            ),
            claim(
                "q13-step-learns-less",
                f"Trained the same way ({self.config.epochs} epochs), the"
                " step network scores below both the tanh and the ReLU"
                " network on the test set",
                below(("step", acc["step"]), ("tanh", acc["tanh"]))
                & below(("step", acc["step"]), ("relu", acc["relu"])),
            ),
        )


def step_activation_study(
    data: CirclesData, config: StepConfig | None = None
) -> StepFinding:
    """Gradients at the start, then full-batch training, per activation."""
    config = StepConfig() if config is None else config
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    start = init_params(nx, config.nh, ny, seed=config.seed)
    largest, moved, test_acc = {}, {}, {}
    run = ActivationRunConfig(
        config.nh, config.eta, config.epochs, config.seed
    )
    for a, act in HIDDEN.items():
        grads = activation_gradients(start, data.Xtrain, data.Ytrain, act)
        largest[a] = {k: float(g.abs().max()) for k, g in grads.items()}
        end = train_with_activation(data, act, run)
        moved[a] = {
            k: float((end[k] - start[k]).abs().max()) for k in PARAM_KEYS
        }
        with torch.no_grad():
            Yhat = activation_forward(end, data.Xtest, act)[0]
        test_acc[a] = accuracy(Yhat, data.Ytest)
    t = torch.linspace(-2, 2, config.points, dtype=torch.float64)
    derivative = dict(zip(t.tolist(), step_derivative(t).tolist()))
    return StepFinding(
        config,
        heaviside_backward_error(),
        derivative,
        largest,
        moved,
        test_acc,
    )
