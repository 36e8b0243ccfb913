"""Claims and findings: what every experiment of the book returns.

An experiment returns a *finding*: a small frozen dataclass holding the numbers
its page shows and the named *claims* that its sentences state. A claim is a
checked statement, like an :class:`~nnintro.derivations.core.Identity` is a
checked equation: a stable id, the statement in a few words, the measured
values it compares, the test it applies, and whether that test holds. Claims
are computed from the finding's own data, so a finding built with other data
(in a test, or after a change in the library) gets other verdicts, and
:meth:`Finding.require` raises, naming every failing claim with its numbers.

Wall-clock times may be *shown*, but a claim never tests one:
counts of operations or steps are deterministic, seconds are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

# the comparisons claims are built from, importable from here with them
from nnintro.comparisons import (  # noqa: F401
    Check,
    Number,
    above,
    at_least,
    at_most,
    below,
    between,
    close,
    compare,
    each,
    equal,
    format_value,
    ordered,
)


@dataclass(frozen=True)
class Claim:
    """One checked statement of an experiment.

    ``test`` says in words and symbols what is compared (for example
    ``"gain > 0.1"``), written by a :class:`Check` from its operands;
    ``values`` are the measured quantities it compares, by name.
    """

    id: str
    statement: str
    test: str
    values: Mapping[str, Number]
    holds: bool

    def __post_init__(self):
        if not self.id or " " in self.id:
            raise ValueError(
                f"a claim id is one word with dashes, got {self.id!r}"
            )
        object.__setattr__(self, "holds", bool(self.holds))

    def describe_values(self) -> str:
        """``name = value`` pairs, comma separated."""
        return ", ".join(
            f"{k} = {format_value(v)}" for k, v in self.values.items()
        )

    def require(self) -> Claim:
        if not self.holds:
            raise AssertionError(self.failure_message())
        return self

    def failure_message(self) -> str:
        return (
            f"claim {self.id!r} does not hold: {self.statement} "
            f"(test: {self.test}; measured: {self.describe_values()})"
        )


def claim(id: str, statement: str, check: Check) -> Claim:
    """The sentence ``statement`` backed by ``check``:
    ``claim("q2-gain", "More data helps", above(("gain", gain), 0.1))``.

    The test text and the measured values come from the check itself, so
    they cannot disagree with what is tested.
    """
    if not isinstance(check, Check):
        raise TypeError(
            f"claim {id!r}: give a Check (above, below, ordered, ...), "
            f"got {type(check).__name__}"
        )
    return Claim(
        id=id,
        statement=statement,
        test=check.text,
        values=dict(check.values),
        holds=check.holds,
    )


@dataclass(frozen=True)
class Finding:
    """Base of every experiment's result.

    Subclasses are frozen dataclasses; as class attributes they set ``page``
    (the book page, a file stem of ``book/``) and ``name`` (the experiment,
    unique in the book), and they override :meth:`numbers` (glue keys, used as
    they are) and :meth:`claims`.
    """

    page: ClassVar[str] = ""  # set by each subclass, e.g. ``page = "data"``
    name: ClassVar[str] = ""  # e.g. ``name = "q2-sample-size"``

    def numbers(self) -> dict[str, object]:
        """Glue key -> value shown in the prose
        (formatted strings, ints, or floats)."""
        return {}

    def claims(self) -> tuple[Claim, ...]:
        """The claims that the page's sentences state,
        each computed from this finding."""
        return ()

    def failing(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims() if not c.holds)

    def require(self):
        """Return self, or raise ``AssertionError`` naming every claim that
        does not hold."""
        failing = self.failing()
        if failing:
            lines = "\n".join("- " + c.failure_message() for c in failing)
            raise AssertionError(
                f"{len(failing)} claim(s) of {type(self).__name__} "
                f"do not hold:\n{lines}"
            )
        return self


def require(finding: Finding) -> Finding:
    """``finding.require()`` as a function."""
    return finding.require()


def markdown_table(head: list[str], rows: dict[str, list[str]]) -> str:
    """A Markdown table: an empty corner, ``head``, then one row per key."""
    lines = [
        "| | " + " | ".join(head) + " |",
        "|:--|" + "--:|" * len(head),
    ]
    for name, cells in rows.items():
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
