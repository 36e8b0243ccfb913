"""Every labelled equation of the book is checked, or says it is a definition.

An equation is checked by an identity of :mod:`nnintro.derivations` (SymPy,
or float64 with a stated tolerance) whose ``label`` is the equation's, or by
a claim of an experiment, or by a test of the package (both named below,
with the equation they check). An
equation that defines a quantity (a loss, the update rule, a model) has
nothing to prove; its page marks it ``:class: definition``.
"""

from __future__ import annotations

import re

import pytest
from book_sources import ROOT, equation_labels

from nnintro.derivations import all_identities

BOOK = ROOT / "book"
EXPERIMENTS = ROOT / "code" / "nnintro" / "experiments"
TESTS = ROOT / "tests"

# equation label -> the claim id that tests it
BY_CLAIM = {
    "q12-cost-backprop": "q12-counts-match-formulas",
    "q12-cost-per-parameter": "q12-counts-match-formulas",
    "q12-cost-chain": "q12-counts-match-formulas",
    "q12-cost-numerical": "q12-counts-match-formulas",
}
# equation label -> (test file, test function) that checks it
BY_TEST = {
    "q12-deep-backward": (
        "test_experiments_optimisation.py",
        "test_exact_methods_equal_autograd",
    ),
    "q12-written-out": (
        "test_experiments_optimisation.py",
        "test_exact_methods_equal_autograd",
    ),
}
DEFINITION = re.compile(
    r"^```\{math\}\n:label: (\S+)\n(?::[a-z]+:.*\n)*?:class: definition$",
    re.M,
)


def labelled_equations() -> dict[str, str]:
    """Every equation label of the book -> the page that holds it."""
    return {
        label: page.stem
        for page in sorted(BOOK.glob("*.md"))
        for label in equation_labels(page)
    }


def definitions() -> set[str]:
    return {
        m.group(1)
        for page in BOOK.glob("*.md")
        for m in DEFINITION.finditer(page.read_text(encoding="utf-8"))
    }


@pytest.fixture(scope="module")
def identity_labels() -> set[str]:
    return {build().label for build in all_identities().values()}


def test_every_equation_is_checked_or_a_definition(identity_labels):
    defined = definitions()
    unchecked = [
        f"{page}: {label}"
        for label, page in labelled_equations().items()
        if label not in identity_labels | defined | BY_CLAIM.keys()
        and label not in BY_TEST
    ]
    assert not unchecked, (
        "equations with no identity, claim or test, and not marked "
        f"':class: definition': {unchecked}"
    )


def test_a_definition_is_not_also_proved(identity_labels):
    assert not definitions() & identity_labels


def test_the_named_claims_and_tests_exist():
    labels = labelled_equations()
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in EXPERIMENTS.rglob("*.py")
    )
    for label, claim_id in BY_CLAIM.items():
        assert label in labels, label
        assert f'"{claim_id}"' in code, claim_id
    for label, (file, test) in BY_TEST.items():
        assert label in labels, label
        source = (TESTS / file).read_text(encoding="utf-8")
        assert f"def {test}(" in source, (file, test)


def test_the_definition_pattern_reads_a_marked_block():
    text = "```{math}\n:label: x-def\n:class: definition\nx = 1\n```\n"
    assert DEFINITION.findall(text) == ["x-def"]
    assert not DEFINITION.findall("```{math}\n:label: y\ny = 2\n```\n")
