"""Command line: ``python -m nnintro.answers LABEL "FORMULA"``.

Prints the verdict and the explanation. Exit status: 0 correct,
1 incorrect, 2 error (an unreadable formula or an unknown label).
"""

from __future__ import annotations

import argparse
import sys

from nnintro.answers.checker import check
from nnintro.answers.result import CORRECT, INCORRECT
from nnintro.answers.targets import TARGETS

EXIT = {CORRECT: 0, INCORRECT: 1}


def describe() -> str:
    """One line per label: the quantity and the book's names."""
    return "\n".join(
        f"  {t.key:<14} {t.what:<14} names: {', '.join(t.names)}"
        for t in TARGETS.values()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nnintro.answers",
        description="Check your formula for a gradient of questions 14-17.",
        epilog="labels:\n" + describe(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("label", help="the equation label, e.g. q16-Wy")
    parser.add_argument("formula", help='e.g. "delta_y @ h.T"')
    args = parser.parse_args(argv)
    result = check(args.label, args.formula)
    print(result.text())
    return EXIT.get(result.verdict, 2)


if __name__ == "__main__":
    sys.exit(main())
