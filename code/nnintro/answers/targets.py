"""What each answer box checks: the equation, the book's answer, the names.

Each :class:`Target` is one quantity of questions 14 to 17. Its key is
the equation label of the book (``q16-Wy``); an equation that states
several gradients in batch form has one target per gradient, the first
keyed by the label itself (``q16-batch`` is dL/dW_y, ``q16-batch-by`` is
dL/db_y; ``q17-batch`` is Delta_h, then ``q17-batch-Wh``,
``q17-batch-bh``). ``reference`` is the book's closed form written in
the checker's own syntax; tests/test_answers.py checks that it equals the
closed form of :mod:`nnintro.derivations.backprop`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnintro.answers.symbolic_network import (
    BATCH_NAMES,
    COLUMN_NAMES,
    LOSS_NAMES,
)


@dataclass(frozen=True)
class Target:
    """One quantity a student can check."""

    key: str  # the widget's data-answer-check, the CLI's first argument
    equation: str  # the label of the book's equation
    what: str  # the quantity, in plain text
    form: str  # "column", "batch" or "loss"
    reference: str  # the book's answer, in the checker's syntax
    shape: tuple[str, ...]  # in size names; () for a number
    refused: tuple[str, ...] = ()  # names that are the answer itself
    any_vector: bool = False  # a 1-D vector or a column both accepted

    @property
    def names(self) -> tuple[str, ...]:
        """The names accepted in this answer."""
        every: dict[str, tuple[str, ...]] = {
            "column": COLUMN_NAMES,
            "batch": BATCH_NAMES,
        }
        every["loss"] = LOSS_NAMES
        return tuple(n for n in every[self.form] if n not in self.refused)

    @property
    def shape_text(self) -> str:
        if not self.shape:
            return "a number"
        if self.any_vector:
            return f"a vector of {self.shape[0]} entries"
        return " x ".join(self.shape)


TARGETS: dict[str, Target] = {
    t.key: t
    for t in (
        Target(
            "q14-simplified",
            "q14-simplified",
            "ℓ (the loss)",
            "loss",
            "-sum(y * ytilde) + log(sum(exp(ytilde)))",
            (),
        ),
        Target(
            "q15-grad",
            "q15-grad",
            "∂ℓ/∂ỹ",
            "column",
            "yhat - y",
            ("n_y", "1"),
            refused=("delta_y", "delta_h"),
        ),
        Target(
            "q15-batch",
            "q15-batch",
            "∂L/∂Ỹ",
            "batch",
            "(Yhat - Y) / N",
            ("N", "n_y"),
            refused=("Delta_y", "Delta_h"),
        ),
        Target(
            "q16-Wy",
            "q16-Wy",
            "∂ℓ/∂W_y",
            "column",
            "delta_y @ h.T",
            ("n_y", "n_h"),
        ),
        Target(
            "q16-by",
            "q16-by",
            "∂ℓ/∂b_y",
            "column",
            "delta_y",
            ("n_y", "1"),
        ),
        Target(
            "q16-batch",
            "q16-batch",
            "∂L/∂W_y",
            "batch",
            "Delta_y.T @ H",
            ("n_y", "n_h"),
        ),
        Target(
            "q16-batch-by",
            "q16-batch",
            "∂L/∂b_y",
            "batch",
            "Delta_y.T @ ones(N)",
            ("n_y",),
            any_vector=True,
        ),
        Target(
            "q17-htilde",
            "q17-htilde",
            "∂ℓ/∂h̃",
            "column",
            "(Wy.T @ delta_y) * (1 - h**2)",
            ("n_h", "1"),
            refused=("delta_h",),
        ),
        Target(
            "q17-Wh",
            "q17-Wh",
            "∂ℓ/∂W_h",
            "column",
            "delta_h @ x.T",
            ("n_h", "n_x"),
        ),
        Target(
            "q17-bh",
            "q17-bh",
            "∂ℓ/∂b_h",
            "column",
            "delta_h",
            ("n_h", "1"),
        ),
        Target(
            "q17-batch",
            "q17-batch",
            "∂L/∂H̃",
            "batch",
            "(Delta_y @ Wy) * (1 - H**2)",
            ("N", "n_h"),
            refused=("Delta_h",),
        ),
        Target(
            "q17-batch-Wh",
            "q17-batch",
            "∂L/∂W_h",
            "batch",
            "Delta_h.T @ X",
            ("n_h", "n_x"),
        ),
        Target(
            "q17-batch-bh",
            "q17-batch",
            "∂L/∂b_h",
            "batch",
            "Delta_h.T @ ones(N)",
            ("n_h",),
            any_vector=True,
        ),
    )
}
