"""Measure the build and training speed of the project in one run; write a markdown and CSV table.

    .venv/bin/python benchmarks/bench.py            # everything (about ten minutes on 2 cores)
    .venv/bin/python benchmarks/bench.py --no-build # only the training measurements

Every figure is a median over repeats, and comparisons are ratios measured in this same run, so
that a busy shared machine slows both sides alike. Builds run in a temporary copy of the working
tree (sharing this tree's .venv), so the reader's own _build is left alone.
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


# --- builds -----------------------------------------------------------------------------------


def copy_tree(dest: Path) -> None:
    """Copy the tracked and untracked-but-not-ignored files of the working tree to ``dest``."""
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
    # -o: never reinstall the shared .venv from the copy (that would point it at the copy)
    subprocess.run(
        ["make", "-o", ".venv/.installed", "book"], cwd=tree, check=True, capture_output=True
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

        rows.append(Row("clean build of the book", median_time(clean_build, repeats), repeats))
        rows.append(
            Row("no-op rebuild", median_time(lambda: make_book(tree), 3 * repeats), 3 * repeats)
        )

        page = tree / "book" / "index.md"

        def prose_edit():
            append_line(page, "\n<!-- a prose-only edit -->\n")
            make_book(tree)

        rows.append(
            Row("rebuild after a prose-only edit", median_time(prose_edit, repeats), repeats)
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
            "rebuild after a change in code/nnintro/svm.py",
            "svm.py",
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
    """Per-page execution time as recorded in the execution cache by the last clean build."""
    from jupyter_cache import get_cache

    cache = get_cache(str(tree / "_build" / ".jupyter_cache"))
    rows = []
    for record in cache.list_cache_records():
        seconds = record.data.get("execution_seconds")
        if seconds is not None:
            name = Path(record.uri).relative_to(tree)
            rows.append(Row(f"execution of {name}", seconds, 1, "two pages run at a time"))
    rows.sort(key=lambda r: -r.median_s)
    return rows


def bench_startup(repeats: int) -> list[Row]:
    """What every page pays before its first line: a kernel start-up and the imports."""
    from jupyter_client.manager import start_new_kernel

    python = str(ROOT / ".venv" / "bin" / "python")

    def run(code):
        subprocess.run([python, "-c", code], check=True)

    bare = median_time(lambda: run("pass"), repeats)
    imports = median_time(
        lambda: run("import torch, sympy, matplotlib.pyplot, sklearn.svm, nnintro.batched"), repeats
    )

    def kernel():
        manager, client = start_new_kernel(kernel_name="python3")
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    return [
        Row("kernel start-up (until it answers)", median_time(kernel, repeats), repeats),
        Row(
            "imports of a page (torch, sympy, matplotlib, ...)",
            imports - bare,
            repeats,
            "fresh interpreter, minus a bare start",
        ),
    ]


# --- training ----------------------------------------------------------------------------------


def bench_training(repeats: int) -> list[Row]:
    """Per-update time of the four trainers of :mod:`nnintro.torch_versions` at the course's sizes."""
    from nnintro import make_circles
    from nnintro.torch_versions import TRAINERS, training_schedule
    from nnintro.training import TrainConfig

    data = make_circles(0)
    config = TrainConfig(nh=10, eta=0.1, batch_size=10, epochs=10, seed=0)
    params, schedule = training_schedule(config, 2, 2, data.Xtrain.shape[0])
    updates = sum(len(batches) for batches in schedule)
    rows = []
    for name, trainer in TRAINERS.items():

        def run(trainer=trainer):
            trainer(params, data.Xtrain, data.Ytrain, schedule, config.eta)

        run()  # warm-up
        per_step = median_time(run, repeats) / updates
        rows.append(
            Row(f"one training step: {name}", per_step, repeats, "n_x=2, n_h=10, n_y=2, batch 10")
        )
    return rows


def bench_study(repeats: int) -> list[Row]:
    """The 30-run batch size x learning rate study, sequential runs vs all at once."""
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


# --- report ------------------------------------------------------------------------------------

RATIOS = [
    ("no-op rebuild / clean build", "no-op rebuild", "clean build of the book"),
    (
        "Sphinx part / clean build",
        "re-read and write every page from the cache",
        "clean build of the book",
    ),
    ("prose edit / clean build", "rebuild after a prose-only edit", "clean build of the book"),
    (
        "one-module rebuild / clean build (target <= 0.35)",
        "rebuild after a change in code/nnintro/svm.py",
        "clean build of the book",
    ),
    ("autograd step / manual step", "one training step: autograd", "one training step: manual"),
    ("nn step / manual step", "one training step: nn", "one training step: manual"),
    ("nn + optim step / manual step", "one training step: nn + optim", "one training step: manual"),
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
                    [label, f"{by_name[num].median_s / by_name[den].median_s:.4g}", "", "ratio"]
                )
    lines = [
        f"Measured on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
        f"Python {sys.version.split()[0]}. Medians over the repeats; ratios from the same run.",
        "",
        "| measurement | median | repeats | note |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in rows:
        value = f"{r.median_s * 1e6:.1f} µs" if r.median_s < 0.01 else f"{r.median_s:.2f} s"
        lines.append(f"| {r.name} | {value} | {r.repeats} | {r.note} |")
    lines += ["", "| ratio | value |", "| --- | ---: |"]
    for label, num, den in RATIOS:
        if num in by_name and den in by_name:
            lines.append(f"| {label} | {by_name[num].median_s / by_name[den].median_s:.3g} |")
    text = "\n".join(lines) + "\n"
    (RESULTS / "results.md").write_text("# Benchmark results\n\n" + text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="skip the book builds")
    args = parser.parse_args()
    rows: list[Row] = []
    if not args.no_build:
        rows += bench_builds(args.repeats)
    rows += bench_startup(args.repeats)
    rows += bench_training(max(5, args.repeats))
    rows += bench_study(args.repeats)
    print(write_report(rows))


if __name__ == "__main__":
    main()
