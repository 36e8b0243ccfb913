"""Batch size x learning rate: the study of the 30 runs, and its check.

Every batch size is crossed with every learning rate, and each run is
trained twice, all at once (:mod:`nnintro.batched`): from its start, and
from the start with one weight nudged to the next float64 number. Where the
two end apart, the run is chaotic: its outcome depends on rounding.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from nnintro.batched import (
    TOLERANCE,
    max_history_difference,
    run_batched,
    run_sequential,
)
from nnintro.data import make_circles
from nnintro.findings import Claim, Finding, claim
from nnintro.training import DIVERGENCE_LOSS_FACTOR, History, TrainConfig


@dataclass(frozen=True)
class StudyConfig:
    """Every batch size crossed with every learning rate, one seed."""

    batch_sizes: tuple[int, ...] = (1, 10, 50, 100, 200)
    learning_rates: tuple[float, ...] = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0)
    epochs: int = 150
    nh: int = 10
    seed: int = 0

    def configs(self) -> list[TrainConfig]:
        """One run per cell: batch size major, learning rate minor."""
        return [
            TrainConfig(
                nh=self.nh,
                eta=eta,
                batch_size=B,
                epochs=self.epochs,
                seed=self.seed,
            )
            for B in self.batch_sizes
            for eta in self.learning_rates
        ]


# --- the findings ------------------------------------------------------------


def twins(configs, data):
    """Each run, and its twin started one float64 step away; both batched."""
    runs = run_batched(
        configs * 2, data, nudge=[False] * len(configs) + [True] * len(configs)
    )
    return runs[: len(configs)], runs[len(configs) :]


@dataclass(frozen=True)
class BatchedCheckFinding(Finding):
    """All at once against one by one over the first epochs of every run."""

    page = "batch_lr_study"
    name = "study-batched-check"

    cells: tuple[tuple[int, float], ...]  # (B, eta) of each run
    epochs: int
    engine_gap: np.ndarray  # per run: batched vs train
    nudge_gap: np.ndarray  # per run: batched vs its nudged twin
    seconds_sequential: float  # shown, never tested
    seconds_batched: float

    @property
    def calm(self) -> np.ndarray:
        """Runs that a last-bit nudge of the start moves by at most tol."""
        return self.nudge_gap <= TOLERANCE

    def numbers(self) -> dict[str, object]:
        restless = [self.cells[i] for i in np.flatnonzero(~self.calm)]
        return {
            "study-check-epochs": self.epochs,
            "study-check-runs": len(self.cells),
            "study-check-calm": int(self.calm.sum()),
            "study-check-restless": ", ".join(
                f"B = {B} with η = {eta:g}" for B, eta in restless
            )
            or "none",
            "study-check-worst": f"{self.engine_gap[self.calm].max():.1e}",
            "study-tolerance": f"{TOLERANCE:.0e}",
            "study-check-seq": f"{self.seconds_sequential:.2f}",
            "study-check-batched": f"{self.seconds_batched:.2f}",
            "study-check-ratio": (
                f"{self.seconds_sequential / self.seconds_batched:.1f}"
            ),
        }

    def claims(self) -> tuple[Claim, ...]:
        calm = self.calm
        worst = float(self.engine_gap[calm].max()) if calm.any() else math.inf
        restless_B = [self.cells[i][0] for i in np.flatnonzero(~calm)]
        return (
            claim(
                "study-batched-agrees",
                "All at once agrees with train on every run that a"
                " last-bit nudge leaves unmoved",
                bool(calm.any()) and worst <= TOLERANCE,
                f"max gap over calm runs <= {TOLERANCE:g}",
                worst_gap=worst,
                calm_runs=int(calm.sum()),
                runs=len(calm),
            ),
            claim(
                "study-check-restless-online",
                "Every run that a last-bit nudge moves is an online run",
                all(B == 1 for B in restless_B),
                "B = 1 for every run with nudge gap > tolerance",
                moved_runs=len(restless_B),
            ),
        )


def gaps(a, b) -> np.ndarray:
    """Per run: the largest difference between two records of it."""
    return np.array([max_history_difference([x], [y]) for x, y in zip(a, b)])


def compare_with_train(config: StudyConfig, data, epochs: int = 3):
    """Every run of the grid for a few epochs: train, batched, nudged."""
    configs = replace(config, epochs=epochs).configs()
    clock = time.perf_counter()
    sequential = run_sequential(configs, data)
    middle = time.perf_counter()
    batched = run_batched(configs, data)
    end = time.perf_counter()
    _, nudged = twins(configs, data)
    return BatchedCheckFinding(
        cells=tuple((c.batch_size, c.eta) for c in configs),
        epochs=epochs,
        engine_gap=gaps(batched, sequential),
        nudge_gap=gaps(batched, nudged),
        seconds_sequential=middle - clock,
        seconds_batched=end - middle,
    )


MOVED = 1e-6  # a twin this far from its run: the nudge changed the outcome
LAST_EPOCHS = 50  # the window in which a restless run is judged


def pct(value: float) -> str:
    return f"{100 * value:.1f}"


@dataclass(frozen=True)
class StudyFinding(Finding):
    """The 30 runs (batch size major) and their nudged twins."""

    page = "batch_lr_study"
    name = "study-grid"

    config: StudyConfig
    n_train: int
    n_test: int
    runs: tuple[History, ...]
    twins: tuple[History, ...]
    seconds: float  # shown, never tested

    def _index(self, B: int, eta: float) -> int:
        c = self.config
        row = c.batch_sizes.index(B)
        return row * len(c.learning_rates) + c.learning_rates.index(eta)

    def run(self, B: int, eta: float) -> History:
        return self.runs[self._index(B, eta)]

    def twin(self, B: int, eta: float) -> History:
        return self.twins[self._index(B, eta)]

    def _as_grid(self, values) -> np.ndarray:
        return np.array(values).reshape(len(self.config.batch_sizes), -1)

    def grid(self, key: str) -> np.ndarray:
        """Final values, batch sizes x learning rates (NaN if diverged)."""
        return self._as_grid([h.final(key) for h in self.runs])

    @property
    def diverged(self) -> np.ndarray:
        return self._as_grid([h.diverged for h in self.runs])

    @property
    def twin_gap(self) -> np.ndarray:
        return self._as_grid(gaps(self.runs, self.twins))

    @property
    def moved(self) -> np.ndarray:
        """Cells whose run and twin ended apart: chaotic runs."""
        return self.twin_gap > MOVED

    def cells(self, mask) -> list[tuple[int, float]]:
        """The (B, eta) of the cells where ``mask`` is true."""
        c = self.config
        rows, columns = np.nonzero(mask)
        return [
            (c.batch_sizes[r], c.learning_rates[k])
            for r, k in zip(rows, columns)
        ]

    def stable_rates(self) -> list[float]:
        """The rates at which no batch size diverged."""
        rates = self.config.learning_rates
        return [
            eta for k, eta in enumerate(rates) if not any(self.diverged[:, k])
        ]

    def best(self) -> float:
        return float(np.nanmax(self.grid("test_acc")))

    def near_best(self, margin: float = 0.02) -> int:
        return int((self.grid("test_acc") >= self.best() - margin).sum())

    def restless_rate(self) -> float:
        """The largest rate at which the online run does not diverge."""
        c = self.config
        B1 = min(c.batch_sizes)
        return max(
            eta for eta in c.learning_rates if not self.run(B1, eta).diverged
        )

    def numbers(self) -> dict[str, object]:
        c = self.config
        sizes, rates = c.batch_sizes, c.learning_rates
        B1, Bn = min(sizes), max(sizes)
        slow, second, top = rates[0], rates[-2], rates[-1]
        restless = self.restless_rate()
        window = self.run(B1, restless).test_acc[-LAST_EPOCHS:]

        def listed(mask) -> str:
            pairs = [
                f"B = {B} with η = {eta:g}" for B, eta in self.cells(mask)
            ]
            return ", ".join(pairs) or "none"

        return {
            "study-batch-sizes": ", ".join(str(B) for B in sizes),
            "study-rates": ", ".join(f"{eta:g}" for eta in rates),
            "study-runs": len(self.runs),
            "study-epochs": c.epochs,
            "study-nh": c.nh,
            "study-n-train": self.n_train,
            "study-n-test": self.n_test,
            "study-steps-online": self.n_train // B1,
            "study-factor": f"{DIVERGENCE_LOSS_FACTOR:g}",
            "study-seconds": f"{self.seconds:.1f}",
            "study-max-stable-eta": f"{max(self.stable_rates()):g}",
            "study-n-diverged": int(self.diverged.sum()),
            "study-diverged-list": listed(self.diverged),
            "study-best-acc": pct(self.best()),
            "study-n-near-best": self.near_best(),
            "study-margin-examples": round(0.02 * self.n_test),
            "study-slow-rate": f"{slow:g}",
            "study-slow-acc": pct(self.run(Bn, slow).final("test_acc")),
            "study-slow-updates": int(self.run(Bn, slow).updates[-1]),
            "study-fast-acc": pct(self.run(B1, slow).final("test_acc")),
            "study-fast-updates": int(self.run(B1, slow).updates[-1]),
            "study-second-rate": f"{second:g}",
            "study-fullbatch-acc": pct(self.run(Bn, second).final("test_acc")),
            "study-online-at": self.run(B1, second).diverged_at or 0,
            "study-online-twin-at": self.twin(B1, second).diverged_at or 0,
            "study-top-rate": f"{top:g}",
            "study-survivors": ", ".join(
                f"B = {B}" for B in sizes if not self.run(B, top).diverged
            ),
            "study-moved-list": listed(self.moved),
            "study-still-gap": f"{self.twin_gap[~self.moved].max():.1e}",
            "study-restless-rate": f"{restless:g}",
            "study-window": LAST_EPOCHS,
            "study-restless-lo": pct(np.nanmin(window)),
            "study-restless-hi": pct(np.nanmax(window)),
            "study-restless-final": pct(
                self.run(B1, restless).final("test_acc")
            ),
            "study-restless-twin": pct(
                self.twin(B1, restless).final("test_acc")
            ),
        }

    def claims(self) -> tuple[Claim, ...]:
        c = self.config
        sizes, rates = c.batch_sizes, c.learning_rates
        B1, Bn = min(sizes), max(sizes)
        slow, second, top = rates[0], rates[-2], rates[-1]
        stable = self.stable_rates()
        diverged_rates = {eta for _, eta in self.cells(self.diverged)}
        online_acc = self.run(B1, slow).final("test_acc")
        full_acc = self.run(Bn, slow).final("test_acc")
        full = self.run(Bn, second)
        online, online_twin = self.run(B1, second), self.twin(B1, second)
        at_top = [self.run(B, top).diverged for B in sizes]
        moved_sizes = [B for B, _ in self.cells(self.moved)]
        still = self.twin_gap[~self.moved]
        restless = self.restless_rate()
        window = self.run(B1, restless).test_acc[-LAST_EPOCHS:]
        return (
            claim(
                "study-stable-rates",
                "Every rate up to the largest stable one works with every"
                " batch size, and every divergence is at the two largest"
                " rates",
                stable == list(rates[: len(stable)])
                and len(stable) >= 4
                and diverged_rates <= {second, top},
                "stable rates are the smallest, at least 4; divergences at"
                " the top two rates",
                largest_stable_rate=max(stable) if stable else math.nan,
                diverged_runs=int(self.diverged.sum()),
            ),
            claim(
                "study-near-best",
                "At least five runs come within 2 points of the best",
                self.near_best() >= 5,
                "runs with test accuracy >= best - 0.02: at least 5",
                best=self.best(),
                runs_within=self.near_best(),
            ),
            claim(
                "study-online-ahead-at-small-rate",
                "At the smallest rate online descent beats full batch by"
                " more than 20 points",
                online_acc - full_acc > 0.20,
                "acc(B min) - acc(B max) > 0.20 at the smallest rate",
                online=online_acc,
                full_batch=full_acc,
            ),
            claim(
                "study-full-batch-large-rate",
                "Full batch at the second-largest rate is stable and above"
                " 90 %",
                not full.diverged and full.final("test_acc") > 0.90,
                "not diverged and test accuracy > 0.90",
                test_acc=full.final("test_acc"),
            ),
            claim(
                "study-online-diverges",
                "At the second-largest rate the online run diverges from"
                " both starts",
                online.diverged and online_twin.diverged,
                "run and twin diverged",
                epoch=online.diverged_at or 0,
                twin_epoch=online_twin.diverged_at or 0,
            ),
            claim(
                "study-ragged-edge",
                "At the largest rate most batch sizes diverge, the smallest"
                " and the largest included, but not all",
                sum(at_top) > len(sizes) / 2
                and at_top[0]
                and at_top[-1]
                and not all(at_top),
                "diverged > half, B min and B max diverged, one survives",
                diverged=sum(at_top),
                batch_sizes=len(sizes),
            ),
            claim(
                "study-chaos-online-only",
                "A last-bit nudge of the start changes some online runs and"
                " no other run",
                len(moved_sizes) > 0 and all(B == B1 for B in moved_sizes),
                f"gap > {MOVED:g} only where B = {B1}, at least once",
                moved_runs=len(moved_sizes),
                largest_other_gap=float(still.max()) if still.size else 0.0,
            ),
            claim(
                "study-online-restless",
                "The online run at the largest rate it survives never settles",
                bool(np.nanmax(window) - np.nanmin(window) > 0.10),
                f"test accuracy spans > 0.10 over the last {LAST_EPOCHS}"
                " epochs",
                lowest=float(np.nanmin(window)),
                highest=float(np.nanmax(window)),
                final=self.run(B1, restless).final("test_acc"),
                twin_final=self.twin(B1, restless).final("test_acc"),
            ),
        )

    def accuracy_table(self) -> str:
        """Markdown: final training / test accuracy (%) of every run."""
        c = self.config
        head = " | ".join(f"η = {eta:g}" for eta in c.learning_rates)
        lines = [
            f"| $B$ | {head} |",
            "| --- " + "| ---: " * len(c.learning_rates) + "|",
        ]
        for r, B in enumerate(c.batch_sizes):
            cells = []
            for k, eta in enumerate(c.learning_rates):
                h = self.run(B, eta)
                train_acc, test_acc = (
                    pct(h.final(key)) for key in ("train_acc", "test_acc")
                )
                text = (
                    f"div. ({h.diverged_at})"
                    if h.diverged
                    else f"{train_acc}/{test_acc}"
                )
                cells.append(text + ("*" if self.moved[r, k] else ""))
            lines.append(f"| {B} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def batch_lr_study(config: StudyConfig = StudyConfig(), data=None):
    """Train every run of the grid and its nudged twin, all at once."""
    data = make_circles(seed=0) if data is None else data
    clock = time.perf_counter()
    runs, nudged = twins(config.configs(), data)
    return StudyFinding(
        config=config,
        n_train=data.Xtrain.shape[0],
        n_test=data.Xtest.shape[0],
        runs=tuple(runs),
        twins=tuple(nudged),
        seconds=time.perf_counter() - clock,
    )
