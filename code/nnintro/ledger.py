"""The verification ledger: every registered identity,
every numerical gradient check, one table.

The ledger page builds the rows at build time and asserts that every row
passes, so a failing identity fails the build. Identities come from
:func:`nnintro.derivations.all_identities` (every registered topic module,
never a hard-coded list). Each row links to its equation with the ``{eq}``
role, so Sphinx resolves the page and the number, and a label that no page
defines is a build warning (an error under ``-W``). The page of each label is
also found by scanning the book's sources, which lets the tests check the
labels without building the book.

"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import torch

from nnintro.derivations import all_identities
from nnintro.derivations.backprop import (
    batch_grad_bh_closed_form,
    batch_grad_by_closed_form,
    batch_grad_htilde_closed_form,
    batch_grad_Wh_closed_form,
    batch_grad_Wy_closed_form,
    batch_grad_ytilde_closed_form,
    grad_bh_closed_form,
    grad_by_closed_form,
    grad_htilde_closed_form,
    grad_Wh_closed_form,
    grad_Wy_closed_form,
)
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    autograd_gradients,
    check_gradients,
    relative_error,
)
from nnintro.network import forward, init_params
from nnintro.validation import PARAM_KEYS

BOOK_DIR = Path(__file__).resolve().parents[2] / "book"

_MATH_LABEL = re.compile(
    r"^[`~:]{3,}\{math\}[^\n]*\n((?:[ \t]*:[^\n]*\n)*)", re.MULTILINE
)
_OPTION_LABEL = re.compile(r":label:\s*(\S+)")


# --- where each equation lives -----------------------------------------------


def equation_pages(book_dir: Path = BOOK_DIR) -> dict[str, list[str]]:
    """Map each label of a ``{math}`` directive to the pages (file stems)
    that define it."""
    pages: dict[str, list[str]] = {}
    for path in sorted(Path(book_dir).glob("*.md")):
        for options in _MATH_LABEL.findall(path.read_text(encoding="utf-8")):
            for label in _OPTION_LABEL.findall(options):
                pages.setdefault(label, []).append(path.stem)
    return pages


# --- identity rows -----------------------------------------------------------


@dataclass(frozen=True)
class IdentityRow:
    """One identity of the ledger:
    its verdict and the page of its equation label."""

    name: str
    label: str
    pages: tuple[
        str, ...
    ]  # pages defining the label: exactly one when all is well
    method: str
    holds: bool

    @property
    def passed(self) -> bool:
        return self.holds and len(self.pages) == 1

    @property
    def result(self) -> str:
        if not self.pages:
            return "FAIL: no page defines this label"
        if len(self.pages) > 1:
            return f"FAIL: label defined on {len(self.pages)} pages"
        return "holds" if self.holds else "FAIL: does not hold"


def identity_rows(book_dir: Path = BOOK_DIR) -> list[IdentityRow]:
    """Build every registered identity, in the order of the book,
    and locate its label."""
    pages = equation_pages(book_dir)
    rows = []
    for name, build in all_identities().items():
        identity = build()
        rows.append(
            IdentityRow(
                name,
                identity.label,
                tuple(pages.get(identity.label, ())),
                identity.method,
                bool(identity.holds),
            )
        )
    return rows


# --- numerical rows ----------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A numerical gradient check: sizes, and where the data come from."""

    name: str
    N: int
    nx: int
    nh: int
    ny: int
    seed: int = 0


#: The shapes the ledger checks numerically
#: (degenerate ones included on purpose).
CASES = (
    Case("a batch of 1", 1, 2, 3, 2),
    Case("one hidden unit", 6, 2, 1, 2),
    Case("five classes", 7, 3, 4, 5),
    Case("one input, one class", 4, 1, 3, 1),
    Case("the book's network", 20, 2, 10, 2),
)


def case_data(case: Case) -> tuple[dict, torch.Tensor, torch.Tensor]:
    """Seeded parameters,
    inputs X ~ N(0, 1) and random one-hot targets for ``case``."""
    params = init_params(case.nx, case.nh, case.ny, seed=case.seed)
    g = torch.Generator().manual_seed(case.seed + 1)
    X = torch.randn(case.N, case.nx, generator=g, dtype=torch.float64)
    labels = torch.randint(case.ny, (case.N,), generator=g)
    Y = torch.eye(case.ny, dtype=torch.float64)[labels]
    return params, X, Y


