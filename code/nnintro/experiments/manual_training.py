"""The manual network, checked step by step, then trained.

One finding per step of the course's recipe: initialisation, forward pass,
loss (with an over-confident network that breaks the log form), backward
pass (against autograd and central differences), gradient step, and a
training run whose decision regions are drawn as they form.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from nnintro.data import CirclesData
from nnintro.findings import Claim, Finding, claim
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    CENTRAL_DIFFERENCE_TOLERANCE,
    GradCheckReport,
    check_gradients,
)
from nnintro.network import (
    INIT_STD,
    backward,
    forward,
    init_params,
    loss_accuracy,
    sgd,
)
from nnintro.training import History, TrainConfig, train
from nnintro.validation import PARAM_KEYS

EXACT = 1e-15  # rounding of a few float64 operations
LOUD_SCALE = 10_000  # the output layer of the over-confident network


def column_shapes(nx: int, nh: int, ny: int) -> dict[str, tuple[int, ...]]:
    """The shapes of the column form (and of ``torch.nn.Linear``)."""
    return {"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}


def shape_table(tensors: dict[str, torch.Tensor]) -> str:
    """Markdown: name and shape of each tensor."""
    lines = ["| tensor | shape |", "| --- | --- |"]
    for name, value in tensors.items():
        shape = " × ".join(str(n) for n in value.shape)
        lines.append(f"| `{name}` | {shape} |")
    return "\n".join(lines)


# --- initialisation ---------------------------------------------------------


@dataclass(frozen=True)
class InitFinding(Finding):
    """Shapes, repeatability and spread of ``init_params``."""

    page = "manual_network"
    name = "manual-init"

    shapes: dict[str, tuple[int, ...]]
    expected: dict[str, tuple[int, ...]]
    differing: int  # entries that differ between two draws with one seed
    count: int  # weights in the large draw
    std: float  # their sample standard deviation

    def numbers(self):
        return {
            "manual-init-target": f"{INIT_STD:g}",
            "manual-init-count": self.count,
            "manual-init-std": f"{self.std:.4f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "manual-init-shapes",
                "The parameters have the shapes of the column form",
                self.shapes == self.expected,
                "shape of each parameter == column form",
                parameters=len(self.shapes),
            ),
            claim(
                "manual-init-repeatable",
                "The same seed gives the same draw",
                self.differing == 0,
                "entries that differ between two draws == 0",
                differing_entries=self.differing,
            ),
            claim(
                "manual-init-std",
                "Over a large draw the spread is the one asked for",
                abs(self.std - INIT_STD) < 0.005,
                f"|sample sd - {INIT_STD:g}| < 0.005",
                sample_sd=self.std,
                weights=self.count,
            ),
        )


def init_check(nx=2, nh=10, ny=2, *, seed=0, big=(100, 200, 100)):
    """Shapes and repeatability of a draw, and the spread of a large one."""
    params = init_params(nx, nh, ny, seed=seed)
    again = init_params(nx, nh, ny, seed=seed)
    Wh = init_params(*big, seed=seed + 1)["Wh"]
    return InitFinding(
        shapes={k: tuple(v.shape) for k, v in params.items()},
        expected=column_shapes(nx, nh, ny),
        differing=sum(int((params[k] != again[k]).sum()) for k in params),
        count=Wh.numel(),
        std=float(Wh.std()),
    )


# --- forward pass ------------------------------------------------------------


def probability_table(X: torch.Tensor, Yhat: torch.Tensor) -> str:
    """Markdown: each example's inputs and predicted probabilities."""
    lines = [
        "| example | $x_1$ | $x_2$ | $\\hat y_0$ | $\\hat y_1$ | sum |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, (x, yhat) in enumerate(zip(X.tolist(), Yhat.tolist())):
        cells = [f"{v:.3f}" for v in (*x, *yhat, sum(yhat))]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class ForwardFinding(Finding):
    """The batch forward pass against the column form."""

    page = "manual_network"
    name = "manual-forward"

    shapes: dict[str, tuple[int, ...]]
    expected: dict[str, tuple[int, ...]]
    sum_gap: float  # max |row sum of Yhat - 1|
    smallest: float  # smallest entry of Yhat
    column_gap: float  # max |row n - column form of example n|

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "manual-forward-shapes",
                "Every intermediate has the expected shape",
                self.shapes == self.expected,
                "shape of each output == expected",
                outputs=len(self.shapes),
            ),
            claim(
                "manual-forward-probabilities",
                "Each row of the prediction is a probability vector",
                self.sum_gap <= EXACT and self.smallest > 0,
                f"|row sum - 1| <= {EXACT:g} and every entry > 0",
                sum_gap=self.sum_gap,
                smallest=self.smallest,
            ),
            claim(
                "manual-forward-column-form",
                "Each row equals the column form for its example",
                self.column_gap <= EXACT,
                f"max difference <= {EXACT:g}",
                largest_difference=self.column_gap,
            ),
        )


