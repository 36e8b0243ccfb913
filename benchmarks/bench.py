"""Measure the build and training speed of the project in one run.

Write a markdown and CSV table.

    # everything (about ten minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py
    # only the training measurements
    .venv/bin/python benchmarks/bench.py --no-build
    # only the step ratios (30 s)
    .venv/bin/python benchmarks/bench.py --steps

Every figure is a median over repeats, and comparisons are ratios measured in
this same run, so that a busy shared machine slows both sides alike. Builds run
in a temporary copy of the working tree (sharing this tree's .venv), so the
reader's own _build is left alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Row:
    name: str
    median_s: float
    repeats: int
    note: str = ""


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- builds ------------------------------------------------------------------


def copy_tree(dest: Path) -> None:
    """Copy the tracked and untracked-but-not-ignored files of the working tree
    to ``dest``."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            target = dest / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    if not (ROOT / ".venv" / ".installed").exists():
        sys.exit("run `make venv` first")
    (dest / ".venv").symlink_to(ROOT / ".venv")
    if (ROOT / ".npm").is_dir():  # the pinned npm packages, fetched once
        (dest / ".npm").symlink_to(ROOT / ".npm")


def make_book(tree: Path) -> None:
    # -o: never reinstall the shared .venv from the copy
    # (that would point it at the copy)
    subprocess.run(
        ["make", "-o", ".venv/.installed", "book"],
        cwd=tree,
        check=True,
        capture_output=True,
    )


def append_line(path: Path, line: str) -> None:
    with path.open("a") as f:
        f.write(line)


def bench_builds(repeats: int) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="nnintro-bench-") as tmp:
        tree = Path(tmp)
        copy_tree(tree)

        def clean_build():
            shutil.rmtree(tree / "_build", ignore_errors=True)
            make_book(tree)

        rows.append(
            Row(
                "clean build of the book",
                median_time(clean_build, repeats),
                repeats,
            )
        )
        rows.append(
            Row(
                "no-op rebuild",
                median_time(lambda: make_book(tree), 3 * repeats),
                3 * repeats,
            )
        )

        page = tree / "book" / "index.md"

        def prose_edit():
            append_line(page, "\n<!-- a prose-only edit -->\n")
            make_book(tree)

        rows.append(
            Row(
                "rebuild after a prose-only edit",
                median_time(prose_edit, repeats),
                repeats,
            )
        )

        def warm_reread():
            subprocess.run(
                [
                    str(tree / ".venv" / "bin" / "jupyter-book"),
                    "build",
                    ".",
                    "--all",
                    "-W",
                    "-n",
                    "--keep-going",
                ],
                cwd=tree,
                check=True,
                capture_output=True,
            )

        rows.append(
            Row(
                "re-read and write every page from the cache",
                median_time(warm_reread, repeats),
                repeats,
                "the Sphinx part of a build, no execution",
            )
        )
        rows += page_execution_rows(tree)

        rows += module_edit_rows(tree, repeats)
    return rows


def executed_pages(tree: Path) -> int:
    """How many page kernels ran in the last build (their records)."""
    return len(list((tree / "_build" / ".page-records").glob("*.json")))


def module_edit_rows(tree: Path, repeats: int) -> list[Row]:
    """Rebuilds after an edit of a module that one page imports, and of one
    that every page imports: only the pages that import it run again."""
    rows = []
    pages = len(page_execution_rows(tree))
    for name, module, who in (
        (
            "rebuild after a change in "
            "code/nnintro/experiments/svm/studies.py",
            "experiments/svm/studies.py",
            "imported by one page",
        ),
        (
            "rebuild after a change in code/",
            "__init__.py",
            "code/nnintro/__init__.py, imported by every page",
        ),
    ):
        path = tree / "code" / "nnintro" / module
        counts = []

        def edit(path=path, counts=counts):
            append_line(path, "\n# a change in code/\n")
            make_book(tree)
            counts.append(executed_pages(tree))

        seconds = median_time(edit, repeats)
        note = f"{who}: {max(counts)} of {pages} pages executed"
        rows.append(Row(name, seconds, repeats, note))
    return rows


def page_execution_rows(tree: Path) -> list[Row]:
    """Per-page execution time as recorded in the execution cache by the last
    clean build."""
    from jupyter_cache import get_cache

    cache = get_cache(str(tree / "_build" / ".jupyter_cache"))
    rows = []
    for record in cache.list_cache_records():
        seconds = record.data.get("execution_seconds")
        if seconds is not None:
            name = Path(record.uri).relative_to(tree)
            rows.append(
                Row(
                    f"execution of {name}",
                    seconds,
                    1,
                    "two pages run at a time",
                )
            )
    rows.sort(key=lambda r: -r.median_s)
    return rows


