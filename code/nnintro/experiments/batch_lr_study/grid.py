"""The batch size x learning rate grid: every run is trained twice, all at
once (:mod:`nnintro.batched`), from its start and from the start with one
weight nudged to the next float64 number; where the two end apart, the run
is chaotic. What the page reads off the grid is here; what it says about it,
in :mod:`.finding`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnintro.batched import max_history_difference, run_batched
from nnintro.findings import Finding
from nnintro.training import History, TrainConfig


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
            TrainConfig.from_config(self, eta=eta, batch_size=B)
            for B in self.batch_sizes
            for eta in self.learning_rates
        ]


def twins(configs, data):
    """Each run, and its twin started one float64 step away; both batched."""
    nudge = [False] * len(configs) + [True] * len(configs)
    runs = run_batched(configs * 2, data, nudge=nudge)
    return runs[: len(configs)], runs[len(configs) :]


def gaps(a, b) -> np.ndarray:
    """Per run: the largest difference between two records of it."""
    return np.array([max_history_difference([x], [y]) for x, y in zip(a, b)])


MOVED = 1e-6  # a twin this far from its run: the nudge changed the outcome
LAST_EPOCHS = 50  # the window in which a restless run is judged
STABLE_UP_TO = 0.5  # the page: no run diverges at a rate up to this one
LARGE_BATCH = 50  # the page's large batches: B >= this one
GOOD = 0.9  # a run that ends above this test accuracy is in the good band
NEAR_START = 0.10  # the slowest full-batch run ends this close to its start
FAR_BEHIND = 0.20  # how far below the best the large batches end, at least


def label(B: int, eta: float) -> str:
    return f"B = {B}, η = {eta:g}"


@dataclass(frozen=True)
class StudyGrid(Finding):
    """The 30 runs (batch size major) and their nudged twins, and what can
    be read off them; :class:`~.finding.StudyFinding` adds what the page
    says about them."""

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
    def diverged(self) -> np.ndarray:  # batch sizes x learning rates
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
        sizes, rates = self.config.batch_sizes, self.config.learning_rates
        return [(sizes[r], rates[k]) for r, k in zip(*np.nonzero(mask))]

    def best(self) -> float:
        return float(np.nanmax(self.grid("test_acc")))

    def near_best(self) -> int:
        """Runs within 2 points of the best final test accuracy."""
        return int((self.grid("test_acc") >= self.best() - 0.02).sum())

    def restless_rate(self) -> float:
        """The largest rate at which the online run does not diverge."""
        B1, rates = min(self.config.batch_sizes), self.config.learning_rates
        return max(e for e in rates if not self.run(B1, e).diverged)

    def smallest_good_rate(self, B: int) -> float:
        """The smallest rate at which the run of batch size B ends above
        GOOD in test accuracy (inf if none does)."""
        rates = self.config.learning_rates
        good = [e for e in rates if self.run(B, e).final("test_acc") > GOOD]
        return min(good, default=float("inf"))

    def listed(self, mask) -> str:
        """The cells of ``mask`` as a sentence's list."""
        cells = self.cells(mask)
        return ", ".join(f"B = {B} with η = {e:g}" for B, e in cells) or "none"