def forward_check(params, X) -> ForwardFinding:
    """The batch forward pass against the column form, example by example."""
    Yhat, outputs = forward(params, X)
    N, nx = X.shape
    nh, ny = params["Wh"].shape[0], params["Wy"].shape[0]
    gap = 0.0
    for n in range(N):
        x = X[n]  # one example, as a column
        h = torch.tanh(params["Wh"] @ x + params["bh"])
        ytilde = params["Wy"] @ h + params["by"]
        yhat = torch.exp(ytilde) / torch.exp(ytilde).sum()
        gap = max(gap, float((yhat - Yhat[n]).abs().max()))
    return ForwardFinding(
        shapes={k: tuple(v.shape) for k, v in outputs.items()},
        expected={
            "X": (N, nx),
            "htilde": (N, nh),
            "h": (N, nh),
            "ytilde": (N, ny),
            "yhat": (N, ny),
        },
        sum_gap=float((Yhat.sum(dim=1) - 1).abs().max()),
        smallest=float(Yhat.min()),
        column_gap=gap,
    )


# --- loss --------------------------------------------------------------------


@dataclass(frozen=True)
class LossFinding(Finding):
    """Both forms of the loss, on a batch and on an over-confident net."""

    page = "manual_network"
    name = "manual-loss"

    # the batch: both forms of the loss against the definition
    log_form_gap: float  # relative
    logit_form_gap: float  # relative
    accuracy: float
    counted: float  # the fraction of rows whose argmax is the class
    # the over-confident network on the whole training set
    rows: int
    top_probability: float  # smallest over rows of the larger probability
    zero_rows: int  # rows with a probability of exactly 0
    target_zero_rows: int  # ... where it is the target's
    other_zero_rows: int  # ... where it is the other class's
    gap_zero: float  # smallest logit gap among the rows with a 0
    gap_other: float  # largest logit gap among the other rows
    smallest_gap: float
    loud_log_form: float  # +inf: a target's probability underflowed
    loud_warning: str  # what loss_accuracy warned
    loud_logit_form: float
    loud_reference: float  # torch.nn.functional.cross_entropy

    def numbers(self):
        return {
            "manual-loud-scale": f"{LOUD_SCALE:,}".replace(",", " "),
            "manual-loud-rows": self.rows,
            "manual-loud-top": f"{self.top_probability:.5f}",
            "manual-loud-smallest-gap": f"{self.smallest_gap:.1f}",
            "manual-loud-zero-rows": self.zero_rows,
            "manual-loud-target-zero": self.target_zero_rows,
            "manual-loud-other-zero": self.other_zero_rows,
            "manual-loud-gap-zero": f"{self.gap_zero:.0f}",
            "manual-loud-gap-other": f"{self.gap_other:.0f}",
            "manual-loud-loss": f"{self.loud_logit_form:.1f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        relative = abs(self.loud_logit_form - self.loud_reference) / abs(
            self.loud_reference
        )
        return (
            claim(
                "manual-loss-definition",
                "Both forms of the loss equal the definition",
                max(self.log_form_gap, self.logit_form_gap) <= 1e-14,
                "relative differences <= 1e-14",
                log_form=self.log_form_gap,
                logit_form=self.logit_form_gap,
            ),
            claim(
                "manual-loss-accuracy",
                "The accuracy equals a plain count",
                self.accuracy == self.counted,
                "accuracy == count of correct rows / rows",
                accuracy=self.accuracy,
            ),
            claim(
                "manual-loud-confident",
                "The scaled-up network is confident on every point",
                self.top_probability > 0.999,
                "larger probability > 0.999 on every row",
                smallest_top=self.top_probability,
                smallest_logit_gap=self.smallest_gap,
            ),
            claim(
                "manual-loud-exact-zeros",
                "A probability is exactly 0 on some points, those with the"
                " largest logit gaps",
                0 < self.zero_rows < self.rows
                and self.gap_zero > self.gap_other,
                "0 < rows with a 0 < rows; their gaps > all other gaps",
                zero_rows=self.zero_rows,
                rows=self.rows,
                gap_zero=self.gap_zero,
                gap_other=self.gap_other,
            ),
            claim(
                "manual-loud-log-form-inf",
                "The log form is +inf, never NaN, and loss_accuracy warns"
                " naming the logits path",
                self.loud_log_form == np.inf
                and self.target_zero_rows > 0
                and self.other_zero_rows > 0
                and "ytilde=" in self.loud_warning,
                "loss == +inf; rows with target 0 > 0; rows with other 0 > 0;"
                " warning names ytilde=",
                target_zero=self.target_zero_rows,
                other_zero=self.other_zero_rows,
            ),
            claim(
                "manual-loud-logit-form",
                "The logit form stays finite and equals PyTorch's"
                " cross_entropy",
                bool(np.isfinite(self.loud_logit_form)) and relative <= 1e-12,
                "finite, relative difference <= 1e-12",
                loss=self.loud_logit_form,
                relative_difference=relative,
            ),
        )


