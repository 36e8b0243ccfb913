"""Questions 10, 11 and 13: batch size, learning rate, a step activation.

- q10: full-batch, mini-batch and online gradient descent from the same
  initial weights, with the same learning rate and number of epochs;
- q11: a sweep of learning rates, from too small to diverging;
- q13: the unit step as hidden activation: zero derivative, so the
  hidden layer never learns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.findings import Claim, Finding, claim
from nnintro.network import (
    accuracy,
    backward,
    cross_entropy_from_logits,
    forward,
    init_params,
    softmax,
)
from nnintro.training import (
    DIVERGENCE_LOSS_FACTOR,
    History,
    TrainConfig,
    train,
)
from nnintro.validation import PARAM_KEYS


def markdown_table(head: list[str], rows: dict[str, list[str]]) -> str:
    """A Markdown table: an empty corner, ``head``, then one row per key."""
    lines = [
        "| | " + " | ".join(head) + " |",
        "|:--|" + "--:|" * len(head),
    ]
    for name, cells in rows.items():
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- q10: batch, mini-batch and online gradient descent ------------------


@dataclass(frozen=True)
class VariantsConfig:
    """Batch sizes B (largest first), one learning rate, epochs, seed."""

    batch_sizes: tuple[int, ...] = (200, 10, 1)
    eta: float = 0.1
    epochs: int = 20
    nh: int = 10
    seed: int = 0

    def __post_init__(self):
        if list(self.batch_sizes) != sorted(self.batch_sizes, reverse=True):
            raise ValueError(f"batch sizes must decrease: {self.batch_sizes}")


VARIANT_NAMES = ("batch", "mini-batch", "online")


def variant_name(batch_size: int, n_train: int) -> str:
    """'batch' for B = N, 'online' for B = 1, otherwise 'mini-batch'."""
    if batch_size >= n_train:
        return "batch"
    return "online" if batch_size == 1 else "mini-batch"


def flat_gradient(params, X, Y) -> torch.Tensor:
    """The gradient of the mean loss on (X, Y), all parameters in a row."""
    _, outputs = forward(params, X, check=False)
    grads = backward(params, outputs, Y, check=False)
    return torch.cat([grads[k].flatten() for k in PARAM_KEYS])


def gradient_deviation(params, X, Y, batch_size: int, seed: int) -> float:
    """Mean of |g_B - g| / |g| over the mini-batches of one shuffled epoch.

    g is the gradient on all N examples, g_B the one on a mini-batch.
    """
    full = flat_gradient(params, X, Y)
    order = torch.randperm(
        X.shape[0], generator=torch.Generator().manual_seed(seed)
    )
    deviations = [
        float(
            torch.linalg.vector_norm(flat_gradient(params, X[b], Y[b]) - full)
        )
        / float(torch.linalg.vector_norm(full))
        for b in torch.split(order, batch_size)
    ]
    return float(np.mean(deviations))


@dataclass(frozen=True)
class VariantsFinding(Finding):
    """One training history per batch size, and the gradients' noise."""

    page = "optimisation"
    name = "q10-gd-variants"

    config: VariantsConfig
    n_train: int
    runs: dict[int, History]  # batch size -> history
    deviation: dict[int, float]  # batch size -> mean relative deviation

    def loss_after_updates(self, batch_size: int, updates: int) -> float:
        """Training loss of a run when it had made ``updates`` updates.

        NaN when no epoch ended after exactly that many updates.
        """
        h = self.runs[batch_size]
        hits = np.flatnonzero(h.updates == updates)
        return float(h.train_loss[hits[0]]) if hits.size else math.nan

    def same_update_pairs(self):
        """(larger B, smaller B, updates, loss of larger, loss of smaller).

        Each larger batch is compared with the next smaller one at the
        larger one's total number of updates.
        """
        sizes = self.config.batch_sizes
        pairs = []
        for big, small in zip(sizes, sizes[1:]):
            count = int(self.runs[big].updates[-1])
            pairs.append(
                (
                    big,
                    small,
                    count,
                    self.runs[big].final("train_loss"),
                    self.loss_after_updates(small, count),
                )
            )
        return pairs

    def numbers(self) -> dict[str, object]:
        c = self.config
        out = {
            "q10-epochs": c.epochs,
            "q10-eta": f"{c.eta:g}",
            "q10-n-train": self.n_train,
            "q10-initial-loss": f"{self.first_run.train_loss[0]:.3f}",
        }
        for b in c.batch_sizes:
            name = variant_name(b, self.n_train)
            h = self.runs[b]
            out[f"q10-{name}-b"] = b
            out[f"q10-{name}-loss"] = f"{h.final('train_loss'):.3f}"
            out[f"q10-{name}-updates"] = int(h.updates[-1])
            out[f"q10-{name}-per-epoch"] = math.ceil(self.n_train / b)
            out[f"q10-{name}-deviation"] = f"{self.deviation[b]:.2f}"
        for i, (_, _, count, big, small) in enumerate(
            self.same_update_pairs()
        ):
            out[f"q10-pair{i}-updates"] = count
            out[f"q10-pair{i}-larger"] = f"{big:.3f}"
            out[f"q10-pair{i}-smaller"] = f"{small:.3f}"
        return out

    @property
    def first_run(self) -> History:
        return self.runs[self.config.batch_sizes[0]]

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        expected = [
            c.epochs * math.ceil(self.n_train / b) for b in c.batch_sizes
        ]
        counted = [int(self.runs[b].updates[-1]) for b in c.batch_sizes]
        finals = [self.runs[b].final("train_loss") for b in c.batch_sizes]
        pairs = self.same_update_pairs()
        devs = [self.deviation[b] for b in c.batch_sizes]
        return (
            claim(
                "q10-updates-counted",
                "Each run made epochs times the ceiling of N/B updates",
                counted == expected,
                "updates == epochs * ceil(N / B) for every B",
                runs=len(counted),
                mismatches=sum(a != b for a, b in zip(counted, expected)),
            ),
            claim(
                "q10-per-epoch-smaller-wins",
                "After the same number of epochs, the smaller the batch"
                " the lower the training loss",
                all(a > b for a, b in zip(finals, finals[1:])),
                "loss(largest B) > ... > loss(smallest B)",
                **{f"loss_B{b}": f for b, f in zip(c.batch_sizes, finals)},
            ),
            claim(
                "q10-per-update-larger-wins",
                "After the same number of updates, the larger batch has"
                " the lower training loss",
                all(big < small for *_, big, small in pairs),
                "loss(larger B) < loss(smaller B) at the larger's updates",
                **{
                    key: value
                    for b, s, n, big, small in pairs
                    for key, value in (
                        (f"B{b}_at_{n}", big),
                        (f"B{s}_at_{n}", small),
                    )
                },
            ),
            claim(
                "q10-noise-shrinks",
                "At the start, the smaller the batch the further its"
                " gradient from the full one",
                all(a < b for a, b in zip(devs, devs[1:])),
                "deviation(largest B) < ... < deviation(smallest B)",
                **{f"dev_B{b}": d for b, d in zip(c.batch_sizes, devs)},
            ),
        )

    def table(self) -> str:
        """Markdown: one column per batch size (wall time not tested)."""
        sizes = self.config.batch_sizes
        runs = [self.runs[b] for b in sizes]
        head = [f"{variant_name(b, self.n_train)}, $B$ = {b}" for b in sizes]
        rows = {
            "updates": [f"{int(h.updates[-1])}" for h in runs],
            "training loss": [f"{h.final('train_loss'):.3f}" for h in runs],
            "test accuracy": [
                f"{100 * h.final('test_acc'):.1f} %" for h in runs
            ],
            "gradient deviation": [f"{self.deviation[b]:.2f}" for b in sizes],
            "wall time (s)": [f"{h.seconds[-1]:.2f}" for h in runs],
        }
        return markdown_table(head, rows)


