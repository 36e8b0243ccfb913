"""The verification ledger: every registered identity,
every numerical gradient check, one table.

The ledger page builds the rows at build time and asserts that every row
passes, so a failing identity fails the build. Identities come from
:func:`nnintro.derivations.all_identities` (every registered topic module,
never a hard-coded list). Each row links to its equation with the ``{eq}``
role, so Sphinx finds the page and the number; a label that no page defines,
or that two pages define, is a build warning (an error under ``-W``). The
package never reads the book's sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import torch

from nnintro.chain_rule import BATCH, COLUMN, ChainRule
from nnintro.derivations import all_identities
from nnintro.gradcheck import (
    AUTOGRAD_TOLERANCE,
    autograd_gradients,
    check_gradients,
    column_form_gradients,
    relative_error,
)
from nnintro.network import backward, init_params
from nnintro.validation import PARAM_KEYS

# --- identity rows -----------------------------------------------------------


@dataclass(frozen=True)
class IdentityRow:
    """One identity of the ledger: its equation label and its verdict."""

    name: str
    label: str
    method: str
    holds: bool

    @property
    def passed(self) -> bool:
        return self.holds

    @property
    def result(self) -> str:
        return "holds" if self.holds else "FAIL: does not hold"


def identity_rows() -> list[IdentityRow]:
    """Build every registered identity, in the order of the book."""
    rows = []
    for name, build in all_identities().items():
        identity = build()
        rows.append(
            IdentityRow(
                name, identity.label, identity.method, bool(identity.holds)
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


@dataclass(frozen=True)
class NumericRow:
    """Worst relative errors, over the four parameters, for one case."""

    case: Case
    backward_vs_autograd: float
    backward_vs_central: float
    column_forms_vs_autograd: float
    backward_passed: bool  # nnintro.gradcheck's verdict (both tolerances)

    @property
    def passed(self) -> bool:
        return (
            self.backward_passed
            and self.column_forms_vs_autograd <= AUTOGRAD_TOLERANCE
        )


def numeric_row(
    case: Case, rule: ChainRule = BATCH, column_rule: ChainRule = COLUMN
) -> NumericRow:
    """Check ``backward`` (batch form) and the column form, example by
    example, against the references."""
    params, X, Y = case_data(case)

    report = check_gradients(
        params, X, Y, backward_fn=partial(backward, rule=rule)
    )
    auto = autograd_gradients(params, X, Y)
    column = column_form_gradients(params, X, Y, rule=column_rule)
    return NumericRow(
        case,
        report.worst_autograd,
        report.worst_central_difference,
        max(relative_error(column[k], auto[k]) for k in PARAM_KEYS),
        report.passed,
    )


def numeric_rows(cases=CASES) -> list[NumericRow]:
    return [numeric_row(case) for case in cases]


# --- rendering and the verdict -----------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", r"\|")


def identity_table(rows: list[IdentityRow]) -> str:
    """A MyST table; each label is an ``{eq}`` reference (its number,
    linked to the page that defines it)."""
    lines = [
        "| identity | equation | method | result |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {{eq}}`{r.label}` {r.label} "
            f"| {_cell(r.method)} | {r.result} |"
        )
    return "\n".join(lines)


def numeric_table(rows: list[NumericRow]) -> str:
    """A MyST table of the worst relative errors per case."""
    lines = [
        "| case | $N, n_x, n_h, n_y$ | `backward` / autograd "
        "| `backward` / central diff. "
        "| column form / autograd | result |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        c = r.case
        lines.append(
            f"| {c.name} | {c.N}, {c.nx}, {c.nh}, {c.ny} "
            f"| {r.backward_vs_autograd:.1e} "
            f"| {r.backward_vs_central:.1e} "
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