def bench_startup(repeats: int) -> list[Row]:
    """What every page pays before its first line:
    a kernel start-up and the imports."""
    from jupyter_client.manager import start_new_kernel

    python = str(ROOT / ".venv" / "bin" / "python")

    def run(code):
        subprocess.run([python, "-c", code], check=True)

    bare = median_time(lambda: run("pass"), repeats)
    imports = median_time(
        lambda: run(
            "import torch, sympy, matplotlib.pyplot, "
            "sklearn.svm, nnintro.batched"
        ),
        repeats,
    )

    def kernel():
        manager, client = start_new_kernel(kernel_name="python3")
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    return [
        Row(
            "kernel start-up (until it answers)",
            median_time(kernel, repeats),
            repeats,
        ),
        Row(
            "imports of a page (torch, sympy, matplotlib, ...)",
            imports - bare,
            repeats,
            "fresh interpreter, minus a bare start",
        ),
    ]


# --- training steps ---------------------------------------------------------

STEP_NOTE = "n_x=2, n_h=10, n_y=2, batch 10, float64, 1 thread; CPU time"
STEPS = {
    "checked": "one training step: course API, checked",
    "unchecked": "one training step: course API, unchecked",
    "autograd": "one training step: autograd",
    "nn": "one training step: nn",
    "nn + optim": "one training step: nn + optim",
}


def training_steps(eta: float = 0.1) -> dict:
    """One SGD step on the next mini-batch of the circles, five ways.

    Every step takes a fresh batch (as a training loop does), computes the
    loss and updates its own copy of the same starting parameters.
    checked: ``forward``, ``loss_accuracy``, ``backward`` and ``sgd`` with
    their default checks; unchecked: ``check=False`` and the loss from the
    logits; autograd: the same forward pass, ``F.cross_entropy`` on the
    logits and ``torch.autograd`` for the gradients; nn, nn + optim:
    ``torch.nn`` layers and loss, with the update written out or done by
    ``torch.optim.SGD``.
    """
    import itertools

    import torch
    import torch.nn.functional as F

    from nnintro import make_circles
    from nnintro.network import (
        backward,
        cross_entropy_from_logits,
        forward,
        init_params,
        loss_accuracy,
        sgd,
    )
    from nnintro.torch_versions import nn_model

    data = make_circles(0)
    order = torch.randperm(200, generator=torch.Generator().manual_seed(0))
    batches = itertools.cycle(torch.split(order, 10))

    def batch():
        b = next(batches)
        return data.Xtrain[b], data.Ytrain[b]

    start = init_params(2, 10, 2, seed=0)
    state = {"checked": dict(start), "unchecked": dict(start)}

    def checked():
        X, Y = batch()
        params = state["checked"]
        Yhat, outputs = forward(params, X)
        loss_accuracy(Yhat, Y, ytilde=outputs["ytilde"])
        grads = backward(params, outputs, Y)
        state["checked"] = sgd(params, grads, eta)

    def unchecked():
        X, Y = batch()
        params = state["unchecked"]
        _, outputs = forward(params, X, check=False)
        cross_entropy_from_logits(outputs["ytilde"], Y)
        grads = backward(params, outputs, Y, check=False)
        state["unchecked"] = sgd(params, grads, eta, check=False)

    leaves = {k: v.clone().requires_grad_(True) for k, v in start.items()}

    def autograd():
        X, Y = batch()
        _, outputs = forward(leaves, X, check=False)
        F.cross_entropy(outputs["ytilde"], Y).backward()
        with torch.no_grad():
            for p in leaves.values():
                p -= eta * p.grad
                p.grad = None

    def copy():
        return {k: v.clone() for k, v in start.items()}

    model, loss_fn = nn_model(copy()), torch.nn.CrossEntropyLoss()

    def nn_step():
        X, Y = batch()
        model.zero_grad()
        loss_fn(model(X), Y.argmax(dim=1)).backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= eta * p.grad

    model_o = nn_model(copy())
    optimizer = torch.optim.SGD(model_o.parameters(), lr=eta)

    def nn_optim_step():
        X, Y = batch()
        optimizer.zero_grad()
        loss_fn(model_o(X), Y.argmax(dim=1)).backward()
        optimizer.step()

    return {
        "checked": checked,
        "unchecked": unchecked,
        "autograd": autograd,
        "nn": nn_step,
        "nn + optim": nn_optim_step,
    }


