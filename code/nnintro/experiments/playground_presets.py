"""The playground's presets that other pages link to, and what they show.

Each preset is a link (``playground.html?act=none&run=200``): the page
applies the settings and trains for ``run`` epochs. The build trains every
preset with the same engine under Node.js, from the playground's own seeded
generator, and the claims below test what the linking sentences state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from nnintro.experiments.playground_node import run_engine
from nnintro.findings import Finding, above, below, claim, equal

DEFAULTS = {
    "nh": 10,
    "eta": 0.1,
    "batch": 10,
    "act": "tanh",
    "std": 0.3,
    "seed": 0,
}


@dataclass(frozen=True)
class Preset:
    """Settings that differ from the defaults, and the epochs to train."""

    key: str
    run: int
    changes: dict = field(default_factory=dict)

    @property
    def settings(self) -> dict:
        return {**DEFAULTS, **self.changes}

    @property
    def query(self) -> str:
        """The settings as the link's query, e.g. ``act=none&run=200``."""
        return urlencode({**self.changes, "run": self.run})

    def engine_settings(self) -> dict:
        """The settings under the engine's names (``act``: activation)."""
        return {
            "activation" if k == "act" else k: v
            for k, v in self.settings.items()
        }


PRESETS = (
    Preset("q3-none", 200, {"act": "none"}),
    Preset("q3-tanh", 200, {"act": "tanh"}),
    Preset("q10-online", 20, {"batch": 1}),
    Preset("q10-full", 20, {"batch": 200}),
    Preset("q11-diverges", 20, {"eta": 10}),
    Preset("study-slow", 150, {"batch": 200, "eta": 0.01}),
    Preset("study-fast", 150, {"batch": 200, "eta": 2}),
)


@dataclass(frozen=True)
class PresetOutcomes(Finding):
    """What each preset shows after its epochs, trained by the engine."""

    page = "playground"
    name = "playground-presets"

    outcomes: dict[str, dict]  # preset key -> what the engine reports

    def numbers(self):
        out = {}
        for key, o in self.outcomes.items():
            out[f"preset-{key}-train-loss"] = f"{o['trainLoss']:.3f}"
            out[f"preset-{key}-test-acc"] = f"{100 * o['testAcc']:.1f}"
            out[f"preset-{key}-epoch"] = o["epoch"]
        return out

    def claims(self):
        o = self.outcomes
        diverged = o["q11-diverges"]
        stopped = (
            "epoch at which the run stopped as diverged",
            diverged["epoch"] if diverged["diverged"] else 0,
        )
        none = max(
            o["q3-none"]["maxRowChanges"], o["q3-none"]["maxColumnChanges"]
        )
        tanh = o["q3-tanh"]
        rows = ("most class changes along a row, tanh", tanh["maxRowChanges"])
        columns = (
            "most class changes along a column, tanh",
            tanh["maxColumnChanges"],
        )
        disc = ("grid cells of the disc's class, tanh", tanh["classOneCells"])
        border = (
            "of them on the grid's border",
            tanh["classOneOnBorder"],
        )
        online = ("training loss, B = 1", o["q10-online"]["trainLoss"])
        full = ("training loss, B = 200", o["q10-full"]["trainLoss"])
        slow = ("test accuracy, eta = 0.01", o["study-slow"]["testAcc"])
        fast = ("test accuracy, eta = 2", o["study-fast"]["testAcc"])
        return (
            claim(
                "playground-q3-line",
                "With no activation the two regions are split by one line: "
                "the class changes once at most along every row and column",
                equal(("most class changes along a grid line, none", none), 1),
            ),
            claim(
                "playground-q3-closed",
                "With tanh the region of the disc is closed: it touches no "
                "edge of the grid, and the class changes twice along some "
                "row and some column",
                above(disc, 0)
                & equal(border, 0)
                & equal(rows, 2)
                & equal(columns, 2),
            ),
            claim(
                "playground-q10",
                "After 20 epochs the training loss is lower online (B = 1) "
                "than with the full batch (B = 200)",
                below(online, full),
            ),
            claim(
                "playground-q11",
                "With eta = 10 the playground stops after the first epoch, "
                "diverged",
                equal(stopped, 1),
            ),
            claim(
                "playground-study",
                "After 150 full-batch epochs most test points are still "
                "misclassified with eta = 0.01, and more than 90 % are "
                "classified correctly with eta = 2",
                below(slow, 0.5) & above(fast, 0.9),
            ),
        )


def full_batch_rates(presets=PRESETS) -> dict[str, object]:
    """The two presets the batch size page links to, slow and fast, as its
    glue (``pg_batch``, ``pg_epochs``, ``pg_slow_eta``, ``pg_fast_eta``).

    The page names one batch size and one number of epochs for both, so
    the two must differ in eta alone.
    """
    by_key = {p.key: p for p in presets}
    slow, fast = by_key["study-slow"], by_key["study-fast"]
    if (slow.run, slow.changes["batch"]) != (fast.run, fast.changes["batch"]):
        raise ValueError(
            "the presets study-slow and study-fast must differ in eta alone"
        )
    return {
        "pg_batch": slow.changes["batch"],
        "pg_epochs": slow.run,
        "pg_slow_eta": slow.changes["eta"],
        "pg_fast_eta": fast.changes["eta"],
    }


def preset_outcomes(page: dict, presets=PRESETS) -> PresetOutcomes:
    """Train each preset with the engine (Node.js) on the page's data."""
    requests = [
        {"settings": p.engine_settings(), "epochs": p.run} for p in presets
    ]
    results = run_engine(page, requests)["presets"]
    return PresetOutcomes({p.key: r for p, r in zip(presets, results)})


def links_table(presets=PRESETS) -> str:
    """Markdown: each preset's link and what it sets."""
    lines = ["| preset | settings | epochs |", "| --- | --- | --- |"]
    for p in presets:
        settings = ", ".join(f"{k} = {v}" for k, v in p.changes.items())
        link = f"{{playground}}`{p.key} <{p.query}>`"
        lines.append(f"| {link} | {settings} | {p.run} |")
    return "\n".join(lines)
