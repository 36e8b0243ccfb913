"""Time the answer checker on every formula of the test table.

    .venv/bin/python benchmarks/answers.py

Each formula of tests/answer_table.py is checked once in a fresh process
that has built the symbolic networks first (as the browser does while it
loads), then the median and the slowest check are printed, with the ten
slowest rows. The limit of the issue is 2 s per check.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from answer_table import rows  # noqa: E402

from nnintro.answers import check  # noqa: E402
from nnintro.answers.checker import prepare  # noqa: E402

LIMIT = 2.0  # seconds


def main() -> int:
    start = time.perf_counter()
    prepare()
    print(f"prepare: {time.perf_counter() - start:.2f} s")
    times = []
    for key, formula, _, _ in rows():
        start = time.perf_counter()
        check(key, formula)
        times.append((time.perf_counter() - start, key, formula))
    seconds = [t for t, _, _ in times]
    print(
        f"{len(times)} checks: median {statistics.median(seconds):.3f} s, "
        f"slowest {max(seconds):.3f} s"
    )
    for t, key, formula in sorted(times, reverse=True)[:10]:
        print(f"  {t:.3f} s  {key:<14} {formula[:60]}")
    over = [row for row in times if row[0] >= LIMIT]
    print(f"{len(over)} checks at or over {LIMIT} s")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