def gradient_descent_variants(
    data: CirclesData, config: VariantsConfig = VariantsConfig()
) -> VariantsFinding:
    """Train once per batch size from the same initial weights."""
    runs = {
        b: train(
            TrainConfig(
                nh=config.nh,
                eta=config.eta,
                batch_size=b,
                epochs=config.epochs,
                seed=config.seed,
            ),
            data,
        )
        for b in config.batch_sizes
    }
    X, Y = data.Xtrain, data.Ytrain
    params = init_params(X.shape[1], config.nh, Y.shape[1], seed=config.seed)
    deviation = {
        b: gradient_deviation(params, X, Y, b, config.seed)
        for b in config.batch_sizes
    }
    return VariantsFinding(config, X.shape[0], runs, deviation)


# --- q11: the learning rate ----------------------------------------------


@dataclass(frozen=True)
class LearningRateConfig:
    """Learning rates (increasing), one batch size, epochs, seed.

    ``jump``: a rise of the training loss by more than this fraction
    from one epoch to the next counts as a jump; ``smooth_max``: the
    rates up to this one are expected never to jump.
    """

    etas: tuple[float, ...] = (0.01, 0.1, 1.0, 3.0, 10.0)
    batch_size: int = 10
    epochs: int = 30
    nh: int = 10
    seed: int = 0
    jump: float = 0.10
    smooth_max: float = 0.1

    def __post_init__(self):
        if list(self.etas) != sorted(set(self.etas)) or len(self.etas) < 3:
            raise ValueError(f"need three increasing rates: {self.etas}")