def bench_steps(rounds: int = 5, min_run_time: float = 1.0) -> list[Row]:
    """Median CPU time of one step of each kind, measured in turns.

    ``torch.utils.benchmark`` times blocks of steps (``blocked_autorange``);
    the kinds take turns for ``rounds`` rounds, so a change in the load of a
    shared machine reaches them alike, and the median is over all blocks.
    CPU time (``time.process_time``, one thread) leaves out the time other
    processes hold the cores.
    """
    from torch.utils.benchmark import Measurement, Timer

    steps = training_steps()
    for step in steps.values():
        for _ in range(20):  # warm-up
            step()
    blocks: dict[str, list] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            timer = Timer(
                "step()",
                globals={"step": step},
                num_threads=1,
                timer=time.process_time,
                label=STEPS[name],
            )
            measurement = timer.blocked_autorange(min_run_time=min_run_time)
            blocks[name].append(measurement)
    rows = []
    for name, measurements in blocks.items():
        (merged,) = Measurement.merge(measurements)
        row = Row(STEPS[name], merged.median, len(merged.times), STEP_NOTE)
        rows.append(row)
    return rows


STEP_RATIOS = [
    ("checked step / autograd step", STEPS["checked"], STEPS["autograd"]),
    ("unchecked step / autograd step", STEPS["unchecked"], STEPS["autograd"]),
]


def step_report(rows: list[Row]) -> str:
    """The step rows and their ratios, as a markdown table."""
    by_name = {r.name: r for r in rows}
    lines = [
        f"{os.cpu_count()} cores, {STEP_NOTE}; medians over blocks of steps.",
        "",
        "| step | median | blocks |",
        "| --- | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {r.median_s * 1e6:.1f} µs | {r.repeats} |")
    lines += ["", "| ratio | value |", "| --- | ---: |"]
    for label, num, den in STEP_RATIOS:
        ratio = by_name[num].median_s / by_name[den].median_s
        lines.append(f"| {label} | {ratio:.3f} |")
    return "\n".join(lines) + "\n"


def bench_study(repeats: int) -> list[Row]:
    """The 30-run batch size x learning rate study,
    sequential runs vs all at once."""
    from nnintro import make_circles
    from nnintro.batched import run_batched, run_sequential
    from nnintro.experiments.batch_lr_study import StudyConfig

    data = make_circles(0)
    configs = StudyConfig().configs()
    seq_repeats = max(1, repeats // 2)
    seq = median_time(lambda: run_sequential(configs, data), seq_repeats)
    bat = median_time(lambda: run_batched(configs, data), repeats)
    return [
        Row("30-run study, one configuration after another", seq, seq_repeats),
        Row("30-run study, all configurations at once", bat, repeats),
    ]


# --- report ------------------------------------------------------------------

RATIOS = [
    (
        "no-op rebuild / clean build",
        "no-op rebuild",
        "clean build of the book",
    ),
    (
        "Sphinx part / clean build",
        "re-read and write every page from the cache",
        "clean build of the book",
    ),
    (
        "prose edit / clean build",
        "rebuild after a prose-only edit",
        "clean build of the book",
    ),
    (
        "one-module rebuild / clean build (target <= 0.35)",
        "rebuild after a change in code/nnintro/experiments/svm/studies.py",
        "clean build of the book",
    ),
    *STEP_RATIOS,
    (
        "sequential study / batched study",
        "30-run study, one configuration after another",
        "30-run study, all configurations at once",
    ),
]


def write_report(rows: list[Row]) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    by_name = {r.name: r for r in rows}
    with (RESULTS / "results.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["measurement", "median_seconds", "repeats", "note"])
        for r in rows:
            writer.writerow([r.name, f"{r.median_s:.6g}", r.repeats, r.note])
        for label, num, den in RATIOS:
            if num in by_name and den in by_name:
                writer.writerow(
                    [
                        label,
                        f"{by_name[num].median_s / by_name[den].median_s:.4g}",
                        "",
                        "ratio",
                    ]
                )
    lines = [
        f"Measured on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
        f"Python {sys.version.split()[0]}. Medians over the repeats; "
        "ratios from the same run.",
        "",
        "| measurement | median | repeats | note |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in rows:
        value = (
            f"{r.median_s * 1e6:.1f} µs"
            if r.median_s < 0.01
            else f"{r.median_s:.2f} s"
        )
        lines.append(f"| {r.name} | {value} | {r.repeats} | {r.note} |")
    lines += ["", "| ratio | value |", "| --- | ---: |"]
    for label, num, den in RATIOS:
        if num in by_name and den in by_name:
            lines.append(
                f"| {label} | "
                f"{by_name[num].median_s / by_name[den].median_s:.3g} |"
            )
    text = "\n".join(lines) + "\n"
    (RESULTS / "results.md").write_text("# Benchmark results\n\n" + text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-build", action="store_true", help="skip the book builds"
    )
    parser.add_argument(
        "--steps",
        action="store_true",
        help="only the training-step ratios (about 30 s); writes no files",
    )
    args = parser.parse_args()
    if args.steps:
        print(step_report(bench_steps()))
        return
    rows: list[Row] = []
    if not args.no_build:
        rows += bench_builds(args.repeats)
    rows += bench_startup(args.repeats)
    rows += bench_steps()
    rows += bench_study(args.repeats)
    print(write_report(rows))


if __name__ == "__main__":
    main()
