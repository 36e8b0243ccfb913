"""Command line: ``python -m nnintro.answers LABEL "FORMULA"``.

Prints the verdict and the explanation. The formula may start with a
minus sign; with ``-`` or no formula it is read from standard input.
Exit status: 0 correct, 1 incorrect, 2 error (an unreadable formula or an
unknown label).
"""

from __future__ import annotations

import argparse
import sys

from nnintro.answers.checker import check
from nnintro.answers.expression import (
    FUNCTIONS,
    MAX_EXPONENT,
    NUMPY,
    PRODUCTS,
)
from nnintro.answers.result import CORRECT, INCORRECT
from nnintro.answers.targets import TARGETS

EXIT = {CORRECT: 0, INCORRECT: 1}
OPERATORS = (
    ("+ -", "sum and difference (NumPy broadcasting)"),
    ("*", "entrywise product"),
    ("/", "entrywise division"),
    ("**", f"power, a whole number from -{MAX_EXPONENT} to {MAX_EXPONENT}"),
    ("@", "matrix product"),
    (".T", "transpose: h.T (also transpose(h), h.transpose())"),
    ("a[i], a[i, j]", "an entry, in the one-example answers (entry form)"),
)
FUNCTION_HELP = {
    "tanh": "tanh(A), entrywise",
    "exp": "exp(A), entrywise",
    "log": "log(A), entrywise",
    "sum": "sum(A), sum(A, axis=0) or sum(A, 0), keepdims=True",
    "ones": "ones(N), ones((N, 1)), ones((1, N)): batch answers",
}


def describe() -> str:
    """The labels with their names, the operators and the functions."""
    lines = ["labels (quantity, names accepted):"]
    lines += [
        f"  {t.key:<14} {t.what:<14} {', '.join(t.names)}"
        for t in TARGETS.values()
    ]
    lines.append("operators:")
    lines += [f"  {op:<14} {words}" for op, words in OPERATORS]
    lines.append("functions:")
    lines += [f"  {name:<14} {FUNCTION_HELP[name]}" for name in FUNCTIONS]
    lines.append(
        f"  {', '.join(PRODUCTS):<14} dot(a, b) is a @ b; "
        f"{' or '.join(n + '.' for n in NUMPY)} may precede a function"
    )
    lines.append(f"  {'sum_k(...)':<14} a sum over k, in the entry form")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nnintro.answers",
        description="Check your formula for a gradient of questions 14-17.",
        epilog=describe(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("label", help="the equation label, e.g. q16-Wy")
    parser.add_argument(
        "formula",
        nargs="?",
        default="-",
        help='e.g. "delta_y @ h.T"; "-" or none: read standard input',
    )
    argv = list(sys.argv[1:] if argv is None else argv)
    # A formula that starts with a minus sign is not an option: after the
    # label, everything is the formula.
    options = [a for a in argv[:1] if a.startswith("-") and a != "-"]
    if argv and not options and len(argv) >= 2:
        args = argparse.Namespace(label=argv[0], formula=" ".join(argv[1:]))
    else:
        args = parser.parse_args(argv)
    formula = args.formula
    if formula == "-":
        formula = sys.stdin.read()
    result = check(args.label, formula)
    print(result.text())
    return EXIT.get(result.verdict, 2)


if __name__ == "__main__":
    sys.exit(main())