@dataclass(frozen=True)
class LearningRateFinding(Finding):
    """One history per learning rate; a diverged run says so."""

    page = "optimisation"
    name = "q11-learning-rate"

    config: LearningRateConfig
    runs: dict[float, History]  # eta -> history

    @property
    def stable(self) -> list[float]:
        return [e for e, h in self.runs.items() if not h.diverged]

    @property
    def diverged(self) -> list[float]:
        return [e for e, h in self.runs.items() if h.diverged]

    def jumps(self, eta: float) -> int:
        """Epochs after which the loss rose by more than ``jump``."""
        loss = self.runs[eta].train_loss
        loss = loss[np.isfinite(loss)]
        return int(np.sum(loss[1:] > (1 + self.config.jump) * loss[:-1]))

    def lowest(self, eta: float) -> float:
        """The lowest training loss recorded (finite entries)."""
        return float(np.nanmin(self.runs[eta].train_loss))

    def numbers(self) -> dict[str, object]:
        c = self.config
        small, top = c.etas[0], self.stable[-1] if self.stable else c.etas[-1]
        h_small = self.runs[small]
        out = {
            "q11-epochs": c.epochs,
            "q11-batch": c.batch_size,
            "q11-etas": ", ".join(f"{e:g}" for e in c.etas),
            "q11-factor": f"{DIVERGENCE_LOSS_FACTOR:g}",
            "q11-jump": f"{100 * c.jump:g}",
            "q11-smooth-max": f"{c.smooth_max:g}",
            "q11-small": f"{small:g}",
            "q11-small-initial": f"{h_small.train_loss[0]:.3f}",
            "q11-small-final": f"{h_small.final('train_loss'):.3f}",
            "q11-top": f"{top:g}",
            "q11-top-jumps": self.jumps(top),
            "q11-top-lowest": f"{self.lowest(top):.3f}",
            "q11-diverged": ", ".join(f"{e:g}" for e in self.diverged),
        }
        if self.diverged:
            h = self.runs[self.diverged[0]]
            out["q11-diverged-status"] = h.status
            out["q11-diverged-loss"] = f"{h.train_loss[h.diverged_at]:.2f}"
        return out

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        small = self.runs[c.etas[0]]
        drop = 1 - small.final("train_loss") / small.train_loss[0]
        lows = [self.lowest(e) for e in self.stable]
        smooth = [e for e in self.stable if e <= c.smooth_max]
        top = self.stable[-1] if self.stable else c.etas[-1]
        largest = self.runs[c.etas[-1]]
        stop_loss, initial = math.nan, float(largest.train_loss[0])
        stopped = False
        if largest.diverged:
            stop_loss = float(largest.train_loss[largest.diverged_at])
            after = largest.train_loss[largest.diverged_at + 1 :]
            too_high = not math.isfinite(stop_loss) or (
                stop_loss > DIVERGENCE_LOSS_FACTOR * initial
            )
            stopped = too_high and bool(np.all(np.isnan(after)))
        return (
            claim(
                "q11-too-small-stalls",
                "With the smallest rate the training loss falls by less"
                " than 5 % of its initial value",
                0 <= drop < 0.05,
                "0 <= 1 - final / initial < 0.05",
                eta=c.etas[0],
                drop=float(drop),
            ),
            claim(
                "q11-larger-lower",
                "Among the rates that do not diverge, each larger one"
                " reaches a lower training loss",
                len(lows) >= 2 and all(a > b for a, b in zip(lows, lows[1:])),
                "lowest loss decreases with eta over the stable rates",
                **{f"eta_{e:g}": v for e, v in zip(self.stable, lows)},
            ),
            claim(
                "q11-large-jumps",
                "The loss never jumps up at the small rates, and does in"
                " at least a quarter of the epochs at the largest stable"
                " rate",
                sum(self.jumps(e) for e in smooth) == 0
                and bool(smooth)
                and self.jumps(top) >= c.epochs / 4,
                f"jumps (rises > {c.jump:g}): 0 for eta <= "
                f"{c.smooth_max:g}, >= epochs / 4 at the largest stable",
                small_rates=sum(self.jumps(e) for e in smooth),
                largest_stable=self.jumps(top),
                epochs=c.epochs,
            ),
            claim(
                "q11-largest-diverges",
                "Exactly the largest rate diverges; the loop reports it"
                " and stops",
                self.diverged == [c.etas[-1]] and stopped,
                "diverged == [largest eta]; its last loss > "
                f"{DIVERGENCE_LOSS_FACTOR:g} x initial, NaN after",
                diverged=len(self.diverged),
                at_epoch=largest.diverged_at if largest.diverged else -1,
                last_loss=stop_loss,
                initial=initial,
            ),
        )

    def table(self) -> str:
        """Markdown: status, lowest and final training loss, jumps."""
        rows = [
            "| $\\eta$ | status | lowest loss | final loss | jumps |",
            "|--:|:--|--:|--:|--:|",
        ]
        for e, h in self.runs.items():
            final = "—" if h.diverged else f"{h.final('train_loss'):.3f}"
            rows.append(
                f"| {e:g} | {h.status} | {self.lowest(e):.3f} | {final}"
                f" | {self.jumps(e)} |"
            )
        return "\n".join(rows)


