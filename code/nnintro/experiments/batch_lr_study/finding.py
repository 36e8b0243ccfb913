"""What the batch size x learning rate page says about the grid: its glued
numbers and its checked claims, and the function that trains the grid."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from nnintro.circles import make_circles
from nnintro.comparisons import (
    above,
    at_least,
    below,
    close,
    each,
    equal,
    ordered,
)
from nnintro.experiments.batch_lr_study.grid import (
    FAR_BEHIND,
    GOOD,
    LARGE_BATCH,
    LAST_EPOCHS,
    MOVED,
    NEAR_START,
    STABLE_UP_TO,
    StudyConfig,
    StudyGrid,
    label,
    twins,
)
from nnintro.findings import Check, claim
from nnintro.training import DIVERGENCE_LOSS_FACTOR


@dataclass(frozen=True)
class StudyFinding(StudyGrid):
    """The grid, with the page's numbers and claims."""

    page = "batch_lr_study"
    name = "study-grid"

    def numbers(self):
        c = self.config
        sizes, rates = c.batch_sizes, c.learning_rates
        B1, Bn = min(sizes), max(sizes)
        slow, second, top = rates[0], rates[-2], rates[-1]
        restless = self.restless_rate()
        window = self.run(B1, restless).test_acc[-LAST_EPOCHS:]

        def acc(B, eta, runs=self.run):
            return 100 * runs(B, eta).final("test_acc")

        return {
            "study-batch-sizes": ", ".join(str(B) for B in sizes),
            "study-rates": ", ".join(f"{eta:g}" for eta in rates),
            "study-runs": len(self.runs),
            "study-epochs": c.epochs,
            "study-nh": c.nh,
            "study-n-train": self.n_train,
            "study-n-test": self.n_test,
            "study-steps-online": self.n_train // B1,
            "study-factor": DIVERGENCE_LOSS_FACTOR,
            "study-seconds": self.seconds,
            "study-stable-up-to": STABLE_UP_TO,
            "study-n-diverged": int(self.diverged.sum()),
            "study-diverged-list": self.listed(self.diverged),
            "study-best-acc": 100 * self.best(),
            "study-n-near-best": self.near_best(),
            "study-margin-examples": round(0.02 * self.n_test),
            "study-slow-rate": slow,
            "study-slow-acc": acc(Bn, slow),
            "study-slow-updates": int(self.run(Bn, slow).updates[-1]),
            "study-fast-acc": acc(B1, slow),
            "study-fast-updates": int(self.run(B1, slow).updates[-1]),
            "study-second-rate": second,
            "study-fullbatch-acc": acc(Bn, second),
            "study-online-at": self.run(B1, second).diverged_at or 0,
            "study-online-twin-at": self.twin(B1, second).diverged_at or 0,
            "study-top-rate": top,
            "study-survivors": ", ".join(
                f"B = {B}" for B in sizes if not self.run(B, top).diverged
            ),
            "study-moved-list": self.listed(self.moved),
            "study-still-gap": self.twin_gap[~self.moved].max(),
            "study-restless-rate": restless,
            "study-window": LAST_EPOCHS,
            "study-restless-lo": 100 * np.nanmin(window),
            "study-restless-hi": 100 * np.nanmax(window),
            "study-restless-final": acc(B1, restless),
            "study-restless-twin": acc(B1, restless, self.twin),
            "study-large-from": LARGE_BATCH,
            "study-good": 100 * GOOD,
            "study-band-list": ", ".join(
                f"{self.smallest_good_rate(B):g} for B = {B}" for B in sizes
            ),
            "study-near-start": 100 * NEAR_START,
            "study-far-behind": 100 * FAR_BEHIND,
            "study-slow-start-acc": 100 * self.run(Bn, slow).test_acc[0],
        }

    def claims(self):
        c = self.config
        sizes, rates = c.batch_sizes, c.learning_rates
        B1, Bn = min(sizes), max(sizes)
        slow, second, top = rates[0], rates[-2], rates[-1]
        cells = [(B, eta) for B in sizes for eta in rates]
        low = [eta for eta in rates if eta <= STABLE_UP_TO]
        moved = self.cells(self.moved)
        window = self.run(B1, self.restless_rate()).test_acc[-LAST_EPOCHS:]
        gap = dict(zip(cells, self.twin_gap.flat))

        def acc(B, eta):
            h = self.run(B, eta)
            return f"test accuracy, {label(B, eta)}", h.final("test_acc")

        def div(B, eta, twin=False):
            h = self.twin(B, eta) if twin else self.run(B, eta)
            name = "twin" if twin else "run"
            return f"{name} diverged, {label(B, eta)}", int(h.diverged)

        def every(name, values: dict, relation, bound, of) -> Check:
            if not values:  # a sentence about no example holds nowhere
                return at_least((f"number of {of}", 0), 1)
            return each(name, values, relation, bound, of=of)

        def table(value, where):
            return {label(*k): value(*k) for k in cells if where(*k)}

        n_top = int(self.diverged[:, -1].sum())
        top_diverged = ("diverged at the top rate", n_top)
        calm = table(lambda B, e: div(B, e)[1], lambda B, e: e in low)
        low_runs = f"runs at η <= {STABLE_UP_TO:g}"
        diverged_rate = table(lambda B, e: e, lambda B, e: div(B, e)[1])
        still = table(lambda B, e: gap[B, e], lambda B, e: (B, e) not in moved)
        moved_B = {label(*k): k[0] for k in moved}
        moved_rate = {label(*k): k[1] for k in moved}
        name, value = acc(Bn, slow)
        ahead = (f"0.20 + {name}", value + 0.20)
        span = (f"test accuracy range, {LAST_EPOCHS} epochs", np.ptp(window))
        near = ("runs within 0.02 of the best", self.near_best())
        behind = {
            label(B, slow): self.best() - self.run(B, slow).final("test_acc")
            for B in sizes
            if B >= LARGE_BATCH
        }
        band = [
            (f"smallest η above {GOOD:g}, B = {B}", self.smallest_good_rate(B))
            for B in sizes
        ]
        of = f"batch sizes from {LARGE_BATCH}"
        slow_run = self.run(Bn, slow)
        start = (
            f"initial test accuracy, {label(Bn, slow)}",
            slow_run.test_acc[0],
        )
        return (
            claim(
                "study-stable-rates",
                f"No run diverged at a learning rate up to {STABLE_UP_TO:g},"
                " whatever the batch size, and every run that diverged did"
                " so at one of the two largest rates",
                every("diverged (1) or not (0)", calm, "==", 0, low_runs)
                & every("rate", diverged_rate, ">=", second, "diverged runs"),
            ),
            claim(
                "study-near-best",
                "At least five runs come within 2 points of the best",
                at_least(near, 5),
            ),
            claim(
                "study-online-ahead-at-small-rate",
                "At the smallest rate online descent ends more than 20 points"
                " above full-batch descent in test accuracy",
                above(acc(B1, slow), ahead),
            ),
            claim(
                "study-full-batch-needs-a-large-rate",
                "Full-batch descent gains test accuracy with every larger"
                f" rate up to {STABLE_UP_TO:g}; at the second-largest rate"
                " it is stable and above 90 %",
                ordered([acc(Bn, eta) for eta in low], "<")
                & equal(div(Bn, second), 0)
                & above(acc(Bn, second), 0.9),
            ),
            claim(
                "study-large-batches-far-from-best",
                f"At the smallest rate every batch of {LARGE_BATCH} or more"
                f" ends more than {FAR_BEHIND * 100:g} points below the best"
                " test accuracy",
                every("best - test accuracy", behind, ">", FAR_BEHIND, of),
            ),
            claim(
                "study-good-band",
                "The smallest rate at which a run ends above"
                f" {GOOD * 100:g} % on the test set never falls as the batch"
                " size grows",
                ordered(band, "<="),
            ),
            claim(
                "study-full-batch-slow-near-start",
                "At the smallest rate full-batch descent ends within"
                f" {NEAR_START * 100:g} points of its initial test accuracy",
                close(acc(Bn, slow), start, tol=NEAR_START),
            ),
            claim(
                "study-online-diverges",
                "At the second-largest rate the online run diverges from"
                " both starts",
                equal(div(B1, second), 1) & equal(div(B1, second, True), 1),
            ),
            claim(
                "study-ragged-edge",
                "At the largest rate most batch sizes diverge, the smallest"
                " and the largest included, but not all",
                above(top_diverged, len(sizes) / 2)
                & below(top_diverged, len(sizes))
                & equal(div(B1, top), 1)
                & equal(div(Bn, top), 1),
            ),
            claim(
                "study-chaos-online-only",
                "A last-bit nudge of the start leaves every run unmoved"
                " except some online runs at large rates",
                every("run-twin gap", still, "<=", MOVED, "runs not listed")
                & every("batch size", moved_B, "==", B1, "moved runs")
                & every("rate", moved_rate, ">=", STABLE_UP_TO, "moved runs"),
            ),
            claim(
                "study-online-restless",
                "The online run at the largest rate it survives never settles",
                above(span, 0.10),
            ),
        )


def batch_lr_study(config: StudyConfig | None = None, data=None):
    """Train every run of the grid and its nudged twin, all at once."""
    config = StudyConfig() if config is None else config
    data = make_circles(seed=0) if data is None else data
    clock = time.perf_counter()
    runs, nudged = twins(config.configs(), data)
    seconds = time.perf_counter() - clock
    n_train, n_test = data.Xtrain.shape[0], data.Xtest.shape[0]
    return StudyFinding(
        config, n_train, n_test, tuple(runs), tuple(nudged), seconds
    )