def loss_check(params, data: CirclesData, n: int = 5) -> LossFinding:
    """Both forms of the loss on ``n`` training points; then the output
    layer scaled by ``LOUD_SCALE``, on the whole training set."""
    X, Y = data.Xtrain[:n], data.Ytrain[:n]
    Xall, Yall = data.Xtrain, data.Ytrain
    Yhat, outputs = forward(params, X)
    L, acc = loss_accuracy(Yhat, Y)
    L_logits, _ = loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
    classes = Y.argmax(dim=1)
    definition = float(-torch.log(Yhat[torch.arange(len(Y)), classes]).mean())
    counted = sum(int(Yhat[n].argmax() == classes[n]) for n in range(len(Y)))

    loud = {
        k: LOUD_SCALE * v if k in ("Wy", "by") else v
        for k, v in params.items()
    }
    Yhat, outputs = forward(loud, Xall)
    ytilde, zero = outputs["ytilde"], Yhat == 0
    logit_gap = (ytilde.max(dim=1).values - ytilde.min(dim=1).values).numpy()
    has_zero = zero.any(dim=1).numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        naive, _ = loss_accuracy(Yhat, Yall)
    stable, _ = loss_accuracy(Yhat, Yall, ytilde=ytilde)
    reference = torch.nn.functional.cross_entropy(ytilde, Yall.argmax(dim=1))
    return LossFinding(
        log_form_gap=abs(float(L) - definition) / definition,
        logit_form_gap=abs(float(L_logits) - definition) / definition,
        accuracy=float(acc),
        counted=counted / len(Y),
        rows=len(Yall),
        top_probability=float(Yhat.max(dim=1).values.min()),
        zero_rows=int(has_zero.sum()),
        target_zero_rows=int((zero & (Yall == 1)).any(dim=1).sum()),
        other_zero_rows=int((zero & (Yall == 0)).any(dim=1).sum()),
        gap_zero=float(logit_gap[has_zero].min(initial=np.inf)),
        gap_other=float(logit_gap[~has_zero].max(initial=0.0)),
        smallest_gap=float(logit_gap.min()),
        loud_log_form=float(naive),
        loud_warning=" ".join(str(w.message) for w in caught),
        loud_logit_form=float(stable),
        loud_reference=float(reference),
    )