def learning_rate_sweep(
    data: CirclesData, config: LearningRateConfig = LearningRateConfig()
) -> LearningRateFinding:
    """Train once per learning rate; a diverging run stops and says so."""
    runs = {
        eta: train(
            TrainConfig(
                nh=config.nh,
                eta=eta,
                batch_size=config.batch_size,
                epochs=config.epochs,
                seed=config.seed,
            ),
            data,
        )
        for eta in config.etas
    }
    return LearningRateFinding(config, runs)


# --- q13: a step activation has zero gradient ----------------------------


def step(t: torch.Tensor) -> torch.Tensor:
    """The unit step as 0.5 (sign(t) + 1): autograd knows sign's rule."""
    return 0.5 * (torch.sign(t) + 1)


HIDDEN_ACTIVATIONS = {"step": step, "tanh": torch.tanh, "relu": torch.relu}


def logits(params, X, activation: str) -> torch.Tensor:
    """ytilde = Wy act(Wh x + bh) + by, batch form (N x ny)."""
    if activation not in HIDDEN_ACTIVATIONS:
        raise KeyError(
            f"unknown activation {activation!r};"
            f" choose from {sorted(HIDDEN_ACTIVATIONS)}"
        )
    htilde = X @ params["Wh"].T + params["bh"]  # N x nh
    h = HIDDEN_ACTIVATIONS[activation](htilde)  # N x nh
    return h @ params["Wy"].T + params["by"]  # N x ny


def activation_gradients(params, X, Y, activation: str):
    """Autograd's gradient of the mean cross-entropy, per parameter."""
    leaves = {
        k: p.detach().clone().requires_grad_(True) for k, p in params.items()
    }
    L = cross_entropy_from_logits(logits(leaves, X, activation), Y)
    grads = torch.autograd.grad(L, [leaves[k] for k in PARAM_KEYS])
    return dict(zip(PARAM_KEYS, grads))


def step_derivative(t: torch.Tensor) -> torch.Tensor:
    """d step(t) / dt as autograd computes it."""
    t = t.detach().clone().requires_grad_(True)
    step(t).sum().backward()
    return t.grad


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


