"""What the checker returns: a verdict, an explanation, tables of numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath

CORRECT, INCORRECT, ERROR = "correct", "incorrect", "error"


@dataclass(frozen=True)
class Table:
    """A named matrix of formatted numbers, shown with a counterexample."""

    name: str
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Result:
    """The verdict, a one-sentence summary, details, and tables."""

    verdict: str
    summary: str
    details: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    values: dict = field(default_factory=dict)  # for tests: the point
    echo: str = ""  # the formula as read, in LaTeX ("" if unreadable)
    mistake: str | None = None  # the id of a catalogued mistake

    def text(self) -> str:
        """The whole explanation as plain text (the CLI prints it)."""
        lines = [f"{self.verdict}: {self.summary}", *self.details]
        for table in self.tables:
            lines.append(f"{table.name} =")
            width = max(len(v) for row in table.rows for v in row)
            lines.extend(
                "  " + "  ".join(v.rjust(width) for v in row)
                for row in table.rows
            )
        return "\n".join(lines)

    def as_dict(self) -> dict:
        """What the browser widget receives (JSON-serialisable)."""
        return {
            "verdict": self.verdict,
            "summary": self.summary,
            "echo": self.echo,
            "mistake": self.mistake,
            "details": list(self.details),
            "tables": [
                {"name": t.name, "rows": [list(r) for r in t.rows]}
                for t in self.tables
            ],
        }


def number_text(v, digits: int = 6) -> str:
    if v is None:
        return "not a finite number"
    if abs(v) < 1e-20:
        return "0"
    return mpmath.nstr(v, digits, min_fixed=-4, max_fixed=6)


def exact_text(v) -> str:
    return "0" if abs(v) < 1e-20 else f"{float(v):g}"


def table_of(name, shape, numbers, exact: bool, digits: int = 4) -> Table:
    fmt = exact_text if exact else (lambda v: number_text(v, digits))
    cells = [fmt(v) for v in numbers]
    if len(shape) == 2:
        rows, cols = shape
    else:
        rows, cols = (len(cells), 1) if shape else (1, 1)
    grid = tuple(tuple(cells[r * cols : (r + 1) * cols]) for r in range(rows))
    return Table(name, grid)