def batch_closed_form_gradients(params, X, Y) -> dict[str, torch.Tensor]:
    """The batch equations q15-batch, q16-batch and q17-batch evaluated on
    tensors."""
    _, out = forward(params, X)
    Delta_y = batch_grad_ytilde_closed_form(out["yhat"], Y)
    Delta_h = batch_grad_htilde_closed_form(params["Wy"], Delta_y, out["h"])
    return {
        "Wh": batch_grad_Wh_closed_form(Delta_h, X),
        "bh": batch_grad_bh_closed_form(Delta_h),
        "Wy": batch_grad_Wy_closed_form(Delta_y, out["h"]),
        "by": batch_grad_by_closed_form(Delta_y),
    }


def column_closed_form_gradients(params, X, Y) -> dict[str, torch.Tensor]:
    """The column equations q15-grad to q17-bh,
    one example (a column) at a time, averaged."""
    total = {k: torch.zeros_like(params[k]) for k in PARAM_KEYS}
    for n in range(X.shape[0]):
        _, out = forward(params, X[n : n + 1])
        x, h = X[n : n + 1].T, out["h"].T  # n_x x 1, n_h x 1
        delta_y = out["yhat"].T - Y[n : n + 1].T  # n_y x 1, eq. q15-grad
        delta_h = grad_htilde_closed_form(params["Wy"], delta_y, h)
        total["Wy"] += grad_Wy_closed_form(delta_y, h)
        total["by"] += grad_by_closed_form(delta_y).reshape(-1)
        total["Wh"] += grad_Wh_closed_form(delta_h, x)
        total["bh"] += grad_bh_closed_form(delta_h).reshape(-1)
    return {k: v / X.shape[0] for k, v in total.items()}


@dataclass(frozen=True)
class NumericRow:
    """Worst relative errors, over the four parameters, for one case."""

    case: Case
    backward_vs_autograd: float
    backward_vs_central: float
    batch_forms_vs_autograd: float
    column_forms_vs_autograd: float
    backward_passed: bool  # nnintro.gradcheck's verdict (both tolerances)

    @property
    def passed(self) -> bool:
        return (
            self.backward_passed
            and self.batch_forms_vs_autograd <= AUTOGRAD_TOLERANCE
            and self.column_forms_vs_autograd <= AUTOGRAD_TOLERANCE
        )


def numeric_row(case: Case) -> NumericRow:
    """Check ``backward`` and the closed forms (batch and column) against
    the references."""
    params, X, Y = case_data(case)
    report = check_gradients(params, X, Y)
    auto = autograd_gradients(params, X, Y)

    def worst(grads):
        return max(relative_error(grads[k], auto[k]) for k in PARAM_KEYS)

    return NumericRow(
        case,
        report.worst_autograd,
        report.worst_central_difference,
        worst(batch_closed_form_gradients(params, X, Y)),
        worst(column_closed_form_gradients(params, X, Y)),
        report.passed,
    )


def numeric_rows(cases=CASES) -> list[NumericRow]:
    return [numeric_row(case) for case in cases]


# --- rendering and the verdict -----------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", r"\|")


def identity_table(rows: list[IdentityRow]) -> str:
    """A MyST table; each label is an ``{eq}`` reference (its number),
    each page a ``{doc}`` link."""
    lines = [
        "| identity | equation | method | result |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        where = ", ".join(f"{{doc}}`{p}`" for p in r.pages)
        equation = (
            f"{{eq}}`{r.label}` {r.label}, {where}" if r.pages else r.label
        )
        lines.append(
            f"| {r.name} | {equation} | {_cell(r.method)} | {r.result} |"
        )
    return "\n".join(lines)


def numeric_table(rows: list[NumericRow]) -> str:
    """A MyST table of the worst relative errors per case."""
    lines = [
        "| case | $N, n_x, n_h, n_y$ | `backward` / autograd "
        "| `backward` / central diff. "
        "| batch eqs. / autograd | column eqs. / autograd | result |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        c = r.case
        lines.append(
            f"| {c.name} | {c.N}, {c.nx}, {c.nh}, {c.ny} "
            f"| {r.backward_vs_autograd:.1e} "
            f"| {r.backward_vs_central:.1e} | {r.batch_forms_vs_autograd:.1e} "
            f"| {r.column_forms_vs_autograd:.1e} "
            f"| {'pass' if r.passed else 'FAIL'} |"
        )
    return "\n".join(lines)


def require_all(
    identity_rows_: list[IdentityRow], numeric_rows_: list[NumericRow]
) -> None:
    """Raise ``AssertionError`` listing every row that does not pass."""
    failing = [
        f"{r.name} (eq. {r.label}): {r.result}"
        for r in identity_rows_
        if not r.passed
    ]
    failing += [
        f"numerical case {r.case.name!r}"
        for r in numeric_rows_
        if not r.passed
    ]
    if failing:
        raise AssertionError("ledger rows that fail: " + "; ".join(failing))