def gradient_descent(params, data: CirclesData, activation, eta, epochs):
    """Full-batch gradient descent with autograd; returns new params."""
    params = {k: p.clone() for k, p in params.items()}
    for _ in range(epochs):
        grads = activation_gradients(
            params, data.Xtrain, data.Ytrain, activation
        )
        params = {k: params[k] - eta * grads[k] for k in PARAM_KEYS}
    return params


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
    step_derivative: np.ndarray  # at `points` points of [-2, 2], 0 included
    largest: dict[str, dict[str, float]]  # act -> key -> max |dL/dkey|
    moved: dict[str, dict[str, float]]  # act -> key -> max |change|
    test_acc: dict[str, float]  # act -> after training

    def numbers(self) -> dict[str, object]:
        c = self.config
        return {
            "q13-points": c.points,
            "q13-eta": f"{c.eta:g}",
            "q13-epochs": c.epochs,
            "q13-nh": c.nh,
            "q13-step-wy": f"{self.largest['step']['Wy']:.3f}",
            "q13-tanh-wh": f"{self.largest['tanh']['Wh']:.3f}",
            "q13-relu-wh": f"{self.largest['relu']['Wh']:.3f}",
            "q13-step-acc": f"{100 * self.test_acc['step']:.1f}",
            "q13-tanh-acc": f"{100 * self.test_acc['tanh']:.1f}",
            "q13-relu-acc": f"{100 * self.test_acc['relu']:.1f}",
            "q13-heaviside-error": self.heaviside_error,
        }

    def claims(self) -> tuple[Claim, ...]:
        big, moved = self.largest, self.moved
        return (
            claim(
                "q13-heaviside-no-derivative",
                "PyTorch defines no derivative for torch.heaviside",
                "not implemented" in self.heaviside_error,
                "backward raises an error saying 'not implemented'",
                raised=int(bool(self.heaviside_error)),
            ),
            claim(
                "q13-step-derivative-zero",
                "Autograd's derivative of the step is exactly zero, at 0 too",
                bool(np.all(self.step_derivative == 0)),
                "every derivative == 0",
                points=self.step_derivative.size,
                largest=float(np.abs(self.step_derivative).max()),
            ),
            claim(
                "q13-step-hidden-gradient-zero",
                "With the step the hidden layer's gradients are exactly"
                " zero and the output layer's are not",
                big["step"]["Wh"] == big["step"]["bh"] == 0
                and big["step"]["Wy"] > 0,
                "max |dL/dWh| == max |dL/dbh| == 0 < max |dL/dWy|",
                Wh=big["step"]["Wh"],
                bh=big["step"]["bh"],
                Wy=big["step"]["Wy"],
            ),
            claim(
                "q13-smooth-hidden-gradient",
                "With tanh and with ReLU the hidden layer's gradient is"
                " not zero",
                min(big["tanh"]["Wh"], big["relu"]["Wh"]) > 0,
                "max |dL/dWh| > 0 for both",
                tanh=big["tanh"]["Wh"],
                relu=big["relu"]["Wh"],
            ),
            claim(
                "q13-step-hidden-frozen",
                "After training with the step, W_h and b_h are exactly"
                " their initial values while W_y has moved",
                moved["step"]["Wh"] == moved["step"]["bh"] == 0
                and moved["step"]["Wy"] > 0,
                "max |change| of Wh and bh == 0 < that of Wy",
                Wh=moved["step"]["Wh"],
                bh=moved["step"]["bh"],
                Wy=moved["step"]["Wy"],
            ),
            claim(
                "q13-step-learns-less",
                "Trained the same way, the step network scores below"
                " both the tanh and the ReLU network",
                self.test_acc["step"]
                < min(self.test_acc["tanh"], self.test_acc["relu"]),
                "test acc(step) < test acc(tanh), test acc(relu)",
                **self.test_acc,
            ),
        )

    def table(self) -> str:
        """Markdown: one column per activation."""
        acts = list(HIDDEN_ACTIVATIONS)
        rows = {
            "max $|\\partial L/\\partial W_h|$ at start": [
                f"{self.largest[a]['Wh']:.3g}" for a in acts
            ],
            "max $|\\partial L/\\partial W_y|$ at start": [
                f"{self.largest[a]['Wy']:.3g}" for a in acts
            ],
            "max change of $W_h$": [
                f"{self.moved[a]['Wh']:.3g}" for a in acts
            ],
            "test accuracy": [f"{100 * self.test_acc[a]:.1f} %" for a in acts],
        }
        return markdown_table(acts, rows)


def step_activation_study(
    data: CirclesData, config: StepConfig = StepConfig()
) -> StepFinding:
    """Gradients at the start, then full-batch training, per activation."""
    nx, ny = data.Xtrain.shape[1], data.Ytrain.shape[1]
    start = init_params(nx, config.nh, ny, seed=config.seed)
    largest, moved, test_acc = {}, {}, {}
    for a in HIDDEN_ACTIVATIONS:
        grads = activation_gradients(start, data.Xtrain, data.Ytrain, a)
        largest[a] = {k: float(g.abs().max()) for k, g in grads.items()}
        end = gradient_descent(start, data, a, config.eta, config.epochs)
        moved[a] = {
            k: float((end[k] - start[k]).abs().max()) for k in PARAM_KEYS
        }
        with torch.no_grad():
            Yhat = softmax(logits(end, data.Xtest, a))
        test_acc[a] = accuracy(Yhat, data.Ytest)
    t = torch.linspace(-2, 2, config.points, dtype=torch.float64)
    return StepFinding(
        config,
        heaviside_backward_error(),
        step_derivative(t).numpy(),
        largest,
        moved,
        test_acc,
    )