# --- backward pass -----------------------------------------------------------


@dataclass(frozen=True)
class GradientFinding(Finding):
    """``backward`` against autograd and central differences."""

    page = "manual_network"
    name = "manual-gradients"

    report: GradCheckReport
    mismatched: int  # gradients whose shape is not their parameter's
    examples: int

    def table(self) -> str:
        """Markdown: relative error of each gradient against each reference."""
        r = self.report
        lines = [
            "| gradient of | vs autograd | vs central differences |",
            "| --- | ---: | ---: |",
        ]
        for k in PARAM_KEYS:
            lines.append(
                f"| `{k}` | {r.vs_autograd[k]:.1e} "
                f"| {r.vs_central_difference[k]:.1e} |"
            )
        return "\n".join(lines)

    def numbers(self):
        r = self.report
        return {
            "manual-grad-examples": self.examples,
            "manual-grad-autograd": f"{r.worst_autograd:.1e}",
            "manual-grad-central": f"{r.worst_central_difference:.1e}",
        }

    def claims(self) -> tuple[Claim, ...]:
        r = self.report
        return (
            claim(
                "manual-grad-shapes",
                "Each gradient has the shape of its parameter",
                self.mismatched == 0,
                "gradients with another shape == 0",
                mismatched=self.mismatched,
            ),
            claim(
                "manual-grad-autograd",
                "backward agrees with autograd up to rounding",
                r.worst_autograd <= AUTOGRAD_TOLERANCE,
                f"largest relative error <= {AUTOGRAD_TOLERANCE:g}",
                largest=r.worst_autograd,
            ),
            claim(
                "manual-grad-central",
                "backward agrees with central differences",
                r.worst_central_difference <= CENTRAL_DIFFERENCE_TOLERANCE,
                f"largest relative error <= {CENTRAL_DIFFERENCE_TOLERANCE:g}",
                largest=r.worst_central_difference,
            ),
        )


def gradient_check(params, X, Y) -> GradientFinding:
    """``backward`` against autograd and central differences on a batch."""
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    return GradientFinding(
        report=check_gradients(params, X, Y),
        mismatched=sum(grads[k].shape != params[k].shape for k in params),
        examples=len(X),
    )


# --- gradient step -----------------------------------------------------------


@dataclass(frozen=True)
class StepFinding(Finding):
    """One step of ``sgd``: its rule, its purity, its effect."""

    page = "manual_network"
    name = "manual-step"

    eta: float
    rule_gap: float  # max |stepped - (params - eta grads)|
    changed: int  # entries of the old parameters changed by the step
    loss_before: float
    loss_after: float

    def numbers(self):
        return {
            "manual-step-eta": f"{self.eta:g}",
            "manual-step-before": f"{self.loss_before:.5f}",
            "manual-step-after": f"{self.loss_after:.5f}",
        }

    def claims(self) -> tuple[Claim, ...]:
        return (
            claim(
                "manual-step-rule",
                "The step is theta minus eta times the gradient, exactly",
                self.rule_gap == 0.0,
                "max difference == 0",
                largest_difference=self.rule_gap,
            ),
            claim(
                "manual-step-pure",
                "The old parameters are left untouched",
                self.changed == 0,
                "entries changed in the old parameters == 0",
                changed_entries=self.changed,
            ),
            claim(
                "manual-step-lowers-loss",
                "A small step lowers the loss of its batch",
                self.loss_after < self.loss_before,
                "loss after < loss before",
                before=self.loss_before,
                after=self.loss_after,
            ),
        )


def step_check(params, X, Y, eta: float = 0.01) -> StepFinding:
    """One step of ``sgd`` on a batch, and the batch loss before and after."""
    copy = {k: v.clone() for k, v in params.items()}
    _, outputs = forward(params, X)
    grads = backward(params, outputs, Y)
    stepped = sgd(params, grads, eta)
    gap = max(
        float((stepped[k] - (copy[k] - eta * grads[k])).abs().max())
        for k in PARAM_KEYS
    )
    before, _ = loss_accuracy(forward(params, X)[0], Y)
    after, _ = loss_accuracy(forward(stepped, X)[0], Y)
    return StepFinding(
        eta=eta,
        rule_gap=gap,
        changed=sum(int((params[k] != copy[k]).sum()) for k in PARAM_KEYS),
        loss_before=float(before),
        loss_after=float(after),
    )


# --- the training run --------------------------------------------------------


@dataclass(frozen=True)
class TrainingFinding(Finding):
    """One training run of the manual network."""

    page = "manual_network"
    name = "manual-training"

    history: History
    n_train: int

    @property
    def config(self) -> TrainConfig:
        return self.history.config

    def numbers(self):
        h, c = self.history, self.config
        pct = lambda a: f"{100 * float(a):.1f}"  # noqa: E731
        middle = c.snapshot_epochs[1] if len(c.snapshot_epochs) > 1 else 0
        return {
            "manual-nh": c.nh,
            "manual-eta": f"{c.eta:g}",
            "manual-batch": c.batch_size,
            "manual-epochs": c.epochs,
            "manual-updates": int(h.updates[-1]),
            "manual-loss-start": f"{h.train_loss[0]:.3f}",
            "manual-loss-end": f"{h.final('train_loss'):.3f}",
            "manual-acc-start": pct(h.test_acc[0]),
            "manual-test-acc": pct(h.final("test_acc")),
            "manual-train-acc": pct(h.final("train_acc")),
            "manual-middle-epoch": middle,
            "manual-middle-acc": pct(h.test_acc[middle]),
        }

    def claims(self) -> tuple[Claim, ...]:
        h, c = self.history, self.config
        steps = c.epochs * -(-self.n_train // c.batch_size)
        middle = c.snapshot_epochs[1] if len(c.snapshot_epochs) > 1 else 0
        return (
            claim(
                "manual-train-updates",
                "The run makes one step per mini-batch of every epoch",
                not h.diverged and int(h.updates[-1]) == steps,
                "updates == epochs x ceil(N / B), no divergence",
                updates=int(h.updates[-1]),
                expected=steps,
            ),
            claim(
                "manual-train-loss-falls",
                "The training loss falls below half its start",
                h.final("train_loss") < h.train_loss[0] / 2,
                "final loss < initial loss / 2",
                start=float(h.train_loss[0]),
                end=h.final("train_loss"),
            ),
            claim(
                "manual-train-accuracy",
                "Test accuracy rises from near chance to above 90 %",
                h.test_acc[0] < 0.6 and h.final("test_acc") > 0.9,
                "untrained < 0.6 and final > 0.9",
                untrained=float(h.test_acc[0]),
                final=h.final("test_acc"),
            ),
            claim(
                "manual-train-boundary-late",
                "At the second snapshot the test accuracy is still below"
                " the final one",
                h.test_acc[middle] < h.final("test_acc"),
                "test accuracy at that epoch < final",
                epoch=middle,
                at_epoch=float(h.test_acc[middle]),
            ),
        )


def training_run(config: TrainConfig, data: CirclesData) -> TrainingFinding:
    """Train the manual network with ``train`` and keep its history."""
    return TrainingFinding(train(config, data), data.Xtrain.shape[0])
